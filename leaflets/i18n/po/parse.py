"""Reading the PO format exactly as GNU gettext does, entry by entry, with the lines each came from.

Babel's reader strips comments, drops `#| msgctxt` and `#~|` lines, and treats a plural form too
many as a syntax error; none of that may happen to a catalog that a translator and their tools
keep byte for byte. This reader keeps everything msgcat keeps, reports a broken file at its line
(a CatalogError, as msgfmt would refuse it), and records mistakes that spoil only one entry (an
escape such as `\\'` that the format does not have) on that entry, so that `check` can report
them and the build can leave that entry out while every other entry still works.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?=[\s\"]|$)\s*(.*)$")
_SIMPLE_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "b": "\b",
    "r": "\r",
    "f": "\f",
    "v": "\v",
    "a": "\a",
    "\\": "\\",
    '"': '"',
}
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]+|[0-7]{1,3}|.)")


class SyntaxProblem(Exception):
    """A line that breaks the PO grammar: the whole file is unreadable, as for msgfmt."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Entry:
    """One entry as written in the file."""

    first_line: int
    """The entry's first line (its first comment, or msgctxt/msgid), 1-based."""
    last_line: int = 0
    obsolete: bool = False
    translator_comments: list[str] = field(default_factory=list)
    extracted_comments: list[str] = field(default_factory=list)
    references: list[tuple[str, int | None]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    previous: dict[str, str] = field(default_factory=dict)
    """`#|` fields: msgctxt, msgid, msgid_plural."""
    fields: dict[str, str] = field(default_factory=dict)
    """msgctxt, msgid, msgid_plural, and msgstr or msgstr[0], msgstr[1]…"""
    msgid_line: int = 0
    keyword_line: int = 0
    """The line of the entry's msgctxt, or of its msgid when it has none."""
    problems: list[tuple[int, str]] = field(default_factory=list)
    """Mistakes that spoil this entry only, as (line, what to do)."""

    @property
    def plural(self) -> bool:
        return "msgid_plural" in self.fields

    @property
    def forms(self) -> list[str]:
        if not self.plural:
            return [self.fields.get("msgstr", "")]
        count = sum(1 for key in self.fields if key.startswith("msgstr["))
        return [self.fields[f"msgstr[{i}]"] for i in range(count)]

    @property
    def complete(self) -> bool:
        return "msgstr" in self.fields or "msgstr[0]" in self.fields


def unescape(text: str, line: int, problems: list[tuple[int, str]]) -> str:
    """The value of a PO string's contents; an escape gettext does not know is kept as typed
    and noted in `problems`."""

    def one(match: re.Match) -> str:
        code = match.group(1)
        if code in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[code]
        if code[0] == "x" and len(code) > 1:
            value = int(code[1:], 16)
        elif code[0] in "01234567":
            value = int(code, 8)
        else:
            problems.append(
                (
                    line,
                    f"\\{code} is not an escape of the PO format (msgfmt rejects the file); "
                    f"write {code} without the backslash, or \\\\ for a backslash",
                )
            )
            return match.group(0)
        if value < 0x80:
            return chr(value)
        problems.append((line, f"\\{code} is a byte escape; type the character itself instead"))
        return match.group(0)

    return _ESCAPE.sub(one, text) if "\\" in text else text


def parse_entries(text: str) -> list[Entry]:
    """Every entry of a PO file, in order. A line the grammar does not allow raises
    SyntaxProblem at that line."""
    entries: list[Entry] = []
    entry: Entry | None = None
    current: tuple[dict[str, str], str] | None = None  # the field a "…" line continues
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            current = None
            continue
        previous = line.startswith(("#|", "#~|"))
        obsolete = line.startswith("#~")
        if line.startswith("#") and not previous and not obsolete:
            entry = _entry_for(entries, entry, number, "a comment")
            _comment(entry, raw.lstrip()[1:])  # trailing spaces are part of a comment
            entry.last_line, current = number, None
            continue
        body = line[3:] if line.startswith("#~|") else line[2:] if previous or obsolete else line
        body = body.strip()
        if body.startswith('"'):
            if current is None or entry is None:
                raise SyntaxProblem(number, "a quoted string here belongs to no msgid or msgstr")
            target, key = current
            target[key] += _string(body, number, entry)
            entry.last_line = number
            continue
        match = _KEYWORD.match(body)
        if not match:
            word = body.split()[0] if body.split() else body
            raise SyntaxProblem(
                number, f"unknown keyword {word!r}; expected msgid, msgstr or a quoted string"
            )
        keyword, rest = match.group(1), match.group(3).strip()
        if previous:
            entry = _entry_for(entries, entry, number, f"a previous {keyword} (#|)")
            target = entry.previous
        else:
            if keyword in ("msgctxt", "msgid") and (entry is None or entry.complete):
                entry = _entry_for(entries, entry, number, keyword)
            elif entry is None:
                raise SyntaxProblem(number, f"unexpected {keyword}; expected msgctxt or msgid")
            _check_order(entry, keyword, number)
            entry.obsolete = obsolete
            target = entry.fields
            if keyword == "msgid":
                entry.msgid_line = number
            if keyword in ("msgctxt", "msgid") and not entry.keyword_line:
                entry.keyword_line = number
        target[keyword] = _string(rest, number, entry, keyword)
        current = (target, keyword)
        entry.last_line = number
    if entry is not None and (entry.fields or entry.previous) and not entry.complete:
        raise SyntaxProblem(entry.last_line, "the file ends before this entry has its msgstr")
    return [e for e in entries if e.fields]


def _entry_for(entries: list[Entry], entry: Entry | None, number: int, what: str) -> Entry:
    """The entry a comment, a `#|` line or a msgctxt/msgid line belongs to: the current one
    while it has no msgid yet, else a new one."""
    if entry is not None and not entry.complete:
        if entry.previous and what == "a comment":
            # gettext's grammar has the #| lines right above msgctxt or msgid.
            raise SyntaxProblem(number, "a comment between the #| lines and msgid; move it above")
        if not entry.fields:
            return entry
        if what == "msgid" and set(entry.fields) == {"msgctxt"}:
            return entry
        raise SyntaxProblem(
            number, f"{what} inside an entry that has no msgstr yet; {_expected(entry)}"
        )
    new = Entry(first_line=number, last_line=number)
    entries.append(new)
    return new


def _check_order(entry: Entry, keyword: str, number: int) -> None:
    have = entry.fields
    if keyword == "msgctxt":
        wanted = not have
    elif keyword == "msgid":
        wanted = set(have) <= {"msgctxt"} and "msgid" not in have
    elif keyword == "msgid_plural":
        wanted = "msgid" in have and "msgstr" not in have and "msgid_plural" not in have
    elif keyword == "msgstr":
        wanted = "msgid" in have and not entry.plural and "msgstr" not in have
    else:
        index = int(keyword[7:-1])
        count = sum(1 for key in have if key.startswith("msgstr["))
        if entry.plural and index != count:
            raise SyntaxProblem(number, f"expected msgstr[{count}], got {keyword}")
        wanted = entry.plural
    if not wanted:
        raise SyntaxProblem(number, f"unexpected {keyword} here; {_expected(entry)}")


def _expected(entry: Entry) -> str:
    if "msgid" not in entry.fields:
        return "expected msgid"
    if entry.plural:
        return "expected msgstr[N]"
    return "expected msgstr (or msgid_plural)"


def _string(rest: str, number: int, entry: Entry, keyword: str = "") -> str:
    match = _STRING.fullmatch(rest)
    if not match:
        name = f"{keyword} needs one quoted string" if keyword else "unterminated string"
        raise SyntaxProblem(number, f"{name}; check the quotes")
    return unescape(match.group(1), number, entry.problems)


def _comment(entry: Entry, text: str) -> None:
    """A comment line without its "#", as gettext's po_callback_comment_dispatcher reads it."""
    if text.startswith("."):
        body = text[1:]
        entry.extracted_comments.append(body[1:] if body.startswith(" ") else body)
    elif text.startswith(":"):
        for token in text[1:].split():
            name, colon, number = token.rpartition(":")
            if colon and number.isdigit():
                entry.references.append((name, int(number)))
            else:
                entry.references.append((token, None))
    elif text.startswith((",", "!")):
        tokens = [t for t in re.split(r"[\s,]+", text[1:]) if t]
        while tokens:
            token = tokens.pop(0)
            if token == "range:" and tokens:
                token = f"range: {tokens.pop(0)}"
            if token not in entry.flags:
                entry.flags.append(token)
    else:
        entry.translator_comments.append(text[1:] if text.startswith(" ") else text)
