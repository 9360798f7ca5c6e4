"""`leaflets check`: every catalog check, against messages freshly extracted from the templates."""

from __future__ import annotations

from ...config.model import Project
from ...findings import Finding
from ..checks.project import check_catalogs
from ..po.catalog import translated_languages
from .update import extract

# translated_languages: the languages checked by default, which `leaflets check` counts.
__all__ = ["check_project", "translated_languages"]


def check_project(project: Project, languages: list[str] | None = None) -> list[Finding]:
    """Every catalog check over these languages (default: every translated language)."""
    return check_catalogs(project, extract(project), languages)
