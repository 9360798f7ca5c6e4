"""`leaflets check` catches each rule's failure: a built PDF is broken on purpose with pikepdf
(the title deleted, a Figure's /Alt removed, an H2 made an H3…) and the check must say so."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from cli import main
from leaflets.config import project as project_mod
from leaflets.pdf import audit, leaflet_audit
from leaflets.pdf import content as pdf_content
from leaflets.pdf.structure import kids, tag, walk
from leaflets.pipeline import build as build_mod
from tests.pdftext import glyph_sizes, text

# ---------------------------------------------------------------- ways to break a PDF


def _elements(pdf: pikepdf.Pdf, name: str) -> list[pikepdf.Object]:
    return [elem for elem, _ in walk(pdf.Root.StructTreeRoot) if tag(elem) == name]


def _links(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    return [annot for page in pdf.pages for annot in page.obj.get("/Annots", [])]


def _fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    return list(pdf.pages[0].Resources.Font.values())


def no_title(pdf):
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        del meta["dc:title"]


def no_pdfua_part(pdf):
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        del meta["pdfuaid:part"]


def not_marked(pdf):
    pdf.Root.MarkInfo.Marked = False


def no_display_doc_title(pdf):
    del pdf.Root.ViewerPreferences["/DisplayDocTitle"]


def no_struct_tree(pdf):
    del pdf.Root["/StructTreeRoot"]


def orphan_element(pdf):
    del _elements(pdf, "/H1")[0]["/P"]


def no_parent_tree(pdf):
    del pdf.Root.StructTreeRoot["/ParentTree"]


def no_document_lang(pdf):
    del pdf.Root["/Lang"]


def bad_document_lang(pdf):
    pdf.Root.Lang = pikepdf.String("english")


def bad_element_lang(pdf):
    _elements(pdf, "/P")[0].Lang = pikepdf.String("xx")


def wrong_language(pdf):
    pdf.Root.Lang = pikepdf.String("en")


def untagged_path(pdf):
    pdf.pages[0].contents_add(pdf.make_stream(b"0 0 m 100 100 l S"), prepend=False)


def _drawn_form(pdf, content: bytes) -> None:
    """A form XObject with `content`, drawn on the first page."""
    page = pdf.pages[0]
    form = pdf.make_stream(content)
    form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 10, 10]
    page.Resources.XObject = pikepdf.Dictionary(Fx9=form)
    page.contents_add(pdf.make_stream(b"q /Fx9 Do Q"), prepend=False)


def untagged_form(pdf):
    _drawn_form(pdf, b"0 0 10 10 re f")


def form_with_unmapped_mcid(pdf):
    _drawn_form(pdf, b"/P <</MCID 0>> BDC 0 0 10 10 re f EMC")


def tagged_inside_artifact(pdf):
    page = pdf.pages[0]
    page.contents_add(pdf.make_stream(b"/Artifact BMC /P <</MCID 0>> BDC EMC EMC"), prepend=False)


def nonstandard_type(pdf):
    _elements(pdf, "/P")[0].S = pikepdf.Name("/Paragraph")


def unreachable_mcid(pdf):
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    nums[1][0] = pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Span)


def figure_without_alt(pdf):
    del _elements(pdf, "/Figure")[0]["/Alt"]


def skipped_heading(pdf):
    _elements(pdf, "/H2")[0].S = pikepdf.Name.H3


def first_heading_not_h1(pdf):
    _elements(pdf, "/H1")[0].S = pikepdf.Name.H2


def list_item_with_paragraph(pdf):
    _elements(pdf, "/LBody")[0].S = pikepdf.Name.P


def list_with_paragraph(pdf):
    _elements(pdf, "/LI")[0].S = pikepdf.Name.P


def table_without_headers(pdf):
    _elements(pdf, "/Sect")[0].S = pikepdf.Name.Table


def link_without_contents(pdf):
    del _links(pdf)[0]["/Contents"]


def link_contents_is_its_url(pdf):
    link = _links(pdf)[0]
    link.Contents = link.A.URI


def link_outside_link_element(pdf):
    _elements(pdf, "/Link")[0].S = pikepdf.Name.Span


def no_tab_order(pdf):
    del pdf.pages[0].obj["/Tabs"]


def font_without_tounicode(pdf):
    del _fonts(pdf)[0]["/ToUnicode"]


def font_not_embedded(pdf):
    descriptor = _fonts(pdf)[0].DescendantFonts[0].FontDescriptor
    for name in ("/FontFile", "/FontFile2", "/FontFile3"):
        if name in descriptor:
            del descriptor[name]


def smaller_type(pdf):
    """Every Tf at 70 %: the card's body (10 to 12 pt) falls below its 9 pt floor."""
    for page in pdf.pages:
        instructions = []
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "Tf":
                operands = [operands[0], Decimal(str(float(operands[1]) * 0.7))]
            instructions.append((operands, operator))
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


BROKEN: list[tuple[str, str, Callable, str]] = [
    ("flyer", "en", no_title, r"the document has no title \(XMP dc:title"),
    ("flyer", "en", no_pdfua_part, r"XMP pdfuaid:part is None, expected '1'"),
    ("card", "en", not_marked, r"/MarkInfo /Marked is not true"),
    ("card", "en", no_display_doc_title, r"DisplayDocTitle is not true"),
    ("card", "en", no_struct_tree, r"no structure tree \(StructTreeRoot\)"),
    ("card", "en", orphan_element, r"page 1: a /H1 element has no parent"),
    ("card", "en", no_parent_tree, r"the structure tree has no ParentTree"),
    ("flyer", "ht", no_document_lang, r"the document has no /Lang"),
    ("card", "en", bad_document_lang, r"the document has /Lang 'english', not a BCP 47"),
    ("trifold", "en", bad_element_lang, r"page 1: a /P element has /Lang 'xx', not a BCP 47"),
    ("card", "es", wrong_language, r"the document's language is 'en', expected 'es'"),
    (
        "card",
        "en",
        untagged_path,
        r"page 1: 1 painting operator\(s\) outside tagged content.*first: S",
    ),
    ("card", "en", untagged_form, r"page 1: 2 painting operator\(s\) outside .*first: Do"),
    ("card", "en", form_with_unmapped_mcid, r"page 1: 1 marked-content IDs, but a Form XObj"),
    (
        "card",
        "en",
        tagged_inside_artifact,
        r"page 1: 1 tagged marked-content sequence\(s\) inside an Artifact",
    ),
    ("flyer", "es", nonstandard_type, r"page 1: structure type /Paragraph is not standard"),
    ("card", "en", unreachable_mcid, r"page 1: marked content not reachable .*: MCID 0$"),
    ("flyer", "es", figure_without_alt, r"page 1: a Figure has no alternative text \(/Alt\)"),
    ("flyer", "en", skipped_heading, r"page 1: heading level skipped: H1 → H3"),
    ("large-print", "ht", first_heading_not_h1, r"page 1: the first heading is H2, not H1"),
    ("trifold", "en", list_item_with_paragraph, r"a list item \(LI\) holds /P; expected Lbl"),
    ("large-print", "en", list_with_paragraph, r"a list \(L\) holds /P; expected LI"),
    ("card", "en", table_without_headers, r"page 2: a table has no header cells \(TH\)"),
    ("card", "en", link_without_contents, r"page 1: the link to tel:\+18883737888 has no desc"),
    ("flyer", "ht", link_contents_is_its_url, r"page 1: .* described by its address"),
    ("trifold", "es", link_outside_link_element, r"page 1: .* not inside a Link structure"),
    ("card", "en", no_tab_order, r"page 1: the page has annotations but no /Tabs /S"),
    (
        "card",
        "en",
        font_without_tounicode,
        r"page 1: font \w+\+Atkinson-Hyperlegible\S* has no /ToUnicode",
    ),
    (
        "card",
        "en",
        font_not_embedded,
        r"page 1: font \w+\+Atkinson-Hyperlegible\S* is not embedded",
    ),
    ("card", "en", smaller_type, r"page 1: text at [78]\.\d pt, smaller than .* minimum of 9 pt"),
]


def _broken_copy(built, tmp_path: Path, leaflet: str, lang: str, breaks: Callable) -> Path:
    """A built PDF, broken, at out/<lang>/<leaflet>.pdf so the check knows what it should be."""
    _, pdfs = built
    path = tmp_path / "out" / lang / f"{leaflet}.pdf"
    path.parent.mkdir(parents=True)
    with pikepdf.open(pdfs[leaflet, lang]) as pdf:
        breaks(pdf)
        pdf.save(path)
    return path


def _check(project_root: Path, *args: str):
    return CliRunner().invoke(main, ["--project", str(project_root), "check", *args])


@pytest.mark.parametrize(
    ("leaflet", "lang", "breaks", "message"),
    BROKEN,
    ids=[case[2].__name__ for case in BROKEN],
)
def test_check_catches_a_broken_pdf(built, tmp_path, leaflet, lang, breaks, message):
    project, pdfs = built
    # The same PDF, unbroken, passes: the finding below comes from the break.
    assert leaflet_audit.audit_outputs(project, [pdfs[leaflet, lang]]) == []
    path = _broken_copy(built, tmp_path, leaflet, lang, breaks)
    result = _check(project.root, "--pdf", str(path))
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines, result.output
    assert all(line.startswith(f"{path}: ") for line in lines), lines
    assert any(re.search(message, line) for line in lines), lines
    assert "errors" in result.stderr and "Traceback" not in result.stderr


def test_unreadable_pdf_is_a_finding_not_a_crash(built, tmp_path):
    project, _ = built
    path = tmp_path / "flyer.pdf"
    path.write_bytes(b"%PDF-1.7\nthis is not a PDF")
    result = _check(project.root, "--pdf", str(path))
    assert result.exit_code == 1
    assert f"{path}: cannot read the PDF" in result.stdout


def test_check_reports_json_and_folders(built, tmp_path):
    project, pdfs = built
    good = tmp_path / "out" / "en" / "card.pdf"
    good.parent.mkdir(parents=True)
    shutil.copy(pdfs["card", "en"], good)
    _broken_copy(built, tmp_path / "more", "flyer", "en", figure_without_alt)
    result = _check(
        project.root, "--json", "--pdf", str(tmp_path / "out"), "--pdf", str(tmp_path / "more")
    )
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert [(f["code"], f["page"], Path(f["path"]).name) for f in findings] == [
        ("figure-alt", 1, "flyer.pdf")
    ]
    assert "checked 2 PDFs: 1 error, 0 warnings" in result.stderr


def test_check_with_nothing_built_says_what_to_do(project_copy):
    (project_copy / "out").mkdir()
    result = _check(project_copy, "--pdf", str(project_copy / "out"))
    assert result.exit_code == 1
    assert "no PDFs to check" in result.stderr and "leaflets build" in result.stderr


def test_glyph_minimum_is_the_leaflets(built, tmp_path):
    """The card's type (10 to 12 pt) is fine on a card and too small in large print."""
    project, pdfs = built
    card_pt = min(size for _, _, size in glyph_sizes(pdfs["card", "en"]))
    assert 10 <= card_pt <= 12
    path = tmp_path / "en" / "large-print.pdf"
    path.parent.mkdir()
    shutil.copy(pdfs["card", "en"], path)
    messages = [f.format() for f in leaflet_audit.audit_outputs(project, [path])]
    assert messages == [
        f"{path}: page {n}: text at {card_pt:.1f} pt, smaller than this leaflet's minimum of 18 pt"
        for n in (1, 2)
    ]


def test_language_tags():
    for good in ("en", "es", "ht", "es-US", "en-Latn-US", "fr-CA", "acf", "qps", "qps-ploc"):
        assert audit.valid_language_tag(good), good
    for bad in ("", "english", "xx", "en_US", "e", "en-", "123"):
        assert not audit.valid_language_tag(bad), bad


# ---------------------------------------------------------------- build refuses


@pytest.mark.pdf
def test_build_refuses_to_write_an_inaccessible_pdf(project_copy, monkeypatch):
    """Without its aria-label the hotline link would say "tel:+18883737888": no PDF is written."""
    partial = project_copy / "templates" / "card.html.j2"
    text = partial.read_text()
    without_label = re.sub(r' aria-label=".*?\) \}\}"', "", text, flags=re.S)
    assert without_label != text
    partial.write_text(without_label)
    monkeypatch.chdir(project_copy)
    result = CliRunner().invoke(main, ["build", "--lang", "en", "--leaflet", "card"])
    assert result.exit_code == 1
    assert "card (en): not written, the accessibility audit failed" in result.stderr
    assert "tel:+18883737888 is described by its address" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project_copy / "out" / "en" / "card.pdf").exists()


@pytest.mark.pdf
def test_reading_order_naming_a_missing_panel_is_an_error(project_copy, monkeypatch):
    template = project_copy / "templates" / "trifold.html.j2"
    template.write_text(template.read_text().replace("inside flap", "inside inside-4 flap"))
    monkeypatch.chdir(project_copy)
    result = CliRunner().invoke(main, ["build", "--lang", "en", "--leaflet", "trifold"])
    assert result.exit_code == 1
    assert "trifold (en): reading order names elements that do not exist: inside-4" in (
        result.stderr
    )


def test_kids_helper_reads_single_and_array_k():
    pdf = pikepdf.new()
    single = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.P, K=3))
    many = pikepdf.Dictionary(S=pikepdf.Name.Div, K=[single, 4])
    assert kids(single) == [3]
    assert [tag(k) if isinstance(k, pikepdf.Dictionary) else int(k) for k in kids(many)] == [
        "/P",
        4,
    ]


@pytest.mark.pdf
def test_reading_order_survives_text_added_by_css(project_copy):
    """A ::before on a panel's heading puts text in the PDF that the HTML does not have."""
    css = project_copy / "styles" / "trifold.css"
    css.write_text(css.read_text() + '\n.panels h2::before { content: "» "; }\n')
    project = project_mod.load(project_copy)
    (output,) = build_mod.plan(project, ["en"], ["trifold"])
    build_mod.build(project, [output])
    with pikepdf.open(output.path) as pdf:
        document = kids(pdf.Root.StructTreeRoot)[0]
        assert [tag(k) for k in kids(document)] == ["/Sect", "/Div", "/Sect", "/Sect"]
    assert "»" in text(output.path)


# ---------------------------------------------------------------- the content scanner, in detail


def _scan(content: bytes) -> pdf_content.ContentScan:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0]
    page.obj.Contents = pdf.make_stream(content)
    scan = pdf_content.ContentScan()
    scan.page(page)
    return scan


@pytest.mark.parametrize(
    ("content", "untagged"),
    [
        (b"/Artifact BMC 0 0 10 10 re f EMC", 0),
        (b"/P <</MCID 0>> BDC BT /F1 12 Tf (a) Tj ET EMC", 0),
        (b"/Span BMC BT /F1 12 Tf (a) Tj ET EMC", 1),  # marked, but neither tagged nor artifact
        (b"/P <</MCID 0>> BDC EMC 0 0 10 10 re f", 1),  # after the sequence closed
        (b"q BI /W 1 /H 1 /BPC 8 /CS /G ID \x80 EI Q", 1),  # an inline image
        (b"0 0 m 10 10 l n", 0),  # a clipping path paints nothing
    ],
)
def test_scanner_finds_untagged_painting(content, untagged):
    assert _scan(content).untagged_count == untagged


def test_scanner_measures_glyphs_through_every_matrix():
    scan = _scan(
        b"/P <</MCID 0>> BDC q 0.5 0 0 0.5 0 0 cm BT /F1 24 Tf (a) Tj ET Q "
        b"BT /F1 30 Tf 1 0 0 0.3 0 0 Tm (b) Tj ET "  # 9 pt: Q has undone the 0.5 scale
        b"BT /F1 5 Tf () Tj ET EMC"  # no glyphs: not counted
    )
    assert scan.smallest == pytest.approx(9)
    assert [mcids for _, mcids in scan.mcids.values()] == [[0]]


def test_role_mapped_types_are_checked_as_their_standard_type(built, tmp_path):
    project, pdfs = built
    path = tmp_path / "en" / "flyer.pdf"
    path.parent.mkdir()
    with pikepdf.open(pdfs["flyer", "en"]) as pdf:
        pdf.Root.StructTreeRoot.RoleMap = pikepdf.Dictionary(Para="/P", Subhead="/H3")
        for elem in _elements(pdf, "/P"):
            elem.S = pikepdf.Name("/Para")
        pdf.save(path)
    assert leaflet_audit.audit_outputs(project, [path]) == []  # /Para is a P: fine
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        _elements(pdf, "/H2")[0].S = pikepdf.Name("/Subhead")  # an H3 straight after the H1
        pdf.save(path)
    messages = [f.message for f in leaflet_audit.audit_outputs(project, [path])]
    assert messages == ["heading level skipped: H1 → H3"]


def test_expectations_from_the_file_name(built):
    project, _ = built
    cases = {
        Path("out/es/card.pdf"): ("card", "es"),
        Path("proofs/large-print-ht.pdf"): ("large-print", "ht"),
        Path("proofs/card-xx.pdf"): (None, None),
        Path("elsewhere/flyer.pdf"): ("flyer", None),
    }
    for path, (name, lang) in cases.items():
        leaflet, language = leaflet_audit.expectations(project, path)
        found = (leaflet.name if leaflet else None, language.code if language else None)
        assert found == (name, lang), path
