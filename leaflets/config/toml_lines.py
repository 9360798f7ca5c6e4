"""Where a key path is in a TOML file: the line that a problem at `offices[1].hours[0].opens`
is reported at.

tomllib gives values, not their lines, so the path is walked down the text: the Nth
`[[offices]]` header for offices[N], then the key's line. The headers are indexed once per file,
so each look-up costs time in proportion to its table, not to the file: an order of 10,000
items with a problem in each is reported in linear time (benchmarks/bench_validation.py).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

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
