"""Printing: a validated `Order` → its print package in out/orders/<slug>/.

`write_package()` renders each item in the order's edition, imposes it (impose.py), and writes
the print files, proofs/ (one tagged copy of each leaflet), ticket.pdf and ticket.json for the
printer, manifest.json (SHA-256 of every file) and <slug>.zip. The package is built in a
temporary folder beside its final place and renamed into place at the end, so a failed order
leaves nothing behind, and an older package of the same name stays until the new one is whole.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from math import ceil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from ..config.fonts import font_face_css
from ..config.model import PAPER_SIZES_IN, Edition, Leaflet, Project
from ..errors import OrderError
from ..i18n.translations import load_translations
from ..layout import fit, page
from ..layout.render import Renderer, RenderOptions
from ..pdf import audit
from . import editions, impose
from .impose import Layout
from .orders import Order, OrderItem

if TYPE_CHECKING:
    from ..layout.typeset import Typesetter

TICKET_TEMPLATE = "print/ticket.html.j2"
PAPER_NAMES = {"letter": "US Letter", "a4": "A4"}


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
    from ..layout.typeset import Typesetter

    # The tri-fold, flyer and large print take the order's paper, whatever build.paper says.
    print_project = dataclasses.replace(
        project, build=dataclasses.replace(project.build, paper=order.paper)
    )
    renderer = Renderer(print_project)
    typesetter = Typesetter(print_project)
    options = RenderOptions(edition=order.edition)
    variant = page.pdf_variant(order.edition)
    (folder / "proofs").mkdir()
    printed: list[PrintItem] = []
    warnings = list(order.warnings)
    if order.edition.pdf_x and not page.claims_pdf_x(order.edition):
        # Said out loud rather than shipping files that claim PDF/X without an output intent.
        warnings.append(editions.pdf_x_note(order.edition))
    catalogs: dict[str, Any] = {}
    for item in order.items:
        if progress:
            progress(f"[{item.number}/{len(order.items)}] {item.label}")
        code = item.language.code
        if code not in catalogs:
            catalogs[code] = load_translations(print_project, code)
        translations = catalogs[code]
        translations.fallbacks.clear()
        label = f"{order.path.name}: items[{item.number - 1}] {item.leaflet.name} ({code})"
        # Measured like any build: a print package never holds a cut-off panel.
        document, fitted = fit.layout(
            print_project,
            item.leaflet,
            translations,
            label,
            render=lambda scale, item=item, translations=translations: renderer.html(
                item.leaflet,
                item.language,
                translations,
                dataclasses.replace(options, font_scale=scale),
            ),
            typeset=lambda rendered: typesetter.layout(rendered.html, pdf_variant=variant),
            fit=project.build.fit,
        )
        rendered = fitted.rendered
        fit.check_page_count(item.leaflet, len(document.pages), label)
        # The same PDF/UA repairs and audit as `leaflets build`: the proofs are the leaflet too.
        leaflet_pdf = audit.accessible(
            typesetter.pdf(document, pdf_variant=variant),
            rendered.html,
            folder / "proofs" / f"{item.leaflet.name}-{code}.pdf",
            item.leaflet,
            item.language.bcp47,
            label,
        )
        leaflet_pdf = editions.finish(leaflet_pdf, order.edition)
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
            "pdf_x": page.claims_pdf_x(edition),
            "output_intent": (
                editions.profile_description(p)
                if (p := page.output_profile(edition)) and edition.pdf_x
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


def render_ticket(project: Project, facts: dict[str, Any], typesetter: Typesetter) -> bytes:
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
