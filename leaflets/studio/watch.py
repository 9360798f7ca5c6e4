"""Watching the project's files with watchfiles (Rust's notify: inotify on Linux), so that a
catalog saved in Poedit, a template or stylesheet saved in an editor, contacts.toml or
leaflets.toml shows on the page as a save in the studio does."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import watchfiles

from ..config.model import CONFIG_NAME, CONTACTS_NAME, REVIEW_NAME

WATCHED_FOLDERS = ("locales", "templates", "styles")
ROOT_FILES = frozenset({CONFIG_NAME, CONTACTS_NAME})
# What the studio and the build write themselves, and editors' scratch files.
IGNORED_SUFFIXES = (".mo", ".tmp", ".swp", ".swx", "~", ".lock")


CATALOG_FILES = (".po", ".pot", REVIEW_NAME)


def relevant(path: str) -> bool:
    """A file a leaflet reads: under locales/ only catalogs and review files (an editor's
    scratch files come and go there too), under templates/ and styles/ anything not hidden."""
    where = Path(path)
    name = where.name
    if name.startswith(".") or name.endswith(IGNORED_SUFFIXES) or "__pycache__" in where.parts:
        return False
    return "locales" not in where.parts or name.endswith(CATALOG_FILES)


async def watch(
    root: Path, changed: Callable[[set[Path]], Awaitable[None]], stop: asyncio.Event
) -> None:
    """Call `changed` with the paths of each batch of changes until `stop` is set."""
    folders = [root / name for name in WATCHED_FOLDERS if (root / name).is_dir()]
    await asyncio.gather(
        _watch(folders, True, lambda _, path: relevant(path), changed, stop),
        # The root without its subfolders: .venv/ and out/ hold thousands of files.
        _watch([root], False, lambda _, path: Path(path).name in ROOT_FILES, changed, stop),
    )


async def _watch(paths, recursive, accept, changed, stop) -> None:
    if not paths:
        return
    async for batch in watchfiles.awatch(
        *paths, watch_filter=accept, recursive=recursive, stop_event=stop, step=30
    ):
        await changed({Path(path) for _, path in batch})
