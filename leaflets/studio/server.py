"""`leaflets serve`: one studio per project, on a socket of its own, until Ctrl-C.

The socket is bound here rather than by uvicorn, so that a port in use is one clear error
before anything starts, and `--port 0` can print the port the system chose. A lock file in the
project (flock, dropped by the kernel when the process ends) keeps a second studio from
starting, and holds the first one's address so that the second can say where it is.
"""

from __future__ import annotations

import errno
import getpass
import ipaddress
import json
import logging
import os
import signal
import socket
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import uvicorn

from ..config.model import Project
from ..config.paths import inside
from ..errors import LeafletsError
from ..pipeline.lock import Held, file_lock
from .access import LOOPBACK, Gate, cookie_name, new_token
from .app import create_app
from .people import anyone_invited
from .state import Studio
from .store import Store

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
LOCK_NAME = ".leaflets-studio.lock"
EVERY_INTERFACE = ("0.0.0.0", "::", "")
SHUTDOWN_S = 2


class StudioRunning(LeafletsError):
    """Another studio serves this project."""


class CannotListen(LeafletsError):
    """The port is taken, or the host is not this machine's."""


class UnsafeServing(LeafletsError):
    """Other computers would reach the studio over plain HTTP, or at an address it cannot use."""


@dataclass(frozen=True)
class Serving:
    """How the studio is reached: `leaflets serve`'s options beyond host and port."""

    public_url: str | None = None
    """The address people open, behind a proxy that speaks HTTPS: https://studio.example.org/"""
    forwarded_allow_ips: str | None = None
    """The proxies whose X-Forwarded-* headers are trusted (uvicorn's option); None: none."""
    insecure_http: bool = False
    state: Path | None = None

    def checked(self, host: str) -> Serving:
        """UnsafeServing unless others reach the studio over HTTPS or were warned."""
        if self.public_url is not None:
            parts = urlsplit(self.public_url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise UnsafeServing(
                    f"--public-url {self.public_url!r} is not an address; give one such as "
                    "https://studio.example.org/"
                )
            if parts.path not in ("", "/") or parts.query or parts.fragment:
                raise UnsafeServing(
                    f"--public-url {self.public_url!r}: the studio is served at the root of "
                    "its own address; leave out the path"
                )
        if is_loopback(host) or self.https or self.insecure_http:
            return self
        raise UnsafeServing(
            f"--host {host or '0.0.0.0'} lets other computers in, and they would reach the "
            "studio over plain HTTP, where anyone on the way can read the sign-in cookies; "
            'put it behind an HTTPS proxy and give --public-url https://…/ (README: "Running '
            'the studio for a team"), or accept the risk with --insecure-http'
        )

    @property
    def https(self) -> bool:
        return bool(self.public_url) and self.public_url.lower().startswith("https://")

    @property
    def origin(self) -> str | None:
        if not self.public_url:
            return None
        parts = urlsplit(self.public_url.lower())
        return f"{parts.scheme}://{parts.netloc}"


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port; CannotListen says why not, in one line."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise CannotListen(
                f"port {port} is already in use on {host}; stop the program that uses it, "
                f"or choose another port: leaflets serve --port {port + 1}"
            ) from None
        raise CannotListen(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); check --host"
        ) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


class StudioServer(uvicorn.Server):
    """uvicorn's server, which first ends the event streams when asked to stop, so that
    Ctrl-C does not wait for the open pages to let go."""

    def __init__(self, config: uvicorn.Config, on_exit: Callable[[], None]):
        super().__init__(config)
        self.on_exit = on_exit

    def handle_exit(self, sig, frame) -> None:
        self.on_exit()
        super().handle_exit(sig, frame)


def serve(
    project: Project,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    open_browser: bool = True,
    say: Callable[[str], None] = print,
    serving: Serving = Serving(),
) -> None:
    """Serve the studio for `project` until Ctrl-C; see the module's docstring."""
    serving = serving.checked(host)
    lock = project.root / LOCK_NAME
    inside(project.root, lock)
    try:
        with file_lock(lock):
            _serve_locked(project, lock, host, port, open_browser, say, serving)
    except Held:
        raise StudioRunning(
            f"a studio is already running for this project{_where(lock)}; use that one, or "
            "stop it (Ctrl-C in its terminal) first"
        ) from None
    except KeyboardInterrupt:
        pass  # uvicorn has shut down; the second Ctrl-C of an impatient user lands here
    say("studio stopped")


def _serve_locked(project, lock, host, port, open_browser, say, serving: Serving) -> None:
    store = Store.of_project(project.root, serving.state).create()
    sock = bind(host, port)
    port = sock.getsockname()[1]
    token = new_token()
    shown = DEFAULT_HOST if host in EVERY_INTERFACE else host
    base = serving.public_url or f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}/"
    base = base if base.endswith("/") else base + "/"
    if serving.public_url:
        store.set_setting("public_url", base)  # invitations start with it
    lock.write_text(json.dumps({"pid": os.getpid(), "url": base}) + "\n", encoding="utf-8")
    logging.basicConfig(format="%(levelname)s: %(name)s: %(message)s")
    studio = Studio(project.root)
    app = create_app(studio, _gate(store, token, port, host, serving), hosts=_hosts(host, serving))
    live = app.state.live
    live.prepare()  # the default view renders while the server starts
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=SHUTDOWN_S,
        proxy_headers=serving.forwarded_allow_ips is not None,
        forwarded_allow_ips=serving.forwarded_allow_ips or "",
    )
    server = StudioServer(config, on_exit=live.close_soon)
    previous = _stop_on_signals(server)
    try:
        local = not anyone_invited(store)
        url = f"{base}?token={token}" if local else base
        say(f"Serving on {url}")
        if not local:
            say("Sign in with an invitation link: leaflets people invite NAME --role ROLE")
        if not is_loopback(host) and not serving.https:
            say(
                f"warning: listening on {host or 'every interface'} over plain HTTP "
                "(--insecure-http): anyone on the network can read what is sent, sign-in "
                "cookies included"
            )
        say("Press Ctrl-C to stop.")
        if open_browser and local:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        server.run(sockets=[sock])
    finally:
        sock.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop_on_signals(server: StudioServer) -> dict[int, Any]:
    """Make Ctrl-C (and SIGTERM) the server's from the first line printed on; the handlers
    they had before, to put back. uvicorn installs the same handler only once its loop runs:
    a SIGINT before that would land in asyncio's own handler, which cancels a task that the
    app's startup absorbs, and the studio would go on serving."""
    if threading.current_thread() is not threading.main_thread():
        return {}  # signals reach the main thread only; a studio run in a test thread
    return {sig: signal.signal(sig, server.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}


def _gate(store: Store, token: str, port: int, host: str, serving: Serving) -> Gate:
    try:
        keyboard = getpass.getuser()
    except (OSError, KeyError):  # no user name in this environment
        keyboard = "coordinator"
    return Gate(
        store,
        token,
        keyboard=keyboard,
        cookie=cookie_name(port),
        secure=serving.https,
        public_origin=serving.origin,
        insecure_warning=not is_loopback(host) and not serving.https,
    )


def _hosts(host: str, serving: Serving) -> frozenset[str] | None:
    """The host names the studio answers to besides loopback; None for any."""
    public = {urlsplit(serving.public_url).hostname.lower()} if serving.public_url else set()
    if host in EVERY_INTERFACE:
        return frozenset(public) if public else None
    return frozenset({host.lower(), *public})


def _where(lock: Path) -> str:
    try:
        info = json.loads(lock.read_text(encoding="utf-8"))
        return f" at {info['url']} (process {info['pid']})"
    except (OSError, ValueError, KeyError, TypeError):
        return ""
