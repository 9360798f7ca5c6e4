"""The flyer's QR code keeps its quiet zone (issue 24, point 4): 4 modules of blank paper on
every side, with neither its caption nor the text beside it inside. Measured on the session's
built flyers: the code's box from its Figure's /BBox, the paper around it as pixels."""

from __future__ import annotations

import re

import pikepdf
import pypdfium2
import pytest
from markupsafe import Markup

from leaflets.layout.render import qr_code
from leaflets.pdf.structure import tag, walk

LANGS = ("en", "es", "ht")
QUIET_MODULES = 4  # ISO/IEC 18004's quiet zone for a QR code
DPI = 100


def _modules(uri: str) -> int:
    """How many modules wide the code for this URI is, drawn as the template draws it."""
    width, height = map(
        int, re.search(r'viewBox="0 0 (\d+) (\d+)"', qr_code(uri, Markup("x"))).groups()
    )
    assert width == height
    return width


def _code_box(pdf) -> tuple[float, float, float, float]:
    with pikepdf.open(pdf) as document:
        (figure,) = [e for e, _ in walk(document.Root.StructTreeRoot) if tag(e) == "/Figure"]
        return tuple(float(v) for v in figure.A.BBox)


@pytest.mark.parametrize("lang", LANGS)
def test_nothing_is_printed_in_the_qr_codes_quiet_zone(built, lang):
    project, pdfs = built
    x1, y1, x2, y2 = _code_box(pdfs["flyer", lang])  # PDF points, y up
    quiet = (x2 - x1) / _modules(project.contacts.hotline.phone.uri) * QUIET_MODULES
    zone = (x1 - quiet, y1 - quiet, x2 + quiet, y2 + quiet)
    document = pypdfium2.PdfDocument(pdfs["flyer", lang])
    try:
        page = document[0]
        textpage = page.get_textpage()
        inside = [
            textpage.get_text_range(i, 1)
            for i in range(textpage.count_chars())
            if not textpage.get_text_range(i, 1).isspace()
            and _overlaps(textpage.get_charbox(i), zone)
        ]
        assert inside == [], (lang, "".join(inside))
        image = page.render(scale=DPI / 72).to_pil().convert("L")
        height = page.get_height()
    finally:
        document.close()
    # The ring between the code and the zone's edge is blank paper: no caption pixel, no rule.
    px = DPI / 72
    ring = [
        image.getpixel((x, y))
        for y in range(round((height - zone[3]) * px), round((height - zone[1]) * px))
        for x in range(round(zone[0] * px), round(zone[2] * px))
        if not _near_code(x / px, height - y / px, (x1, y1, x2, y2), 1.5)
    ]
    assert len(ring) > 1000 and min(ring) >= 250, (lang, min(ring))


def _overlaps(box, zone) -> bool:
    left, bottom, right, top = box
    return left < zone[2] and right > zone[0] and bottom < zone[3] and top > zone[1]


def _near_code(x: float, y: float, code, slack: float) -> bool:
    """Within the code's box, or within `slack` points of it (its anti-aliased edge)."""
    return code[0] - slack <= x <= code[2] + slack and code[1] - slack <= y <= code[3] + slack
