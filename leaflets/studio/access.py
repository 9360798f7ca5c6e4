"""Who may use the studio: the person who has the URL that `leaflets serve` printed.

As Jupyter does: the URL carries a token made for this run. Opening it sets a cookie and puts
the token in the page, which sends it back as the `X-Leaflets-Token` header.

- Every request must name this server in its Host header, so a web page cannot reach the
  studio through a name that resolves to 127.0.0.1 (DNS rebinding). Starlette's
  TrustedHostMiddleware checks it; a refusal is a 403 that says why, as the others are.
- Every request but the page's own scripts and styles needs the token (the header, or the
  cookie for reads and images). Scripts can send the header.
- Every write needs the header itself (a cookie is sent cross-site; a header is not), and an
  Origin, when the browser sends one, that is this server's. Others get 403.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOKEN_HEADER = "x-leaflets-token"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
OPEN_PATHS = ("/static/", "/favicon.ico")
SAFE_METHODS = frozenset({"GET", "HEAD"})
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'self'; img-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'",
}


def new_token() -> str:
    return secrets.token_urlsafe(24)


def cookie_name(port: int | None) -> str:
    # Cookies ignore the port: one name per port keeps two studios on one host apart.
    return f"leaflets-token-{port}" if port else "leaflets-token"


def host_patterns(hosts: frozenset[str] | None) -> list[str]:
    """The host names as a Host header writes them (an IPv6 address in brackets), for
    TrustedHostMiddleware; ["*"] for any."""
    if hosts is None:
        return ["*"]
    return sorted(f"[{name}]" if ":" in name else name for name in hosts | LOOPBACK)


class AccessCheck:
    """ASGI middleware that applies the rules in the module's docstring to every request."""

    def __init__(self, app: ASGIApp, token: str, hosts: frozenset[str] | None, cookie: str):
        self.app = app
        self.token = token
        self.hosts = host_patterns(hosts)
        """Host names this server answers to: the loopback ones and the --host, or any."""
        self.cookie = cookie

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
            await refusal(scope, receive, send)

    async def _checked(self, scope: Scope, receive: Receive, send: Send) -> None:
        refusal = self.refusal(HTTPConnection(scope))
        if refusal is not None:
            await refusal(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(SECURITY_HEADERS)
            await send(message)

        await self.app(scope, receive, with_headers)

    def refusal(self, connection: HTTPConnection) -> Response | None:
        """The answer to a request without the token it needs; None to let it through."""
        path = connection.scope["path"]
        if path.startswith(OPEN_PATHS):
            return None
        given = connection.headers.get(TOKEN_HEADER)
        if connection.scope["method"] not in SAFE_METHODS:
            return self._write_refusal(connection, given)
        query, cookies = connection.query_params, connection.cookies
        for candidate in (given, query.get("token"), cookies.get(self.cookie)):
            if candidate and self.valid(candidate):
                return None
        if path == "/":
            return PlainTextResponse(
                "403: open the address that `leaflets serve` printed; it ends in ?token=…", 403
            )
        return JSONResponse({"error": "needs the token of the URL `leaflets serve` printed"}, 403)

    def _write_refusal(self, connection: HTTPConnection, given: str | None) -> Response | None:
        if not given or not self.valid(given):
            return JSONResponse(
                {"error": "a write needs the X-Leaflets-Token header with this run's token"}, 403
            )
        headers = connection.headers
        origin = headers.get("origin")
        if origin is not None:
            parts = urlsplit(origin)
            host = headers.get("host", "")
            if parts.scheme not in ("http", "https") or parts.netloc.lower() != host.lower():
                return JSONResponse({"error": f"refused a write from {origin!r}"}, 403)
        if headers.get("sec-fetch-site") not in (None, "same-origin", "none"):
            return JSONResponse({"error": "refused a cross-site write"}, 403)
        return None

    def valid(self, candidate: str) -> bool:
        return secrets.compare_digest(candidate.encode(), self.token.encode())
