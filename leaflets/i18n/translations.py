"""Catalogs: extract, update, init, compile and status of the gettext catalogs; load translations.

Everything goes through Babel's Python API with the mapping in the project's babel.cfg, so that
`pybabel extract -F babel.cfg` does the same thing as `leaflets extract`.
"""

from __future__ import annotations

import gettext
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import jinja2
from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po, write_po

from ..config import project as project_mod
from ..config.project import LANG_CODE_RE, Project
from ..errors import CatalogError, ConfigError
from ..writing import write_atomic
from .placeholders import find_placeholders, formats_cleanly, plural_source
from .pofile import PO_WIDTH, keep_header, parse_catalog, po_bytes, read_catalog
from .untrusted import forbidden_characters

COMMENT_TAGS = ("Translators:",)
PROJECT_NAME = "leaflets"

MessageKey = str | tuple[str, str]


# ---------------------------------------------------------------- extract


def babel_cfg_path(project: Project) -> Path:
    return project.root / "babel.cfg"


def extract(project: Project) -> Catalog:
    """Extract every message from the templates into a Catalog, as pybabel would."""
    cfg = babel_cfg_path(project)
    try:
        with cfg.open(encoding="utf-8") as fileobj:
            method_map, options_map = parse_mapping_cfg(fileobj, str(cfg))
    except FileNotFoundError:
        raise CatalogError(
            "babel.cfg not found; it maps templates to the jinja2 extractor", cfg
        ) from None
    catalog = Catalog(
        project=PROJECT_NAME,
        version=None,
        charset="utf-8",
        msgid_bugs_address=None,
        creation_date=_epoch_date(project),
    )
    # Jinja's extractor skips a template with a syntax error silently by default: its messages
    # would vanish from the catalogs (moved to #~). Stop and name the template instead.
    for pattern, method in method_map:
        if "jinja2" in method:
            options_map.setdefault(pattern, {}).setdefault("silent", "false")
    current: list[str] = []

    def note_file(filename: str, method: str, options: dict) -> None:
        current[:] = [filename]

    found = extract_from_dir(
        project.root,
        method_map,
        options_map,
        keywords=DEFAULT_KEYWORDS,
        comment_tags=COMMENT_TAGS,
        callback=note_file,
        strip_comment_tags=True,
    )
    try:
        extracted = list(found)
    except jinja2.TemplateSyntaxError as exc:
        where = project.root / current[0] if current else None
        raise CatalogError(
            f"template syntax error: {exc.message}; fix the template, then run this again "
            "(no catalog was changed)",
            where,
            exc.lineno,
        ) from None
    for filename, lineno, message, comments, context in extracted:
        catalog.add(
            message,
            None,
            [(filename, lineno)],
            auto_comments=comments,
            context=context,
            flags=("python-format",) if _has_named_placeholder(_first(message)) else (),
        )
    return catalog


def write_template(project: Project, catalog: Catalog) -> Path:
    """Write locales/messages.pot, leaving it untouched when no message changed.

    extract() reuses the old POT-Creation-Date; a real change gets today's date (or
    SOURCE_DATE_EPOCH's), so the date says when the messages last changed.
    """
    data = _template_bytes(catalog)
    path = project.pot_path
    if path.exists() and path.read_bytes() == data:
        return path
    if not os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        catalog.creation_date = datetime.now(UTC).replace(microsecond=0)
        data = _template_bytes(catalog)
    write_atomic(path, data)
    return path


def _template_bytes(catalog: Catalog) -> bytes:
    buffer = BytesIO()
    write_po(buffer, catalog, width=PO_WIDTH, sort_by_file=False, include_lineno=True)
    return buffer.getvalue()


def _epoch_date(project: Project) -> datetime:
    # A fixed date keeps the template byte-identical when no message changed.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    if project.pot_path.exists():
        try:
            with project.pot_path.open("rb") as fileobj:
                return read_po(fileobj).creation_date
        except (PoFileError, ValueError, OSError):
            pass
    return datetime.now(UTC).replace(microsecond=0)


def _has_named_placeholder(text: str) -> bool:
    return any(p.style == "%" and p.name for p in find_placeholders(text))


def _first(message: str | tuple[str, ...]) -> str:
    return message if isinstance(message, str) else message[0]


# ---------------------------------------------------------------- compile


def is_stale(project: Project, lang: str) -> bool:
    po, mo = project.po_path(lang), project.mo_path(lang)
    return not mo.exists() or mo.stat().st_mtime_ns < po.stat().st_mtime_ns


def compile_catalog(project: Project, lang: str, *, force: bool = False) -> bool:
    """Compile locales/<lang>/.../messages.po to .mo if it is stale. Fuzzy entries are left out."""
    if not force and not is_stale(project, lang):
        return False
    catalog = read_catalog(project.po_path(lang))
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    write_atomic(project.mo_path(lang), buffer.getvalue())
    return True


# ---------------------------------------------------------------- translations at build time


@dataclass
class Translations:
    """One language's translations, with every entry that could break a build already dropped.

    It records the messages that fell back to the source language while rendering, so the build
    can say how many strings a leaflet printed in English.
    """

    language: str
    messages: dict[MessageKey, str | tuple[str, ...]] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    """Source strings whose translation was dropped: placeholders that do not match the source,
    a string that does not format, or a phone number or address of its own."""
    fallbacks: set[MessageKey] = field(default_factory=set)
    """Messages rendered in the source language (untranslated, fuzzy or rejected)."""
    plural_func: object = None
    is_source: bool = False
    """The source language: its messages are the msgids, so nothing falls back."""

    @classmethod
    def source(cls, language: str) -> Translations:
        return cls(language=language, is_source=True)

    def _lookup(self, key: MessageKey, default: str) -> str:
        found = self.messages.get(key)
        if isinstance(found, str) and found:
            return found
        if not self.is_source:
            self.fallbacks.add(key)
        return default

    def gettext(self, message: str) -> str:
        return self._lookup(message, message)

    def pgettext(self, context: str, message: str) -> str:
        return self._lookup((context, message), message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._plural(singular, singular, plural, n)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self._plural((context, singular), singular, plural, n)

    def _plural(self, key: MessageKey, singular: str, plural: str, n: int) -> str:
        forms = self.messages.get(key)
        if isinstance(forms, tuple) and self.plural_func is not None:
            index = self.plural_func(n)
            if 0 <= index < len(forms) and forms[index]:
                return forms[index]
        if not self.is_source:
            self.fallbacks.add(key)
        return singular if n == 1 else plural


def load_translations(project: Project, lang: str) -> Translations:
    """Compile the language's catalog if stale, then load it with unusable entries dropped."""
    if project.languages[lang].source:
        return Translations.source(lang)
    compile_catalog(project, lang)
    with project.mo_path(lang).open("rb") as fileobj:
        catalog = read_mo(fileobj)
    po_path = project.po_path(lang)
    try:
        return translations_from_catalog(catalog, lang, po_path)
    except CatalogError as exc:
        # A compiled catalog has no line numbers: find the entry in the .po file.
        msgid = getattr(exc, "msgid", None)
        entry = read_catalog(po_path).get(msgid) if msgid else None
        raise CatalogError(exc.message, po_path, entry.lineno if entry else None) from None


def translations_from_catalog(
    catalog: Catalog, lang: str, path: Path | None = None
) -> Translations:
    """Translations usable at build time; a translation with a forbidden character is an error."""
    result = Translations(language=lang, plural_func=_plural_function(catalog.plural_expr))
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        bad = forbidden_characters("".join(s or "" for s in strings))
        if bad:
            msgid = _first(message.id)
            short = msgid if len(msgid) <= 50 else msgid[:49] + "…"
            error = CatalogError(
                f'translation of msgid "{short}" contains {", ".join(bad)}; '
                "remove it: control and direction-override characters are not allowed",
                path,
            )
            error.msgid = msgid  # type: ignore[attr-defined]
            raise error
        key: MessageKey = (
            (message.context, _first(message.id)) if message.context else _first(message.id)
        )
        if isinstance(message.id, (list, tuple)):
            forms = tuple(message.string or ())
            source = message.id
            nplurals = catalog.num_plurals
            if all(
                formats_cleanly(plural_source(source, i, nplurals), form)
                for i, form in enumerate(forms)
                if form
            ):
                result.messages[key] = forms
            else:
                result.rejected.append(source[0])
        elif message.string and message.string.strip():
            if formats_cleanly(message.id, message.string):
                result.messages[key] = message.string
            else:
                result.rejected.append(message.id)
    return result


def _plural_function(expr: str | None):
    """A callable for a C plural expression, without eval of catalog text."""
    if not expr:
        return None
    try:
        return gettext.c2py(expr)
    except (ValueError, SyntaxError, RecursionError):
        return None


# ---------------------------------------------------------------- update


@dataclass(frozen=True)
class UpdateResult:
    """What `update` did to one language's catalog."""

    language: str
    path: Path
    changed: bool
    """False when the file was left byte-for-byte as it was."""
    missing: bool = False
    """No catalog yet: `leaflets init LANG` starts one."""
    added: int = 0
    """New messages, untranslated."""
    fuzzy: int = 0
    """Messages that became fuzzy: a changed source string with the old translation kept."""
    obsoleted: int = 0
    """Messages no longer in the templates, kept as `#~` entries."""
    revived: int = 0
    """`#~` entries whose message came back, restored with their translation."""


def message_key(message: Message) -> MessageKey:
    msgid = _first(message.id)
    return (message.context, msgid) if message.context else msgid


def translated_languages(project: Project) -> list[str]:
    """The languages with a catalog of their own: every language but the source."""
    return [code for code, lang in project.languages.items() if not lang.source]


def not_translated(project: Project, code: str) -> CatalogError:
    """The error for --lang CODE where a catalog is needed: the source, or an unknown code."""
    known = ", ".join(translated_languages(project))
    if code in project.languages:
        message = (
            f"{code!r} is the source language: its text is in the templates, not in a catalog; "
            f"the translated languages are: {known}"
        )
    else:
        message = (
            f"unknown language {code!r}; the translated languages are: {known} "
            f"(to add one, run `leaflets init {code}`)"
        )
    return CatalogError(message, project.config_path)


def refresh_template(project: Project) -> Catalog:
    """Extract the messages and write locales/messages.pot (untouched when nothing changed)."""
    template = extract(project)
    write_template(project, template)
    return template


def update_catalogs(project: Project, template: Catalog | None = None) -> list[UpdateResult]:
    """Merge the template into every language's catalog, as `pybabel update` would, losing nothing."""
    template = template if template is not None else refresh_template(project)
    return [update_catalog(project, lang, template) for lang in translated_languages(project)]


def update_catalog(
    project: Project, lang: str, template: Catalog, *, dry_run: bool = False
) -> UpdateResult:
    """Merge the template into one catalog.

    Changed strings become fuzzy and keep the previous msgid (`#|`); removed strings stay as
    obsolete `#~` entries; an obsolete entry whose message returns is restored. When the merge
    changes no entry the file is not written at all, so its bytes (and its header dates) stay
    exactly as they were. With `dry_run`, nothing is written: the result says what would change.
    """
    path = project.po_path(lang)
    if not path.exists():
        return UpdateResult(lang, path, changed=False, missing=True)
    raw = path.read_bytes()
    before = parse_catalog(raw, path)
    catalog = parse_catalog(raw, path)
    before_keys = {message_key(m): m for m in before if m.id}

    revived = _revive_obsolete(catalog, template)
    # Babel's update forgets the `#|` of an entry that was already fuzzy; remember them.
    previous = {message_key(m): m.previous_id for m in catalog if m.id and m.previous_id}
    catalog.update(template, update_header_comment=False, update_creation_date=False)
    for message in catalog:
        if not message.id or not message.fuzzy:
            continue
        key = message_key(message)
        if not message.previous_id and key in previous:
            message.previous_id = previous[key]
        ids = list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]
        matched = (message.context, message.previous_id[0]) if message.previous_id else None
        if matched and not matched[0]:
            matched = matched[1]
        if message.previous_id == ids or (matched in previous and previous[matched] == ids):
            # The source changed back to the very string this translation was made for.
            message.flags.discard("fuzzy")
            message.previous_id = []

    for key, message in list(catalog.obsolete.items()):
        if key not in before.obsolete and not _has_text(message):
            del catalog.obsolete[key]  # a newly obsolete, untranslated entry holds no work
    if po_bytes(catalog) == po_bytes(before):
        return UpdateResult(lang, path, changed=False)
    catalog.creation_date = template.creation_date
    if not dry_run:
        write_atomic(path, keep_header(raw, po_bytes(catalog), template.creation_date))

    after_keys = {message_key(m): m for m in catalog if m.id}
    newly_fuzzy = sum(
        1
        for key, m in after_keys.items()
        if m.fuzzy and not (key in before_keys and before_keys[key].fuzzy)
    )
    added = sum(1 for key, m in after_keys.items() if key not in before_keys and not _has_text(m))
    return UpdateResult(
        lang,
        path,
        changed=True,
        added=added,
        fuzzy=newly_fuzzy,
        obsoleted=max(0, len(catalog.obsolete) - len(before.obsolete) + revived),
        revived=revived,
    )


def _revive_obsolete(catalog: Catalog, template: Catalog) -> int:
    """Move `#~` entries whose message is back in the template into the catalog again."""
    wanted = {message_key(m) for m in template if m.id}
    revived = 0
    for key, message in list(catalog.obsolete.items()):
        if message_key(message) in wanted and message_key(message) not in catalog:
            del catalog.obsolete[key]
            catalog[message.id] = message
            revived += 1
    return revived


# ---------------------------------------------------------------- init

# Languages CLDR (and so Babel) has no data for, with the locale whose dates and numbers they use
# and their plural rule. Anything else needs --locale and, if the locale's rule is wrong, --plural.
KNOWN_LANGUAGES: dict[str, tuple[str, str, str]] = {
    # code: (own name, CLDR fallback locale, Plural-Forms)
    "acf": ("Kwéyòl", "fr", "nplurals=2; plural=(n > 1);"),
    "gcf": ("Kréyòl gwadloupéyen", "fr", "nplurals=2; plural=(n > 1);"),
    "ht": ("Kreyòl ayisyen", "fr", "nplurals=1; plural=0;"),
}
PLURAL_RE = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$")


@dataclass(frozen=True)
class NewLanguage:
    """What `init` did."""

    code: str
    name: str
    locale: str | None
    """CLDR fallback for formatting, or None when the code itself is a CLDR locale."""
    plural: str
    catalog: Path
    config_added: bool
    """True when a [languages.CODE] table was appended to leaflets.toml."""
    project: Project
    """The project reloaded with the new language."""


def babel_knows(code: str) -> bool:
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def parse_plural_rule(rule: str) -> tuple[int, str]:
    """(nplurals, expression) of a Plural-Forms rule, or ValueError saying what is wrong."""
    match = PLURAL_RE.match(rule)
    if not match:
        raise ValueError('expected a Plural-Forms rule such as "nplurals=2; plural=(n > 1);"')
    count, expr = int(match.group(1)), match.group(2)
    if not 1 <= count <= 6:
        raise ValueError(f"nplurals must be from 1 to 6, got {count}")
    try:
        func = gettext.c2py(expr)
        indexes = {func(n) for n in range(0, 200)}
    except (ValueError, SyntaxError, RecursionError, ZeroDivisionError) as exc:
        raise ValueError(f"not a C plural expression: {expr!r} ({exc})") from None
    if any(not 0 <= index < count for index in indexes):
        raise ValueError(f"the plural expression gives an index outside 0 to {count - 1}")
    return count, expr


def init_language(
    project: Project,
    code: str,
    *,
    name: str | None = None,
    locale: str | None = None,
    plural: str | None = None,
) -> NewLanguage:
    """Start a language: add it to leaflets.toml if needed, and its catalog from the template."""
    if not LANG_CODE_RE.match(code):
        raise CatalogError(
            f'{code!r} is not a language code; use one such as "fr", "acf" or "pt_BR"',
            project.config_path,
        )
    from .pseudo import is_pseudo  # here, not at the top: pseudo builds on this module

    if is_pseudo(code):
        raise CatalogError(f"{code} is the built-in pseudo-locale; it needs no catalog")
    path = project.po_path(code)
    if path.exists():
        raise CatalogError(
            "a catalog for this language exists already; run `leaflets update` to refresh it", path
        )
    existing = project.languages.get(code)
    if existing is not None and existing.source:
        raise CatalogError(
            f"{code} is the source language: the template is its catalog", project.config_path
        )
    known = KNOWN_LANGUAGES.get(code)
    if existing is not None:
        locale = locale or existing.locale
        plural = plural or existing.plural
        name = name or existing.name
    if locale is None and not babel_knows(code):
        if known is None:
            raise CatalogError(
                f"Babel has no formatting data for {code!r}; pass --locale with the closest "
                "language it knows for dates and numbers (for example --locale fr) and --plural "
                'with its Plural-Forms rule (for example "nplurals=2; plural=(n > 1);")'
            )
        locale = known[1]
    if locale is not None and not babel_knows(locale):
        raise CatalogError(f'--locale {locale!r} is not a locale Babel knows; try "fr" or "es_US"')
    if plural is None:
        plural = known[2] if known else str(get_plural((locale or code).replace("-", "_")))
    try:
        parse_plural_rule(plural)
    except ValueError as exc:
        raise CatalogError(f"--plural: {exc}") from None
    if name is None:
        # Never the fallback locale's name: Kwéyòl is not "français".
        name = known[0] if known else (_own_name(code) if babel_knows(code) else code)

    config_added = False
    if existing is None:
        project = _append_language(project, code, name, locale, plural)
        config_added = True

    template = refresh_template(project)
    catalog = _catalog_from_template(template, code, plural)
    write_atomic(path, po_bytes(catalog))
    return NewLanguage(code, name, locale, plural, path, config_added, project)


def _own_name(code: str) -> str:
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name() or code
    except (UnknownLocaleError, ValueError):
        return code


def _catalog_from_template(template: Catalog, code: str, plural: str) -> Catalog:
    # A copy through the .pot bytes, as `pybabel init` does: read the template as the new catalog.
    catalog = read_po(BytesIO(_template_bytes(template)), locale=None, charset="utf-8")
    catalog.locale = code.replace("-", "_")
    catalog.mime_headers = [("Plural-Forms", plural)]
    catalog.revision_date = datetime.now(UTC).replace(microsecond=0)
    catalog.fuzzy = False
    return catalog


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", escaped)
    return f'"{escaped}"'


def language_table(code: str, name: str, locale: str | None, plural: str) -> str:
    """The [languages.CODE] table that `init` adds to leaflets.toml."""
    lines = [f"[languages.{code}]", f"name = {_toml_string(name)}"]
    if locale:
        lines.append(
            _commented(f"locale = {_toml_string(locale)}", "CLDR locale for dates and numbers")
        )
    lines.append(f"plural = {_toml_string(plural)}")
    lines.append(_commented("reviewed = false", "true once a native speaker has reviewed it"))
    return "\n".join(lines) + "\n"


def _commented(line: str, comment: str) -> str:
    # Comments line up in column 25, as in the leaflets.toml that ships with the project.
    return f"{line.ljust(23)} # {comment}"


def _append_language(
    project: Project, code: str, name: str, locale: str | None, plural: str
) -> Project:
    """Insert the table after the last [languages.*] table, keeping the rest of the file as written.

    The file is reloaded and validated; if the result is not valid, the old text is put back.
    """
    path = project.config_path
    text = path.read_text(encoding="utf-8")
    table = language_table(code, name, locale, plural)
    new_text = _insert_table(text, table)
    write_atomic(path, new_text.encode("utf-8"))
    try:
        reloaded = project_mod.load(project.root)
        if code not in reloaded.languages:
            raise ConfigError(path, [f"languages.{code}: not found after adding it"])
    except ConfigError as exc:
        write_atomic(path, text.encode("utf-8"))
        raise CatalogError(
            f"could not add [languages.{code}] to leaflets.toml ({exc.message}); "
            f"add this table by hand:\n{table}",
            path,
        ) from None
    return reloaded


def _insert_table(text: str, table: str) -> str:
    lines = text.splitlines(keepends=True)
    header = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
    last_language = None
    for index, line in enumerate(lines):
        match = header.match(line)
        if match and match.group(1).split(".")[0].strip().strip('"') == "languages":
            last_language = index
    if last_language is None:
        return text + ("" if text.endswith("\n") or not text else "\n") + "\n" + table
    end = len(lines)
    for index in range(last_language + 1, len(lines)):
        if header.match(lines[index]):
            end = index
            break
    # Comments and blank lines just above the next table belong to that table.
    while end > last_language + 1 and (
        not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")
    ):
        end -= 1
    before = "".join(lines[:end])
    if not before.endswith("\n"):
        before += "\n"
    return before + "\n" + table + "".join(lines[end:])


# ---------------------------------------------------------------- status


@dataclass(frozen=True)
class LanguageStatus:
    """Honest figures for one catalog against the current templates."""

    code: str
    name: str
    reviewed: bool
    path: Path
    exists: bool
    total: int
    translated: int
    """Non-fuzzy entries with every plural form filled in."""
    fuzzy: int
    untranslated: int
    """Missing, empty, a plural entry with any empty form, or a translation the build drops."""
    obsolete: int
    """`#~` entries, and entries the templates no longer use (until `leaflets update`)."""

    @property
    def percent(self) -> float:
        """Translated share, rounded down to one decimal: 99.96 % is not 100 %."""
        if not self.total:
            return 100.0
        return (self.translated * 1000 // self.total) / 10

    def to_json(self) -> dict:
        return {
            "language": self.code,
            "name": self.name,
            "reviewed": self.reviewed,
            "catalog": str(self.path),
            "exists": self.exists,
            "total": self.total,
            "translated": self.translated,
            "fuzzy": self.fuzzy,
            "untranslated": self.untranslated,
            "obsolete": self.obsolete,
            "percent": self.percent,
        }


def is_translated(message: Message, nplurals: int) -> bool:
    """Printable: not fuzzy, every form the language needs is filled in, and the build would not
    drop it (see formats_cleanly): anything less prints in English, so it is not translated."""
    if message.fuzzy:
        return False
    if isinstance(message.id, (list, tuple)):
        forms = message.string if isinstance(message.string, (list, tuple)) else ()
        return len(forms) >= nplurals and all(
            form and form.strip() and formats_cleanly(plural_source(message.id, i, nplurals), form)
            for i, form in enumerate(forms[:nplurals])
        )
    return (
        isinstance(message.string, str)
        and bool(message.string.strip())
        and formats_cleanly(message.id, message.string)
    )


def _has_text(message: Message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return any(s and s.strip() for s in strings)


def catalog_status(
    project: Project, lang: str, template: Catalog, catalog: Catalog | None = None
) -> LanguageStatus:
    language = project.languages[lang]
    path = project.po_path(lang)
    keys = [message_key(m) for m in template if m.id]
    if catalog is None and path.exists():
        catalog = read_catalog(path)
    if catalog is None:
        return LanguageStatus(
            lang, language.name, language.reviewed, path, False, len(keys), 0, 0, len(keys), 0
        )
    entries = {message_key(m): m for m in catalog if m.id}
    translated = fuzzy = 0
    for key in keys:
        message = entries.get(key)
        if message is None:
            continue
        if is_translated(message, catalog.num_plurals):
            translated += 1
        elif message.fuzzy and _has_text(message):
            fuzzy += 1
    wanted = set(keys)
    unused = sum(1 for key in entries if key not in wanted)
    return LanguageStatus(
        code=lang,
        name=language.name,
        reviewed=language.reviewed,
        path=path,
        exists=True,
        total=len(keys),
        translated=translated,
        fuzzy=fuzzy,
        untranslated=len(keys) - translated - fuzzy,
        obsolete=len(catalog.obsolete) + unused,
    )


def status(project: Project, languages: list[str] | None = None) -> list[LanguageStatus]:
    """Figures for every translated language, against messages freshly extracted from templates."""
    template = extract(project)
    codes = languages or translated_languages(project)
    for code in codes:
        if code not in project.languages or project.languages[code].source:
            raise not_translated(project, code)
    return [catalog_status(project, code, template) for code in codes]
