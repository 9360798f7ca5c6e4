"""The pseudo-locale: English rewritten as accented, bracketed text about 35 % wider.

`leaflets build --lang qps` (or `en-XA`) needs no catalog. Every string that goes through
gettext comes out as `[Ţŕàƒƒîçķîñğ îš möðéŕñ-ðàý šļàvéŕý ········ ··]`, so two things show:

- text that reaches the page without a catalog has no brackets (`untranslated_text` finds it);
- a layout without room for longer languages overflows.

Accented letters are taken only where the leaflets' typeface has them, so nothing prints as a
missing-glyph box; letters without a covered accented form stay as they are.
"""

from __future__ import annotations

import re
from functools import cache

from fontTools.ttLib import TTFont

from ..config.fonts import font_files
from ..config.model import Language, Project
from .po.messages import MessageKey
from .translations import Translations

PSEUDO_CODES = ("qps", "en-XA")
EXPANSION = 0.35
"""How much wider the pseudo text is than the English, measured in the typeface's advances."""
OPEN, CLOSE = "[", "]"
PAD = "·"

# Preferred look-alikes, best first; the first one the typeface covers is used.
_PREFERENCES = {
    "a": "àáâäå", "b": "ƀ", "c": "çćč", "d": "ðďđ", "e": "éèêë", "f": "ƒ", "g": "ĝğġ",
    "h": "ĥħ", "i": "îíìï", "j": "ĵ", "k": "ķ", "l": "ļľł", "m": "ɱ", "n": "ñńň", "o": "öôóò",
    "p": "þ", "q": "ǫ", "r": "ŕř", "s": "šśş", "t": "ŧţť", "u": "ûúùü", "v": "ṽ", "w": "ŵ",
    "x": "ẋ", "y": "ýÿ", "z": "žźż",
    "A": "ÀÁÂÄ", "B": "Ɓ", "C": "ÇĆČ", "D": "ÐĎĐ", "E": "ÉÈÊË", "F": "Ƒ", "G": "ĜĞĠ",
    "H": "ĤĦ", "I": "ÎÍÌÏ", "J": "Ĵ", "K": "Ķ", "L": "ĻĽŁ", "M": "Ṁ", "N": "ÑŃŇ", "O": "ÖÔÓÒ",
    "P": "Þ", "Q": "Ǫ", "R": "ŔŘ", "S": "ŠŚŞ", "T": "ŦŢŤ", "U": "ÛÚÙÜ", "V": "Ṽ", "W": "Ŵ",
    "X": "Ẋ", "Y": "ÝŸ", "Z": "ŽŹŻ",
}  # fmt: skip
# %(name)s, %%, {name} and {{ }} pass through untouched: the build formats them afterwards.
_PROTECTED_RE = re.compile(
    r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]|\{\{|\}\}|\{[^{}]*\}"
)


def is_pseudo(code: str) -> bool:
    return code.replace("_", "-") in PSEUDO_CODES


def pseudo_language(code: str) -> Language:
    """The built-in pseudo language: no draft note, formatted as English."""
    return Language(code=code, name="Pseudo-locale", reviewed=True, locale="en_US")


def language(project: Project, code: str) -> Language:
    """The project's language, or the built-in pseudo language for a pseudo code."""
    if code not in project.languages and is_pseudo(code):
        return pseudo_language(code)
    return project.languages[code]


@cache
def _font_metrics() -> tuple[frozenset[int], dict[int, int], int]:
    """Characters covered by every face of the typeface, and the regular face's advances."""
    covered: set[int] | None = None
    advances: dict[int, int] = {}
    average = 500
    files = font_files()
    for key, path in sorted(files.items()):
        font = TTFont(path, lazy=True)
        cmap = font.getBestCmap()
        covered = set(cmap) if covered is None else covered & set(cmap)
        if key == min(files):
            metrics = font["hmtx"]
            advances = {cp: metrics[glyph][0] for cp, glyph in cmap.items()}
            average = advances.get(ord("n"), 500)
    return frozenset(covered or ()), advances, average


@cache
def letter_map() -> dict[str, str]:
    """ASCII letter → the first look-alike the typeface covers (or the letter itself)."""
    covered = _font_metrics()[0]
    return {
        letter: next((c for c in choices if ord(c) in covered), letter)
        for letter, choices in _PREFERENCES.items()
    }


def _width(text: str) -> int:
    _, advances, average = _font_metrics()
    return sum(advances.get(ord(c), average) for c in text)


def pseudolocalize(text: str) -> str:
    """`Human Trafficking` → `[Ħûmàñ Ţŕàƒƒîçķîñğ ········ ·]`, placeholders kept, ~35 % wider."""
    if not text:
        return text
    table = str.maketrans(letter_map())
    out, plain, position = [], [], 0
    for match in _PROTECTED_RE.finditer(text):
        piece = text[position : match.start()]
        out.append(piece.translate(table))
        plain.append(piece)
        out.append(match.group(0))
        position = match.end()
    piece = text[position:]
    out.append(piece.translate(table))
    plain.append(piece)
    body = "".join(out)
    # Pad with dots until the visible text (placeholders aside) is EXPANSION wider than English.
    source_width = _width("".join(plain))
    target = source_width * (1 + EXPANSION)
    current = _width("".join(p.translate(table) for p in plain)) + _width(OPEN + CLOSE)
    padding = ""
    if current < target:
        count = -(-(target - current - _width(" ")) // _width(PAD))
        dots = PAD * max(1, int(count))
        # Groups of at most eight dots, so the padding wraps like words do.
        padding = " " + " ".join(dots[i : i + 8] for i in range(0, len(dots), 8))
    return f"{OPEN}{body}{padding}{CLOSE}"


class PseudoTranslations(Translations):
    """Translations that rewrite each English string at build time; nothing ever falls back."""

    def __init__(self, language: str):
        # Made up from the source at build time: there is no translation to review.
        super().__init__(language=language, reviewed=True)
        self._cache: dict[str, str] = {}

    def _pseudo(self, text: str) -> str:
        if text not in self._cache:
            self._cache[text] = pseudolocalize(text)
        return self._cache[text]

    def _lookup(self, key: MessageKey, default: str) -> str:
        return self._pseudo(default)

    def _plural(self, key: MessageKey, singular: str, plural: str, n: int) -> str:
        return self._pseudo(singular if n == 1 else plural)


def translations(code: str) -> PseudoTranslations:
    return PseudoTranslations(code)


# ---------------------------------------------------------------- finding text outside brackets


def unbracketed(text: str) -> str:
    """The text left over when every bracketed (pseudo-localized) span is cut out.

    Spans nest, because translated values fill placeholders of translated strings.
    """
    out, depth = [], 0
    for char in text:
        if char == OPEN:
            depth += 1
            out.append(" ")
        elif char == CLOSE and depth:
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)


def allowed_words(project: Project) -> set[str]:
    """Words that print as they are, without a catalog: the organisation and contact facts."""
    contacts = project.contacts
    texts = [project.organisation, contacts.hotline.name, contacts.hotline.text_keyword]
    for office in contacts.offices:
        texts += [office.name, office.place, office.street, office.city, office.region]
        texts.append(office.postal_code)
    return {word.lower() for text in texts for word in re.findall(r"[^\W\d_]+", text)}


def untranslated_text(project: Project, text: str) -> list[str]:
    """Words of a pseudo-locale PDF's text that no catalog produced (and no contact fact explains)."""
    allowed = allowed_words(project)
    words = re.findall(r"[^\W\d_]+", unbracketed(text))
    return [w for w in words if len(w) > 1 and w.lower() not in allowed]
