"""Translated text inside CSS: a page label such as "Page 2 of 4" in a page's margin box.

A margin box's text can only come from CSS `content`, so the translated label, which is
untrusted, becomes CSS strings and counters. The template formats the message with the two
sentinels below in place of the placeholders; both are noncharacters, which untrusted.py
refuses in every catalog, so a translation cannot forge a counter. Every other character is
written as a CSS hex escape: no quote, backslash, line break or `</style>` in a translation
can end the string or the style element.
"""

from __future__ import annotations

import re

from markupsafe import Markup

PAGE, PAGES = "\ufdd5", "\ufdd6"
"""Stand-ins for the current page number and the page count."""
COUNTERS = {PAGE: "counter(page)", PAGES: "counter(pages)"}
# The fallback marks (passages.py) are noncharacters too; none has a place in CSS.
_NONCHARACTERS = re.compile("[\ufdd0-\ufdef]")
_SPLIT = re.compile(f"([{PAGE}{PAGES}])")


def css_string(text: str) -> str:
    """`text` as a quoted CSS string: letters and digits as they are, the rest escaped."""
    return (
        '"' + "".join(c if c.isascii() and c.isalnum() else f"\\{ord(c):06x}" for c in text) + '"'
    )


def page_label_content(label: str) -> Markup:
    """A CSS `content` value for a label formatted with PAGE and PAGES: strings and counters.

    `label` is the HTML-escaped Markup the template's gettext returns; it is unescaped here,
    because CSS is not HTML."""
    text = Markup(label).unescape() if isinstance(label, Markup) else str(label)
    parts = []
    for piece in _SPLIT.split(text):
        if piece in COUNTERS:
            parts.append(COUNTERS[piece])
        else:
            piece = _NONCHARACTERS.sub("", piece)
            if piece:
                parts.append(css_string(piece))
    return Markup(" ".join(parts) or '""')
