"""`leaflets check`: every catalog check over the project, and the checks that need the
templates: contact facts typed into a source string, catalogs behind the templates, and an
entry whose msgctxt was edited by hand (it no longer matches its message, so it never prints).
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message

from ...config.model import Project
from ...config.paths import inside
from ...errors import CatalogError, OutsideProject
from ...findings import Finding, Severity
from ..po.catalog import not_translated, read_catalog, translated_languages
from ..po.compiled import recorded
from ..po.messages import first, message_key
from . import language_id
from .catalog import CatalogContext, check_catalog
from .glossary import glossary_path
from .message import _label
from .placeholders import contact_facts


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
                        f"{fact.text!r} is written into a translatable string; put it in "
                        "contacts.toml and pass it to the string as a placeholder",
                        line=lineno,
                        code="source-fact",
                    )
                )
    return findings


def edited_contexts(catalog: Catalog, template: Catalog) -> dict[object, Message]:
    """Catalog entries whose msgctxt the templates do not use with their msgid, by the entry's
    key, each with the template entry it must belong to (one the catalog lacks)."""
    wanted = {message_key(m) for m in template if m.id}
    have = {message_key(m) for m in catalog if m.id}
    by_msgid: dict[str, list[Message]] = {}
    for message in template:
        if message.id and message_key(message) not in have:
            by_msgid.setdefault(first(message.id), []).append(message)
    found = {}
    for message in catalog:
        key = message_key(message)
        if message.id and key not in wanted and by_msgid.get(first(message.id)):
            found[key] = by_msgid[first(message.id)][0]
    return found


def check_contexts(catalog: Catalog, template: Catalog, path) -> list[Finding]:
    findings = []
    entries = {message_key(m): m for m in catalog if m.id}
    for key, belongs in edited_contexts(catalog, template).items():
        message = entries[key]
        if belongs.context is None:
            fix = "the templates have this msgid without one: delete the msgctxt line"
        elif message.context is None:
            fix = f'the templates give it msgctxt "{belongs.context}": put that line back'
        else:
            fix = f'the templates say msgctxt "{belongs.context}": put it back as it was'
        findings.append(
            Finding(
                path,
                f"{_label(message)}: this msgctxt was changed, so the entry no longer matches its "
                f"message and is never printed; {fix} (msgctxt is not translated)",
                line=message.lineno,
                code="msgctxt",
            )
        )
    return findings


def check_up_to_date(catalog: Catalog, template: Catalog, path) -> list[Finding]:
    have = {message_key(m) for m in catalog if m.id}
    claimed = {message_key(m) for m in edited_contexts(catalog, template).values()}
    missing = [m for m in template if m.id and message_key(m) not in have | claimed]
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


def check_catalogs(
    project: Project, template: Catalog, languages: list[str] | None = None
) -> list[Finding]:
    """Every catalog check over the project's translated languages; `template` is the messages
    freshly extracted from the templates (`commands.update.extract`)."""
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
        glossary = glossary_path(project.locales_dir, code)
        try:
            inside(project.root, glossary)
        except OutsideProject as exc:
            findings.append(Finding(glossary, exc.message, code="outside"))
        # The language identifier's verdicts from the last compile: only new text loads it.
        language_id.remember(recorded(project, code).get("verdicts"))
        findings += check_catalog(catalog_context(project, code))
        try:
            catalog = read_catalog(path)
        except CatalogError:
            continue  # reported by check_catalog
        findings += check_contexts(catalog, template, path)
        findings += check_up_to_date(catalog, template, path)
    if languages is None:
        findings += _unknown_catalogs(project)
    return findings


def catalog_context(project: Project, code: str) -> CatalogContext:
    """What the checks of one language's catalog need from the project."""
    glossary = glossary_path(project.locales_dir, code)
    try:
        inside(project.root, glossary)
    except OutsideProject:
        glossary = None  # check_catalogs reports it
    names = {other: language_names(project, other) for other in project.languages}
    language = project.languages[code]
    return CatalogContext(project.po_path(code), code, language.plural, glossary, names)


def language_names(project: Project, code: str) -> tuple[str, ...]:
    """The names a header may give a language: leaflets.toml's, and CLDR's in English and in
    the language itself."""
    names = {project.languages[code].name}
    try:
        locale = Locale.parse(code.replace("-", "_"))
        names |= {locale.english_name or "", locale.get_display_name(locale) or ""}
    except (ValueError, LookupError, UnknownLocaleError):
        pass  # a language CLDR does not know (acf): its own name in leaflets.toml is enough
    return tuple(sorted(name for name in names if name))


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
