"""The .po format: read a catalog strictly (untrusted input), and write one as gettext would.

Babel's reader accepts some files that GNU msgfmt rejects, and its writer mangles multi-line
previous msgids; this module holds the fixes for both, so the rest of leaflets reads and writes
catalogs only through it.
"""

from __future__ import annotations

import re
from datetime import datetime
from io import BytesIO
from pathlib import Path

from babel.dates import format_datetime
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, normalize, read_po, unescape, write_po

from ..config.model import MAX_PLURAL_FORMS
from ..errors import CatalogError

# pybabel's default line width, so `pybabel update` and `leaflets update` write the same file.
PO_WIDTH = 76


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    """Read a .po file; a syntax error becomes a CatalogError at its (1-based) line."""
    return parse_catalog(read_source(path), path)


def read_source(path: Path) -> bytes:
    """A catalog's bytes; a missing one is a CatalogError that says how to start it."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        # locales/<lang>/LC_MESSAGES/messages.po: the folder names the language to start.
        todo = (
            f"run `leaflets init {path.parent.parent.name}` to start one"
            if path.suffix == ".po"
            else "run `leaflets extract` to write it"
        )
        raise CatalogError(f"catalog not found; {todo}", path) from None


def parse_catalog(data: bytes, path: Path) -> Catalog:
    """Parse .po bytes read from `path`. Catalogs are untrusted: every failure is a CatalogError."""
    # Some Windows editors start a UTF-8 file with a byte-order mark; gettext has no use for it.
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as UTF-8", path, line
        ) from None
    problem = lint_po(text)
    if problem:
        line, message = problem
        raise CatalogError(f"syntax error: {message}", path, line)
    try:
        catalog = read_po(BytesIO(data), locale=None, abort_invalid=True, charset="utf-8")
    except PoFileError as exc:
        # Babel counts lines from 0 and appends "on N" to its message.
        lineno = getattr(exc, "lineno", None)
        reason = re.sub(r" on \d+$", "", str(exc.args[0]) if exc.args else str(exc))
        raise CatalogError(
            f"syntax error: {reason}", path, lineno + 1 if lineno is not None else None
        ) from None
    except (ValueError, TypeError) as exc:
        # A malformed header value, such as an unparsable date or plural rule.
        raise CatalogError(f"invalid catalog: {exc}", path) from None
    check_plural_count(catalog, path, text)
    for message in [*catalog, *catalog.obsolete.values()]:
        _restore_previous_id(message)
    return catalog


def check_plural_count(catalog: Catalog, path: Path, text: str = "") -> None:
    """A CatalogError when the catalog's Plural-Forms asks for more forms than any language has:
    each would be a line of `leaflets check` and a string in the compiled catalog."""
    if not 1 <= catalog.num_plurals <= MAX_PLURAL_FORMS:
        line = next(
            (n for n, raw in enumerate(text.splitlines(), 1) if raw.startswith('"Plural-Forms:')),
            None,
        )
        raise CatalogError(
            f"Plural-Forms says nplurals={catalog.num_plurals:,}; a language has from 1 to "
            f"{MAX_PLURAL_FORMS} plural forms (the most any CLDR language uses): fix the header",
            path,
            line,
        )


def _restore_previous_id(message: Message) -> None:
    """Babel reads `#| msgid "..."` lines as translator comments; make them the previous msgid."""
    previous = [c[1:].strip() for c in message.user_comments if c.startswith("|")]
    if not previous:
        return
    message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
    parts: dict[str, list[str]] = {}
    keyword = None
    for line in previous:
        match = re.match(r"^(msgctxt|msgid|msgid_plural)\s+(\".*\")$", line)
        if match:
            keyword = match.group(1)
            parts[keyword] = [match.group(2)]
        elif keyword and line.startswith('"'):
            parts[keyword].append(line)
    ids = [unescape_po(parts[k]) for k in ("msgid", "msgid_plural") if k in parts]
    if ids:
        message.previous_id = ids


def unescape_po(strings: list[str]) -> str:
    return "".join(unescape(s) for s in strings)


_PO_STRING = r'"(?:[^"\\]|\\.)*"'
_PO_KEYWORD_LINE = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[(\d+)\])?)\s+(.*)$")
_PO_STRING_LINE = re.compile(r"^\s*" + _PO_STRING + r"\s*$")


def lint_po(text: str) -> tuple[int, str] | None:
    """The first line that breaks the PO grammar, as (line, problem); None when it is sound.

    Babel's reader skips some broken lines silently (a stray msgstr, an unterminated string)
    and keeps one of two entries with the same msgid, where GNU msgfmt rejects the file. This
    pass catches those before Babel reads the file.
    """
    expect: set[str] = {"msgctxt", "msgid"}
    continuable = False
    plural_index = -1
    last_keyword_line = 0
    entries = _Entries()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continuable = False
            continue
        if line.startswith('"'):
            if not continuable:
                return number, "a quoted string here belongs to no msgid or msgstr"
            if not _PO_STRING_LINE.match(line):
                return number, "unterminated or malformed string; check the quotes"
            entries.more(line)
            continue
        match = _PO_KEYWORD_LINE.match(line)
        if not match:
            word = line.split()[0]
            return number, f"unknown keyword {word!r}; expected msgid, msgstr or a quoted string"
        keyword, index, rest = match.group(1), match.group(2), match.group(3).strip()
        if not re.fullmatch(_PO_STRING, rest):
            return number, f"{keyword.split('[')[0]} needs one quoted string; check the quotes"
        kind = "msgstr[]" if index is not None else keyword
        if kind not in expect:
            wanted = " or ".join(sorted(k.replace("[]", "[N]") for k in expect))
            return number, f"unexpected {keyword}; expected {wanted}"
        duplicate = entries.keyword(keyword, rest, number)
        if duplicate:
            return duplicate
        if kind == "msgstr[]":
            if int(index) != plural_index + 1:
                return number, f"expected msgstr[{plural_index + 1}], got {keyword}"
            plural_index += 1
            expect = {"msgstr[]", "msgctxt", "msgid"}
        elif keyword == "msgctxt":
            expect = {"msgid"}
        elif keyword == "msgid":
            expect = {"msgid_plural", "msgstr"}
        elif keyword == "msgid_plural":
            expect, plural_index = {"msgstr[]"}, -1
        else:
            expect = {"msgctxt", "msgid"}
        continuable = True
        last_keyword_line = number
    if "msgid" not in expect:
        return last_keyword_line, "the file ends before this entry has its msgstr"
    return None


class _Entries:
    """The msgctxt and msgid of each entry as lint_po reads them, to find one given twice."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str | None, str], int] = {}
        self.context: list[str] | None = None
        self.msgid: list[str] | None = None
        self.current: list[str] | None = None
        self.line = 0

    def more(self, quoted: str) -> None:
        if self.current is not None:
            self.current.append(quoted)

    def keyword(self, keyword: str, quoted: str, number: int) -> tuple[int, str] | None:
        """Note a keyword line; the problem if it ends the msgid of an entry seen before."""
        if keyword == "msgctxt":
            self.context, self.msgid, self.line = [quoted], None, number
            self.current = self.context
        elif keyword == "msgid":
            if self.msgid is not None:  # a msgid after a msgstr: a new entry without msgctxt
                self.context = None
            if self.context is None:
                self.line = number
            self.msgid = [quoted]
            self.current = self.msgid
        else:
            self.current = None
            if keyword in ("msgstr", "msgid_plural") and self.msgid is not None:
                key = (
                    unescape_po(self.context) if self.context is not None else None,
                    unescape_po(self.msgid),
                )
                first_line = self.seen.setdefault(key, self.line)
                self.context = None
                if first_line != self.line:
                    shown = key[1] if len(key[1]) <= 40 else key[1][:37] + "..."
                    return self.line, (
                        f"msgid {shown!r} is here a second time (first at line {first_line}); "
                        "gettext would keep only one: merge the two entries into one"
                    )
        return None


# ---------------------------------------------------------------- write


def po_bytes(catalog: Catalog) -> bytes:
    """The catalog as .po bytes, with multi-line previous msgids written as gettext does.

    Babel re-wraps a previous msgid like prose, which breaks one that spans several lines
    (`#| msgid "" "first part` …) and can drop the space at a wrap. So each previous msgid goes
    through Babel as a one-word token, and the token's line is replaced by the real lines.
    """
    previous: dict[str, str] = {}
    saved = []
    for message in [*catalog, *catalog.obsolete.values()]:
        if message.previous_id:
            saved.append((message, message.previous_id))
            tokens = []
            for text in message.previous_id:
                token = f"leaflets-previous-{len(previous)}"
                previous[token] = text
                tokens.append(token)
            message.previous_id = tokens
    buffer = BytesIO()
    try:
        write_po(buffer, catalog, width=PO_WIDTH, include_previous=True)
    finally:
        for message, ids in saved:
            message.previous_id = ids
    text = buffer.getvalue().decode("utf-8")

    def real_lines(match: re.Match) -> str:
        keyword, token = match.group(1), match.group(2)
        lines = f"{keyword} {normalize(previous[token], width=PO_WIDTH)}".split("\n")
        return "\n".join(f"#| {line}" for line in lines)

    text = re.sub(
        r'^#\| (msgid|msgid_plural) "(leaflets-previous-\d+)"$', real_lines, text, flags=re.M
    )
    return text.encode("utf-8")


_HEADER_END = re.compile(rb"^msgid \"\"\s*$.*?(?:\r?\n\r?\n|\Z)", re.S | re.M)


def keep_header(original: bytes, written: bytes, creation: datetime) -> bytes:
    """Babel's messages under the translator's own header entry, with a new POT-Creation-Date.

    Babel rewrites the header from what it knows and drops fields it does not (X-Generator,
    Poedit's settings) and the translator's header comments; keep the original header instead.
    """
    old, new = _HEADER_END.search(original), _HEADER_END.search(written)
    if not old or not new or (old.start() > 0 and not _only_comments(original[: old.start()])):
        return written
    date = format_datetime(creation, "yyyy-MM-dd HH:mmZ", locale="en").encode()
    header = re.sub(
        rb'^"POT-Creation-Date: [^"\\]*\\n"',
        b'"POT-Creation-Date: ' + date + b'\\\\n"',
        original[: old.end()],
        count=1,
        flags=re.M,
    )
    return header + written[new.end() :]


def edited_po_bytes(original: bytes, catalog: Catalog) -> bytes:
    """The catalog as .po bytes after an edit of its entries (the studio's saves), with the
    header entry and the comments above it kept exactly as `original` has them."""
    written = po_bytes(catalog)
    old, new = _HEADER_END.search(original), _HEADER_END.search(written)
    if not old or not new or (old.start() > 0 and not _only_comments(original[: old.start()])):
        return written
    return original[: old.end()] + written[new.end() :]


def _only_comments(text: bytes) -> bool:
    return all(not line.strip() or line.startswith(b"#") for line in text.splitlines())
