"""The studio's order builds: one at a time, in the background, told on the events stream.

A build is `leaflets order orders/<name>.toml` in a process of its own, so it runs the command
line's own code (load_order(), then package.write_package() under the project's build lock),
WeasyPrint never shares a process with the studio's renders, and it goes on when the page that
started it is closed. Builds the studio starts queue here, one after another; one the command
line started meanwhile is waited for by the lock, and the wait is reported as progress.

Each build publishes "order" events: {"name", "state": "queued" | "building" | "ready" |
"failed", "message"}, one per line of progress the command prints.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .events import Broadcaster

log = logging.getLogger("leaflets.studio")
COMMAND = ("-c", "import cli; cli.main()")
"""The `leaflets` command, run by this interpreter (the console script may not be on PATH)."""
PROGRESS_KEPT = 50


@dataclass
class Build:
    name: str
    """The order file's name in orders/, without .toml."""
    allow_unreviewed: bool
    state: str = "queued"
    progress: list[str] = field(default_factory=list)
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"state": self.state, "progress": self.progress[-PROGRESS_KEPT:]}


class OrderBuilds:
    """The builds this studio started: the one running and those waiting, in order."""

    def __init__(self, root: Path, events: Broadcaster, failed: Callable[[str, str], None]):
        self.root, self.events = root, events
        self.failed = failed
        """Called with the order's name and why its build failed, to remember it."""
        self.active: dict[str, Build] = {}
        self._turn = asyncio.Lock()
        self._tasks: set[asyncio.Task] = set()

    def current(self, name: str) -> Build | None:
        """The build of this order that is queued or running, if any."""
        return self.active.get(name)

    def start(self, name: str, allow_unreviewed: bool) -> tuple[Build, str]:
        """Queue a build of orders/<name>.toml; the build and what to tell the person."""
        running = self.active.get(name)
        if running is not None:
            return running, f"{name} is {running.state} already"
        ahead = [b.name for b in self.active.values()]
        build = Build(name, allow_unreviewed)
        self.active[name] = build
        task = asyncio.get_running_loop().create_task(self._run(build))
        self._tasks.add(task)  # keep a reference: a task nobody holds may be collected
        task.add_done_callback(self._tasks.discard)
        if not ahead:
            build.state = "building"
            return build, "building"
        message = f"queued: waits for {', '.join(ahead)} to finish"
        self._publish(build, message)
        return build, message

    async def _run(self, build: Build) -> None:
        try:
            async with self._turn:
                build.state = "building"
                self._publish(build, "building")
                code, error = await self._command(build)
            build.state = "ready" if code == 0 else "failed"
            if code != 0:
                build.error = error or f"`leaflets order` stopped with status {code}"
                await asyncio.to_thread(self.failed, build.name, build.error)
            self._publish(build, build.error or "ready")
        except Exception as exc:  # keep serving; the page is told
            log.exception("the build of order %s failed", build.name)
            build.state, build.error = "failed", str(exc)
            self._publish(build, build.error)
        finally:
            del self.active[build.name]

    async def _command(self, build: Build) -> tuple[int, str | None]:
        """Run `leaflets order`; its exit status and its error, if any."""
        args = [sys.executable, *COMMAND, "--project", str(self.root), "order"]
        args.append(f"orders/{build.name}.toml")
        if build.allow_unreviewed:
            args.append("--allow-unreviewed")
        process = await asyncio.create_subprocess_exec(
            *args,
            cwd=self.root,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        assert process.stderr is not None
        error: list[str] = []
        try:
            async for raw in process.stderr:
                line = raw.decode("utf-8", "replace").rstrip()
                if line.startswith("error: ") or error:
                    error.append(line.removeprefix("error: "))
                elif line:
                    build.progress.append(line)
                    self._publish(build, line)
            return await process.wait(), "\n".join(error) or None
        except asyncio.CancelledError:
            # The studio is stopping: so does its build (the package in place stays as it was).
            process.kill()
            await process.wait()
            raise

    def _publish(self, build: Build, message: str) -> None:
        self.events.publish("order", {"name": build.name, "state": build.state, "message": message})
