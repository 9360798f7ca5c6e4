"""Orders: an order file → a validated `Order` → a print-ready package.

    load_order()     read and validate orders/<name>.toml against the project; every problem is
                     collected and reported at once, each naming the file, the item and the fix
    write_package()  render each item in the order's edition, impose it, and write
                     out/orders/<slug>/: the print files, proofs/, ticket.pdf, ticket.json,
                     manifest.json and <slug>.zip

Order files are untrusted: unknown keys are errors, quantities are bounded, and the order's
name only ever becomes a slug inside out/orders/. A package is built in a temporary folder
beside its final place and renamed into place at the end, so a failed order leaves nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import tempfile
import tomllib
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from math import ceil
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import editions, impose
from .catalogs import load_translations
from .errors import OrderError, _display
from .impose import Layout
from .project import PAPER_SIZES_IN, Edition, Language, Leaflet, Office, Phone, Project, parse_phone
from .render import Renderer, RenderOptions, font_face_css

MAX_QUANTITY = 100_000
SLUG_MAX = 64
TICKET_TEMPLATE = "print/ticket.html.j2"
PAPER_NAMES = {"letter": "US Letter", "a4": "A4"}
TOP_KEYS = {
    "name",
    "event",
    "event_date",
    "need_by",
    "requested_by",
    "deliver_to",
    "edition",
    "paper",
    "stock",
    "notes",
    "items",
}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


class InvalidOrder(OrderError):
    """An order file with one or more problems; all of them are listed."""

    def __init__(self, path: Path, problems: list[tuple[int | None, str]]):
        self.problems = problems
        line, message = problems[0]
        super().__init__(message, path, line)

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return super().__str__()
        where = _display(self.path)
        lines = [f"{where}: {len(self.problems)} problems"]
        for line, message in self.problems:
            lines.append(f"  {where}:{line}: {message}" if line else f"  {where}: {message}")
        return "\n".join(lines)


# ---------------------------------------------------------------- the order


@dataclass(frozen=True)
class Contact:
    name: str
    email: str | None = None
    phone: Phone | None = None


@dataclass(frozen=True)
class OrderItem:
    number: int
    """1-based position in the order; print files are numbered with it."""
    leaflet: Leaflet
    language: Language
    quantity: int
    """Copies wanted."""

    @property
    def label(self) -> str:
        return f"{self.leaflet.name} ({self.language.code}) × {self.quantity}"

    @property
    def stem(self) -> str:
        return f"{self.number:02d}-{self.leaflet.name}-{self.language.code}"


@dataclass(frozen=True)
class Order:
    """A validated order file."""

    path: Path
    name: str
    slug: str
    """The package's folder name under out/orders/: made from name, never a path."""
    event: str
    event_date: date
    need_by: date
    requested_by: Contact
    deliver_to: Office
    edition: Edition
    paper: str
    """Paper size key ("letter", "a4"): the sheet cards are imposed on, and the tri-fold's,
    flyer's and large print's finished size."""
    stock: str | None
    notes: str | None
    items: tuple[OrderItem, ...]
    allow_unreviewed: bool = False
    warnings: tuple[str, ...] = ()

    @property
    def unreviewed(self) -> list[Language]:
        seen: dict[str, Language] = {}
        for item in self.items:
            if not item.language.reviewed:
                seen.setdefault(item.language.code, item.language)
        return list(seen.values())


def slugify(text: str) -> str:
    """A folder name made of [a-z0-9-] only: "../../etc" → "etc", "" → "order"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].strip("-") or "order"


class _Problems:
    """Problems found in an order file, each with the line it is on where that can be found."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.found: list[tuple[int | None, str]] = []

    def __bool__(self) -> bool:
        return bool(self.found)

    def add(self, keypath: str, message: str, *, item: int | None = None, label: str = "") -> None:
        where = keypath
        if item is not None:
            where = f"items[{item}]" + (f" ({label})" if label else "")
            key = keypath.rpartition(".")[2] if "." in keypath else ""
            where += f": {key}" if key else ""
        self.found.append((self._line(keypath, item), f"{where}: {message}"))

    def _line(self, keypath: str, item: int | None) -> int | None:
        parts = keypath.split(".")
        start, end = 0, len(self.lines)
        if item is not None:
            headers = [
                i for i, ln in enumerate(self.lines) if re.match(r"^\s*\[\[\s*items\s*\]\]", ln)
            ]
            if item >= len(headers):
                return None
            start = headers[item]
            key = parts[-1] if len(parts) > 1 else None
        elif len(parts) == 2:
            header = re.compile(r"^\s*\[\s*" + re.escape(parts[0]) + r"\s*\]")
            start = next((i for i, ln in enumerate(self.lines) if header.match(ln)), -1)
            if start < 0:
                return None
            key = parts[1]
        else:
            key = parts[0]
            end = next((i for i, ln in enumerate(self.lines) if ln.lstrip().startswith("[")), end)
        if key is None:
            return start + 1
        key_re = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
        for i in range(start, end):
            if i > start and self.lines[i].lstrip().startswith("[") and item is not None:
                break
            if key_re.match(self.lines[i]):
                return i + 1
        return start + 1 if (item is not None or len(parts) == 2) else None


def load_order(
    project: Project,
    path: Path,
    *,
    allow_unreviewed: bool = False,
    today: date | None = None,
) -> Order:
    """Read and validate an order file. Raises InvalidOrder listing every problem."""
    today = today or date.today()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OrderError("order file not found; orders live in orders/<name>.toml", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OrderError(f"cannot read the order file: {exc}", path) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        line = int(match.group(1)) if match else None
        raise InvalidOrder(path, [(line, f"invalid TOML: {reason}; fix the syntax")]) from None

    problems = _Problems(text)
    warnings: list[str] = []
    for key in data:
        if key not in TOP_KEYS:
            problems.add(key, f"unknown key; expected one of: {', '.join(sorted(TOP_KEYS))}")

    name = _string(data, "name", problems, required=False) or path.stem
    event = _string(data, "event", problems, expected="the event's name")
    event_date = _date(data, "event_date", problems)
    need_by = _date(data, "need_by", problems)
    if event_date and need_by and need_by > event_date:
        problems.add(
            "need_by",
            f"{need_by.isoformat()} is after the event ({event_date.isoformat()}); "
            "the leaflets must arrive before the event",
        )
    for key, value in (("event_date", event_date), ("need_by", need_by)):
        if value and value < today:
            warnings.append(f"{key} {value.isoformat()} is in the past")

    requested_by = _contact(data.get("requested_by"), problems)
    deliver_to = _choice(
        data,
        "deliver_to",
        {o.id: o for o in project.contacts.offices},
        problems,
        what="office",
        source="contacts.toml",
    )
    edition = _choice(
        data, "edition", project.editions, problems, what="edition", source="leaflets.toml"
    )
    paper = _choice(
        data, "paper", {k: k for k in PAPER_SIZES_IN}, problems, what="paper", source=None
    )
    stock = _string(data, "stock", problems, required=False)
    notes = _string(data, "notes", problems, required=False)
    items = _items(project, data, problems, allow_unreviewed)

    if problems:
        raise InvalidOrder(path, problems.found)
    assert event_date and need_by and requested_by and deliver_to and edition and paper
    return Order(
        path=path,
        name=name,
        slug=slugify(name),
        event=event,
        event_date=event_date,
        need_by=need_by,
        requested_by=requested_by,
        deliver_to=deliver_to,
        edition=edition,
        paper=paper,
        stock=stock,
        notes=notes,
        items=tuple(items),
        allow_unreviewed=allow_unreviewed,
        warnings=tuple(warnings),
    )


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return repr(value) if len(value) < 40 else repr(value[:37] + "...")
    return repr(value)


def _string(
    data: dict, key: str, problems: _Problems, *, required: bool = True, expected: str = "text"
) -> str | None:
    if key not in data:
        if required:
            problems.add(key, f"missing; expected {expected}")
        return None
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        problems.add(key, f"expected {expected}, got {_describe(value)}")
        return None
    return value.strip()


def _date(data: dict, key: str, problems: _Problems) -> date | None:
    expected = "a date such as 2027-02-14"
    if key not in data:
        problems.add(key, f"missing; expected {expected}")
        return None
    value = data[key]
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    # TOML datetimes are dates too in Python; an order wants a day, not a moment.
    elif isinstance(value, date) and not isinstance(value, datetime):
        return value
    problems.add(key, f"expected {expected}, got {_describe(value)}")
    return None


def _choice(
    data: dict,
    key: str,
    choices: dict[str, Any],
    problems: _Problems,
    *,
    what: str,
    source: str | None,
) -> Any:
    known = ", ".join(f'"{c}"' for c in choices)
    if key not in data:
        problems.add(key, f"missing; expected one of: {known}")
        return None
    value = data[key]
    if not isinstance(value, str) or value not in choices:
        has = f"{source} has" if source else "expected one of"
        problems.add(key, f"unknown {what} {_describe(value)}; {has}: {known}")
        return None
    return choices[value]


class _PhoneProblems:
    """Adapter: project.parse_phone reports to this, which reports to the order's problems."""

    def __init__(self, problems: _Problems):
        self.problems = problems

    def add(self, keypath: str, message: str) -> None:
        self.problems.add(keypath, message)


def _contact(data: Any, problems: _Problems) -> Contact | None:
    if data is None:
        problems.add(
            "requested_by", "missing; expected a [requested_by] table with name, and email or phone"
        )
        return None
    if not isinstance(data, dict):
        problems.add("requested_by", f"expected a table, got {_describe(data)}")
        return None
    allowed = {"name", "email", "phone"}
    for key in data:
        if key not in allowed:
            problems.add(
                f"requested_by.{key}", f"unknown key; expected one of: {', '.join(sorted(allowed))}"
            )
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.add("requested_by.name", f"expected the requester's name, got {_describe(name)}")
    email = data.get("email")
    if email is not None and (not isinstance(email, str) or not EMAIL_RE.match(email)):
        problems.add("requested_by.email", f"expected an email address, got {_describe(email)}")
        email = None
    phone = None
    if data.get("phone") is not None:
        phone = parse_phone(data["phone"], "requested_by.phone", _PhoneProblems(problems))
    if "email" not in data and "phone" not in data:
        problems.add("requested_by", "needs an email or a phone number, so the printer can ask")
    if not isinstance(name, str):
        return None
    return Contact(name=name.strip(), email=email, phone=phone)


def _items(
    project: Project, data: dict, problems: _Problems, allow_unreviewed: bool
) -> list[OrderItem]:
    raw = data.get("items")
    if raw is None:
        problems.add("items", "missing; add one [[items]] table per leaflet and language")
        return []
    if not isinstance(raw, list) or not raw:
        problems.add("items", "expected one or more [[items]] tables")
        return []
    items: list[OrderItem] = []
    seen: dict[tuple[str, str], int] = {}
    allowed = {"leaflet", "language", "quantity"}
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict):
            problems.add("items", f"items[{index}]: expected a table, got {_describe(entry)}")
            continue
        label = " × ".join(str(entry.get(k, "?")) for k in ("leaflet", "language", "quantity"))

        def report(key: str, message: str, index: int = index, label: str = label) -> None:
            problems.add(f"items.{key}", message, item=index, label=label)

        for key in entry:
            if key not in allowed:
                report(key, f"unknown key; expected one of: {', '.join(sorted(allowed))}")
        leaflet_name = entry.get("leaflet")
        leaflet = project.leaflets.get(leaflet_name) if isinstance(leaflet_name, str) else None
        if leaflet is None:
            known = ", ".join(f'"{n}"' for n in project.leaflets)
            report(
                "leaflet", f"unknown leaflet {_describe(leaflet_name)}; expected one of: {known}"
            )
        code = entry.get("language")
        language = project.languages.get(code) if isinstance(code, str) else None
        if language is None:
            known = ", ".join(f'"{c}"' for c in project.languages)
            report("language", f"unknown language {_describe(code)}; expected one of: {known}")
        elif not language.reviewed and not allow_unreviewed:
            report(
                "language",
                f'"{language.code}" ({language.name}) is not reviewed (reviewed = false in '
                "leaflets.toml), so its leaflets are drafts; have a native speaker review it, "
                "or pass --allow-unreviewed and the ticket will say so",
            )
        quantity = _quantity(entry.get("quantity"), report)
        if leaflet and language:
            pair = (leaflet.name, language.code)
            if pair in seen:
                report(
                    "leaflet",
                    f"the same leaflet and language as items[{seen[pair]}]; add the quantities "
                    "into one item",
                )
            seen.setdefault(pair, index)
        if leaflet and language and quantity:
            items.append(OrderItem(len(items) + 1, leaflet, language, quantity))
    return items


def _quantity(value: Any, report: Callable[[str, str], None]) -> int | None:
    if value is None:
        report("quantity", "missing; expected the number of copies")
    elif isinstance(value, float):
        report("quantity", f"expected a whole number of copies, got {value!r}")
    elif not isinstance(value, int) or isinstance(value, bool):
        report("quantity", f"expected a whole number of copies, got {_describe(value)}")
    elif not 1 <= value <= MAX_QUANTITY:
        report("quantity", f"expected from 1 to {MAX_QUANTITY:,} copies, got {value:,}")
    else:
        return value
    return None


# ---------------------------------------------------------------- print arithmetic


@dataclass(frozen=True)
class SheetCount:
    runs: int
    """Times to print the sheet file: ceil(quantity / per sheet)."""
    sheets: int
    """Sheets of paper those runs use."""
    copies: int
    """Copies that come out: runs × per sheet."""
    overage: int
    """Copies beyond the quantity, from rounding up to whole sheets."""


def sheet_count(quantity: int, per_sheet: int, sheets_per_run: int = 1) -> SheetCount:
    """Exact sheet arithmetic: whole sheets only, and the overage that rounding up gives."""
    if quantity < 1 or per_sheet < 1 or sheets_per_run < 1:
        raise ValueError("quantity, per_sheet and sheets_per_run must be at least 1")
    runs = ceil(quantity / per_sheet)
    return SheetCount(runs, runs * sheets_per_run, runs * per_sheet, runs * per_sheet - quantity)


def layout_for(leaflet: Leaflet, edition: Edition, paper: str, pages: int) -> Layout:
    """Small formats (a leaflet with its own size) are gridded on the paper; others go 1-up."""
    trim = leaflet.page_size_in(paper)
    if leaflet.size is not None:
        grid = impose.grid_layout(trim, PAPER_SIZES_IN[paper], edition.bleed_in, pages)
        if grid is not None:
            return grid
    return impose.one_up_layout(trim, edition.bleed_in, edition.crop_marks, pages)


def finishing(leaflet: Leaflet, layout: Layout) -> str:
    """What to do after printing, in the printer's words."""
    steps = []
    if layout.per_sheet > 1:
        w, h = layout.trim
        steps.append(
            f"Cut {layout.columns} × {layout.rows} at the crop marks ({layout.per_sheet} per "
            f"sheet, {w:g} × {h:g} in each; single cuts, no gutters)"
        )
    elif layout.crop_marks:
        steps.append(f"Trim to {layout.trim[0]:g} × {layout.trim[1]:g} in at the crop marks")
    if leaflet.orientation == "landscape" and leaflet.pages == 2:
        steps.append("letter fold (tri-fold), cover panel out")
    elif layout.sides > 2:
        steps.append("collate, staple top left")
    return "; ".join(steps) + "." if steps else "None: hand out flat."


# ---------------------------------------------------------------- the package


@dataclass
class PrintItem:
    """One item of the order, rendered and imposed."""

    item: OrderItem
    layout: Layout
    file: str
    """The print file, relative to the package folder."""
    proof: str
    """One tagged copy of the leaflet, relative to the package folder."""
    pages: int
    count: SheetCount
    finishing: str
    fallbacks: int = 0

    def facts(self) -> dict[str, Any]:
        layout, item = self.layout, self.item
        return {
            "number": item.number,
            "file": self.file,
            "proof": self.proof,
            "leaflet": item.leaflet.name,
            "title": item.leaflet.title,
            "language": item.language.code,
            "language_name": item.language.name,
            "reviewed": item.language.reviewed,
            "quantity": item.quantity,
            "per_sheet": layout.per_sheet,
            "layout": f"{layout.columns} × {layout.rows}",
            "print_runs": self.count.runs,
            "sheets": self.count.sheets,
            "copies": self.count.copies,
            "overage": self.count.overage,
            "pages": self.pages,
            "duplex": layout.duplex,
            "flip": layout.flip,
            "sheet_in": list(layout.sheet),
            "trim_in": list(layout.trim),
            "bleed_in": layout.bleed,
            "crop_marks": layout.crop_marks,
            "finishing": self.finishing,
        }


@dataclass
class Package:
    path: Path
    zip_path: Path
    items: list[PrintItem]
    files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def total_sheets(self) -> int:
        return sum(p.count.sheets for p in self.items)


Progress = Callable[[str], None]


def package_path(project: Project, order: Order, out: Path | None = None) -> Path:
    """out/orders/<slug>, checked to be inside out/orders/ whatever the order's name was."""
    root = ((out or project.build.out) / "orders").resolve()
    target = (root / order.slug).resolve()
    if target.parent != root:
        raise OrderError(f"order name {order.name!r} does not make a safe folder name", order.path)
    return target


def write_package(
    project: Project,
    order: Order,
    *,
    out: Path | None = None,
    progress: Progress | None = None,
) -> Package:
    """Render, impose and write the order's package; all of it, or nothing."""
    target = package_path(project, order, out)
    orders_root = target.parent
    created = [p for p in (orders_root, *orders_root.parents) if not p.exists()]
    orders_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{order.slug}.", suffix=".tmp", dir=orders_root))
    try:
        package = _build(project, order, staging, progress)
        _swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        # Folders this run made (out/, out/orders/) go too, if nothing else has used them.
        for folder in created:
            try:
                folder.rmdir()
            except OSError:
                break
        raise
    package.path = target
    package.zip_path = target / package.zip_path.name
    return package


def _build(project: Project, order: Order, folder: Path, progress: Progress | None) -> Package:
    from .build import Output, check_page_count
    from .typeset import Typesetter

    # The tri-fold, flyer and large print take the order's paper, whatever build.paper says.
    print_project = dataclasses.replace(
        project, build=dataclasses.replace(project.build, paper=order.paper)
    )
    renderer = Renderer(print_project)
    typesetter = Typesetter(print_project)
    options = RenderOptions(edition=order.edition)
    variant = editions.pdf_variant(order.edition)
    (folder / "proofs").mkdir()
    printed: list[PrintItem] = []
    warnings = list(order.warnings)
    catalogs: dict[str, Any] = {}
    for item in order.items:
        if progress:
            progress(f"[{item.number}/{len(order.items)}] {item.label}")
        code = item.language.code
        if code not in catalogs:
            catalogs[code] = load_translations(print_project, code)
        translations = catalogs[code]
        translations.fallbacks.clear()
        rendered = renderer.html(item.leaflet, item.language, translations, options)
        label = f"{item.leaflet.name} ({item.language.code})"
        document = typesetter.layout(rendered.html, variant)
        check_page_count(
            item.leaflet, len(document.pages), Output(item.leaflet.name, item.language.code, folder)
        )
        leaflet_pdf = editions.finish(typesetter.pdf(document, variant), order.edition)
        layout = layout_for(item.leaflet, order.edition, order.paper, len(document.pages))
        proof = f"proofs/{item.leaflet.name}-{item.language.code}.pdf"
        (folder / proof).write_bytes(leaflet_pdf)
        title = f"{order.event}: {item.leaflet.title} ({item.language.name}), print sheet"
        sheet_pdf = impose.impose_n_up(leaflet_pdf, layout, title)
        file = f"{item.stem}.pdf"
        (folder / file).write_bytes(sheet_pdf)
        if rendered.fallbacks:
            warnings.append(
                f"{label}: {rendered.fallbacks} strings are printed in "
                f"{project.source_language.name}: the catalog has no translation for them"
            )
        printed.append(
            PrintItem(
                item=item,
                layout=layout,
                file=file,
                proof=proof,
                pages=len(document.pages),
                count=sheet_count(item.quantity, layout.per_sheet, layout.sheets_per_copy_run),
                finishing=finishing(item.leaflet, layout),
                fallbacks=rendered.fallbacks,
            )
        )
    package = Package(
        path=folder, zip_path=folder / f"{order.slug}.zip", items=printed, warnings=warnings
    )
    facts = ticket_facts(order, package)
    if progress:
        progress("ticket")
    (folder / "ticket.json").write_text(
        json.dumps(facts, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (folder / "ticket.pdf").write_bytes(render_ticket(print_project, facts, typesetter))
    package.files = _write_manifest(folder, order)
    _write_zip(folder, package.zip_path, order.slug)
    return package


def ticket_facts(order: Order, package: Package) -> dict[str, Any]:
    """Everything the printer needs, as plain data: ticket.json, and what ticket.pdf shows."""
    office = order.deliver_to
    edition = order.edition
    requester = order.requested_by
    return {
        "order": order.slug,
        "order_file": order.path.name,
        "created": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "event": {"name": order.event, "date": order.event_date.isoformat()},
        "need_by": order.need_by.isoformat(),
        "deliver_to": {
            "office": office.id,
            "name": office.name,
            "address": f"{office.street}, {office.city}, {office.region} {office.postal_code}",
            "phone": office.phone.display,
        },
        "requested_by": {
            "name": requester.name,
            "email": requester.email,
            "phone": requester.phone.display if requester.phone else None,
        },
        "edition": {
            "name": edition.name,
            "title": edition.title,
            "bleed_in": edition.bleed_in,
            "safe_margin_in": edition.safe_margin_in,
            "pdf_x": editions.claims_pdf_x(edition),
            "output_intent": (
                editions.profile_description(p)
                if (p := editions.output_profile(edition)) and edition.pdf_x
                else None
            ),
            "standard": editions.pdf_x_note(edition),
        },
        "paper": {
            "size": order.paper,
            "name": PAPER_NAMES.get(order.paper, order.paper),
            "stock": order.stock,
        },
        "notes": order.notes,
        "unreviewed_languages": [
            {"code": lang.code, "name": lang.name} for lang in order.unreviewed
        ],
        "allow_unreviewed": order.allow_unreviewed,
        "items": [p.facts() for p in package.items],
        "total_sheets": package.total_sheets,
        "total_copies": sum(p.item.quantity for p in package.items),
        "warnings": package.warnings,
    }


def render_ticket(project: Project, facts: dict[str, Any], typesetter: Any) -> bytes:
    """The one-page job ticket, from templates/print/ticket.html.j2. English: it is for the
    printer, and it goes through no catalog."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(project.templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = env.get_template(TICKET_TEMPLATE)
    # Long orders shrink the type until the ticket is one page again.
    for scale in (1.0, 0.85, 0.72, 0.6):
        html = template.render(facts=facts, font_css=Markup(font_face_css()), scale=scale)
        document = typesetter.layout(html)
        if len(document.pages) == 1:
            break
    else:
        raise OrderError(
            f"the job ticket needs {len(document.pages)} pages for {len(facts['items'])} items; "
            "split the order into smaller ones"
        )
    return typesetter.pdf(document)


def _write_manifest(folder: Path, order: Order) -> list[str]:
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    manifest = {
        "order": order.slug,
        "algorithm": "sha256",
        "files": [
            {
                "path": name,
                "bytes": (folder / name).stat().st_size,
                "sha256": hashlib.sha256((folder / name).read_bytes()).hexdigest(),
            }
            for name in files
        ],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return [*files, "manifest.json"]


def _write_zip(folder: Path, zip_path: Path, slug: str) -> None:
    """The whole package (manifest included) in one file, under a <slug>/ folder."""
    members = sorted(p for p in folder.rglob("*") if p.is_file() and p != zip_path)
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member in members:
            archive.write(member, f"{slug}/{member.relative_to(folder)}")


def _swap_into_place(staging: Path, target: Path) -> None:
    """Rename the finished package into place; an older package of the same name goes."""
    os.chmod(staging, 0o755)
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        os.replace(target, old / target.name)
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
