"""Rendering one leaflet in one language for the studio, with a warm Builder.

The output is laid out by the build's own stages (pipeline/stages.py's lay_out(), with the
Builder's job for it), fitting every region, but reporting overflow instead of failing, so the
page can show it. Its PDF is written without the PDF/UA repairs and audit (they change no
pixel) and drawn into PNGs by pdfium, one page at a time when the browser asks for it. A
second, marked layout (marked_layout.py) says where each message prints; it is made after the page
images are ready (`find_boxes`), so that an edit shows on the page first and its boxes follow
a moment later.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from io import BytesIO

import pypdfium2

from ..config.model import Project
from ..i18n.po.messages import MessageKey
from ..layout import fit
from ..layout.measure import PT_PER_PX, RegionFit
from ..pipeline.builder import Builder
from ..pipeline.output import Output
from ..pipeline.stages import lay_out
from .marked_layout import Box, StudioTranslations, message_boxes, to_elements

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
    pngs: dict[tuple[int, int], bytes] = field(default_factory=dict)
    """Each page's PNG by (page, scale), drawn when first asked for."""

    def dpi(self, page: int, scale: int = 1) -> float:
        width_in, height_in = self.page_sizes[page - 1]
        wanted = scale * min(MAX_DPI, IMAGE_WIDTH_PX / width_in)
        return min(wanted, (MAX_PIXELS / (width_in * height_in)) ** 0.5)

    def width_px(self, page: int) -> int:
        """The page image's width at scale 1, to a pixel (the client picks a scale from it)."""
        return round(self.page_sizes[page - 1][0] * self.dpi(page))


class Workshop:
    """A warm Builder and the studio's translations, one per language, for one project."""

    def __init__(self, project: Project):
        self.project = project
        self.builder = Builder(project)
        self._translations: dict[str, StudioTranslations] = {}
        self._body_pt: dict[Output, float] = {}
        """The body size each output fitted at last: the next layout's search starts there."""

    def hint(self, output: Output) -> float | None:
        return self._body_pt.get(output)

    def seed(self, output: Output, body_pt: float) -> None:
        """Start the output's first fit search at this size (fit.py checks it is one)."""
        self._body_pt.setdefault(output, body_pt)

    def translations(self, lang: str) -> StudioTranslations:
        if lang not in self._translations:
            self._translations[lang] = StudioTranslations(self.builder.translations(lang))
        return self._translations[lang]

    def forget_translations(self, lang: str) -> None:
        self.builder.forget_translations(lang)
        self._translations.pop(lang, None)

    def render(self, output: Output, version: int) -> Rendering:
        """Lay the output out, write its PDF and find its messages' boxes; raises the
        LeafletsError of a broken catalog, template or stylesheet."""
        started = time.perf_counter()
        translations = self.translations(output.lang)
        job = self.builder.job(output, translations, report=True, hint=self._body_pt.get(output))
        laid_out = lay_out(self.builder.stages, job)
        document, fitted = laid_out.document, laid_out.fitted
        if not fitted.overflowing:
            self._body_pt[output] = fitted.body_pt
        pdf = document.write_pdf()
        sizes = [(p.width * PT_PER_PX / 72, p.height * PT_PER_PX / 72) for p in document.pages]
        with translations.marking():
            # The body size fit chose: the marked layout must match the page shown.
            rendered = laid_out.at_size.render(fitted.body_pt)
        return Rendering(
            version=version,
            pdf=pdf,
            page_sizes=sizes,
            used=list(dict.fromkeys(translations.calls)),
            fallbacks=set(translations.fallbacks),
            overflowing=fitted.overflowing,
            problem=fitted.problem,
            shrunk=fitted.shrunk,
            page_count=laid_out.page_problem,
            seconds=time.perf_counter() - started,
            marked=(to_elements(rendered.html), rendered.stylesheets),
            calls=list(translations.calls),
        )

    def find_boxes(self, rendering: Rendering) -> dict[MessageKey, list[Box]]:
        """Lay the rendering's marked copy out, once, and say where each message prints."""
        if rendering.boxes is None:
            html, stylesheets = rendering.marked
            document = self.builder.typesetter.layout(html, stylesheets)
            rendering.boxes = message_boxes(document, rendering.calls)
        return rendering.boxes


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
