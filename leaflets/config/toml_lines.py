"""TOML text: read with a bound on its nesting, and where a key path is in it: the line that a
problem at `offices[1].hours[0].opens` is reported at.

tomllib gives values, not their lines, so the path is walked down the text: the Nth
`[[offices]]` header for offices[N], then the key's line. The headers are indexed once per file,
so each look-up costs time in proportion to its table, not to the file: an order of 10,000
items with a problem in each is reported in linear time (benchmarks/bench_validation.py).
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left, bisect_right
from typing import Any

_HEADER = re.compile(r"^\s*\[\[?\s*([\w\"'.\- ]+?)\s*\]\]?\s*(#.*)?$")


class TomlIndex:
    """Where the table headers of a TOML file are, for looking up the lines of key paths."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.headers: list[int] = []
        """Line indexes of every table header, in order."""
        self.by_name: dict[str, list[int]] = {}
        for index, line in enumerate(lines):
            match = _HEADER.match(line)
            if match:
                name = re.sub(r"\s*\.\s*", ".", match.group(1).replace('"', "").replace("'", ""))
                self.headers.append(index)
                self.by_name.setdefault(name, []).append(index)

    def line_of(self, path: str) -> int | None:
        """The line of a key path ("offices[1].hours[0].opens"), best effort.

        Walks the path down the file, narrowing to the table header (the Nth [[offices]] for
        offices[N]) or the key's line at each step; the deepest line found wins. Inline tables
        sit on one line, so a key is also looked for in the middle of a line."""
        lines = self.lines
        lo, hi = 0, len(lines)
        # The file's own keys come before its first table header.
        top = self.headers[0] if self.headers else hi
        best: int | None = None
        dotted: list[str] = []
        for part in path.split("."):
            match = re.fullmatch(r"(.+?)((?:\[\d+\])*)", part)
            if match is None:
                break
            key = match.group(1)
            indices = [int(n) for n in re.findall(r"\d+", match.group(2))]
            dotted.append(key)
            name = ".".join(dotted)
            heads = self.by_name.get(name, [])
            nth = bisect_left(heads, lo) + (indices[0] if indices else 0)
            if nth < bisect_left(heads, hi):
                lo = heads[nth]
                best = lo + 1
                hi = self._table_end(lo, name, hi)
                continue
            key_re = re.compile(r"(^|[\s{,])\"?" + re.escape(key) + r"\"?\s*=")
            stop = hi if best is not None else top
            found = next((i for i in range(lo, stop) if key_re.search(lines[i])), None)
            if found is not None:
                lo = found
                best = found + 1
            # Neither a header nor a key: a dotted header such as [languages.es] may follow.
        return best

    def _table_end(self, start: int, name: str, limit: int) -> int:
        """The first header after `start` (and before `limit`) that is not a sub-table of `name`."""
        sub = re.compile(r"^\s*\[\[?\s*" + re.escape(name) + r"\.")
        for at in range(bisect_right(self.headers, start), len(self.headers)):
            index = self.headers[at]
            if index >= limit:
                break
            if not sub.match(self.lines[index]):
                return index
        return limit


def line_of(lines: list[str], path: str) -> int | None:
    """The line of a key path in a TOML file's lines (TomlIndex.line_of, for one look-up)."""
    return TomlIndex(lines).line_of(path)


class TomlSyntaxError(Exception):
    """A file that is not TOML: the message to show and the line, where tomllib gives it."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message = message
        self.line = line


MAX_TOML_DEPTH = 16
"""Tables and arrays nested deeper than this are refused: the project's files need six levels
(offices[].hours[].days[]), and 5,000 would exhaust Python's stack."""


def parse_toml(text: str) -> dict[str, Any]:
    """The TOML document in `text`; raises TomlSyntaxError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        line = int(match.group(1)) if match else None
        raise TomlSyntaxError(f"invalid TOML: {reason}; fix the syntax", line) from None
    except RecursionError:
        data = None
    if data is None or too_deep(data):
        raise TomlSyntaxError(TOO_DEEP, _deep_line(text))
    return data


TOO_DEEP = f"tables and arrays are nested more than {MAX_TOML_DEPTH} deep; fix the syntax"


def too_deep(data: Any) -> bool:
    """Whether tables and arrays nest deeper than MAX_TOML_DEPTH in `data` (parsed TOML, or the
    same fields as JSON from a form)."""
    return _depth(data) > MAX_TOML_DEPTH


def _depth(data: Any) -> int:
    """How deeply tables and arrays nest in `data`, counted without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_TOML_DEPTH:
            break
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def _deep_line(text: str) -> int | None:
    """The first line that opens more brackets than the depth allows, where one does."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count("[") + line.count("{") > MAX_TOML_DEPTH:
            return number
    return None
