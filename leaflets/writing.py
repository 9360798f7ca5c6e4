"""Writing files so that a reader never sees a half-written one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename it into place."""
    _write_then_rename(path, data, lambda: True)


def _write_then_rename(path: Path, data: bytes, still_wanted) -> bool:
    """Write `data` to a temporary file beside `path`, then rename it over `path` if
    `still_wanted()` says so when the data is safely on disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fileobj:
            fileobj.write(data)
            fileobj.flush()
            os.fsync(fileobj.fileno())
        os.chmod(tmp, 0o644)
        if not still_wanted():
            Path(tmp).unlink(missing_ok=True)
            return False
        os.replace(tmp, path)
        return True
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete temporary files that a killed write_atomic left in `folder`.

    Call it only while holding the build lock: another build's temporaries are live.
    """
    removed = []
    if folder.is_dir():
        for tmp in folder.glob(".*.tmp"):
            if tmp.is_file():
                tmp.unlink(missing_ok=True)
                removed.append(tmp)
    return removed


def replace_if_unchanged(path: Path, expected: bytes | None, data: bytes) -> bool:
    """Write `data` atomically, unless the file no longer holds `expected` (None: no file).

    For read-modify-write of a file that other programs edit too (a catalog open in Poedit):
    the caller reads, changes, then calls this, and on False reads again and redoes its change.
    The new file is written and synced first and compared just before the rename, so a write
    by another program is lost only if it lands in the instant between that read and the rename.
    """

    def unchanged() -> bool:
        try:
            return path.read_bytes() == expected
        except FileNotFoundError:
            return expected is None

    return _write_then_rename(path, data, unchanged)
