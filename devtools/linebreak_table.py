"""Write leaflets/i18n/linebreak.txt: the Unicode line-break classes and column widths that
GNU gettext wraps PO files with, read from this machine's GNU libunistring.

msgcat, msgmerge and Poedit-compatible tools wrap a PO string where libunistring's
`ulc_width_linebreaks` allows a break (UAX #14 with libunistring's own tailoring) and count
columns with its `uc_width`. leaflets writes catalogs the same way without needing gettext, so
it carries the same two tables. Run this after a libunistring upgrade changes them:

    python devtools/linebreak_table.py            # writes leaflets/i18n/linebreak.txt
    python devtools/linebreak_table.py --check    # exit 1 if the shipped table differs

It reads the tables through ctypes (`libunistring_unilbrkprop` is exported by libunistring.so.2,
layout as in gnulib's lib/unilbrk/lbrkprop1.h of 2022, libunistring 1.0).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent / "leaflets" / "i18n" / "linebreak.txt"

# libunistring 1.0's LBP_* values (lib/unilbrk/lbrktables.h).
NAMES = {
    0: "WJ", 1: "GL", 2: "B2", 3: "BA", 4: "BB", 5: "HY", 6: "CL", 7: "CP1", 8: "CP2", 9: "EX",
    10: "IN", 11: "NS", 12: "OP1", 13: "OP2", 14: "QU", 15: "IS", 16: "NU", 17: "PO", 18: "PR",
    19: "SY", 20: "AL", 21: "H2", 22: "H3", 23: "ID1", 24: "ID2", 25: "JL", 26: "JV", 27: "JT",
    28: "HL", 29: "RI", 30: "ZWJ", 31: "EB", 32: "EM", 33: "BK", 34: "CR", 35: "LF", 36: "CM",
    37: "ZW", 38: "SP", 39: "CB", 40: "AI", 41: "SA", 42: "XX",
}  # fmt: skip
# Resolved as u8_possible_linebreaks does for a UTF-8 (not CJK) encoding.
RESOLVED = {"AI": "AL", "SA": "AL", "XX": "AL", "CB": "ID1"}
HANGUL = range(0xAC00, 0xD7A4)  # H2 or H3 by arithmetic: leaflets computes these itself


class _LineBreakProperty(ctypes.Structure):
    _fields_ = [
        ("level1", ctypes.c_int * 15),
        ("level2", ctypes.c_int * (4 << 9)),
        ("level3", ctypes.c_ubyte * (246 << 7)),
    ]


def _tables() -> tuple[list[tuple[int, str]], list[tuple[int, int]]]:
    lib = ctypes.CDLL(ctypes.util.find_library("unistring") or "libunistring.so.2")
    prop = _LineBreakProperty.in_dll(lib, "libunistring_unilbrkprop")
    lib.uc_width.restype = ctypes.c_int
    lib.uc_width.argtypes = [ctypes.c_uint32, ctypes.c_char_p]

    def klass(uc: int) -> str:
        value = 42
        if (uc >> 16) < 15 and (one := prop.level1[uc >> 16]) >= 0:
            two = prop.level2[one + ((uc >> 7) & 511)]
            if two >= 0:
                value = prop.level3[two + (uc & 127)]
        name = RESOLVED.get(NAMES[value], NAMES[value])
        if uc in HANGUL:
            expected = "H2" if (uc - HANGUL.start) % 28 == 0 else "H3"
            assert name == expected, f"U+{uc:04X}: {name}, not {expected}"
            return "H2"
        return name

    classes: list[tuple[int, str]] = []
    widths: list[tuple[int, int]] = []
    for uc in range(0x110000):
        name, width = klass(uc), lib.uc_width(uc, b"UTF-8")
        if not classes or classes[-1][1] != name:
            classes.append((uc, name))
        if not widths or widths[-1][1] != width:
            widths.append((uc, width))
    return classes, widths


def table_text() -> str:
    classes, widths = _tables()
    lines = [
        "# Unicode line-break classes and column widths as GNU libunistring 1.0 gives them to",
        "# GNU gettext 0.21 (Unicode 14.0); written by devtools/linebreak_table.py, do not edit.",
        "# Each line: the first code point (hex) of a run, then its class or width.",
        "# Hangul syllables (AC00-D7A3) are H2 here; leaflets tells H2 from H3 by arithmetic.",
        "[classes]",
        *(f"{uc:x} {name}" for uc, name in classes),
        "[widths]",
        *(f"{uc:x} {width}" for uc, width in widths),
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    text = table_text()
    if "--check" in sys.argv:
        sys.exit(0 if TABLE.read_text(encoding="utf-8") == text else 1)
    TABLE.write_text(text, encoding="utf-8")
    print(f"wrote {TABLE} ({len(text.splitlines())} lines)")
