"""Who may use the studio: the person who has the URL that `leaflets serve` printed.

As Jupyter does: the URL carries a token made for this run. Opening it sets a cookie and puts
the token in the page, which sends it back as the `X-Leaflets-Token` header.

- Every request must name this server in its Host header, so a web page cannot reach the
  studio through a name that resolves to 127.0.0.1 (DNS rebinding).
- Every request but the page's own scripts and styles needs the token (the header, or the
  cookie for reads and images). Scripts can send the header.
- Every write needs the header itself (a cookie is sent cross-site; a header is not), and an
  Origin, when the browser sends one, that is this server's. Others get 403.
"""

from __future__ import annotations

import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

from starlette.responses import JSONResponse, PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOKEN_HEADER = "x-leaflets-token"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
OPEN_PATHS = ("/static/", "/favicon.ico")
SAFE_METHODS = frozenset({"GET", "HEAD"})
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
        b"form-action 'none'",
    ),
]


def new_token() -> str:
    return secrets.token_urlsafe(24)


def cookie_name(port: int | None) -> str:
    # Cookies ignore the port: one name per port keeps two studios on one host apart.
    return f"leaflets-token-{port}" if port else "leaflets-token"


def hostname(netloc: str) -> str:
    """ "127.0.0.1:8000" → "127.0.0.1"; "[::1]:8000" → "::1"."""
    return (urlsplit("//" + netloc).hostname or "").lower()


class Guard:
    """ASGI middleware that applies the rules in the module's docstring to every request."""

    def __init__(self, app: ASGIApp, token: str, hosts: frozenset[str] | None, cookie: str):
        self.app = app
        self.token = token
        self.hosts = hosts
        """Host names this server answers to; None when it listens on every interface."""
        self.cookie = cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self.refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)

    def refusal(self, scope: Scope):
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if not self.allowed_host(hostname(host)):
            return PlainTextResponse(f"403: this studio does not answer to {host!r}", 403)
        path, method = scope["path"], scope["method"]
        if path.startswith(OPEN_PATHS):
            return None
        given = headers.get(TOKEN_HEADER)
        if method not in SAFE_METHODS:
            return self._write_refusal(headers, given, host)
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        cookie = SimpleCookie(headers.get("cookie", ""))
        for candidate in (given, query.get("token", [None])[0], _morsel(cookie, self.cookie)):
            if candidate and self.valid(candidate):
                return None
        if path == "/":
            return PlainTextResponse(
                "403: open the address that `leaflets serve` printed; it ends in ?token=…", 403
            )
        return JSONResponse({"error": "needs the token of the URL `leaflets serve` printed"}, 403)

    def _write_refusal(self, headers: dict[str, str], given: str | None, host: str):
        if not given or not self.valid(given):
            return JSONResponse(
                {"error": "a write needs the X-Leaflets-Token header with this run's token"}, 403
            )
        origin = headers.get("origin")
        if origin is not None:
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or parts.netloc.lower() != host.lower():
                return JSONResponse({"error": f"refused a write from {origin!r}"}, 403)
        if headers.get("sec-fetch-site") not in (None, "same-origin", "none"):
            return JSONResponse({"error": "refused a cross-site write"}, 403)
        return None

    def valid(self, candidate: str) -> bool:
        return secrets.compare_digest(candidate.encode(), self.token.encode())

    def allowed_host(self, name: str) -> bool:
        return self.hosts is None or name in self.hosts or name in LOOPBACK


def _morsel(cookie: SimpleCookie, name: str) -> str | None:
    morsel = cookie.get(name)
    return morsel.value if morsel else None
