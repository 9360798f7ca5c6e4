"""The tagged text reads as the leaflet does, in every language: a word space at every line
join, one list and one section where a page break split them (layout/weasyprint_adapters.py
writes what the post-processor needs; postprocess.py joins the pieces)."""

from __future__ import annotations

import pikepdf
import pytest
import tinyhtml5

from leaflets.i18n.translations import load_translations
from leaflets.pdf.structure import is_struct_elem, kids, page_index, tag, walk
from tests.pdftext import MarkedText, printed_text, tagged_text

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
