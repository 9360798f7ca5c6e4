"""A language's glossary: the words its translators agreed to use for the project's terms.

`locales/<lang>/glossary.toml` maps English terms to the translation to use:

    [terms]
    trafficking = "trata"
    hotline = ["línea", "línea directa"]

`leaflets check` warns when a translation of a source that contains a term (as a whole word,
in any case, or its plural in -s) uses none of the term's translations (at the start of a word,
in any case, so that "línea" also covers "líneas"). The file is untrusted like any catalog:
validated with the project's pydantic tables, every problem reported at its line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator

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


class GlossaryFile(Table):
    terms: dict[str, Annotated[str | list[str], AfterValidator(_words)]]


@dataclass(frozen=True)
class Term:
    english: str
    translations: tuple[str, ...]

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
            Finding(path, message, line=line, code="glossary-file")
            for line, message in sorted(problems.found, key=lambda found: found[0] or 0)
        ]
    terms = [
        Term(english.strip(), tuple(_words(value)))
        for english, value in table.terms.items()
        if english.strip()
    ]
    return terms, []
