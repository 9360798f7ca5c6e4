"""Status: honest figures per catalog (`leaflets status`): what would really print translated.

The figures follow the build's rule (translations.printable_catalog): a translation counts as
translated only if the build prints it. One that it leaves out because `leaflets check` calls
it an error is "rejected", in a column of its own, and so is an entry whose msgctxt was edited
(it still holds a translation, but matches no message). A catalog that cannot be read is
reported on its own row; the other languages' figures are still given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from ...config.model import Project
from ...config.paths import inside
from ...errors import CatalogError, OutsideProject
from ..checks.message import is_translated
from ..checks.project import edited_contexts
from ..fallback_reasons import Explainer
from ..fallbacks import Fallback
from ..po.catalog import not_translated, read_catalog, translated_languages
from ..po.messages import has_text, message_key
from ..review import LanguageReview, language_review
from .update import extract


@dataclass(frozen=True)
class LanguageStatus:
    """Honest figures for one catalog against the current templates."""

    code: str
    name: str
    path: Path
    exists: bool
    total: int
    translated: int
    """Printed translated: not fuzzy, every form filled in, no error from `leaflets check`."""
    fuzzy: int
    untranslated: int
    """Missing, or with no translation at all."""
    obsolete: int
    """`#~` entries, and entries the templates no longer use (until `leaflets update`)."""
    rejected: int = 0
    """Translated, but left out of the build: an error from `leaflets check`, or an edited
    msgctxt."""
    error: str | None = None
    """Why the catalog cannot be read ("file:line: problem"); its figures are then zero."""
    fallbacks: list[Fallback] = field(default_factory=list)
    """Every message that prints in the source language, with where and why."""
    review: LanguageReview | None = None
    """Approvals from review.toml; None without a (readable) catalog."""

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
            "error": self.error,
            "total": self.total,
            "translated": self.translated,
            "fuzzy": self.fuzzy,
            "untranslated": self.untranslated,
            "rejected": self.rejected,
            "obsolete": self.obsolete,
            "percent": self.percent,
            "fallbacks": [f.to_json() for f in self.fallbacks],
        }


def catalog_status(
    project: Project, lang: str, template: Catalog, catalog: Catalog | None = None
) -> LanguageStatus:
    language = project.languages[lang]
    path = project.po_path(lang)
    keys = [message_key(m) for m in template if m.id]
    base = {"code": lang, "name": language.name, "path": path}
    if catalog is None:
        try:
            catalog = read_catalog(path) if inside(project.root, path).exists() else None
        except (CatalogError, OutsideProject) as exc:
            where = path.relative_to(project.root).as_posix()
            where += f":{exc.line}" if exc.line else ""
            return LanguageStatus(
                **base, exists=True, total=len(keys), translated=0, fuzzy=0,
                untranslated=len(keys), obsolete=0, error=f"{where}: {exc.message}",
            )  # fmt: skip
    if catalog is None:
        return LanguageStatus(
            **base, exists=False, total=len(keys), translated=0, fuzzy=0,
            untranslated=len(keys), obsolete=0,
        )  # fmt: skip
    entries = {message_key(m): m for m in catalog if m.id}
    edited = edited_contexts(catalog, template)
    claimed = {message_key(belongs) for belongs in edited.values()}
    translated = fuzzy = rejected = 0
    printed = set()
    for key in keys:
        message = entries.get(key)
        if message is None:
            rejected += key in claimed
        elif is_translated(message, catalog.num_plurals, path):
            translated += 1
            printed.add(key)
        elif message.fuzzy and has_text(message):
            fuzzy += 1
        elif has_text(message):
            rejected += 1
    wanted = set(keys)
    unused = sum(1 for key in entries if key not in wanted and key not in edited)
    explainer = Explainer(project, lang, catalog)
    return LanguageStatus(
        **base,
        exists=True,
        total=len(keys),
        translated=translated,
        fuzzy=fuzzy,
        untranslated=len(keys) - translated - fuzzy - rejected,
        obsolete=len(catalog.obsolete) + unused,
        rejected=rejected,
        fallbacks=explainer.explain_all(k for k in keys if k not in printed),
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
