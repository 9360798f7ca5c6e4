"""Where each message prints: a second layout of the leaflet in which every translated string
sits in an element of its own, walked for the boxes of those elements.

While marking, the studio's translations wrap each string they return in noncharacters
(U+FDD0…U+FDD2), which no catalog can carry: the build refuses a translation that has one
(untrusted.py), so a translation cannot forge a mark. After rendering, marks in the text
become `<leaflets-msg data-m="N">` elements (an unknown element: inline, unstyled) and marks in
attributes, the <head> and SVG (alt text, link labels, the QR code's title) are dropped: those
messages are read aloud, not printed.

The page image comes from the unmarked layout, the one the build writes: an element boundary
splits HarfBuzz's shaping, which can move a glyph by a fraction of a pixel. The marked layout
uses the same type sizes, so its boxes land on the same lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from ..i18n.po.messages import MessageKey
from ..i18n.translations import Translations
from ..layout.passages import map_page_text
from ..layout.weasyprint_adapters import page_box
from .rendering import Box

if TYPE_CHECKING:
    from weasyprint.document import Document

START, SEP, END = "\ufdd0", "\ufdd1", "\ufdd2"
ELEMENT = "leaflets-msg"
_MARK = re.compile(f"{START}(\\d+){SEP}|{END}")


class StudioTranslations(Translations):
    """A language's translations that, while `marking()`, wrap every string they return in
    marks and remember which message each mark stands for (`calls[N]`)."""

    def __init__(self, base: Translations):
        super().__init__(**{f.name: getattr(base, f.name) for f in fields(Translations)})
        self.fallbacks = set()
        self.calls: list[MessageKey] = []
        self._marking = False

    @contextmanager
    def marking(self) -> Iterator[None]:
        self.calls.clear()
        self.fallbacks.clear()
        self._marking = True
        try:
            yield
        finally:
            self._marking = False

    def _note(self, key: MessageKey, text: str) -> str:
        if not self._marking:
            return text
        self.calls.append(key)
        return f"{START}{len(self.calls) - 1}{SEP}{text}{END}"

    def _lookup(self, key: MessageKey, default: str) -> str:
        return self._note(key, super()._lookup(key, default))

    def _plural(self, key: MessageKey, singular: str, plural: str, n: int) -> str:
        return self._note(key, super()._plural(key, singular, plural, n))


def to_elements(html: str) -> str:
    """Marks in the page's text → <leaflets-msg> elements; marks anywhere else removed."""
    return map_page_text(
        html, lambda part: _MARK.sub(_element, part), lambda part: _MARK.sub("", part)
    )


def _element(match: re.Match[str]) -> str:
    return f'<{ELEMENT} data-m="{match.group(1)}">' if match.group(1) else f"</{ELEMENT}>"


def message_boxes(document: Document, calls: list[MessageKey]) -> dict[MessageKey, list[Box]]:
    """Each message's boxes in the marked layout, clipped to the region that holds it (text a
    panel hides is not on the page)."""
    found: dict[MessageKey, list[Box]] = {}
    for number, page in enumerate(document.pages, start=1):
        width, height = page.width, page.height
        marked = _marked_boxes(page_box(page), (0.0, 0.0, width, height))
        for order, (box, clip) in enumerate(marked):
            index = int(box.element.get("data-m", -1))
            if not 0 <= index < len(calls):
                continue
            rect = _clipped(
                (box.position_x, box.position_y, box.margin_width(), box.margin_height()), clip
            )
            if rect is None:
                continue
            x, y, w, h = rect
            boxes = found.setdefault(calls[index], [])
            new = Box(number, x / width, y / height, w / width, h / height, order)
            if new not in boxes:
                boxes.append(new)
    return found


def _marked_boxes(box: Any, clip: tuple[float, float, float, float]) -> Iterator[tuple[Any, Any]]:
    element = getattr(box, "element", None)
    own = element is not None and getattr(box, "element_tag", None) == element.tag
    if own and element.get("data-region"):
        region = (box.border_box_x(), box.border_box_y(), box.border_width(), box.border_height())
        clip = _clipped(region, clip) or (0.0, 0.0, 0.0, 0.0)
    if own and element.tag == ELEMENT:
        yield box, clip
    for child in getattr(box, "children", ()):
        # A marked element's text boxes share its element: its own box covers them.
        if not (own and element.tag == ELEMENT and getattr(child, "element", None) is element):
            yield from _marked_boxes(child, clip)


def _clipped(rect, clip) -> tuple[float, float, float, float] | None:
    x0, y0 = max(rect[0], clip[0]), max(rect[1], clip[1])
    x1 = min(rect[0] + rect[2], clip[0] + clip[2])
    y1 = min(rect[1] + rect[3], clip[1] + clip[3])
    if x1 - x0 < 0.5 or y1 - y0 < 0.5:
        return None
    return (x0, y0, x1 - x0, y1 - y0)
