"""Languages in other scripts, by configuration, a catalog and a font package alone: Arabic
(right to left, shaped) and Vietnamese (Latin with stacked diacritics, which the default
typeface lacks). The project is tests/data/scripts added to a copy of the council's, built
once per session (conftest.py's `scripts_build`)."""

from __future__ import annotations

import collections
import ctypes
import re
import unicodedata
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from leaflets.i18n.translations import load_translations
from leaflets.pdf.leaflet_audit import audit_outputs
from leaflets.pdf.structure import kids, page_index, tag, walk
from tests.conftest import SCRIPT_LANGS
from tests.pdftext import MarkedText, printed_text, tagged_text

LEAFLETS = ("trifold", "flyer", "card", "large-print")


def font_families(pdf: Path) -> set[str]:
    """The family of every font a PDF uses, as its font descriptors name it."""
    with pikepdf.open(pdf) as document:
        found = set()
        for page in document.pages:
            for font in page.obj.Resources.get("/Font", {}).values():
                descendant = (font.get("/DescendantFonts") or [font])[0]
                found.add(str(descendant.FontDescriptor.FontFamily))
        return found


def test_every_leaflet_builds_and_passes_the_audit_in_packaged_fonts(scripts_build):
    project, pdfs = scripts_build
    assert set(pdfs) == {(leaflet, lang) for leaflet in LEAFLETS for lang in SCRIPT_LANGS}
    # The same audit as `leaflets check --pdf`, held to each language and its declared fonts.
    assert audit_outputs(project, pdfs.values()) == []
    for (_, lang), pdf in pdfs.items():
        assert font_families(pdf) <= set(project.fonts_of(lang)), pdf
    assert project.fonts_of("ar") == ("IBM Plex Sans Arabic",)
    assert project.fonts_of("vi") == ("Be Vietnam Pro",)


def test_the_document_says_its_direction(scripts_build):
    from leaflets.pipeline.builder import Builder

    project, pdfs = scripts_build
    with pikepdf.open(pdfs["card", "ar"]) as pdf:
        assert str(pdf.Root.Lang) == "ar"
    builder = Builder(project)
    for lang, direction in (("ar", "rtl"), ("vi", "ltr")):
        rendered = builder.renderer.html(
            project.leaflets["card"], project.languages[lang], builder.translations(lang)
        )
        assert f'<html lang="{lang}" dir="{direction}">' in rendered.html


def lines_of(pdf: Path, page: int) -> list[list[tuple[float, str]]]:
    """The characters of a page as pdfium places them, (left edge, char), grouped in lines by
    their baseline, top line first."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        textpage = document[page].get_textpage()
        lines: dict[int, list[tuple[float, str]]] = {}
        x, y = ctypes.c_double(), ctypes.c_double()
        for index in range(textpage.count_chars()):
            char = chr(pypdfium2.raw.FPDFText_GetUnicode(textpage.raw, index))
            pypdfium2.raw.FPDFText_GetCharOrigin(
                textpage.raw, index, ctypes.byref(x), ctypes.byref(y)
            )
            key = next((k for k in lines if abs(k - y.value) < 2), round(y.value))
            lines.setdefault(key, []).append((textpage.get_charbox(index)[0], char))
        return [lines[k] for k in sorted(lines, reverse=True)]
    finally:
        document.close()


def span_of(line: list[tuple[float, str]], word: str, other: str) -> tuple[float, float]:
    """Where a word stands on a line: the leftmost and rightmost of its letters that the other
    word does not have (WeasyPrint's /ToUnicode may give a ligature's two letters in either
    order, so a word is found by its own letters, not by their sequence)."""
    own = set(word) - set(other) - {" "}
    found = [left for left, char in line if char in own]
    assert found, f"none of the letters of {word!r} on the line"
    return min(found), max(found)


def letters(word: str) -> collections.Counter:
    return collections.Counter(c for c in word if not c.isspace())


def heading_line(pdf: Path, page: int, word: str) -> list[tuple[float, str]]:
    """The line of the page that holds the letters of `word`."""
    wanted = letters(word)
    for line in lines_of(pdf, page):
        have = collections.Counter(c for _, c in line)
        if all(have[c] >= n for c, n in wanted.items()):
            return line
    raise AssertionError(f"no line of page {page + 1} holds {word!r}")


def test_an_arabic_line_reads_from_the_right(scripts_build):
    """The logically first word of a right-to-left line is the rightmost one: the cover's
    heading, "الاتجار بالبشر" (Human Trafficking), from pypdfium2's character boxes."""
    project, pdfs = scripts_build
    title = load_translations(project, "ar").gettext("Human Trafficking")
    first, second = title.split()
    for leaflet in ("trifold", "flyer", "large-print"):
        line = heading_line(pdfs[leaflet, "ar"], 0, title)
        assert span_of(line, first, second)[0] > span_of(line, second, first)[1], leaflet
    # A left-to-right line, for contrast: the first word is the leftmost.
    title = load_translations(project, "vi").gettext("Human Trafficking")  # "Buôn bán người"
    first, second = title.split()[0], title.split()[-1]
    line = heading_line(pdfs["flyer", "vi"], 0, title)
    assert span_of(line, first, second)[1] < span_of(line, second, first)[0]


def bookmarks(pdf: Path) -> list[tuple[str, int, float]]:
    """(title, page index, x) of every bookmark, in order: where each heading is."""
    found = []
    with pikepdf.open(pdf) as document:
        pages = page_index(document)
        with document.open_outline() as outline:
            stack = list(reversed(outline.root))
            while stack:
                item = stack.pop()
                page, _, x, *_ = item.destination
                found.append((" ".join(str(item.title).split()), pages[page.objgen], float(x)))
                stack.extend(reversed(item.children))
        width = float(document.pages[0].mediabox[2])
    return [(title, page, x / width) for title, page, x in found]


def test_the_rtl_trifold_is_mirrored_and_read_in_order(scripts_build):
    """Read from the right: the front cover is the left panel of the outside, the flap its
    right one; the inside's panels run from right to left. The structure tree (and so the
    bookmarks, rebuilt in its order) goes cover, inside panels 1–3, flap, back."""
    project, pdfs = scripts_build
    pdf = pdfs["trifold", "ar"]
    with pikepdf.open(pdf) as document:
        top = [tag(kid) for kid in kids(kids(document.Root.StructTreeRoot)[0])]
    assert top == ["/Sect", "/Div", "/Sect", "/Sect"]  # cover, inside, flap, back
    marks = bookmarks(pdf)
    translations = load_translations(project, "ar")
    cover, *_ = marks
    assert cover[0] == translations.gettext("Human Trafficking")
    assert cover[1] == 0 and cover[2] < 1 / 3  # the front cover: the outside's left panel
    inside = [m for m in marks if m[1] == 1]
    # Panel 1 is the right one; every heading after it stands in the same panel or one further
    # to the left.
    assert inside[0][0] == translations.gettext("What is human trafficking?")
    assert inside[0][2] > 2 / 3
    assert all(b[2] <= a[2] + 0.01 for a, b in zip(inside, inside[1:], strict=False))
    assert inside[-1][2] < 1 / 3
    titles = [m[0] for m in marks]
    flap = marks[titles.index(translations.gettext("What needs to be done?"))]
    back = marks[titles.index(translations.gettext("Where to get help"))]
    assert flap[1] == back[1] == 0
    assert flap[2] > 2 / 3 and 1 / 3 < back[2] < 2 / 3
    # In reading order: the cover's headings, the inside's, then the flap's and the back's.
    assert titles.index(inside[-1][0]) < titles.index(flap[0]) < titles.index(back[0])
    # The English tri-fold, for contrast: the cover is the right panel, panel 1 the left.
    en = bookmarks(scripts_build[1]["trifold", "vi"])
    assert en[0][2] > 2 / 3 and [m for m in en if m[1] == 1][0][2] < 1 / 3


@pytest.mark.parametrize("lang", SCRIPT_LANGS)
def test_tagged_text_reads_as_the_translation(scripts_build, lang):
    """Every translated sentence is in the tagged text as written: in logical order for
    Arabic (whose glyphs are drawn in visual order, and shaped), with its word spaces at line
    breaks, and with Vietnamese's diacritics."""
    project, pdfs = scripts_build
    translations = load_translations(project, lang)
    text = tagged_text(pdfs["trifold", lang])
    sentences = [
        " ".join(message.split())
        for key, message in translations.messages.items()
        if isinstance(message, str) and "%" not in message and not isinstance(key, tuple)
    ]
    on_trifold = [s for s in sentences if s in printed_text(project, "trifold", lang)]
    assert len(on_trifold) > 20
    missing = [s for s in on_trifold if s not in text]
    assert missing == []


def test_english_in_an_arabic_leaflet_is_tagged_english(scripts_build):
    """The untranslated item falls back to English; it and the SMS keyword carry /Lang en."""
    project, pdfs = scripts_build
    data = pdfs["trifold", "ar"].read_bytes()
    marked = MarkedText.read(data)
    with pikepdf.open(pdfs["trifold", "ar"]) as pdf:
        pages = page_index(pdf)
        tagged = {
            (str(e.Lang), " ".join(marked.of(e, pages).split()))
            for e, _ in walk(pdf.Root.StructTreeRoot)
            if "/Lang" in e
        }
    assert ("en", "Combating sex tourism") in tagged
    assert ("en", project.contacts.hotline.text_keyword) in tagged
    assert ("en", "/ Draft translation — pending review") in tagged


def test_phone_numbers_keep_their_order_in_rtl_text(scripts_build):
    """Every phone number stands on the page as it is dialled, left to right."""
    project, pdfs = scripts_build
    numbers = {re.sub(r"\D", "", p.display) for p in project.contacts.all_numbers()}
    found = set()
    for page in range(2):
        for line in lines_of(pdfs["trifold", "ar"], page):
            digits = "".join(c for _, c in sorted(line) if c.isdigit())
            found |= {n for n in numbers if n in digits}
    assert {n for n in numbers if len(n) >= 10} <= found


VIETNAMESE_MARKS = "ảãạấầẩẫậắằẳẵặẻẽẹếềểễệỉĩịỏõọốồổỗộớờởỡợủũụứừửữựỷỹỵơưđ"


def test_vietnamese_prints_every_diacritic_in_its_declared_font(scripts_build):
    """Chosen because it is Latin, which the default typeface covers, with stacked marks it
    does not: without its own font declared, Pango would fill in each such letter from a
    system font, one letter at a time. Every such letter of the large print prints, from Be
    Vietnam Pro, and reads back as the same letter."""
    project, pdfs = scripts_build
    html_text = unicodedata.normalize("NFC", printed_text(project, "large-print", "vi"))
    used = {c for c in html_text.lower() if c in VIETNAMESE_MARKS}
    assert len(used) > 25
    document = pypdfium2.PdfDocument(pdfs["large-print", "vi"])
    try:
        printed = unicodedata.normalize(
            "NFC",
            "".join(document[i].get_textpage().get_text_range() for i in range(len(document))),
        ).lower()
    finally:
        document.close()
    assert used <= set(printed)
    assert font_families(pdfs["large-print", "vi"]) == {"Be Vietnam Pro"}
