"""The `leaflets` command line: parse arguments, call the library, print, map errors to exit codes.

Exit codes: 0 success, 1 a problem in the project (bad config, a failing check, a build error),
2 wrong usage (click's own).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from leaflets import __version__
from leaflets import project as project_mod
from leaflets.errors import LeafletsError


class LeafletsGroup(click.Group):
    """Turns LeafletsError into one line on stderr and exit code 1: no traceback for user errors."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LeafletsError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            sys.exit(1)


def load_project(ctx: click.Context) -> project_mod.Project:
    if "project" not in ctx.obj:
        ctx.obj["project"] = project_mod.load(ctx.obj["root"])
    return ctx.obj["project"]


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
    """
    ctx.ensure_object(dict)
    ctx.obj["root"] = root


@main.command("list")
@click.pass_context
def list_command(ctx: click.Context) -> None:
    """Show the languages and leaflets that the project defines."""
    project = load_project(ctx)
    click.echo("Languages:")
    for lang in project.languages.values():
        status = (
            "source" if lang.source else ("reviewed" if lang.reviewed else "draft, not reviewed")
        )
        click.echo(f"  {lang.code:<8} {lang.name:<20} {status}")
    click.echo("Leaflets:")
    for leaflet in project.leaflets.values():
        w, h = leaflet.page_size_in(project.build.paper)
        pages = leaflet.pages if leaflet.pages else f"up to {leaflet.max_pages}"
        click.echo(f"  {leaflet.name:<12} {leaflet.title:<22} {w:g} × {h:g} in, {pages} pages")


@main.command()
@click.option(
    "--lang",
    "-l",
    "languages",
    multiple=True,
    metavar="LANG",
    help="Build only this language (repeatable). Default: every language.",
)
@click.option(
    "--leaflet",
    "leaflets",
    multiple=True,
    metavar="NAME",
    help="Build only this leaflet (repeatable). Default: every leaflet.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder. Default: build.out in leaflets.toml (out/).",
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
@click.pass_context
def build(
    ctx: click.Context,
    languages: tuple[str, ...],
    leaflets: tuple[str, ...],
    out: Path | None,
    shrink: bool,
    wait: float,
) -> None:
    """Build PDFs into out/<lang>/<leaflet>.pdf.

    Stale catalogs are compiled first, so editing a .po file and running build is enough.
    """
    from leaflets import build as build_mod

    project = load_project(ctx)
    outputs = build_mod.plan(project, languages or None, leaflets or None, out)
    started = time.perf_counter()

    def progress(output: build_mod.Output, index: int, total: int) -> None:
        click.echo(f"[{index + 1}/{total}] {output.label}", err=True)

    report = build_mod.build(
        project,
        outputs,
        progress,
        fit_mode="shrink" if shrink else None,
        wait=wait,
        on_wait=lambda message: click.echo(message, err=True),
    )
    elapsed = time.perf_counter() - started
    for result in report.built:
        click.echo(f"wrote {_relative(result.output.path)} ({result.pages} pages)")
        for shrunk in result.shrunk:
            click.echo(f"  {shrunk.describe()}")
    for lang, count in sorted(report.fallbacks_by_language.items()):
        if count:
            click.secho(
                f"warning: {lang}: {count} strings fell back to {project.source_language.name}",
                fg="yellow",
                err=True,
            )
    click.echo(f"built {len(report.built)} PDFs in {elapsed:.1f} s")


@main.command()
@click.pass_context
def extract(ctx: click.Context) -> None:
    """Extract messages from the templates into locales/messages.pot."""
    from leaflets import catalogs

    project = load_project(ctx)
    catalog = catalogs.extract(project)
    path = catalogs.write_template(project, catalog)
    click.echo(f"wrote {_relative(path)} ({len(catalog)} messages)")


@main.command("compile")
@click.option("--force", is_flag=True, help="Compile even catalogs that are up to date.")
@click.pass_context
def compile_command(ctx: click.Context, force: bool) -> None:
    """Compile every catalog (.po) into the binary form (.mo) that builds read."""
    from leaflets import catalogs

    project = load_project(ctx)
    for lang in project.languages.values():
        if lang.source:
            continue
        done = catalogs.compile_catalog(project, lang.code, force=force)
        state = "compiled" if done else "up to date"
        click.echo(f"{lang.code}: {state} {_relative(project.mo_path(lang.code))}")


@main.command()
@click.option(
    "--lang",
    "-l",
    "languages",
    multiple=True,
    metavar="LANG",
    help="Preview only this language (repeatable).",
)
@click.option(
    "--leaflet",
    "leaflets",
    multiple=True,
    metavar="NAME",
    help="Preview only this leaflet (repeatable).",
)
@click.option(
    "--dpi",
    default=60,
    show_default=True,
    type=click.IntRange(20, 300),
    help="Resolution of the PNG pages.",
)
@click.pass_context
def preview(
    ctx: click.Context, languages: tuple[str, ...], leaflets: tuple[str, ...], dpi: int
) -> None:
    """Write PNG pages of the built PDFs and out/preview/index.html, side by side.

    Builds the PDFs first.
    """
    from leaflets import build as build_mod
    from leaflets import preview as preview_mod

    project = load_project(ctx)
    outputs = build_mod.plan(project, languages or None, leaflets or None)
    build_mod.build(
        project, outputs, lambda o, i, n: click.echo(f"[{i + 1}/{n}] {o.label}", err=True)
    )
    index = preview_mod.write_preview(project, outputs, dpi=dpi)
    click.echo(f"wrote {_relative(index)}")


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    main()
