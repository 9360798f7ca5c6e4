"""Which of the project's languages a sentence is written in, by py3langid's model.

py3langid is langid.py's model (97 languages, Haitian Creole among them) shipped inside the
package as arrays (numpy's .npz, no pickle), so nothing is fetched at run time. It is imported
only when a catalog is checked or compiled, never by a build with nothing to do: the import
costs about 0.16 s (numpy) and reading the model about 1 s, once per process. docs/architecture.md
gives the measures behind MIN_LETTERS and MIN_CONFIDENCE.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache

MIN_LETTERS = 25
"""A sentence with fewer letters is too short to judge: on the project's own catalogs, windows
of 15 to 19 letters were judged right 99.9% of the time and of 20 or more always; 25 leaves a
margin, and the leaflets' short labels ("Tel.", weekday names) are never judged."""
MIN_CONFIDENCE = 0.9
"""The share of the probability (among the project's languages) that the other language must
have before a sentence is called another language's."""
_LETTER_RE = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _identifier():
    # The model is read once per process: about a second.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=8)
def known(languages: tuple[str, ...]) -> tuple[str, ...]:
    """The languages (primary subtags) the model can tell apart."""
    labels = set(_identifier().labels)
    return tuple(code for code in dict.fromkeys(primary(c) for c in languages) if code in labels)


def primary(code: str) -> str:
    """ "es_US" → "es"; "ht" → "ht"."""
    return re.split(r"[-_]", code)[0].lower()


def long_enough(text: str) -> bool:
    return len(_LETTER_RE.findall(text)) >= MIN_LETTERS


def judge(text: str, languages: tuple[str, ...]) -> tuple[str, float] | None:
    """The language among `languages` that the text is written in, with its probability; None
    when the text is too short to judge or fewer than two of the languages are known."""
    if not long_enough(text):
        return None
    candidates = known(languages)
    if len(candidates) < 2:
        return None
    language, probability = _restricted(candidates).classify(text)
    return language, probability


@lru_cache(maxsize=8)
def _restricted(languages: tuple[str, ...]):
    """A copy of the identifier that chooses among these languages only; the copies share the
    model, and none is changed after it is made, so threads may share them."""
    identifier = copy.copy(_identifier())
    identifier.set_languages(list(languages))
    return identifier
