"""Who may use the studio, and as whom.

Each request is checked here before any route sees it:

- It must name this server in its Host header (the public URL's host, the --host, or a
  loopback name), so that a web page cannot reach the studio through a name that resolves to
  it (DNS rebinding). Starlette's TrustedHostMiddleware checks it; a refusal is a 403.
- It is signed in by its session cookie (sessions.py), or, while nobody is invited, by the
  token `leaflets serve` printed (the cookie the token URL sets, or the X-Leaflets-Token header
  of a script): then it is the person at the keyboard, a coordinator, as Jupyter's token is.
  The signed-in session goes into the scope for the routes (`session_of()`); an anonymous
  request sees the sign-in page and nothing else.
- A write needs the session's CSRF token in the X-Leaflets-Token header (a cookie is sent
  cross-site; a header is not), and an Origin, when the browser sends one, of this server.
- Every answer carries a strict Content-Security-Policy (no inline script), nosniff and
  frame-ancestors 'none'.

What a signed-in person may do, by role and language, the routes ask of their Person
(people.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import HTTPConnection
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import people, sessions
from .people import Person, same_hash
from .sessions import Session
from .store import Store

TOKEN_HEADER = "x-leaflets-token"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
OPEN_PATHS = ("/static/", "/favicon.ico", "/join")
SIGN_IN_PATH = "/api/signin"
SAFE_METHODS = frozenset({"GET", "HEAD"})
PAGE_PATHS = frozenset({"/", "/orders", "/orders/new"})
"""The pages a person opens by their address: signed out, each shows the sign-in page."""
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'self'; script-src 'self'; img-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'",
}
SCOPE_KEY = "leaflets.session"


def new_token() -> str:
    return people.new_secret()


def cookie_name(port: int | None) -> str:
    # Cookies ignore the port: one name per port keeps two studios on one host apart.
    return f"leaflets-session-{port}" if port else "leaflets-session"


def host_patterns(hosts: frozenset[str] | None) -> list[str]:
    """The host names as a Host header writes them (an IPv6 address in brackets), for
    TrustedHostMiddleware; ["*"] for any."""
    if hosts is None:
        return ["*"]
    return sorted(f"[{name}]" if ":" in name else name for name in hosts | LOOPBACK)


@dataclass(frozen=True)
class Gate:
    """What the access check needs to know about this run of the studio."""

    store: Store
    run_token: str
    """The token `leaflets serve` printed: signs in the person at the keyboard while nobody
    is invited."""
    keyboard: str = "coordinator"
    """The name the person at the keyboard approves with."""
    cookie: str = "leaflets-session"
    secure: bool = False
    """Whether cookies are Secure: the public URL is https."""
    public_origin: str | None = None
    insecure_warning: bool = False

    def local(self) -> bool:
        return not people.anyone_invited(self.store)

    def session(self, connection: HTTPConnection) -> Session | None:
        """The signed-in session of a request, or None."""
        cookie = connection.cookies.get(self.cookie)
        header = connection.headers.get(TOKEN_HEADER)
        if self._is_run_token(cookie) or self._is_run_token(header):
            if self.local():
                return Session(Person(self.keyboard, "coordinator"), self.run_token, None)
            return None
        if cookie:
            return sessions.find(self.store, cookie)
        return None

    def _is_run_token(self, candidate: str | None) -> bool:
        return bool(candidate) and same_hash(
            people.secret_hash(candidate), people.secret_hash(self.run_token)
        )

    def set_cookie(self, response: Response, value: str) -> None:
        response.set_cookie(
            self.cookie,
            value,
            max_age=sessions.SESSION_S,
            httponly=True,
            samesite="lax",
            secure=self.secure,
        )


def session_of(connection: HTTPConnection) -> Session:
    """The session the access check found for this request (routes run only with one)."""
    return connection.scope[SCOPE_KEY]


class AccessCheck:
    """ASGI middleware that applies the rules in the module's docstring to every request."""

    def __init__(
        self,
        app: ASGIApp,
        gate: Gate,
        hosts: frozenset[str] | None,
        sign_in_page: bytes | Callable[[HTTPConnection], bytes],
    ):
        self.app = app
        self.gate = gate
        self.hosts = host_patterns(hosts)
        """Host names this server answers to: the loopback ones, the --host and the public
        URL's, or any."""
        self.sign_in_page = sign_in_page
        """The page, or what gives it in the request's language (interface.py)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host_allowed = False

        async def allowed(scope: Scope, receive: Receive, _: Send) -> None:
            nonlocal host_allowed
            host_allowed = True
            await self._checked(scope, receive, send)

        async def dropped(message: Message) -> None:
            pass  # TrustedHostMiddleware's own answer (400); the studio's follows

        check = TrustedHostMiddleware(allowed, allowed_hosts=self.hosts, www_redirect=False)
        await check(scope, receive, dropped)
        if not host_allowed:
            host = HTTPConnection(scope).headers.get("host", "")
            refusal = PlainTextResponse(f"403: this studio does not answer to {host!r}", 403)
            await refusal(scope, receive, self._with_headers(send))

    async def _checked(self, scope: Scope, receive: Receive, send: Send) -> None:
        connection = HTTPConnection(scope)
        refusal = self.refusal(connection)
        send = self._with_headers(send)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _with_headers(self, send: Send) -> Send:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(SECURITY_HEADERS)
            await send(message)

        return with_headers

    def refusal(self, connection: HTTPConnection) -> Response | None:
        """The answer to a request that may not go on; None to let it through (with its
        session in the scope)."""
        path, method = connection.scope["path"], connection.scope["method"]
        if path.startswith(OPEN_PATHS):
            return None
        if method not in SAFE_METHODS:
            wrong = self._foreign(connection)
            if wrong is not None:
                return wrong
            if path == SIGN_IN_PATH:
                return None
        if path == "/" and "token" in connection.query_params:
            return self._token_url(connection)
        session = self.gate.session(connection)
        if session is None:
            if path in PAGE_PATHS:
                page = self.sign_in_page
                page = page(connection) if callable(page) else page
                return HTMLResponse(page, 401, headers={"Cache-Control": "no-store"})
            return JSONResponse({"error": "sign in first: open your invitation link"}, 401)
        if method not in SAFE_METHODS:
            given = connection.headers.get(TOKEN_HEADER) or ""
            if not same_hash(people.secret_hash(given), people.secret_hash(session.csrf)):
                return JSONResponse(
                    {
                        "error": "a write needs the X-Leaflets-Token header: the csrf of "
                        "GET /api/session"
                    },
                    403,
                )
        connection.scope[SCOPE_KEY] = session
        return None

    def _token_url(self, connection: HTTPConnection) -> Response | None:
        """The URL `leaflets serve` printed: its token becomes the cookie, and leaves the
        address bar (and the history), as Jupyter does."""
        token = connection.query_params["token"]
        if not self.gate._is_run_token(token) or not self.gate.local():
            return PlainTextResponse(
                "403: this address no longer signs anyone in; open your invitation link", 403
            )
        response = Response(status_code=303, headers={"location": "/"})
        self.gate.set_cookie(response, token)
        return response

    def _foreign(self, connection: HTTPConnection) -> Response | None:
        """A refusal for a write from another site; None for one from this server."""
        headers = connection.headers
        origin = headers.get("origin")
        if origin is not None:
            parts = urlsplit(origin)
            host = headers.get("host", "")
            same = parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()
            public = self.gate.public_origin
            if public and urlsplit(public).netloc == host.lower():
                # Through the proxy: the scheme counts too (an http page is not the studio).
                same = origin.lower().rstrip("/") == public
            if not same:
                return JSONResponse({"error": f"refused a write from {origin!r}"}, 403)
        if headers.get("sec-fetch-site") not in (None, "same-origin", "none"):
            return JSONResponse({"error": "refused a cross-site write"}, 403)
        return None
