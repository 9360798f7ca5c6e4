"""Build: plan the outputs (leaflet × language), skip the fresh ones, run the rest through the stages.

config → catalogs → render (HTML) → typeset (PDF) → check the page count → write.

Each output has a cache key (leaflets/cache.py); an output whose key matches the one recorded in
out/.leaflets-cache.json, and whose PDF is still there, is skipped. The stale ones render in a
pool of long-lived worker processes, forked after WeasyPrint is imported so that no worker pays
for the import again; each worker keeps one Builder (fonts, parsed stylesheets) for all its
outputs. A build with nothing to do never imports WeasyPrint.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..config.project import Project
from ..errors import LeafletsError
from ..pdf import reproducible
from ..writing import remove_stale_temporaries, write_atomic
from . import lock
from .cache import Entry, Fingerprint, Fingerprinter, Manifest, why_stale

if TYPE_CHECKING:
    from ..i18n.translations import Translations
    from ..layout.fit import Shrink

# Rendering modules (Jinja2, Babel, WeasyPrint) are imported where outputs are built, not here:
# deciding that nothing needs building must stay cheap.


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
    reason: str = ""
    """Why it was built: "catalog es changed", "not built before", "forced"."""
    seconds: float = 0.0
    """Wall time of this output in its worker."""
    engine_seconds: float = 0.0
    """Of which inside WeasyPrint's render() and write_pdf()."""


@dataclass
class SkippedOutput:
    """An output whose PDF is current; what the last build recorded about it."""

    output: Output
    reason: str
    pages: int
    fallbacks: int
    warnings: list[str] = field(default_factory=list)


@dataclass
class BuildReport:
    built: list[OutputResult] = field(default_factory=list)
    skipped: list[SkippedOutput] = field(default_factory=list)
    jobs: int = 0
    """Worker processes used; 1 means the outputs rendered in this process, 0 that none did."""

    @property
    def fallbacks_by_language(self) -> dict[str, int]:
        """Strings printed in the source language, per language, skipped outputs included."""
        counts: dict[str, int] = {}
        for result in [*self.built, *self.skipped]:
            counts[result.output.lang] = max(counts.get(result.output.lang, 0), result.fallbacks)
        return counts

    @property
    def engine_seconds(self) -> float:
        return sum(result.engine_seconds for result in self.built)


@dataclass(frozen=True)
class Decision:
    """What the planner decided for one output, and why."""

    output: Output
    fingerprint: Fingerprint
    reason: str
    stale: bool


ProgressCallback = Callable[[Output, int, int], None]
"""Called as each output is written: (output, how many were written before it, how many will be)."""


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
        if lang not in project.languages and not _is_pseudo(lang):
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


def _is_pseudo(lang: str) -> bool:
    from ..i18n import pseudo  # only for a code the project lacks: pseudo.py imports fontTools

    return pseudo.is_pseudo(lang)


class Builder:
    """Holds what outputs share: the Jinja2 environment, the typesetter, loaded catalogs."""

    def __init__(self, project: Project, fit_mode: str | None = None):
        from ..layout.render import Renderer
        from ..layout.typeset import Typesetter

        self.project = project
        self.fit_mode = fit_mode or project.build.fit
        self.renderer = Renderer(project)
        self.typesetter = Typesetter(project)
        self._translations: dict[str, Translations] = {}

    def translations(self, lang: str) -> Translations:
        if lang not in self._translations:
            from ..i18n import pseudo
            from ..i18n.translations import load_translations

            self._translations[lang] = (
                pseudo.translations(lang)
                if pseudo.is_pseudo(lang) and lang not in self.project.languages
                else load_translations(self.project, lang)
            )
        return self._translations[lang]

    def build_one(self, output: Output) -> OutputResult:
        from ..i18n import pseudo

        leaflet = self.project.leaflets[output.leaflet]
        language = pseudo.language(self.project, output.lang)
        translations = self.translations(output.lang)
        from ..layout import (
            fit,  # with the rendering modules: a build with nothing to do skips them
        )
        from ..layout.render import RenderOptions

        document, fitted = fit.layout(
            self.project,
            leaflet,
            translations,
            output.label,
            # The typesetter applies parsed copies of the stylesheets, kept between outputs,
            # instead of parsing the HTML's <link>s again for every output.
            render=lambda scale: self.renderer.html(
                leaflet,
                language,
                translations,
                RenderOptions(font_scale=scale, link_stylesheets=False),
            ),
            typeset=lambda rendered: self.typesetter.layout(rendered.html, rendered.stylesheets),
            fit=self.fit_mode,
        )
        fit.check_page_count(leaflet, len(document.pages), output.label)
        reproducible.stamp(document)
        pdf = self.typesetter.pdf(
            document, identifier=reproducible.identifier(f"{output.leaflet}/{output.lang}")
        )
        # Repair WeasyPrint's PDF/UA gaps and audit; a PDF with audit errors is not written.
        from ..pdf.audit import accessible

        pdf = accessible(
            pdf, fitted.rendered.html, output.path, leaflet, language.bcp47, output.label
        )
        write_atomic(output.path, pdf)
        return OutputResult(output, len(document.pages), fitted.fallbacks, shrunk=fitted.shrunk)

    def timed(self, output: Output) -> OutputResult:
        """build_one, with the time it took and the part of it WeasyPrint took."""
        started, engine = time.perf_counter(), self.typesetter.engine_seconds
        result = self.build_one(output)
        result.seconds = time.perf_counter() - started
        result.engine_seconds = self.typesetter.engine_seconds - engine
        return result


def default_jobs() -> int:
    """One worker per core this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def decide(
    project: Project,
    outputs: Iterable[Output],
    manifest: Manifest,
    *,
    force: bool = False,
    options: Mapping[str, str] | None = None,
) -> list[Decision]:
    """Each output's fingerprint, and whether (and why) it must be built.

    Compiles stale catalogs on the way: the key hashes the compiled catalog.
    """
    fingerprinter = Fingerprinter(project, options, manifest.memo)
    decisions = []
    for output in outputs:
        fingerprint = fingerprinter.fingerprint(output.leaflet, output.lang)
        reason = (
            "forced" if force else why_stale(fingerprint, manifest.get(output.path), output.path)
        )
        decisions.append(Decision(output, fingerprint, reason or "unchanged", reason is not None))
    return decisions


def build(
    project: Project,
    outputs: list[Output],
    progress: ProgressCallback | None = None,
    *,
    jobs: int | None = None,
    force: bool = False,
    out: Path | None = None,
    options: Mapping[str, str] | None = None,
    fit_mode: str | None = None,
    wait: float = lock.DEFAULT_WAIT_S,
    on_wait: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the stale outputs, `jobs` at a time (default: one per core), and skip the rest.

    `out` is the folder the outputs were planned into (default: build.out); its cache manifest
    says which PDFs are current. `force` rebuilds every output. `options` are build settings
    from outside leaflets.toml that change the PDFs; they become part of every key.
    `fit_mode` overrides build.fit ("error" or "shrink").

    One build runs at a time per project: a second one waits up to `wait` seconds for the lock,
    then fails with BuildLocked. The first error stops the build. PDFs written before it are
    kept and recorded, and older PDFs are left alone.
    """
    report = BuildReport()
    if not outputs:
        return report
    # Deciding what is stale happens under the lock as well: another build may be writing
    # the PDFs and the manifest.
    with lock.build_lock(project, wait, on_wait):
        for folder in sorted({output.path.parent for output in outputs}):
            remove_stale_temporaries(folder)
        options = dict(options or {})
        if fit_mode and fit_mode != project.build.fit:
            options["fit"] = fit_mode  # --fit shrinks type: other PDFs than leaflets.toml's
        manifest = Manifest.load(out or project.build.out)
        decisions = decide(project, outputs, manifest, force=force, options=options)
        for decision in decisions:
            if not decision.stale:
                entry = manifest.get(decision.output.path)
                assert entry is not None
                report.skipped.append(
                    SkippedOutput(
                        decision.output,
                        decision.reason,
                        entry.pages,
                        entry.fallbacks,
                        entry.warnings,
                    )
                )
        todo = [d for d in decisions if d.stale]
        if not todo:
            return report
        # Longest first (by the last build's times) keeps both workers busy to the end.
        todo.sort(key=lambda d: -_last_seconds(manifest, d.output, project))
        by_output = {d.output: d for d in todo}
        report.jobs = min(jobs or default_jobs(), len(todo))

        def done(result: OutputResult) -> None:
            decision = by_output[result.output]
            result.reason = decision.reason
            stat = result.output.path.stat()
            manifest.record(
                result.output.path,
                Entry(
                    key=decision.fingerprint.key,
                    parts=decision.fingerprint.parts,
                    size=stat.st_size,
                    mtime_ns=stat.st_mtime_ns,
                    pages=result.pages,
                    fallbacks=result.fallbacks,
                    warnings=list(result.warnings),
                    seconds=round(result.seconds, 4),
                ),
            )
            if progress:
                progress(result.output, len(report.built), len(todo))
            report.built.append(result)

        try:
            _run(project, [d.output for d in todo], report.jobs, done, fit_mode)
        finally:
            manifest.save()
        order = {output: index for index, output in enumerate(outputs)}
        report.built.sort(key=lambda result: order[result.output])
    return report


def _last_seconds(manifest: Manifest, output: Output, project: Project) -> float:
    """How long the output took last time; before a first build, a guess from its paper area
    (roughly 1 ms a square inch here: a wallet card is quick, the large print is not)."""
    entry = manifest.get(output.path)
    if entry and entry.seconds:
        return entry.seconds
    leaflet = project.leaflets[output.leaflet]
    width, height = leaflet.page_size_in(project.build.paper)
    return 0.001 * width * height * (leaflet.pages or leaflet.max_pages or 1)


# Laying out a leaflet allocates a great many objects and few cycles: collecting the youngest
# generation every 50,000 allocations instead of every 700 saves ~5 % of a build's CPU time.
GC_THRESHOLD = (50_000, 20, 20)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _run(
    project: Project,
    outputs: list[Output],
    jobs: int,
    done: Callable[[OutputResult], None],
    fit_mode: str | None = None,
) -> None:
    if jobs <= 1:
        with _fewer_collections():
            builder = Builder(project, fit_mode)
            for output in outputs:
                done(builder.timed(output))
        return
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    global _build_pid
    _build_pid = os.getpid()
    _import_for_workers()
    context = multiprocessing.get_context("fork")
    # Frozen objects are left alone by the collector, so the workers do not copy the pages of
    # everything imported above just to scan it.
    gc.freeze()
    pool = ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_init_worker, initargs=(project, fit_mode)
    )
    try:
        # Submitted in order, longest first; each worker takes the next as it finishes one.
        pending = {pool.submit(_work, output) for output in outputs}
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                result, error = future.result()
                if error is not None:
                    raise error
                done(result)
    except BrokenProcessPool:
        raise LeafletsError(
            "a build worker stopped without a word (out of memory, or a crash in a library); "
            "run `leaflets build --jobs 1` to see where"
        ) from None
    finally:
        # On an error, outputs not started yet are dropped; those under way finish first.
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def _import_for_workers() -> None:
    """Import here, once, what every worker needs (WeasyPrint above all, ~0.3 s), so that the
    forked workers share it instead of each importing it again."""
    from ..layout.typeset import import_weasyprint

    import_weasyprint()
    import weasyprint.pdf  # noqa: F401

    from ..i18n import pseudo, translations  # noqa: F401
    from ..layout import fit, render  # noqa: F401
    from ..pdf import audit, postprocess  # noqa: F401


_worker_builder: Builder | None = None


def _init_worker(project: Project, fit_mode: str | None) -> None:
    """Runs once in each worker: one Builder, so one FontConfiguration and one set of parsed
    stylesheets, for every output the worker renders."""
    global _worker_builder
    _die_with_parent()
    gc.set_threshold(*GC_THRESHOLD)  # for the worker's whole life: it only builds
    _worker_builder = Builder(project, fit_mode)


def _die_with_parent() -> None:
    """Linux: a worker gets SIGTERM when the build that forked it dies (killed, say), instead of
    waiting forever for work that will not come."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != _build_pid:  # the parent died before prctl took effect
        os._exit(1)


PR_SET_PDEATHSIG = 1
_build_pid = os.getpid()
"""The process that forks the workers (set again in _run, in case this module came first)."""


def _work(output: Output) -> tuple[OutputResult | None, LeafletsError | None]:
    assert _worker_builder is not None
    try:
        return _worker_builder.timed(output), None
    except LeafletsError as exc:
        # Returned, not raised: the parent re-raises it whole (LeafletsError pickles its state).
        return None, exc
