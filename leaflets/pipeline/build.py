"""Build: plan the outputs (leaflet × language), skip the fresh ones, run the rest through the stages.

config → i18n → layout (render, typeset, fit) → pdf (repair, audit) → write.

Each output has a cache key (cache.py); an output whose key matches the one recorded in
out/.leaflets-cache.json, and whose PDF is still there, is skipped. The stale ones go to
workers.py, which renders them with builder.py, in this process or in a pool of forked workers,
and hands each result back as it is written; a build hands them on (`Build`, `Written`).

This is where a build decides that something must be rendered, and the one place that imports
the rendering stages (workers.py → builder.py: Jinja2, Babel, WeasyPrint, pikepdf), when it
does: a build with nothing to do loads none of them.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config.model import Project
from ..config.paths import inside
from ..errors import LeafletsError
from ..i18n.fallbacks import Fallback
from ..writing import remove_stale_temporaries
from . import lock
from .cache import Fingerprint, Fingerprinter
from .manifest import MANIFEST_NAME, Entry, Manifest, why_stale
from .output import Output, OutputResult


@dataclass
class SkippedOutput:
    """An output whose PDF is current; what the last build recorded about it."""

    output: Output
    reason: str
    pages: int
    fallbacks: int
    warnings: list[str] = field(default_factory=list)
    fallback_details: list[Fallback] = field(default_factory=list)


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

    def fallback_details_by_language(self) -> dict[str, list[Fallback]]:
        """The messages printed in the source language, per language, each once, skipped
        outputs included: what `leaflets build` names and the PDF tags as the source language."""
        found: dict[str, dict] = {}
        for result in [*self.built, *self.skipped]:
            named = found.setdefault(result.output.lang, {})
            for fallback in result.fallback_details:
                named.setdefault(fallback.key, fallback)
        return {lang: list(named.values()) for lang, named in found.items() if named}

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


@dataclass(frozen=True)
class Written:
    """One output written, as the build goes."""

    result: OutputResult
    number: int
    """How many outputs this build has written, this one included."""
    total: int
    """How many it writes."""


def default_jobs() -> int:
    """One worker per core this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


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


class Build:
    """One build of `outputs`, run by iterating over it: each output comes up (`Written`) as it
    is written, and `report` says what the build did once the iteration ends. Iterate once.

    It builds the stale outputs, `jobs` at a time (default: one per core), and skips the rest.
    `out` is the folder the outputs were planned into (default: build.out); its cache manifest
    says which PDFs are current. `force` rebuilds every output. `options` are build settings
    from outside leaflets.toml that change the PDFs; they become part of every key.
    `fit_mode` overrides build.fit ("error" or "shrink").

    One build runs at a time per project: a second one waits up to `wait` seconds for the lock
    (saying so through `on_wait`), then fails with BuildLocked. The first error stops the build.
    PDFs written before it are kept and recorded, and older PDFs are left alone.
    """

    def __init__(
        self,
        project: Project,
        outputs: list[Output],
        *,
        jobs: int | None = None,
        force: bool = False,
        out: Path | None = None,
        options: Mapping[str, str] | None = None,
        fit_mode: str | None = None,
        wait: float = lock.DEFAULT_WAIT_S,
        on_wait: Callable[[str], None] | None = None,
    ):
        self.project, self.outputs = project, outputs
        self.jobs, self.force, self.out, self.fit_mode = jobs, force, out, fit_mode
        self.options = dict(options or {})
        if fit_mode and fit_mode != project.build.fit:
            self.options["fit"] = fit_mode  # --fit shrinks type: other PDFs than leaflets.toml's
        self.wait, self.on_wait = wait, on_wait
        self.report = BuildReport()

    def __iter__(self) -> Iterator[Written]:
        if not self.outputs:
            return
        project = self.project
        # Deciding what is stale happens under the lock as well: another build may be writing
        # the PDFs and the manifest.
        with lock.build_lock(project, self.wait, self.on_wait):
            for folder in sorted({output.path.parent for output in self.outputs}):
                remove_stale_temporaries(inside(project.root, folder, outside_ok=True))
            manifest_folder = self.out or project.build.out
            inside(project.root, manifest_folder / MANIFEST_NAME, outside_ok=True)
            manifest = Manifest.load(manifest_folder)
            decisions = decide(
                project, self.outputs, manifest, force=self.force, options=self.options
            )
            self.report.skipped = _skipped(decisions, manifest)
            todo = [d for d in decisions if d.stale]
            if todo:
                yield from self._build_stale(todo, manifest)
                order = {output: index for index, output in enumerate(self.outputs)}
                self.report.built.sort(key=lambda result: order[result.output])

    def _build_stale(self, todo: list[Decision], manifest: Manifest) -> Iterator[Written]:
        """Render the stale outputs and record each in the manifest as it is written."""
        # The rendering stages load here, and only here: this build has something to render.
        from . import workers

        project, report = self.project, self.report
        # Longest first (by the last build's times) keeps both workers busy to the end.
        todo = sorted(todo, key=lambda d: -_last_seconds(manifest, d.output, project))
        by_output = {d.output: d for d in todo}
        report.jobs = min(self.jobs or default_jobs(), len(todo))
        outputs = [d.output for d in todo]
        # Each search for the body size starts from the size chosen last time: the same size in
        # fewer layouts (fit._near says why it is the same).
        entries = {o: manifest.get(o.path) for o in outputs}
        hints = {
            o: hint for o, e in entries.items() if e and (hint := e.body_pt_hint()) is not None
        }
        try:
            for result in workers.results(project, outputs, report.jobs, self.fit_mode, hints):
                decision = by_output[result.output]
                result.reason = decision.reason
                manifest.record(result.output.path, _entry(decision, result))
                report.built.append(result)
                yield Written(result, len(report.built), len(todo))
        except BaseException:
            # Record the PDFs written before the error, if out/ takes it; the build's own error
            # is the one to report (an unwritable out/ fails the manifest too).
            with contextlib.suppress(OSError):
                manifest.save()
            raise
        manifest.save()


def build(project: Project, outputs: list[Output], **settings: Any) -> BuildReport:
    """Run a Build (with Build's settings) to its end, and say what it did."""
    run = Build(project, outputs, **settings)
    for _ in run:
        pass
    return run.report


def _skipped(decisions: list[Decision], manifest: Manifest) -> list[SkippedOutput]:
    """The fresh outputs, with what the last build recorded about each."""
    return [_skipped_output(d.output, d.reason, manifest) for d in decisions if not d.stale]


def _skipped_output(output: Output, reason: str, manifest: Manifest) -> SkippedOutput:
    entry = manifest.get(output.path)
    assert entry is not None
    return SkippedOutput(
        output,
        reason,
        entry.pages,
        entry.fallbacks,
        entry.warnings,
        _fallbacks_from(entry.fallback_details),
    )


def unchanged_report(project: Project, outputs: list[Output], out: Path | None) -> BuildReport:
    """What a build of `outputs` would report if nothing changed after the last one: every
    output skipped as unchanged, with what the manifest recorded (the no-op fast path prints
    it, noop.py). A KeyError if the manifest lacks one."""
    manifest = Manifest.load(out or project.build.out)
    if any(manifest.get(output.path) is None for output in outputs):
        raise KeyError("an output the manifest does not record")
    return BuildReport(skipped=[_skipped_output(o, "unchanged", manifest) for o in outputs])


def font_files(project: Project, out: Path | None) -> list[Path]:
    """The font files the manifest's memo says the last build's keys hashed."""
    fonts = Manifest.load(out or project.build.out).memo.get("fonts")
    known = [k for k in fonts.values() if isinstance(k, dict)] if isinstance(fonts, dict) else []
    files = [f for k in known if isinstance(k.get("files"), list) for f in k["files"]]
    return [Path(f[-3]) for f in files if isinstance(f, list) and len(f) >= 3]


def _entry(decision: Decision, result: OutputResult) -> Entry:
    stat = result.output.path.stat()
    return Entry(
        key=decision.fingerprint.key,
        parts=decision.fingerprint.parts,
        size=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
        pages=result.pages,
        fallbacks=result.fallbacks,
        warnings=list(result.warnings),
        seconds=round(result.seconds, 4),
        fallback_details=[f.to_json() for f in result.fallback_details],
        body_pt=result.body_pt,
    )


def _fallbacks_from(recorded: list) -> list[Fallback]:
    """The manifest's record of an output's fallbacks; it is a cache, so a bad one is none."""
    try:
        return [Fallback.from_json(item) for item in recorded]
    except (KeyError, TypeError, AttributeError):
        return []


def _last_seconds(manifest: Manifest, output: Output, project: Project) -> float:
    """How long the output took last time; before a first build, a guess from its paper area
    (roughly 1 ms a square inch here: a wallet card is quick, the large print is not)."""
    entry = manifest.get(output.path)
    if entry and entry.seconds:
        return entry.seconds
    leaflet = project.leaflets[output.leaflet]
    width, height = leaflet.page_size_in(project.build.paper)
    return 0.001 * width * height * (leaflet.pages or leaflet.max_pages or 1)
