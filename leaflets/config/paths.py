"""Paths in the project: every file leaflets reads or writes there stays inside it.

`inside()` is the one check of that rule, used wherever a project file is opened, listed
or written: a link is fine while it stays inside the project (a `templates/` folder linked to
`src/templates/`, say), and an error once following it leaves the project (`locales/es` linked
to another folder, a `.po` linked to /etc/passwd). This module imports next to nothing: every
stage uses it, and the records of the configuration validate their paths with it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..errors import OutsideProject


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


def read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file. A FIFO, a device or a folder is an OSError, raised without
    waiting: opening a FIFO for reading would block until something writes to it."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        kind = os.fstat(fd).st_mode
        if not stat.S_ISREG(kind):
            raise OSError(errno.EINVAL, f"not a regular file but {file_kind(kind)}", str(path))
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
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
