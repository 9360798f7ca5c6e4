"""The `leaflets` command line: parse arguments, call the library, print, map errors to exit codes.

Exit codes: 0 success, 1 a problem in the project (bad config, a failing check, a build error),
2 wrong usage (click's own).

The commands are grouped below by who uses them: outreach staff, translators, organisers,
the studio.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from leaflets.pipeline import noop  # the standard library only: asked before click loads


def stop_on_broken_pipe() -> None:
    """The reader went away (`leaflets status | head`): stop quietly, as other tools do, with
    stdout pointed at /dev/null so that Python's final flush does not fail again."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(1)


# This process is the command (`python -m cli`, or the `leaflets` script, which imports this
# module to call main): a build with nothing to do says so from the last build's record, before
# click, pydantic and the project's config load (noop.py says what it compares).
if __name__ == "__main__" or Path(sys.argv[0]).name == "leaflets":
    noop.started_as_command = True
    try:
        if noop.replay(sys.argv[1:]):
            sys.exit(0)
    except BrokenPipeError:
        stop_on_broken_pipe()

import click

from leaflets import __version__
from leaflets.config import project as project_mod
from leaflets.config.model import Project
from leaflets.errors import LeafletsError, ProjectNotFound, describe_os_error, display_path
from leaflets.findings import errors
from leaflets.i18n.fallbacks import SHOWN, summary
from leaflets.pipeline import build as build_mod

# The modules above render nothing, so `leaflets build` with nothing to do stays quick when the
# record above cannot answer (the build imports the rendering stages when it has something to
# render). A command whose
# library loads Babel, Jinja2, WeasyPrint, pikepdf, pdfium or Starlette imports it when it runs.


def lang_option(help_text: str):
    """--lang/-l, spelled the same on every command that takes it."""
    return click.option("--lang", "-l", "languages", multiple=True, metavar="LANG", help=help_text)


def leaflet_option(help_text: str):
    """--leaflet, spelled the same on every command that takes it."""
    return click.option("--leaflet", "leaflets", multiple=True, metavar="NAME", help=help_text)


def load_project(ctx: click.Context) -> Project:
    if "project" not in ctx.obj:
        ctx.obj["project"] = project_mod.load(ctx.obj["root"])
    return ctx.obj["project"]


def n(count: int, noun: str) -> str:
    """'1 page', '2 pages': English output only, so a trailing s is enough."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


class LeafletsGroup(click.Group):
    """Turns LeafletsError into one line on stderr and exit code 1: no traceback for user errors."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LeafletsError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            sys.exit(1)
        except BrokenPipeError:
            stop_on_broken_pipe()
        except OSError as exc:
            # The machine, not the project: a file where a folder goes, no permission, a full disk.
            click.secho(f"error: {describe_os_error(exc, Path.cwd())}", fg="red", err=True)
            sys.exit(1)


@click.group(cls=LeafletsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--project",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    help="Project folder. Default: the nearest folder with a leaflets.toml, "
    "from the working directory up.",
)
@click.version_option(__version__, prog_name="leaflets")
@click.pass_context
def main(ctx: click.Context, root: Path | None) -> None:
    """Build accessible, multilingual print leaflets.

    Text lives in gettext catalogs (locales/), layout in Jinja2 templates (templates/) and CSS
    (styles/), and contact facts in contacts.toml. Run the commands from inside a project folder.

    \b
    Common tasks:
      leaflets build              every leaflet in every language, into out/
      leaflets build --lang es    only the Spanish leaflets
      leaflets preview            PNG pages and out/preview/index.html to look at
      leaflets list               the languages and leaflets this project defines
      leaflets order orders/X.toml  a print package for an event's order

    \b
    For translators:
      leaflets update             add new English sentences to every catalog
      leaflets status             how much of each language is translated
      leaflets check              find mistakes in the catalogs, as file:line
      leaflets serve              see, fix and approve translations on the page, in a browser

    Exit status: 0 done, 1 a problem in the project or a failed check (the
    message names the file and what to do), 2 a mistake on the command line.
    """
    ctx.ensure_object(dict)
    ctx.obj["root"] = root


# ---------------------------------------------------------------- outreach staff


@main.command("list", short_help="Show the languages and leaflets.")
@click.pass_context
def list_command(ctx: click.Context) -> None:
    """Show the languages and leaflets that the project defines."""
    from leaflets.i18n.review import is_reviewed  # Babel (catalogs)

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


@main.command(short_help="Build the PDFs into out/<lang>/<leaflet>.pdf.")
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
    watched = None if force else watch_inputs(ctx)
    project = load_project(ctx)
    outputs = build_mod.plan(project, languages or None, leaflets or None, out)
    started = time.perf_counter()
    run = build_mod.Build(
        project,
        outputs,
        jobs=jobs,
        force=force,
        out=out,
        fit_mode="shrink" if shrink else None,
        wait=wait,
        on_wait=lambda message: click.echo(message, err=True),
    )
    echo_progress(run)
    fell_back = report_build(project, run.report, time.perf_counter() - started)
    warned = report_check_warnings(project, run.report)
    if strict and fell_back:
        raise LeafletsError(
            f"--strict: strings fell back to {project.source_language.name} in "
            f"{', '.join(fell_back)}; translate them, or build without --strict"
        )
    if strict and warned:
        raise LeafletsError(
            f"--strict: `leaflets check` warns about the catalogs of {', '.join(warned)}; fix "
            "what it says (`leaflets check --lang LANG`), or build without --strict"
        )
    if watched is not None:
        record_noop(project, outputs, out, *watched)


def watch_inputs(ctx: click.Context) -> tuple[dict, dict] | None:
    """For a build run as the command, what it reads and their state before it reads them,
    for the record the next build's fast path asks (noop.py); None in another process."""
    if not noop.started_as_command:
        return None
    config_before = noop.config_state(ctx.obj["root"])  # before the config loads
    project = load_project(ctx)
    noop.forget(project.root)
    inputs = noop.inputs_of(project, Path(noop.__file__).parents[1], Path(__file__))
    before = noop.snapshot(inputs)
    before["files"].update(config_before)
    return inputs, before


def record_noop(
    project: Project, outputs: list, out: Path | None, inputs: dict, before: dict
) -> None:
    """Record what the next `leaflets build` with these arguments prints if nothing changes:
    the lines of a build that skips every output as unchanged (noop.py replays them)."""
    try:
        unchanged = build_mod.unchanged_report(project, outputs, out)
    except KeyError:
        return  # an output the manifest lacks: the next build goes the full way
    lines: list[list] = []

    def keep(text: str, err: bool = False, fg: str | None = None) -> None:
        lines.append(["err" if err else "out", text, fg])

    report_build(project, unchanged, None, keep)
    report_check_warnings(project, unchanged, keep)
    folder = out or project.build.out
    also = [folder / build_mod.MANIFEST_NAME, *build_mod.font_files(project, out)]
    noop.record(project.root, inputs, before, [o.path for o in outputs], lines, also)


@main.command(short_help="Check that builds will work, and work fast, here.")
@click.pass_context
def doctor(ctx: click.Context) -> None:
    """Check that builds will work, and work fast, on this machine.

    Looks for WeasyPrint's system libraries, the fast HarfBuzz font subsetter, the Atkinson
    Hyperlegible fonts and, inside a project, its catalogs; says what to do about each problem.
    Exits with 1 if something a build needs is missing.
    """
    from leaflets.tools import doctor as doctor_mod  # Babel (catalogs), fontpkg

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


@main.command(short_help="Build, then write PNG pages and out/preview/index.html.")
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
    from leaflets.tools import preview as preview_mod  # pdfium

    project = load_project(ctx)
    outputs = build_mod.plan(project, languages or None, leaflets or None)
    started = time.perf_counter()
    run = build_mod.Build(project, outputs)
    echo_progress(run)
    report_build(project, run.report, time.perf_counter() - started)
    report_check_warnings(project, run.report)
    index = preview_mod.write_preview(project, outputs, dpi=dpi)
    click.echo(f"wrote {display_path(index)}: open it in a web browser")


def echo_progress(run: build_mod.Build) -> None:
    """Run the build, saying which output it wrote as it writes each one."""
    for written in run:
        click.echo(f"[{written.number}/{written.total}] {written.result.output.label}", err=True)


def say(text: str, err: bool = False, fg: str | None = None) -> None:
    """Print one line of a build's report (styled, on a terminal, when `fg` is given)."""
    if fg is None:
        click.echo(text, err=err)
    else:
        click.secho(text, fg=fg, err=err)


def report_build(
    project: Project,
    report: build_mod.BuildReport,
    elapsed: float | None,
    say: Callable[..., None] = say,
) -> list[str]:
    """Print what a build wrote, skipped and shrank; return the languages that fell back.
    With no `elapsed`, the seconds are noop.ELAPSED, for the fast path to fill in."""
    for result in report.built:
        path = display_path(result.output.path)
        say(f"wrote {path} ({n(result.pages, 'page')}): {result.reason}")
        for shrunk in result.shrunk:
            say(f"  {shrunk.describe()}")
        if result.left_out:
            say("  left out the lines printed only when they fit (interpreters, TTY)")
    skipped: dict[str, list[str]] = {}
    for item in report.skipped:
        skipped.setdefault(item.reason, []).append(item.output.label)
    for reason, labels in skipped.items():
        say(f"skipped {len(labels)} {reason}: {', '.join(labels)}")
    fell_back = [lang for lang, count in sorted(report.fallbacks_by_language.items()) if count]
    named = report.fallback_details_by_language()
    for lang in fell_back:
        details = named.get(lang, [])
        count = max(report.fallbacks_by_language[lang], len(details))
        say(
            f"warning: {lang}: {n(count, 'string')} fell back to {project.source_language.name}"
            f" (all of them: `leaflets status --lang {lang} --fallbacks`):",
            err=True,
            fg="yellow",
        )
        for line in summary(details):
            say(f"  {line}", err=True, fg="yellow")
    workers = f" with {report.jobs} workers" if report.jobs > 1 else ""
    seconds = noop.ELAPSED if elapsed is None else f"{elapsed:.1f}"
    say(
        f"built {n(len(report.built), 'PDF')}{workers}, skipped {len(report.skipped)}, in {seconds} s"
    )
    return fell_back


def report_check_warnings(
    project: Project, report: build_mod.BuildReport, say: Callable[..., None] = say
) -> list[str]:
    """One line per built language whose catalog `leaflets check` warns about, with the first
    few warnings (recorded when the catalog was compiled, so a no-op build parses nothing);
    return those languages."""
    from leaflets.i18n.fallbacks import SHOWN
    from leaflets.i18n.po.compiled import recorded_warnings

    languages = {result.output.lang for result in [*report.built, *report.skipped]}
    warned = []
    for lang in sorted(languages):
        language = project.languages.get(lang)
        if language is None or language.source:
            continue  # the source language and the pseudo-locale have no catalog
        warnings = recorded_warnings(project, lang)
        if not warnings:
            continue
        warned.append(lang)
        say(
            f"warning: {lang}: `leaflets check` has {n(len(warnings), 'warning')} about its "
            f"catalog (all of them: `leaflets check --lang {lang}`):",
            err=True,
            fg="yellow",
        )
        where = display_path(project.po_path(lang))
        for warning in warnings[:SHOWN]:
            line = f":{warning['line']}" if warning.get("line") else ""
            say(f"  {where}{line}: {warning['message']}", err=True, fg="yellow")
        if len(warnings) > SHOWN:
            say(f"  … and {len(warnings) - SHOWN} more", err=True, fg="yellow")
    return warned


# ---------------------------------------------------------------- translators


@main.command(short_help="Write locales/messages.pot from the templates.")
@click.pass_context
def extract(ctx: click.Context) -> None:
    """Extract messages from the templates into locales/messages.pot.

    `leaflets update` does this too, and then merges the result into every catalog: that is
    usually the command you want.
    """
    from leaflets.i18n.commands import update as workflow  # Babel, Jinja2's extractor

    project = load_project(ctx)
    catalog = workflow.extract(project)
    path = workflow.write_template(project, catalog)
    click.echo(f"wrote {display_path(path)} ({len(catalog)} messages)")


@main.command("compile", short_help="Compile the catalogs (.po) into .mo files.")
@click.option("--force", is_flag=True, help="Compile even catalogs that are up to date.")
@click.pass_context
def compile_command(ctx: click.Context, force: bool) -> None:
    """Compile every catalog (.po) into the binary form (.mo) that builds read.

    `leaflets build` compiles stale catalogs itself, so you rarely need this.
    """
    from leaflets.i18n import translations  # Babel

    project = load_project(ctx)
    for lang in project.languages.values():
        if lang.source:
            continue
        if not project.po_path(lang.code).exists():
            click.echo(f"{lang.code}: no catalog; run `leaflets init {lang.code}`")
            continue
        done = translations.compile_catalog(project, lang.code, force=force)
        state = "compiled" if done else "up to date"
        click.echo(f"{lang.code}: {state} {display_path(project.mo_path(lang.code))}")


@main.command(short_help="Bring every catalog up to date with the templates.")
@click.pass_context
def update(ctx: click.Context) -> None:
    """Extract the messages, then merge them into every catalog (locales/*/LC_MESSAGES/*.po).

    Nothing is lost: a changed string keeps its old translation, marked fuzzy, with the old
    English above it (#|); a removed string stays at the end of the file as #~. A catalog with
    nothing to change is not touched.
    """
    from leaflets.i18n.commands import update as workflow  # Babel, Jinja2's extractor

    project = load_project(ctx)
    template = workflow.refresh_template(project)
    click.echo(f"{display_path(project.pot_path)}: {len(template)} messages")
    for result in workflow.update_catalogs(project, template):
        path = display_path(result.path)
        if result.missing:
            click.echo(f"{result.language}: no catalog; run `leaflets init {result.language}`")
        elif not result.changed:
            click.echo(f"{path}: up to date")
        else:
            parts = [
                f"{result.added} new",
                f"{result.fuzzy} fuzzy",
                f"{result.obsoleted} obsolete",
            ]
            if result.revived:
                parts.append(f"{result.revived} restored from #~")
            if not (result.added or result.fuzzy or result.obsoleted or result.revived):
                # Only #: lines (where a sentence is) or #. notes changed: say so, not "0 new".
                parts = ["no new or changed sentences; only notes or template lines"]
            click.echo(f"{path}: updated ({', '.join(parts)})")


@main.command(short_help="Start a new language: config and catalog.")
@click.argument("code", metavar="LANG")
@click.option("--name", help="The language's name for itself, such as Kwéyòl.")
@click.option(
    "--locale",
    help="CLDR locale for dates, times and numbers, for a language Babel does not know "
    "(acf uses fr).",
)
@click.option("--plural", help='Plural-Forms rule, such as "nplurals=2; plural=(n > 1);".')
@click.pass_context
def init(
    ctx: click.Context, code: str, name: str | None, locale: str | None, plural: str | None
) -> None:
    """Start a new language LANG: add it to leaflets.toml and create its catalog.

    \b
    Examples:
      leaflets init fr
      leaflets init acf                     (St. Lucian Kwéyòl; formats like fr)
      leaflets init vic --name "Virgin Islands Creole" --locale en_VI \\
                    --plural "nplurals=2; plural=(n != 1);"
    """
    from leaflets.i18n.commands import init as languages  # Babel

    project = load_project(ctx)
    new = languages.init_language(project, code, name=name, locale=locale, plural=plural)
    if new.config_added:
        click.echo(f"added [languages.{new.code}] to {display_path(project.config_path)}")
    click.echo(f"wrote {display_path(new.catalog)}")
    click.echo(
        f"next: translate it (Poedit, Weblate or a text editor), then "
        f"`leaflets status` and `leaflets build --lang {new.code}`"
    )


@main.command(short_help="Show how much of each catalog is translated.")
@lang_option("Only this language (repeatable). Default: every translated language.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option(
    "--fallbacks",
    "all_fallbacks",
    is_flag=True,
    help="List every string that prints in English, with its catalog line and why.",
)
@click.option(
    "--min-percent",
    type=click.FloatRange(0, 100),
    metavar="N",
    help="Exit 1 when a language has less than N percent translated.",
)
@click.option(
    "--state",
    type=click.Path(file_okay=False, path_type=Path),
    help="The studio's state folder, for its open comments. Default: .leaflets/ in the project.",
)
@click.pass_context
def status(
    ctx: click.Context,
    languages: tuple[str, ...],
    as_json: bool,
    all_fallbacks: bool,
    min_percent: float | None,
    state: Path | None,
) -> None:
    """Show how much of each catalog is translated.

    Fuzzy strings are counted as fuzzy, not translated: they are not printed until someone
    checks them and removes the fuzzy mark. "rejected" strings have a translation that
    `leaflets check` reports as an error (or an edited msgctxt): the leaflets print the
    English instead. Under the table, the strings each language prints in English are named
    (the first few; all of them with --fallbacks).

    "reviewed" says whether the language's leaflets go out without the "Draft translation"
    note, with how many translations a reviewer approved in `leaflets serve` (approved /
    translated). A language is reviewed when every translation is approved, unless
    leaflets.toml sets `reviewed` for it ("(leaflets.toml)").

    "comments" counts each language's open comment threads in `leaflets serve` (0 without
    its state folder).

    \b
    Examples:
      leaflets status --lang ht
      leaflets status --lang es --fallbacks
      leaflets status --min-percent 100     fail unless every language is complete
    """
    from leaflets.i18n import review
    from leaflets.i18n.commands import status as status_mod  # Babel

    project = load_project(ctx)
    figures = status_mod.status(project, list(languages) or None)
    comments = _open_comments(project.root, state)
    if as_json:
        rows = [{**f.to_json(), "open_comments": comments.get(f.code, 0)} for f in figures]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        _echo_status(figures, project.source_language.name, all_fallbacks, comments)
    broken = [f for f in figures if f.error]
    for f in broken:
        click.echo(f"error: {f.error}", err=True)
    for f in figures:
        for problem in review.approval_problems(project, f.code):
            click.echo(problem.format(Path.cwd()), err=True)
    if min_percent is not None:
        low = [f for f in figures if f.percent < min_percent]
        if low:
            names = ", ".join(f"{f.code} ({f.percent:.1f}%)" for f in low)
            raise LeafletsError(f"below {min_percent:g}% translated: {names}")
    if broken:
        ctx.exit(1)


def _open_comments(root: Path, state: Path | None) -> dict[str, int]:
    """Open comment threads per language in the studio's state folder; none without one (it
    is read, never made: status writes nothing)."""
    import sqlite3

    from leaflets.studio import comments  # sqlite3, not the web app
    from leaflets.studio.store import StateError, Store

    store = Store.of_project(root, state)
    try:
        return comments.open_by_language(store) or {}
    except (StateError, sqlite3.Error) as exc:
        # The figures do not depend on it: say so, and count no comments.
        click.echo(f"note: cannot read the studio's comments in {store.path}: {exc}", err=True)
        return {}


def _echo_status(figures: list, english: str, all_fallbacks: bool, comments: dict) -> None:
    """The status table, then the strings each language prints in English."""
    head = ("lang", "translated", "fuzzy", "untranslated", "rejected", "obsolete", "percent")
    click.echo(
        f"{head[0]:<8}" + "".join(f"{h:>13}" for h in head[1:]) + f"{'comments':>10}   reviewed"
    )
    for f in figures:
        row = (f.translated, f.fuzzy, f.untranslated, f.rejected, f.obsolete)
        cells = "".join(f"{v:>13}" for v in (*row, f"{f.percent:.1f}%"))
        cells += f"{comments.get(f.code, 0):>10}"
        note = "" if f.exists else f"   no catalog: run `leaflets init {f.code}`"
        note = "   unreadable: see below" if f.error else note
        click.echo(f"{f.code:<8}{cells}   {f.review_column}{note}")
    for f in figures:
        if f.fallbacks and f.exists and not f.error:
            shown = len(f.fallbacks) if all_fallbacks else SHOWN
            click.echo(f"{f.code}: {n(len(f.fallbacks), 'string')} print in {english}:")
            for line in summary(f.fallbacks, shown):
                click.echo(f"  {line}")


@main.command(short_help="Find mistakes in the catalogs (and audit PDFs).")
@lang_option("Only this language (repeatable). Default: every translated language.")
@click.option(
    "--pdf",
    "pdf_targets",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    metavar="PATH",
    help="Also audit these PDFs, or folders of PDFs, for PDF/UA-1 (repeatable): --pdf out",
)
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.pass_context
def check(
    ctx: click.Context,
    languages: tuple[str, ...],
    pdf_targets: tuple[Path, ...],
    as_json: bool,
    strict: bool,
) -> None:
    """Check the catalogs: placeholders, plural forms, copies of the English, markup,
    backslashes, brackets and quotes, Spanish ¿ and ¡, invisible characters, length limits,
    spaces, end punctuation, line breaks, glossary terms, one source translated two ways,
    headers, edited msgctxt lines and syntax. Prints file:line: problem; exits 1 on any error
    (an error is a translation the leaflets would print wrong, so they print the English).

    With --pdf, also audit built PDFs against PDF/UA-1 (the machine-checkable Matterhorn
    checks: tags, language, title, alt text, headings, lists, links, fonts, type size), printed
    as file: page N: problem.

    \b
    Examples:
      leaflets check --lang es
      leaflets check --pdf out              also audit every PDF built into out/
    """
    from leaflets.i18n.commands import check as checks  # Babel, Jinja2's extractor

    project = load_project(ctx)
    findings = checks.check_project(project, list(languages) or None)
    pdf_findings = []
    if pdf_targets:
        from leaflets.pdf import leaflet_audit  # pikepdf

        paths = leaflet_audit.pdf_paths(pdf_targets)
        if not paths:
            where = ", ".join(map(display_path, pdf_targets))
            raise LeafletsError(f"no PDFs to check in {where}; run `leaflets build` first")
        pdf_findings = leaflet_audit.audit_outputs(project, paths)
    everything = findings + pdf_findings
    if as_json:
        click.echo(json.dumps([f.to_json() for f in everything], indent=2, ensure_ascii=False))
    else:
        for finding in everything:
            click.echo(finding.format(Path.cwd()))
    failed = errors(findings)
    warned = len(findings) - len(failed)
    translated = checks.translated_languages(project)
    checked = n(len(languages) or len(translated), "catalog")
    click.echo(f"checked {checked}: {n(len(failed), 'error')}, {n(warned, 'warning')}", err=True)
    if pdf_targets:
        pdf_failed = errors(pdf_findings)
        pdf_warned = len(pdf_findings) - len(pdf_failed)
        click.echo(
            f"checked {n(len(paths), 'PDF')}: {n(len(pdf_failed), 'error')}, "
            f"{n(pdf_warned, 'warning')}",
            err=True,
        )
    if errors(everything) or (strict and everything):
        ctx.exit(1)


# ---------------------------------------------------------------- event organisers


@main.command(short_help="Make a print package for an event's order.")
@click.argument("order_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--allow-unreviewed",
    is_flag=True,
    help="Print languages whose translation is not reviewed yet; the job ticket says so.",
)
@click.pass_context
def order(ctx: click.Context, order_file: Path, allow_unreviewed: bool) -> None:
    """Turn an order (orders/<name>.toml) into a print package in out/orders/<name>/.

    The package holds one print-ready PDF per item (cards 10-up, tri-folds and flyers 1-up),
    ticket.pdf and ticket.json for the printer, manifest.json and a .zip of it all.
    A bad order writes nothing.

    \b
    Example:
      leaflets order orders/agricultural-fair-2027.toml --allow-unreviewed
    """
    from leaflets.press import orders, package  # WeasyPrint, pikepdf, Jinja2

    project = load_project(ctx)
    started = time.perf_counter()
    the_order = orders.load_order(project, order_file, allow_unreviewed=allow_unreviewed)
    for warning in the_order.warnings:
        click.secho(f"warning: {display_path(order_file)}: {warning}", fg="yellow", err=True)
    written = package.write_package(
        project, the_order, progress=lambda message: click.echo(message, err=True)
    )
    for warning in written.warnings[len(the_order.warnings) :]:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    for item in written.items:
        count = item.count
        click.echo(
            f"  {item.file}: {item.item.quantity:,} copies, {item.layout.per_sheet} per sheet: "
            f"{count.sheets:,} sheets, {count.overage:,} over"
        )
    elapsed = time.perf_counter() - started
    click.echo(
        f"wrote {display_path(written.path)}/ ({len(written.files) + 1} files, "
        f"{written.total_sheets:,} sheets to print) in {elapsed:.1f} s"
    )


def state_option(function):
    return click.option(
        "--state",
        type=click.Path(file_okay=False, path_type=Path),
        help="The studio's state folder (people, sessions, history). Default: .leaflets/ in "
        "the project.",
    )(function)


def open_store(ctx: click.Context, state: Path | None):
    # Here: sqlite3 loads only for the studio's commands.
    from leaflets.studio.store import Store

    return Store.of_project(load_project(ctx).root, state).create()


# ---------------------------------------------------------------- reviewers in a browser: the studio


@main.command(short_help="Start the review studio: fix and approve translations on the page.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but 127.0.0.1 or localhost lets other computers in; "
    "the studio warns when it does.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on; 0 picks a free one.",
)
@click.option("--no-open", is_flag=True, help="Do not open a web browser.")
@click.option(
    "--public-url",
    help="The https:// address people open, where a proxy (nginx, Caddy) forwards to this "
    "studio: used in links, cookies and the Origin and Host checks.",
)
@click.option(
    "--forwarded-allow-ips",
    help="The proxies whose X-Forwarded-* headers to trust (comma-separated, uvicorn's "
    "option), such as 127.0.0.1. Default: none.",
)
@click.option(
    "--insecure-http",
    is_flag=True,
    help="Let other computers in over plain HTTP, without --public-url https://… "
    "(every page then warns).",
)
@state_option
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    no_open: bool,
    public_url: str | None,
    forwarded_allow_ips: str | None,
    insecure_http: bool,
    state: Path | None,
) -> None:
    """Start the review studio, a web page where you see your language on the printed leaflet.

    Click any text on a page to see its English source, the notes for translators and the
    checks; edit the translation and save, and the page changes within a second. Approve a
    translation, or a whole page, once you have checked it: when every translation of a
    language is approved, its leaflets lose the "Draft translation" note.

    It prints an address with a secret token (keep it to yourself) and opens it in your
    browser. Press Ctrl-C to stop it. Catalogs edited in Poedit or another editor meanwhile
    show up on the page too.

    \b
    Examples:
      leaflets serve
      leaflets serve --port 8001 --no-open
      leaflets serve --public-url https://studio.example.org/ --forwarded-allow-ips 127.0.0.1

    With people invited (`leaflets people invite`), each signs in with their own link, and the
    address printed no longer signs anyone in.
    """
    # Here: Starlette, uvicorn and watchfiles load only for this command, never for a build.
    from leaflets.studio import server

    project = load_project(ctx)
    serving = server.Serving(public_url, forwarded_allow_ips, insecure_http, state)
    server.serve(project, host, port, open_browser=not no_open, say=click.echo, serving=serving)


@main.group(short_help="Invite people to the studio, list them, revoke them.")
def people() -> None:
    """The people who may use the studio, each with a role: coordinator (everything),
    reviewer (edit and approve in their languages), translator (edit in their languages),
    organiser (read every page)."""


@people.command("invite", short_help="Make a personal invitation link.")
@click.argument("name")
@click.option("--role", required=True, help="coordinator, reviewer, translator or organiser.")
@click.option("--lang", "langs", multiple=True, metavar="CODE", help="A language (repeatable).")
@click.option("--days", default=14, show_default=True, type=click.IntRange(1, 365))
@click.option(
    "--email", help="Their e-mail address, as the author of the studio's commits ([studio])."
)
@click.option("--public-url", help="The studio's address. Default: the one `serve` last used.")
@state_option
@click.pass_context
def people_invite(ctx, name, role, langs, days, email, public_url, state) -> None:
    """Invite NAME (or invite them again): prints a link that signs them in once, on the
    device that opens it, within --days. Send it to them alone.

    \b
    Examples:
      leaflets people invite "Ana Rivera" --role reviewer --lang es
      leaflets people invite "Marie Joseph" --role translator --lang ht --days 3
      leaflets people invite "Ana Rivera" --role reviewer --lang es --email ana@example.org
    """
    from leaflets.studio import people as people_mod

    project, store = load_project(ctx), open_store(ctx, state)
    known = [code for code, language in project.languages.items() if not language.source]
    person = people_mod.checked_person(name, role, langs, known, email)
    token = people_mod.invite(store, person, days)
    base = public_url or store.setting("public_url") or "http://127.0.0.1:8000/"
    click.echo(f"Invitation for {person.name} ({person.role}), valid {n(days, 'day')}, once:")
    click.echo(people_mod.invitation_link(base, token))


@people.command("list", short_help="Show each person, role, languages, last seen.")
@state_option
@click.pass_context
def people_list(ctx, state) -> None:
    """Show everyone invited, their role and languages, when they were last seen, and the
    e-mail address they were invited with, if any."""
    from leaflets.studio import people as people_mod

    for person in people_mod.everyone(open_store(ctx, state)):
        seen = (
            time.strftime("%Y-%m-%d %H:%M", time.localtime(person.last_seen))
            if person.last_seen
            else "never"
        )
        status = "revoked" if person.revoked else f"last seen {seen}"
        langs = " ".join(person.languages) or "every language"
        email = f"\t{person.email}" if person.email else ""
        click.echo(f"{person.name}\t{person.role}\t{langs}\t{status}{email}")


@people.command("revoke", short_help="End a person's access now.")
@click.argument("name")
@state_option
@click.pass_context
def people_revoke(ctx, name, state) -> None:
    """End NAME's access at once: open pages and event streams included."""
    from leaflets.studio import people as people_mod

    people_mod.revoke(open_store(ctx, state), name)
    click.echo(f"revoked {name}: their sessions and invitations no longer work")


@main.command(short_help="Show who changed a language's translations, and how.")
@click.argument("lang")
@click.option("--msgid", help="Only this message (in every context).")
@state_option
@click.pass_context
def history(ctx, lang, msgid, state) -> None:
    """Print every save, approval and withdrawal made in the studio for LANG, oldest first:
    when, who, what, and the text before and after."""
    from leaflets.studio import history as history_mod

    project = load_project(ctx)
    if lang not in project.languages:
        raise click.UsageError(f"no language {lang!r}; choose from {', '.join(project.languages)}")
    for line in history_mod.lines(
        history_mod.changes(open_store(ctx, state), lang, msgid, any_context=True)
    ):
        click.echo(line)


if __name__ == "__main__":
    main()
