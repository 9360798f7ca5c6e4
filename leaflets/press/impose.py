"""Imposition: a leaflet's pages placed on print sheets, by reference, with crop marks.

Each page of the leaflet becomes one Form XObject (pikepdf's `Page.as_form_xobject()`), and
every placement on a sheet draws that same object again: ten cards on a sheet cost ten
`Do` operators, not ten copies of the card. Sheets are never repeated in the file either: the
ticket says how many times to print it.

Geometry is in inches with the origin at the sheet's lower-left corner, as in PDF.
Wallet cards go 10-up on the sheet, butted (business-card layout): the cuts are single
guillotine cuts, so the bleed shows only round the outside of the block. Larger leaflets go
1-up: the office edition prints the leaflet as it is; the press edition centres it on a sheet
with room for the bleed and the marks.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime

import pikepdf

from ..pdf.reproducible import document_id, moment

PT = 72.0
"""PDF points per inch."""
MARK_GAP_IN = 1 / 16
"""Gap between the bleed and the start of a crop mark, so a mark never prints on the leaflet."""
MARK_LENGTH_IN = 0.25
MARK_WIDTH_PT = 0.25
SLUG_IN = MARK_GAP_IN + MARK_LENGTH_IN + 1 / 16
"""Room past the bleed on a 1-up press sheet: the gap, the mark, and a little paper."""
GRID_MIN_MARGIN_IN = 0.25
"""Small formats are gridded only if this much paper is left past the bleed for the marks."""


@dataclass(frozen=True)
class Rect:
    """A rectangle in inches: lower-left corner, width and height."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def top(self) -> float:
        return self.y + self.height

    def points(self) -> list[float]:
        """As a PDF box: [llx lly urx ury] in points."""
        return [round(v * PT, 4) for v in (self.x, self.y, self.right, self.top)]


@dataclass(frozen=True)
class Layout:
    """Where copies of a leaflet go on a sheet, and how the sheet is printed."""

    sheet: tuple[float, float]
    """Sheet width and height, in inches."""
    trim: tuple[float, float]
    """Finished size of one copy, in inches."""
    columns: int
    rows: int
    bleed: float = 0.0
    crop_marks: bool = False
    sides: int = 1
    """Pages of the leaflet: each is one side of a sheet."""

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    @property
    def duplex(self) -> bool:
        return self.sides > 1

    @property
    def landscape(self) -> bool:
        return self.sheet[0] > self.sheet[1]

    @property
    def flip(self) -> str | None:
        """The edge a duplex printer turns the sheet over: "long" or "short"."""
        if not self.duplex:
            return None
        # Portrait sheets turn on the long edge, landscape (tri-fold) on the short one: either
        # way the back is the front mirrored left to right, and reads the same way up.
        return "short" if self.landscape else "long"

    @property
    def sheets_per_copy_run(self) -> int:
        """Physical sheets that one printing of the sheet file takes."""
        return (self.sides + 1) // 2 if self.duplex else self.sides

    @property
    def identity(self) -> bool:
        """True when the sheet is the leaflet itself: nothing to impose, nothing to cut."""
        return (
            self.per_sheet == 1
            and not self.crop_marks
            and self.bleed == 0
            and self.sheet == self.trim
        )

    @property
    def block(self) -> Rect:
        """The trimmed copies together, centred on the sheet."""
        width, height = self.columns * self.trim[0], self.rows * self.trim[1]
        return Rect((self.sheet[0] - width) / 2, (self.sheet[1] - height) / 2, width, height)

    def slots(self, side: int = 0) -> list[Rect]:
        """Trim rectangles of the copies on one side, numbered by copy: the front's slot i and
        the back's slot i are the two faces of the same piece of paper once it is cut."""
        block = self.block
        rects = []
        for row in range(self.rows):
            for column in range(self.columns):
                x = block.x + column * self.trim[0]
                y = block.top - (row + 1) * self.trim[1]
                if side % 2 == 1:
                    x = self.sheet[0] - x - self.trim[0]
                rects.append(Rect(x, y, *self.trim))
        return rects

    def cuts(self, side: int = 0) -> tuple[list[float], list[float]]:
        """The x positions of the vertical cuts and the y positions of the horizontal ones."""
        block = self.block
        xs = [block.x + i * self.trim[0] for i in range(self.columns + 1)]
        ys = [block.y + i * self.trim[1] for i in range(self.rows + 1)]
        if side % 2 == 1:
            xs = sorted(self.sheet[0] - x for x in xs)
        return xs, ys

    def mark_segments(self, side: int = 0) -> list[tuple[float, float, float, float]]:
        """Crop marks as (x0, y0, x1, y1) lines, each on a cut line, outside the bleed."""
        if not self.crop_marks:
            return []
        xs, ys = self.cuts(side)
        block = self.block
        start = self.bleed + MARK_GAP_IN
        # Marks stop short of the paper's edge if the margin is narrow.
        room_x = min(MARK_LENGTH_IN, block.x - start - 1 / 32)
        room_y = min(MARK_LENGTH_IN, block.y - start - 1 / 32)
        segments = []
        for x in xs:
            segments.append((x, block.top + start, x, block.top + start + room_y))
            segments.append((x, block.y - start, x, block.y - start - room_y))
        for y in ys:
            segments.append((block.x - start, y, block.x - start - room_x, y))
            segments.append((block.right + start, y, block.right + start + room_x, y))
        return segments

    def bleed_box(self) -> Rect:
        block = self.block
        return Rect(
            block.x - self.bleed,
            block.y - self.bleed,
            block.width + 2 * self.bleed,
            block.height + 2 * self.bleed,
        )


def grid_layout(
    trim: tuple[float, float], paper: tuple[float, float], bleed: float, sides: int
) -> Layout | None:
    """Small formats on a sheet of paper: as many as fit, leaving room for marks.

    A 3.5 × 2 in card on US Letter gives 2 × 5 (business-card layout). None if fewer than two
    fit, in which case the leaflet goes 1-up.
    """
    margin = bleed + GRID_MIN_MARGIN_IN
    columns = int((paper[0] - 2 * margin) // trim[0])
    rows = int((paper[1] - 2 * margin) // trim[1])
    if columns * rows < 2:
        return None
    return Layout(paper, trim, columns, rows, bleed=bleed, crop_marks=True, sides=sides)


def one_up_layout(trim: tuple[float, float], bleed: float, crop_marks: bool, sides: int) -> Layout:
    """One copy per sheet: the leaflet itself, or centred with room for bleed and marks."""
    if bleed == 0 and not crop_marks:
        return Layout(trim, trim, 1, 1, sides=sides)
    pad = bleed + SLUG_IN
    sheet = (trim[0] + 2 * pad, trim[1] + 2 * pad)
    return Layout(sheet, trim, 1, 1, bleed=bleed, crop_marks=crop_marks, sides=sides)


def impose_n_up(
    source: bytes, layout: Layout, title: str, *, when: datetime | None = None, name: str = ""
) -> bytes:
    """Impose every page of `source` (a one-copy leaflet PDF) onto sheets, by reference.

    Page i of the leaflet becomes side i of the sheet file. Each page's Form XObject is built
    once and drawn at every slot; its clip is the copy's trim, widened by the bleed on the
    sides that face the edge of the block. The sheet file is dated `when` (default:
    reproducible.moment()), and its IDs come from `name` (default: the title), so the same
    inputs and date give the same bytes.
    """
    if layout.identity:
        return source
    with pikepdf.open(io.BytesIO(source)) as leaflet, pikepdf.new() as sheet:
        if len(leaflet.pages) != layout.sides:
            raise ValueError(f"layout has {layout.sides} sides, leaflet {len(leaflet.pages)} pages")
        for side, page in enumerate(leaflet.pages):
            form = sheet.copy_foreign(_page_form(leaflet, page))
            sheet_page = sheet.add_blank_page(
                page_size=(layout.sheet[0] * PT, layout.sheet[1] * PT)
            )
            name = sheet_page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name("/Leaflet"))
            trim = page.trimbox
            origin = (float(trim[0]), float(trim[1]))
            content = [
                _placement(layout, side, index, rect, origin, name)
                for index, rect in enumerate(layout.slots(side))
            ]
            marks = _marks(layout.mark_segments(side))
            if marks:
                sheet_page.add_resource(_registration(sheet), pikepdf.Name.ColorSpace, MARK_INK)
            content.append(marks)
            sheet_page.Contents = sheet.make_stream("\n".join(content).encode("ascii"))
            media = Rect(0, 0, *layout.sheet)
            sheet_page.MediaBox = media.points()
            sheet_page.CropBox = media.points()
            sheet_page.BleedBox = layout.bleed_box().points()
            sheet_page.TrimBox = (
                layout.block.points() if side % 2 == 0 else _mirrored(layout, layout.block).points()
            )
        _copy_print_identity(leaflet, sheet, title, when or moment(), name or title)
        out = io.BytesIO()
        sheet.save(out, min_version=leaflet.pdf_version, deterministic_id=True)
        return out.getvalue()


def _page_form(leaflet: pikepdf.Pdf, page: pikepdf.Page) -> pikepdf.Stream:
    form = page.as_form_xobject()
    # qpdf bounds the form by the page's TrimBox; the bleed is needed for the outer edges.
    form.BBox = pikepdf.Array(page.mediabox)
    return form


def _placement(
    layout: Layout,
    side: int,
    index: int,
    rect: Rect,
    origin: tuple[float, float],
    name: pikepdf.Name,
) -> str:
    row, column = divmod(index, layout.columns)
    if side % 2 == 1:
        column = layout.columns - 1 - column
    bleed = layout.bleed
    left = bleed if column == 0 else 0.0
    right = bleed if column == layout.columns - 1 else 0.0
    top = bleed if row == 0 else 0.0
    bottom = bleed if row == layout.rows - 1 else 0.0
    clip = Rect(
        rect.x - left, rect.y - bottom, rect.width + left + right, rect.height + top + bottom
    )
    tx, ty = rect.x * PT - origin[0], rect.y * PT - origin[1]
    return (
        f"q {clip.x * PT:.4f} {clip.y * PT:.4f} {clip.width * PT:.4f} {clip.height * PT:.4f} re W n "
        f"1 0 0 1 {tx:.4f} {ty:.4f} cm {name} Do Q"
    )


MARK_INK = pikepdf.Name("/Registration")
"""The marks' colour space in a sheet's resources: the separation All."""


def _registration(sheet: pikepdf.Pdf) -> pikepdf.Object:
    """Registration colour: the separation named All prints on every plate, so each plate
    carries the crop marks it is cut and registered by; where there are no plates (a desktop
    printer) it is the alternate, full C, M, Y and K."""
    tint = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1)
    return sheet.make_indirect(
        pikepdf.Array(
            [pikepdf.Name.Separation, pikepdf.Name("/All"), pikepdf.Name.DeviceCMYK, tint]
        )
    )


def _marks(segments: list[tuple[float, float, float, float]]) -> str:
    if not segments:
        return ""
    lines = [f"q {MARK_INK} CS 1 SCN {MARK_WIDTH_PT} w 0 J"]
    for x0, y0, x1, y1 in segments:
        lines.append(f"{x0 * PT:.4f} {y0 * PT:.4f} m {x1 * PT:.4f} {y1 * PT:.4f} l S")
    lines.append("Q")
    return "\n".join(lines)


def _mirrored(layout: Layout, rect: Rect) -> Rect:
    return Rect(layout.sheet[0] - rect.right, rect.y, rect.width, rect.height)


def _copy_print_identity(
    leaflet: pikepdf.Pdf, sheet: pikepdf.Pdf, title: str, when: datetime, name: str
) -> None:
    """Give the sheet file the leaflet's output intent and, if it had one, its PDF/X claim."""
    intents = leaflet.Root.get("/OutputIntents")
    pdf_x = None
    if intents is not None:
        sheet.Root.OutputIntents = pikepdf.Array(
            [sheet.copy_foreign(leaflet.make_indirect(intent)) for intent in intents]
        )
        with leaflet.open_metadata(set_pikepdf_as_editor=False) as meta:
            pdf_x = meta.get("pdfxid:GTS_PDFXVersion")
    now = when.astimezone(UTC)
    sheet.docinfo["/Title"] = pikepdf.String(title)
    sheet.docinfo["/Trapped"] = pikepdf.Name("/False")
    sheet.docinfo["/CreationDate"] = pikepdf.String(now.strftime("D:%Y%m%d%H%M%SZ"))
    with sheet.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = title
        meta["pdf:Trapped"] = "False"
        meta["xmp:CreateDate"] = now.isoformat()
        meta["xmp:ModifyDate"] = now.isoformat()
        meta["xmp:MetadataDate"] = now.isoformat()
        if pdf_x:
            meta["pdfxid:GTS_PDFXVersion"] = pdf_x
            meta["xmpMM:DocumentID"] = document_id(name)
            meta["xmpMM:VersionID"] = "1"
            meta["xmpMM:RenditionClass"] = "default"
