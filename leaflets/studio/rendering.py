"""One output as the studio last rendered it, and its pages drawn as PNGs.

Nothing here imports WeasyPrint: a rendering kept from the studio's last run
(saved_renderings.py) is shown without it, so the studio answers before WeasyPrint has loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from typing import TYPE_CHECKING

import pypdfium2

from ..i18n.po.messages import MessageKey

if TYPE_CHECKING:
    from ..layout import fit
    from ..layout.measure import RegionFit

# The page images' width: sharp beside the source on a large screen, and on a phone.
IMAGE_WIDTH_PX = 1600
MAX_DPI = 300
# A zoomed page asks for a larger image (`?scale=2`): at most 3 times, and never more pixels
# than this, so that one request cannot make the drawing thread allocate a huge bitmap.
SCALES = (1, 2, 3)
MAX_PIXELS = 16_000_000


@dataclass
class Rendering:
    """One output as last rendered without an error."""

    version: int
    pdf: bytes
    page_sizes: list[tuple[float, float]]
    """Each page's width and height, in inches."""
    used: list[MessageKey]
    """Every message the leaflet looked up, printed or read aloud, in order."""
    fallbacks: set[MessageKey]
    """Messages that printed in the source language."""
    overflowing: list[RegionFit]
    problem: str | None
    """What `leaflets build` would say about the overflow (the msgid to shorten)."""
    shrunk: list[fit.Shrink]
    page_count: str | None
    """The page-count problem, if the leaflet has too many pages (overflow too)."""
    seconds: float
    marked: tuple[str, tuple[str, ...]] = ("", ())
    """The marked HTML and its stylesheets, laid out by find_boxes."""
    calls: list[MessageKey] = field(default_factory=list)
    """The message each mark in the marked HTML stands for, by its number."""
    boxes: dict[MessageKey, list[Box]] | None = None
    """Where each message prints; None until find_boxes has laid the marked copy out."""
    made_from: str = ""
    """The fingerprint (pipeline/cache.py) of the files it was made from."""
    pngs: dict[tuple[int, int], bytes] = field(default_factory=dict)
    """Each page's PNG by (page, scale), drawn when first asked for."""

    def dpi(self, page: int, scale: int = 1) -> float:
        width_in, height_in = self.page_sizes[page - 1]
        wanted = scale * min(MAX_DPI, IMAGE_WIDTH_PX / width_in)
        return min(wanted, (MAX_PIXELS / (width_in * height_in)) ** 0.5)

    def width_px(self, page: int) -> int:
        """The page image's width at scale 1, to a pixel (the client picks a scale from it)."""
        return round(self.page_sizes[page - 1][0] * self.dpi(page))


@dataclass(frozen=True)
class Box:
    """Where a message prints on a page, in fractions of the page's width and height."""

    page: int
    x: float
    y: float
    w: float
    h: float
    order: int = field(default=0, compare=False)
    """Its place in the page's box tree: document order, which is the reading order in either
    direction (the studio's Tab order follows it)."""

    def to_json(self) -> dict[str, float]:
        return {
            "page": self.page,
            "order": self.order,
            "x": round(self.x, 5),
            "y": round(self.y, 5),
            "w": round(self.w, 5),
            "h": round(self.h, 5),
        }


def page_png(rendering: Rendering, page: int, scale: int = 1) -> bytes:
    """The page as a PNG, drawn once per rendering and scale (one of SCALES)."""
    if scale not in SCALES:
        raise ValueError(f"scale {scale} is not one of {SCALES}")
    if (page, scale) not in rendering.pngs:
        document = pypdfium2.PdfDocument(rendering.pdf)
        try:
            bitmap = document[page - 1].render(scale=rendering.dpi(page, scale) / 72)
            image = bitmap.to_pil()
        finally:
            document.close()
        buffer = BytesIO()
        # The fastest zlib level: a page is drawn on every edit and served over loopback.
        image.save(buffer, format="PNG", compress_level=1)
        rendering.pngs[page, scale] = buffer.getvalue()
    return rendering.pngs[page, scale]
