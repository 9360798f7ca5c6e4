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

from ..config.model import Project
from ..i18n.po.messages import MessageKey
from ..layout.measure import PT_PER_PX
from ..pipeline.builder import Builder
from ..pipeline.output import Output
from ..pipeline.stages import lay_out
from .marked_layout import StudioTranslations, message_boxes, to_elements
from .rendering import Box, Rendering


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
