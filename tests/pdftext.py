"""Reading built PDFs in tests: text with pypdfium2, sizes and fonts with pikepdf."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2


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


def smallest_glyph_pt(pdf: Path) -> float:
    """The smallest type on any page, in points: font size × text matrix × CTM.

    pdfium's FPDFText_GetFontSize ignores WeasyPrint's px-to-pt CTM, so it reads 4/3 too large.
    """
    import pikepdf

    from leaflets.audit import ContentScan

    scan = ContentScan()
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            scan.page(page)
    assert scan.smallest is not None, f"no text in {pdf}"
    return scan.smallest
