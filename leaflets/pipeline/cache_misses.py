"""What the cache works out when its memo does not know the answer, with the libraries a build
with nothing to do must not load: the templates a template references (Jinja2's parser), a
stale catalog compiled (Babel), a language's review state (its catalog and review.toml), the
files of the font families (fontpkg) and a library's version from its metadata
(importlib.metadata).

cache.py imports this module on its first miss; a build after a change that misses pays for it,
and goes on to render anyway.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
from functools import cache
from pathlib import Path

import jinja2
import jinja2.sandbox
from jinja2 import meta

from ..config.fonts import font_files
from ..config.model import Project
from ..config.paths import read_project_file
from ..i18n.review import is_reviewed
from ..i18n.translations import compile_catalog


def template_references(path: Path, name: str) -> list[str] | None:
    """The templates the template at `path` extends, includes or imports; None when it names
    one through a variable or does not parse (the cache then depends on every template)."""
    try:
        text = read_project_file(path, "template").decode("utf-8")
        ast = _parser().parse(text, name)
    except (OSError, UnicodeDecodeError, jinja2.TemplateSyntaxError):
        return None
    refs = list(meta.find_referenced_templates(ast))
    return None if None in refs else sorted({r for r in refs if r})


@cache
def _parser() -> jinja2.Environment:
    # For parsing only: the renderer's extensions, so that {% trans %} parses. Sandboxed like
    # the renderer's, though parsing runs nothing.
    return jinja2.sandbox.SandboxedEnvironment(extensions=["jinja2.ext.i18n"])


def compile_stale_catalog(project: Project, lang: str) -> None:
    """Compile the language's .po, whose .mo was not compiled from it as it is now."""
    compile_catalog(project, lang)


def review_state(project: Project, lang: str) -> str:
    """ "reviewed" or "draft": whether the language's leaflets carry the draft note."""
    return "reviewed" if is_reviewed(project, lang) else "draft"


def fonts_of(families: tuple[str, ...]) -> dict[tuple[str, str, str], Path]:
    """Every file of the families, in their order (config/fonts.py)."""
    return font_files(families)


def distribution_version(name: str) -> str:
    """A library's version from its metadata: for one not installed as a wheel."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "missing" if importlib.util.find_spec(name) is None else "unknown"
