"""Reading a tagged PDF's structure tree: elements, their kids, and the text they hold.

Shared by postprocess.py (which edits the tree) and audit.py (which checks it). pikepdf gives the
objects; pypdfium2 decodes the text of each marked-content sequence, which pikepdf cannot do.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf
import pypdfium2
import pypdfium2.raw as pdfium_c

HEADING_RE = re.compile(r"^/H([1-6])$")


def is_struct_elem(obj: object) -> bool:
    """A structure element: a dictionary with /S that is not a marked-content or object reference."""
    return (
        isinstance(obj, pikepdf.Dictionary)
        and "/S" in obj
        and obj.get("/Type") not in ("/MCR", "/OBJR")
    )


def kids(elem: pikepdf.Object) -> list[pikepdf.Object]:
    """An element's /K as a list: integers (MCIDs), MCR and OBJR dictionaries, and elements."""
    k = elem.get("/K")
    if k is None:
        return []
    if isinstance(k, pikepdf.Array):
        return list(k)
    return [k]


def key(obj: pikepdf.Object) -> tuple[int, int] | int:
    """A stable identity for an indirect object (pikepdf wrappers are not identical)."""
    return obj.objgen if obj.is_indirect else id(obj)


def tag(elem: pikepdf.Object) -> str:
    """The element's structure type, e.g. "/P" (no role map: WeasyPrint writes standard types)."""
    return str(elem.get("/S", ""))


def heading_level(elem: pikepdf.Object) -> int | None:
    match = HEADING_RE.match(tag(elem))
    return int(match.group(1)) if match else None


def walk(root: pikepdf.Object) -> Iterator[tuple[pikepdf.Object, pikepdf.Object]]:
    """(element, parent) for every structure element under root, depth first, in tag order."""
    seen: set = set()
    stack = [(kid, root) for kid in reversed(kids(root))]
    while stack:
        elem, parent = stack.pop()
        if not is_struct_elem(elem):
            continue
        if key(elem) in seen:  # a cycle or a shared element; report it once
            continue
        seen.add(key(elem))
        yield elem, parent
        stack.extend((kid, elem) for kid in reversed(kids(elem)))


def page_index(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    """Page object identity → 0-based page number."""
    return {page.obj.objgen: number for number, page in enumerate(pdf.pages)}


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
