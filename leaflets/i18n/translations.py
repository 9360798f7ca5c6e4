"""Translations: what a build loads from a language's catalog, and the catalog facts every
translator command shares (message keys, plural rules, which languages have catalogs).

A catalog is compiled to .mo when stale, with only the translations that print right: a fuzzy
one, an empty one, or one that `leaflets check` calls an error (checks.message_errors) is left
out, so the leaflet prints the source instead and the build names it (fallbacks.py). A catalog
whose Language header names another language, or with a control character, stops the build.
"""

from __future__ import annotations

import gettext
import struct
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo, write_mo

from ..config.model import Project
from ..config.paths import read_project_file
from ..errors import CatalogError
from ..findings import Severity
from ..untrusted import forbidden_characters
from ..writing import write_atomic
from .checks import language_id
from .checks.catalog import check_catalog, language_problem
from .checks.message import allowed_numbers, message_errors, recall_checks, stored_checks
from .checks.placeholders import formats_cleanly, plural_source
from .checks.project import catalog_context
from .po.catalog import check_plural_count, parse_catalog, read_catalog, read_source
from .po.compiled import (
    catalog_paths,
    compiled_from,
    is_stale,
    recorded,
    split,
    with_trailer,
)
from .po.messages import MessageKey, first, has_text, message_key, shortened, split_key
from .review import is_reviewed

# ---------------------------------------------------------------- compile


def compile_catalog(project: Project, lang: str, *, force: bool = False) -> bool:
    """Compile locales/<lang>/.../messages.po to .mo unless the .mo was compiled from it as it
    is now (compiled.py), with only the entries that print right (printable_catalog)."""
    if not force and not is_stale(project, lang):
        return False
    po, mo = catalog_paths(project, lang)
    source = read_source(po)
    # What compiling it last time found: only the entries that changed are judged and checked.
    last = recorded(project, lang)
    language_id.remember(last.get("verdicts"))
    recall_checks(po, last.get("checked"))
    language_id.used.clear()
    parsed = parse_catalog(source, po)
    entries = [message for message in parsed if message.id]
    catalog = printable_catalog(parsed, po, lang)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    warnings = [
        {"line": f.line, "message": f.message}
        for f in check_catalog(catalog_context(project, lang))
        if f.severity is Severity.WARNING
    ]
    record = {
        "warnings": warnings,
        "verdicts": language_id.used_verdicts(),
        "checked": stored_checks(entries, catalog.num_plurals, po),
    }
    write_atomic(mo, with_trailer(buffer.getvalue(), compiled_from(project, lang, source), record))
    return True


def read_compiled(project: Project, lang: str) -> Catalog:
    """The language's compiled catalog. A damaged .mo is an error that says what to do."""
    _, mo = catalog_paths(project, lang)
    try:
        body, _ = split(read_project_file(mo, "catalog"))
        return read_mo(BytesIO(body))
    except FileNotFoundError:
        raise CatalogError("compiled catalog not found; run `leaflets compile`", mo) from None
    except (OSError, struct.error, UnicodeDecodeError, ValueError, IndexError, LookupError) as exc:
        # Babel's reader trusts the tables it reads; a damaged file fails anywhere in them.
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise CatalogError(
            f"compiled catalog is damaged ({reason}); delete it and run the command again: "
            "leaflets compiles it again from the .po",
            mo,
        ) from None


def printable_catalog(catalog: Catalog, path: Path, lang: str) -> Catalog:
    """The catalog without the entries that would not print right: fuzzy, empty, or with an
    error that `leaflets check` reports. Those print in the source language instead."""
    problem = language_problem(catalog, lang)
    if problem:
        header = getattr(catalog, "po_header", None)
        raise CatalogError(problem, path, header.lineno if header is not None else None)
    for message in list(catalog):
        if not message.id:
            continue
        if not message.fuzzy:
            _refuse_forbidden(message, path, message.lineno)
        nplurals = catalog.num_plurals
        if message.fuzzy or not has_text(message) or message_errors(message, nplurals, path):
            catalog.delete(message.id, message.context)
    return catalog


def _refuse_forbidden(message: Message, path: Path | None, line: int | None) -> None:
    """A CatalogError, naming the msgid, when the translation has a forbidden character."""
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    bad = forbidden_characters("".join(s or "" for s in strings))
    if bad:
        msgid = first(message.id)
        error = CatalogError(
            f'translation of msgid "{shortened(msgid)}" contains {", ".join(bad)}; '
            "remove it: control and direction-override characters are not allowed",
            path,
            line,
        )
        error.msgid = msgid  # type: ignore[attr-defined]
        raise error


# ---------------------------------------------------------------- translations at build time


@dataclass
class Translations:
    """One language's translations, with every entry that could break a build already dropped.

    It records the messages that fell back to the source language while rendering, so the build
    can say how many strings a leaflet printed in English.
    """

    language: str
    messages: dict[MessageKey, str | tuple[str, ...]] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    """Source strings whose translation was dropped: placeholders that do not match the source,
    a string that does not format, or a phone number or address of its own."""
    fallbacks: set[MessageKey] = field(default_factory=set)
    """Messages rendered in the source language (untranslated, fuzzy or rejected)."""
    plural_func: object = None
    is_source: bool = False
    """The source language: its messages are the msgids, so nothing falls back."""
    reviewed: bool = False
    """Whether the language's leaflets go out without the draft note (review.is_reviewed)."""

    @classmethod
    def source(cls, language: str) -> Translations:
        return cls(language=language, is_source=True, reviewed=True)

    def _lookup(self, key: MessageKey, default: str) -> str:
        found = self.messages.get(key)
        if isinstance(found, str) and found:
            return found
        if not self.is_source:
            self.fallbacks.add(key)
        return default

    def gettext(self, message: str) -> str:
        return self._lookup(message, message)

    def pgettext(self, context: str, message: str) -> str:
        return self._lookup((context, message), message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._plural(singular, singular, plural, n)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self._plural((context, singular), singular, plural, n)

    def printed_texts(self) -> tuple[tuple[str, str], ...]:
        """(msgid, a text it prints as), every form of every translation in the catalog's
        order: what the audit is given to name the message that printed a stray glyph."""
        return tuple(
            (split_key(key)[1], text)
            for key, printed in self.messages.items()
            for text in (printed if isinstance(printed, tuple) else (printed,))
        )

    def _plural(self, key: MessageKey, singular: str, plural: str, n: int) -> str:
        forms = self.messages.get(key)
        if isinstance(forms, tuple) and self.plural_func is not None:
            index = self.plural_func(n)
            if 0 <= index < len(forms) and forms[index]:
                return forms[index]
        if not self.is_source:
            self.fallbacks.add(key)
        return singular if n == 1 else plural


def load_translations(project: Project, lang: str) -> Translations:
    """Compile the language's catalog if stale, then load it with unusable entries dropped."""
    if project.languages[lang].source:
        return Translations.source(lang)
    compile_catalog(project, lang)
    catalog = read_compiled(project, lang)
    po_path = project.po_path(lang)
    try:
        translations = translations_from_catalog(catalog, lang, po_path)
        if translations.rejected:
            # Only a number a translator comment allows (`# allow-number`) passes the compiler
            # and not this check, which sees no comments: read them from the .po.
            allowed = {message_key(m): allowed_numbers(m) for m in read_catalog(po_path) if m.id}
            translations = translations_from_catalog(catalog, lang, po_path, allowed)
    except CatalogError as exc:
        # A compiled catalog has no line numbers: find the entry in the .po file.
        msgid = getattr(exc, "msgid", None)
        entry = read_catalog(po_path).get(msgid) if msgid else None
        raise CatalogError(exc.message, po_path, entry.lineno if entry else None) from None
    translations.reviewed = is_reviewed(project, lang)
    return translations


def translations_from_catalog(
    catalog: Catalog,
    lang: str,
    path: Path | None = None,
    allowed: dict[MessageKey, frozenset[str]] | None = None,
) -> Translations:
    """Translations usable at build time; a translation with a forbidden character is an error.
    `allowed` holds, by message, the numbers its translator comments allow."""
    check_plural_count(catalog, path or Path("messages.mo"))
    result = Translations(language=lang, plural_func=_plural_function(catalog.plural_expr))
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        # Checked again here: a compiled catalog need not have come from our compiler.
        _refuse_forbidden(message, path, None)
        key = message_key(message)
        numbers = (allowed or {}).get(key, frozenset())
        if isinstance(message.id, (list, tuple)):
            forms = tuple(message.string or ())
            source = message.id
            nplurals = catalog.num_plurals
            if all(
                formats_cleanly(plural_source(source, i, nplurals), form, numbers)
                for i, form in enumerate(forms)
                if form
            ):
                result.messages[key] = forms
            else:
                result.rejected.append(source[0])
        elif message.string and message.string.strip():
            if formats_cleanly(message.id, message.string, numbers):
                result.messages[key] = message.string
            else:
                result.rejected.append(message.id)
    return result


def _plural_function(expr: str | None):
    """A callable for a C plural expression, without eval of catalog text."""
    if not expr:
        return None
    try:
        return gettext.c2py(expr)
    except (ValueError, SyntaxError, RecursionError):
        return None
