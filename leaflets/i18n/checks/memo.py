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

The checks have one effect besides their findings: the language identifier notes each verdict
they use (language_id.used), which a compile records. A kept entry notes them again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Message

from ...findings import Finding
from . import language_id
from .surroundings import Surroundings, surroundings_of

SIZE = 4096
"""Entries kept: a few languages' catalogs, several versions each. The oldest go first."""


@dataclass(frozen=True)
class Kept:
    around: Surroundings | None
    """The surroundings the checks saw: kept only while surroundings_of() gives the same."""
    findings: tuple[Finding, ...]
    verdicts: dict[str, list]
    """The language identifier's verdicts the checks used (language_id.used)."""


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
        self._found: dict[tuple, Kept] = {}
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
            if kept is None or kept.around is not around:
                kept = self._check(key, around, message, nplurals, path, language)
        # What the checks would have told the language identifier, told again: a compile
        # records the verdicts its entries used (po/compiled.py), kept or not.
        language_id.used.update(kept.verdicts)
        for name, verdict in kept.verdicts.items():
            language_id.verdicts.setdefault(name, verdict)
        return list(kept.findings)

    def _check(self, key: tuple, around, message, nplurals, path, language) -> Kept:
        """Run the checks (under the lock: language_id.used is swapped for their own set)."""
        outer, language_id.used = language_id.used, set()
        try:
            findings = self._checks(message, nplurals, path, language)
        finally:
            mine, language_id.used = language_id.used, outer
        verdicts = {
            name: language_id.verdicts[name] for name in mine if name in language_id.verdicts
        }
        kept = Kept(around, tuple(findings), verdicts)
        self.misses += 1
        self._found.pop(key, None)
        self._found[key] = kept
        while len(self._found) > self._size:
            del self._found[next(iter(self._found))]
        return kept

    def clear(self) -> None:
        with self._lock:
            self._found.clear()
