"""Why a message prints in the source language: none at all, a fuzzy translation, an empty
plural form, one that `leaflets check` calls an error (checks.message_errors, the same rule the
build compiles by), or an entry whose msgctxt was edited so that it matches nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from ..config.model import Project
from ..errors import CatalogError
from .checks.message import message_errors
from .fallbacks import Fallback
from .po.catalog import read_catalog
from .po.messages import MessageKey, first, has_text, message_key, split_key


def reason(message: Message | None, nplurals: int, path: Path) -> str | None:
    """Why this catalog entry would not print, or None when it would."""
    if message is None:
        return "not in the catalog; run `leaflets update`"
    if message.fuzzy and has_text(message):
        return "fuzzy: check the translation, then remove the fuzzy mark"
    if not has_text(message):
        return "untranslated"
    errors = message_errors(message, nplurals, path)
    if errors:
        problem = errors[0].message.split(": ", 1)[-1]
        return f"rejected by `leaflets check`: {problem}"
    return None


class Explainer:
    """The reasons for one language, from its catalog read once."""

    def __init__(self, project: Project, lang: str, catalog: Catalog | None = None):
        self.path = project.po_path(lang)
        self.where = self.path.relative_to(project.root).as_posix()
        self.catalog = catalog if catalog is not None else _read(self.path)
        messages = [m for m in self.catalog if m.id] if self.catalog is not None else []
        self.entries = {message_key(m): m for m in messages}
        self.by_msgid: dict[str, list[Message]] = {}
        for message in messages:
            self.by_msgid.setdefault(first(message.id), []).append(message)

    def explain(self, key: MessageKey) -> Fallback | None:
        context, msgid = split_key(key)
        message = self.entries.get(key)
        if self.catalog is None:
            return Fallback(msgid, context, self.where, "the catalog cannot be read")
        if message is None:
            edited = [m for m in self.by_msgid.get(msgid, []) if m.context != context]
            if edited:
                line = edited[0].lineno
                why = "its msgctxt was changed, so the entry matches nothing; put it back"
                return Fallback(msgid, context, f"{self.where}:{line}", why)
        why = reason(message, self.catalog.num_plurals, self.path)
        if why is None:
            return None
        where = f"{self.where}:{message.lineno}" if message is not None else self.where
        return Fallback(msgid, context, where, why)

    def explain_all(self, keys: Iterable[MessageKey]) -> list[Fallback]:
        """A Fallback for each key, in the catalog's order."""
        found = []
        for key in keys:
            fallback = self.explain(key)
            if fallback is None:  # printable in the .po, yet not in the compiled catalog
                context, msgid = split_key(key)
                why = "missing from the compiled catalog; run `leaflets compile --force`"
                fallback = Fallback(msgid, context, self.where, why)
            found.append(fallback)
        return sorted(found, key=lambda f: _line(f.where))


def _line(where: str) -> int:
    tail = where.rpartition(":")[2]
    return int(tail) if tail.isdigit() else 0


def _read(path: Path) -> Catalog | None:
    try:
        return read_catalog(path)
    except CatalogError:
        return None
