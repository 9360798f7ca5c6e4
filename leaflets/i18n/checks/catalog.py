"""The checks of one whole catalog: its header, its plural rule, every entry (checks.py), and
whether it says the same thing the same way (a glossary's terms, one source translated once).

Catalogs are untrusted input: a file that does not even parse is one finding at its line, never
a traceback, and a mistake in one entry is that entry's finding, never the whole file's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from ...errors import CatalogError
from ...findings import Finding, Severity
from ..po.catalog import parse_catalog, parse_plural_rule, read_source
from ..po.messages import has_text
from .glossary import Term, load_glossary
from .message import _label, check_entry_problems, check_message
from .placeholders import strip_placeholders
from .plurals import differs_from_cldr

# The marker that lets one source have two translations (a label here, a verb there).
ALLOW_DIFFERENT = "allow-different"


@dataclass(frozen=True)
class CatalogContext:
    """What the checks of one catalog need to know about its language."""

    path: Path
    language: str
    plural: str | None = None
    """The Plural-Forms rule from leaflets.toml, if it sets one."""
    glossary: Path | None = None
    """locales/<lang>/glossary.toml, if the checks should use it."""
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Every language of the project (the source too) with its names: a header that names
    another one than this catalog's was copied from another catalog."""


def read_checked(path: Path) -> tuple[Catalog | None, str, list[Finding]]:
    """The catalog, its text, and a finding if it cannot be read at all."""
    try:
        data = read_source(path)
        catalog = parse_catalog(data, path)
    except CatalogError as exc:
        return None, "", [Finding(path, exc.message, Severity.ERROR, exc.line, code="syntax")]
    return catalog, data.decode("utf-8-sig", errors="replace"), []


def check_catalog(context: CatalogContext) -> list[Finding]:
    """Every check on one .po file."""
    catalog, text, findings = read_checked(context.path)
    if catalog is None:
        return findings
    findings = check_header(catalog, context, text)
    for message in catalog:
        if message.id:
            findings += check_message(message, catalog.num_plurals, context.path, context.language)
    for message in catalog.obsolete.values():
        findings += check_entry_problems(message, context.path)
    findings += check_consistency(catalog, context.path)
    if context.glossary is not None:
        terms, problems = load_glossary(context.glossary)
        findings += problems + check_glossary(catalog, terms, context.path, context.glossary)
    return findings


def header_line(text: str, field_name: str) -> int:
    """The line of a header field, or of the header entry when the field is missing."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f'"{field_name}:'):
            return number
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith('msgid ""'):
            return number
    return 1


def check_header(catalog: Catalog, context: CatalogContext, text: str) -> list[Finding]:
    findings = []
    line = header_line(text, "Language")
    problem = language_problem(catalog, context.language)
    if problem:
        # The build refuses such a catalog (translations.printable_catalog).
        findings.append(Finding(context.path, problem, line=line, code="language-header"))
    elif not catalog.locale_identifier:
        findings.append(
            Finding(
                context.path,
                f'no Language header; add "Language: {context.language}\\n" to the header entry',
                Severity.WARNING,
                line,
                code="language-header",
            )
        )
    findings += _header_mix_ups(catalog, context, text)
    line = header_line(text, "Plural-Forms")
    if context.plural:
        try:
            wanted = parse_plural_rule(context.plural)
            have = (catalog.num_plurals, catalog.plural_expr.strip())
            if (wanted[0], _squash(wanted[1])) != (have[0], _squash(have[1])):
                findings.append(
                    Finding(
                        context.path,
                        f"Plural-Forms is {catalog.plural_forms!r} but leaflets.toml says "
                        f"{context.plural!r}; make them the same",
                        line=line,
                        code="plural-forms",
                    )
                )
        except ValueError:
            pass  # leaflets.toml's own validation reports a bad rule
    differs = differs_from_cldr(context.language, catalog.num_plurals, catalog.plural_expr)
    if differs:
        findings.append(
            Finding(
                context.path,
                f"Plural-Forms {catalog.plural_forms!r} differs from CLDR's rule for "
                f"{context.language!r}: {differs}; check it with a native speaker",
                Severity.WARNING,
                line,
                code="plural-cldr",
            )
        )
    return findings


def _header_mix_ups(catalog: Catalog, context: CatalogContext, text: str) -> list[Finding]:
    """A fuzzy header, and a Language-Team that names another of the project's languages (the
    header was copied from another catalog)."""
    findings = []
    header = getattr(catalog, "po_header", None)
    if header is not None and header.fuzzy:
        findings.append(
            Finding(
                context.path,
                "the header entry is marked fuzzy, so gettext's tools ignore it (its "
                "Plural-Forms and charset); check it, then delete `fuzzy` from its #, line",
                Severity.WARNING,
                header.lineno,
                code="header-fuzzy",
            )
        )
    team = catalog.language_team or ""
    named = [
        code
        for code, names in context.names.items()
        if code != context.language and _names(team, code, names)
    ]
    if named and not _names(team, context.language, context.names.get(context.language, ())):
        findings.append(
            Finding(
                context.path,
                f"Language-Team {team!r} names the catalog for {named[0]!r}, but this one is "
                f"for {context.language!r}; put this language's team there",
                Severity.WARNING,
                header_line(text, "Language-Team"),
                code="language-team",
            )
        )
    return findings


def _names(text: str, code: str, names: tuple[str, ...]) -> bool:
    """Whether a header value names a language: one of its names as a word, or its code as in
    a mailing list's address (`<es@li.org>`, `/es/`)."""
    if any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.I) for name in names):
        return True
    return re.search(rf"(?<![\w.-]){re.escape(code)}(?=@|/|\)|\])", text, re.I) is not None


def _squash(expr: str) -> str:
    return re.sub(r"\s+|^\(|\)$", "", expr)


# ---------------------------------------------------------------- consistency


def allows_different(message: Message) -> bool:
    comments = [*message.user_comments, *message.auto_comments]
    return ALLOW_DIFFERENT in message.flags or any(
        re.search(rf"\b{ALLOW_DIFFERENT}\b", c, re.I) for c in comments
    )


def check_consistency(catalog: Catalog, path: Path) -> list[Finding]:
    """One source translated two ways (in two contexts): a reader sees two words for one thing."""
    findings = []
    first: dict[str, Message] = {}
    for message in catalog:
        if not _printable(message) or isinstance(message.id, (list, tuple)):
            continue
        seen = first.setdefault(message.id, message)
        if seen is message or seen.string.strip() == message.string.strip():
            continue
        if allows_different(message) or allows_different(seen):
            continue
        findings.append(
            Finding(
                path,
                f"{_label(message)}: translated {message.string!r} here but {seen.string!r} "
                f"at line {seen.lineno}; use one, or if the contexts need different words add "
                f"the comment `# {ALLOW_DIFFERENT}` to the entry",
                Severity.WARNING,
                message.lineno,
                code="inconsistent",
            )
        )
    return findings


def check_glossary(
    catalog: Catalog, terms: list[Term], path: Path, glossary: Path
) -> list[Finding]:
    findings = []
    for message in catalog:
        if not _printable(message):
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        source, translation = strip_placeholders(ids[0]), " ".join(strings)
        # A required term is an error of the entry (message.py), reported there.
        for term in [t for t in terms if not t.required]:
            if term.in_source(source) and not term.in_translation(translation):
                wanted = " or ".join(repr(t) for t in term.translations)
                findings.append(
                    Finding(
                        path,
                        f"{_label(message)}: the source says {term.english!r}, which "
                        f"{glossary.name} translates as {wanted}; use it",
                        Severity.WARNING,
                        message.lineno,
                        code="glossary",
                    )
                )
    return findings


def _printable(message: Message) -> bool:
    return bool(message.id) and not message.fuzzy and has_text(message)


def language_problem(catalog: Catalog, folder: str) -> str | None:
    """What is wrong with the Language header of a catalog in locales/<folder>/, if anything;
    a missing header is left to `leaflets check`, since the folder names the language."""
    declared = catalog.locale_identifier
    if declared and declared.replace("-", "_").lower() != folder.replace("-", "_").lower():
        return (
            f"Language header says {declared!r} but the catalog is in the folder for "
            f"{folder!r}; fix the header or move the file"
        )
    return None
