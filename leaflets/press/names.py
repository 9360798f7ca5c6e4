"""Order names: the folder name a name makes, and which folder names other orders have.

An order's package goes to out/orders/<slug>/, and an order the studio writes to
orders/<slug>.toml, so two names that make one slug ("Spring Fair 2027", "spring fair, 2027!")
are one name: the second is refused where it is written, in the file or in the form.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

from ..config.model import Project
from ..config.paths import read_project_file
from ..config.toml_lines import TomlSyntaxError, parse_toml
from ..errors import LeafletsError
from ..untrusted import shown

SLUG_MAX = 64
ORDERS_FOLDER = "orders"


def slugify(text: str) -> str:
    """A folder name made of [a-z0-9-] only: "../../etc" → "etc", "" → "order"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].strip("-") or "order"


def order_files(project: Project) -> list[Path]:
    """The project's order files, orders/*.toml, in name order."""
    folder = project.root / ORDERS_FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.toml") if p.is_file() and not p.is_symlink())


def names_taken(project: Project, own: Path | None = None) -> dict[str, str]:
    """{folder name: the order that has it, in words} for each order file in orders/ but `own`
    (the file being checked). A file that cannot be read has the name of its file."""
    mine = own.resolve() if own is not None else None
    taken: dict[str, str] = {}
    for path in order_files(project):
        if path.resolve() == mine:
            continue
        name, who = _name_and_event(path)
        taken.setdefault(slugify(name), who)
    return taken


def _name_and_event(path: Path) -> tuple[str, str]:
    where = f"{ORDERS_FOLDER}/{shown(path.name)}"
    try:
        data = parse_toml(read_project_file(path, "order").decode("utf-8"))
    except (OSError, UnicodeDecodeError, TomlSyntaxError, LeafletsError):
        return path.stem, f"the order in {where}"
    name = data.get("name")
    name = name.strip() if isinstance(name, str) and name.strip() else path.stem
    event, day = data.get("event"), data.get("event_date")
    if not isinstance(event, str):
        return name, f"the order in {where}"
    on = f", on {day.isoformat()}" if isinstance(day, date) else ""
    return name, f"the order in {where} ({shown(event.strip())}{on})"
