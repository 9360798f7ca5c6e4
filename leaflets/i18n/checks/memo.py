"""The findings of `check_message`, kept by everything it reads, so that a catalog read again
after one save is checked again only where it changed (the studio reads a language's whole
catalog after every save and approval; 64 messages took 0.15–0.35 s, nearly all of it checks).

What a message's checks read, and so what the key holds:
- of the entry: msgid (and plural), msgstr (every form), msgctxt, flags (fuzzy, max-length,
  allow-identical, unknown ones), `#.` comments (max-length), `#` comments (allow-identical,
  allow-number), its line (every finding's) and the problems its reading found (`po_problems`);
- the catalog's nplurals, its path (every finding's; the language and the surroundings come from
  it) and the language asked for;
- the catalog's surroundings (surroundings.py: leaflets.toml, contacts.toml, the glossary, the
  other catalogs' translations), by identity: surroundings_of() makes a new one whenever one of
  their files changed, and each entry keeps the one it was checked with.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from babel.messages.catalog import Message

from ...findings import Finding
from .surroundings import Surroundings, surroundings_of

SIZE = 4096
"""Entries kept: a few languages' catalogs, several versions each. The oldest go first."""

Checks = Callable[[Message, int, Path, "str | None"], list[Finding]]


def _forms(value: object) -> object:
    return tuple(value) if isinstance(value, (list, tuple)) else value


def message_inputs(message: Message, nplurals: int, path: Path, language: str | None) -> tuple:
    """Everything of the entry and the call that the checks read (see the module's docstring)."""
    return (
        str(path),
        nplurals,
        language,
        _forms(message.id),
        _forms(message.string),
        message.context,
        tuple(message.flags),
        tuple(message.auto_comments),
        tuple(message.user_comments),
        message.lineno,
        tuple(getattr(message, "po_problems", ())),
    )


class CheckMemo:
    """check_message's findings by their inputs; safe to share between threads."""

    def __init__(self, checks: Checks, size: int = SIZE):
        self._checks, self._size = checks, size
        self._found: dict[tuple, tuple[Surroundings | None, tuple[Finding, ...]]] = {}
        self._lock = threading.Lock()
        self.misses = 0
        """How many times the checks ran (the tests count them)."""

    def __call__(
        self, message: Message, nplurals: int, path: Path, language: str | None = None
    ) -> list[Finding]:
        key = message_inputs(message, nplurals, path, language)
        around = surroundings_of(path)
        with self._lock:
            kept = self._found.get(key)
        if kept is not None and kept[0] is around:
            return list(kept[1])
        findings = self._checks(message, nplurals, path, language)
        with self._lock:
            self.misses += 1
            self._found.pop(key, None)
            self._found[key] = (around, tuple(findings))
            while len(self._found) > self._size:
                del self._found[next(iter(self._found))]
        return list(findings)

    def clear(self) -> None:
        with self._lock:
            self._found.clear()
