"""Catalog checks: the mistakes a translator can make in a .po file, as findings at file:line.

Every check is a plain function from one message (or catalog) to findings; `check_catalogs`
runs them all over the project. Catalogs are untrusted input: a file that does not even parse is
one finding at its line, never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from ..config.model import Project
from ..config.paths import inside
from ..errors import CatalogError, OutsideProject
from ..findings import Finding, Severity
from ..untrusted import forbidden_characters
from .messages import message_key
from .placeholders import (
    BESIDE,
    TOGETHER,
    added_contact_facts,
    contact_facts,
    find_placeholders,
    formats,
    placeholders,
    plural_source,
    strip_placeholders,
)
from .pofile import parse_catalog, read_catalog, read_source
from .translations import not_translated, parse_plural_rule, translated_languages
from .workflow import extract

# The marker that lets a translation equal its source (names, acronyms, numbers): a flag
# `#, allow-identical`, or a translator comment `# allow-identical` (Poedit's "comment" box).
ALLOW_IDENTICAL = "allow-identical"

_MARKUP_RE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#[xX][0-9A-Fa-f]+);|url\(|[<>]", re.I)
_LETTERS_RE = re.compile(r"[^\W\d_]{2,}")


# ---------------------------------------------------------------- message checks


def check_placeholders(source: str, translation: str) -> list[str]:
    """Placeholders dropped, added, renamed or changed (a width, a precision, a flag), in both
    directions; and strings that do not format."""
    expected, found = find_placeholders(source), find_placeholders(translation)
    problems = []
    missing = sorted(expected - found, key=str)
    extra = sorted(found - expected, key=str)
    # A changed token is paired with the source's token of the same name, if there is one.
    for now in list(extra):
        was = next((p for p in missing if (p.style, p.name) == (now.style, now.name)), None)
        if was is not None:
            missing.remove(was)
            extra.remove(now)
            problems.append(
                f"placeholder {now} should be {was}, as in the source; copy it unchanged "
                "(no width, precision or flags)"
            )
    while missing and extra:
        was, now = missing.pop(0), extra.pop(0)
        problems.append(f"placeholder {now} should be {was}, as in the source; copy it unchanged")
    for was in missing:
        problems.append(f"placeholder {was} is missing; copy it from the source unchanged")
    for now in extra:
        if now.style == "%" and not now.name:
            problems.append("a lone % sign is read as a placeholder; write %% for a percent sign")
        else:
            problems.append(f"placeholder {now} is not in the source; remove it")
    names = placeholders(source)
    if not problems and formats(source, names) and not formats(translation, names):
        problems.append("does not format; write %% for a percent sign")
    return problems


def check_markup(source: str, translation: str) -> list[str]:
    """Markup that the source does not have: tags, entities, CSS url()."""
    new = [m.group(0) for m in _MARKUP_RE.finditer(translation)]
    old = [m.group(0) for m in _MARKUP_RE.finditer(source)]
    for item in old:
        if item in new:
            new.remove(item)
    if not new:
        return []
    shown = ", ".join(dict.fromkeys(new))
    return [f"markup in a translation ({shown}) is printed as it is; write plain text"]


def check_whitespace(source: str, translation: str) -> list[str]:
    problems = []
    lead = (re.match(r"\s*", source).group(), re.match(r"\s*", translation).group())
    trail = (re.search(r"\s*$", source).group(), re.search(r"\s*$", translation).group())
    if lead[0] != lead[1]:
        problems.append(f"leading space differs from the source ({lead[1]!r} vs {lead[0]!r})")
    if trail[0] != trail[1]:
        problems.append(f"trailing space differs from the source ({trail[1]!r} vs {trail[0]!r})")
    return problems


def check_contact_facts(source: str, translation: str) -> list[str]:
    """A phone number, domain name, e-mail address or URL in a translation that the source
    does not have, or digits written where they would join a printed number.

    Every contact fact comes from contacts.toml; a catalog must not be able to change one, so
    the build drops such a translation too.
    """
    problems = []
    for fact in added_contact_facts(source, translation):
        if fact.kind == TOGETHER:
            problems.append(
                "two placeholders have only spaces or punctuation between them, so their values "
                "would read as one number; put a word between them, as the source does"
            )
        elif fact.kind == BESIDE:
            problems.append(
                f"{fact.text!r} is written next to a placeholder or at the start or end of the "
                "message, where it would print as part of a phone number; remove it or put "
                "words between"
            )
        else:
            advice = (
                " (if it is not an address, put a space after the full stop)"
                if fact.kind == "domain name"
                else ""
            )
            problems.append(
                f"adds the {fact.kind} {fact.text!r}; phone numbers and addresses come from "
                f"contacts.toml, remove it{advice}"
            )
    return problems


def check_characters(translation: str) -> list[str]:
    """Control characters and direction overrides: a build refuses the catalog (untrusted.py)."""
    bad = forbidden_characters(translation)
    if not bad:
        return []
    return [
        f"contains {', '.join(bad)}; remove it: control and direction-override characters "
        "are not allowed"
    ]


def allows_identical(message: Message) -> bool:
    comments = [*message.user_comments, *message.auto_comments]
    return ALLOW_IDENTICAL in message.flags or any(
        re.search(rf"\b{ALLOW_IDENTICAL}\b", c, re.I) for c in comments
    )


def check_identical(source: str, translation: str, message: Message) -> list[str]:
    # Strings of placeholders and punctuation ("%(first)s–%(last)s") may well stay the same.
    if translation.strip() != source.strip() or not _LETTERS_RE.search(strip_placeholders(source)):
        return []
    if allows_identical(message):
        return []
    return [
        "translation is identical to the English source; translate it, or if it must stay the "
        f"same (a name, an acronym) add the comment `# {ALLOW_IDENTICAL}` to the entry"
    ]


# ---------------------------------------------------------------- one catalog


@dataclass(frozen=True)
class CatalogContext:
    """What the checks of one catalog need to know about its language."""

    path: Path
    language: str
    plural: str | None = None
    """The Plural-Forms rule from leaflets.toml, if it sets one."""


def check_catalog(context: CatalogContext) -> list[Finding]:
    """Every check on one .po file."""
    path = context.path
    try:
        data = read_source(path)
        catalog = parse_catalog(data, path)
    except CatalogError as exc:
        return [Finding(path, exc.message, Severity.ERROR, exc.line, code="syntax")]
    text = data.decode("utf-8-sig")
    findings = check_header(catalog, context, text)
    for message in catalog:
        if message.id:
            findings += check_message(message, catalog.num_plurals, path)
    return findings


def _header_line(text: str, field: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f'"{field}:'):
            return number
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith('msgid ""'):
            return number
    return 1


def check_header(catalog: Catalog, context: CatalogContext, text: str) -> list[Finding]:
    findings = []
    folder = context.language
    declared = catalog.locale_identifier
    if not declared:
        findings.append(
            Finding(
                context.path,
                f'no Language header; add "Language: {folder}\\n" to the header entry',
                line=_header_line(text, "Language"),
                code="language-header",
            )
        )
    elif _norm(declared) != _norm(folder):
        findings.append(
            Finding(
                context.path,
                f"Language header says {declared!r} but the catalog is in the folder for "
                f"{folder!r}; fix the header or move the file",
                line=_header_line(text, "Language"),
                code="language-header",
            )
        )
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
                        line=_header_line(text, "Plural-Forms"),
                        code="plural-forms",
                    )
                )
        except ValueError:
            pass  # leaflets.toml's own validation reports a bad rule
    return findings


def _norm(code: str) -> str:
    return code.replace("-", "_").lower()


def _squash(expr: str) -> str:
    return re.sub(r"\s+|^\(|\)$", "", expr)


def check_message(message: Message, nplurals: int, path: Path) -> list[Finding]:
    """The checks of one entry. Fuzzy and untranslated entries never print, so they are skipped."""
    if message.fuzzy or not message.string:
        return []
    line = message.lineno
    findings: list[Finding] = []

    def add(problems: list[str], code: str, severity: Severity = Severity.ERROR) -> None:
        label = _label(message)
        for problem in problems:
            findings.append(Finding(path, f"{label}: {problem}", severity, line, code=code))

    if isinstance(message.id, (list, tuple)):
        forms = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        if not any(f for f in forms):
            return []
        if len(forms) != nplurals:
            add(
                [
                    f"has {len(forms)} plural forms but Plural-Forms says {nplurals}; give msgstr[0]"
                    f" to msgstr[{nplurals - 1}]"
                ],
                "plural",
            )
        empty = [i for i, form in enumerate(forms) if not form.strip()]
        if empty:
            add([f"plural form msgstr[{i}] is empty; fill in every form" for i in empty], "plural")
        pairs = [
            (plural_source(message.id, i, nplurals), form)
            for i, form in enumerate(forms)
            if form.strip()
        ]
    else:
        pairs = [(message.id, message.string)]
    for source, translation in pairs:
        add(check_placeholders(source, translation), "placeholder")
        add(check_markup(source, translation), "markup")
        add(check_contact_facts(source, translation), "contact")
        add(check_identical(source, translation, message), "identical")
        add(check_whitespace(source, translation), "whitespace", Severity.WARNING)
        add(check_characters(translation), "character")
    return findings


def _label(message: Message) -> str:
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    short = msgid if len(msgid) <= 40 else msgid[:37] + "..."
    context = f" ({message.context})" if message.context else ""
    return f"{short!r}{context}"


# ---------------------------------------------------------------- the project


def check_sources(project: Project, template: Catalog) -> list[Finding]:
    """Contact facts written into the templates' text, where a translator could break them."""
    findings = []
    for message in template:
        if not message.id:
            continue
        for msgid in message.id if isinstance(message.id, (list, tuple)) else (message.id,):
            for fact in contact_facts(msgid):
                filename, lineno = message.locations[0] if message.locations else ("", None)
                findings.append(
                    Finding(
                        project.root / filename,
                        f"{fact.text!r} is written into a translatable string; put it in contacts.toml "
                        "and pass it to the string as a placeholder",
                        line=lineno,
                        code="source-fact",
                    )
                )
    return findings


def check_up_to_date(project: Project, lang: str, template: Catalog) -> list[Finding]:
    path = project.po_path(lang)
    try:
        catalog = read_catalog(path)  # check_catalogs has checked that it is inside
    except CatalogError:
        return []  # reported by check_catalog
    have = {message_key(m) for m in catalog if m.id}
    missing = [m for m in template if m.id and message_key(m) not in have]
    if not missing:
        return []
    return [
        Finding(
            path,
            f"{len(missing)} messages of the templates are not in this catalog; "
            "run `leaflets update`",
            Severity.WARNING,
            code="outdated",
        )
    ]


def check_catalogs(project: Project, languages: list[str] | None = None) -> list[Finding]:
    """Every catalog check over the project's translated languages."""
    template = extract(project)
    findings = check_sources(project, template)
    codes = languages or translated_languages(project)
    for code in codes:
        language = project.languages.get(code)
        if language is None or language.source:
            raise not_translated(project, code)
        path = project.po_path(code)
        try:
            inside(project.root, path)
        except OutsideProject as exc:
            findings.append(Finding(path, exc.message, code="outside"))
            continue
        if not path.exists():
            findings.append(
                Finding(path, f"no catalog for {code}; run `leaflets init {code}`", code="missing")
            )
            continue
        findings += check_catalog(CatalogContext(path, code, language.plural))
        findings += check_up_to_date(project, code, template)
    if languages is None:
        findings += _unknown_catalogs(project)
    return findings


def _unknown_catalogs(project: Project) -> list[Finding]:
    findings = []
    if not project.locales_dir.is_dir():
        return findings
    for po in sorted(project.locales_dir.glob("*/LC_MESSAGES/messages.po")):
        code = po.parent.parent.name
        if code not in project.languages:
            findings.append(
                Finding(
                    po,
                    f"leaflets.toml has no [languages.{code}]; add it (or run "
                    f"`leaflets init {code}` on a fresh copy) so the catalog is built",
                    Severity.WARNING,
                    code="unknown-language",
                )
            )
    return findings
