"""Passages in another language, and runs that keep their own direction, as HTML elements.

Three kinds of text in a leaflet are not in the leaflet's language, and a screen reader must
switch voices for them (PDF/UA: /Lang on the structure element; WeasyPrint's tagger copies the
element's `lang`, layout/weasyprint_adapters.py):

- a message with no usable translation prints in the source language. The renderer's gettext
  callables wrap such text in two noncharacters (U+FDD3, U+FDD4), which no catalog can carry
  (untrusted.py refuses them), so a translation cannot forge one; after rendering, marks in the
  page's text become `<span lang="en">` and marks anywhere else (attributes, the head, SVG) are
  dropped, because there is no element to put a language on;
- words a language's catalog keeps in another one, listed in leaflets.toml
  (`foreign_words = { en = ["Internal Revenue Code"] }`);
- values the templates pass as another language's (`| in_language("en")`: the SMS keyword).

In a right-to-left leaflet each of them is also `dir="ltr"`, so that WeasyPrint sets it as a
run of its own (bidi isolation): an English phrase, a phone number or an address keeps its
order inside Arabic text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping

from markupsafe import Markup, escape

FALLBACK_START, FALLBACK_END = "\ufdd3", "\ufdd4"
_FALLBACK = re.compile(f"[{FALLBACK_START}{FALLBACK_END}]")
_TOKEN = re.compile(r"(<[^>]*>)")
# Elements whose text is never laid out as text of the page.
HIDDEN = ("head", "svg", "title", "style", "script")


def mark_fallback(text: str) -> str:
    """A message printed in the source language, marked for `tag_passages`."""
    return f"{FALLBACK_START}{text}{FALLBACK_END}"


def page_text_parts(html: str) -> Iterator[tuple[str, bool]]:
    """(part, is page text) for every part of the HTML: tags (with their attributes) and the
    text of hidden elements are not page text."""
    hidden = 0
    for part in _TOKEN.split(html):
        if part.startswith("<"):
            name = re.match(r"</?\s*([A-Za-z][\w-]*)", part)
            tag = name.group(1).lower() if name else ""
            if tag in HIDDEN and not part.endswith("/>"):
                hidden += -1 if part.startswith("</") else 1
            yield part, False
        else:
            yield part, hidden <= 0


def map_page_text(html: str, page: Callable[[str], str], other: Callable[[str], str]) -> str:
    """The HTML with `page` applied to its page text and `other` to every other part."""
    return "".join(page(part) if text else other(part) for part, text in page_text_parts(html))


def span_open(lang: str | None, rtl_document: bool) -> str:
    """The opening tag of a passage: its language, and its own direction in an RTL leaflet."""
    attrs = (f' lang="{escape(lang)}"' if lang else "") + (' dir="ltr"' if rtl_document else "")
    return f"<span{attrs}>"


def in_language(value: str, lang: str, document_lang: str, rtl_document: bool) -> Markup:
    """`value` as a passage in `lang`; as it is when the leaflet is in that language."""
    if _primary(lang) == _primary(document_lang):
        return Markup(escape(value))
    return Markup(span_open(lang, rtl_document)) + escape(value) + Markup("</span>")


def tag_passages(
    html: str,
    source_lang: str,
    document_lang: str,
    rtl_document: bool,
    foreign_words: Mapping[str, tuple[str, ...]] | None = None,
) -> str:
    """Fallback marks → spans in the source language (dropped outside the page's text); the
    language's foreign words → spans in their language."""
    opening = span_open(source_lang, rtl_document)
    words = _words_pattern(foreign_words or {})

    def page(part: str) -> str:
        if words is not None:
            part = words[0].sub(lambda m: _word_span(m, words[1], rtl_document), part)
        return part.replace(FALLBACK_START, opening).replace(FALLBACK_END, "</span>")

    return map_page_text(html, page, lambda part: _FALLBACK.sub("", part))


def _words_pattern(foreign: Mapping[str, tuple[str, ...]]):
    """One pattern for every foreign phrase (longest first, whole words), and phrase → lang."""
    by_phrase = {
        str(escape(phrase)): lang for lang, phrases in foreign.items() for phrase in phrases
    }
    if not by_phrase:
        return None
    alternatives = "|".join(re.escape(p) for p in sorted(by_phrase, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), by_phrase


def _word_span(match: re.Match[str], by_phrase: dict[str, str], rtl_document: bool) -> str:
    return span_open(by_phrase[match.group(0)], rtl_document) + match.group(0) + "</span>"


def _primary(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()
