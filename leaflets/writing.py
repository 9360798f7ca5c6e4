"""Writing files so that a reader never sees a half-written one."""

from __future__ import annotations

import ctypes
import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename it into place."""
    tmp = _synced_temporary(path, data)
    try:
        with named(path):
            os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_file(path: Path, data: bytes | str) -> None:
    """Write a new file (in a staging folder, say) where a half-written one is never read;
    an error names the file."""
    with named(path):
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)


@contextmanager
def named(path: Path) -> Iterator[None]:
    """An OSError inside names `path` if it names no file: a write that fails for a full disk
    (ENOSPC) or a size limit (EFBIG) says only "No space left on device" otherwise."""
    try:
        yield
    except OSError as exc:
        if exc.filename is not None or exc.errno is None:
            raise
        raise OSError(exc.errno, exc.strerror, str(path)) from exc


def _synced_temporary(path: Path, data: bytes) -> Path:
    """A temporary file beside `path` holding `data`, safely on disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with named(path), os.fdopen(fd, "wb") as fileobj:
            fileobj.write(data)
            fileobj.flush()
            os.fsync(fileobj.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


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

    Another program's save is never undone, even one that lands between the comparison and
    the rename: where the kernel can (Linux's renameat2), the new file is exchanged with the
    one in place in one step, so the file it displaced is still at hand, and if that is not
    `expected`, the other program's file is put back (compare_and_swap). Elsewhere the
    comparison is made just before the rename, which leaves only that instant open.
    """
    tmp = _synced_temporary(path, data)
    try:
        # Compared after the slow part (the fsync), so that a save that lands meanwhile is
        # seen here, and an exchange that must be undone is rare.
        if not _holds(path, expected):
            return False
        if expected is None:
            try:
                os.link(tmp, path)  # fails if a file appeared: never replaces one
            except FileExistsError:
                return False
            return True
        swapped = compare_and_swap(tmp, path, expected)
        if swapped is None:  # no exchange here: compare, then rename
            if not _holds(path, expected):
                return False
            os.replace(tmp, path)
            return True
        return swapped
    finally:
        tmp.unlink(missing_ok=True)


def compare_and_swap(new: Path, path: Path, expected: bytes) -> bool | None:
    """Exchange `new` with `path`; keep the exchange if the file it displaced held `expected`,
    else put the newest file another program wrote back at `path`. True if `new` is in place,
    False if not, None if the system cannot exchange two files."""
    held: list[int] = []  # files are told apart by inode, kept open so none is reused

    def hold(file: Path) -> int:
        fd = os.open(file, os.O_RDONLY)
        held.append(fd)
        return os.fstat(fd).st_ino

    try:
        expected_out = hold(new)  # ours
        try:
            if not exchange(new, path):
                return None
        except FileNotFoundError:  # deleted meanwhile: the caller reads again and says so
            return False
        if _holds(new, expected):  # `new` now names the file that was at `path`
            return True
        # Another program saved between our reading and the exchange: its file must win.
        # Swap back; if yet another save replaced the file we pushed in meanwhile, what comes
        # out is newer, and goes back in, until what comes out is the file we pushed in.
        for _ in range(100):
            pushed = hold(new)
            exchange(new, path)
            if hold(new) == expected_out:
                return False
            expected_out = pushed
        return False
    finally:
        for fd in held:
            os.close(fd)


def _holds(path: Path, expected: bytes | None) -> bool:
    try:
        return path.read_bytes() == expected
    except FileNotFoundError:
        return expected is None


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(first: Path, second: Path) -> bool:
    """Swap two files or folders in one step, where the kernel and file system can (Linux's
    renameat2 with RENAME_EXCHANGE); False otherwise."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # not supported here
    raise OSError(code, os.strerror(code), str(second))
