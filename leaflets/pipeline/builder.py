"""The build's outputs: a leaflet in a language, made by stages.make_pdf(), and what each
build records about it.

A Builder holds what outputs share (one Jinja2 environment per language, one WeasyPrint font
configuration and parsed stylesheets, loaded catalogs), so a worker keeps one for its life.
This module imports every rendering stage; a build imports it only when it has something to
render (build.py → workers.py).
"""

from __future__ import annotations

import time

from ..config.model import Project
from ..i18n import pseudo
from ..i18n.fallback_reasons import Explainer
from ..i18n.fallbacks import Fallback
from ..i18n.translations import Translations, load_translations
from ..layout.render import Renderer
from ..layout.typeset import Typesetter
from .output import Output, OutputResult
from .stages import Job, Stages, make_pdf


class Builder:
    """Holds what outputs share (the stages: renderer and typesetter; loaded catalogs) and
    makes each output's PDF with stages.make_pdf()."""

    def __init__(self, project: Project, fit_mode: str | None = None):
        self.project = project
        self.fit_mode = fit_mode or project.build.fit
        self.stages = Stages.load(project)
        self._translations: dict[str, Translations] = {}
        self._explainers: dict[str, Explainer] = {}

    @property
    def renderer(self) -> Renderer:
        return self.stages.renderer

    @property
    def typesetter(self) -> Typesetter:
        return self.stages.typesetter

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

    def job(
        self,
        output: Output,
        translations: Translations | None = None,
        *,
        report: bool = False,
        hint: float | None = None,
    ) -> Job:
        """The output as stages.make_pdf() makes it. `translations` replaces the language's
        own (the studio's, which note where each message prints); `report` keeps overflow in
        the result instead of raising FitError; `hint` is the body size to search from."""
        return Job(
            leaflet=self.project.leaflets[output.leaflet],
            language=pseudo.language(self.project, output.lang),
            translations=translations or self.translations(output.lang),
            label=output.label,
            name=f"{output.leaflet}/{output.lang}",
            path=output.path,
            fit=self.fit_mode,
            report=report,
            hint=hint,
        )

    def build_one(self, output: Output, hint: float | None = None) -> OutputResult:
        made = make_pdf(self.stages, self.job(output, hint=hint))
        fitted = made.fitted
        return OutputResult(
            output,
            made.pages,
            fitted.fallbacks,
            shrunk=fitted.shrunk,
            body_pt=fitted.body_pt,
            fill={region.name: region.fill for region in fitted.regions},
            fallback_details=self.explain(output.lang, fitted.fallback_keys),
            layouts=fitted.layouts,
            left_out=fitted.left_out,
        )

    def explain(self, lang: str, keys: frozenset) -> list[Fallback]:
        """Why each of these messages printed in the source language (read once per language)."""
        if not keys:
            return []
        if lang not in self._explainers:
            self._explainers[lang] = Explainer(self.project, lang)
        return self._explainers[lang].explain_all(sorted(keys, key=str))

    def timed(self, output: Output, hint: float | None = None) -> OutputResult:
        """build_one, with the time it took and the part of it WeasyPrint took."""
        started, engine = time.perf_counter(), self.typesetter.engine_seconds
        result = self.build_one(output, hint)
        result.seconds = time.perf_counter() - started
        result.engine_seconds = self.typesetter.engine_seconds - engine
        return result
