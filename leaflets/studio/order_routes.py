"""The studio's order routes (issue 22): an event organiser orders leaflets, and fetches the
print package.

    GET  /orders                        the Orders page
    GET  /orders/new                    the order form
    GET  /api/order-form                the form's choices: offices, editions, papers, leaflets
    POST /api/order-form/preview        the order file's fields → {"errors", "preview"} (writes nothing)
    GET  /api/orders                    every order in orders/: state, who asked, when
    POST /api/orders                    the order file's fields → 201 {"name"}, or 422 {"errors"}
    GET  /api/orders/{name}             one order: state, sheets, warnings, progress, files
    POST /api/orders/{name}/build       202: the package is built in the background
    GET  /orders/{name}/{file}          a file of the order's ready package

The order file stays the record: a form's fields are checked by press/order_form.py with the
order file's own models and words, and written as orders/<name>.toml; a build is `leaflets
order` itself (order_builds.py). {name} is an order file's name in orders/ without .toml: it is
looked up among the files there and never made into a path, and a package file is served only
if the package's manifest lists it (or it is the package's zip).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from ..config.model import PAPER_SIZES_IN, Edition, Project
from ..config.paths import inside, read_project_file
from ..errors import LeafletsError
from ..press import order_form, order_states, orders
from ..press.names import order_files
from ..press.sheets import package_path
from ..press.ticket import PAPER_NAMES
from .access import session_of
from .interface import Pages
from .order_builds import OrderBuilds
from .request_bodies import BuildBody, Refused, read_body, read_raw
from .state import Studio
from .worker import Live

NO_STORE = {"Cache-Control": "no-store"}
PRINT_ANYWAY = "allow_unreviewed"
"""The body's key for a coordinator's "print anyway", as the command line's flag."""
MEDIA_TYPES = {".pdf": "application/pdf", ".json": "application/json", ".zip": "application/zip"}


class OrderHandlers:
    def __init__(self, studio: Studio, live: Live, pages: Pages):
        self.studio, self.live, self.pages = studio, live, pages
        self.builds = OrderBuilds(studio.root, live.events, self._record_failure)
        self._reviewed: tuple[tuple, dict[str, bool]] | None = None

    def routes(self) -> list[Route]:
        return [
            Route("/orders", self.list_page),
            Route("/orders/new", self.form_page),
            Route("/api/order-form", self.choices),
            Route("/api/order-form/preview", self.preview, methods=["POST"]),
            Route("/api/orders", self.all_orders, methods=["GET"]),
            Route("/api/orders", self.submit, methods=["POST"]),
            Route("/api/orders/{name}", self.one_order),
            Route("/api/orders/{name}/build", self.build, methods=["POST"]),
            Route("/orders/{name}/{file:path}", self.package_file),
        ]

    @property
    def project(self) -> Project:
        return self.studio.project

    async def list_page(self, request: Request) -> Response:
        return self.pages.response(request, "orders.html")

    async def form_page(self, request: Request) -> Response:
        return self.pages.response(request, "order-form.html")

    # ------------------------------------------------------------ the form

    async def choices(self, request: Request) -> Response:
        person = session_of(request).person
        project = self.project
        reviewed = await asyncio.to_thread(self.reviewed)
        return JSONResponse(
            {
                "offices": [{"id": o.id, "name": o.name} for o in project.contacts.offices],
                "editions": [
                    {"name": e.name, "title": e.title, "explained": explain(e)}
                    for e in project.editions.values()
                ],
                "papers": [{"size": p, "name": PAPER_NAMES.get(p, p)} for p in PAPER_SIZES_IN],
                "leaflets": [{"name": n, "title": f.title} for n, f in project.leaflets.items()],
                "languages": [
                    {"code": c, "name": lang.name, "reviewed": reviewed.get(c, False)}
                    for c, lang in project.languages.items()
                ],
                "may_order": person.can_order,
                "may_build": person.can_build(project.studio.organisers_build),
                "may_print_anyway": person.can_print_anyway,
            },
            headers=NO_STORE,
        )

    async def preview(self, request: Request) -> Response:
        """What submitting would say, and the sheets, as the organiser types: the problems
        with "print anyway" as asked, the sheets as if it were given."""
        self._may_order(request)
        fields, allow = await self._fields(request)
        return JSONResponse(await asyncio.to_thread(self._preview, fields, allow), headers=NO_STORE)

    def _preview(self, fields: dict[str, Any], allow: bool) -> dict[str, Any]:
        reviewed = self.reviewed()
        checked = order_form.check_order(
            self.project, fields, allow_unreviewed=allow, reviewed=reviewed
        )
        errors = checked if isinstance(checked, list) else []
        anyway = checked
        if not allow:
            anyway = order_form.check_order(
                self.project, fields, allow_unreviewed=True, reviewed=reviewed
            )
        preview = None
        if isinstance(anyway, orders.Order):
            preview = order_form.preview_order(self.project, anyway)
        return {"errors": errors, "preview": preview}

    async def submit(self, request: Request) -> Response:
        self._may_order(request)
        fields, allow = await self._fields(request)
        written = await asyncio.to_thread(self._write, fields, allow)
        self.live.events.publish("order", {"name": written["name"], "state": "submitted"})
        return JSONResponse(written, 201, headers=NO_STORE)

    def _write(self, fields: dict[str, Any], allow: bool) -> dict[str, Any]:
        checked = order_form.check_order(
            self.project, fields, allow_unreviewed=allow, reviewed=self.reviewed()
        )
        if isinstance(checked, list):
            raise Refused(422, {"errors": checked})
        try:
            path = order_form.write_order(self.project, checked)
        except order_form.OrderExists as exc:
            raise Refused(409, {"errors": [{"field": "name", "message": str(exc)}]}) from None
        return {"name": path.stem, "file": f"orders/{path.name}"}

    async def _fields(self, request: Request) -> tuple[dict[str, Any], bool]:
        """The order file's fields of a form's body, and whether it asks to print anyway
        (a coordinator's to give)."""
        raw = await read_raw(request)
        try:
            fields = json.loads(raw)
        except ValueError as exc:
            raise Refused(422, {"errors": [_problem("", f"not JSON: {exc}")]}) from None
        if not isinstance(fields, dict):
            return fields, False  # check_order() says what it expected
        allow = fields.pop(PRINT_ANYWAY, False)
        if not isinstance(allow, bool):
            raise Refused(422, {"errors": [_problem(PRINT_ANYWAY, "expected true or false")]})
        self._may_print_anyway(request, allow)
        return fields, allow

    # ------------------------------------------------------------ the orders

    async def all_orders(self, request: Request) -> Response:
        states = await asyncio.to_thread(order_states.order_states, self.project, self.reviewed())
        return JSONResponse({"orders": [self._state_json(s) for s in states]}, headers=NO_STORE)

    async def one_order(self, request: Request) -> Response:
        name = request.path_params["name"]
        return JSONResponse(await asyncio.to_thread(self._describe, name), headers=NO_STORE)

    def _describe(self, name: str) -> dict[str, Any]:
        path = self._order_file(name)
        reviewed = self.reviewed()
        state = order_states_of(self.project, path, reviewed)
        described = self._state_json(state)
        described["text"] = read_project_file(path, "order").decode("utf-8", "replace")
        if state.state == "invalid":
            return described
        order = orders.load_order(self.project, path, allow_unreviewed=True, reviewed=reviewed)
        preview = order_form.preview_order(self.project, order)
        described |= {
            "preview": preview,
            "total_sheets": preview["total_sheets"],
            "warnings": preview["warnings"],
            "unreviewed_languages": preview["unreviewed_languages"],
            "files": self._files(order) if state.state == "ready" else [],
        }
        return described

    def _state_json(self, state: order_states.OrderState) -> dict[str, Any]:
        name = Path(state.file).stem
        described = {
            "name": name,
            "file": f"orders/{state.file}",
            "title": state.name,
            "state": state.state,
            "why": state.why,
            "requested_by": state.requested_by,
            "modified": state.modified.isoformat(timespec="seconds"),
            "progress": [],
        }
        build = self.builds.current(name)
        if build is not None:  # "building" and "queued" are the studio's to say
            described |= {**build.to_json(), "why": None}
        return described

    async def build(self, request: Request) -> Response:
        person = session_of(request).person
        if not person.can_build(self.project.studio.organisers_build):
            raise Refused(403, {"error": f"{person.name} ({person.role}) cannot start a build"})
        body = await read_body(request, BuildBody)
        self._may_print_anyway(request, body.allow_unreviewed)
        name = request.path_params["name"]
        await asyncio.to_thread(self._buildable, name, body.allow_unreviewed)
        build, message = self.builds.start(name, body.allow_unreviewed)
        return JSONResponse(
            {"name": name, "state": build.state, "message": message}, 202, headers=NO_STORE
        )

    def _buildable(self, name: str, allow: bool) -> None:
        """Refused (422, the command line's words) unless `leaflets order` would take the
        order as it is now, so that a build that cannot start is said at once."""
        path = self._order_file(name)
        try:
            orders.load_order(self.project, path, allow_unreviewed=allow, reviewed=self.reviewed())
        except LeafletsError as exc:
            raise Refused(422, {"error": str(exc)}) from None

    # ------------------------------------------------------------ the package

    async def package_file(self, request: Request) -> Response:
        name, file = request.path_params["name"], request.path_params["file"]
        path = await asyncio.to_thread(self._package_file, name, file)
        headers = dict(NO_STORE)
        if path.suffix == ".zip":
            headers["Content-Disposition"] = f'attachment; filename="{path.name}"'
        return FileResponse(path, media_type=MEDIA_TYPES.get(path.suffix), headers=headers)

    def _package_file(self, name: str, file: str) -> Path:
        path = self._order_file(name)
        order = orders.load_order(
            self.project, path, allow_unreviewed=True, reviewed=self.reviewed()
        )
        state = self._state_json(order_states_of(self.project, path, self.reviewed()))
        if state["state"] != "ready":
            raise Refused(404, {"error": f"the package of {name} is not ready ({state['state']})"})
        listed = {f["path"] for f in self._files(order)}
        if file not in listed:
            raise Refused(404, {"error": f"the package of {name} has no file {file[:100]!r}"})
        folder = package_path(self.project, order)
        try:  # the manifest is a file on disk like any other: what it lists stays in the package
            path = inside(folder, folder / file)
        except LeafletsError:
            path = None
        if path is None or not path.is_file():
            raise Refused(404, {"error": f"the package of {name} has no file {file[:100]!r}"})
        return path

    def _files(self, order: orders.Order) -> list[dict[str, Any]]:
        """A ready package's files, from its manifest, and its zip."""
        folder = package_path(self.project, order)
        manifest = json.loads(read_project_file(folder / "manifest.json", "record"))
        zip_name = f"{order.slug}.zip"
        listed = [(e["path"], e["bytes"]) for e in manifest["files"]]
        listed += [("manifest.json", (folder / "manifest.json").stat().st_size)]
        listed += [(zip_name, (folder / zip_name).stat().st_size)]
        stem = order.path.stem
        return [{"path": p, "bytes": b, "url": f"/orders/{stem}/{p}"} for p, b in listed]

    # ------------------------------------------------------------ helpers

    def _order_file(self, name: str) -> Path:
        for path in order_files(self.project):
            if path.stem == name:
                return path
        raise Refused(
            404, {"error": f"no order {name[:100]!r} in orders/; GET /api/orders lists them"}
        )

    def reviewed(self) -> dict[str, bool]:
        """orders.review_states(), kept until a catalog or review file changes: it reads every
        catalog (a third of a second), and the form asks as the organiser types."""
        project = self.project
        paths = [p for c in project.languages for p in (project.po_path(c), project.review_path(c))]
        key = (id(project), *(_stamp(p) for p in paths))
        if self._reviewed is None or self._reviewed[0] != key:
            self._reviewed = (key, orders.review_states(project))
        return self._reviewed[1]

    def _may_order(self, request: Request) -> None:
        person = session_of(request).person
        if not person.can_order:
            raise Refused(403, {"error": f"{person.name} ({person.role}) cannot order leaflets"})

    def _may_print_anyway(self, request: Request, allow: bool) -> None:
        person = session_of(request).person
        if allow and not person.can_print_anyway:
            raise Refused(
                403,
                {"error": "only a coordinator may print a draft translation anyway; ask one"},
            )

    def _record_failure(self, name: str, message: str) -> None:
        """Remember a failed build (order_states.record_failure()) of an order that loads."""
        try:
            path = self._order_file(name)
            order = orders.load_order(self.project, path, allow_unreviewed=True)
        except (Refused, LeafletsError):
            return  # gone or invalid now: its state says so without a record
        order_states.record_failure(self.project, order, message)


def order_states_of(
    project: Project, path: Path, reviewed: dict[str, bool]
) -> order_states.OrderState:
    return next(s for s in order_states.order_states(project, reviewed) if s.file == path.name)


def explain(edition: Edition) -> str:
    """An edition in one line, from what it is: "Print shop: 0.125 in bleed, crop marks,
    PDF/X-4"."""
    parts = [f"{edition.bleed_in:g} in bleed" if edition.bleed_in else "no bleed"]
    if edition.crop_marks:
        parts.append("crop marks")
    if edition.pdf_x:
        parts.append("PDF/X-4 for the press")
    return f"{edition.title}: {', '.join(parts)}"


def _problem(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": message, "detail": message}


def _stamp(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None
