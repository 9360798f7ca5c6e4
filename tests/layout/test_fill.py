"""Type that fills the page, on US Letter and on A4: one body size per leaflet and language of
at least 12 pt (up to 14 pt) on the tri-fold and the flyer, inside panels at least 60 % full,
and a cover that carries the hotline large and the council at its foot.

The fill figures are fit's (measure.py, from WeasyPrint's laid-out boxes); one test checks them
against the built PDF's own glyph positions, so they are a real measure. Both papers are built
once per session (tests/conftest.py): every leaflet in every language builds on A4 here.
"""

from __future__ import annotations

import pikepdf
import pypdfium2
import pytest

from leaflets.config.model import PAPER_SIZES_IN
from leaflets.layout.fit import STEP_PT

pytestmark = pytest.mark.pdf  # every test lays out every leaflet

LANGS = ("en", "es", "ht")
PAPERS = ("letter", "a4")
BODY_MIN_PT = 12.0
PANEL_MIN_FILL = 0.60
INSIDE_PANELS = 3
PT = 72


def results(request, paper: str) -> dict:
    project, report = request.getfixturevalue(f"{paper}_build")
    return project, {(r.output.leaflet, r.output.lang): r for r in report.built}


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("lang", LANGS)
def test_trifold_body_is_12_pt_or_more_and_every_inside_panel_is_60_percent_full(
    request, paper, lang
):
    project, built = results(request, paper)
    result = built["trifold", lang]
    low, high = project.leaflets["trifold"].body_pt
    assert BODY_MIN_PT <= low <= result.body_pt <= high and result.shrunk == []
    panels = result.fill["inside"]
    assert len(panels) == INSIDE_PANELS, panels  # no column past the third: nothing cut
    assert all(PANEL_MIN_FILL <= fill <= 1.0 for fill in panels), panels


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("lang", LANGS)
def test_flyer_body_is_12_pt_or_more(request, paper, lang):
    project, built = results(request, paper)
    result = built["flyer", lang]
    assert BODY_MIN_PT <= result.body_pt <= project.leaflets["flyer"].body_pt[1]
    assert result.shrunk == []


@pytest.mark.parametrize("paper", PAPERS)
def test_every_leaflet_in_every_language_builds_on_the_paper(request, paper):
    project, built = results(request, paper)
    assert set(built) == {(leaflet, lang) for leaflet in project.leaflets for lang in LANGS}
    width, height = PAPER_SIZES_IN[paper]
    for (leaflet, _), result in built.items():
        expected = project.leaflets[leaflet].page_size_in(paper)
        if project.leaflets[leaflet].size is None:
            assert sorted(expected) == pytest.approx(sorted((width, height)))
        with pikepdf.open(result.output.path) as pdf:
            for page in pdf.pages:
                box = [float(v) / PT for v in page.mediabox]
                assert [box[2] - box[0], box[3] - box[1]] == pytest.approx(expected, abs=0.01)
        assert result.pages == (project.leaflets[leaflet].pages or result.pages)


def test_a4_gives_the_tri_fold_more_room_across_and_less_down(request):
    # Same text, different paper: the size chosen differs, and so may the fill, but both fit.
    _, letter = results(request, "letter")
    _, a4 = results(request, "a4")
    for lang in LANGS:
        steps = round((a4["trifold", lang].body_pt - letter["trifold", lang].body_pt) / STEP_PT)
        assert abs(steps) <= 20
        assert a4["trifold", lang].fill.keys() == letter["trifold", lang].fill.keys()


@pytest.mark.parametrize("lang", LANGS)
def test_the_measured_fill_is_what_the_pdf_shows(built, letter_build, lang):
    """From the glyphs: the lowest text in each third of the inside page, against the panel's
    room (0.4 in from the top to 0.35 in from the bottom), within two percent of fit's figure."""
    _, report = letter_build
    (result,) = [r for r in report.built if (r.output.leaflet, r.output.lang) == ("trifold", lang)]
    document = pypdfium2.PdfDocument(result.output.path)
    try:
        inside = document[1]
        width, height = inside.get_width(), inside.get_height()
        textpage = inside.get_textpage()
        lowest = [height] * INSIDE_PANELS  # PDF y runs up: the smallest bottom is the lowest
        for index in range(textpage.count_chars()):
            if textpage.get_text_range(index, 1).isspace():
                continue
            left, bottom, right, _ = textpage.get_charbox(index)
            third = min(int((left + right) / 2 / (width / INSIDE_PANELS)), INSIDE_PANELS - 1)
            lowest[third] = min(lowest[third], bottom)
    finally:
        document.close()
    top, room = 0.4 * PT, height - 0.75 * PT
    from_glyphs = [(height - top - bottom) / room for bottom in lowest]
    # Glyphs stop at the baseline's descent; fit measures to the line box, a little lower.
    assert from_glyphs == pytest.approx(list(result.fill["inside"]), abs=0.02)


@pytest.mark.parametrize("lang", LANGS)
def test_the_cover_shows_the_hotline_large_and_the_council_at_its_foot(built, lang):
    project, pdfs = built
    hotline = project.contacts.hotline.phone.display
    document = pypdfium2.PdfDocument(pdfs["trifold", lang])
    try:
        outside = document[0]
        width = outside.get_width()
        textpage = outside.get_textpage()
        cover = [
            index
            for index in range(textpage.count_chars())
            if textpage.get_charbox(index)[0] > width * 2 / 3
            and not textpage.get_text_range(index, 1).isspace()
        ]
        sizes = {i: pypdfium2.raw.FPDFText_GetFontSize(textpage.raw, i) for i in cover}
        start = textpage.search(hotline).get_next()
        assert start is not None and start[0] in sizes
        phone = sizes[start[0]]
        body = min(sizes.values())
        # The number is the largest text on the cover after the title, 1.8 times the body or more.
        assert phone >= 1.8 * body
        title = max(sizes.values())
        assert all(size <= phone or size == title for size in sizes.values())
        # The council's name ends the cover, at its foot: its last line within half an inch of
        # the bottom edge (the panel's padding is 0.35 in).
        search = textpage.search(project.organisation.split()[0])
        on_cover = []
        while (found := search.get_next()) is not None:
            if textpage.get_charbox(found[0])[0] > width * 2 / 3:
                on_cover.append(found[0])
        assert len(on_cover) == 1
        last_bottom = min(textpage.get_charbox(i)[1] for i in cover)
        assert last_bottom < 0.5 * PT
        assert textpage.get_charbox(on_cover[0])[1] < 1.0 * PT
    finally:
        document.close()
