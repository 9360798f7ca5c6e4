"""Which of the project's languages a sentence is written in, by py3langid's model.

py3langid, a fork of langid.py, ships a retrained model of 139 languages (Haitian Creole among
them) inside the package as arrays (numpy's .npz in LZMA, no pickle), so nothing is fetched at
run time. It is imported
only when a catalog is checked or compiled, never by a build with nothing to do: the import
costs about 0.16 s (numpy) and reading the model about 1 s, once per process. docs/architecture.md
gives the measures behind MIN_LETTERS and MIN_CONFIDENCE.
"""

from __future__ import annotations

import copy
import hashlib
import re
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from ...writing import named

MIN_LETTERS = 25
"""A sentence with fewer letters is too short to judge: on the project's own catalogs, windows
of 15 to 19 letters were judged right 99.9% of the time and of 20 or more always; 25 leaves a
margin, and the leaflets' short labels ("Tel.", weekday names) are never judged."""
MIN_CONFIDENCE = 0.9
"""The share of the probability (among the project's languages) that the other language must
have before a sentence is called another language's."""
_LETTER_RE = re.compile(r"[^\W\d_]")
MODEL = "py3langid-0.4.0"
"""Verdicts remembered under another model are judged again."""

verdicts: dict[str, list] = {}
"""Remembered verdicts, [language, probability] by key(): a compiled catalog records those of
its entries (po/compiled.py), so that compiling it again after one edit, or `leaflets check`,
loads the model only for sentences it has not judged yet."""


used: set[str] = set()
"""The keys judge() answered since this set was last cleared (one compile's)."""


def remember(found: object) -> None:
    """Add verdicts a compiled catalog recorded (untrusted: anything malformed is dropped)."""
    if isinstance(found, dict):
        for name, value in found.items():
            if (
                isinstance(name, str)
                and isinstance(value, list)
                and len(value) == 2
                and isinstance(value[0], str)
                and isinstance(value[1], (int, float))
            ):
                verdicts.setdefault(name, value)


def used_verdicts() -> dict[str, list]:
    return {name: verdicts[name] for name in sorted(used) if name in verdicts}


def key(text: str, languages: tuple[str, ...]) -> str:
    data = "\0".join((MODEL, *languages, text)).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:24]


_loading = threading.Lock()


def preload() -> None:
    """Read the model now, on a thread of the caller's (the studio reads it while it starts:
    reading it is mostly file and numpy work, which leaves the interpreter free)."""
    try:
        _loaded()
    except Exception:  # not kept: the check that needs the model reads it again, and says why
        pass


def _loaded():
    with _loading:  # read once: a check that needs it meanwhile waits for this reading
        return _identifier()


@lru_cache(maxsize=1)
def _identifier():
    # The model is read once per process: about a second.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    # py3langid unpacks its model into a temporary file (68 MB): a full disk names the folder.
    with named(Path(tempfile.gettempdir())):
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


_MODEL_LABELS = """
ace af am an ar ary arz as az ba bcl be bg bn br bs ca crh cs cy da de dz el en eo es et eu
ext fa fi fo fr fuv fy ga gcf gcr gd gl gom grc gu gug guw ha hbo he hi hr ht hu hy id ig is
it ja jv ka kab kik kk km kn ko ku ky la lb lg lij ln lo lt ltg lv mg mk ml mn mr ms mt my
ne nl nn no nso oc om or pa pcm pl ps pt qu ro ru rw sa sdh se si sk sl sn so sq sr st sv sw
ta te tg th tk tl tr tt ug uk ur uz uzs vec vi vo wa wuu xh yo yue zh zu
"""
LABELS = frozenset(_MODEL_LABELS.split())
"""The model's 139 languages (its labels), so that telling which are known loads nothing;
tests/i18n/checks/test_wrong_language.py checks them against the model."""


def known(languages: tuple[str, ...]) -> tuple[str, ...]:
    """The languages (primary subtags) the model can tell apart."""
    return tuple(code for code in dict.fromkeys(primary(c) for c in languages) if code in LABELS)


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
    name = key(text, candidates)
    used.add(name)
    remembered = verdicts.get(name)
    if remembered is not None:
        return remembered[0], remembered[1]
    language, probability = _restricted(candidates).classify(text)
    verdicts[name] = [language, round(float(probability), 6)]
    return language, probability


@lru_cache(maxsize=8)
def _restricted(languages: tuple[str, ...]):
    """A copy of the identifier that chooses among these languages only; the copies share the
    model, and none is changed after it is made, so threads may share them."""
    identifier = copy.copy(_loaded())
    identifier.set_languages(list(languages))
    return identifier
