"""One output through the stages: translations → render → typeset and fit → stamp → repair and
audit → write.

A Builder holds what outputs share (one Jinja2 environment per language, one WeasyPrint font
configuration and parsed stylesheets, loaded catalogs), so a worker keeps one for its life.
This module imports every rendering stage; a build imports it only when it has something to
render (build.py → workers.py).
"""

from __future__ import annotations

import time

from ..config.model import Project
from ..config.paths import inside
from ..i18n import pseudo
from ..i18n.fallback_reasons import Explainer
from ..i18n.fallbacks import Fallback
from ..i18n.translations import Translations, load_translations
from ..layout import fit
from ..layout.fit import FitReport
from ..layout.render import RenderedLeaflet, Renderer, RenderOptions
from ..layout.typeset import Typesetter
from ..layout.weasyprint_adapters import Document
from ..pdf import reproducible
from ..pdf.outputs import accessible
from ..writing import write_atomic
from .output import Output, OutputResult


class Builder:
    """Holds what outputs share: the Jinja2 environment, the typesetter, loaded catalogs."""

    def __init__(self, project: Project, fit_mode: str | None = None):
        self.project = project
        self.fit_mode = fit_mode or project.build.fit
        self.renderer = Renderer(project)
        self.typesetter = Typesetter(project)
        self._translations: dict[str, Translations] = {}
        self._explainers: dict[str, Explainer] = {}

    def translations(self, lang: str) -> Translations:
        if lang not in self._translations:
            self._translations[lang] = (
                pseudo.translations(lang)
                if pseudo.is_pseudo(lang) and lang not in self.project.languages
                else load_translations(self.project, lang)
            )
        return self._translations[lang]

    def forget_translations(self, lang: str) -> None:
        """Load the language's catalog again next time (the studio, after a .po changed)."""
        self._translations.pop(lang, None)
        self._explainers.pop(lang, None)

    def lay_out(
        self,
        output: Output,
        translations: Translations | None = None,
        *,
        report: bool = False,
        hint: float | None = None,
    ) -> tuple[Document, FitReport]:
        """Render and lay out one output, fitting its regions (fit.layout). `translations`
        replaces the language's own (the studio's, which note where each message prints);
        `report` returns a layout that overflows instead of raising FitError; `hint` is the
        body size to start the search from."""
        translations = translations or self.translations(output.lang)
        return fit.layout(
            self.project,
            self.project.leaflets[output.leaflet],
            translations,
            output.label,
            render=lambda body_pt: self.render_html(output, translations, body_pt),
            typeset=lambda rendered: self.typesetter.layout(rendered.html, rendered.stylesheets),
            fit=self.fit_mode,
            report=report,
            hint=hint,
        )

    def render_html(
        self, output: Output, translations: Translations, body_pt: float
    ) -> RenderedLeaflet:
        """The output's HTML with this body size, as lay_out() renders it."""
        return self.renderer.html(
            self.project.leaflets[output.leaflet],
            pseudo.language(self.project, output.lang),
            translations,
            # The typesetter applies parsed copies of the stylesheets, kept between outputs,
            # instead of parsing the HTML's <link>s again for every output.
            RenderOptions(body_pt=body_pt, link_stylesheets=False),
        )

    def build_one(self, output: Output) -> OutputResult:
        leaflet = self.project.leaflets[output.leaflet]
        language = pseudo.language(self.project, output.lang)
        document, fitted = self.lay_out(output)
        fit.check_page_count(leaflet, len(document.pages), output.label)
        reproducible.stamp(document)
        pdf = self.typesetter.pdf(
            document, identifier=reproducible.identifier(f"{output.leaflet}/{output.lang}")
        )
        # Repair WeasyPrint's PDF/UA gaps and audit; a PDF with audit errors is not written.
        translations = self.translations(output.lang)
        pdf = accessible(
            pdf,
            fitted.rendered.html,
            output.path,
            leaflet,
            language.bcp47,
            output.label,
            fonts=frozenset(self.project.fonts_of(output.lang)),
            explain=translations.message_printing,
        )
        write_atomic(inside(self.project.root, output.path, outside_ok=True), pdf)
        return OutputResult(
            output,
            len(document.pages),
            fitted.fallbacks,
            shrunk=fitted.shrunk,
            body_pt=fitted.body_pt,
            fill={region.name: region.fill for region in fitted.regions},
            fallback_details=self.explain(output.lang, fitted.fallback_keys),
        )

    def explain(self, lang: str, keys: frozenset) -> list[Fallback]:
        """Why each of these messages printed in the source language (read once per language)."""
        if not keys:
            return []
        if lang not in self._explainers:
            self._explainers[lang] = Explainer(self.project, lang)
        return self._explainers[lang].explain_all(sorted(keys, key=str))

    def timed(self, output: Output) -> OutputResult:
        """build_one, with the time it took and the part of it WeasyPrint took."""
        started, engine = time.perf_counter(), self.typesetter.engine_seconds
        result = self.build_one(output)
        result.seconds = time.perf_counter() - started
        result.engine_seconds = self.typesetter.engine_seconds - engine
        return result
