"""Starting a language (`leaflets init LANG`): its table in leaflets.toml and its catalog.

Works for languages CLDR does not know (St. Lucian Kwéyòl, `acf`), which borrow another
locale's formats and bring their own plural rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural

from ...config import project as project_mod
from ...config.model import LANG_CODE_RE, Project
from ...config.paths import inside
from ...errors import CatalogError, ConfigError
from ...writing import write_atomic
from ..po.catalog import (
    configured_width,
    header_date,
    header_message,
    parse_catalog,
    parse_plural_rule,
    po_bytes,
)
from ..pseudo import is_pseudo
from .update import refresh_template, template_bytes

# Languages CLDR (and so Babel) has no data for, with the locale whose dates and numbers they use
# and their plural rule. Anything else needs --locale and, if the locale's rule is wrong, --plural.
KNOWN_LANGUAGES: dict[str, tuple[str, str, str]] = {
    # code: (own name, CLDR fallback locale, Plural-Forms)
    "acf": ("Kwéyòl", "fr", "nplurals=2; plural=(n > 1);"),
    "gcf": ("Kréyòl gwadloupéyen", "fr", "nplurals=2; plural=(n > 1);"),
    "ht": ("Kreyòl ayisyen", "fr", "nplurals=1; plural=0;"),
}


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


def init_language(
    project: Project,
    code: str,
    *,
    name: str | None = None,
    locale: str | None = None,
    plural: str | None = None,
) -> NewLanguage:
    """Start a language: add it to leaflets.toml if needed, and its catalog from the template."""
    path = _new_catalog_path(project, code)
    existing = project.languages.get(code)
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
    catalog = _catalog_from_template(project, template, code, name, plural)
    write_atomic(path, po_bytes(catalog, width=configured_width(project)))
    return NewLanguage(code, name, locale, plural, path, config_added, project)


def _new_catalog_path(project: Project, code: str) -> Path:
    """Where the new catalog goes, once `code` is shown to be a language that may start one."""
    if not LANG_CODE_RE.fullmatch(code):
        raise CatalogError(
            f'{code!r} is not a language code; use one such as "fr", "acf" or "pt_BR"',
            project.config_path,
        )
    if is_pseudo(code):
        raise CatalogError(f"{code} is the built-in pseudo-locale; it needs no catalog")
    path = project.po_path(code)
    if inside(project.root, path).exists():
        raise CatalogError(
            "a catalog for this language exists already; run `leaflets update` to refresh it", path
        )
    existing = project.languages.get(code)
    if existing is not None and existing.source:
        raise CatalogError(
            f"{code} is the source language: the template is its catalog", project.config_path
        )
    return path


def _own_name(code: str) -> str:
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name() or code
    except (UnknownLocaleError, ValueError):
        return code


def _catalog_from_template(
    project: Project, template: Catalog, code: str, name: str, plural: str
) -> Catalog:
    """A copy of the template through its .pot bytes, as msginit makes one, with a header of
    its own. Nobody has translated it yet, so Last-Translator and Language-Team say so in
    msginit's words (a translation tool puts the translator's name there on the first save),
    and no placeholder address such as EMAIL@ADDRESS is written."""
    pot = project.pot_path
    catalog = parse_catalog(template_bytes(template), pot)
    template_fields = _fields(header_message(catalog).string)
    now = datetime.now(UTC).replace(microsecond=0)
    fields = [
        ("Project-Id-Version", template_fields.get("Project-Id-Version", "leaflets")),
        ("POT-Creation-Date", template_fields.get("POT-Creation-Date", header_date(now))),
        ("PO-Revision-Date", header_date(now)),
        ("Last-Translator", "Automatically generated"),
        ("Language-Team", "none"),
        ("Language", code),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("Plural-Forms", plural),
    ]
    english = Locale.parse(code.replace("-", "_")).english_name if babel_knows(code) else name
    comments = [
        f"{english} translations for leaflets.",
        f"Copyright (C) {now.year} {project.organisation}",
        "This file is distributed under the same license as the leaflets project.",
        "",
    ]
    header = Message("", "".join(f"{k}: {v}\n" for k, v in fields), user_comments=comments)
    catalog[""] = header
    catalog.po_header = header
    return catalog


def _fields(header: str) -> dict[str, str]:
    pairs = (line.partition(":") for line in header.splitlines())
    return {key.strip(): value.strip() for key, colon, value in pairs if colon}


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
    # No `reviewed` line: a new language is a draft until every translation is approved in
    # the studio; the key is only an override.
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
    text = inside(project.root, path).read_text(encoding="utf-8")
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
