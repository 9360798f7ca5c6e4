"""Server-sent events: the page learns that a leaflet is rendering, was rendered, or that a
catalog changed, and fetches what it shows again.

Server-sent events need nothing but a streamed response (a WebSocket would add a dependency to
uvicorn), and the browser's EventSource reconnects by itself.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

KEEP_ALIVE_S = 15.0
CHECK_S = 1.0
"""How often a stream asks whether its session is still open (a revoked person's ends)."""
QUEUE_SIZE = 256


class Broadcaster:
    """Fans each event out to every connected page."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[tuple[str, dict[str, Any]] | None]] = set()
        self.closed = False

    def publish(self, event: str, data: dict[str, Any]) -> None:
        for queue in list(self._queues):
            try:
                queue.put_nowait((event, data))
            except asyncio.QueueFull:
                pass  # a page that reads nothing misses updates; it fetches on the next one

    def close(self) -> None:
        """End every stream, so that the server can stop at once."""
        self.closed = True
        for queue in list(self._queues):
            try:
                queue.put_nowait(None)
            except asyncio.QueueFull:
                pass

    async def stream(self, still_allowed: Callable[[], bool] | None = None) -> AsyncIterator[str]:
        queue: asyncio.Queue[tuple[str, dict[str, Any]] | None] = asyncio.Queue(QUEUE_SIZE)
        self._queues.add(queue)
        loop = asyncio.get_running_loop()
        try:
            yield "retry: 1000\n\n" + format_event("hello", {})
            quiet_since = loop.time()
            while not self.closed:
                wait = CHECK_S if still_allowed else KEEP_ALIVE_S
                try:
                    item = await asyncio.wait_for(queue.get(), wait)
                except TimeoutError:
                    if still_allowed is not None and not still_allowed():
                        yield format_event("signed-out", {})
                        return
                    if loop.time() - quiet_since >= KEEP_ALIVE_S:
                        quiet_since = loop.time()
                        yield ": keep-alive\n\n"
                    continue
                if item is None:
                    return
                if still_allowed is not None and not still_allowed():
                    yield format_event("signed-out", {})
                    return
                yield format_event(*item)
        finally:
            self._queues.discard(queue)


def format_event(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
