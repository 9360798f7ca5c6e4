"""Measure: how the text of each fixed region sits in WeasyPrint's laid-out boxes.

Templates mark each fixed-size region (a tri-fold panel, the flyer page, a side of the card) with
`data-region`, and the CSS gives it a fixed size with `overflow: hidden`. WeasyPrint then clips
or silently drops what does not fit, so a cut-off panel would look fine to the page count.
This module walks the box tree after layout and checks each region: lines below its content box,
text wider than it, text of its element missing from its boxes, a region split over two pages
or pushed off its page. It also says how full each region is, which fit.py uses to choose the
body size. A region laid out in columns (the tri-fold's inside panels, one text flow in
`column-count: 3`) overflows into extra columns past its last one, and its fill is measured
per column. fit.py decides what to do about it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .render import RenderedLeaflet
from .text_compare import element_text, is_subsequence, squash
from .weasyprint_adapters import page_box

if TYPE_CHECKING:
    from weasyprint.document import Document

# WeasyPrint lays out in CSS pixels: 96 to the inch, 72 points to the inch.
PT_PER_PX = 0.75
# Sub-pixel differences are rounding, not overflow.
TOLERANCE_PX = 0.5


@dataclass(frozen=True)
class RegionFit:
    """How one fixed region's content sits in its box after layout."""

    name: str
    kind: str
    """What the region is called in messages: "panel" for tri-fold panels, else "region"."""
    page: int
    """1-based page the region was laid out on."""
    overflow_px: float
    """How far content runs past the bottom of the region's content box (0 when it fits)."""
    lines: int
    """Lines of text that are cut off or hidden."""
    too_wide_px: float
    """How far text runs past the left or right edge (a word too long to wrap)."""
    moved: bool
    """The region's box does not lie within its page (a float pushed down or sideways)."""
    truncated: bool
    """Text of the region's element is missing from its box: dropped, or split onto a new page."""
    height_px: float
    """Height of the region's content box."""
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    """The region's border box on its page: x, y, width, height in CSS px."""
    paragraphs: tuple[str, ...] = ()
    """Text of the paragraphs that do not fit, the one cut by the bottom edge first."""
    text: str = ""
    """All the region's text, when it was measured in the natural layout."""
    fill: tuple[float, ...] = ()
    """How much of its height the content takes, 0 to 1: one figure per column of a region in
    columns (extra columns, which overflow, included), else one for the region."""
    columns: int = 1
    """Columns the region is laid out in (column-count); 1 for a plain region."""

    @property
    def fits(self) -> bool:
        return not (self.overflow_px > 0 or self.too_wide_px > 0 or self.moved or self.truncated)

    @property
    def overflow_pt(self) -> int:
        return math.ceil(max(self.overflow_px, self.too_wide_px) * PT_PER_PX)

    @property
    def label(self) -> str:
        """How messages name the region: 'panel "back"', or "the inside panels" for a flow."""
        return f"the {self.name} panels" if self.kind == "panels" else f'{self.kind} "{self.name}"'

    @property
    def plural(self) -> bool:
        return self.kind == "panels"

    @property
    def fullest(self) -> float:
        """The fill of the region, or of its fullest column: balanced columns of whole
        paragraphs stop fitting when one column is full, not when the text would fill all."""
        return max(self.fill, default=0.0)


# ---------------------------------------------------------------- measuring
#
# WeasyPrint does not keep what overflows a fixed-height box that reaches the page bottom: it
# "forgets overflowing children" (weasyprint/layout/block.py). So the laid-out tree can only say
# *that* text is missing, by comparing the text laid out in a region with the text of its
# element. How much is missing comes from a second, natural layout of the same HTML, where
# regions take the height their content needs on a very tall page. That layout runs only when
# a region does not fit, so a build where everything fits pays for one tree walk, not a layout.


def measure(document: Document) -> list[RegionFit]:
    """Every data-region box in the laid-out document, checked against its own content box."""
    found: list[RegionFit] = []
    for number, page in enumerate(document.pages, start=1):
        boxes = page_box(page)
        for box in _region_boxes(boxes):
            found.append(_measure_region(box, number, boxes))
    # A region whose element produced boxes on two pages was split by a page break: its text
    # runs on where the fold puts it in the wrong place. Keep the first part, marked as cut.
    first: dict[str, RegionFit] = {}
    for region in found:
        if region.name in first:
            first[region.name] = replace(first[region.name], truncated=True)
        else:
            first[region.name] = region
    return list(first.values())


def _region_boxes(box: Any) -> Iterator[Any]:
    if _region_name(box):
        yield box
        return  # regions do not nest
    for child in getattr(box, "children", ()):
        yield from _region_boxes(child)


def _region_name(box: Any) -> str | None:
    element = getattr(box, "element", None)
    # Only the element's own box, not anonymous or pseudo-element boxes that share it.
    if element is None or getattr(box, "element_tag", None) != element.tag:
        return None
    return element.get("data-region")


def _lines(box: Any, parent: Any = None, skip: list[Any] | tuple = ()) -> Iterator[tuple[Any, Any]]:
    """(line box, the block that holds it) for every line under `box`, but those in `skip`."""
    if type(box).__name__ == "LineBox":
        yield box, parent
    for child in getattr(box, "children", ()):
        if not any(child is other for other in skip):
            yield from _lines(child, box, skip)


def _pinned(box: Any) -> list[Any]:
    """The absolutely positioned boxes in a region: out of the flow, placed by the CSS."""
    found = []
    for child in getattr(box, "children", ()):
        if type(child).__name__ == "AbsolutePlaceholder":
            # WeasyPrint places list markers outside their items this way too: they are text.
            if not str(getattr(child, "element_tag", "")).endswith("::marker"):
                found.append(child)
        else:
            found.extend(_pinned(child))
    return found


def _boxes(box: Any, skip: list[Any] | tuple = ()) -> Iterator[Any]:
    """`box` and every box under it, leaving out the subtrees in `skip`."""
    yield box
    for child in getattr(box, "children", ()):
        if not any(child is other for other in skip):
            yield from _boxes(child, skip)


def _available_height(box: Any) -> float:
    """The height of the region's content box as the CSS declares it.

    A region split by a page break has a shorter first fragment without its bottom padding,
    so the laid-out height alone would understate the room.
    """
    style = box.style
    height = style["height"]
    if height == "auto" or getattr(height, "unit", None) != "px":
        return box.height
    available = height.value
    if style["box_sizing"] == "border-box":
        bottom = style["padding_bottom"]
        bottom_px = bottom.value if getattr(bottom, "unit", None) == "px" else box.padding_bottom
        available -= box.padding_top + box.border_top_width + bottom_px
        available -= style["border_bottom_width"]
    return available


def _measure_region(box: Any, page: int, page_box: Any) -> RegionFit:
    top = box.content_box_y()
    available = _available_height(box)
    # A block pinned to the foot (the cover's council) ends the room for the text above it.
    pinned = _pinned(box)
    if pinned:
        available = min(available, min(p.border_box_y() for p in pinned) - top)
    bottom = top + available
    # Lines that WeasyPrint kept but that sit below the content box (in the padding) are cut.
    overflow, lines, cut = _below(box, bottom, skip=pinned)
    if pinned:
        # Rules and borders may not run into a pinned block either.
        overflow = max(overflow, _content_bottom(box, pinned) - bottom)
    columns = _columns(box)
    count = _column_count(box) if columns else 1
    # Columns past the last one hold the text that did not fit: all of it is cut.
    spilled = columns[count:]
    for column in spilled:
        overflow += _content_bottom(column) - column.content_box_y()
        # A list item's marker is a line box of its own, beside the item's first line.
        rows = set()
        for line, block in _lines(column):
            rows.add(round(line.position_y))
            if block not in cut:
                cut.append(block)
        lines += len(rows)
    too_wide, below_images = _outside(box, bottom, skip=spilled)
    overflow = max(overflow, below_images)
    classes = (box.element.get("class") or "").split()
    if columns:
        fill = tuple(_extent(column) / available for column in columns)
    else:
        fill = (_extent(box, pinned) / available if available > 0 else 0.0,)
    return RegionFit(
        name=_region_name(box) or "",
        kind="panel" if "panel" in classes else "panels" if "panels" in classes else "region",
        page=page,
        overflow_px=overflow if overflow > TOLERANCE_PX else 0.0,
        lines=lines,
        too_wide_px=too_wide if too_wide > TOLERANCE_PX else 0.0,
        moved=_off_page(box, page_box),
        truncated=not is_subsequence(squash(element_text(box.element)), squash(laid_text(box))),
        height_px=available,
        box=(box.border_box_x(), box.border_box_y(), box.border_width(), box.border_height()),
        paragraphs=tuple(laid_text(block) for block in cut),
        fill=tuple(round(f, 4) for f in fill),
        columns=count,
    )


def _below(box: Any, bottom: float, skip: list[Any] | tuple = ()) -> tuple[float, int, list[Any]]:
    """How far lines reach below `bottom`, how many do, and the blocks they belong to."""
    overflow = 0.0
    lines = 0
    cut: list[Any] = []
    for line, block in _lines(box, skip=skip):
        line_bottom = line.position_y + line.height
        if line_bottom > bottom + TOLERANCE_PX:
            lines += 1
            overflow = max(overflow, line_bottom - bottom)
            if block not in cut:
                cut.append(block)
    return overflow, lines, cut


def _outside(box: Any, bottom: float, skip: list[Any]) -> tuple[float, float]:
    """How far text runs past the region's sides, and images (the QR code too) below it."""
    left = box.content_box_x()
    right = left + box.width
    too_wide = below = 0.0
    for node in _boxes(box, skip=skip):
        kind = type(node).__name__
        if kind == "TextBox" and node.text.strip():
            too_wide = max(too_wide, node.position_x + node.width - right, left - node.position_x)
        elif "Replaced" in kind:
            below = max(below, node.border_box_y() + node.border_height() - bottom)
    return too_wide, below


def _off_page(box: Any, page_box: Any) -> bool:
    """A region outside its page (a float pushed down or sideways) is as bad as a cut-off one.
    The press edition runs backgrounds on into the bleed on purpose: the bleed counts as page."""
    page_x, page_y, page_width, page_height = page_box.bleed_area
    return (
        box.border_box_y() + box.border_height() > page_y + page_height + TOLERANCE_PX
        or box.border_box_x() + box.border_width() > page_x + page_width + TOLERANCE_PX
        or box.border_box_x() < page_x - TOLERANCE_PX
        or box.border_box_y() < page_y - TOLERANCE_PX
    )


def _columns(box: Any) -> list[Any]:
    """The column boxes WeasyPrint made for a region in columns; empty for any other."""
    return [child for child in getattr(box, "children", ()) if getattr(child, "is_column", False)]


def _column_count(box: Any) -> int:
    count = box.style["column_count"]
    return count if isinstance(count, int) else 1


def _extent(box: Any, pinned: list[Any] | tuple = ()) -> float:
    """How far down the region's text and images reach, as fit measures overflow: a border
    or padding below the last line may sit in the region's padding. A pinned block does not
    count: it stays where the CSS puts it whatever the size of the type."""
    bottom = box.content_box_y()
    for node in _boxes(box, skip=pinned):
        kind = type(node).__name__
        if kind == "LineBox":
            bottom = max(bottom, node.position_y + node.height)
        elif "Replaced" in kind:
            bottom = max(bottom, node.border_box_y() + node.border_height())
    return bottom - box.content_box_y()


def laid_text(box: Any) -> str:
    """The text WeasyPrint laid out under `box`, lines joined by spaces."""
    parts: list[str] = []
    for node in _boxes(box):
        kind = type(node).__name__
        if kind == "TextBox":
            parts.append(node.text)
        elif kind == "LineBox":
            parts.append(" ")
    return " ".join("".join(parts).split())


def unbounded(rendered: RenderedLeaflet, page_width_in: float) -> RenderedLeaflet:
    """The HTML with every region as tall as its content, on one tall page: laid out, it
    says how far each region's text runs past its box (natural_boxes)."""
    html = rendered.html
    rules = (
        f"<style>@page {{ size: {page_width_in:.4f}in 200in; }} "
        ".sheet, [data-region] { height: auto !important; min-height: 0 !important; }</style>"
    )
    head_end = html.find("</head>")
    return replace(rendered, html=html[:head_end] + rules + html[head_end:])


def natural_boxes(document: Document) -> dict[str, Any]:
    """Region name → its box, in the layout of unbounded() HTML."""
    boxes: dict[str, Any] = {}
    for page in document.pages:
        for box in _region_boxes(page_box(page)):
            boxes.setdefault(_region_name(box) or "", box)
    return boxes


def with_natural_overflow(region: RegionFit, natural: Any | None) -> RegionFit:
    """The region's overflow in points and cut-off lines, from its box in the natural layout."""
    if natural is None:
        return region
    if region.columns > 1 and region.overflow_px > 0:
        # A flow in columns spills into columns past its last one, where every line and
        # paragraph is already counted; as tall as its content, it would only balance longer.
        return replace(region, text=laid_text(natural))
    limit = natural.content_box_y() + region.height_px
    _, lines, cut = _below(natural, limit)
    # Trailing margins are not content: measure to the last line, image or border.
    overflow = max(_content_bottom(natural) - limit, region.overflow_px)
    if region.truncated:
        overflow = max(overflow, 1 / PT_PER_PX)
    return replace(
        region,
        overflow_px=max(overflow, 0.0),
        lines=max(lines, region.lines),
        paragraphs=tuple(laid_text(block) for block in cut) or region.paragraphs,
        text=laid_text(natural),
    )


def _content_bottom(box: Any, skip: list[Any] | tuple = ()) -> float:
    bottom = box.content_box_y()
    for node in _boxes(box, skip=skip):
        kind = type(node).__name__
        if kind == "LineBox":
            bottom = max(bottom, node.position_y + node.height)
        elif "Replaced" in kind or (node is not box and node.style["border_bottom_width"]):
            bottom = max(bottom, node.border_box_y() + node.border_height())
    return bottom
