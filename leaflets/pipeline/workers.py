"""Workers: the stale outputs of a build, rendered in this process or in a pool of forked ones,
handed back one by one as each is written.

Importing this module imports every rendering stage (builder.py: Jinja2, Babel, WeasyPrint,
pikepdf); build.py imports it only when a build has something to render. The pool's workers
are forked after that, so that no worker pays for the imports again, and each keeps one Builder
(fonts, parsed stylesheets) for all its outputs. A worker dies with the build that forked it.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

from ..config.model import Project
from ..errors import LeafletsError
from .builder import Builder
from .output import Output, OutputResult

# Laying out a leaflet allocates a great many objects and few cycles: collecting the youngest
# generation every 50,000 allocations instead of every 700 saves ~5 % of a build's CPU time.
GC_THRESHOLD = (50_000, 20, 20)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def results(
    project: Project,
    outputs: list[Output],
    jobs: int,
    fit_mode: str | None = None,
    hints: Mapping[Output, float] | None = None,
) -> Iterator[OutputResult]:
    """Build the outputs, `jobs` at a time, and yield each one's result as it is written (in
    the order they finish). `hints` are the body sizes their searches start from (the last
    build's). The first error stops the build."""
    hints = hints or {}
    if jobs <= 1:
        with _fewer_collections():
            builder = Builder(project, fit_mode)
            for output in outputs:
                yield builder.timed(output, hints.get(output))
        return
    yield from _in_workers(project, outputs, jobs, fit_mode, hints)


def _in_workers(
    project: Project,
    outputs: list[Output],
    jobs: int,
    fit_mode: str | None,
    hints: Mapping[Output, float],
) -> Iterator[OutputResult]:
    global _build_pid
    _build_pid = os.getpid()
    context = multiprocessing.get_context("fork")
    # Frozen objects are left alone by the collector, so the workers do not copy the pages of
    # everything imported above just to scan it.
    gc.freeze()
    pool = ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_init_worker, initargs=(project, fit_mode)
    )
    try:
        # Submitted in order, longest first; each worker takes the next as it finishes one.
        pending = {pool.submit(_work, output, hints.get(output)) for output in outputs}
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                result, error = future.result()
                if error is not None:
                    raise error
                yield result
    except BrokenProcessPool:
        raise LeafletsError(
            "a build worker stopped without a word (out of memory, or a crash in a library); "
            "run `leaflets build --jobs 1` to see where"
        ) from None
    finally:
        # On an error, outputs not started yet are dropped; those under way finish first.
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


_worker_builder: Builder | None = None


def _init_worker(project: Project, fit_mode: str | None) -> None:
    """Runs once in each worker: one Builder, so one FontConfiguration and one set of parsed
    stylesheets, for every output the worker renders."""
    global _worker_builder
    _die_with_parent()
    gc.set_threshold(*GC_THRESHOLD)  # for the worker's whole life: it only builds
    _worker_builder = Builder(project, fit_mode)


def _die_with_parent() -> None:
    """Linux: a worker gets SIGTERM when the build that forked it dies (killed, say), instead of
    waiting forever for work that will not come."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != _build_pid:  # the parent died before prctl took effect
        os._exit(1)


PR_SET_PDEATHSIG = 1
_build_pid = os.getpid()
"""The process that forks the workers (set again in _in_workers, in case this module came
first)."""


def _work(output: Output, hint: float | None) -> tuple[OutputResult | None, LeafletsError | None]:
    assert _worker_builder is not None
    try:
        return _worker_builder.timed(output, hint), None
    except LeafletsError as exc:
        # Returned, not raised: the parent re-raises it whole (LeafletsError pickles its state).
        return None, exc
