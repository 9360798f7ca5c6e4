"""Compiled catalogs (.mo), keyed by the content of the .po they were compiled from.

A .mo is fresh only when it was compiled from the .po exactly as it is now: `compile_catalog`
ends the file with a trailer holding the SHA-256 of the .po's bytes. gettext and Babel read a
.mo through its offset tables, so they never see the trailer. File times decide nothing:
`cp -p`, `rsync -a`, unzip and git checkouts all give an edited .po an older time than its .mo.

`build`, `status`, `compile` and `doctor` all ask `is_stale()`. This module imports no Babel,
so a build with nothing to do reads two files and moves on.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ...config.model import Project
from ...config.paths import inside, read_project_file

# Bump COMPILER when compiling the same .po gives other bytes (a new rule drops an entry, say):
# every .mo is then compiled again.
COMPILER = b"leaflets-mo-2"  # 2: entries `leaflets check` calls errors are left out
TRAILER = re.compile(rb"\0leaflets-source-sha256:([0-9a-f]{64})\n\Z")
TRAILER_SIZE = len(b"\0leaflets-source-sha256:") + 64 + 1


def source_key(po: bytes) -> str:
    """What a .mo compiled from these .po bytes records: their hash, with the compiler's."""
    return hashlib.sha256(COMPILER + b"\0" + po).hexdigest()


def with_trailer(mo: bytes, po: bytes) -> bytes:
    """The .mo bytes to write for a catalog compiled from `po`."""
    return mo + b"\0leaflets-source-sha256:" + source_key(po).encode("ascii") + b"\n"


def split(data: bytes) -> tuple[bytes, str | None]:
    """A .mo file's catalog bytes and the source key its trailer records (None: no trailer)."""
    match = TRAILER.search(data, max(0, len(data) - TRAILER_SIZE))
    if match is None:
        return data, None
    return data[: match.start()], match.group(1).decode("ascii")


def catalog_paths(project: Project, lang: str) -> tuple[Path, Path]:
    """The language's .po and .mo, checked to resolve inside the project."""
    po, mo = project.po_path(lang), project.mo_path(lang)
    inside(project.root, po)
    inside(project.root, mo)
    return po, mo


def is_stale(project: Project, lang: str) -> bool:
    """True when the .mo is missing, or was not compiled from the .po as it is now."""
    po, mo = catalog_paths(project, lang)
    try:
        with mo.open("rb") as fileobj:
            size = fileobj.seek(0, 2)
            fileobj.seek(max(0, size - TRAILER_SIZE))
            _, recorded = split(fileobj.read())
        return recorded != source_key(read_project_file(po, "catalog"))
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return True  # compiling says what is missing
