"""Cache keys: what each output depends on, hashed part by part (manifest.py keeps them).

An output's fingerprint is a set of named parts, one hash per dependency: the template and the
templates it includes or imports, its stylesheets, the compiled catalog of its language,
contacts.toml, the parts of leaflets.toml it reads, the font files, the fast-subsetter switch
and the versions of WeasyPrint, its libraries and leaflets. Naming the parts lets the build say
*why* an output is rebuilt ("catalog es changed").

Nothing here imports WeasyPrint, Jinja2 or Babel: a build with nothing to do must not pay for
them. What the memo does not know is worked out by cache_misses.py, which does.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

from .. import __version__, source_hash
from ..config.model import Project
from ..config.paths import inside, read_project_file
from ..i18n.po import compiled
from ..layout.harfbuzz import fast_subsetter_library
from ..layout.template_files import template_file
from ..pdf.reproducible import source_date

# Libraries whose code shapes the PDF besides WeasyPrint itself: CSS and HTML parsing, PDF
# writing, font subsetting, CLDR formatting, the QR code and phone number display.
LIBRARIES = (
    "pydyf",
    "fonttools",
    "tinycss2",
    "cssselect2",
    "tinyhtml5",
    "jinja2",
    "markupsafe",
    "babel",
    "segno",
    "phonenumbers",
    "fontpkg",
)
# The font packages are not listed: the "fonts" part hashes every file of the declared families.
# leaflets.toml keys that never change a PDF's bytes.
IGNORED_CONFIG_KEYS = {("build", "out")}
# leaflets.toml tables `leaflets build` does not read: editions are for print orders only.
IGNORED_CONFIG_TABLES = {"editions"}


def digest(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


@dataclass(frozen=True)
class Fingerprint:
    """Dependency name → hash (or version). Two builds of an output with equal fingerprints write
    the same bytes."""

    parts: dict[str, str]

    @property
    def key(self) -> str:
        return digest(_canonical(self.parts))

    def changes_from(self, old: Mapping[str, str]) -> list[str]:
        """What differs from an older fingerprint, in words: "catalog es changed"."""
        changes = []
        for name in sorted(set(old) | set(self.parts)):
            if name not in old:
                changes.append(f"{name} added")
            elif name not in self.parts:
                changes.append(f"{name} removed")
            elif old[name] != self.parts[name]:
                changes.append(f"{name} changed")
        return changes


class Fingerprinter:
    """Computes fingerprints for one build, hashing each shared dependency once.

    `memo` (kept in the manifest) remembers what is costly to find out and rarely changes: the
    templates each template references, by the template's hash, and the font files' hash, by
    their sizes and times. With it, a no-op build neither imports Jinja2's parser nor fontpkg.
    """

    def __init__(
        self,
        project: Project,
        options: Mapping[str, str] | None = None,
        memo: dict[str, Any] | None = None,
    ):
        self.project = project
        self.options = dict(options or {})
        """Build options that change the PDFs (a --fit override, say), folded into every key."""
        self.memo = memo if memo is not None else {}
        self._files: dict[Path, str] = {}
        self._catalogs: dict[str, str] = {}

    def fingerprint(self, leaflet_name: str, lang: str) -> Fingerprint:
        project = self.project
        leaflet = project.leaflets[leaflet_name]
        parts: dict[str, str] = {}
        for name in self.templates_of(leaflet.template):
            parts[f"templates/{name}"] = self._template(name)
        for name in project.stylesheet_names(leaflet):
            parts[name] = self._file(project.root / name, "stylesheet")
        language = project.languages.get(lang)
        # The source language has no catalog, and neither has the pseudo-locale, which the
        # leaflets code (part of every key) computes from the English.
        if language is not None and not language.source:
            parts[f"catalog {lang}"] = self.catalog(lang)
            # The draft note: approving the last translation removes it from every PDF.
            parts[f"review {lang}"] = self.review(lang)
        parts["contacts.toml"] = self.contacts
        parts.update(self._config_parts(leaflet_name, lang))
        parts["fonts"] = self.fonts(project.fonts_of(lang))
        parts.update(self.software)
        for name, value in sorted(self.options.items()):
            parts[f"option {name}"] = value
        return Fingerprint(parts)

    # ------------------------------------------------------------ templates

    def templates_of(self, name: str) -> list[str]:
        """`name` and every template it extends, includes or imports, found by parsing them.

        A template that names another through a variable, or does not parse, makes the whole
        templates/ folder a dependency: imprecise, but never stale.
        """
        seen: list[str] = []
        queue = [name]
        while queue:
            current = queue.pop()
            if current in seen:
                continue
            seen.append(current)
            refs = self._references(current)
            if refs is None:
                return self._all_templates()
            queue.extend(refs)
        return sorted(seen)

    def _template(self, name: str) -> str:
        """A template's hash, found as the loader finds it: "/etc/passwd" is
        templates/etc/passwd, and a name the loader refuses ("../x") is no file at all."""
        path = template_file(self.project.templates_dir, name)
        return "missing" if path is None else self._file(path, "template")

    def _references(self, name: str) -> list[str] | None:
        sha = self._template(name)
        known = self.memo.setdefault("templates", {}).get(name)
        if known and known.get("sha") == sha:
            return known.get("refs")
        path = template_file(self.project.templates_dir, name)
        refs = None if path is None else _misses().template_references(path, name)
        self.memo["templates"][name] = {"sha": sha, "refs": refs}
        return refs

    def _all_templates(self) -> list[str]:
        root = self.project.templates_dir
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())

    # ------------------------------------------------------------ other inputs

    def catalog(self, lang: str) -> str:
        """The compiled catalog's hash, without its trailer (the .po's key). Compiling first
        means an edit to a comment or a fuzzy entry, which leaves the catalog alone, rebuilds
        nothing."""
        if lang not in self._catalogs:
            if compiled.is_stale(self.project, lang):
                _misses().compile_stale_catalog(self.project, lang)
            _, mo = compiled.catalog_paths(self.project, lang)
            try:
                body, _ = compiled.split(mo.read_bytes())
                self._catalogs[lang] = digest(body)
            except OSError:
                self._catalogs[lang] = "missing"
        return self._catalogs[lang]

    def review(self, lang: str) -> str:
        """ "reviewed" or "draft" (review.is_reviewed), remembered in the memo by the hashes
        of the catalog and review.toml: a no-op build neither reads the catalog nor imports
        Babel to know it, and an approval that leaves the state as it was rebuilds nothing."""
        if self.project.languages[lang].reviewed is not None:
            # Set in leaflets.toml, whose [languages.LANG] table is a part of its own.
            return "set in leaflets.toml"
        files = (
            self._file(self.project.po_path(lang), "catalog"),
            self._file(self.project.review_path(lang), "review"),
        )
        known = self.memo.setdefault("review", {}).get(lang)
        if known and known.get("files") == list(files):
            return known["state"]
        state = _misses().review_state(self.project, lang)
        self.memo["review"][lang] = {"files": list(files), "state": state}
        return state

    @cached_property
    def contacts(self) -> str:
        # The validated contacts, not the file: a comment or reordered key changes no PDF.
        return digest(repr(self.project.contacts))

    @cached_property
    def _config(self) -> dict[str, Any]:
        return tomllib.loads(self.project.config_text)

    def _config_parts(self, leaflet_name: str, lang: str) -> dict[str, str]:
        """leaflets.toml minus what cannot change this output: other leaflets, other languages
        (the source language stays: every leaflet names it), build.out and editions. A table
        added later counts until it is listed here as irrelevant."""
        config = self._config
        source = self.project.source_language.code
        parts: dict[str, str] = {}
        for key, value in config.items():
            if key in IGNORED_CONFIG_TABLES:
                continue
            if key == "leaflets":
                parts["leaflets.toml [leaflets." + leaflet_name + "]"] = digest(
                    _canonical(value.get(leaflet_name))
                )
            elif key == "languages":
                for code in sorted({lang, source}):
                    parts[f"leaflets.toml [languages.{code}]"] = digest(_canonical(value.get(code)))
            else:
                if isinstance(value, dict):
                    value = {k: v for k, v in value.items() if (key, k) not in IGNORED_CONFIG_KEYS}
                parts[f"leaflets.toml [{key}]"] = digest(_canonical(value))
        return parts

    def fonts(self, families: tuple[str, ...]) -> str:
        """The hash of every file of the families, in their order, remembered in the memo by
        the files' sizes and times: a no-op build does not import fontpkg."""
        name = ", ".join(families)
        if "sha" in self.memo.setdefault("fonts", {}):  # a manifest from before families
            self.memo["fonts"] = {}
        known = self.memo["fonts"].get(name)
        if (
            isinstance(known, dict)
            and isinstance(known.get("files"), list)
            and all(_stat(Path(f[-3])) == f[-2:] for f in known["files"])
        ):
            return known["sha"]
        hasher = hashlib.sha256()
        files = []
        for (family, weights, style), path in _misses().fonts_of(families).items():
            hasher.update(f"{family} {weights} {style} {path}\n".encode())
            hasher.update(self._file(path, "font").encode())
            files.append([family, weights, style, str(path), *_stat(path)])
        self.memo["fonts"][name] = {"files": files, "sha": hasher.hexdigest()}
        return self.memo["fonts"][name]["sha"]

    @cached_property
    def software(self) -> dict[str, str]:
        versions = installed_versions(("weasyprint", *LIBRARIES))
        return {
            # SOURCE_DATE_EPOCH is written into the PDF as its date.
            "SOURCE_DATE_EPOCH": source_date() or "unset",
            "WeasyPrint version": versions.pop("weasyprint"),
            "libraries": digest(_canonical(versions)),
            # HarfBuzz and fontTools subset fonts differently, so the PDFs differ.
            "font subsetter": "harfbuzz" if fast_subsetter_library() else "fonttools",
            "leaflets version": f"{__version__} {source_hash()}",
        }

    def _file(self, path: Path, kind: str) -> str:
        """The hash of a regular file of `kind` under its size bound (FileRefused otherwise),
        or "missing"."""
        if path not in self._files:
            # Project files must stay inside the project; the font package lives elsewhere.
            inside(self.project.root, path, outside_ok=True)
            try:
                self._files[path] = digest(read_project_file(path, kind))
            except OSError:
                self._files[path] = "missing"
        return self._files[path]


def _stat(path: Path) -> list[int]:
    try:
        stat = path.stat()
    except OSError:
        return [-1, -1]
    return [stat.st_size, stat.st_mtime_ns]


def installed_versions(names: Iterable[str]) -> dict[str, str]:
    """Versions of installed distributions, from their .dist-info folder names.

    importlib.metadata reads each distribution's METADATA and costs ~6 ms a package; listing
    the folders that hold them is enough here, and keeps a no-op build quick.
    """
    wanted = {name.lower().replace("-", "_"): name for name in names}
    found: dict[str, str] = {}
    for folder in dict.fromkeys(sys.path):
        try:
            entries = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in entries:
            if not entry.endswith(".dist-info"):
                continue
            dist, _, version = entry[: -len(".dist-info")].partition("-")
            key = dist.lower().replace("-", "_").replace(".", "_")
            if key in wanted and wanted[key] not in found:
                found[wanted[key]] = version
    for name in wanted.values():
        if name not in found:
            # Not installed as a wheel (a source checkout, say): ask the metadata API.
            found[name] = _misses().distribution_version(name)
    return found


def _misses() -> ModuleType:
    """cache_misses.py, imported on the first miss."""
    # Here, not at the top: it loads Jinja2, Babel and importlib.metadata, which a build whose
    # memo knows every answer (nothing changed) must not.
    from . import cache_misses

    return cache_misses
