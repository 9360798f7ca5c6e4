"""Commands for event organisers: order."""

from __future__ import annotations

import time
from pathlib import Path

import click

from leaflets.errors import display_path

from .common import load_project


@click.command(short_help="Make a print package for an event's order.")
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
    from leaflets.press import orders
    from leaflets.press import package as printing

    project = load_project(ctx)
    started = time.perf_counter()
    the_order = orders.load_order(project, order_file, allow_unreviewed=allow_unreviewed)
    for warning in the_order.warnings:
        click.secho(f"warning: {display_path(order_file)}: {warning}", fg="yellow", err=True)
    package = printing.write_package(
        project, the_order, progress=lambda message: click.echo(message, err=True)
    )
    for warning in package.warnings[len(the_order.warnings) :]:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    for item in package.items:
        count = item.count
        click.echo(
            f"  {item.file}: {item.item.quantity:,} copies, {item.layout.per_sheet} per sheet: "
            f"{count.sheets:,} sheets, {count.overage:,} over"
        )
    elapsed = time.perf_counter() - started
    click.echo(
        f"wrote {display_path(package.path)}/ ({len(package.files) + 1} files, "
        f"{package.total_sheets:,} sheets to print) in {elapsed:.1f} s"
    )
