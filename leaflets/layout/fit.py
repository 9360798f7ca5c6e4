"""Fit: measure every fixed region in WeasyPrint's laid-out boxes, and shrink type where allowed.

Templates mark each fixed-size region (a tri-fold panel, the flyer page, a side of the card) with
`data-region`, and the CSS gives it a fixed size with `overflow: hidden`. WeasyPrint then clips
or silently drops what does not fit, so a cut-off panel would look fine to the page count.
This module walks the box tree after layout and checks each region: lines below its content box,
text wider than it, text of its element missing from its boxes, a region split over two pages
or pushed off its page. A region that does not fit fails the build with the size of the
overflow and the msgid to shorten, or, with `fit = "shrink"`, has its type scaled down by a
bisection over sizes in 0.1 pt steps, never below the leaflet's floor (`min_font_pt`).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..config.model import FIT_MODES, Leaflet, Project
from ..errors import FitError, LeafletsError
from ..i18n.placeholders import PERCENT_RE
from ..i18n.pofile import read_catalog
from ..i18n.translations import Translations
from .render import RenderedLeaflet

if TYPE_CHECKING:
    from weasyprint.document import Document

# WeasyPrint lays out in CSS pixels: 96 to the inch, 72 points to the inch.
PT_PER_PX = 0.75
# Sub-pixel differences are rounding, not overflow.
TOLERANCE_PX = 0.5
# Type shrinks in steps of this many points: small enough to be invisible, coarse enough that
# the bisection needs only a few layouts (11 pt → 10 pt is 10 steps, so 4 layouts).
STEP_PT = 0.1


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
    smallest_pt: float
    """The smallest type laid out in the region, in points (inf when it holds no text)."""
    height_px: float
    """Height of the region's content box."""
    paragraphs: tuple[str, ...] = ()
    """Text of the paragraphs that do not fit, the one cut by the bottom edge first."""
    text: str = ""
    """All the region's text, when it was measured in the natural layout."""

    @property
    def fits(self) -> bool:
        return not (self.overflow_px > 0 or self.too_wide_px > 0 or self.moved or self.truncated)

    @property
    def overflow_pt(self) -> int:
        return math.ceil(max(self.overflow_px, self.too_wide_px) * PT_PER_PX)

    @property
    def label(self) -> str:
        return f'{self.kind} "{self.name}"'


@dataclass(frozen=True)
class Shrink:
    """A region whose type was scaled down to fit."""

    region: str
    kind: str
    scale: float
    from_pt: float
    to_pt: float

    def describe(self) -> str:
        return (
            f'{self.kind} "{self.region}" shrunk to {self.to_pt:g} pt '
            f"(from {self.from_pt:g} pt, {self.scale:.0%})"
        )


@dataclass
class FitReport:
    """What layout() did: the HTML it kept, the regions it shrank and how many layouts it ran."""

    rendered: RenderedLeaflet
    regions: list[RegionFit]
    shrunk: list[Shrink] = field(default_factory=list)
    layouts: int = 1

    @property
    def fallbacks(self) -> int:
        return self.rendered.fallbacks


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
        page_box = page._page_box
        for box in _region_boxes(page_box):
            found.append(_measure_region(box, number, page_box))
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


def _lines(box: Any, parent: Any = None) -> Iterator[tuple[Any, Any]]:
    """(line box, the block that holds it) for every line under `box`."""
    if type(box).__name__ == "LineBox":
        yield box, parent
    for child in getattr(box, "children", ()):
        yield from _lines(child, box)


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


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
    bottom = top + available
    left = box.content_box_x()
    right = left + box.width
    overflow = too_wide = 0.0
    lines = 0
    cut: list[Any] = []
    # Lines that WeasyPrint kept but that sit below the content box (in the padding) are cut.
    for line, block in _lines(box):
        line_bottom = line.position_y + line.height
        if line_bottom > bottom + TOLERANCE_PX:
            lines += 1
            overflow = max(overflow, line_bottom - bottom)
            if block not in cut:
                cut.append(block)
    for node in _boxes(box):
        kind = type(node).__name__
        if kind == "TextBox" and node.text.strip():
            too_wide = max(too_wide, node.position_x + node.width - right, left - node.position_x)
        elif "Replaced" in kind:
            # Images and the QR code are content too.
            edge = node.border_box_y() + node.border_height()
            overflow = max(overflow, edge - bottom)
    # A region outside its page (a float pushed down or sideways) is as bad as a cut-off one.
    # The press edition runs backgrounds on into the bleed on purpose: the bleed counts as page.
    page_x, page_y, page_width, page_height = page_box.bleed_area
    moved = (
        box.border_box_y() + box.border_height() > page_y + page_height + TOLERANCE_PX
        or box.border_box_x() + box.border_width() > page_x + page_width + TOLERANCE_PX
        or box.border_box_x() < page_x - TOLERANCE_PX
        or box.border_box_y() < page_y - TOLERANCE_PX
    )
    classes = (box.element.get("class") or "").split()
    return RegionFit(
        name=_region_name(box) or "",
        kind="panel" if "panel" in classes else "region",
        page=page,
        overflow_px=overflow if overflow > TOLERANCE_PX else 0.0,
        lines=lines,
        too_wide_px=too_wide if too_wide > TOLERANCE_PX else 0.0,
        moved=moved,
        truncated=not _is_subsequence(
            _squash(_element_text(box.element)), _squash(_laid_text(box))
        ),
        smallest_pt=_smallest_pt(box),
        height_px=available,
        paragraphs=tuple(_laid_text(block) for block in cut),
    )


def _smallest_pt(box: Any) -> float:
    """The smallest type of the visible text under `box`, in points (inf when there is none)."""
    sizes = [
        node.style["font_size"]
        for node in _boxes(box)
        if type(node).__name__ == "TextBox" and node.text.strip()
    ]
    return round(min(sizes) * PT_PER_PX, 2) if sizes else math.inf


def _laid_text(box: Any) -> str:
    """The text WeasyPrint laid out under `box`, lines joined by spaces."""
    parts: list[str] = []
    for node in _boxes(box):
        kind = type(node).__name__
        if kind == "TextBox":
            parts.append(node.text)
        elif kind == "LineBox":
            parts.append(" ")
    return " ".join("".join(parts).split())


def _element_text(element: Any) -> str:
    """The text of an HTML element, without SVG (a QR code's <title> is not laid out as text)."""
    parts: list[str] = []

    def collect(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag.rpartition("}")[2] in ("svg", "style", "script", "template"):
            parts.append(node.tail or "")
            return
        parts.append(node.text or "")
        for child in node:
            collect(child)
        parts.append(node.tail or "")

    collect(element)
    parts[-1] = ""  # the element's own tail is outside it
    return "".join(parts)


def _squash(text: str) -> str:
    # Layout folds white space and may drop invisible format characters at line breaks.
    return "".join(
        c
        for c in text
        if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp")
    )


def _is_subsequence(needle: str, haystack: str) -> bool:
    """True when every character of `needle` appears in `haystack`, in order.

    Layout only adds text (list markers, hyphens at breaks), so laid-out text that is missing a
    character of the element's text was cut off.
    """
    rest = iter(haystack)
    return all(char in rest for char in needle)


def natural_heights(
    typeset: Typeset, rendered: RenderedLeaflet, page_width_in: float
) -> dict[str, Any]:
    """Lay the HTML out with every region as tall as its content: region name → its box."""
    html = rendered.html
    unbounded = (
        f"<style>@page {{ size: {page_width_in:.4f}in 200in; }} "
        ".sheet, [data-region] { height: auto !important; min-height: 0 !important; }</style>"
    )
    head_end = html.find("</head>")
    document = typeset(replace(rendered, html=html[:head_end] + unbounded + html[head_end:]))
    boxes: dict[str, Any] = {}
    for page in document.pages:
        for box in _region_boxes(page._page_box):
            boxes.setdefault(_region_name(box) or "", box)
    return boxes


def with_natural_overflow(region: RegionFit, natural: Any | None) -> RegionFit:
    """The region's overflow in points and cut-off lines, from its box in the natural layout."""
    if natural is None:
        return region
    limit = natural.content_box_y() + region.height_px
    lines = 0
    cut: list[Any] = []
    for line, block in _lines(natural):
        if line.position_y + line.height > limit + TOLERANCE_PX:
            lines += 1
            if block not in cut:
                cut.append(block)
    # Trailing margins are not content: measure to the last line, image or border.
    overflow = max(_content_bottom(natural) - limit, region.overflow_px)
    if region.truncated:
        overflow = max(overflow, 1 / PT_PER_PX)
    return replace(
        region,
        overflow_px=max(overflow, 0.0),
        lines=max(lines, region.lines),
        paragraphs=tuple(_laid_text(block) for block in cut) or region.paragraphs,
        text=_laid_text(natural),
    )


def _content_bottom(box: Any) -> float:
    bottom = box.content_box_y()
    for node in _boxes(box):
        kind = type(node).__name__
        if kind == "LineBox":
            bottom = max(bottom, node.position_y + node.height)
        elif "Replaced" in kind or (node is not box and node.style["border_bottom_width"]):
            bottom = max(bottom, node.border_box_y() + node.border_height())
    return bottom


# ---------------------------------------------------------------- naming the message


class MessageIndex:
    """Which msgid printed which text, so that a cut-off paragraph can be traced to its msgid.

    Built only when a region overflows, from the template catalog (messages.pot) and the
    language's translations.
    """

    def __init__(self, texts: dict[str, str]):
        self.seen = texts
        """msgid → the text it prints as (placeholders not filled in)."""

    @classmethod
    def load(cls, project: Project, translations: Translations) -> MessageIndex:
        try:
            template = read_catalog(project.pot_path)
        except LeafletsError:
            return cls({})
        # Ask through the gettext API, so that computed translations (the pseudo-locale) work
        # too; these look-ups are not part of the leaflet, so they must not count as fallbacks.
        fallbacks = set(translations.fallbacks)
        texts: dict[str, str] = {}
        try:
            for message in template:
                if not message.id:
                    continue
                if isinstance(message.id, str):
                    msgid = message.id
                    text = (
                        translations.pgettext(message.context, msgid)
                        if message.context
                        else translations.gettext(msgid)
                    )
                else:
                    msgid = message.id[0]
                    text = (
                        translations.npgettext(message.context, msgid, message.id[1], 1)
                        if message.context
                        else translations.ngettext(msgid, message.id[1], 1)
                    )
                texts[msgid] = text
        finally:
            translations.fallbacks.clear()
            translations.fallbacks.update(fallbacks)
        return cls(texts)

    def msgids_in(self, text: str) -> list[str]:
        """The msgids whose rendered text appears in `text`, longest text first."""
        flat = _squash(text)
        found = []
        for msgid, rendered in self.seen.items():
            # Placeholders are filled in after gettext: match the literal parts around them.
            literal = PERCENT_RE.sub(lambda m: "%" if m.group("conv") == "%" else "\0", rendered)
            chunks = [_squash(c) for c in literal.split("\0")]
            chunks = [c for c in chunks if c]
            if chunks and all(c in flat for c in chunks):
                found.append((sum(map(len, chunks)), msgid))
        return [msgid for _, msgid in sorted(found, key=lambda item: -item[0])]

    def culprit(self, region: RegionFit) -> str | None:
        """The msgid to shorten: the region's message that grew most in translation, else the
        message of the paragraph cut by the bottom edge (in the source language nothing grew)."""
        grown = [(len(self.seen[m]) - len(m), m) for m in self.msgids_in(region.text or "")]
        grown = [item for item in grown if item[0] > 0]
        if grown:
            return max(grown, key=lambda item: item[0])[1]
        for paragraph in region.paragraphs:
            found = self.msgids_in(paragraph)
            if found:
                return found[0]
        return None


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------- layout with fitting


Render = Callable[[dict[str, float]], RenderedLeaflet]
"""Renders the leaflet's HTML with this font scale per region (RenderOptions.font_scale)."""
Typeset = Callable[[RenderedLeaflet], "Document"]
"""Lays rendered HTML out with WeasyPrint."""


def layout(
    project: Project,
    leaflet: Leaflet,
    translations: Translations,
    label: str,
    render: Render,
    typeset: Typeset,
    fit: str = "error",
) -> tuple[Document, FitReport]:
    """Render and lay out one leaflet; fail with FitError, or shrink type, when a region overflows.

    `fit` is "error" (overflow fails the build) or "shrink" (type shrinks in overflowing regions,
    down to leaflet.min_font_pt). Regions are fixed boxes, so each one's scale is searched
    independently, and all of them share each trial layout. Rendering and typesetting come in
    as callables, so that the builder keeps its own ways of doing both.
    """
    if fit not in FIT_MODES:
        raise LeafletsError(f"unknown fit mode {fit!r}; expected one of {', '.join(FIT_MODES)}")
    layouts = 0

    def attempt(scales: dict[str, float]) -> tuple[Document, RenderedLeaflet, dict[str, RegionFit]]:
        nonlocal layouts
        layouts += 1
        translations.fallbacks.clear()
        try:
            rendered = render(scales)
            document = typeset(rendered)
        except LeafletsError as exc:
            raise type(exc)(f"{label}: {exc.message}", exc.path, exc.line) from None
        return document, rendered, {r.name: r for r in measure(document)}

    def fail(
        rendered: RenderedLeaflet, regions: list[RegionFit], floor_pt: float | None
    ) -> FitError:
        width, _ = leaflet.page_size_in(project.build.paper)
        natural = natural_heights(typeset, rendered, width)
        explained = [with_natural_overflow(r, natural.get(r.name)) for r in regions]
        index = MessageIndex.load(project, translations)
        return FitError(_overflow_message(label, explained, index, floor_pt))

    document, rendered, regions = attempt({})
    base = dict(regions)
    over = [r for r in regions.values() if not r.fits]
    if not over:
        return document, FitReport(rendered, list(regions.values()), layouts=layouts)
    if fit != "shrink":
        raise fail(rendered, over, None)

    # The smallest type sets how far a region may shrink. Text that WeasyPrint dropped is
    # missing from this layout, so it is read from the natural one, where all of it is laid out.
    width, _ = leaflet.page_size_in(project.build.paper)
    natural = natural_heights(typeset, rendered, width)
    layouts += 1
    smallest = {
        r.name: min(r.smallest_pt, _smallest_pt(natural[r.name]))
        if r.name in natural
        else r.smallest_pt
        for r in over
    }
    # Sizes are whole steps above the floor: the search runs over step counts, not every size.
    floor_pt = leaflet.min_font_pt
    steps = {
        name: math.floor((size - floor_pt) / STEP_PT + 1e-9)
        for name, size in smallest.items()
        if floor_pt < size < math.inf  # a region without text has no type to shrink
    }
    hopeless = [r for r in over if not steps.get(r.name)]
    if hopeless:
        raise fail(rendered, hopeless, floor_pt)

    def scales_for(chosen: dict[str, int]) -> dict[str, float]:
        return {name: (floor_pt + k * STEP_PT) / smallest[name] for name, k in chosen.items()}

    # Per region: lo is a step count that fits (once the floor is shown to fit), hi one that
    # does not. Each trial layout halves every open interval at once.
    lo = dict.fromkeys(steps, 0)
    hi = dict(steps)
    document, rendered, regions = attempt(scales_for(lo))
    still = [regions[name] for name in steps if not regions[name].fits]
    if still:
        raise fail(rendered, still, floor_pt)
    kept = (dict(lo), document, rendered, regions)
    while any(hi[n] - lo[n] > 1 for n in steps):
        trial = {n: (lo[n] + hi[n]) // 2 if hi[n] - lo[n] > 1 else lo[n] for n in steps}
        document, rendered, regions = attempt(scales_for(trial))
        for name in steps:
            if trial[name] != lo[name]:
                if regions[name].fits:
                    lo[name] = trial[name]
                else:
                    hi[name] = trial[name]
        if trial == lo:
            kept = (dict(trial), document, rendered, regions)
    if kept[0] != lo:
        # Each region's best size was found in a different trial: lay out the combination.
        document, rendered, regions = attempt(scales_for(lo))
        wrong = [r for r in regions.values() if not r.fits]
        if wrong:
            raise fail(rendered, wrong, floor_pt)
    else:
        _, document, rendered, regions = kept
    scales = scales_for(lo)
    shrunk = [
        Shrink(
            region=name,
            kind=base[name].kind,
            scale=scales[name],
            from_pt=smallest[name],
            to_pt=round(floor_pt + lo[name] * STEP_PT, 1),
        )
        for name in steps
    ]
    return document, FitReport(rendered, list(regions.values()), shrunk, layouts)


def check_page_count(leaflet: Leaflet, pages: int, label: str) -> None:
    """An extra page is overflow too: on a folded or cut leaflet it lands in the wrong place."""
    if leaflet.pages is not None and pages != leaflet.pages:
        raise FitError(
            f"{label}: laid out on {pages} pages, expected {leaflet.pages}; "
            "some text overflows its panel: shorten it or run with --fit"
        )
    if leaflet.max_pages is not None and pages > leaflet.max_pages:
        raise FitError(f"{label}: laid out on {pages} pages, at most {leaflet.max_pages} allowed")


def _overflow_message(
    label: str, regions: list[RegionFit], index: MessageIndex, floor_pt: float | None
) -> str:
    lines = []
    for region in regions:
        if region.moved:
            lines.append(f"{label}: {region.label} is pushed off its page; check the template")
            continue
        if region.too_wide_px > 0 and region.overflow_px <= 0:
            detail = f"is too wide by {region.overflow_pt} pt"
        else:
            noun = "line" if region.lines == 1 else "lines"
            detail = f"overflows by {region.overflow_pt} pt ({region.lines} {noun})"
        if floor_pt is not None:
            detail += f" even at the {floor_pt:g} pt floor"
        msgid = index.culprit(region)
        text = next((p for p in region.paragraphs if p.strip()), None)
        if msgid is not None:
            advice = f'shorten msgid "{_shorten(msgid)}"'
        elif text is not None:
            advice = f'shorten the text "{_shorten(text)}"'
        else:
            advice = "make its content smaller"
        if floor_pt is None:
            advice += " or run with --fit"
        lines.append(f"{label}: {region.label} {detail}; {advice}")
    return "\n".join(lines)
