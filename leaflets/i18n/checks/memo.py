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

A compile also records its entries' findings in the .mo (po/compiled.py), under a key that holds
the same by content (`stored_key`: the entry, the surroundings it is checked with, with the other
catalogs' translations of that entry alone, and the library's code), so that the next compile,
in another process after one edit, runs the checks on the entries that changed only (`recall`).
A recorded entry is untrusted, as the verdicts are: anything malformed is checked afresh.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Message

from ... import source_hash
from ...findings import Finding, Severity
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
        tuple(sorted(message.flags)),  # a set's order differs between processes (stored_key)
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
        self._recorded: dict[str, dict] = {}
        """By catalog path: what its .mo recorded of its entries' checks, by stored_key()."""
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
                kept = self._recalled(key, around, message, nplurals, path, language)
            if kept is None:
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
        self.misses += 1
        return self._keep(key, Kept(around, tuple(findings), verdicts))

    def _keep(self, key: tuple, kept: Kept) -> Kept:
        self._found.pop(key, None)
        self._found[key] = kept
        while len(self._found) > self._size:
            del self._found[next(iter(self._found))]
        return kept

    def _recalled(self, key: tuple, around, message, nplurals, path, language) -> Kept | None:
        """The entry as the catalog's .mo recorded it, if it did (under the lock)."""
        recorded = self._recorded.get(str(path))
        if not recorded:
            return None
        entry = recorded.get(stored_key(message, nplurals, path, language, around))
        kept = _from_record(entry, around)
        return None if kept is None else self._keep(key, kept)

    def recall(self, path: Path, recorded: object) -> None:
        """Take what the catalog's .mo recorded of its entries' checks (`stored`), in place of
        what an earlier one did."""
        with self._lock:
            self._recorded[str(path)] = recorded if isinstance(recorded, dict) else {}

    def stored(
        self, messages: Iterable[Message], nplurals: int, path: Path, language: str | None
    ) -> dict[str, list]:
        """What a compiled catalog records of these entries' checks, for those this memo holds
        as checked with the surroundings of now: [findings, the verdicts they used]."""
        around, found = surroundings_of(path), {}
        with self._lock:
            for message in messages:
                kept = self._found.get(message_inputs(message, nplurals, path, language))
                if kept is not None and kept.around is around:
                    name = stored_key(message, nplurals, path, language, around)
                    found[name] = [[f.to_json() for f in kept.findings], sorted(kept.verdicts)]
        return found

    def clear(self) -> None:
        with self._lock:
            self._found.clear()
            self._recorded.clear()


def stored_key(
    message: Message, nplurals: int, path: Path, language: str | None, around: Surroundings | None
) -> str:
    """The key of message_inputs() and the surroundings by content, the same in every process:
    the other catalogs' translations of this entry alone, and the library's code (a new check
    finds other things)."""
    inputs = message_inputs(message, nplurals, path, language)
    near = None if around is None else [around.content, around.other_translations(message)]
    data = json.dumps([source_hash(), inputs, near], ensure_ascii=True, default=repr)
    return hashlib.sha256(data.encode("ascii")).hexdigest()[:32]


def _from_record(entry: object, around: Surroundings | None) -> Kept | None:
    """A recorded entry as kept; None when it is malformed or names a verdict not remembered."""
    if not (isinstance(entry, list) and len(entry) == 2):
        return None
    findings, names = entry
    known = language_id.verdicts
    if not (isinstance(names, list) and all(isinstance(n, str) and n in known for n in names)):
        return None
    try:
        kept = tuple(_finding(f) for f in findings)
    except (TypeError, ValueError, KeyError):
        return None
    return Kept(around, kept, {n: known[n] for n in names})


def _finding(data: dict) -> Finding:
    """Finding.to_json() read back (a TypeError, ValueError or KeyError when it is not one)."""
    line, page = data["line"], data["page"]
    if not all(isinstance(data[k], str) for k in ("path", "message", "code")) or not all(
        n is None or type(n) is int for n in (line, page)
    ):
        raise TypeError("not a finding")
    return Finding(
        Path(data["path"]), data["message"], Severity(data["severity"]), line, page, data["code"]
    )
