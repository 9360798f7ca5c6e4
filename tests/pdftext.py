"""Reading built PDFs in tests: text with pypdfium2, sizes and fonts with pikepdf."""

from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pypdfium2
import pypdfium2.raw as pdfium_c
import tinyhtml5

from leaflets.pdf.structure import heading_level, is_struct_elem, key, kids, page_index, tag, walk
from leaflets.pipeline.builder import Builder


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


# ---------------------------------------------------------------- tagged text


@dataclass
class MarkedText:
    """The text of every marked-content sequence, by (page number, MCID)."""

    texts: dict[tuple[int, int], str] = field(default_factory=dict)

    @classmethod
    def read(cls, data: bytes) -> MarkedText:
        result = cls()
        document = pypdfium2.PdfDocument(data)
        try:
            for number in range(len(document)):
                page = document[number]
                textpage = page.get_textpage()
                for obj in page.get_objects(max_depth=8):
                    if obj.type != pdfium_c.FPDF_PAGEOBJ_TEXT:
                        continue
                    mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(obj.raw)
                    if mcid < 0:
                        continue
                    text = _text_of(obj, textpage)
                    slot = (number, mcid)
                    result.texts[slot] = result.texts.get(slot, "") + text
        finally:
            document.close()
        return result

    def of(self, elem: pikepdf.Object, pages: dict[tuple[int, int], int], skip=("/Lbl",)) -> str:
        """The text an element holds, in tag order, as a screen reader gets it: an element's
        /ActualText stands for its content. List labels (bullets) are left out."""
        parts: list[str] = []
        self._collect(elem, pages, None, skip, parts, set())
        return "".join(parts)

    def pieces(self, elem: pikepdf.Object, pages: dict[tuple[int, int], int]) -> list[str]:
        """The text an element holds, as `of` reads it, in its pieces: each /ActualText and
        each marked-content sequence apart (list labels left out)."""
        parts: list[str] = []
        self._collect(elem, pages, None, ("/Lbl",), parts, set())
        return parts

    def _collect(self, elem, pages, page, skip, parts, seen) -> None:
        if key(elem) in seen:
            return
        seen.add(key(elem))
        if "/ActualText" in elem:
            parts.append(str(elem.ActualText))
            return
        pg = elem.get("/Pg")
        if pg is not None and pg.objgen in pages:
            page = pages[pg.objgen]
        for kid in kids(elem):
            if isinstance(kid, int):
                parts.append(self.texts.get((page, int(kid)), ""))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                kid_pg = kid.get("/Pg")
                kid_page = pages.get(kid_pg.objgen, page) if kid_pg is not None else page
                parts.append(self.texts.get((kid_page, int(kid.MCID)), ""))
            elif is_struct_elem(kid) and tag(kid) not in skip:
                self._collect(kid, pages, page, skip, parts, seen)


def _text_of(obj, textpage) -> str:
    # FPDFTextObj_GetText returns UTF-16LE with a terminating NUL; the first call sizes the buffer.
    size = pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFTextObj_GetText(
        obj.raw, textpage.raw, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), size
    )
    return buffer.raw[: size - 2].decode("utf-16-le", errors="replace")


def squash(text: str) -> str:
    """Text for matching: line breaks in a PDF drop or add spaces, CSS may change the case, and
    hyphens come and go at line breaks (pdfium reads a hyphen that ends a line as U+0002)."""
    return re.sub(r"[\s\u00ad\u0002\u2010\u2011-]+", "", text).casefold()


# Elements a screen reader reads as one run of text (it pauses between two of them).
PARAGRAPHS = frozenset({"/P", "/LBody", "/Caption", "/H", "/TD", "/TH"})


def glued_joins(pdf: Path) -> list[str]:
    """Where the tagged text, read as a screen reader reads it (/ActualText for its content),
    runs two words together: inside one paragraph, a letter or digit that ends one piece of
    text (a line, a link, a span) meets a letter or digit that starts the next. A quote mark
    or a slash between them is not a join."""
    marked = MarkedText.read(pdf.read_bytes())
    found: list[str] = []
    with pikepdf.open(pdf) as document:
        pages = page_index(document)
        inside: set = set()
        for elem, parent in walk(document.Root.StructTreeRoot):
            if key(parent) in inside or not (tag(elem) in PARAGRAPHS or heading_level(elem)):
                if key(parent) in inside:
                    inside.add(key(elem))
                continue
            inside.add(key(elem))
            pieces = [p for p in marked.pieces(elem, pages) if p]
            for before, after in zip(pieces, pieces[1:], strict=False):
                if before[-1].isalnum() and after[0].isalnum():
                    found.append(f"{before[-20:]}|{after[:20]}")
    return found
