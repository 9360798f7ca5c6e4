"""Issue 23, point 5: catalogs keep the wrapping they were given. After a Weblate-style save
(`msgcat -w 77`), at gettext's 79 and with `--no-wrap`, a studio save rewrites only the edited
entry, at the catalog's own width, and `leaflets update` with no source change writes nothing."""

from __future__ import annotations

import difflib
import shutil
import subprocess
from pathlib import Path

import pytest

from leaflets.config import project as project_mod
from leaflets.i18n.commands.edit import Edit, save_translation
from leaflets.i18n.commands.update import update_catalog
from leaflets.i18n.po.catalog import _original_entries, detect_width, read_catalog

pytestmark = pytest.mark.skipif(shutil.which("msgcat") is None, reason="needs GNU gettext")

MSGID = "Training for law enforcement, and help to reform laws"
LONG = (
    "Capacitación para las fuerzas del orden, para los jueces y fiscales, y ayuda para reformar "
    "las leyes de cada país"
)
WIDTHS = {"77": ["-w", "77"], "79": [], "no-wrap": ["--no-wrap"]}


def msgcat(path: Path, *args: str) -> bytes:
    return subprocess.run(["msgcat", *args, str(path)], capture_output=True, check=True).stdout


def msgstr_lines(data: bytes) -> list[str]:
    """The lines of MSGID's msgstr as the file writes them."""
    lines = data.decode().splitlines()
    at = next(i for i, line in enumerate(lines) if MSGID in line)
    block = []
    for line in lines[at + 1 :]:
        if not line:
            break
        block.append(line)
    return block[next(i for i, line in enumerate(block) if line.startswith("msgstr")) :]


def changed_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.unified_diff(
        before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0
    )
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_a_studio_save_rewrites_only_the_edited_entry_at_the_catalogs_width(
    project_copy: Path, width: str
):
    project = project_mod.load(project_copy)
    po = project.po_path("es")
    po.write_bytes(msgcat(po, *WIDTHS[width]))  # as Weblate (77) or msgcat saved it
    before = po.read_bytes()
    expected = {"77": 77, "79": 79, "no-wrap": None}[width]
    assert detect_width(_original_entries(before)) == expected
    save_translation(project, "es", Edit(None, MSGID, (LONG,)))
    after = po.read_bytes()
    # Only the edited msgstr's lines changed, and msgcat at the same width changes nothing.
    changed = changed_lines(before, after)
    assert {line[1:] for line in changed if line[0] == "-"} <= set(msgstr_lines(before))
    assert {line[1:] for line in changed if line[0] == "+"} <= set(msgstr_lines(after))
    assert changed, "the edit was written"
    assert msgcat(po, *WIDTHS[width]) == after
    # With no source change, `leaflets update` writes nothing.
    result = update_catalog(project, "es", read_catalog(project.pot_path))
    assert not result.changed
    assert po.read_bytes() == after


def test_leaflets_toml_sets_the_width(project_copy: Path):
    config = project_copy / "leaflets.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n[catalogs]\nwrap = 77\n", "utf-8")
    project = project_mod.load(project_copy)
    po = project.po_path("es")
    before = po.read_bytes()  # wrapped at 79, as shipped
    save_translation(project, "es", Edit(None, MSGID, (LONG,)))
    after = po.read_bytes()
    # The header and every other entry keep their bytes; the edited one is at 77 columns.
    changed = changed_lines(before, after)
    assert {line[1:] for line in changed if line[0] == "-"} <= set(msgstr_lines(before))
    assert max(len(line) for line in msgstr_lines(after)) <= 76
    assert msgstr_lines(msgcat(po)) != msgstr_lines(after)  # 79 columns would break elsewhere
    assert msgstr_lines(msgcat(po, "-w", "77")) == msgstr_lines(after)


def test_a_bad_wrap_setting_is_an_error_at_its_line(project_copy: Path):
    config = project_copy / "leaflets.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[catalogs]\nwrap = "77"\n', "utf-8")
    with pytest.raises(project_mod.ConfigError, match="catalogs.wrap"):
        project_mod.load(project_copy)
