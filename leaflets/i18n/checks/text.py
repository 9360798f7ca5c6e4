"""Checks of a translation's text against its source: what pofilter and msgfmt catch and a
leaflet would otherwise print as typed.

Each function takes the source and the translation (placeholders already in them) and returns
problems in the translator's words. `ERRORS` are mistakes that print wrong text (a backslash,
a bracket never closed, an invisible character, Spanish without its ¿); the build leaves such
a translation out and prints the source instead. `WARNINGS` are matters of style that print
well enough (HTML joins double spaces and line breaks into one space) or are often meant (a
translation that ends differently).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from .placeholders import BRACE_RE, PERCENT_RE, strip_placeholders

# Invisible characters that are never text in a leaflet: they print as nothing but split a
# word for screen readers, search and copy-paste (and could hide digits from the checks).
INVISIBLE = {
    "\u200b": "ZERO WIDTH SPACE",
    "\u2060": "WORD JOINER",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
    "\u180e": "MONGOLIAN VOWEL SEPARATOR",
    "\u2061": "FUNCTION APPLICATION",
    "\u2062": "INVISIBLE TIMES",
    "\u2063": "INVISIBLE SEPARATOR",
    "\u2064": "INVISIBLE PLUS",
}
# Joiners are letters' business in Arabic, Persian and Indic scripts, never between Latin ones.
JOINERS = {"\u200c": "ZERO WIDTH NON-JOINER", "\u200d": "ZERO WIDTH JOINER"}

BRACKETS = {"(": ")", "[": "]", "{": "}"}
# Sentence ends, by kind: the same kind in another script is the same end.
END_MARKS = {
    "?": "?",
    "？": "?",
    "؟": "?",
    "!": "!",
    "！": "!",
    ".": ".",
    "。": ".",
    "।": ".",
    ":": ":",
    "：": ":",
    "…": "…",
}
_CLOSERS = "”’\"'»›)]}\u00a0 "
INVERTED = {"¿": "?", "¡": "!"}
INVERTED_LANGUAGES = ("es",)
"""Languages whose questions and exclamations open with ¿ and ¡."""


def _worded(text: str) -> str:
    """The text with each placeholder as a word: a sentence that ends in one has no end
    punctuation of its own ("Call for help, %(phone)s")."""
    return BRACE_RE.sub("x", PERCENT_RE.sub("x", text))


# ---------------------------------------------------------------- errors


def check_backslashes(source: str, translation: str) -> list[str]:
    """A backslash prints as a backslash: `\\n` typed into a translation prints "el\\nturismo"."""
    if translation.count("\\") <= source.count("\\"):
        return []
    shown = re.search(r"\\.?", translation).group(0)
    if shown in ("\\n", "\\t"):
        return [
            f"{shown!r} prints as a backslash and a letter; remove it: the leaflet breaks "
            "lines by itself"
        ]
    return [f"a backslash ({shown!r}) prints as it is typed; remove it"]


def check_invisible(source: str, translation: str) -> list[str]:
    """Zero-width and other invisible characters that the source does not have."""
    found = []
    for char, name in INVISIBLE.items():
        if translation.count(char) > source.count(char):
            found.append(f"U+{ord(char):04X} ({name})")
    for match in re.finditer("[\u200c\u200d]", translation):
        before = translation[match.start() - 1 : match.start()]
        after = translation[match.end() : match.end() + 1]
        if all(not c or _latin_or_common(c) for c in (before, after)):
            found.append(f"U+{ord(match.group()):04X} ({JOINERS[match.group()]})")
    if not found:
        return []
    return [
        f"contains the invisible {', '.join(dict.fromkeys(found))}: it prints as nothing but "
        "breaks the word for screen readers and searches; delete it"
    ]


def _latin_or_common(char: str) -> bool:
    name = unicodedata.name(char, "")
    return char.isascii() or name.startswith("LATIN") or not char.isalpha()


def check_brackets(source: str, translation: str) -> list[str]:
    """A bracket opened and never closed (or closed and never opened), unless the source has
    the same; placeholders such as {name} are not brackets."""
    problem = _bracket_problem(strip_placeholders(translation))
    if problem is None or problem == _bracket_problem(strip_placeholders(source)):
        return []
    return [problem]


def _bracket_problem(text: str) -> str | None:
    stack: list[str] = []
    for char in text:
        if char in BRACKETS:
            stack.append(char)
        elif char in BRACKETS.values():
            if not stack or BRACKETS[stack[-1]] != char:
                return f"{char!r} closes a bracket that was never opened; add the opening one"
            stack.pop()
    if stack:
        return f"{stack[-1]!r} is never closed; add {BRACKETS[stack[-1]]!r}"
    return None


def check_quotes(source: str, translation: str) -> list[str]:
    """Quotation marks that do not pair up, unless the source's do not either."""
    problems = []
    text, original = strip_placeholders(translation), strip_placeholders(source)
    # „ opens a quote that “ (German) or ” (Polish, Romanian) closes.
    pairs = [("„", "“”")] if "„" in text else [("“", "”")]
    for opening, closing in [*pairs, ("«", "»"), ("‹", "›")]:
        if _unpaired(text, opening, closing) and not _unpaired(original, opening, closing):
            problems.append(
                f"quotation marks {opening} {closing[0]} do not pair up; close the quote"
            )
    if text.count('"') % 2 and not original.count('"') % 2:
        problems.append('an odd number of " marks; close the quote')
    return problems


def _unpaired(text: str, opening: str, closing: str) -> bool:
    """True when the quotes do not pair up: a closing mark first, or one left open."""
    depth = 0
    for char in text:
        if char == opening:
            depth += 1
        elif char in closing:
            depth -= 1
            if depth < 0:
                return True
    return depth != 0


def check_inverted_marks(translation: str) -> list[str]:
    """Spanish opens a question with ¿ and an exclamation with ¡: each ? and ! needs one."""
    stack: list[str] = []
    for char in strip_placeholders(translation):
        if char in INVERTED:
            stack.append(char)
        elif char in ("?", "!"):
            if not stack:
                opener = "¿" if char == "?" else "¡"
                return [f"{char!r} has no opening {opener!r}; add it where the sentence starts"]
            stack.pop()
    if stack:
        closer = INVERTED[stack[-1]]
        return [f"{stack[-1]!r} is never closed; end the sentence with {closer!r}"]
    return []


# ---------------------------------------------------------------- warnings


def check_end_punctuation(source: str, translation: str) -> list[str]:
    """Different sentence-end punctuation (? ! . : …), after closing quotes and brackets: the
    Spanish “…esclavo”. ends as “…slave.” does."""
    was, now = _end_mark(source), _end_mark(translation)
    if was == now or _ends_in_abbreviation(source) or _ends_in_abbreviation(translation):
        return []
    if was is None:
        return [f"ends with {now!r} but the source has no end punctuation; check it is meant"]
    if now is None:
        return [f"the source ends with {was!r} but the translation does not; add it"]
    return [
        f"ends with {now!r} where the source ends with {was!r}; end it as the English does, "
        "unless your language needs otherwise"
    ]


def _ends_in_abbreviation(text: str) -> bool:
    """A final period that belongs to an abbreviation (U.S., EE. UU., etc.), so it may or may
    not also end the sentence."""
    text = _worded(text).rstrip().rstrip(_CLOSERS)
    return bool(re.search(r"(?<!\w)(?:[^\W\d_]{1,3}\.[ \u00a0\u202f]?){2,}$|(?<!\w)etc\.$", text))


def _end_mark(text: str) -> str | None:
    text = _worded(text).rstrip().rstrip(_CLOSERS)
    if text.endswith("..."):
        return "…"
    return END_MARKS.get(text[-1:]) if text else None


def check_double_spaces(source: str, translation: str) -> list[str]:
    """Two spaces in a row inside the text (the whitespace check covers its ends)."""
    inner = translation.strip()
    match = re.search(r"\S( {2,})\S", inner)
    if not match or re.search(r"\S {2,}\S", source.strip()):
        return []
    word = inner[: match.start(1)].split()[-1]
    return [f"{len(match.group(1))} spaces in a row after {word!r}; use one"]


def check_newlines(source: str, translation: str) -> list[str]:
    """Line breaks inside the text (the whitespace check covers its ends)."""
    had, has = source.strip().count("\n"), translation.strip().count("\n")
    if had == has:
        return []
    return [
        f"has {has} line breaks where the source has {had}; break the lines where the English "
        "does (the leaflet joins them into one space anyway)"
    ]


Check = Callable[[str, str], list[str]]


def text_checks(language: str | None) -> tuple[list[tuple[str, Check]], list[tuple[str, Check]]]:
    """(errors, warnings): the text checks for a language, each with its finding code."""
    errors: list[tuple[str, Check]] = [
        ("backslash", check_backslashes),
        ("invisible", check_invisible),
        ("brackets", check_brackets),
        ("quotes", check_quotes),
    ]
    if language and language.replace("-", "_").split("_")[0] in INVERTED_LANGUAGES:
        errors.append(
            ("inverted-marks", lambda source, translation: check_inverted_marks(translation))
        )
    warnings: list[tuple[str, Check]] = [
        ("end-punctuation", check_end_punctuation),
        ("double-space", check_double_spaces),
        ("newlines", check_newlines),
    ]
    return errors, warnings


def check_whitespace(source: str, translation: str) -> list[str]:
    """Spaces at either end that differ from the source (line breaks: check_newline_ends), in
    words: "ends with a space and the English does not"."""
    problems = []
    lead = (re.match(r"\s*", source).group(), re.match(r"\s*", translation).group())
    trail = (re.search(r"\s*$", source).group(), re.search(r"\s*$", translation).group())
    for (english, translated), (verb, where) in (
        ((lead[0], lead[1]), ("starts", "start")),
        ((trail[0], trail[1]), ("ends", "end")),
    ):
        english, translated = english.replace("\n", ""), translated.replace("\n", "")
        if english == translated:
            continue
        if not english:
            problems.append(
                f"the translation {verb} with {_spaces(translated)} and the English does not; "
                f"delete {'it' if len(translated) == 1 else 'them'} at the {where}"
            )
        elif not translated:
            problems.append(
                f"the English {verb} with {_spaces(english)} and the translation does not; "
                f"add {'one' if len(english) == 1 else 'them'} at the {where}"
            )
        else:
            problems.append(
                f"the translation {verb} with {_spaces(translated)}, the English with "
                f"{_spaces(english)}; {where} it as the English does"
            )
    return problems


_SPACE_NAMES = {" ": "space", "\u00a0": "no-break space", "\t": "tab", "\u202f": "narrow space"}


def _spaces(text: str) -> str:
    """Spaces in words: "a space", "2 spaces", "a no-break space"."""
    kinds = set(text)
    if len(kinds) > 1:
        return f"{len(text)} spaces of different kinds"
    name = _SPACE_NAMES.get(text[0], f"space (U+{ord(text[0]):04X})")
    return f"a {name}" if len(text) == 1 else f"{len(text)} {name}s"
