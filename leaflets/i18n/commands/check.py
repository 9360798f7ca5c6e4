"""`leaflets check`: every catalog check, against messages freshly extracted from the templates."""

from __future__ import annotations

from ...config.model import Project
from ...findings import Finding
from ..checks.project import check_catalogs
from ..po.catalog import translated_languages
from ..review import approval_problems
from .update import extract

# translated_languages: the languages checked by default, which `leaflets check` counts.
__all__ = ["check_project", "translated_languages"]


def check_project(project: Project, languages: list[str] | None = None) -> list[Finding]:
    """Every catalog check over these languages (default: every translated language), and a
    warning for each approval in their review.toml that does not count."""
    findings = check_catalogs(project, extract(project), languages)
    for code in languages or translated_languages(project):
        if code in project.languages and not project.languages[code].source:
            findings += approval_problems(project, code)
    return findings
