"""The studio's routes for a team: who is signed in, signing in and out, a string's history,
and (for a coordinator) the people and their invitations.

    GET  /api/session                   {"name", "role", "languages", "csrf"} of the signed-in person
    POST /api/signin                    {"invitation": "…"}: the link's token for a session cookie
    POST /api/signout                   ends this session
    GET  /api/history/{lang}?id=…       a message's changes (&context=… for one with a msgctxt)
    GET  /api/people                    everyone invited (coordinator)
    POST /api/invitations               a new invitation link (coordinator)
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import history, people, sessions
from .access import Gate, session_of
from .request_bodies import InvitationBody, Refused, SignInBody, read_body
from .state import Studio
from .worker import Live

NO_STORE = {"Cache-Control": "no-store"}
INSECURE = (
    b'<p class="insecure" role="alert">This studio is served over plain HTTP: anyone on the '
    b"network between you and it can read and change what you send. Ask whoever runs it to "
    b"serve it over HTTPS.</p>"
)


def insecure_banner(data: bytes) -> bytes:
    """An HTML page with the plain-HTTP warning at the top of its body (other files as they
    are): `leaflets serve --insecure-http` warns on every page."""
    return data.replace(b"<body>", b"<body>\n" + INSECURE, 1) if b"<body>" in data else data


class TeamHandlers:
    def __init__(self, studio: Studio, live: Live, gate: Gate):
        self.studio, self.live, self.gate = studio, live, gate

    def routes(self) -> list[Route]:
        return [
            Route("/api/session", self.session),
            Route("/api/signin", self.sign_in, methods=["POST"]),
            Route("/api/signout", self.sign_out, methods=["POST"]),
            Route("/api/history/{lang}", self.history),
            Route("/api/people", self.people),
            Route("/api/invitations", self.invite, methods=["POST"]),
        ]

    async def session(self, request: Request) -> Response:
        session = session_of(request)
        return JSONResponse(
            {
                **session.person.to_json(),
                "csrf": session.csrf,
                "local": session.token_hash is None,
                "insecure": self.gate.insecure_warning,
            },
            headers=NO_STORE,
        )

    async def sign_in(self, request: Request) -> Response:
        body = await read_body(request, SignInBody)
        address = request.client.host if request.client else "unknown"
        try:
            token, session = sessions.sign_in(self.gate.store, body.invitation, address)
        except sessions.SignInRefused as exc:
            raise Refused(exc.status, {"error": exc.message}) from None
        response = JSONResponse(session.person.to_json(), headers=NO_STORE)
        self.gate.set_cookie(response, token)
        return response

    async def sign_out(self, request: Request) -> Response:
        session = session_of(request)
        if session.token_hash is not None:
            sessions.sign_out(self.gate.store, session.token_hash)
        response = JSONResponse({"signed_out": True}, headers=NO_STORE)
        response.delete_cookie(
            self.gate.cookie, httponly=True, samesite="lax", secure=self.gate.secure
        )
        return response

    async def history(self, request: Request) -> Response:
        lang = request.path_params["lang"]
        if lang not in self.studio.project.languages:
            raise Refused(404, {"error": f"no language {lang!r}"})
        msgid = request.query_params.get("id")
        context = request.query_params.get("context")
        found = history.changes(self.gate.store, lang, msgid, context, any_context=msgid is None)
        return JSONResponse({"changes": [c.to_json() for c in found]}, headers=NO_STORE)

    async def people(self, request: Request) -> Response:
        self._coordinator(request)
        everyone: list[dict[str, Any]] = [
            {**p.to_json(), "last_seen": p.last_seen, "revoked": p.revoked is not None}
            for p in people.everyone(self.gate.store)
        ]
        return JSONResponse({"people": everyone}, headers=NO_STORE)

    async def invite(self, request: Request) -> Response:
        self._coordinator(request)
        body = await read_body(request, InvitationBody)
        known = [c for c, lang in self.studio.project.languages.items() if not lang.source]
        try:
            person = people.checked_person(body.name, body.role, body.languages, known)
            token = people.invite(self.gate.store, person, body.days)
        except people.PeopleError as exc:
            raise Refused(422, {"error": exc.message}) from None
        base = self.gate.public_origin or f"{request.url.scheme}://{request.url.netloc}"
        return JSONResponse({"link": people.invitation_link(base, token)}, headers=NO_STORE)

    def _coordinator(self, request: Request) -> None:
        person = session_of(request).person
        if not person.can_invite:
            raise Refused(403, {"error": f"{person.name} ({person.role}) cannot manage people"})
