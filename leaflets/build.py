"""Build: plan the outputs (leaflet × language) and run each through the stages.

config → catalogs → render (HTML) → typeset (PDF) → check the page count → write.
The orchestrator is short on purpose; each stage lives in its own module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import lock, pseudo, reproducible
from .catalogs import Translations, load_translations
from .errors import LeafletsError
from .project import Project
from .render import Renderer, RenderOptions
from .writing import remove_stale_temporaries, write_atomic

if TYPE_CHECKING:
    from .fit import Shrink


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
    """Regions whose type was scaled down to fit (fit = "shrink" or --fit)."""


@dataclass
class BuildReport:
    built: list[OutputResult] = field(default_factory=list)

    @property
    def fallbacks_by_language(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for result in self.built:
            counts[result.output.lang] = max(counts.get(result.output.lang, 0), result.fallbacks)
        return counts


ProgressCallback = Callable[[Output, int, int], None]


def plan(
    project: Project,
    languages: Iterable[str] | None = None,
    leaflets: Iterable[str] | None = None,
    out: Path | None = None,
) -> list[Output]:
    """The outputs to build, validated against the project's languages and leaflets."""
    langs = list(languages or project.languages)
    names = list(leaflets or project.leaflets)
    for lang in langs:
        if lang not in project.languages and not pseudo.is_pseudo(lang):
            known = ", ".join(project.languages)
            raise LeafletsError(
                f"unknown language {lang!r}; this project has: {known}", project.config_path
            )
    for name in names:
        if name not in project.leaflets:
            known = ", ".join(project.leaflets)
            raise LeafletsError(
                f"unknown leaflet {name!r}; this project has: {known}", project.config_path
            )
    return [
        Output(name, lang, project.output_path(lang, name, out)) for lang in langs for name in names
    ]


class Builder:
    """Holds what outputs share: the Jinja2 environment, the typesetter, loaded catalogs."""

    def __init__(self, project: Project, fit_mode: str | None = None):
        from .typeset import Typesetter

        self.project = project
        self.fit_mode = fit_mode or project.build.fit
        self.renderer = Renderer(project)
        self.typesetter = Typesetter(project)
        self._translations: dict[str, Translations] = {}

    def translations(self, lang: str) -> Translations:
        if lang not in self._translations:
            self._translations[lang] = (
                pseudo.translations(lang)
                if pseudo.is_pseudo(lang) and lang not in self.project.languages
                else load_translations(self.project, lang)
            )
        return self._translations[lang]

    def build_one(self, output: Output) -> OutputResult:
        leaflet = self.project.leaflets[output.leaflet]
        language = pseudo.language(self.project, output.lang)
        translations = self.translations(output.lang)
        from . import fit  # with the rendering modules: a build with nothing to do skips them

        document, fitted = fit.layout(
            self.project,
            leaflet,
            translations,
            output.label,
            render=lambda scale: self.renderer.html(
                leaflet, language, translations, RenderOptions(font_scale=scale)
            ),
            typeset=lambda rendered: self.typesetter.layout(rendered.html),
            fit=self.fit_mode,
        )
        fit.check_page_count(leaflet, len(document.pages), output.label)
        reproducible.stamp(document)
        pdf = self.typesetter.pdf(
            document, identifier=reproducible.identifier(f"{output.leaflet}/{output.lang}")
        )
        # Repair WeasyPrint's PDF/UA gaps and audit; a PDF with audit errors is not written.
        from .audit import accessible

        pdf = accessible(
            pdf, fitted.rendered.html, output.path, leaflet, language.bcp47, output.label
        )
        write_atomic(output.path, pdf)
        return OutputResult(output, len(document.pages), fitted.fallbacks, shrunk=fitted.shrunk)


def build(
    project: Project,
    outputs: list[Output],
    progress: ProgressCallback | None = None,
    *,
    fit_mode: str | None = None,
    wait: float = lock.DEFAULT_WAIT_S,
    on_wait: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build every output in order; the first error stops the build and leaves older PDFs alone.

    One build runs at a time per project: a second one waits up to `wait` seconds for the lock,
    then fails with BuildLocked. `fit_mode` overrides build.fit ("error" or "shrink").
    """
    report = BuildReport()
    if not outputs:
        return report
    with lock.build_lock(project, wait, on_wait):
        for folder in sorted({output.path.parent for output in outputs}):
            remove_stale_temporaries(folder)
        builder = Builder(project, fit_mode)
        for index, output in enumerate(outputs):
            if progress:
                progress(output, index, len(outputs))
            report.built.append(builder.build_one(output))
    return report
