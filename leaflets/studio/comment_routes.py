"""The studio's routes for comments (comments.py): a thread per message and language.

    GET  /api/comments/{lang}                   open threads (?all=1: resolved ones too;
                                                ?id=…&context=…: one message's)
    POST /api/comments/{lang}                   {"context", "id", "text", "reply_to"?}: a new
                                                thread, or a reply in one
    POST /api/comments/{lang}/{comment}/resolve resolves the comment's thread

Writes pass access.py's gate like every other (a session, its CSRF token and Origin), then need
a person who may edit the language: a translator or a reviewer of it, or a coordinator; an
organiser reads them. The message must be in the language's catalog. Each write is told to
every page as a "comments" event (the message and its open count, not the text).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..i18n.po.messages import key_of
from . import comments
from .access import session_of
from .request_bodies import MAX_TEXT, Body, Refused, read_body, translated_language
from .state import Studio
from .store import Store
from .worker import Live

NO_STORE = {"Cache-Control": "no-store"}


class CommentBody(Body):
    """POST /api/comments/{lang}: the message, the text, and the comment it answers."""

    context: Annotated[str, StringConstraints(max_length=MAX_TEXT)] | None = None
    id: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]
    text: Annotated[str, StringConstraints(min_length=1, max_length=comments.TEXT_MAX)]
    reply_to: Annotated[int, Field(ge=1, le=comments.ID_MAX)] | None = None


class CommentHandlers:
    def __init__(self, studio: Studio, live: Live, store: Store):
        self.studio, self.live, self.store = studio, live, store

    def routes(self) -> list[Route]:
        return [
            Route("/api/comments/{lang}", self.list_threads),
            Route("/api/comments/{lang}", self.write, methods=["POST"]),
            Route("/api/comments/{lang}/{comment:int}/resolve", self.resolve, methods=["POST"]),
        ]

    async def list_threads(self, request: Request) -> Response:
        lang = translated_language(request, self.studio.project)
        query = request.query_params
        found = comments.threads(
            self.store,
            lang,
            resolved=query.get("all") in ("1", "true"),
            context=query.get("context"),
            msgid=query.get("id"),
        )
        return JSONResponse({"threads": found}, headers=NO_STORE)

    async def write(self, request: Request) -> Response:
        lang = translated_language(request, self.studio.project)
        name = self._commenter(request, lang)
        body = await read_body(request, CommentBody)
        key = key_of(body.context, body.id)
        if not await self.live.run(lambda: key in self.studio.desk(lang).messages):
            raise Refused(404, {"error": f"no text {body.id!r} in the {lang!r} catalog"})
        comment = self._do(
            comments.add, self.store, lang, body.context, body.id, name, body.text, body.reply_to
        )
        return JSONResponse(await self._answer(lang, comment), headers=NO_STORE)

    async def resolve(self, request: Request) -> Response:
        lang = translated_language(request, self.studio.project)
        name = self._commenter(request, lang)
        root = self._do(comments.resolve, self.store, lang, request.path_params["comment"], name)
        return JSONResponse(await self._answer(lang, root), headers=NO_STORE)

    async def _answer(self, lang: str, comment: comments.Comment) -> dict[str, Any]:
        """The message's threads and open count after a write; the page's marker and filter
        read the count from the Desk, so it is brought up to date on the worker thread."""
        count = await self.live.run(
            self.studio.recount_comments, lang, comment.context, comment.msgid
        )
        # Other pages showing the language update their marker, and the thread if it is open.
        self.live.events.publish(
            "comments",
            {"lang": lang, "context": comment.context, "id": comment.msgid, "open_comments": count},
        )
        found = comments.threads(
            self.store, lang, resolved=True, context=comment.context, msgid=comment.msgid
        )
        return {"comment": comment.to_json(), "open_comments": count, "threads": found}

    @staticmethod
    def _do(function, *args) -> comments.Comment:
        try:
            return function(*args)
        except comments.CommentError as exc:
            raise Refused(exc.status, {"error": exc.message}) from None

    def _commenter(self, request: Request, lang: str) -> str:
        """The signed-in person's name, if they may comment in the language."""
        person = session_of(request).person
        if not person.can_edit(lang):
            raise Refused(
                403, {"error": f"{person.name} ({person.role}) cannot comment in {lang!r}"}
            )
        return person.name
