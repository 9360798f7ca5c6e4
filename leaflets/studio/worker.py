"""Live: one worker thread that does all of the studio's work, a loop that renders what is
stale, and the events that tell the pages.

WeasyPrint and the catalogs are used from one thread only: every request hands its work to the
worker (`Live.run`), so the state in state.py needs no locks and a render never races a save.
Page images are drawn from a finished rendering's PDF on a second thread (`Live.draw`), which
alone uses pdfium. The event loop stays free to serve images and stream events meanwhile.

The worker takes jobs in turn, but a render goes ahead of the saves queued behind it: after
each render, the writes that queued meanwhile run (for BATCH_S, or as long as the render took,
at most), then the next render shows them all (issue 20, point 8). In a long burst of saves a
page is thus never more than one batch of writes and one render behind, and the burst is
rendered a few times, not once per save.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from ..i18n.checks import language_id
from .events import Broadcaster
from .state import OutputState, Studio
from .watch import watch

T = TypeVar("T")
log = logging.getLogger("leaflets.studio")
WAIT_FOR_RENDER_S = 60.0
WARM_UP_S = 3.0
BATCH_S = 0.3
"""How long the writes queued during a render may run before the next render goes ahead of the
rest (or as long as the render took, if longer: writes keep at least half of the worker on a
busy machine); with a render of about 0.2-0.3 s, a page is at most about 0.6 s behind a save."""


class Worker:
    """One thread that runs jobs in turn, urgent ones before the others (each kind in order)."""

    def __init__(self, name: str):
        self._jobs: list[tuple[int, int, Future, Callable[[], Any]]] = []
        self._order = itertools.count()
        self._ready = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def submit(self, function: Callable[[], T], *, urgent: bool = False) -> Future:
        future: Future = Future()
        with self._ready:
            if self._closed:
                raise RuntimeError("the studio's worker has stopped")
            heapq.heappush(self._jobs, (0 if urgent else 1, next(self._order), future, function))
            self._ready.notify()
            if not self._thread.is_alive():  # started with the first job, as an executor's
                self._thread.start()
        return future

    def shutdown(self) -> None:
        """Cancel the jobs not started; wait for the one running."""
        with self._ready:
            self._closed = True
            for _, _, future, _ in self._jobs:
                future.cancel()
            self._jobs.clear()
            self._ready.notify()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while True:
            with self._ready:
                self._ready.wait_for(lambda: self._jobs or self._closed)
                if not self._jobs:
                    return
                _, _, future, function = heapq.heappop(self._jobs)
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(function())
            except BaseException as exc:  # handed to the awaiting request, as an executor does
                future.set_exception(exc)


class Live:
    def __init__(self, studio: Studio, *, watch_files: bool = True):
        self.studio = studio
        self.watch_files = watch_files
        self.events = Broadcaster()
        self._worker = Worker("leaflets-studio")
        # Page images are drawn on a thread of their own (pdfium, used from it alone), so that
        # an image is not kept waiting behind the worker's next job (finding its boxes, say).
        self._drawing = ThreadPoolExecutor(1, thread_name_prefix="leaflets-studio-draw")
        self._work: asyncio.Event | None = None
        self._rendered: asyncio.Condition | None = None
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._warmed = threading.Event()

    async def run(self, function: Callable[..., T], *args: Any, urgent: bool = False) -> T:
        """Run `function` on the worker thread, after whatever it is doing and the jobs queued
        before it; an urgent one (a render) goes ahead of those that are not."""
        future = self._worker.submit(lambda: function(*args), urgent=urgent)
        return await asyncio.wrap_future(future)

    def prepare(self) -> None:
        """Start on the default view on the worker thread at once, while the server starts and
        before the browser asks for it (issue 21: the default view within 2 s): the rendering
        kept from the last run (state.py), or a new one."""
        shown = self.studio.default_views()[0]
        job = self._worker.submit(lambda: self.studio.prepare(*shown))
        job.add_done_callback(self._prepared)
        if not self.studio.kept(*shown) and not language_id.verdicts:
            # A new clone: nothing compiled or kept, so every review state needs the model.
            threading.Thread(
                target=language_id.preload, name="leaflets-langid", daemon=True
            ).start()

    def warm_up(self) -> None:
        """Load what the first edit needs and the default view may not have: WeasyPrint and the
        layout stages, and the language identifier's model. Once, when the first page image
        has been sent (or WARM_UP_S after the start), on a thread of its own, so that no
        request waits behind it in the worker's queue."""
        if not self._warmed.is_set():
            self._warmed.set()
            threading.Thread(target=_warm, name="leaflets-warm-up", daemon=True).start()

    def _prepared(self, job: Future) -> None:
        if not job.cancelled() and job.exception() is not None:
            log.error("rendering the default view failed", exc_info=job.exception())
        if self._loop is not None:  # pages that asked meanwhile wait for the render loop
            with contextlib.suppress(RuntimeError):  # the server stopped meanwhile
                self._loop.call_soon_threadsafe(self.wake)

    async def draw(self, function: Callable[..., T], *args: Any) -> T:
        """Run `function` on the drawing thread."""
        return await asyncio.get_running_loop().run_in_executor(self._drawing, function, *args)

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Any) -> AsyncIterator[None]:
        self._work, self._rendered, self._stop = (
            asyncio.Event(),
            asyncio.Condition(),
            asyncio.Event(),
        )
        self._loop = asyncio.get_running_loop()
        tasks = [asyncio.create_task(self._render_loop())]
        self.wake()  # anything prepare() rendered, or left dirty, is announced and waited on
        self._loop.call_later(WARM_UP_S, self.warm_up)  # a page that shows no image, say
        if self.watch_files:
            tasks.append(
                asyncio.create_task(watch(self.studio.root, self.files_changed, self._stop))
            )
        try:
            yield
        finally:
            self.close()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await asyncio.to_thread(self._worker.shutdown)
            self._drawing.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        """Stop streaming events and watching files: the server is shutting down."""
        self.events.close()
        if self._stop is not None:
            self._stop.set()

    def close_soon(self) -> None:
        """close(), from a signal handler: on the event loop, at its next turn."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self.close)

    def wake(self) -> None:
        if self._work is not None:
            self._work.set()

    async def files_changed(self, paths: set[Path]) -> None:
        """Files changed on disk: reload, then render."""
        await self.run(self.studio.refresh, paths)
        self.announce(paths)

    def announce(self, paths: set[Path], by: str | None = None) -> None:
        """Tell the pages which files changed, and who changed them in the studio (`by`), and
        render: the state is reloaded already (a save in the studio reloads it before it
        answers)."""
        root = self.studio.root
        shown = sorted(p.relative_to(root).as_posix() for p in paths if p.is_relative_to(root))
        self.events.publish("changed", {"paths": shown, "by": by})
        self.wake()

    async def current(self, state: OutputState) -> None:
        """Wait until the output is rendered from the files as they are now (or failed)."""
        self.wake()
        assert self._rendered is not None
        async with self._rendered:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._rendered.wait_for(lambda: self.studio.is_current(state)),
                    WAIT_FOR_RENDER_S,
                )

    async def _render_loop(self) -> None:
        assert self._work is not None and self._rendered is not None
        while True:
            await self._work.wait()
            self._work.clear()
            try:
                await self._render_stale()
            except Exception:  # keep serving: the next change tries again
                log.exception("the studio's render loop failed")

    async def _render_stale(self) -> None:
        assert self._rendered is not None
        while (state := await self.run(self.studio.next_dirty, urgent=True)) is not None:
            lang, leaflet = state.key
            self.events.publish("rendering", {"lang": lang, "leaflet": leaflet})
            began = time.perf_counter()
            await self.run(self.studio.render, state, urgent=True)
            took = time.perf_counter() - began
            self.events.publish(
                "rendered",
                {
                    "lang": lang,
                    "leaflet": leaflet,
                    "version": state.version,
                    "error": state.error["text"] if state.error else None,
                },
            )
            async with self._rendered:
                self._rendered.notify_all()
            # The page images are ready and announced; their messages' boxes come next, in
            # turn: after the writes that queued during the render, which the next render
            # shows. After the batch's time, the next render goes ahead of those still queued.
            boxes = asyncio.ensure_future(self.run(self.studio.find_boxes, state))
            boxes.add_done_callback(_log_failure)
            await asyncio.wait([boxes], timeout=max(BATCH_S, took))
        # Outputs that the changed files left as they were are current too.
        async with self._rendered:
            self._rendered.notify_all()


def _warm() -> None:
    # The layout stages (WeasyPrint: about half a second of CPU), imported off the worker.
    from . import workshop  # noqa: F401

    language_id.preload()


def _log_failure(task: asyncio.Future) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("the studio's worker failed", exc_info=task.exception())
