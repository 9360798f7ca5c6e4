"""The command for translators and reviewers who prefer a browser: serve (the review studio)."""

from __future__ import annotations

import click

from .common import load_project


@click.command(short_help="Start the review studio: fix and approve translations on the page.")
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
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, no_open: bool) -> None:
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
    """
    # Here: Starlette, uvicorn and watchfiles load only for this command, never for a build.
    from leaflets.studio import server

    project = load_project(ctx)
    server.serve(project, host, port, open_browser=not no_open, say=click.echo)
