"""One build at a time per project: a lock file that a second build waits on.

The lock is an OS lock (flock), which the kernel drops when the process ends, so a build that is
killed never leaves a stale lock behind; the file itself may stay. The studio holds one of its
own the same way (`file_lock`), so that a project has one studio.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ..config.paths import inside
from ..errors import BuildLocked

if TYPE_CHECKING:  # the no-op fast path (noop.py) takes the lock before any model loads
    from ..config.model import Project

LOCK_NAME = ".leaflets-build.lock"
DEFAULT_WAIT_S = 120.0
POLL_S = 0.05
"""How often a waiting build tries the lock again."""


def lock_path(project: Project) -> Path:
    path = project.root / LOCK_NAME
    inside(project.root, path)
    return path


class Held(Exception):
    """Another process holds the lock."""


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


os.register_at_fork(after_in_child=_close_inherited)


def _acquire(path: Path, timeout: float) -> int:
    """An exclusive flock on `path`, taken on a descriptor of its own, which is returned; Held
    if another process keeps it for `timeout` seconds."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            _held.add(fd)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise Held(str(path)) from None
            time.sleep(min(POLL_S, max(0.0, deadline - time.monotonic())))
        except BaseException:
            os.close(fd)
            raise


def _release(fd: int) -> None:
    _held.discard(fd)
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` for the block, or raise Held at once if another process
    has it (the studio: one per project)."""
    fd = _acquire(path, timeout=0)
    try:
        yield
    finally:
        _release(fd)


@contextmanager
def build_lock(
    project: Project,
    wait: float = DEFAULT_WAIT_S,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold the project's build lock; wait up to `wait` seconds for another build to finish."""
    path = lock_path(project)
    try:
        fd = _acquire(path, timeout=0)
    except Held:
        if on_wait is not None:
            on_wait(
                f"another build is running in this project; waiting up to {wait:g} s for it "
                f"to finish ({path.name})"
            )
        try:
            fd = _acquire(path, timeout=wait)
        except Held:
            raise BuildLocked(
                f"another build is still running in this project after {wait:g} s; "
                "wait for it to finish, or run with a longer --wait",
                path,
            ) from None
    try:
        yield
    finally:
        _release(fd)
