"""End to end: every leaflet in every language, checked on the PDFs themselves."""

from __future__ import annotations

import pikepdf
import pytest
from click.testing import CliRunner

from cli import main
from leaflets.i18n import review
from tests.pdftext import digits, glyph_sizes, page_texts, text

LEAFLETS = ("trifold", "flyer", "card", "large-print")
LANGS = ("en", "es", "ht")
CASES = [(leaflet, lang) for leaflet in LEAFLETS for lang in LANGS]
# Page size in points (width, height) on US Letter, and the page count.
EXPECTED = {
    "trifold": ((792, 612), 2),
    "flyer": ((612, 792), 1),
    "card": ((252, 144), 2),
}


def test_every_leaflet_in_every_language_is_built(built):
    _, pdfs = built
    assert sorted(pdfs) == sorted(CASES)
    for path in pdfs.values():
        assert path.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(("leaflet", "lang"), CASES)
def test_page_size_and_count(built, leaflet, lang):
    _, pdfs = built
    with pikepdf.open(pdfs[leaflet, lang]) as pdf:
        boxes = [tuple(round(float(v)) for v in page.mediabox) for page in pdf.pages]
    if leaflet == "large-print":
        assert 2 <= len(boxes) <= 8
        assert all(box == (0, 0, 612, 792) for box in boxes)
        return
    (width, height), count = EXPECTED[leaflet]
    assert len(boxes) == count
    assert all(box == (0, 0, width, height) for box in boxes)


@pytest.mark.parametrize(("leaflet", "lang"), CASES)
def test_every_phone_number_appears(built, leaflet, lang):
    project, pdfs = built
    found = digits(text(pdfs[leaflet, lang]))
    for number in project.contacts.all_numbers():
        assert number.digits in found, f"{number.display} missing from {leaflet} ({lang})"


@pytest.mark.parametrize(("leaflet", "lang"), CASES)
def test_tel_links_dial_the_printed_numbers(built, leaflet, lang):
    project, pdfs = built
    with pikepdf.open(pdfs[leaflet, lang]) as pdf:
        uris = {
            str(annot.A.URI)
            for page in pdf.pages
            for annot in page.get("/Annots", [])
            if "/A" in annot and "/URI" in annot.A
        }
    assert project.contacts.hotline.phone.uri in uris
    assert all(uri.startswith("tel:+1") for uri in uris)


@pytest.mark.parametrize("leaflet", ["trifold", "flyer", "large-print"])
def test_addresses_and_hours_in_each_language(built, leaflet):
    project, pdfs = built
    hours = {
        "en": "Monday–Friday, 9:00 AM – 5:00 PM",
        # As the reviewers asked: a sentence, not a timetable.
        "es": "De lunes a viernes, de 9:00 a.m. a 5:00 p.m.",
        "ht": "Depi lendi rive vandredi, 9è nan maten jiska 5è nan aprèmidi",
    }
    for lang, expected in hours.items():
        content = text(pdfs[leaflet, lang])
        assert expected in content, f"{leaflet} ({lang})"
        for office in project.contacts.offices:
            assert office.street in content
            assert office.postal_code in content


def test_spanish_and_creole_are_in_their_language(built):
    _, pdfs = built
    spanish = text(pdfs["trifold", "es"])
    creole = text(pdfs["trifold", "ht"])
    assert "trata de personas" in spanish.lower()
    assert "¿" in spanish
    assert "trafik moun" in creole.lower()
    assert "viktim" in creole.lower()
    for weekday in ("lendi", "vandredi"):
        assert weekday in creole
    # Babel's CLDR data for ht has no weekday names; its fallback would print these.
    for english in ("Mon", "Monday", "Fri"):
        assert english not in creole.split()


def test_unreviewed_languages_carry_the_draft_note(built):
    project, pdfs = built
    # Every PDF, the wallet card included: a draft must never pass for a reviewed leaflet.
    for (_, lang), pdf in pdfs.items():
        content = text(pdf)
        if review.is_reviewed(project, lang):
            assert lang == "en", "the shipped translations are drafts: no approvals ship"
            assert "Draft translation" not in content
        else:
            assert "Draft translation — pending review" in content


def test_creole_leads_with_the_phone_and_offers_interpreters(built):
    _, pdfs = built
    creole = text(pdfs["flyer", "ht"])
    assert "1-888-373-7888" in creole
    # The interpreter line stands before the text line, since text is English/Spanish only.
    assert creole.index("233733") > creole.index("1-888-373-7888")


@pytest.mark.parametrize(("leaflet", "lang"), CASES)
def test_fonts_are_embedded(built, leaflet, lang):
    _, pdfs = built
    with pikepdf.open(pdfs[leaflet, lang]) as pdf:
        fonts = {}
        for page in pdf.pages:
            for name, font in page.Resources.get("/Font", {}).items():
                fonts[name] = font
        assert fonts
        for font in fonts.values():
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0] if descendants else font).FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            assert "Atkinson-Hyperlegible" in str(font.BaseFont)


@pytest.mark.parametrize("lang", LANGS)
def test_large_print_has_no_glyph_under_18pt(built, lang):
    _, pdfs = built
    smallest = min(size for _, _, size in glyph_sizes(pdfs["large-print", lang]))
    assert smallest >= 18 - 0.01


@pytest.mark.parametrize(("leaflet", "floor"), [("trifold", 10), ("flyer", 10), ("card", 9)])
def test_body_type_is_not_below_the_floor(built, leaflet, floor):
    _, pdfs = built
    for lang in LANGS:
        smallest = min(size for _, _, size in glyph_sizes(pdfs[leaflet, lang]))
        assert smallest >= floor - 0.01, f"{leaflet} ({lang}): {smallest} pt"


def test_trifold_panels_in_sheet_order(built):
    _, pdfs = built
    outside, inside = (" ".join(page.split()) for page in page_texts(pdfs["trifold", "en"]))
    assert "Human Trafficking" in outside and "St. Croix Office" in outside
    assert "What is human trafficking?" in inside
    assert "What is human trafficking?" not in outside


def test_build_with_broken_config_exits_with_a_readable_message(project_copy, monkeypatch):
    config = project_copy / "leaflets.toml"
    config.write_text(config.read_text().replace('paper = "letter"', "paper = 11"))
    monkeypatch.chdir(project_copy)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert "leaflets.toml" in result.stderr
    assert 'build.paper: expected "letter" or "a4", got 11' in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project_copy / "out").exists()


def test_unknown_language_is_a_usage_error(project_copy, monkeypatch):
    monkeypatch.chdir(project_copy)
    result = CliRunner().invoke(main, ["build", "--lang", "fr"])
    assert result.exit_code == 1
    assert "unknown language 'fr'" in result.stderr


def test_list_shows_languages_and_leaflets(project_copy, monkeypatch):
    monkeypatch.chdir(project_copy / "templates")  # found from a subfolder, like mkdocs
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 0, result.output
    for word in ("en", "es", "ht", "trifold", "flyer", "card", "large-print", "draft"):
        assert word in result.output


def test_preview_writes_pages_and_a_side_by_side_index(built):
    from PIL import Image

    from leaflets.pipeline import build as build_mod
    from leaflets.tools.preview import write_preview

    project, pdfs = built
    outputs = build_mod.plan(project, leaflets=["trifold", "card"])
    index = write_preview(project, outputs, dpi=30)
    html = index.read_text()
    for lang in LANGS:
        for leaflet, pages in (("trifold", 2), ("card", 2)):
            for page in range(1, pages + 1):
                png = index.parent / f"{leaflet}-{lang}-{page}.png"
                assert f'src="{png.name}"' in html
                with Image.open(png) as image:
                    # 11 in × 8.5 in at 30 dpi, give or take a pixel of rounding.
                    expected = (330, 255) if leaflet == "trifold" else (105, 60)
                    assert abs(image.width - expected[0]) <= 1
                    assert abs(image.height - expected[1]) <= 1
    assert html.index("Español (es)") < html.index("Kreyòl ayisyen (ht)")


@pytest.mark.pdf
def test_a4_paper_from_config(project_copy):
    from leaflets.config import project as project_mod
    from leaflets.pipeline import build as build_mod

    config = project_copy / "leaflets.toml"
    config.write_text(config.read_text().replace('paper = "letter"', 'paper = "a4"'))
    project = project_mod.load(project_copy)
    outputs = build_mod.plan(project, languages=["en"], leaflets=["flyer", "card"])
    build_mod.build(project, outputs)
    with pikepdf.open(outputs[0].path) as pdf:
        assert [round(float(v)) for v in pdf.pages[0].mediabox] == [0, 0, 595, 842]
    with pikepdf.open(outputs[1].path) as pdf:  # the card keeps its own size
        assert [round(float(v)) for v in pdf.pages[0].mediabox] == [0, 0, 252, 144]


def test_the_tax_section_number_is_never_split_across_lines(built):
    # "501(c)" at the end of one line and "(3)" at the start of the next reads as two things.
    _, pdfs = built
    for key, pdf in pdfs.items():
        raw = "".join(page_texts(pdf))
        if "501(c)" in raw:
            assert "501(c)(3)" in raw, key
