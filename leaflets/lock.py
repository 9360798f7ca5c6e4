"""One build at a time per project: a lock file that a second build waits on.

filelock takes an OS lock (flock on Linux), which the kernel drops when the process ends, so a
build that is killed never leaves a stale lock behind; the file itself may stay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from .errors import BuildLocked
from .project import Project

LOCK_NAME = ".leaflets-build.lock"
DEFAULT_WAIT_S = 120.0


def lock_path(project: Project) -> Path:
    return project.root / LOCK_NAME


@contextmanager
def build_lock(
    project: Project,
    wait: float = DEFAULT_WAIT_S,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold the project's build lock; wait up to `wait` seconds for another build to finish."""
    path = lock_path(project)
    lock = FileLock(path)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait is not None:
            on_wait(
                f"another build is running in this project; waiting up to {wait:g} s for it "
                f"to finish ({path.name})"
            )
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise BuildLocked(
                f"another build is still running in this project after {wait:g} s; "
                "wait for it to finish, or run with a longer --wait",
                path,
            ) from None
    try:
        yield
    finally:
        lock.release()
