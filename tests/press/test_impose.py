"""Imposition: sheet geometry, duplex registration, crop marks, boxes, and placement by
reference. Most tests impose a small synthetic leaflet made here, so that every number is
known; one test imposes a real card from the session build."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest

from leaflets.press import impose
from leaflets.press.impose import PT, Layout
from tests.pdftext import page_texts

CARD = (3.5, 2.0)
LETTER = (8.5, 11.0)
A4 = (210 / 25.4, 297 / 25.4)
BLEED = 0.125
TOLERANCE_IN = 0.01


def synthetic_leaflet(trim: tuple[float, float], bleed: float, pages: int = 2) -> bytes:
    """A leaflet as WeasyPrint writes one: the TrimBox at the origin, the MediaBox and BleedBox
    reaching `bleed` past it; each page a filled rectangle and a different mark."""
    pdf = pikepdf.new()
    w, h, b = trim[0] * PT, trim[1] * PT, bleed * PT
    for index in range(pages):
        page = pdf.add_blank_page(page_size=(w, h))
        page.MediaBox = [-b, -b, w + b, h + b]
        page.BleedBox = [-b, -b, w + b, h + b]
        page.TrimBox = [0, 0, w, h]
        grey = 0.2 + 0.3 * index
        page.Contents = pdf.make_stream(
            f"{grey} g {-b} {-b} {w + 2 * b} {h + 2 * b} re f 1 g 10 10 {20 + 30 * index} 20 re f".encode()
        )
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def placements(page: pikepdf.Page) -> list[tuple[float, float, str]]:
    """(tx, ty, name) for every `cm` … `Do` in the sheet's content stream, in points."""
    found, matrix = [], None
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "cm":
            matrix = [float(v) for v in operands]
        elif str(operator) == "Do":
            assert matrix is not None
            found.append((matrix[4], matrix[5], str(operands[0])))
    return found


def line_segments(page: pikepdf.Page) -> list[tuple[float, float, float, float]]:
    """Every m … l pair in the sheet's own content stream, in inches."""
    segments, start = [], None
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "m":
            start = [float(v) / PT for v in operands]
        elif str(operator) == "l":
            assert start is not None
            end = [float(v) / PT for v in operands]
            segments.append((start[0], start[1], end[0], end[1]))
    return segments


@pytest.fixture(scope="module")
def card_sheet() -> tuple[Layout, pikepdf.Pdf]:
    layout = impose.grid_layout(CARD, LETTER, BLEED, sides=2)
    assert layout is not None
    sheet = pikepdf.open(
        io.BytesIO(impose.impose_n_up(synthetic_leaflet(CARD, BLEED), layout, "t"))
    )
    return layout, sheet


def test_wallet_cards_go_ten_up_on_letter_in_a_business_card_grid():
    layout = impose.grid_layout(CARD, LETTER, BLEED, sides=2)
    assert (layout.columns, layout.rows, layout.per_sheet) == (2, 5, 10)
    assert layout.block == impose.Rect(0.75, 0.5, 7.0, 10.0)
    assert (layout.duplex, layout.flip) == (True, "long")
    # The office edition has no bleed, and the same grid.
    assert impose.grid_layout(CARD, LETTER, 0.0, sides=2).per_sheet == 10
    assert impose.grid_layout(CARD, A4, BLEED, sides=2).per_sheet == 10


def test_a_letter_page_does_not_fit_a_grid_and_goes_one_up():
    assert impose.grid_layout((11.0, 8.5), LETTER, BLEED, sides=2) is None
    press = impose.one_up_layout((11.0, 8.5), BLEED, crop_marks=True, sides=2)
    assert press.per_sheet == 1 and press.flip == "short"
    pad = BLEED + impose.SLUG_IN
    assert press.sheet == pytest.approx((11.0 + 2 * pad, 8.5 + 2 * pad))
    office = impose.one_up_layout((11.0, 8.5), 0.0, crop_marks=False, sides=2)
    assert office.identity and office.sheet == (11.0, 8.5)


def test_one_up_office_leaflet_is_passed_through_untouched_so_it_stays_tagged():
    source = synthetic_leaflet((8.5, 11.0), 0.0, pages=1)
    layout = impose.one_up_layout((8.5, 11.0), 0.0, crop_marks=False, sides=1)
    assert impose.impose_n_up(source, layout, "flyer") is source


def test_front_and_back_register_within_a_hundredth_of_an_inch(card_sheet):
    layout, sheet = card_sheet
    assert len(sheet.pages) == 2
    front, back = (placements(page) for page in sheet.pages)
    assert len(front) == len(back) == 10
    width = layout.sheet[0]
    for (fx, fy, _), (bx, by, _) in zip(front, back, strict=True):
        # The leaflet's TrimBox sits at the origin, so the translation is the card's corner.
        front_card = (fx / PT, fy / PT)
        back_card = (bx / PT, by / PT)
        # Turned over on the long edge, the back's left edge is the front's right edge mirrored.
        assert back_card[0] == pytest.approx(width - (front_card[0] + CARD[0]), abs=TOLERANCE_IN)
        assert back_card[1] == pytest.approx(front_card[1], abs=TOLERANCE_IN)
    # And the slots the placements came from are the layout's, card for card.
    for rect, (fx, fy, _) in zip(layout.slots(0), front, strict=True):
        assert (rect.x, rect.y) == pytest.approx((fx / PT, fy / PT), abs=TOLERANCE_IN)


def test_each_page_is_one_form_xobject_placed_by_reference(card_sheet):
    layout, sheet = card_sheet
    for page in sheet.pages:
        xobjects = page.Resources.XObject
        assert len(xobjects) == 1
        (name,) = list(xobjects.keys())
        assert xobjects[name].Subtype == pikepdf.Name.Form
        assert {n for _, _, n in placements(page)} == {name}
    # The two sides are two different forms (front and back of the card).
    forms = [list(page.Resources.XObject.values())[0].objgen for page in sheet.pages]
    assert forms[0] != forms[1]


def test_ten_placements_cost_about_as_much_as_one():
    source = synthetic_leaflet(CARD, BLEED)
    ten_up = impose.grid_layout(CARD, LETTER, BLEED, sides=2)
    one_up = Layout(LETTER, CARD, 1, 1, bleed=BLEED, crop_marks=True, sides=2)
    ten = len(impose.impose_n_up(source, ten_up, "t"))
    one = len(impose.impose_n_up(source, one_up, "t"))
    # By copy, ten would be about ten times one. By reference only ten short lines are added.
    assert ten < one * 1.2, (ten, one)


def test_sheet_boxes_trim_to_the_block_and_bleed_past_it(card_sheet):
    layout, sheet = card_sheet
    for page in sheet.pages:
        media = [float(v) / PT for v in page.MediaBox]
        trim = [float(v) / PT for v in page.TrimBox]
        bleed = [float(v) / PT for v in page.BleedBox]
        assert media == pytest.approx([0, 0, 8.5, 11.0])
        assert [float(v) for v in page.CropBox] == [float(v) for v in page.MediaBox]
        assert trim == pytest.approx([0.75, 0.5, 7.75, 10.5], abs=TOLERANCE_IN)
        assert bleed == pytest.approx(
            [0.75 - BLEED, 0.5 - BLEED, 7.75 + BLEED, 10.5 + BLEED], abs=TOLERANCE_IN
        )


def test_crop_marks_lie_on_the_cut_lines_outside_the_bleed(card_sheet):
    layout, sheet = card_sheet
    for side, page in enumerate(sheet.pages):
        xs, ys = layout.cuts(side)
        assert xs == pytest.approx([0.75, 4.25, 7.75])
        assert ys == pytest.approx([0.5 + 2 * i for i in range(6)])
        segments = line_segments(page)
        # Two marks per cut line, one at each end.
        assert len(segments) == 2 * (len(xs) + len(ys))
        bleed = layout.bleed_box()
        covered_x, covered_y = [], []
        for x0, y0, x1, y1 in segments:
            if x0 == pytest.approx(x1):
                assert any(x0 == pytest.approx(x, abs=1e-3) for x in xs)
                assert min(y0, y1) >= bleed.top or max(y0, y1) <= bleed.y
                covered_x.append(round(x0, 3))
            else:
                assert y0 == pytest.approx(y1)
                assert any(y0 == pytest.approx(y, abs=1e-3) for y in ys)
                assert min(x0, x1) >= bleed.right or max(x0, x1) <= bleed.x
                covered_y.append(round(y0, 3))
            # On the paper, and at least a tenth of an inch long.
            assert min(x0, x1) > 0 and max(x0, x1) < layout.sheet[0]
            assert min(y0, y1) > 0 and max(y0, y1) < layout.sheet[1]
            assert abs(x1 - x0) + abs(y1 - y0) >= 0.1
        assert sorted(set(covered_x)) == pytest.approx(xs, abs=1e-3)
        assert sorted(set(covered_y)) == pytest.approx(ys, abs=1e-3)


def test_bleed_shows_only_round_the_outside_of_the_block(card_sheet):
    layout, sheet = card_sheet
    clips = []
    for operands, operator in pikepdf.parse_content_stream(sheet.pages[0]):
        if str(operator) == "re":
            clips.append([float(v) / PT for v in operands])
    assert len(clips) == 10
    block = layout.block
    for x, y, w, h in clips:
        # Outer edges reach into the bleed; inner edges stop at the cut.
        assert x == pytest.approx(block.x - BLEED) or x == pytest.approx(block.x + CARD[0])
        assert x + w == pytest.approx(block.right + BLEED) or x + w == pytest.approx(
            block.x + CARD[0]
        )
        assert y >= block.y - BLEED - 1e-6 and y + h <= block.top + BLEED + 1e-6


def test_a_real_card_from_the_build_imposes_with_its_text_on_every_slot(built, tmp_path: Path):
    _, paths = built
    source = paths[("card", "en")].read_bytes()
    layout = impose.grid_layout(CARD, LETTER, 0.0, sides=2)
    sheet_path = tmp_path / "sheet.pdf"
    sheet_path.write_bytes(impose.impose_n_up(source, layout, "cards"))
    front, back = page_texts(sheet_path)
    assert front.count("1-888-373-7888") == 10
    assert back.count("911") == 10
