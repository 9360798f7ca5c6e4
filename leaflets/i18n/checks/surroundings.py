"""What the checks of one entry need to know beyond the entry: the project's languages, the
words this language keeps in another language (`foreign_words`), its glossary, and the other
catalogs' translations of the same messages.

A catalog at locales/<lang>/LC_MESSAGES/messages.po finds them around it, in the project folder
that holds locales/: so every caller of `check_message` (the build's compiler, `leaflets
check`, status, the studio's saves and the fallback reasons) judges an entry the same way
without passing the project along. They are read once and kept until one of their files
changes (by size and time, checked on each call; a few stat calls).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from babel.messages.catalog import Message

from ...config.project import CONFIG_NAME, CONTACTS_NAME
from ...config.project import load as load_project
from ...errors import LeafletsError
from ..po.catalog import read_catalog
from ..po.messages import MessageKey, has_text, message_key
from .glossary import GLOSSARY_NAME, Term, load_glossary

DEFAULT_SOURCE = "en"
"""The source language of a catalog outside a project (a test's, say)."""


@dataclass(frozen=True)
class Surroundings:
    language: str
    source: str
    """The source language's code: the msgids are in it."""
    languages: tuple[str, ...]
    """Every language of the project, the source and this one among them."""
    names: dict[str, str] = field(default_factory=dict)
    """Each language's name from leaflets.toml, for messages."""
    kept: tuple[str, ...] = ()
    """Words this language keeps in another language (leaflets.toml's foreign_words)."""
    terms: tuple[Term, ...] = ()
    """The language's glossary."""
    others: dict[str, dict[MessageKey, tuple[str, ...]]] = field(default_factory=dict)
    """The other translated languages' translations that print (not fuzzy), by message."""

    def name(self, code: str) -> str:
        return self.names.get(code, code)

    @cached_property
    def content(self) -> str:
        """All of it but `others`, as text: with an entry's other_translations(), what its
        checks read here, by content (memo.stored_key)."""
        fields = [self.language, self.source, self.languages, self.names, self.kept]
        return json.dumps([*fields, [repr(term) for term in self.terms]], ensure_ascii=True)

    def other_translations(self, message: Message) -> list[tuple[str, tuple[str, ...]]]:
        key = message_key(message)
        return [(code, found[key]) for code, found in self.others.items() if key in found]


_cache: dict[Path, tuple[tuple, Surroundings]] = {}
_projects: dict[Path, tuple[tuple, object]] = {}
_catalogs: dict[Path, tuple[tuple, dict]] = {}


def surroundings_of(path: Path) -> Surroundings | None:
    """The surroundings of the catalog at `path`; None when it is not at
    <locales>/<lang>/LC_MESSAGES/messages.po."""
    places = _places(path)
    if places is None:
        return None
    locales, lang, inputs = places
    others = [found for name, found in _catalogs_in(locales) if name != lang]
    stamp = tuple(_stamp(p) for p in [*inputs, *others])
    cached = _cache.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    found = _read(path, locales, [Path(other) for other in others])
    _cache[path] = (stamp, found)
    return found


@lru_cache(maxsize=256)
def _places(path: Path) -> tuple[Path, str, tuple[str, ...]] | None:
    """(locales, the language, the files besides the other catalogs that the surroundings
    come from) of a catalog at <locales>/<lang>/LC_MESSAGES/messages.po; None elsewhere."""
    if path.parent.name != "LC_MESSAGES":
        return None
    locales = path.parent.parent.parent
    root = locales.parent
    inputs = (root / CONFIG_NAME, root / CONTACTS_NAME, path.parent.parent / GLOSSARY_NAME)
    return locales, path.parent.parent.name, tuple(os.fspath(p) for p in inputs)


def _catalogs_in(locales: Path) -> list[tuple[str, str]]:
    """(language, path) of locales/*/LC_MESSAGES/messages.po, sorted, as glob finds them: by
    os.scandir and plain strings, because every check of every message asks (pathlib's glob
    took half a millisecond a call)."""
    try:
        with os.scandir(locales) as entries:
            names = sorted(e.name for e in entries if not e.name.startswith(".") and e.is_dir())
    except OSError:
        return []
    folder = os.fspath(locales)
    found = [(name, os.path.join(folder, name, "LC_MESSAGES", "messages.po")) for name in names]
    return [(name, path) for name, path in found if os.path.exists(path)]


def _stamp(path: Path | str) -> tuple:
    try:
        info = os.stat(path)
    except OSError:
        return (os.fspath(path), None)
    return (os.fspath(path), info.st_mtime_ns, info.st_size)


def _project(root: Path):
    """The project at `root`, loaded again only when one of its files changed; None when it
    cannot be loaded (`leaflets check` and the build report the file themselves)."""
    stamp = (_stamp(root / CONFIG_NAME), _stamp(root / CONTACTS_NAME))
    cached = _projects.get(root)
    if cached is None or cached[0] != stamp:
        try:
            project = load_project(root) if (root / CONFIG_NAME).is_file() else None
        except LeafletsError:
            project = None
        cached = _projects[root] = (stamp, project)
    return cached[1]


def _read(path: Path, locales: Path, others: list[Path]) -> Surroundings:
    language = path.parent.parent.name
    project = _project(locales.parent)
    if project is not None:
        source = project.source_language.code
        languages = tuple(project.languages)
        names = {code: lang.name for code, lang in project.languages.items()}
        own = project.languages.get(language)
        kept = (
            tuple(w for words in (own.foreign_words or {}).values() for w in words) if own else ()
        )
    else:
        source = DEFAULT_SOURCE
        languages = (source, language, *(p.parent.parent.name for p in others))
        names, kept = {}, ()
    glossary = path.parent.parent / GLOSSARY_NAME
    terms, _ = load_glossary(glossary) if _inside(glossary, locales) else ([], [])
    translations = {}
    for other in others:
        code = other.parent.parent.name
        if code in languages and code != source:
            translations[code] = _printed(other)
    return Surroundings(language, source, languages, names, kept, tuple(terms), translations)


def _inside(path: Path, folder: Path) -> bool:
    """Whether a file resolves inside the folder (a glossary linked from elsewhere is none)."""
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True


def _printed(path: Path) -> dict[MessageKey, tuple[str, ...]]:
    """A catalog's translations that print (not fuzzy), read again only when it changed."""
    stamp = _stamp(path)
    cached = _catalogs.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        catalog = read_catalog(path)
    except (LeafletsError, OSError):
        catalog = []
    found = {}
    for message in catalog:
        if message.id and not message.fuzzy and has_text(message):
            strings = message.string
            found[message_key(message)] = (
                tuple(strings) if isinstance(strings, (list, tuple)) else (strings,)
            )
    _catalogs[path] = (stamp, found)
    return found
