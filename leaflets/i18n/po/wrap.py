"""Where GNU gettext breaks a PO string across lines, so that leaflets writes what msgcat writes.

msgcat, msgmerge and Poedit wrap each `msgid`/`msgstr` string at 79 columns where the Unicode
line-breaking algorithm (UAX #14, as GNU libunistring implements it) allows a break, never
inside an escape sequence or a format directive, and start the string on a line of its own
(`msgid ""`) when it spans several lines. This module is a port of gettext 0.21's `wrap()`
(write-po.c) and libunistring 1.0's `u8_width_linebreaks()`; `linebreak.txt` holds
libunistring's class and width tables (devtools/linebreak_table.py writes it). The tests
compare it with msgcat over many generated strings.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cache, lru_cache
from importlib import resources

PAGE_WIDTH = 79
"""gettext's default page width (msgcat -w)."""

_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v"}

# libunistring's pair table (lbrktables.c): the break between a character of the row's class
# and one of the column's. D: direct break, I: only after spaces, P: prohibited.
_COLUMNS = [
    "WJ",
    "GL",
    "B2",
    "BA",
    "BB",
    "HY",
    "CL",
    "CP1",
    "CP2",
    "EX",
    "IN",
    "NS",
    "OP1",
    "OP2",
    "QU",
    "IS",
    "NU",
    "PO",
    "PR",
    "SY",
    "AL",
    "H2",
    "H3",
    "ID1",
    "ID2",
    "JL",
    "JV",
    "JT",
    "HL",
    "RI",
    "ZWJ",
    "EB",
    "EM",
]
_ROWS = {
    "WJ": "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",
    "GL": "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",
    "B2": "PIPIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "BA": "PDDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "BB": "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",
    "HY": "PDDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD",
    "CL": "PIDIDIPPPPIPDDIPDIIPDDDDDDDDDDDDD",
    "CP1": "PIDIDIPPPPIIDDIPIIIPIDDDDDDDIDIDD",
    "CP2": "PIDIDIPPPPIIDDIPDIIPDDDDDDDDDDDDD",
    "EX": "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "IN": "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "NS": "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "OP1": "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",
    "OP2": "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",
    "QU": "PIIIIIPPPPIIPPIPIIIPIIIIIIIIIIIII",
    "IS": "PIDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD",
    "NU": "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",
    "PO": "PIDIDIPPPPIIIIIPIDDPIDDDDDDDIDIDD",
    "PR": "PIDIDIPPPPIIIIIPIDDPIIIIIIIIIDIII",
    "SY": "PIDIDIPPPPIIDDIPIDDPDDDDDDDDIDDDD",
    "AL": "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",
    "H2": "PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD",
    "H3": "PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD",
    "ID1": "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD",
    "ID2": "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI",
    "JL": "PIDIDIPPPPIIDDIPDIDPDIIDDIIDDDDDD",
    "JV": "PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD",
    "JT": "PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD",
    "HL": "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",
    "RI": "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "ZWJ": "PIDIDIPPPPIIIDIPIIIPIDDIIDDDIDIII",
    "EB": "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI",
    "EM": "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD",
}
_PAIRS = {(row, col): cells[i] for row, cells in _ROWS.items() for i, col in enumerate(_COLUMNS)}
_MANDATORY = {"BK", "LF", "CR"}


@cache
def _tables() -> tuple[list[int], list[str], list[int], list[int]]:
    """libunistring's tables, read once, on the first string that is wrapped."""
    text = resources.files(__package__).joinpath("linebreak.txt").read_text(encoding="utf-8")
    class_starts: list[int] = []
    classes: list[str] = []
    width_starts: list[int] = []
    widths: list[int] = []
    section = None
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line
            continue
        start, value = line.split()
        if section == "[classes]":
            class_starts.append(int(start, 16))
            classes.append(value)
        else:
            width_starts.append(int(start, 16))
            widths.append(int(value))
    return class_starts, classes, width_starts, widths


@lru_cache(maxsize=8192)  # a catalog uses a few hundred distinct characters, over and over
def line_break_class(char: str) -> str:
    code = ord(char)
    if 0xAC00 <= code <= 0xD7A3:
        return "H2" if (code - 0xAC00) % 28 == 0 else "H3"
    starts, classes, _, _ = _tables()
    return classes[bisect_right(starts, code) - 1]


@lru_cache(maxsize=8192)
def column_width(char: str) -> int:
    """Columns a character takes (uc_width): 2 for wide, 0 for combining, -1 for controls."""
    _, _, starts, widths = _tables()
    return widths[bisect_right(starts, ord(char)) - 1]


def break_opportunities(text: str) -> list[bool | None]:
    """Per character: True where a line may break before it, None where it must (after a
    mandatory break character), False where it may not (u8_possible_linebreaks)."""
    result: list[bool | None] = []
    prev = last = "BK"  # the class of the previous character; of the last non-space one
    seen_space = False
    ri_count = 0
    for char in text:
        prop = line_break_class(char)
        if prop in _MANDATORY:
            result.append(None)
            prev, last, seen_space = prop, "BK", False
            ri_count = 0
            continue
        if prop == "SP":
            result.append(False)
            seen_space = True
        elif prop == "ZW":
            result.append(False)
            last, seen_space = "ZW", False
        elif prop in ("CM", "ZWJ"):
            if last == "BK":
                result.append(False)
                last, seen_space = "AL", False
            elif last == "ZW" or seen_space:
                result.append(True)
                last, seen_space = "AL", False
            else:
                result.append(False)  # X CM is treated as X
        else:
            result.append(_pair_break(prev, last, prop, seen_space, ri_count))
            last, seen_space = prop, False
        prev = "HL_BA" if prev == "HL" and prop in ("HY", "BA") else prop
        ri_count = ri_count + 1 if prop == "RI" else 0
    return result


def _pair_break(prev: str, last: str, prop: str, seen_space: bool, ri_count: int) -> bool:
    if last == "BK":
        return False
    if last == "ZW":
        return True
    if prev == "ZWJ":
        return False
    if last == "RI" and prop == "RI":
        return seen_space or ri_count % 2 == 0
    if prev == "HL_BA":
        return False
    cell = _PAIRS[(last, prop)]
    return cell == "D" or (cell == "I" and seen_space)


def width_breaks(
    text: str, width: int, start_column: int, overrides: list[bool | None]
) -> list[bool]:
    """Where to break `text` so that no line is wider than `width` columns, breaking as late
    as possible (u8_width_linebreaks); `overrides[i]` False forbids a break before char i."""
    possible = break_opportunities(text)
    breaks = [False] * len(text)
    last_break = None
    last_column = start_column
    piece_width = 0
    for i, char in enumerate(text):
        here = possible[i]
        if overrides[i] is False:
            here = False
        ends_piece = here is None or here
        if ends_piece and last_break is not None and last_column + piece_width > width:
            breaks[last_break] = True
            last_column = 0
        if here is None:
            last_break, last_column, piece_width = None, 0, 0
            continue
        if here:
            last_break = i
            last_column += piece_width
            piece_width = 0
        columns = column_width(char)
        if columns >= 0:
            piece_width += columns
    if last_break is not None and last_column + piece_width > width:
        breaks[last_break] = True
    return breaks


def wrap_string(
    keyword: str,
    value: str,
    *,
    prefix: str = "",
    directives: list[tuple[int, int]] = (),
    wrap: bool = True,
    page_width: int = PAGE_WIDTH,
) -> list[str]:
    """The lines gettext writes for `keyword "value"`, each with `prefix` ("#| ", "#~ ").

    `directives` are (start, end) spans of format directives in `value` (end exclusive):
    gettext never breaks inside one. `wrap=False` is the entry's `no-wrap` flag.
    """
    # Kept: a save writes the whole catalog again, every entry but one as it was.
    return list(_wrapped(keyword, value, prefix, tuple(directives), wrap, page_width))


@lru_cache(maxsize=8192)
def _wrapped(
    keyword: str,
    value: str,
    prefix: str,
    directives: tuple[tuple[int, int], ...],
    wrap: bool,
    page_width: int,
) -> tuple[str, ...]:
    inside_directive = [False] * len(value)
    for start, end in directives:
        for i in range(start + 1, end):
            inside_directive[i] = True
    lines: list[str] = []
    after_break = len(prefix) + 1
    width = (page_width if wrap else 2**31 - 1) - 1 - after_break
    first_line = True
    position = 0
    while True:
        end = value.find("\n", position)
        end = len(value) if end < 0 else end + 1
        portion, overrides = _escaped(value, position, end, inside_directive)
        more = end < len(value)
        start_column = len(prefix) + len(keyword) + 2 - after_break if first_line else 0
        breaks = width_breaks(portion, width, start_column, overrides)
        if first_line and portion and (more or start_column > width or any(breaks)):
            lines.append(f'{prefix}{keyword} ""')
            first_line = False
            breaks = width_breaks(portion, width, 0, overrides)
        head = f"{prefix}{keyword} " if first_line else prefix
        first_line = False
        line_start = 0
        for i, brk in enumerate(breaks):
            if brk:
                lines.append(f'{head}"{portion[line_start:i]}"')
                head, line_start = prefix, i
        lines.append(f'{head}"{portion[line_start:]}"')
        position = end
        if position >= len(value):
            return tuple(lines)


def _escaped(
    value: str, start: int, end: int, inside_directive: list[bool]
) -> tuple[str, list[bool | None]]:
    """value[start:end] as it is written between quotes, with the break overrides per char."""
    out: list[str] = []
    overrides: list[bool | None] = []
    for i in range(start, end):
        char = value[i]
        first: bool | None = False if inside_directive[i] else None
        if char in _ESCAPES:
            out += ["\\", _ESCAPES[char]]
            overrides += [first, False]
        elif char in '\\"':
            out += ["\\", char]
            overrides += [first, False]
        else:
            out.append(char)
            overrides.append(first)
    if end > start and value[end - 1] == "\n":
        overrides[-2] = False  # no break just before the final \n
    return "".join(out), overrides
