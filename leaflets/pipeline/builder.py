"""The build's outputs: a leaflet in a language, made by stages.make_pdf(), and what each
build records about it.

A Builder holds what outputs share (one Jinja2 environment per language, one WeasyPrint font
configuration and parsed stylesheets, loaded catalogs), so a worker keeps one for its life.
Importing this module is cheap; the rendering stages are imported when a Builder is made.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..config.model import Project

if TYPE_CHECKING:
    from ..i18n.fallback_reasons import Explainer
    from ..i18n.fallbacks import Fallback
    from ..i18n.translations import Translations
    from ..layout.fit import Shrink
    from ..layout.render import Renderer
    from ..layout.typeset import Typesetter
    from .stages import Job


@dataclass(frozen=True)
class Output:
    """One PDF to build: a leaflet in a language."""

    leaflet: str
    lang: str
    path: Path

    @property
    def label(self) -> str:
        return f"{self.leaflet} ({self.lang})"


@dataclass
class OutputResult:
    output: Output
    pages: int
    fallbacks: int
    warnings: list[str] = field(default_factory=list)
    shrunk: list[Shrink] = field(default_factory=list)
    """The body type set below its range so that these regions fit (fit = "shrink", --fit)."""
    body_pt: float | None = None
    """The body size fit chose for this leaflet and language."""
    fill: dict[str, tuple[float, ...]] = field(default_factory=dict)
    """Region → how full it is, 0 to 1 (per column for the tri-fold's inside panels)."""
    reason: str = ""
    """Why it was built: "catalog es changed", "not built before", "forced"."""
    seconds: float = 0.0
    """Wall time of this output in its worker."""
    engine_seconds: float = 0.0
    """Of which inside WeasyPrint's render() and write_pdf()."""
    fallback_details: list[Fallback] = field(default_factory=list)
    """The messages printed in the source language: msgid, catalog file:line and why."""
    layouts: int = 0
    """How many layouts the body-size search ran (fewer from the last build's size)."""


class Builder:
    """Holds what outputs share (the stages: renderer and typesetter; loaded catalogs) and
    makes each output's PDF with stages.make_pdf()."""

    def __init__(self, project: Project, fit_mode: str | None = None):
        # Here, not at the top: deciding that nothing needs building must not import Jinja2,
        # Babel or WeasyPrint.
        from .stages import Stages

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
            from ..i18n import pseudo  # lazy, as in __init__
            from ..i18n.translations import load_translations

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
        from ..i18n import pseudo  # lazy, as in __init__
        from .stages import Job

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
        from .stages import make_pdf  # lazy, as in __init__

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
        )

    def explain(self, lang: str, keys: frozenset) -> list[Fallback]:
        """Why each of these messages printed in the source language (read once per language)."""
        if not keys:
            return []
        from ..i18n.fallback_reasons import Explainer  # lazy, as in __init__

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
