"""Catalogs: extract messages from the templates, compile .po to .mo, and load translations.

Everything goes through Babel's Python API with the mapping in the project's babel.cfg, so that
`pybabel extract -F babel.cfg` does the same thing as `leaflets extract`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import PoFileError, read_po, write_po

from .errors import CatalogError
from .project import Project
from .untrusted import forbidden_characters
from .writing import write_atomic

COMMENT_TAGS = ("Translators:",)
PROJECT_NAME = "leaflets"
# %(name)s and %% in new-style Jinja2 gettext strings.
PLACEHOLDER_RE = re.compile(r"%\((\w+)\)[sd]")

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
    for filename, lineno, message, comments, context in extract_from_dir(
        project.root,
        method_map,
        options_map,
        keywords=DEFAULT_KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    ):
        catalog.add(
            message,
            None,
            [(filename, lineno)],
            auto_comments=comments,
            context=context,
            flags=("python-format",) if PLACEHOLDER_RE.search(_first(message)) else (),
        )
    return catalog


def write_template(project: Project, catalog: Catalog) -> Path:
    """Write locales/messages.pot."""
    buffer = BytesIO()
    write_po(buffer, catalog, width=76, sort_by_file=False, include_lineno=True)
    write_atomic(project.pot_path, buffer.getvalue())
    return project.pot_path


def _epoch_date(project: Project) -> datetime:
    # A fixed date keeps the template byte-identical when no message changed.
    import os
    from datetime import UTC

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


def _first(message: str | tuple[str, ...]) -> str:
    return message if isinstance(message, str) else message[0]


# ---------------------------------------------------------------- read and compile


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    """Read a .po file; a syntax error becomes a CatalogError at its line."""
    try:
        with path.open("rb") as fileobj:
            return read_po(fileobj, locale=None, abort_invalid=True, charset="utf-8")
    except FileNotFoundError:
        raise CatalogError(
            "catalog not found; run `leaflets init LANG` to start one", path
        ) from None
    except PoFileError as exc:
        line = getattr(exc, "lineno", None)
        raise CatalogError(
            f"syntax error: {exc.args[0] if exc.args else exc}", path, line
        ) from None
    except UnicodeDecodeError as exc:
        raise CatalogError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path) from None


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


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER_RE.findall(text))


def formats_cleanly(source: str, translation: str) -> bool:
    """True when the translation uses the source's placeholders and formats without error."""
    if placeholders(translation) != placeholders(source):
        return False
    try:
        translation % {name: "" for name in placeholders(source)}
    except (ValueError, TypeError, KeyError):
        return False
    return True


@dataclass
class Translations:
    """One language's translations, with every entry that could break a build already dropped.

    It records the messages that fell back to the source language while rendering, so the build
    can say how many strings a leaflet printed in English.
    """

    language: str
    messages: dict[MessageKey, str | tuple[str, ...]] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    """Source strings whose translation was dropped because its placeholders did not match."""
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
            if all(
                formats_cleanly(source[min(i, 1)], form) for i, form in enumerate(forms) if form
            ):
                result.messages[key] = forms
            else:
                result.rejected.append(source[0])
        elif message.string:
            if formats_cleanly(message.id, message.string):
                result.messages[key] = message.string
            else:
                result.rejected.append(message.id)
    return result


def _plural_function(expr: str | None):
    """A callable for a C plural expression, without eval of catalog text."""
    if not expr:
        return None
    import gettext

    try:
        return gettext.c2py(expr)
    except (ValueError, SyntaxError, RecursionError):
        return None
