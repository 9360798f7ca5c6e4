"""PDF/UA-1 on every built leaflet in every language: the audit passes, and each repair that
postprocess.py makes is there, checked on the PDF itself."""

from __future__ import annotations

import re
import shutil
import subprocess

import pikepdf
import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
import tinyhtml5
from click.testing import CliRunner

from cli import main
from leaflets.config import project as project_mod
from leaflets.i18n import review
from leaflets.i18n.translations import load_translations
from leaflets.pdf import audit, leaflet_audit
from leaflets.pdf.structure import heading_level, kids, page_index, tag, walk
from leaflets.pipeline import build as build_mod
from leaflets.pipeline.builder import Builder
from tests.pdftext import MarkedText, page_texts, squash, text

LEAFLETS = ("trifold", "flyer", "card", "large-print")
LANGS = ("en", "es", "ht")
CASES = [(leaflet, lang) for leaflet in LEAFLETS for lang in LANGS]
# Where text sits on the sheets, in reading order: the inside panels are the three columns of
# one text flow, which the template names as one region ("inside").
TRIFOLD_READING_ORDER = ["cover", "inside-1", "inside-2", "inside-3", "flap", "back"]
TRIFOLD_REGIONS = ["cover", "inside", "flap", "back"]
# Under Document: the cover, the inside flow (a Div; its columns joined into one), the flap
# and the back.
TRIFOLD_TOP = ["/Sect", "/Div", "/Sect", "/Sect"]


@pytest.mark.parametrize(("leaflet", "lang"), CASES)
def test_built_pdf_passes_the_audit(built, leaflet, lang):
    project, pdfs = built
    findings = leaflet_audit.audit_outputs(project, [pdfs[leaflet, lang]])
    assert [f.format() for f in findings] == []


def test_check_command_passes_on_the_build_output(built, monkeypatch):
    project, pdfs = built
    monkeypatch.chdir(project.root)
    result = CliRunner().invoke(main, ["check", "--pdf", str(project.build.out)])
    assert result.exit_code == 0, result.output + result.stderr
    assert f"checked {len(pdfs)} PDFs: 0 errors" in result.stderr


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
@pytest.mark.parametrize(("leaflet", "lang"), CASES)
def test_postprocessed_pdf_is_structurally_valid(built, leaflet, lang):
    _, pdfs = built
    result = subprocess.run(
        ["qpdf", "--check", str(pdfs[leaflet, lang])], capture_output=True, text=True
    )
    # qpdf exits 0 when clean, 3 on warnings, 2 on errors.
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


@pytest.mark.parametrize(("leaflet", "lang"), CASES)
def test_document_metadata(built, leaflet, lang):
    project, pdfs = built
    translations = load_translations(project, lang)
    if leaflet == "card":  # as discreet as the card itself
        title = translations.gettext("Need help?")
    else:
        title = translations.gettext("Human Trafficking — %(organisation)s")
        title %= {"organisation": project.organisation}
    with pikepdf.open(pdfs[leaflet, lang]) as pdf:
        assert str(pdf.Root.Lang) == project.languages[lang].bcp47
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.docinfo.Title) == title
        meta = pdf.open_metadata()
        assert meta["{http://www.aiim.org/pdfua/ns/id/}part"] == "1"
        assert meta["{http://purl.org/dc/elements/1.1/}title"] == title


@pytest.mark.parametrize(("leaflet", "lang"), CASES)
def test_links_say_what_a_person_hears(built, leaflet, lang):
    project, pdfs = built
    translations = load_translations(project, lang)
    contacts = project.contacts
    hotline = (
        translations.pgettext("link", "Call for help, %(phone)s")
        if leaflet == "card"
        else translations.pgettext("link", "Call the National Human Trafficking Hotline, %(phone)s")
    ) % {"phone": contacts.hotline.phone.display}
    expected = {contacts.hotline.phone.uri: hotline}
    for office in contacts.offices:
        label = translations.pgettext("link", "Call the council's %(place)s office, %(phone)s")
        expected[office.phone.uri] = label % {"place": office.place, "phone": office.phone.display}
    with pikepdf.open(pdfs[leaflet, lang]) as pdf:
        found = {
            str(annot.A.URI): str(annot.Contents)
            for page in pdf.pages
            for annot in page.obj.get("/Annots", [])
        }
        assert all(page.obj.Tabs == "/S" for page in pdf.pages if "/Annots" in page.obj)
    assert found == expected
    if leaflet == "card":  # a card must be safe to be found with, read aloud too
        assert not any("Trafficking" in label for label in found.values())


@pytest.mark.parametrize(("leaflet", "lang"), CASES)
def test_english_passages_are_marked_english(built, leaflet, lang):
    """The draft note's English line, the SMS keyword, the words leaflets.toml names as
    English (the Creole "(Internal Revenue Code)"), and what contacts.toml and leaflets.toml
    write in English (the council's name, the offices' streets) carry /Lang en; nothing else
    does."""
    project, pdfs = built
    data = pdfs[leaflet, lang].read_bytes()
    marked = MarkedText.read(data)
    with pikepdf.open(pdfs[leaflet, lang]) as pdf:
        pages = page_index(pdf)
        tagged = [
            (str(elem.Lang), " ".join(marked.of(elem, pages).split()))
            for elem, _ in walk(pdf.Root.StructTreeRoot)
            if "/Lang" in elem
        ]
    expected = set()
    if lang != "en":
        expected.add(("en", project.contacts.hotline.text_keyword))
    if not review.is_reviewed(project, lang):
        expected.add(("en", "/ Draft translation — pending review"))
    for phrase in (project.languages[lang].foreign_words or {}).get("en", ()):
        if leaflet != "card":  # the card does not name the council or its tax status
            expected.add(("en", phrase))
    if lang != "en":
        printed = text(pdfs[leaflet, lang])
        fixed = [project.organisation, *(office.street for office in project.contacts.offices)]
        expected.update(("en", phrase) for phrase in fixed if phrase in printed)
    assert set(tagged) == expected
    assert tagged.count(("en", "/ Draft translation — pending review")) <= 1


@pytest.mark.parametrize(("leaflet", "lang"), CASES)
def test_no_empty_structure_elements(built, leaflet, lang):
    _, pdfs = built
    with pikepdf.open(pdfs[leaflet, lang]) as pdf:
        empty = [tag(e) for e, _ in walk(pdf.Root.StructTreeRoot) if not kids(e)]
    assert empty == []


@pytest.mark.parametrize(("leaflet", "lang"), CASES)
def test_bookmarks_follow_the_headings_in_tag_order(built, leaflet, lang):
    _, pdfs = built
    data = pdfs[leaflet, lang].read_bytes()
    marked = MarkedText.read(data)
    with pikepdf.open(pdfs[leaflet, lang]) as pdf:
        pages = page_index(pdf)
        headings = [
            (heading_level(elem), squash(marked.of(elem, pages)))
            for elem, _ in walk(pdf.Root.StructTreeRoot)
            if heading_level(elem)
        ]
        bookmarks = []
        with pdf.open_outline() as outline:
            stack = [(item, 1) for item in reversed(outline.root)]
            while stack:
                item, depth = stack.pop()
                bookmarks.append((depth, squash(item.title)))
                stack.extend((child, depth + 1) for child in reversed(item.children))
    assert headings[0][0] == 1
    # Nesting follows the heading levels: H1 at the top, H2 under it, H3 under that.
    assert bookmarks == headings


@pytest.mark.parametrize("lang", LANGS)
def test_flyer_qr_code_is_a_figure_with_alt_text(built, lang):
    project, pdfs = built
    translations = load_translations(project, lang)
    alt = translations.gettext(
        "QR code: scan it to call the National Human Trafficking Hotline, %(phone)s"
    ) % {"phone": project.contacts.hotline.phone.display}
    with pikepdf.open(pdfs["flyer", lang]) as pdf:
        figures = [elem for elem, _ in walk(pdf.Root.StructTreeRoot) if tag(elem) == "/Figure"]
        assert [str(figure.Alt) for figure in figures] == [alt]
        # The figure's box is on the page, in points (WeasyPrint writes CSS px from the top).
        x1, y1, x2, y2 = (float(v) for v in figures[0].A.BBox)
        width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
        assert 0 <= x1 < x2 <= width and 0 <= y1 < y2 <= height
        assert x2 - x1 == pytest.approx(1.6 * 72, abs=0.5)  # .qr svg is 1.6 in wide


# ---------------------------------------------------------------- tri-fold reading order


def _panel_at(page: int, x: float, width: float) -> str:
    """Which panel of the tri-fold a point is on. Outside: flap | back | cover."""
    third = min(int(x / (width / 3)), 2)
    return (["flap", "back", "cover"] if page == 0 else ["inside-1", "inside-2", "inside-3"])[third]


def _mcid_positions(data: bytes) -> dict[tuple[int, int], float]:
    """(page, MCID) → the x where that marked text starts, from pdfium (independent of pikepdf)."""
    positions: dict[tuple[int, int], float] = {}
    document = pypdfium2.PdfDocument(data)
    try:
        for number in range(len(document)):
            for obj in document[number].get_objects(max_depth=8):
                mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(obj.raw)
                if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT and mcid >= 0:
                    left = obj.get_bounds()[0]
                    positions[number, mcid] = min(left, positions.get((number, mcid), left))
    finally:
        document.close()
    return positions


def _tag_order_mcids(pdf: pikepdf.Pdf) -> list[tuple[int, int]]:
    pages = page_index(pdf)
    order = []
    for elem, _ in walk(pdf.Root.StructTreeRoot):
        mcids = [int(k) for k in kids(elem) if isinstance(k, int)]
        order.extend((pages[elem.Pg.objgen], mcid) for mcid in mcids)
    return order


def _panel_runs(path) -> tuple[list[str], list[str], bool]:
    """The panels in tag order, collapsed; the tags under Document; whether every piece of
    text on the pages is in the tree once."""
    data = path.read_bytes()
    positions = _mcid_positions(data)
    with pikepdf.open(path) as pdf:
        width = float(pdf.pages[0].mediabox[2])
        order = _tag_order_mcids(pdf)
        document = kids(pdf.Root.StructTreeRoot)[0]
        top = [tag(kid) for kid in kids(document)]
    panels = [_panel_at(page, positions[page, mcid], width) for page, mcid in order]
    runs = [panel for i, panel in enumerate(panels) if i == 0 or panels[i - 1] != panel]
    return runs, top, len(order) == len(positions)


@pytest.mark.parametrize("lang", LANGS)
def test_trifold_tag_order_is_the_folded_reading_order(built, lang):
    _, pdfs = built
    runs, top, complete = _panel_runs(pdfs["trifold", lang])
    assert complete
    assert runs == TRIFOLD_READING_ORDER
    # The regions sit directly under Document, one each, with no sheet Div around them.
    assert top == TRIFOLD_TOP


def test_trifold_without_postprocess_is_in_sheet_order(built, tmp_path):
    """The test above can fail: WeasyPrint alone tags the panels as they lie on the sheet."""
    project, _ = built
    builder = Builder(project)
    rendered = builder.renderer.html(
        project.leaflets["trifold"], project.languages["en"], builder.translations("en")
    )
    path = tmp_path / "raw.pdf"
    path.write_bytes(builder.typesetter.pdf(builder.typesetter.layout(rendered.html)))
    runs, top, _ = _panel_runs(path)
    assert runs == ["cover", "flap", "back", "inside-1", "inside-2", "inside-3"]
    assert top == ["/Div", "/Div"]


@pytest.mark.pdf
def test_trifold_in_the_pseudo_locale_is_in_reading_order_though_text_is_cut_off(project_copy):
    """The pseudo-locale's text is a third wider and overflows the panels; built with --fit,
    the shrunk panels are still found and put in order."""
    project = project_mod.load(project_copy)
    outputs = build_mod.plan(project, ["qps"], ["trifold"])
    build_mod.build(project, outputs, fit_mode="shrink")
    runs, top, _ = _panel_runs(outputs[0].path)
    assert runs == TRIFOLD_READING_ORDER and top == TRIFOLD_TOP


@pytest.mark.parametrize("lang", LANGS)
def test_trifold_text_extraction_reads_the_cover_first(built, lang):
    """pypdfium2 and pdftotext -raw read in content order: the cover leads page 1, then the
    flap and the back; page 2 reads the inside flow, its headings in order. (pdftotext without
    -raw re-flows by position, left column first, and ignores the tags.)"""
    _, pdfs = built
    path = pdfs["trifold", lang]
    data = path.read_bytes()
    marked = MarkedText.read(data)
    positions = _mcid_positions(data)
    with pikepdf.open(path) as pdf:
        width = float(pdf.pages[0].mediabox[2])
        pages = page_index(pdf)
        first_heading, inside_headings = {}, []
        for elem, _ in walk(pdf.Root.StructTreeRoot):
            if not heading_level(elem):
                continue
            branch = [elem, *(descendant for descendant, _ in walk(elem))]
            first = next(
                (pages[e.Pg.objgen], int(k)) for e in branch for k in kids(e) if isinstance(k, int)
            )
            panel = _panel_at(first[0], positions[first], width)
            first_heading.setdefault(panel, marked.texts[first].strip())
            if first[0] == 1:
                inside_headings.append(marked.texts[first].strip())
    assert {"cover", "flap", "back", "inside-1"} <= set(first_heading)
    assert len(inside_headings) >= 4
    pdftotext = [
        subprocess.run(
            ["pdftotext", "-raw", "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in (1, 2)
    ]
    for texts in (page_texts(path), pdftotext):
        outside, inside = (re.sub(r"\s+", " ", t).strip() for t in texts)
        where = [outside.find(first_heading[p]) for p in ("cover", "flap", "back")]
        assert where[0] == 0, outside[:80]  # nothing before the cover's heading
        assert 0 < where[1] < where[2]
        where = [inside.find(heading) for heading in inside_headings]
        assert where[0] == 0 and where == sorted(where) and len(set(where)) == len(where), where


# ---------------------------------------------------------------- the HTML the PDFs come from

HTML_NS = "{http://www.w3.org/1999/xhtml}"
SVG_NS = "{http://www.w3.org/2000/svg}"
INLINE = {f"{HTML_NS}{name}" for name in ("a", "span", "strong", "em", "b", "i", "br", "abbr")}


@pytest.fixture(scope="module")
def rendered(laid_out):
    """Every leaflet in every language as HTML, parsed: {(leaflet, lang): root element}."""
    return {key: tinyhtml5.parse(html) for key, (html, _) in laid_out.items()}


@pytest.mark.parametrize(("leaflet", "lang"), CASES)
def test_templates_avoid_the_weasyprint_gaps(rendered, leaflet, lang):
    root = rendered[leaflet, lang]
    # Decorative graphics are CSS backgrounds: WeasyPrint tags every <img>, alt="" or not, as a
    # Figure, and one without /Alt fails PDF/UA.
    assert root.findall(f".//{HTML_NS}img") == []
    # An SVG's aria-label is ignored; its <title> becomes /Alt.
    for svg in root.iter(f"{SVG_NS}svg"):
        title = svg.find(f"{SVG_NS}title")
        assert title is not None and title.text and title.text.strip()
    # <li><p>…</p></li> tags as LI > P with no LBody: list items hold inline content only.
    for item in root.iter(f"{HTML_NS}li"):
        assert {child.tag for child in item} <= INLINE, [child.tag for child in item]
    # Every link says what it does, in the leaflet's language: postprocess makes it /Contents.
    for link in root.iter(f"{HTML_NS}a"):
        assert link.get("aria-label", "").strip(), link.get("href")
    # A passage in another language says so; postprocess gives it /Lang.
    for elem in root.iter():
        if elem is not root and elem.get("lang"):
            assert audit.valid_language_tag(elem.get("lang"))


def test_trifold_reading_order_names_every_panel_once(rendered):
    root = rendered["trifold", "en"]
    (meta,) = [m for m in root.iter(f"{HTML_NS}meta") if m.get("name") == "reading-order"]
    regions = [elem.get("id") for elem in root.iter() if elem.get("data-region")]
    assert sorted(meta.get("content").split()) == sorted(regions)
    assert meta.get("content").split() == TRIFOLD_REGIONS
