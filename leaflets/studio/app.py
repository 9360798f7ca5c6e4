"""The studio's web app: its routes, on Starlette.

    GET  /                                      the studio's page (signed in), or the sign-in page
    GET  /join                                  an invitation link's page: signs its person in
    GET  /static/{name}                         its scripts and stylesheet
    GET  /api/project                           languages and leaflets
    GET  /api/leaflets/{lang}/{leaflet}         pages, messages and boxes, overflow, review
    GET  /pages/{lang}/{leaflet}/{page}.png     a page's current image (pages count from 1;
                                                ?scale=2 or 3 for a zoomed page)
    GET, POST /api/comments/{lang}…             comment threads (comment_routes.py)
    POST /api/translations/{lang}               save one translation: 200, or 422 with findings
    POST /api/reviews/{lang}                    approve (or withdraw) translations
    GET  /api/events                            server-sent events: rendering, rendered, changed
    and the team's routes (team_routes.py): session, sign-in and out, history, people;
    and the orders' (order_routes.py): the order form, the orders, their builds and packages.

Who may do what is access.py (signed in or not) and each person's role (people.py), asked
here for every write.

Names in a path are looked up in the project's languages and leaflets and never reach the file
system; the only files served are rendered pages and the app's own static files, read once at
start.
"""

from __future__ import annotations

import time
from datetime import date
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from ..errors import CatalogError, LeafletsError, ReviewFileError
from ..i18n import review
from ..i18n.commands.edit import (
    Edit,
    EditConflict,
    EditRefused,
    MessageNotFound,
    find_message,
    save_translation,
    strings_of,
)
from ..i18n.po.catalog import read_catalog
from ..i18n.po.messages import key_of
from . import drafts, history
from .access import AccessCheck, Gate, session_of
from .comment_routes import CommentHandlers
from .commits import Commits
from .interface import Pages
from .leaflet_json import leaflet_json
from .message_json import describe_error, finding_json
from .order_routes import OrderHandlers
from .rendering import SCALES, page_png
from .request_bodies import Refused, ReviewBody, TranslationBody, read_body, translated_language
from .sessions import Session, still_open
from .state import Studio
from .store import Store
from .team_routes import TeamHandlers, insecure_banner
from .worker import Live

STATIC_TYPES = {
    "common.js": "text/javascript; charset=utf-8",
    "comments.js": "text/javascript; charset=utf-8",
    "studio.js": "text/javascript; charset=utf-8",
    "view.js": "text/javascript; charset=utf-8",
    "join.js": "text/javascript; charset=utf-8",
    "orders.js": "text/javascript; charset=utf-8",
    "studio.css": "text/css; charset=utf-8",
}
PAGES = ("index.html", "join.html", "signin.html", "orders.html", "order-form.html")
NO_STORE = {"Cache-Control": "no-store"}


def _static_files() -> dict[str, bytes]:
    folder = resources.files(__package__) / "static"
    return {name: (folder / name).read_bytes() for name in STATIC_TYPES}


def create_app(
    studio: Studio,
    gate: Gate,
    *,
    hosts: frozenset[str] | None = frozenset(),
    watch_files: bool = True,
) -> Starlette:
    """The app for one project. `hosts` are host names it answers to besides the loopback
    ones (None: any, for --host 0.0.0.0); the gate says who is signed in."""
    live = Live(studio, watch_files=watch_files)
    files = _static_files()
    pages = Pages(PAGES, insecure_banner if gate.insecure_warning else lambda data: data)
    studio.use_store(gate.store)
    commits = Commits(studio, gate.store)
    handlers = Handlers(studio, live, gate.store, files, commits, pages)
    team = TeamHandlers(studio, live, gate)
    ordering = OrderHandlers(studio, live, pages)
    routes = [
        Route("/", handlers.index),
        Route("/join", handlers.join),
        Route("/static/{name}", handlers.static),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/api/project", handlers.project),
        Route("/api/leaflets/{lang}/{leaflet}", handlers.leaflet),
        Route("/pages/{lang}/{leaflet}/{page:int}.png", handlers.page),
        Route("/api/translations/{lang}", handlers.save, methods=["POST"]),
        Route("/api/reviews/{lang}", handlers.approve, methods=["POST"]),
        *CommentHandlers(studio, live, gate.store).routes(),
        Route("/api/events", handlers.events),
        *team.routes(),
        *ordering.routes(),
    ]
    middleware = [
        Middleware(
            AccessCheck, gate=gate, hosts=hosts, sign_in_page=lambda c: pages.page(c, "signin.html")
        )
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=commits.around(live.lifespan, live.run),
        exception_handlers={Refused: refused, HTTPException: http_error},
    )
    app.state.live, app.state.commits = live, commits
    return app


class Handlers:
    def __init__(
        self, studio: Studio, live: Live, store: Store, files: dict, commits: Commits, pages: Pages
    ):
        self.studio, self.live, self.store, self.files = studio, live, store, files
        self.commits, self.pages = commits, pages

    async def index(self, request: Request) -> Response:
        return self.pages.response(request, "index.html")

    async def join(self, request: Request) -> Response:
        return self.pages.response(request, "join.html")

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC_TYPES:
            return JSONResponse({"error": "not found"}, 404)
        return Response(self.files[name], media_type=STATIC_TYPES[name], headers=NO_STORE)

    async def project(self, request: Request) -> Response:
        def describe() -> dict[str, Any]:
            project = self.studio.project
            languages = []
            for code, language in project.languages.items():
                summary = self.studio.desk(code).summary_json()
                languages.append({"code": code, "name": language.name, **summary})
            leaflets = [{"name": n, "title": leaf.title} for n, leaf in project.leaflets.items()]
            return {
                "source": project.source_language.code,
                "languages": languages,
                "leaflets": leaflets,
                "errors": [self.studio.config_error] if self.studio.config_error else [],
            }

        return JSONResponse(await self.live.run(describe), headers=NO_STORE)

    async def leaflet(self, request: Request) -> Response:
        state = await self._wanted(request)
        await self.live.current(state)
        return JSONResponse(await self.live.run(leaflet_json, self.studio, state), headers=NO_STORE)

    async def page(self, request: Request) -> Response:
        # A page on screen is read as it is, not queued behind the worker's next job: the
        # version a "rendered" event named (?v=) is served even if a save has come since.
        params = request.path_params
        state = self.studio.outputs.get((params["lang"], params["leaflet"]))
        if not self.studio.can_show(state, request.query_params.get("v")):
            state = await self._wanted(request)
            await self.live.current(state)
        number = request.path_params["page"]
        rendering = state.rendering
        if rendering is None:
            error = state.error["text"] if state.error else "not rendered yet"
            return JSONResponse({"error": error}, 503, headers=NO_STORE)
        if not 1 <= number <= len(rendering.page_sizes):
            return JSONResponse({"error": f"no page {number}"}, 404)
        scale = request.query_params.get("scale", "1")
        if scale not in {str(s) for s in SCALES}:
            return JSONResponse({"error": f"scale must be one of {SCALES}"}, 400)
        png = await self.live.draw(page_png, rendering, number, int(scale))
        self.live.warm_up()  # the page is on screen: what an edit needs loads next
        return Response(png, media_type="image/png", headers=NO_STORE)

    async def _wanted(self, request: Request):
        lang, leaflet = request.path_params["lang"], request.path_params["leaflet"]
        try:
            state = await self.live.run(self.studio.want, lang, leaflet)
        except KeyError:
            raise Refused(404, {"error": f"no leaflet {leaflet!r} in language {lang!r}"}) from None
        self.live.wake()
        return state

    async def events(self, request: Request) -> Response:
        session = session_of(request)
        check = None
        if session.token_hash is not None:
            # A revoked person's open page stops hearing at once, not at its next request.
            def check() -> bool:
                return still_open(self.store, session.token_hash)

        return StreamingResponse(
            self.live.events.stream(still_allowed=check),
            media_type="text/event-stream",
            headers={**NO_STORE, "X-Accel-Buffering": "no"},
        )

    # ------------------------------------------------------------ writes

    async def save(self, request: Request) -> Response:
        lang = translated_language(request, self.studio.project)
        person = session_of(request).person
        if not person.can_edit(lang):
            raise Refused(
                403,
                {"saved": False, "error": f"{person.name} ({person.role}) cannot edit {lang!r}"},
            )
        body = await read_body(request, TranslationBody)
        edit = Edit(body.context, body.id, body.new, body.before)
        result = await self.live.run(self._save, lang, edit, person.name)
        self.live.announce({self.studio.project.po_path(lang)}, person.name)
        return JSONResponse(result, headers=NO_STORE)

    def _save(self, lang: str, edit: Edit, who: str) -> dict[str, Any]:
        root = self.studio.root
        self.commits.before(who, lang)
        try:
            result = save_translation(self.studio.project, lang, edit, line=False)
        except EditRefused as exc:
            findings = [finding_json(f) for f in exc.findings]
            raise Refused(
                422, {"saved": False, "error": exc.message, "findings": findings}
            ) from None
        except EditConflict as exc:
            body = {"saved": False, "error": exc.message, "current": list(exc.current)}
            raise Refused(409, body) from None
        except MessageNotFound as exc:
            raise Refused(404, {"saved": False, "error": exc.message}) from None
        except LeafletsError as exc:
            raise Refused(409, {"saved": False, **_error(exc, root)}) from None
        if result.changed:
            change = history.Change(
                time.time(),
                lang,
                edit.context,
                edit.msgid,
                "save",
                who,
                result.before,
                edit.strings,
            )
            self._record([change])
        self.studio.refresh([self.studio.project.po_path(lang)])
        key = key_of(edit.context, edit.msgid)
        return {
            "saved": True,
            "changed": result.changed,
            "findings": [finding_json(f) for f in result.findings],
            "message": self.studio.desk(lang).describe(key),
        }

    async def approve(self, request: Request) -> Response:
        lang = translated_language(request, self.studio.project)
        session = session_of(request)
        body = await read_body(request, ReviewBody)
        if body.approve and not session.person.can_approve(lang):
            person = session.person
            raise Refused(403, {"error": f"{person.name} ({person.role}) cannot approve {lang!r}"})
        result = await self.live.run(self._approve, lang, body, session)
        written = {self.studio.project.review_path(lang)}
        if result.get("checked"):
            written.add(self.studio.project.po_path(lang))
        self.live.announce(written, session.person.name)
        return JSONResponse(result, headers=NO_STORE)

    def _approve(self, lang: str, body: ReviewBody, session: Session) -> dict[str, Any]:
        project, person = self.studio.project, session.person
        self.commits.before(person.name, lang)
        try:
            catalog = read_catalog(project.po_path(lang))
            approvals, keys = _approvals(catalog, body, self.studio.desk(lang), person.name)
            existing = review.load_approvals(project, lang)
            if not body.approve:
                _may_withdraw(person, lang, [existing.get(key) for key in keys])
            changes = approval_changes(
                lang, person.name, body.approve, approvals, existing, catalog
            )
            if body.approve:
                refs = [(r, find_message(catalog, r.context, r.id, None)) for r in body.messages]
                changes[:0] = drafts.clear_fuzzy_marks(project, lang, refs, person.name)
                review.update_approvals(project, lang, add=approvals)
            else:
                review.update_approvals(project, lang, remove=keys)
        except (CatalogError, ReviewFileError) as exc:
            raise Refused(409, _error(exc, self.studio.root)) from None
        self._record(changes)
        checked = sum(c.action == drafts.CHECKED for c in changes)
        self.studio.refresh([project.review_path(lang), *([project.po_path(lang)] * bool(checked))])
        desk = self.studio.desk(lang)
        return {
            "approved" if body.approve else "withdrawn": len(keys),
            "checked": checked,
            "review": desk.summary_json(),
            "messages": [desk.describe(key) for key in keys],
        }

    def _record(self, changes: list[history.Change]) -> None:
        """The history of changes written to the files; batched for a commit when asked."""
        history.record(self.store, changes)
        self.commits.recorded(changes)


def _approvals(
    catalog, body: ReviewBody, desk, reviewer: str
) -> tuple[list[review.Approval], list]:
    """The approvals a review body asks for; Refused, naming every message that cannot be
    approved as it stands (all or nothing)."""
    today, found, keys, wrong = date.today(), [], [], []
    for ref in body.messages:
        try:
            message = find_message(catalog, ref.context, ref.id, desk.path)
        except MessageNotFound as exc:
            wrong.append({"id": ref.id, "context": ref.context, "error": exc.message})
            continue
        key = key_of(ref.context, ref.id)
        problem = _cannot_approve(message, ref, desk, strings_of(message))
        if problem and body.approve:
            wrong.append({"id": ref.id, "context": ref.context, "error": problem})
            continue
        found.append(review.approval_of(message, reviewer, today))
        keys.append(key)
    if wrong:
        raise Refused(
            409 if any("changed" in w["error"] for w in wrong) else 422, {"errors": wrong}
        )
    return found, keys


def _may_withdraw(person, lang: str, approvals: list) -> None:
    """Refused unless the person may withdraw every one of these approvals."""
    theirs = [a for a in approvals if a is not None and not person.can_withdraw(lang, a.reviewer)]
    if theirs:
        names = ", ".join(sorted({a.reviewer for a in theirs}))
        raise Refused(
            403, {"error": f"only a coordinator withdraws another reviewer's approval ({names})"}
        )


def approval_changes(lang, who, approve, approvals, existing, catalog) -> list[history.Change]:
    """The history of an approval or a withdrawal, with the text it was of; the reviewer
    whose approval it replaces or withdraws is named."""
    now, changes = time.time(), []
    for approval in approvals:
        before = existing.get(approval.key)
        text = strings_of(catalog.get(approval.msgid, context=approval.context))
        if approve:
            replaced = before.reviewer if before and before.reviewer != who else None
            change = (None, text, replaced)
        else:
            change = (text, None, before.reviewer if before else None)
        action = "approve" if approve else "withdraw"
        changes.append(
            history.Change(now, lang, approval.context, approval.msgid, action, who, *change)
        )
    return changes


def _cannot_approve(message, ref, desk, current: tuple[str, ...]) -> str | None:
    """Why this approval is refused: only the text the reviewer saw is approved, so they send
    it; a draft (fuzzy) that passes the checks is approved as it is."""
    if ref.seen is None:
        return 'say which text you approve: send it as "string" (or "strings") as you saw it'
    if ref.seen != current:
        return "changed since you saw it; look at the new text, then approve it"
    described = desk.describe(key_of(message.context, ref.id))
    untranslated = described["review"]["state"] == str(review.MessageState.UNTRANSLATED)
    if untranslated and not drafts.is_draft(message):
        return "has no translation yet, or only one with an error; translate it first"
    if any(f["severity"] == "error" for f in described["findings"]):
        return "has an error (shown under Checks); correct it, save, then approve"
    return None


def _error(exc: LeafletsError, root) -> dict[str, Any]:
    described = describe_error(exc, root)
    return {"error": described["text"], "file": described["file"], "line": described["line"]}


async def refused(request: Request, exc: Refused) -> Response:
    return JSONResponse(exc.body, exc.status, headers=NO_STORE)


async def http_error(request: Request, exc: HTTPException) -> Response:
    """Starlette's own refusals (no such route, a method it does not take) as JSON errors,
    like every other answer of the API."""
    headers = {**NO_STORE, **(exc.headers or {})}
    return JSONResponse({"error": exc.detail}, exc.status_code, headers=headers)
