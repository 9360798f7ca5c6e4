"""Text in the wrong language: a translation that would print a mix of languages.

Three slips that every other check lets through, each an error so that the leaflet prints the
whole source sentence instead of a mix, and the build names it:

- a run of the source's words left in the translation (a sentence of a multi-sentence entry
  not translated, the source pasted in front of the translation);
- another catalog's translation of the same message (Creole pasted into the Spanish catalog);
- a sentence that the language identifier (language_id.py) judges to be another of the
  project's languages, if it is long enough to judge.

Names stay as they are in every language, so a run counts only with two words that are not
capitalised; placeholders and the language's foreign_words are taken out first.
"""

from __future__ import annotations

import re

from .language_id import MIN_CONFIDENCE, judge, known, long_enough, primary
from .placeholders import strip_placeholders
from .surroundings import Surroundings

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
RUN_WORDS = 3
"""A run of this many words in a row, two of them not capitalised, is not a name."""
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…:;])\s+")


def plain_words(text: str, kept: tuple[str, ...]) -> str:
    """The text without placeholders and without the words the language keeps (foreign_words)."""
    text = strip_placeholders(text)
    for words in sorted(kept, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(words)}(?!\w)", " ", text, flags=re.I)
    return text


def shared_run(theirs: str, ours: str) -> str | None:
    """The longest run of words of `theirs` that `ours` has too, as `ours` writes it (shortened
    to about 60 characters), when it is long enough not to be a name; None otherwise."""
    a = [w.lower() for w in _WORD_RE.findall(theirs)]
    found = list(_WORD_RE.finditer(ours))
    b = [m.group(0).lower() for m in found]
    best: list[re.Match] = []
    for i in range(len(b)):
        for j in range(len(a)):
            k = 0
            while i + k < len(b) and j + k < len(a) and b[i + k] == a[j + k]:
                k += 1
            run = found[i : i + k]
            if k > len(best) and _not_a_name([m.group(0) for m in run]):
                best = run
    if len(best) < RUN_WORDS:
        return None
    return _short(ours[best[0].start() : best[-1].end()])


def _short(text: str) -> str:
    shown = " ".join(text.split())
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _not_a_name(run: list[str]) -> bool:
    return len(run) >= RUN_WORDS and sum(1 for w in run if w[:1].islower()) >= 2


def check_source_words(source: str, translation: str, kept: tuple[str, ...]) -> list[str]:
    run = shared_run(plain_words(source, ()), plain_words(translation, kept))
    if run is None:
        return []
    return [
        f"{run!r} is left in English; translate it too, or the leaflet prints the whole "
        "sentence in English (names and the words in foreign_words may stay as they are)"
    ]


def check_other_catalogs(
    source: str, translation: str, message, surroundings: Surroundings
) -> list[str]:
    problems = []
    ours = plain_words(translation, surroundings.kept)
    for code, strings in surroundings.other_translations(message):
        theirs = plain_words(" ".join(strings), ())
        run = shared_run(theirs, ours)
        whole = ours.split() == theirs.split() and len(ours.split()) > 1
        if (run or whole) and not shared_run(plain_words(source, ()), ours):
            shown = _short(translation) if whole else run
            problems.append(
                f"{shown!r} is the {surroundings.name(code)} translation of this message "
                f"(locales/{code}); write it in {surroundings.name(surroundings.language)}"
            )
    return problems


def check_language(translation: str, surroundings: Surroundings) -> list[str]:
    """Sentences the language identifier judges to be another of the project's languages."""
    own = primary(surroundings.language)
    if not known((own,)):
        return []  # a language the model does not know: any verdict would name another one
    text = plain_words(translation, surroundings.kept)
    pieces = [p for p in _SENTENCE_END_RE.split(text) if long_enough(p)]
    if len(pieces) != 1 and long_enough(text):
        pieces.append(text)
    for piece in pieces:
        verdict = judge(piece, (own, *surroundings.languages))
        if verdict and verdict[0] != own and verdict[1] >= MIN_CONFIDENCE:
            other = next((c for c in surroundings.languages if primary(c) == verdict[0]), "")
            shown = " ".join(piece.split())
            shown = shown if len(shown) <= 50 else shown[:47] + "..."
            return [
                f"{shown!r} reads as {surroundings.name(other)}, not "
                f"{surroundings.name(surroundings.language)}; translate it"
            ]
    return []
