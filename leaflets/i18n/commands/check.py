"""`leaflets check`: every catalog check, against messages freshly extracted from the templates."""

from __future__ import annotations

from ...config.model import Project
from ...findings import Finding
from ..checks.project import check_catalogs
from .update import extract


def check_project(project: Project, languages: list[str] | None = None) -> list[Finding]:
    """Every catalog check over these languages (default: every translated language)."""
    return check_catalogs(project, extract(project), languages)
