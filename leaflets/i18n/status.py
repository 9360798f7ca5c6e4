"""Status: honest figures per catalog (`leaflets status`): what would really print translated."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from ..config.model import Project
from ..config.paths import inside
from .messages import has_text, is_translated, message_key
from .pofile import read_catalog
from .review import LanguageReview, language_review
from .translations import not_translated, translated_languages
from .workflow import extract


@dataclass(frozen=True)
class LanguageStatus:
    """Honest figures for one catalog against the current templates."""

    code: str
    name: str
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
    review: LanguageReview | None = None
    """Approvals from review.toml; None without a catalog."""

    @property
    def reviewed(self) -> bool:
        """The draft note's answer (review.is_reviewed): every translation approved, or the
        override in leaflets.toml."""
        return self.review.reviewed if self.review else False

    @property
    def review_column(self) -> str:
        """`leaflets status`'s "reviewed" column: yes or no, and why."""
        if self.review is None:
            return "no"
        if self.review.override is not None:
            return f"{'yes' if self.review.override else 'no'} (leaflets.toml)"
        done = f"{self.review.approved}/{self.review.translated}"
        return f"yes ({done})" if self.review.complete else f"no ({done})"

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
            "approved": self.review.approved if self.review else 0,
            "approvals_void": self.review.changed if self.review else 0,
            "reviewed_set_in_config": self.review is not None and self.review.override is not None,
            "catalog": str(self.path),
            "exists": self.exists,
            "total": self.total,
            "translated": self.translated,
            "fuzzy": self.fuzzy,
            "untranslated": self.untranslated,
            "obsolete": self.obsolete,
            "percent": self.percent,
        }


def catalog_status(
    project: Project, lang: str, template: Catalog, catalog: Catalog | None = None
) -> LanguageStatus:
    language = project.languages[lang]
    path = project.po_path(lang)
    keys = [message_key(m) for m in template if m.id]
    if catalog is None and inside(project.root, path).exists():
        catalog = read_catalog(path)
    if catalog is None:
        return LanguageStatus(lang, language.name, path, False, len(keys), 0, 0, len(keys), 0)
    entries = {message_key(m): m for m in catalog if m.id}
    translated = fuzzy = 0
    for key in keys:
        message = entries.get(key)
        if message is None:
            continue
        if is_translated(message, catalog.num_plurals):
            translated += 1
        elif message.fuzzy and has_text(message):
            fuzzy += 1
    wanted = set(keys)
    unused = sum(1 for key in entries if key not in wanted)
    return LanguageStatus(
        code=lang,
        name=language.name,
        path=path,
        exists=True,
        total=len(keys),
        translated=translated,
        fuzzy=fuzzy,
        untranslated=len(keys) - translated - fuzzy,
        obsolete=len(catalog.obsolete) + unused,
        review=language_review(project, lang, catalog),
    )


def status(project: Project, languages: list[str] | None = None) -> list[LanguageStatus]:
    """Figures for every translated language, against messages freshly extracted from templates."""
    template = extract(project)
    codes = languages or translated_languages(project)
    for code in codes:
        if code not in project.languages or project.languages[code].source:
            raise not_translated(project, code)
    return [catalog_status(project, code, template) for code in codes]
