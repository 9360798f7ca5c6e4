"""What the studio shows of one language's catalog: each message's source, notes, context,
translation, check findings and review state, as JSON for the page.

A Desk is read from the files as they are now (the .po, or messages.pot for the source
language, and review.toml) and read again whenever either changes, in any program.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message

from ..config.model import CONFIG_NAME, Project
from ..errors import LeafletsError, display_path
from ..findings import Finding
from ..i18n import review
from ..i18n.checks.message import check_message
from ..i18n.po.catalog import read_catalog
from ..i18n.po.messages import MessageKey, has_text, message_key, split_key


def describe_error(exc: LeafletsError, root: Path) -> dict[str, Any]:
    """An error for the page: each problem as `file:line: message`, and the first file and line
    apart (a ConfigError may list several problems, each at its own line)."""
    if not (root / CONFIG_NAME).is_file():
        # The folder was moved or renamed under the running studio: every file is "missing",
        # and advice about one of them ("run `leaflets init es`") would mislead.
        return {"text": moved_message(root), "file": None, "line": None}
    path = exc.path
    shown = None
    if path is not None:
        shown = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    problems = getattr(exc, "problems", None) or [exc.message]
    numbers = getattr(exc, "lines", None) or [exc.line] * len(problems)
    text = "\n".join(
        f"{shown}:{line}: {problem}"
        if shown and line
        else f"{shown}: {problem}"
        if shown
        else problem
        for problem, line in zip(problems, numbers, strict=False)
    )
    return {"text": text, "file": shown, "line": exc.line}


def moved_message(root: Path) -> str:
    return (
        f"the project folder {display_path(root)} is no longer there: was it moved or renamed "
        "while the studio ran? Nothing was saved. Stop the studio (Ctrl-C) and start it again "
        "in the project's new place"
    )


def is_draft(message: Message) -> bool:
    """Fuzzy, with a translation to check: approvable as it is once it passes the checks."""
    return bool(message.fuzzy and has_text(message))


def checks_as_approved(message: Message, nplurals: int, path: Path) -> list[Finding]:
    """The checks of a message; of a draft (fuzzy, which `leaflets check` skips), also what it
    would find once the fuzzy mark is gone, so that the reviewer sees it before approving and
    an error keeps the approval refused."""
    findings = check_message(message, nplurals, path)
    if not is_draft(message):
        return findings
    unmarked = copy.copy(message)
    unmarked.flags = set(message.flags) - {"fuzzy"}
    return [f for f in findings if f.code == "fuzzy"] + check_message(unmarked, nplurals, path)


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "severity": str(finding.severity),
        "message": finding.message,
        "line": finding.line,
        "code": finding.code,
    }


@dataclass
class Desk:
    """One language's catalog as the page shows it."""

    project: Project
    lang: str
    source: bool
    catalog: Catalog | None = None
    approvals: dict[MessageKey, review.Approval] = field(default_factory=dict)
    summary: review.LanguageReview | None = None
    error: dict[str, Any] | None = None
    messages: dict[MessageKey, Message] = field(default_factory=dict)
    open_comments: dict[MessageKey, int] = field(default_factory=dict)
    """Open comment threads per message (comments.py), filled in by the Studio."""

    @classmethod
    def load(cls, project: Project, lang: str) -> Desk:
        source = project.languages[lang].source
        desk = cls(project, lang, source)
        path = project.pot_path if source else project.po_path(lang)
        try:
            desk.catalog = read_catalog(path)
            if not source:
                desk.approvals = review.load_approvals(project, lang)
                desk.summary = review.language_review(project, lang, desk.catalog, desk.approvals)
        except LeafletsError as exc:
            desk.error = describe_error(exc, project.root)
            return desk
        desk.messages = {message_key(m): m for m in desk.catalog if m.id}
        return desk

    @property
    def path(self) -> Path:
        return self.project.pot_path if self.source else self.project.po_path(self.lang)

    def describe(self, key: MessageKey) -> dict[str, Any]:
        """One message: what the reviewer reads in the tooltip and the editor."""
        context, msgid = split_key(key)
        message = self.messages.get(key)
        data: dict[str, Any] = {
            "context": context,
            "id": msgid,
            "in_catalog": message is not None,
            "open_comments": self.open_comments.get(key, 0),
        }
        if message is None:
            data.update(notes=[], locations=[], string=None, strings=None, fuzzy=False)
            data.update(previous_id=None)
            data.update(findings=[], line=None, review={"state": "not in the catalog"})
            return data
        plural = isinstance(message.id, (list, tuple))
        strings = list(message.string) if plural else [message.string]
        if self.source:
            strings = list(message.id) if plural else [message.id]
        data.update(
            id_plural=message.id[1] if plural else None,
            notes=[c for c in message.auto_comments if c.strip()],
            comments=[c for c in message.user_comments if c.strip()],
            locations=[f"{name}:{line}" for name, line in message.locations],
            string=None if plural else strings[0],
            strings=strings if plural else None,
            fuzzy=message.fuzzy,
            # The English a draft was translated from, before it changed (the `#| msgid`).
            previous_id=(message.previous_id or [None])[0] if message.fuzzy else None,
            line=message.lineno,
            findings=[]
            if self.source
            else [finding_json(f) for f in checks_as_approved(message, self._nplurals, self.path)],
            review=self._review(message),
        )
        return data

    @property
    def _nplurals(self) -> int:
        return self.catalog.num_plurals if self.catalog is not None else 2

    def _review(self, message: Message) -> dict[str, Any]:
        if self.source:
            return {"state": "source"}
        state, approval = review.message_state(message, self.approvals, self._nplurals, self.path)
        return {
            "state": str(state),
            "reviewer": approval.reviewer if approval else None,
            "date": approval.date.isoformat() if approval else None,
        }

    def summary_json(self) -> dict[str, Any]:
        language = self.project.languages[self.lang]
        if self.source:
            return {"reviewed": True, "source": True}
        summary = self.summary
        return {
            "source": False,
            "reviewed": summary.reviewed if summary else False,
            "approved": summary.approved if summary else 0,
            "translated": summary.translated if summary else 0,
            "messages": summary.messages if summary else 0,
            "changed": summary.changed if summary else 0,
            "override": language.reviewed,
            # A catalog that cannot be read: its error, where the counts would be.
            "error": self.error["text"] if self.error else None,
        }
