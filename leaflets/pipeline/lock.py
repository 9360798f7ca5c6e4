"""One build at a time per project: a lock file that a second build waits on.

The lock is an OS lock (flock), which the kernel drops when the process ends, so a build that is
killed never leaves a stale lock behind; the file itself may stay. On POSIX it is taken with
fcntl directly: importing filelock costs ~25 ms, a quarter of a build with nothing to do.
Elsewhere filelock takes it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..config.model import Project
from ..config.paths import inside
from ..errors import BuildLocked

if os.name == "posix":
    import fcntl
else:
    from filelock import FileLock, Timeout

LOCK_NAME = ".leaflets-build.lock"
DEFAULT_WAIT_S = 120.0
POLL_S = 0.05
"""How often a waiting build tries the lock again (filelock's default as well)."""


def lock_path(project: Project) -> Path:
    path = project.root / LOCK_NAME
    inside(project.root, path)
    return path


class _Timeout(Exception):
    pass


_held: set[int] = set()
"""Descriptors of the locks this process holds."""


def _close_inherited() -> None:
    # A forked build worker must not hold the lock: if the build is killed, workers left behind
    # would keep it, and every later build would wait. Closing the child's copy of the
    # descriptor leaves the parent's lock in place.
    for fd in _held:
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_inherited)


class _PosixLock:
    """An exclusive flock on the file, taken on a descriptor of its own."""

    def __init__(self, path: Path):
        self.path = path
        self.fd: int | None = None

    def acquire(self, timeout: float) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self.fd = fd
                _held.add(fd)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise _Timeout from None
                time.sleep(min(POLL_S, max(0.0, deadline - time.monotonic())))
            except BaseException:
                os.close(fd)
                raise

    def release(self) -> None:
        if self.fd is not None:
            _held.discard(self.fd)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


class _PortableLock:
    """filelock's FileLock, for systems without fcntl."""

    def __init__(self, path: Path):
        self.lock = FileLock(path)

    def acquire(self, timeout: float) -> None:
        try:
            self.lock.acquire(timeout=timeout)
        except Timeout:
            raise _Timeout from None

    def release(self) -> None:
        self.lock.release()


class Held(Exception):
    """Another process holds the lock."""


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` for the block, or raise Held at once if another process
    has it (the studio: one per project)."""
    lock = _PosixLock(path) if os.name == "posix" else _PortableLock(path)
    try:
        lock.acquire(timeout=0)
    except _Timeout:
        raise Held(str(path)) from None
    try:
        yield
    finally:
        lock.release()


@contextmanager
def build_lock(
    project: Project,
    wait: float = DEFAULT_WAIT_S,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold the project's build lock; wait up to `wait` seconds for another build to finish."""
    path = lock_path(project)
    lock = _PosixLock(path) if os.name == "posix" else _PortableLock(path)
    try:
        lock.acquire(timeout=0)
    except _Timeout:
        if on_wait is not None:
            on_wait(
                f"another build is running in this project; waiting up to {wait:g} s for it "
                f"to finish ({path.name})"
            )
        try:
            lock.acquire(timeout=wait)
        except _Timeout:
            raise BuildLocked(
                f"another build is still running in this project after {wait:g} s; "
                "wait for it to finish, or run with a longer --wait",
                path,
            ) from None
    try:
        yield
    finally:
        lock.release()
