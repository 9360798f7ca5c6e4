"""Compiled catalogs (.mo), keyed by the content of the .po they were compiled from.

A .mo is fresh only when it was compiled from the .po exactly as it is now: `compile_catalog`
ends the file with a trailer holding the SHA-256 of the .po's bytes. gettext and Babel read a
.mo through its offset tables, so they never see the trailer. File times decide nothing:
`cp -p`, `rsync -a`, unzip and git checkouts all give an edited .po an older time than its .mo.

The checks that decide what is compiled also read the files around the catalog (checks/
surroundings.py: leaflets.toml, the language's glossary, the other catalogs), so the key covers
their bytes too: a required term added to the glossary, or a Creole translation that a Spanish
one copies, compiles the catalog again. The PDFs are rebuilt only if the compiled entries
change (the cache keys a .mo by its body, without the trailer).

`build`, `status`, `compile` and `doctor` all ask `is_stale()`. This module imports no Babel,
so a build with nothing to do reads a few files and moves on.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from ...config.model import Project
from ...config.paths import inside, read_project_file

# Bump COMPILER when compiling the same .po gives other bytes (a new rule drops an entry, say):
# every .mo is then compiled again.
COMPILER = b"leaflets-mo-3"  # 3: the checks read the catalog's surroundings (issue 23)
TRAILER = re.compile(rb"\0leaflets-source-sha256:([0-9a-f]{64})\n\Z")
TRAILER_SIZE = len(b"\0leaflets-source-sha256:") + 64 + 1


def source_key(po: bytes) -> str:
    """What a .mo compiled from these .po bytes records: their hash, with the compiler's."""
    return hashlib.sha256(COMPILER + b"\0" + po).hexdigest()


RECORD = b"\0leaflets-record:"
"""Before the trailer: what compiling found, as JSON (which escapes every NUL): the catalog's
check warnings, so that a build with nothing to do can name them without parsing the catalog,
and the language identifier's verdicts on its sentences (checks/language_id.py) and each entry's
findings (checks/memo.py), so that the next compile judges and checks only what changed. Always
written, and the last one before the trailer is read, so a translation's text cannot pose as
one."""


def with_trailer(mo: bytes, po: bytes, record: dict | None = None) -> bytes:
    """The .mo bytes to write for a catalog compiled from `po`, with what compiling found."""
    data = json.dumps(record or {}, ensure_ascii=True, sort_keys=True).encode("ascii")
    key = source_key(po).encode("ascii")
    return mo + RECORD + data + b"\0leaflets-source-sha256:" + key + b"\n"


def split(data: bytes) -> tuple[bytes, str | None]:
    """A .mo file's catalog bytes and the source key its trailer records (None: no trailer)."""
    body, key, _ = split_all(data)
    return body, key


def split_all(data: bytes) -> tuple[bytes, str | None, dict]:
    """A .mo file's catalog bytes, its source key and the record of its compiling."""
    match = TRAILER.search(data, max(0, len(data) - TRAILER_SIZE))
    if match is None:
        return data, None, {}
    at = data.rfind(RECORD, 0, match.start())
    record = {}
    if at >= 0:
        try:
            record = json.loads(data[at + len(RECORD) : match.start()])
        except ValueError:
            at = -1  # not ours: the body runs to the trailer
    body = data[:at] if at >= 0 else data[: match.start()]
    return body, match.group(1).decode("ascii"), record if isinstance(record, dict) else {}


def recorded(project: Project, lang: str) -> dict:
    """What compiling the language's catalog recorded: {"warnings": [{"line", "message"}],
    "verdicts": {...}}; empty when it is not compiled."""
    _, mo = catalog_paths(project, lang)
    try:
        return split_all(mo.read_bytes())[2]
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return {}


def recorded_warnings(project: Project, lang: str) -> list[dict]:
    """The check warnings recorded when the language's catalog was compiled."""
    warnings = recorded(project, lang).get("warnings", [])
    return warnings if isinstance(warnings, list) else []


def catalog_paths(project: Project, lang: str) -> tuple[Path, Path]:
    """The language's .po and .mo, checked to resolve inside the project."""
    po, mo = project.po_path(lang), project.mo_path(lang)
    inside(project.root, po)
    inside(project.root, mo)
    return po, mo


def compiled_from(project: Project, lang: str, po: bytes | None = None) -> bytes:
    """What a .mo is compiled from: the .po's bytes (`po`, if already read), then those of the
    files the checks read around it, each named (a missing one is empty)."""
    parts = [po if po is not None else read_project_file(project.po_path(lang), "catalog")]
    around = [project.root / "leaflets.toml", project.locales_dir / lang / "glossary.toml"]
    around += [project.po_path(other) for other in sorted(project.languages) if other != lang]
    for path in around:
        try:
            data = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            data = b""
        parts.append(b"\0" + path.name.encode() + b"\0" + hashlib.sha256(data).digest())
    return b"".join(parts)


def is_stale(project: Project, lang: str) -> bool:
    """True when the .mo is missing, or was not compiled from the .po (and the files around
    it) as they are now."""
    _, mo = catalog_paths(project, lang)
    try:
        with mo.open("rb") as fileobj:
            size = fileobj.seek(0, 2)
            fileobj.seek(max(0, size - TRAILER_SIZE))
            _, recorded = split(fileobj.read())
        return recorded != source_key(compiled_from(project, lang))
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return True  # compiling says what is missing
