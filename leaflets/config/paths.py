"""Paths in the project: every file leaflets reads or writes there stays inside it.

`inside()` is the one check of that rule, used wherever a project file is opened, listed
or written: a link is fine while it stays inside the project (a `templates/` folder linked to
`src/templates/`, say), and an error once following it leaves the project (`locales/es` linked
to another folder, a `.po` linked to /etc/passwd). This module imports next to nothing: every
stage uses it, and the records of the configuration validate their paths with it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import FileRefused, OutsideProject, ProjectNotFound

CONFIG_NAME = "leaflets.toml"
CONTACTS_NAME = "contacts.toml"


def inside(root: Path, path: Path, *, outside_ok: bool = False) -> Path:
    """`path` with every link followed, if that keeps it inside the project folder `root`;
    raises OutsideProject if it does not.

    `outside_ok` is for paths a person named on the command line (`--out /tmp/x`, an order
    file in Downloads): one that is not in the project folder at all is theirs to choose, and
    is returned as it is; one in the project folder must still resolve inside it.
    """
    real_root = Path(os.path.realpath(root))
    if outside_ok:
        written = Path(os.path.abspath(path))
        if not (written.is_relative_to(root) or written.is_relative_to(real_root)):
            return path
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(real_root):
        raise OutsideProject(
            f"resolves to {real}, outside the project folder; leaflets reads and writes only "
            "files inside it: replace the link with the file or folder itself",
            path,
        )
    return real


MiB = 1 << 20
SIZE_LIMITS = {
    # The largest file of each kind leaflets reads, generous for what the kind holds: this
    # project's leaflets.toml is 6 kB, a catalog 18 kB, a leaflet's PDF 300 kB. A file over its
    # bound is refused before it is read, so that /dev/zero or a 37 MB catalog cannot exhaust
    # memory or stall a build.
    "configuration": 1 * MiB,  # leaflets.toml, contacts.toml
    "order": 1 * MiB,
    "review": 4 * MiB,  # locales/<lang>/review.toml
    "glossary": 1 * MiB,
    "catalog": 2 * MiB,  # .po, .pot and .mo: about 10,000 messages, checked in seconds
    "template": 1 * MiB,
    "stylesheet": 4 * MiB,
    "image": 32 * MiB,
    "font": 64 * MiB,
    "PDF": 256 * MiB,
    "record": 64 * MiB,  # what leaflets wrote itself: out/.leaflets-cache.json, a lock
}


def read_project_file(path: Path, kind: str) -> bytes:
    """The bytes of a regular file of one of the kinds in SIZE_LIMITS, or a FileRefused that
    says what is wrong with it: a FIFO, a device or a folder (refused without waiting: opening
    a FIFO for reading would block until something writes to it), or a file over the bound.

    A missing or unreadable file is an OSError, which each reader turns into its own advice."""
    limit = SIZE_LIMITS[kind]
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise FileRefused(
                f"not a regular file but {file_kind(mode)}; leaflets reads a {kind} only from "
                "a regular file",
                path,
            )
        chunks, size = [], 0
        while size <= limit and (chunk := os.read(fd, 1 << 20)):
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise FileRefused(
                f"larger than the {limit // MiB} MB leaflets reads in a {kind} file; "
                "is it the right file?",
                path,
            )
        return b"".join(chunks)
    finally:
        os.close(fd)


def file_kind(mode: int) -> str:
    """ "a folder", "a FIFO (named pipe)", ...: what a file that is not a regular file is."""
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
    ):
        if test(mode):
            return name
    return "a special file"


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` that holds leaflets.toml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ProjectNotFound(
        f"no {CONFIG_NAME} here or in any parent folder; run leaflets inside a project folder "
        "or pass --project PATH",
        here,
    )
