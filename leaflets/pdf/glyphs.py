"""Glyphs from the declared fonts only, and none missing: the audit's font rules.

A character that none of a language's declared fonts has is drawn by Pango from whatever the
machine has (DejaVu Sans on Debian), and on a machine without it, as a box: the leaflet would
print differently elsewhere. WeasyPrint names each embedded font's family in its descriptor
(/FontFamily: the @font-face name for a packaged font, the system's name for a fallback), and
writes the glyphs no font has with an encoding that maps them to .notdef (glyph 0). The
characters come from the font's /ToUnicode map. Only small streams are read, and only for a
font that breaks a rule, so the check costs next to nothing on a good PDF.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence

import pikepdf

from ..i18n.po.messages import shortened

_PAIR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_CIDCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s+(\d+)")
_BLOCK = re.compile(rb"begin(bf|cid)char(.*?)end\1char", re.DOTALL)
SHOWN_CHARACTERS = 8


PrintedTexts = Sequence[tuple[str, str]]
"""(msgid, a text it printed as), in the catalog's order: handed to the audit by the build, so
that a message can name the msgid whose translation brought a stray character."""


def font_glyph_findings(
    font: pikepdf.Object,
    declared: frozenset[str] | None,
    lang: str | None,
    printed: PrintedTexts = (),
) -> Iterator[tuple[str, str]]:
    """(code, message) for a font not declared for the language, and for missing glyphs."""
    descendant = (font.get("/DescendantFonts") or [font])[0]
    descriptor = descendant.get("/FontDescriptor") or {}
    family = str(descriptor.get("/FontFamily", "")) or _base_family(font)
    in_lang = f" in the {lang} text" if lang else ""
    if declared is not None and family not in declared:
        chars = sorted(set("".join(_to_unicode(font).values())) - {" ", "\u00a0"})
        shown = ", ".join(sorted(declared))
        yield (
            "font-undeclared",
            f"{describe(chars)}{in_lang}{_where(chars, printed)} came from "
            f"{family or 'an unnamed font'}, a font "
            f"leaflets.toml does not declare (declared: {shown}); declare a font family that "
            "has them, or change the text",
        )
    missing = _notdef_codes(font)
    if missing:
        names = _to_unicode(font)
        chars = sorted({names.get(code, "") for code in missing} - {""})
        yield (
            "glyph-missing",
            f"{describe(chars) if chars else f'{len(missing)} character(s)'}{in_lang}"
            f"{_where(chars, printed)} print as a box (.notdef): no declared font has them",
        )


def describe(chars: list[str]) -> str:
    """Characters as a message shows them: “ب” (U+0628 ARABIC LETTER BEH), a few at most."""
    shown = [
        f"“{c}” (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})"
        for c in chars[:SHOWN_CHARACTERS]
        if len(c) == 1
    ]
    more = f" and {len(chars) - SHOWN_CHARACTERS} more" if len(chars) > SHOWN_CHARACTERS else ""
    return "the characters " + ", ".join(shown) + more


def _where(chars: list[str], printed: PrintedTexts) -> str:
    """' (msgid "…")': the first message whose text has any of `chars`; "" when none has
    (they come from a template or the configuration)."""
    for msgid, text in printed:
        if any(char in text for char in chars):
            return f' (msgid "{shortened(msgid)}")'
    return ""


def _base_family(font: pikepdf.Object) -> str:
    name = str(font.get("/BaseFont", "")).lstrip("/")
    return name.split("+", 1)[-1]


def _to_unicode(font: pikepdf.Object) -> dict[int, str]:
    """Character code → text, from the font's /ToUnicode (WeasyPrint writes bfchar pairs)."""
    stream = font.get("/ToUnicode")
    if not isinstance(stream, pikepdf.Stream):
        return {}
    result = {}
    for kind, block in _BLOCK.findall(stream.read_bytes()):
        if kind != b"bf":
            continue
        for code, text in _PAIR.findall(block):
            try:
                result[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
            except (ValueError, UnicodeDecodeError):
                continue
    return result


def _notdef_codes(font: pikepdf.Object) -> list[int]:
    """Codes that an embedded encoding CMap sends to glyph 0 (WeasyPrint's missing glyphs)."""
    encoding = font.get("/Encoding")
    if not isinstance(encoding, pikepdf.Stream):
        return []
    codes = []
    for kind, block in _BLOCK.findall(encoding.read_bytes()):
        if kind == b"cid":
            codes += [int(code, 16) for code, cid in _CIDCHAR.findall(block) if cid == b"0"]
    return codes
