"""The tagged text reads as the leaflet does, in every language: a word space at every line
join, one list and one section where a page break split them (layout/weasyprint_adapters.py
writes what the post-processor needs; postprocess.py joins the pieces)."""

from __future__ import annotations

import pikepdf
import pytest
import tinyhtml5

from leaflets.i18n.translations import load_translations
from leaflets.pdf.structure import is_struct_elem, kids, page_index, tag, walk
from tests.pdftext import MarkedText, glued_joins, printed_text, tagged_text
from tests.pdftext import text as pdf_text

LANGS = ("en", "es", "ht")
LEAFLETS = ("trifold", "flyer", "card", "large-print")
HTML_NS = "{http://www.w3.org/1999/xhtml}"


def sentences(project, lang: str) -> list[str]:
    """Every message of the language that has no placeholder, as it prints."""
    if lang == "en":
        from babel.messages.pofile import read_po

        with project.pot_path.open("rb") as pot:
            found = [m.id for m in read_po(pot) if isinstance(m.id, str) and m.id]
    else:
        found = [m for m in load_translations(project, lang).messages.values()]
    return [" ".join(s.split()) for s in found if isinstance(s, str) and "%" not in s]


@pytest.mark.parametrize("leaflet", LEAFLETS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_line_join_keeps_its_word_space(built, leaflet, lang):
    """WeasyPrint leaves the space out where a line breaks ("HumanTrafficking", "Learn
    thefacts"): each sentence on the page is in the structure tree's text as written."""
    project, pdfs = built
    printed = printed_text(project, leaflet, lang)
    expected = [s for s in sentences(project, lang) if s in printed]
    assert expected
    text = tagged_text(pdfs[leaflet, lang])
    assert [s for s in expected if s not in text] == []


def test_the_joins_are_counted_from_the_structure_tree(built):
    """The English tri-fold's line joins inside one element, counted as the issue counts
    them: two Spans of one element on different lines, with no white space between them."""
    _, pdfs = built
    data = pdfs["trifold", "en"].read_bytes()
    marked = MarkedText.read(data)
    joins = unspaced = 0
    with pikepdf.open(pdfs["trifold", "en"]) as pdf:
        pages = page_index(pdf)
        for elem, _ in walk(pdf.Root.StructTreeRoot):
            spans = [k for k in kids(elem) if is_struct_elem(k) and tag(k) == "/Span"]
            texts = [marked.of(span, pages) for span in spans]
            for before, after in zip(texts, texts[1:], strict=False):
                if before and after:
                    joins += 1
                    unspaced += not (
                        before[-1].isspace() or after[0].isspace() or before[-1] == "-"
                    )
    assert joins > 50 and unspaced == 0


@pytest.mark.parametrize("lang", LANGS)
def test_large_print_keeps_lists_and_sections_whole(built, lang):
    """The large print runs over several pages: each list is one L, and no Sect starts
    without its heading (WeasyPrint tags each page on its own)."""
    project, pdfs = built
    from leaflets.pipeline.builder import Builder

    builder = Builder(project)
    html = builder.renderer.html(
        project.leaflets["large-print"], project.languages[lang], builder.translations(lang)
    ).html
    lists = len(tinyhtml5.parse(html).findall(f".//{HTML_NS}ul"))
    with pikepdf.open(pdfs["large-print", lang]) as pdf:
        assert len(pdf.pages) > 1
        elements = [elem for elem, _ in walk(pdf.Root.StructTreeRoot)]
        assert sum(tag(e) == "/L" for e in elements) == lists == 3
        sections = [e for e in elements if tag(e) == "/Sect"]
        first_kids = [tag(next(k for k in kids(s) if is_struct_elem(k))) for s in sections]
        assert all(t.startswith("/H") for t in first_kids), first_kids
        assert sum(tag(e) == "/Part" for e in elements) == 1  # <main>, once


def _pdfs_of(build) -> dict:
    """{(leaflet, lang): pdf} of a session build: letter_build and a4_build give a report."""
    _, result = build
    if isinstance(result, dict):
        return result
    return {(r.output.leaflet, r.output.lang): r.output.path for r in result.built}


@pytest.mark.pdf
@pytest.mark.parametrize("build", ["letter_build", "a4_build", "scripts_build"])
def test_no_words_run_together_in_any_leaflet(request, build):
    """Every leaflet, in every language, on both papers, in the Latin and the Arabic and
    Vietnamese projects: read as a screen reader reads it, no line, line break (<br>), link or
    block inside a paragraph runs into the next without a space ("Shopping CenterChristiansted",
    "340-719-0144Fax", "اتصل على1-888")."""
    pdfs = _pdfs_of(request.getfixturevalue(build))
    assert len(pdfs) >= 8
    glued = {
        f"{leaflet}/{lang}": joins
        for (leaflet, lang), pdf in pdfs.items()
        if (joins := glued_joins(pdf))
    }
    assert glued == {}


def test_the_glued_join_count_can_fail(built, tmp_path):
    """The count above finds joins: the English flyer made without the tagger's word spaces
    (WeasyPrint's own tags) runs its office lines together."""
    project, _ = built
    from leaflets.layout import weasyprint_adapters as adapters
    from leaflets.pipeline.builder import Builder

    builder = Builder(project)
    rendered = builder.renderer.html(
        project.leaflets["flyer"], project.languages["en"], builder.translations("en")
    )
    saved = adapters._line_joins
    adapters._line_joins = lambda document: set()
    try:
        data = builder.typesetter.pdf(builder.typesetter.layout(rendered.html))
    finally:
        adapters._line_joins = saved
    path = tmp_path / "flyer.pdf"
    path.write_bytes(data)
    assert "Shopping Center|Christiansted, VI 00" in "\n".join(glued_joins(path))


@pytest.mark.pdf
@pytest.mark.parametrize("build", ["built", "scripts_build"])
def test_trifold_lists_and_sections_stay_whole_across_the_columns(request, build):
    """The inside of the tri-fold is one flow in three columns: a list the column break splits
    is one L, and every section starts with its heading (as across a page break)."""
    project, pdfs = request.getfixturevalue(build)
    from leaflets.pipeline.builder import Builder

    builder = Builder(project)
    for (leaflet, lang), pdf_path in pdfs.items():
        if leaflet != "trifold":
            continue
        html = builder.renderer.html(
            project.leaflets[leaflet], project.languages[lang], builder.translations(lang)
        ).html
        lists = len(tinyhtml5.parse(html).findall(f".//{HTML_NS}ul"))
        with pikepdf.open(pdf_path) as pdf:
            elements = [elem for elem, _ in walk(pdf.Root.StructTreeRoot)]
            assert sum(tag(e) == "/L" for e in elements) == lists, lang
            sections = [e for e in elements if tag(e) == "/Sect"]
            first = [tag(next(k for k in kids(s) if is_struct_elem(k))) for s in sections]
            # A section starts with its heading; the cover's with its title block, the flap's
            # with the section inside it.
            assert all(t.startswith("/H") or t in ("/Div", "/Sect") for t in first), (lang, first)


@pytest.mark.pdf
@pytest.mark.parametrize("build", ["built", "scripts_build"])
def test_the_councils_english_name_is_tagged_english(request, build):
    """In every language but English the council's name, which prints in English, is read
    with an English voice: the element that holds it, or one around it, says /Lang en."""
    project, pdfs = request.getfixturevalue(build)
    name = project.organisation
    for (leaflet, lang), pdf_path in pdfs.items():
        if lang == "en" or name not in pdf_text(pdf_path):  # the card is discreet: no name
            continue
        marked = MarkedText.read(pdf_path.read_bytes())
        with pikepdf.open(pdf_path) as pdf:
            pages = page_index(pdf)

            def text(elem, marked=marked, pages=pages) -> str:
                return " ".join(marked.of(elem, pages).split())

            paragraphs = [
                elem
                for elem, _ in walk(pdf.Root.StructTreeRoot)
                if tag(elem) == "/P" and text(elem) == name
            ]
            assert paragraphs, (leaflet, lang)
            for elem in paragraphs:
                english = [
                    e
                    for e in [elem, *kids(elem)]
                    if is_struct_elem(e) and str(e.get("/Lang", "")) == "en" and text(e) == name
                ]
                assert english, (leaflet, lang)
