"""Text matching between HTML and layout: an element's text, and text folded for comparing.

Layout folds white space, adds list markers and hyphens, and may drop invisible format
characters at line breaks, so texts are compared with those folded away.
"""

from __future__ import annotations

import unicodedata
from typing import Any


def element_text(element: Any) -> str:
    """The text of an HTML element, without SVG (a QR code's <title> is not laid out as text)."""
    parts: list[str] = []

    def collect(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag.rpartition("}")[2] in ("svg", "style", "script", "template"):
            parts.append(node.tail or "")
            return
        parts.append(node.text or "")
        for child in node:
            collect(child)
        parts.append(node.tail or "")

    collect(element)
    parts[-1] = ""  # the element's own tail is outside it
    return "".join(parts)


def squash(text: str) -> str:
    # Layout folds white space and may drop invisible format characters at line breaks.
    return "".join(
        c
        for c in text
        if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp")
    )


def is_subsequence(needle: str, haystack: str) -> bool:
    """True when every character of `needle` appears in `haystack`, in order.

    Layout only adds text (list markers, hyphens at breaks), so laid-out text that is missing a
    character of the element's text was cut off.
    """
    rest = iter(haystack)
    return all(char in rest for char in needle)
