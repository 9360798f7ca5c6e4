"""Live: one worker thread that does all of the studio's work, a loop that renders what is
stale, and the events that tell the pages.

WeasyPrint and the catalogs are used from one thread only: every request hands its work to the
worker (`Live.run`), so the state in state.py needs no locks and a render never races a save.
Page images are drawn from a finished rendering's PDF on a second thread (`Live.draw`), which
alone uses pdfium. The event loop stays free to serve images and stream events meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from .events import Broadcaster
from .state import OutputState, Studio
from .watch import watch

T = TypeVar("T")
log = logging.getLogger("leaflets.studio")
WAIT_FOR_RENDER_S = 60.0


class Live:
    def __init__(self, studio: Studio, *, watch_files: bool = True):
        self.studio = studio
        self.watch_files = watch_files
        self.events = Broadcaster()
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="leaflets-studio")
        # Page images are drawn on a thread of their own (pdfium, used from it alone), so that
        # an image is not kept waiting behind the worker's next job (finding its boxes, say).
        self._drawing = ThreadPoolExecutor(1, thread_name_prefix="leaflets-studio-draw")
        self._work: asyncio.Event | None = None
        self._rendered: asyncio.Condition | None = None
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """Run `function` on the worker thread, after whatever it is doing."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)

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
            self._executor.shutdown(wait=True, cancel_futures=True)
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
        while (state := await self.run(self.studio.next_dirty)) is not None:
            lang, leaflet = state.key
            self.events.publish("rendering", {"lang": lang, "leaflet": leaflet})
            await self.run(self.studio.render, state)
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
            # The page images are ready and announced; their messages' boxes come next.
            await self.run(self.studio.find_boxes, state)
        # Outputs that the changed files left as they were are current too.
        async with self._rendered:
            self._rendered.notify_all()
