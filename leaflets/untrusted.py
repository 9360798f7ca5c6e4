"""Characters no printed text may carry, and how a message shows text that has them.

Catalogs are edited by people outside the team. Markup and URLs in a translation are harmless:
render.py escapes every translation, so they print as text. Some characters are not harmless,
and a catalog that has them is rejected with a CatalogError at the entry's line:

- control characters (U+0000–U+001F, U+007F–U+009F) other than tab and line breaks: they print
  as nothing or as a box, and can hide text from a reviewer;
- bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder
  text visually, so a phone number could print with its digits reversed;
- noncharacters (U+FDD0–U+FDEF and U+xFFFE, U+xFFFF).

Right-to-left letters, combining marks and the plain direction marks U+200E and U+200F are
allowed: they are text.

The same rule holds for contacts.toml, leaflets.toml, order files and the job ticket. And an
error message that quotes a name from such a file (a key, a file name) shows it through
`shown()`, so that an escape sequence in it cannot reach the terminal.
"""

from __future__ import annotations

import unicodedata

ALLOWED_CONTROLS = frozenset("\t\n\r")
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def forbidden_characters(text: str) -> list[str]:
    """The forbidden characters in `text`, as "U+0007 (BELL)", each once, in order."""
    found: list[str] = []
    for char in text:
        code = ord(char)
        bad = (
            (unicodedata.category(char) == "Cc" and char not in ALLOWED_CONTROLS)
            or char in BIDI_CONTROLS
            or unicodedata.category(char) == "Cs"
            or 0xFDD0 <= code <= 0xFDEF
            or code & 0xFFFE == 0xFFFE
        )
        if bad:
            kind = "control character" if unicodedata.category(char) == "Cc" else "noncharacter"
            name = unicodedata.name(char, "") or _CONTROL_NAMES.get(code, kind)
            label = f"U+{code:04X} ({name})"
            if label not in found:
                found.append(label)
    return found


def shown(text: str) -> str:
    """`text` for a message: any character that is not printable as itself written as an
    escape (\x1b, \u202e), the rest as it is."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def shown_lines(text: str) -> str:
    """`text` for a message of several lines: each line through shown(), the breaks kept."""
    return "\n".join(shown(line) for line in text.split("\n"))


_CONTROL_NAMES = {0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x1B: "ESCAPE", 0x7F: "DELETE"}
