"""A language's glossary: the words its translators agreed to use for the project's terms.

`locales/<lang>/glossary.toml` maps English terms to the translation to use:

    [terms]
    trafficking = { use = "trata", required = true }
    hotline = ["línea", "línea directa"]

`leaflets check` warns when a translation of a source that contains a term (as a whole word,
in any case, or its plural in -s) uses none of the term's translations (at the start of a word,
in any case, so that "línea" also covers "líneas"). A term marked `required = true` is one whose
other translations change the meaning ("tráfico de personas" is smuggling, "trata" trafficking):
missing it is an error, so the leaflet prints the English instead. The file is untrusted like
any catalog: validated with the project's pydantic tables, every problem reported at its line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Discriminator, Tag

from ...config.paths import read_project_file
from ...config.toml_lines import TomlSyntaxError, parse_toml
from ...config.validation import Problems, Table, problem
from ...errors import FileRefused
from ...findings import Finding

GLOSSARY_NAME = "glossary.toml"


def _words(value: str | list[str]) -> list[str]:
    words = [value] if isinstance(value, str) else value
    if not words or any(not w.strip() for w in words):
        raise problem('expected a translation such as "trata", or a list of them')
    return words


Words = Annotated[str | list[str], AfterValidator(_words)]


class RequiredTerm(Table):
    """`trafficking = { use = "trata", required = true }`"""

    use: Words
    required: bool = False


def _kind(value: object) -> str:
    return "table" if isinstance(value, (dict, RequiredTerm)) else "words"


class GlossaryFile(Table):
    # A table is a required term, anything else its words: errors name one form, not both.
    terms: dict[
        str,
        Annotated[
            Annotated[Words, Tag("words")] | Annotated[RequiredTerm, Tag("table")],
            Discriminator(_kind),
        ],
    ]


@dataclass(frozen=True)
class Term:
    english: str
    translations: tuple[str, ...]
    required: bool = False
    """Missing it is an error, not a warning: another word changes the meaning."""

    # Compared in NFC: "trata" typed with a combining accent (NFD, as some editors save) is
    # the same word as with a precomposed one.
    def in_source(self, text: str) -> bool:
        english, text = _nfc(self.english), _nfc(text)
        return re.search(rf"(?<!\w){re.escape(english)}(?:e?s)?(?!\w)", text, re.I) is not None

    def in_translation(self, text: str) -> bool:
        text = _nfc(text)
        return any(
            re.search(rf"(?<!\w){re.escape(_nfc(t))}", text, re.I) for t in self.translations
        )


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def glossary_path(locales: Path, lang: str) -> Path:
    return locales / lang / GLOSSARY_NAME


def load_glossary(path: Path) -> tuple[list[Term], list[Finding]]:
    """The glossary's terms, and a finding for each problem in the file; none if it is absent."""
    try:
        text = read_project_file(path, "glossary").decode("utf-8")
    except FileNotFoundError:
        return [], []
    except FileRefused as exc:
        return [], [Finding(path, exc.message, code="glossary-file")]
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Finding(path, f"cannot read the glossary ({exc}); save it as UTF-8")]
    try:
        data = parse_toml(text)
    except TomlSyntaxError as exc:
        return [], [Finding(path, exc.message, line=exc.line, code="glossary-file")]
    problems = Problems(text)
    table = problems.validate(GlossaryFile, data)
    if table is None:
        return [], [
            Finding(path, _untagged(message), line=line, code="glossary-file")
            for line, message in sorted(problems.found, key=lambda found: found[0] or 0)
        ]
    terms = []
    for english, value in table.terms.items():
        if english.strip():
            if isinstance(value, RequiredTerm):
                terms.append(Term(english.strip(), tuple(_words(value.use)), value.required))
            else:
                terms.append(Term(english.strip(), tuple(_words(value))))
    return terms, []


def _untagged(message: str) -> str:
    """A key path without the form pydantic chose ("terms.hotline.words: …" is "terms.hotline:
    …"): the file never writes it."""
    return re.sub(r"^(terms\.[^:]*?)\.(?:words|table)(?=[.:])", r"\1", message)


def missing_terms(source: str, translation: str, terms: tuple[Term, ...] | list[Term]) -> list:
    """The terms the source uses and the translation lacks."""
    return [t for t in terms if t.in_source(source) and not t.in_translation(translation)]


def required_term_problems(source: str, translation: str, terms) -> list[str]:
    """Required terms the translation lacks, in the translator's words."""
    return [
        f"the English says {term.english!r}, which must be translated as "
        f"{' or '.join(repr(t) for t in term.translations)} ({GLOSSARY_NAME} marks it required: "
        "another word changes the meaning); use it"
        for term in missing_terms(source, translation, [t for t in terms if t.required])
    ]
