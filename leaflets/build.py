"""Build: plan the outputs (leaflet × language) and run each through the stages.

config → catalogs → render (HTML) → typeset (PDF) → check the page count → write.
The orchestrator is short on purpose; each stage lives in its own module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import pseudo
from .catalogs import Translations, load_translations
from .errors import FitError, LeafletsError
from .project import Leaflet, Project
from .render import Renderer
from .writing import write_atomic


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

    def __init__(self, project: Project):
        from .typeset import Typesetter

        self.project = project
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
        translations.fallbacks.clear()
        rendered = self.renderer.html(leaflet, language, translations)
        try:
            document = self.typesetter.layout(rendered.html)
        except LeafletsError as exc:
            raise type(exc)(f"{output.label}: {exc.message}", exc.path, exc.line) from None
        check_page_count(leaflet, len(document.pages), output)
        pdf = self.typesetter.pdf(document)
        # Repair WeasyPrint's PDF/UA gaps and audit; a PDF with audit errors is not written.
        from .audit import accessible

        pdf = accessible(pdf, rendered.html, output.path, leaflet, language.bcp47, output.label)
        write_atomic(output.path, pdf)
        return OutputResult(output, len(document.pages), rendered.fallbacks)


def check_page_count(leaflet: Leaflet, pages: int, output: Output) -> None:
    if leaflet.pages is not None and pages != leaflet.pages:
        raise FitError(
            f"{output.label}: laid out on {pages} pages, expected {leaflet.pages}; "
            "some text overflows its panel: shorten it or run with --fit"
        )
    if leaflet.max_pages is not None and pages > leaflet.max_pages:
        raise FitError(
            f"{output.label}: laid out on {pages} pages, at most {leaflet.max_pages} allowed"
        )


def build(
    project: Project,
    outputs: list[Output],
    progress: ProgressCallback | None = None,
) -> BuildReport:
    """Build every output in order; the first error stops the build and leaves older PDFs alone."""
    report = BuildReport()
    if not outputs:
        return report
    builder = Builder(project)
    for index, output in enumerate(outputs):
        if progress:
            progress(output, index, len(outputs))
        report.built.append(builder.build_one(output))
    return report
