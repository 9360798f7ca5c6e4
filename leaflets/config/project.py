"""Find the project folder, then load and validate leaflets.toml and contacts.toml into the
records of model.py and contacts.py.

Every problem is collected before any is reported, each naming its key path and line, in the
way `leaflets.toml:24: languages.ht.locale: expected ...`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ConfigError, ProjectNotFound
from .contacts import Contacts
from .model import CONFIG_NAME, CONTACTS_NAME, Project
from .paths import find_root, inside, read_project_file
from .toml_lines import TomlSyntaxError, parse_toml
from .validation import Problems, with_given

# ---------------------------------------------------------------- finding and loading


def load(root: Path | None = None) -> Project:
    """Load and validate the project at `root` (or the one found from the working directory).

    A folder named explicitly must be the project folder itself: a folder inside a project
    (`--project proj/templates`) is an error, not a reason to walk up to the project."""
    if root is None:
        root = find_root()
    elif not (root / CONFIG_NAME).exists():
        raise ProjectNotFound(
            f"no {CONFIG_NAME} in this folder; name the project folder itself, the one that "
            f"holds {CONFIG_NAME}",
            root,
        )
    root = root.resolve()
    config_text, config_data = _read_toml(root / CONFIG_NAME, root)
    contacts_text, contacts_data = _read_toml(root / CONTACTS_NAME, root)
    config_problems = Problems(config_text)
    contacts_problems = Problems(contacts_text)
    contacts = contacts_problems.validate(Contacts, contacts_data)
    # With contacts that are not valid (None), the Project is never returned: their problems
    # are raised below.
    data = with_given(config_data, root=root, contacts=contacts, config_text=config_text)
    project = config_problems.validate(Project, data, context={"root": root})
    for name, problems in ((CONFIG_NAME, config_problems), (CONTACTS_NAME, contacts_problems)):
        if problems:
            raise ConfigError(
                root / name, problems.messages, problems.first_line, problems.line_numbers
            )
    assert project is not None and contacts is not None
    return project


def _read_toml(path: Path, root: Path) -> tuple[str, dict[str, Any]]:
    try:
        text = read_project_file(inside(root, path), "configuration").decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(
            path, [f"file not found; create {path.name} in the project folder"]
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path, [f"not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None
    try:
        return text, parse_toml(text)
    except TomlSyntaxError as exc:
        raise ConfigError(path, [exc.message], exc.line) from None
