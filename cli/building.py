"""Commands for outreach staff: list, build, preview, doctor."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from leaflets.config.model import Project
from leaflets.errors import LeafletsError, display_path
from leaflets.i18n.fallbacks import summary

from .common import lang_option, leaflet_option, load_project, n

if TYPE_CHECKING:
    from leaflets.build import pipeline as build_mod


@click.command("list", short_help="Show the languages and leaflets.")
@click.pass_context
def list_command(ctx: click.Context) -> None:
    """Show the languages and leaflets that the project defines."""
    from leaflets.i18n.review import is_reviewed

    project = load_project(ctx)
    click.echo("Languages:")
    for lang in project.languages.values():
        reviewed = is_reviewed(project, lang.code)
        status = "source" if lang.source else ("reviewed" if reviewed else "draft, not reviewed")
        click.echo(f"  {lang.code:<8} {lang.name:<20} {status}")
    click.echo("Leaflets:")
    for leaflet in project.leaflets.values():
        w, h = leaflet.page_size_in(project.build.paper)
        pages = n(leaflet.pages, "page") if leaflet.pages else f"up to {leaflet.max_pages} pages"
        click.echo(f"  {leaflet.name:<12} {leaflet.title:<22} {w:g} × {h:g} in, {pages}")


@click.command(short_help="Build the PDFs into out/<lang>/<leaflet>.pdf.")
@lang_option("Build only this language (repeatable). Default: every language.")
@leaflet_option("Build only this leaflet (repeatable). Default: every leaflet.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder. Default: build.out in leaflets.toml (out/).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, None),
    metavar="N",
    help="Render N outputs at a time, in N worker processes. Default: one per core.",
)
@click.option(
    "--force", is_flag=True, help="Rebuild every output, even those whose inputs did not change."
)
@click.option(
    "--fit",
    "shrink",
    is_flag=True,
    help="Shrink the type of a panel whose text overflows, down to the leaflet's smallest "
    'size (as fit = "shrink" in leaflets.toml). Default: overflow fails the build.',
)
@click.option(
    "--wait",
    default=120.0,
    show_default=True,
    type=click.FloatRange(0),
    metavar="SECONDS",
    help="How long to wait for another build in the same project to finish.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Fail (exit 1) on any warning, such as strings that fell back to English.",
)
@click.pass_context
def build(
    ctx: click.Context,
    languages: tuple[str, ...],
    leaflets: tuple[str, ...],
    out: Path | None,
    jobs: int | None,
    force: bool,
    shrink: bool,
    wait: float,
    strict: bool,
) -> None:
    """Build PDFs into out/<lang>/<leaflet>.pdf.

    Only outputs whose inputs changed since the last build are rendered again (the templates,
    stylesheets, catalog, contacts.toml, leaflets.toml, fonts or software they depend on); the
    summary says which, and why. Stale catalogs are compiled first, so editing a .po file and
    running build is enough.

    `--lang qps` builds the pseudo-locale, which needs no catalog: any text without
    [brackets] did not come through a catalog. Its text is about 35% longer, so add --fit
    to see every page when a panel overflows.

    \b
    Examples:
      leaflets build                           everything that changed
      leaflets build --lang es --leaflet card  only the Spanish wallet card
      leaflets build --force --jobs 1          everything again, one PDF at a time
    """
    from leaflets.build import pipeline as build_mod

    project = load_project(ctx)
    outputs = build_mod.plan(project, languages or None, leaflets or None, out)
    started = time.perf_counter()

    def progress(output: build_mod.Output, index: int, total: int) -> None:
        click.echo(f"[{index + 1}/{total}] {output.label}", err=True)

    report = build_mod.build(
        project,
        outputs,
        progress,
        jobs=jobs,
        force=force,
        out=out,
        fit_mode="shrink" if shrink else None,
        wait=wait,
        on_wait=lambda message: click.echo(message, err=True),
    )
    fell_back = report_build(project, report, time.perf_counter() - started)
    if strict and fell_back:
        raise LeafletsError(
            f"--strict: strings fell back to {project.source_language.name} in "
            f"{', '.join(fell_back)}; translate them, or build without --strict"
        )


@click.command(short_help="Check that builds will work, and work fast, here.")
@click.pass_context
def doctor(ctx: click.Context) -> None:
    """Check that builds will work, and work fast, on this machine.

    Looks for WeasyPrint's system libraries, the fast HarfBuzz font subsetter, the Atkinson
    Hyperlegible fonts and, inside a project, its catalogs; says what to do about each problem.
    Exits with 1 if something a build needs is missing.
    """
    from leaflets.errors import ProjectNotFound
    from leaflets.tools import doctor as doctor_mod

    try:
        project = load_project(ctx)
    except ProjectNotFound:
        project = None
    checks = doctor_mod.diagnose(project)
    colours = {"ok": "green", "warn": "yellow", "missing": "red"}
    for check in checks:
        click.secho(f"{check.status:<8}", fg=colours[check.status], nl=False)
        click.echo(f"{check.name}: {check.detail}")
        if check.fix:
            click.echo(f"{'':<8}fix: {check.fix}")
    if project is None:
        click.echo("note: not inside a project folder, so no catalogs were checked")
    if any(not check.ok and check.essential for check in checks):
        sys.exit(1)


@click.command(short_help="Build, then write PNG pages and out/preview/index.html.")
@lang_option("Preview only this language (repeatable). Default: every language.")
@leaflet_option("Preview only this leaflet (repeatable). Default: every leaflet.")
@click.option(
    "--dpi",
    default=60,
    show_default=True,
    type=click.IntRange(20, 300),
    metavar="N",
    help="Resolution of the PNG pages, in dots per inch (20 to 300).",
)
@click.pass_context
def preview(
    ctx: click.Context, languages: tuple[str, ...], leaflets: tuple[str, ...], dpi: int
) -> None:
    """Write PNG pages of the built PDFs and out/preview/index.html, side by side.

    Builds the PDFs first (only what changed), then open out/preview/index.html in a browser.

    \b
    Example:
      leaflets preview --lang es --leaflet trifold
    """
    from leaflets.build import pipeline as build_mod
    from leaflets.tools import preview as preview_mod

    project = load_project(ctx)
    outputs = build_mod.plan(project, languages or None, leaflets or None)
    started = time.perf_counter()
    report = build_mod.build(
        project, outputs, lambda o, i, n: click.echo(f"[{i + 1}/{n}] {o.label}", err=True)
    )
    report_build(project, report, time.perf_counter() - started)
    index = preview_mod.write_preview(project, outputs, dpi=dpi)
    click.echo(f"wrote {display_path(index)}: open it in a web browser")


def report_build(project: Project, report: build_mod.BuildReport, elapsed: float) -> list[str]:
    """Print what a build wrote, skipped and shrank; return the languages that fell back."""
    for result in report.built:
        path = display_path(result.output.path)
        click.echo(f"wrote {path} ({n(result.pages, 'page')}): {result.reason}")
        for shrunk in result.shrunk:
            click.echo(f"  {shrunk.describe()}")
    skipped: dict[str, list[str]] = {}
    for item in report.skipped:
        skipped.setdefault(item.reason, []).append(item.output.label)
    for reason, labels in skipped.items():
        click.echo(f"skipped {len(labels)} {reason}: {', '.join(labels)}")
    fell_back = [lang for lang, count in sorted(report.fallbacks_by_language.items()) if count]
    named = report.fallback_details_by_language()
    for lang in fell_back:
        details = named.get(lang, [])
        count = max(report.fallbacks_by_language[lang], len(details))
        click.secho(
            f"warning: {lang}: {n(count, 'string')} fell back to {project.source_language.name}"
            f" (all of them: `leaflets status --lang {lang} --fallbacks`):",
            fg="yellow",
            err=True,
        )
        for line in summary(details):
            click.secho(f"  {line}", fg="yellow", err=True)
    workers = f" with {report.jobs} workers" if report.jobs > 1 else ""
    click.echo(
        f"built {n(len(report.built), 'PDF')}{workers}, skipped {len(report.skipped)}, "
        f"in {elapsed:.1f} s"
    )
    return fell_back
