"""Commands for translators: extract, compile, update, init, status, check."""

from __future__ import annotations

from pathlib import Path

import click

from leaflets.errors import LeafletsError, display_path

from .common import lang_option, load_project, n


@click.command(short_help="Write locales/messages.pot from the templates.")
@click.pass_context
def extract(ctx: click.Context) -> None:
    """Extract messages from the templates into locales/messages.pot.

    `leaflets update` does this too, and then merges the result into every catalog: that is
    usually the command you want.
    """
    from leaflets.i18n import workflow

    project = load_project(ctx)
    catalog = workflow.extract(project)
    path = workflow.write_template(project, catalog)
    click.echo(f"wrote {display_path(path)} ({len(catalog)} messages)")


@click.command("compile", short_help="Compile the catalogs (.po) into .mo files.")
@click.option("--force", is_flag=True, help="Compile even catalogs that are up to date.")
@click.pass_context
def compile_command(ctx: click.Context, force: bool) -> None:
    """Compile every catalog (.po) into the binary form (.mo) that builds read.

    `leaflets build` compiles stale catalogs itself, so you rarely need this.
    """
    from leaflets.i18n import translations

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


@click.command(short_help="Bring every catalog up to date with the templates.")
@click.pass_context
def update(ctx: click.Context) -> None:
    """Extract the messages, then merge them into every catalog (locales/*/LC_MESSAGES/*.po).

    Nothing is lost: a changed string keeps its old translation, marked fuzzy, with the old
    English above it (#|); a removed string stays at the end of the file as #~. A catalog with
    nothing to change is not touched.
    """
    from leaflets.i18n import workflow

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


@click.command(short_help="Start a new language: config and catalog.")
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
    from leaflets.i18n import languages

    project = load_project(ctx)
    new = languages.init_language(project, code, name=name, locale=locale, plural=plural)
    if new.config_added:
        click.echo(f"added [languages.{new.code}] to {display_path(project.config_path)}")
    click.echo(f"wrote {display_path(new.catalog)}")
    click.echo(
        f"next: translate it (Poedit, Weblate or a text editor), then "
        f"`leaflets status` and `leaflets build --lang {new.code}`"
    )


@click.command(short_help="Show how much of each catalog is translated.")
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
@click.pass_context
def status(
    ctx: click.Context,
    languages: tuple[str, ...],
    as_json: bool,
    all_fallbacks: bool,
    min_percent: float | None,
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

    \b
    Examples:
      leaflets status --lang ht
      leaflets status --lang es --fallbacks
      leaflets status --min-percent 100     fail unless every language is complete
    """
    import json

    from leaflets.i18n import status as status_mod

    project = load_project(ctx)
    figures = status_mod.status(project, list(languages) or None)
    if as_json:
        click.echo(json.dumps([f.to_json() for f in figures], indent=2, ensure_ascii=False))
    else:
        _echo_status(figures, project.source_language.name, all_fallbacks)
    broken = [f for f in figures if f.error]
    for f in broken:
        click.echo(f"error: {f.error}", err=True)
    if min_percent is not None:
        low = [f for f in figures if f.percent < min_percent]
        if low:
            names = ", ".join(f"{f.code} ({f.percent:.1f}%)" for f in low)
            raise LeafletsError(f"below {min_percent:g}% translated: {names}")
    if broken:
        ctx.exit(1)


def _echo_status(figures: list, english: str, all_fallbacks: bool) -> None:
    """The status table, then the strings each language prints in English."""
    from leaflets.i18n.fallbacks import SHOWN, summary

    head = ("lang", "translated", "fuzzy", "untranslated", "rejected", "obsolete", "percent")
    click.echo(f"{head[0]:<8}" + "".join(f"{h:>13}" for h in head[1:]) + "   reviewed")
    for f in figures:
        row = (f.translated, f.fuzzy, f.untranslated, f.rejected, f.obsolete)
        cells = "".join(f"{v:>13}" for v in (*row, f"{f.percent:.1f}%"))
        note = "" if f.exists else f"   no catalog: run `leaflets init {f.code}`"
        note = "   unreadable: see below" if f.error else note
        click.echo(f"{f.code:<8}{cells}   {f.review_column}{note}")
    for f in figures:
        if f.fallbacks and f.exists and not f.error:
            shown = len(f.fallbacks) if all_fallbacks else SHOWN
            click.echo(f"{f.code}: {n(len(f.fallbacks), 'string')} print in {english}:")
            for line in summary(f.fallbacks, shown):
                click.echo(f"  {line}")


@click.command(short_help="Find mistakes in the catalogs (and audit PDFs).")
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
    import json

    from leaflets.findings import errors
    from leaflets.i18n import project_checks
    from leaflets.i18n.translations import translated_languages

    project = load_project(ctx)
    findings = project_checks.check_catalogs(project, list(languages) or None)
    pdf_findings = []
    if pdf_targets:
        from leaflets.pdf import outputs as pdf_outputs

        paths = pdf_outputs.pdf_paths(pdf_targets)
        if not paths:
            where = ", ".join(map(display_path, pdf_targets))
            raise LeafletsError(f"no PDFs to check in {where}; run `leaflets build` first")
        pdf_findings = pdf_outputs.audit_outputs(project, paths)
    everything = findings + pdf_findings
    if as_json:
        click.echo(json.dumps([f.to_json() for f in everything], indent=2, ensure_ascii=False))
    else:
        for finding in everything:
            click.echo(finding.format(Path.cwd()))
    failed = errors(findings)
    warned = len(findings) - len(failed)
    translated = translated_languages(project)
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
