"""Shared pieces of the command line: the --lang and --leaflet options, loading the project,
and the English wording of counts and paths."""

from __future__ import annotations

import click

from leaflets.config import project as project_mod
from leaflets.config.model import Project


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
