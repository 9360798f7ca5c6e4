"""Sheets: what each item of an order becomes on the press, as plain print arithmetic.

Its layout on the sheet (imposition), how many times to print the sheet file, the paper that
takes and the overage that rounding up gives, and what to do after printing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil
from pathlib import Path
from typing import Any

from ..config.model import PAPER_SIZES_IN, Edition, Language, Leaflet, Project
from ..config.paths import inside
from ..errors import OrderError
from ..i18n.locale_data import LocaleFormatter
from ..layout.page import trifold_panels
from . import impose
from .impose import Layout
from .orders import Order, OrderItem


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


def folding(leaflet: Leaflet, language: Language, trim: tuple[float, float]) -> dict | None:
    """A tri-fold's panels as the shop folds them: page 1 (the outside) from its left trim
    edge, each panel's width, where the folds are, and which panel is the cover. A right-to-left
    leaflet opens the other way: its cover is the outside's left panel (styles/trifold.css)."""
    if not (leaflet.orientation == "landscape" and leaflet.pages == 2):
        return None
    panel, fold_in = trifold_panels(trim[0])
    names = ["fold-in flap", "back", "cover"]
    widths = [fold_in, panel, panel]
    if LocaleFormatter(language).direction == "rtl":
        names, widths = names[::-1], widths[::-1]
    return {
        "panels": [{"name": n, "width_in": w} for n, w in zip(names, widths, strict=True)],
        "folds_in": [round(widths[0], 4), round(widths[0] + widths[1], 4)],
        "cover": "left" if names[0] == "cover" else "right",
    }


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
            "reviewed": item.reviewed,
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
            "folding": folding(item.leaflet, item.language, layout.trim),
            "bleed_in": layout.bleed,
            "crop_marks": layout.crop_marks,
            # A 1-up sheet without bleed or marks is the proof itself, tagged; an imposed one
            # draws the leaflet's pages as forms, with marks, and carries no tags.
            "tagged": layout.identity,
            "finishing": self.finishing,
        }


def proof_file(item: OrderItem) -> str:
    """An item's proof, relative to the package folder: one tagged copy of the leaflet."""
    return f"proofs/{item.leaflet.name}-{item.language.code}.pdf"


def print_item(
    item: OrderItem, edition: Edition, paper: str, pages: int, fallbacks: int = 0
) -> PrintItem:
    """What an item of `pages` pages becomes on the press: its layout, files and sheets. The
    package gives the pages it rendered; a preview, the pages the leaflet declares."""
    layout = layout_for(item.leaflet, edition, paper, pages)
    return PrintItem(
        item=item,
        layout=layout,
        file=f"{item.stem}.pdf",
        proof=proof_file(item),
        pages=pages,
        count=sheet_count(item.quantity, layout.per_sheet, layout.sheets_per_copy_run),
        finishing=finishing(item.leaflet, layout),
        fallbacks=fallbacks,
    )


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


def package_path(project: Project, order: Order, out: Path | None = None) -> Path:
    """out/orders/<slug>, checked to be inside out/orders/ whatever the order's name was, and
    (through links) inside the project."""
    root = inside(project.root, (out or project.build.out) / "orders", outside_ok=True)
    target = inside(project.root, root / order.slug, outside_ok=True)
    if target.parent != root:
        raise OrderError(f"order name {order.name!r} does not make a safe folder name", order.path)
    return target
