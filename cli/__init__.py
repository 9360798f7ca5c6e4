"""The `leaflets` command line: parse arguments, call the library, print, map errors to exit codes.

Exit codes: 0 success, 1 a problem in the project (bad config, a failing check, a build error),
2 wrong usage (click's own).

The commands live in modules by who uses them (building, translating, ordering). Each imports
the library modules it calls when it runs, so that `leaflets build` with nothing to do never
loads what `leaflets update` needs (Babel's extractor, say).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import click

from leaflets import __version__
from leaflets.errors import LeafletsError, describe_os_error

from . import building, ordering, serving, translating


class LeafletsGroup(click.Group):
    """Turns LeafletsError into one line on stderr and exit code 1: no traceback for user errors."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LeafletsError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            sys.exit(1)
        except BrokenPipeError:
            # The reader went away (`leaflets status | head`): stop quietly, as other tools do.
            # Point stdout at /dev/null so that Python's final flush does not fail again.
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
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


for command in (
    building.list_command,
    building.build,
    building.preview,
    building.doctor,
    translating.extract,
    translating.compile_command,
    translating.update,
    translating.init,
    translating.status,
    translating.check,
    serving.serve,
    ordering.order,
):
    main.add_command(command)
