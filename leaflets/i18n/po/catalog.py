"""The .po format: read a catalog strictly (untrusted input), and write one as GNU gettext does.

Reading (poparse.py) keeps every part of an entry that msgcat keeps; writing (powrite.py,
powrap.py) produces what msgcat produces, so `msgcat FILE` leaves a file that leaflets wrote
byte for byte as it is. Given the file's previous bytes, the writer keeps every entry whose
content did not change exactly as it was written, so a file Poedit or Weblate wrapped their own
way comes through `leaflets update` or a studio save with only the changed entries rewritten.
The rest of leaflets reads and writes catalogs only through this module; the model is Babel's
Catalog and Message, with three additions on each Message: `previous_context` (a `#| msgctxt`),
`po_problems` (mistakes that spoil that entry alone) and `po_lines` (where it was).
"""

from __future__ import annotations

import gettext
import re
from datetime import datetime
from pathlib import Path

from babel.dates import format_datetime
from babel.messages.catalog import Catalog, Message

from ...config.model import MAX_PLURAL_FORMS, Project
from ...config.paths import read_project_file
from ...errors import CatalogError
from .messages import MessageKey
from .parse import Entry, SyntaxProblem, parse_entries
from .wrap import PAGE_WIDTH
from .write import entry_lines

PLURAL_RE = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$")


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    """Read a .po file; a syntax error becomes a CatalogError at its (1-based) line."""
    return parse_catalog(read_source(path), path)


def read_source(path: Path) -> bytes:
    """A catalog's bytes; a missing one is a CatalogError that says how to start it."""
    try:
        return read_project_file(path, "catalog")
    except FileNotFoundError:
        # locales/<lang>/LC_MESSAGES/messages.po: the folder names the language to start.
        todo = (
            f"run `leaflets init {path.parent.parent.name}` to start one"
            if path.suffix == ".po"
            else "run `leaflets extract` to write it"
        )
        raise CatalogError(f"catalog not found; {todo}", path) from None


def decode(data: bytes, path: Path) -> str:
    # Some Windows editors start a UTF-8 file with a byte-order mark; gettext has no use for it.
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as UTF-8", path, line
        ) from None


def parse_catalog(data: bytes, path: Path) -> Catalog:
    """Parse .po bytes read from `path`. Catalogs are untrusted: every failure is a CatalogError.

    Two entries with the same msgctxt and msgid are an error at the second, as for msgfmt:
    gettext would keep only one of them."""
    text = decode(data, path)
    try:
        entries = parse_entries(text)
    except SyntaxProblem as exc:
        raise CatalogError(f"syntax error: {exc.message}", path, exc.line) from None
    catalog = Catalog(locale=None, charset="utf-8")
    catalog.po_header = None
    seen: dict[tuple[bool, MessageKey], Message] = {}
    for entry in entries:
        message = _message(entry)
        key = (entry.obsolete, _key(message))
        is_header = not entry.obsolete and message.id == "" and message.context is None
        if is_header and catalog.po_header is None:
            try:
                catalog[""] = message
            except (ValueError, TypeError) as exc:
                # A malformed header value, such as an unparsable date or plural rule.
                raise CatalogError(f"invalid catalog: {exc}", path, entry.msgid_line) from None
            catalog.po_header = message
            check_plural_count(catalog, path, text)
            continue
        other = (not entry.obsolete, key[1])
        if other in seen and message.id:
            # An obsolete entry that repeats a live one: msgfmt rejects the file.
            raise CatalogError(
                f"syntax error: msgid {_shown_id(key[1])!r} is here a second time, live and "
                f"obsolete (#~; the other is at line {seen[other].po_keyword_line}); msgfmt "
                "rejects the file: delete the #~ entry",
                path,
                entry.keyword_line,
            )
        if key in seen:
            if entry.obsolete:
                continue  # msgfmt ignores #~ entries; the first one is kept
            raise CatalogError(
                f"syntax error: msgid {_shown_id(key[1])!r} is here a second time (first at line "
                f"{seen[key].po_keyword_line}); gettext would keep only one: merge the two "
                "entries into one",
                path,
                entry.keyword_line,
            )
        seen[key] = message
        if entry.obsolete:
            catalog.obsolete[catalog._key_for(message.id, message.context)] = message
        else:
            catalog[message.id] = message
    return catalog


def _message(entry: Entry) -> Message:
    fields = entry.fields
    if entry.plural:
        msgid: str | tuple[str, str] = (fields["msgid"], fields["msgid_plural"])
        string: str | tuple[str, ...] = tuple(entry.forms)
    else:
        msgid, string = fields["msgid"], fields.get("msgstr", "")
    previous = [entry.previous[k] for k in ("msgid", "msgid_plural") if k in entry.previous]
    message = Message(
        msgid,
        string,
        locations=entry.references,
        auto_comments=entry.extracted_comments,
        user_comments=entry.translator_comments,
        previous_id=previous,
        lineno=entry.msgid_line,
        context=fields.get("msgctxt"),
    )
    message.flags = set(entry.flags)  # Babel guesses python-format; the file decides
    message.previous_context = entry.previous.get("msgctxt")
    message.po_problems = entry.problems
    message.po_lines = (entry.first_line, entry.last_line)
    message.po_keyword_line = entry.keyword_line
    return message


def check_plural_count(catalog: Catalog, path: Path, text: str = "") -> None:
    """A CatalogError at the Plural-Forms line when the catalog's rule cannot be used: more
    forms than any language has (each would be a line of `leaflets check` and a string in the
    compiled catalog), or an expression that fails (n/0) or picks a form the catalog does not
    have for some n from 0 to 1000. Checked when the catalog is read, so that a build never
    meets it halfway through a leaflet."""
    line = next(
        (n for n, raw in enumerate(text.splitlines(), 1) if raw.startswith('"Plural-Forms:')),
        None,
    )
    if not 1 <= catalog.num_plurals <= MAX_PLURAL_FORMS:
        raise CatalogError(
            f"Plural-Forms says nplurals={catalog.num_plurals:,}; a language has from 1 to "
            f"{MAX_PLURAL_FORMS} plural forms (the most any CLDR language uses): fix the header",
            path,
            line,
        )
    try:
        parse_plural_rule(f"nplurals={catalog.num_plurals}; plural={catalog.plural_expr};")
    except ValueError as exc:
        raise CatalogError(
            f'Plural-Forms: {exc}; fix the header (the gettext manual\'s "Plural forms" '
            "lists each language's rule)",
            path,
            line,
        ) from None


def _shown_id(key: MessageKey) -> str:
    msgid = key if isinstance(key, str) else key[1]
    return msgid if len(msgid) <= 40 else msgid[:37] + "..."


def _key(message: Message) -> MessageKey:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return (message.context, msgid) if message.context is not None else msgid


def entry_problems(message: Message) -> list[tuple[int, str]]:
    """Mistakes found while reading that spoil this entry alone (an escape the format does not
    have), as (line, what to do)."""
    return list(getattr(message, "po_problems", ()))


# ---------------------------------------------------------------- header


def header_message(catalog: Catalog) -> Message:
    """The header entry as it will be written: as read, or built from Babel's header fields."""
    header = getattr(catalog, "po_header", None)
    if header is not None:
        return header
    built = next(iter(catalog))
    comments = [re.sub(r"^# ?", "", line) for line in catalog.header_comment.splitlines()]
    return Message("", built.string, flags=built.flags, user_comments=comments)


def set_header_field(catalog: Catalog, name: str, value: str | None) -> None:
    """Set (or with None, remove) one header field, keeping every other field as it was."""
    header = header_message(catalog)
    lines = header.string.splitlines(keepends=True)
    pattern = re.compile(rf"^{re.escape(name)}\s*:", re.I)
    new = f"{name}: {value}\n" if value is not None else ""
    for index, line in enumerate(lines):
        if pattern.match(line):
            lines[index] = new
            break
    else:
        if new:
            if lines and not lines[-1].endswith("\n"):
                lines[-1] += "\n"
            lines.append(new)
    header.string = "".join(lines)
    catalog.po_header = header
    catalog[""] = header


def header_date(moment: datetime) -> str:
    return format_datetime(moment, "yyyy-MM-dd HH:mmZ", locale="en")


# ---------------------------------------------------------------- write


DETECT = -1
"""po_bytes()'s width when the catalog's own is to be found from its bytes."""
_WIDTHS = (PAGE_WIDTH, 77, None, 76, 78, 80)
"""The widths detect_width() tries: gettext's 79, Weblate's 77, --no-wrap, and their
neighbours."""


def po_bytes(catalog: Catalog, original: bytes | None = None, width: int | None = DETECT) -> bytes:
    """The catalog as .po bytes, written as msgcat writes them at `width` columns (None: as
    `msgcat --no-wrap`; DETECT: the width `original` was wrapped at, else gettext's 79).

    With `original` (the file's bytes before the change), an entry whose content is unchanged
    is written exactly as it was in `original`, wrapped however its tool wrapped it.
    """
    kept = _original_entries(original) if original else {}
    if width == DETECT:
        width = detect_width(kept)
    blocks = []
    entries = [(header_message(catalog), False)]
    entries += [(m, False) for m in catalog if m.id]
    entries += [(m, True) for m in catalog.obsolete.values() if _first_form(m)]
    for message, obsolete in entries:
        lines = entry_lines(message, obsolete=obsolete, width=width)
        old = kept.get((obsolete, _key(message)))
        if old is not None and entry_lines(old[0], obsolete=obsolete, width=width) == lines:
            lines = old[1]
        blocks.append("\n".join(lines))
    text = "\n\n".join(blocks) + "\n"
    if original and b"\r\n" in original.split(b"\n", 1)[0] + b"\n":
        text = text.replace("\n", "\r\n")
    return text.encode("utf-8")


def configured_width(project: Project) -> int | None:
    """The width leaflets.toml's `[catalogs] wrap` gives, for po_bytes(): DETECT when unset."""
    wrap = project.catalogs.wrap
    return DETECT if wrap is None else (None if wrap is False else wrap)


def detect_width(entries: dict[tuple[bool, MessageKey], tuple[Message, list[str]]]) -> int | None:
    """The width a catalog was wrapped at: the first of _WIDTHS at which writing its entries
    gives every one back as it is, else the one that gives back the most (gettext's 79 when
    none is better). Entries short enough to stay on one line at any width tell nothing."""
    telling = [
        (obsolete, message, lines)
        for (obsolete, _), (message, lines) in entries.items()
        if any(len(line) > 60 or line.endswith('""') for line in lines)
    ]
    best, best_count = PAGE_WIDTH, -1
    for width in _WIDTHS:
        count = sum(
            entry_lines(message, obsolete=obsolete, width=width) == lines
            for obsolete, message, lines in telling
        )
        if count == len(telling):
            return width
        if count > best_count:
            best, best_count = width, count
    return best


def _first_form(message: Message) -> str:
    string = message.string
    return (string[0] if string else "") if isinstance(string, (list, tuple)) else string or ""


def _original_entries(original: bytes) -> dict[tuple[bool, MessageKey], tuple[Message, list]]:
    """Each entry of `original`, with the lines it was written as."""
    try:
        text = decode(original, Path("original"))
        catalog = parse_catalog(original, Path("original"))
    except CatalogError:
        return {}
    lines = text.splitlines()
    result = {}
    header = getattr(catalog, "po_header", None)
    found = [(header, False)] if header is not None else []
    found += [(m, False) for m in catalog if m.id] + [(m, True) for m in catalog.obsolete.values()]
    for message, obsolete in found:
        first, last = message.po_lines
        result[(obsolete, _key(message))] = (message, lines[first - 1 : last])
    return result


def translated_languages(project: Project) -> list[str]:
    """The languages with a catalog of their own: every language but the source."""
    return [code for code, lang in project.languages.items() if not lang.source]


def not_translated(project: Project, code: str) -> CatalogError:
    """The error for --lang CODE where a catalog is needed: the source, or an unknown code."""
    known = ", ".join(translated_languages(project))
    if code in project.languages:
        message = (
            f"{code!r} is the source language: its text is in the templates, not in a catalog; "
            f"the translated languages are: {known}"
        )
    else:
        message = (
            f"unknown language {code!r}; the translated languages are: {known} "
            f"(to add one, run `leaflets init {code}`)"
        )
    return CatalogError(message, project.config_path)


def parse_plural_rule(rule: str) -> tuple[int, str]:
    """(nplurals, expression) of a Plural-Forms rule, or ValueError saying what is wrong."""
    match = PLURAL_RE.match(rule)
    if not match:
        raise ValueError('expected a Plural-Forms rule such as "nplurals=2; plural=(n > 1);"')
    count, expr = int(match.group(1)), match.group(2)
    if not 1 <= count <= MAX_PLURAL_FORMS:
        raise ValueError(
            f"nplurals must be from 1 to {MAX_PLURAL_FORMS} (the most any CLDR language uses), "
            f"got {count:,}"
        )
    try:
        func = gettext.c2py(expr)
    except (ValueError, SyntaxError, RecursionError) as exc:
        raise ValueError(f"not a C plural expression: {expr!r} ({exc})") from None
    for n in range(0, 1001):
        try:
            index = func(n)
        except (ArithmeticError, RecursionError, ValueError, TypeError) as exc:
            raise ValueError(f"the plural expression {expr!r} fails for n = {n} ({exc})") from None
        if not 0 <= index < count:
            raise ValueError(
                f"the plural expression {expr!r} gives form {index} for n = {n}; "
                f"nplurals={count} has forms 0 to {count - 1}"
            )
    return count, expr
