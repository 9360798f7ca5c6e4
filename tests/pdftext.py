"""Reading built PDFs in tests: text with pypdfium2, sizes and fonts with pikepdf."""

from __future__ import annotations

import ctypes
import math
import re
from pathlib import Path

import pikepdf
import pypdfium2
import tinyhtml5

from leaflets.build.builder import Builder
from leaflets.pdf.structure import MarkedText, heading_level, page_index, tag, walk


def page_texts(pdf: Path) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def text(pdf: Path) -> str:
    """All text, with whitespace folded so that line breaks do not split phrases."""
    return re.sub(r"\s+", " ", " ".join(page_texts(pdf))).replace("\u00a0", " ")


def digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def glyph_sizes(pdf: Path) -> list[tuple[int, str, float]]:
    """(page number, character, size in points) for every visible character."""
    document = pypdfium2.PdfDocument(pdf)
    sizes = []
    try:
        for number in range(len(document)):
            textpage = document[number].get_textpage()
            for index in range(textpage.count_chars()):
                char = chr(pypdfium2.raw.FPDFText_GetUnicode(textpage.raw, index))
                if char.isspace() or not char.isprintable():
                    continue
                # pdfium's font size is in text space; WeasyPrint draws in CSS pixels under a
                # 0.75 scale, so the size on paper is the font size times that scale.
                size = pypdfium2.raw.FPDFText_GetFontSize(textpage.raw, index)
                matrix = pypdfium2.raw.FS_MATRIX()
                pypdfium2.raw.FPDFText_GetMatrix(textpage.raw, index, ctypes.byref(matrix))
                scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c)) or 1.0
                sizes.append((number + 1, char, round(size * scale, 3)))
    finally:
        document.close()
    return sizes


def printed_text(project, leaflet: str, lang: str) -> str:
    """The text of the leaflet's rendered HTML body, white space folded: what it prints."""
    builder = Builder(project)
    rendered = builder.renderer.html(
        project.leaflets[leaflet], project.languages[lang], builder.translations(lang)
    )
    body = tinyhtml5.parse(rendered.html).find("{http://www.w3.org/1999/xhtml}body")
    return " ".join("".join(body.itertext()).split())


def tagged_text(pdf: Path) -> str:
    """The whole structure tree's text as a screen reader reads it (/ActualText included),
    with white space folded."""
    data = pdf.read_bytes()
    marked = MarkedText.read(data)
    with pikepdf.open(pdf) as document:
        texts = [
            marked.of(elem, page_index(document))
            for elem, _ in walk(document.Root.StructTreeRoot)
            if tag(elem) in ("/P", "/LBody", "/Lbl") or heading_level(elem)
        ]
    return " ".join(" ".join(texts).split())
