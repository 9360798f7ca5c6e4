"""WeasyPrint 70.0 as leaflets uses it: where leaflets reaches into WeasyPrint's internals, and
the one module that imports WeasyPrint. The other modules take WeasyPrint's classes from here,
so every import of WeasyPrint loads it quickly and with the tagger wrapped.

Written for WeasyPrint 70.0 (pyproject.toml pins weasyprint==70.0). Each adapter relies on
something 70.0 does; tests/pdf/test_weasyprint_gaps.py and tests/pdf/test_tagged_text.py fail
when a new version changes it under them. Outside this module only layout/harfbuzz.py knows
WeasyPrint's ways (which HarfBuzz it loads, for the cache key without WeasyPrint).

- **Quick loading**, when this module is imported. WeasyPrint tries several names for each
  system library (weasyprint/text/ffi.py); for each name that is not a loadable file, cffi calls
  ctypes.util.find_library, which on Linux runs ldconfig, gcc and ld in subprocesses: some fifty
  of them, a third of the import (~0.2 s). Every list of names ends with the library's soname
  (libpango-1.0.so.0…), which dlopen finds by itself, so the search is off while WeasyPrint
  loads, and on again after; if a library is only found by the search, the import runs again the
  slow way.
- **The tagger** (weasyprint/pdf/tags.py's `add_tags` and `_build_box_tree`, wrapped when this
  module is imported). WeasyPrint builds the PDF's structure tree from the laid-out boxes, one
  element per box and page and one Span per line, and leaves out what the post-processor
  (pdf/postprocess.py) and a screen reader need. The wrapper only adds keys:
  - identity: each structure element gets `/LeafletsNode` (its HTML element's number, in the
    order the tagger meets them; the fragments of one element on several pages or columns share
    it) and, for an element with an id, `/LeafletsId`. The post-processor finds the reading
    order's regions by id and joins an element split by a page break, then removes both keys;
  - language: an element's `lang` becomes its `/Lang`;
  - text that reads right: each line's Span gets `/ActualText`, the line's text in logical
    order, with a word space where the line break took one out, whenever the content alone
    would not read right: at a line join ("Learn the" + "facts"), and for right-to-left or
    shaped text, whose glyphs are drawn in visual order and which WeasyPrint's /ToUnicode maps
    per glyph. The line joins are found in the laid-out boxes (`formatting_structure.boxes`).
- **The box tree**: `page_box()` is a page's laid-out boxes (`Page._page_box`; 70.0 has no
  public way to them), which layout/measure.py and the studio walk.
- **WeasyPrint's sRGB profile** (weasyprint/pdf/sRGB2014.icc), which the press edition maps
  DeviceRGB to, as WeasyPrint's own PDF/X output does.
- **The engine's subsetter**: whether WeasyPrint, as loaded, subsets fonts with HarfBuzz
  (`weasyprint.text.ffi`), for `leaflets doctor`.
"""

from __future__ import annotations

import ctypes.util
import sys
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from .harfbuzz import HARFBUZZ_MIN

_find_library = ctypes.util.find_library
if sys.platform.startswith("linux"):
    ctypes.util.find_library = lambda name: None
try:
    import weasyprint
except OSError:
    # A library only find_library knows where to find: import the slow way.
    ctypes.util.find_library = _find_library
    import weasyprint
finally:
    ctypes.util.find_library = _find_library

import pydyf  # noqa: E402  (WeasyPrint's PDF writer: the tagger's objects)
import weasyprint.pdf  # noqa: E402
import weasyprint.pdf.tags as wp_tags  # noqa: E402
from weasyprint import CSS, HTML, URLFetcher  # noqa: E402
from weasyprint.document import Document, Page  # noqa: E402
from weasyprint.formatting_structure import boxes  # noqa: E402
from weasyprint.layout.absolute import AbsolutePlaceholder  # noqa: E402
from weasyprint.text import ffi  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import URLFetcherResponse  # noqa: E402

__all__ = [
    "CSS",
    "HTML",
    "Document",
    "FontConfiguration",
    "URLFetcher",
    "URLFetcherResponse",
    "page_box",
    "srgb_profile",
    "subsetter",
]

NODE_KEY = "LeafletsNode"
ID_KEY = "LeafletsId"
# A line that ends with one of these goes on without a space: a hyphen or a dash.
JOINS_WITHOUT_SPACE = "-\u00ad\u2010\u2011\u2012\u2013\u2014\u2015/"
# Inline elements: one set as a block still reads on from its paragraph.
_INLINE_TAGS = frozenset({"a", "span", "strong", "em", "b", "i", "bdi", "small"})
# Bidi classes of text whose glyphs are drawn in visual order or shaped.
_RTL_CLASSES = frozenset({"R", "AL", "AN"})


def page_box(page: Page) -> Any:
    """The page's laid-out box tree."""
    return page._page_box


def srgb_profile() -> bytes:
    """The ICC profile WeasyPrint writes for sRGB."""
    return (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()


def subsetter() -> str:
    """How WeasyPrint, as loaded, subsets fonts: "harfbuzz", or why not: "no libharfbuzz-subset",
    "old harfbuzz" (older than 4.1.0: weasyprint/pdf/fonts.py's test)."""
    if ffi.harfbuzz_subset is None:
        return "no libharfbuzz-subset"
    return "harfbuzz" if ffi.harfbuzz.hb_version_atleast(*HARFBUZZ_MIN) else "old harfbuzz"


# ---------------------------------------------------------------- the tagger


@dataclass
class _Tagging:
    """State of one add_tags() call."""

    nodes: dict[Any, int] = field(default_factory=dict)
    """HTML element → its number."""
    page_marks: dict[int, dict[int, Any]] = field(default_factory=dict)
    """Page number → MCID → the box drawn in that marked content."""
    space_after: set[int] = field(default_factory=set)
    """id() of the text boxes after which a line break took a word space out."""

    def node(self, element: Any) -> int:
        return self.nodes.setdefault(element, len(self.nodes))


_active: list[_Tagging] = []


def _wrap_tagger() -> None:
    """Wrap WeasyPrint's tagger (once per process)."""
    if getattr(wp_tags.add_tags, "leaflets", False):
        return
    original_add, original_build = wp_tags.add_tags, wp_tags._build_box_tree

    def add_tags(pdf, document, pdf_version, page_streams):
        with _tagging(document) as state:
            for number, stream in enumerate(page_streams):
                state.page_marks[number] = {v["mcid"]: box for box, v in stream._tags.items()}
            return original_add(pdf, document, pdf_version, page_streams)

    def build_box_tree(box, parent, pdf, page_number, nums, annotations, tags):
        for element in original_build(box, parent, pdf, page_number, nums, annotations, tags):
            if _active:
                _annotate(_active[-1], element, box, pdf, page_number)
            yield element

    add_tags.leaflets = True  # type: ignore[attr-defined]
    add_tags.original = original_add  # type: ignore[attr-defined]
    build_box_tree.original = original_build  # type: ignore[attr-defined]
    wp_tags.add_tags = add_tags
    wp_tags._build_box_tree = build_box_tree
    weasyprint.pdf.add_tags = add_tags


@contextmanager
def _tagging(document):
    state = _Tagging()
    state.space_after = _line_joins(document)
    _active.append(state)
    try:
        yield state
    finally:
        _active.remove(state)


def _own_element(box) -> Any | None:
    """The HTML element a box stands for, None for the page, <html> and <body> (which the
    tagger passes through) and margin boxes."""
    if isinstance(box, AbsolutePlaceholder):
        box = box._box
    if isinstance(box, (boxes.PageBox, boxes.MarginBox)) or box.element is None:
        return None
    if box.element_tag in ("html", "body"):
        return None
    return box.element


def _annotate(state: _Tagging, element, box, pdf, page_number: int) -> None:
    html = _own_element(box)
    if html is None or NODE_KEY in element:
        return
    element[NODE_KEY] = state.node(html)
    if html.get("id"):
        element[ID_KEY] = pydyf.String(html.get("id"))
    if html.get("lang"):
        element["Lang"] = pydyf.String(html.get("lang"))
    marks = state.page_marks.get(page_number, {})
    direct = [kid for kid in element["K"] if isinstance(kid, int)]
    if element["S"] == "/Link" and len(direct) == 1:
        _actual_text(state, element, marks.get(direct[0]))
    for kid in element["K"]:
        if not isinstance(kid, bytes):
            continue
        child = pdf.objects[int(kid.split()[0])]
        inner = child.get("K") if isinstance(child, pydyf.Dictionary) else None
        if child.get("S") == "/Span" and NODE_KEY not in child and inner and len(inner) == 1:
            _actual_text(state, child, marks.get(inner[0]))


def _actual_text(state: _Tagging, element, box) -> None:
    text = getattr(box, "text", None)
    if not text:
        return
    spaced = id(box) in state.space_after
    if spaced or needs_actual_text(text, box.style["direction"]):
        element["ActualText"] = pydyf.String(text + (" " if spaced else ""))


def needs_actual_text(text: str, direction: str) -> bool:
    """Whether a line's content alone may not read as its text: right-to-left or shaped text."""
    return direction == "rtl" or any(
        unicodedata.bidirectional(char) in _RTL_CLASSES or unicodedata.combining(char)
        for char in text
    )


# ---------------------------------------------------------------- line joins


def _line_joins(document) -> set[int]:
    """id() of each text box that ends a line where the break took a word space out, found in
    the laid-out boxes: lines of one block, in order, across columns and pages."""
    lines: dict[Any, list[list[Any]]] = {}
    for page in document.pages:
        _collect_lines(page_box(page), lines, 0)
    spaced: set[int] = set()
    for element, block_lines in lines.items():
        if element is None:  # a margin box's generated text (page numbers)
            continue
        source = " ".join(_source_text(element).split())
        for before, after in zip(block_lines, block_lines[1:], strict=False):
            if before and after and takes_space(before[-1].text, after[0].text, source):
                spaced.add(id(before[-1]))
    return spaced


def _source_text(element, depth: int = 0) -> str:
    """An element's text as written, a line break (<br>) counted as the space it reads as."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag.rpartition("}")[2] == "br":
            parts.append(" ")
        elif depth < 100:
            parts.append(_source_text(child, depth + 1))
        parts.append(child.tail or "")
    return "".join(parts)


def _collect_lines(box, lines: dict[Any, list[list[Any]]], depth: int, owner=None) -> None:
    """The lines of each block, by its element (`owner`): an inline element set as a block
    (the cover's phone link) goes on its paragraph's lines, as it reads on from them."""
    if isinstance(box, AbsolutePlaceholder):
        box = box._box
    if depth > 200:
        return
    if owner is None or box.element_tag not in _INLINE_TAGS:
        owner = box.element
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.LineBox):
            texts = [t for t in _text_boxes(child) if t.text.strip()]
            lines.setdefault(owner, []).append(texts)
            # An inline block (the flyer's office columns) holds lines of its own.
            for block in _inline_blocks(child):
                _collect_lines(block, lines, depth + 1)
        else:
            _collect_lines(child, lines, depth + 1, owner)


def _inline_blocks(box) -> list[Any]:
    found = []
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.InlineBlockBox):
            found.append(child)
        elif isinstance(child, boxes.InlineBox):
            found.extend(_inline_blocks(child))
    return found


def _text_boxes(box) -> list[Any]:
    found = []
    for child in box.children:
        if isinstance(child, boxes.TextBox):
            found.append(child)
        elif isinstance(child, boxes.InlineBox):
            found.extend(_text_boxes(child))
    return found


def takes_space(before: str, after: str, source: str) -> bool:
    """Whether a reader needs a word space between two lines: not after a hyphen or a dash,
    not between two characters of a script written without spaces, and not where the break
    split one word (a long word broken to fit, which the source text has whole)."""
    if not before or not after or before[-1].isspace() or after[0].isspace():
        return False
    if before[-1] in JOINS_WITHOUT_SPACE:
        return False
    if _unspaced(before[-1]) and _unspaced(after[0]):
        return False
    tail, head = before.split()[-1], after.split()[0]
    return not (tail + head in source and f"{tail} {head}" not in source)


def _unspaced(char: str) -> bool:
    """A character of a script written without word spaces (Han, kana, Thai and the like)."""
    return unicodedata.east_asian_width(char) in ("W", "F") or "\u0e00" <= char <= "\u0eff"


_wrap_tagger()  # structure elements that say which HTML element they stand for
