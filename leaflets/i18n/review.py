"""Review state: which translations a native speaker approved, in locales/<lang>/review.toml.

An approval names a message by its msgctxt and msgid and holds the SHA-256 of the msgstr it
approved, with the reviewer's name and the date. The file sits beside the catalog, not in it,
so Poedit, Weblate, msgmerge and `leaflets update` leave it alone; and because it holds a hash,
a tool that changes a translation voids that translation's approval without knowing about it.

A language is reviewed when every message in its catalog has a translation that prints, and
every one of those translations is approved as it stands now (`LanguageReview.complete`). That,
or an explicit `reviewed = true` or `false` in leaflets.toml, is `is_reviewed()`: the one answer
that the draft note, `leaflets status`, print orders and the build's cache key all read.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import tomli_w
from pydantic import AfterValidator, ValidationError

from ..config.model import Project
from ..config.paths import inside, read_project_file
from ..config.toml_lines import TomlSyntaxError, parse_toml
from ..config.validation import Expected, Problems, Table, explain, keypath, problem, strings
from ..errors import ReviewFileError
from ..findings import Finding, Severity
from ..untrusted import forbidden_characters
from ..writing import replace_if_unchanged
from .checks.message import is_translated
from .po.catalog import read_catalog
from .po.messages import MessageKey, key_of, message_key

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog, Message

REVIEWER_MAX = 100
HEADER = """\
# Review state of this folder's catalog, written by `leaflets serve` (the review studio).
# Each [[approved]] table is one translation a reviewer approved: the message's msgctxt and
# msgid, the SHA-256 of the msgstr as approved, who approved it and when. Changing that
# translation in any tool voids its approval; the language counts as reviewed when every
# translation in the catalog is approved.
"""


# ---------------------------------------------------------------- the file


def _hex_digest(text: str) -> str:
    if len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
        raise problem(f"expected 64 lower-case hex digits (a SHA-256), got {text!r}")
    return text


def _reviewer_name(name: str) -> str:
    if not name.strip() or len(name) > REVIEWER_MAX or forbidden_characters(name):
        raise problem(f"expected the reviewer's name (1 to {REVIEWER_MAX} characters)")
    return name


ReviewerName = Annotated[str, Expected("the reviewer's name"), AfterValidator(_reviewer_name)]


class ApprovalTable(Table):
    msgctxt: str | None = None
    msgid: str
    msgid_plural: str | None = None
    msgstr_sha256: Annotated[str, AfterValidator(_hex_digest)]
    reviewer: ReviewerName
    date: date


@dataclass(frozen=True)
class Approval:
    """One approved translation."""

    context: str | None
    msgid: str
    sha256: str
    """Of the msgstr as approved (plural forms joined by NUL): see translation_sha256()."""
    reviewer: str
    date: date
    msgid_plural: str | None = None

    @property
    def key(self) -> MessageKey:
        return key_of(self.context, self.msgid)

    def to_toml(self) -> dict[str, Any]:
        table = {
            "msgctxt": self.context,
            "msgid": self.msgid,
            "msgid_plural": self.msgid_plural,
            "msgstr_sha256": self.sha256,
            "reviewer": self.reviewer,
            "date": self.date,
        }
        return {name: value for name, value in table.items() if value is not None}


def parse_approvals(text: str, path: Path) -> dict[MessageKey, Approval]:
    """The valid approvals in review.toml's text; an entry that is not valid is left out (it
    costs that approval alone: approval_problems() says which). A file that is not TOML at all
    is a ReviewFileError."""
    return read_approvals(text, path).approvals


@dataclass
class ReviewText:
    """review.toml as read: the approvals that count, the problems of those that do not (line,
    message), and what was left out as it was written, so that a rewrite keeps it."""

    approvals: dict[MessageKey, Approval]
    problems: list[tuple[int | None, str]]
    left_out: dict[str, Any]
    """Keys other than `approved`, and under `approved` the tables that do not count."""


def read_approvals(text: str, path: Path) -> ReviewText:
    """review.toml's text, read. Each [[approved]] table is checked on its own, so that one bad
    reviewer name does not void the language."""
    try:
        data = parse_toml(text)
    except TomlSyntaxError as exc:
        raise ReviewFileError(path, [exc.message], exc.line) from None
    problems = Problems(text)
    for key in data.keys() - {"approved"}:
        problems.add(key, "unknown key; review.toml holds [[approved]] tables only")
    left_out = {key: value for key, value in data.items() if key != "approved"}
    tables = data.get("approved", [])
    if not isinstance(tables, list):
        problems.add("approved", "expected [[approved]] tables")
        left_out["approved"], tables = tables, []
    approvals: dict[MessageKey, Approval] = {}
    for index, table in enumerate(tables):
        approval = _approval(table, index, problems)
        if approval is not None and approval.key in approvals:
            problems.add(
                keypath(("approved", index, "msgid")),
                f"msgid {approval.msgid!r} is approved a second time; the first counts",
            )
            approval = None
        if approval is None:
            left_out.setdefault("approved", []).append(table)
        else:
            approvals[approval.key] = approval
    return ReviewText(approvals, problems.found, left_out)


def _approval(table: Any, index: int, problems: Problems) -> Approval | None:
    """One [[approved]] table as an Approval, or None after adding its problems."""
    before = len(problems.found)
    for loc, value in strings(table):
        if bad := forbidden_characters(value):
            problems.add(
                keypath(("approved", index, *loc)),
                f"contains {', '.join(bad)}; control and direction-override characters are "
                "not allowed",
            )
    if len(problems.found) > before:
        return None  # said once: the name's own check would say it again
    try:
        t = ApprovalTable.model_validate(table)
    except ValidationError as exc:
        for loc, message in explain(exc, ApprovalTable):
            problems.add(keypath(("approved", index, *loc)), message)
        return None
    return Approval(t.msgctxt, t.msgid, t.msgstr_sha256, t.reviewer, t.date, t.msgid_plural)


def approval_problems(project: Project, lang: str) -> list[Finding]:
    """A warning for each approval in review.toml that does not count, at its line."""
    path = project.review_path(lang)
    try:
        text = _decode(read_project_file(inside(project.root, path), "review"), path)
    except FileNotFoundError:
        return []
    return [
        Finding(
            path,
            f"{message}; this approval does not count until it is fixed or given again",
            line=line,
            code="review-file",
            severity=Severity.WARNING,
        )
        for line, message in read_approvals(text, path).problems
    ]


def load_approvals(project: Project, lang: str) -> dict[MessageKey, Approval]:
    """The language's approvals; none when it has no review.toml yet."""
    path = project.review_path(lang)
    try:
        data = read_project_file(inside(project.root, path), "review")
    except FileNotFoundError:
        return {}
    return parse_approvals(_decode(data, path), path)


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReviewFileError(
            path, [f"not UTF-8 text ({exc.reason} at byte {exc.start})"]
        ) from None


def review_bytes(approvals: Iterable[Approval], left_out: dict[str, Any] | None = None) -> bytes:
    """review.toml's text: the header comment, then the approvals sorted by context and msgid,
    so that the file diffs well; then, as they were, the entries that do not count (a person
    fixes them; leaflets never drops them)."""
    ordered = sorted(approvals, key=lambda a: (a.context or "", a.msgid))
    left_out = dict(left_out or {})
    tables = [a.to_toml() for a in ordered] + list(left_out.pop("approved", []))
    data = {**left_out, **({"approved": tables} if tables else {})}
    body = tomli_w.dumps(data) if data else ""
    return (HEADER + ("\n" + body if body else "")).encode("utf-8")


def update_approvals(
    project: Project,
    lang: str,
    add: Iterable[Approval] = (),
    remove: Iterable[MessageKey] = (),
    attempts: int = 5,
) -> dict[MessageKey, Approval]:
    """Add (or replace) and remove approvals, and write review.toml atomically.

    The file is read again just before it is replaced; if another program changed it in the
    meantime, the change is applied to the new text instead, so nothing written there is lost.
    """
    path = project.review_path(lang)
    inside(project.root, path)
    add, remove = list(add), list(remove)
    _check_writable(add, path)
    for _ in range(attempts):
        try:
            before: bytes | None = read_project_file(path, "review")
        except FileNotFoundError:
            before = None
        read = read_approvals(_decode(before, path), path) if before is not None else None
        approvals = read.approvals if read else {}
        # Entries that do not count stay as written, but one for a message approved or
        # withdrawn now is settled by that.
        settled = {*remove, *(a.key for a in add)}
        left_out = _without(read.left_out if read else {}, settled)
        for key in remove:
            approvals.pop(key, None)
        for approval in add:
            approvals[approval.key] = approval
        data = review_bytes(approvals.values(), left_out)
        again = read_approvals(data.decode("utf-8"), path)
        if again.approvals != approvals or again.left_out != left_out:
            raise ReviewFileError(path, ["would not read back as written; nothing was written"])
        if replace_if_unchanged(path, before, data):
            return approvals
    raise ReviewFileError(path, ["keeps changing while being written; try again"])


def _without(left_out: dict[str, Any], keys: set[MessageKey]) -> dict[str, Any]:
    tables = left_out.get("approved")
    if not isinstance(tables, list):
        return left_out
    kept = [t for t in tables if _table_key(t) not in keys]
    rest = {k: v for k, v in left_out.items() if k != "approved"}
    return {**rest, "approved": kept} if kept else rest


def _table_key(table: Any) -> MessageKey | None:
    """The message an [[approved]] table names, if it names one plainly."""
    if not isinstance(table, dict):
        return None
    context, msgid = table.get("msgctxt"), table.get("msgid")
    if isinstance(msgid, str) and (context is None or isinstance(context, str)):
        return key_of(context, msgid)
    return None


def _check_writable(approvals: list[Approval], path: Path) -> None:
    """A ReviewFileError, before anything is written, for an approval its reader would refuse
    (a reviewer name of spaces, a direction override): the file must never hold an entry that
    the next read leaves out."""
    problems = Problems("")
    for index, approval in enumerate(approvals):
        _approval(approval.to_toml(), index, problems)
    if problems:
        found = [re.sub(r"^approved\[\d+\]\.", "", m) for m in problems.messages]
        raise ReviewFileError(path, [f"not written: {m}" for m in found])


# ---------------------------------------------------------------- messages and languages


def translation_sha256(message: Message) -> str:
    """The hash an approval holds: of the msgstr, or of the plural forms joined by NUL."""
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return hashlib.sha256("\0".join(s or "" for s in strings).encode("utf-8")).hexdigest()


def msgid_plural(message: Message) -> str | None:
    return message.id[1] if isinstance(message.id, (list, tuple)) else None


def approval_of(message: Message, reviewer: str, day: date) -> Approval:
    """An approval of the message's translation as it stands."""
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    return Approval(
        message.context, msgid, translation_sha256(message), reviewer, day, msgid_plural(message)
    )


class MessageState(StrEnum):
    APPROVED = "approved"
    UNAPPROVED = "not approved"
    CHANGED = "changed since it was approved"
    """An approval whose hash no longer matches: the translation was edited after approval."""
    UNTRANSLATED = "not translated"
    """Empty, fuzzy, or rejected by the build: nothing of this language prints, so nothing to
    approve."""


def message_state(
    message: Message,
    approvals: dict[MessageKey, Approval],
    nplurals: int,
    path: Path | None = None,
) -> tuple[MessageState, Approval | None]:
    """`path`: the catalog's, for its language's checks (checks.message.is_translated)."""
    approval = approvals.get(message_key(message))
    if not is_translated(message, nplurals, path):
        return MessageState.UNTRANSLATED, approval
    if approval is None:
        return MessageState.UNAPPROVED, None
    if not approves_as_it_stands(approval, message):
        return MessageState.CHANGED, approval
    return MessageState.APPROVED, approval


def approves_as_it_stands(approval: Approval | None, message: Message) -> bool:
    """Whether the approval is of the message's translation (and plural English) as it is now."""
    now = (translation_sha256(message), msgid_plural(message))
    return approval is not None and (approval.sha256, approval.msgid_plural) == now


@dataclass(frozen=True)
class LanguageReview:
    """How far the review of one language has come."""

    code: str
    messages: int
    """Entries in the catalog (obsolete ones aside)."""
    approved: int
    changed: int
    """Approved once, edited since: the approval no longer counts."""
    untranslated: int
    override: bool | None = None
    """`reviewed` in leaflets.toml, when it is set there."""

    @property
    def translated(self) -> int:
        return self.messages - self.untranslated

    @property
    def complete(self) -> bool:
        """Every message translated, and every translation approved as it stands."""
        return self.messages > 0 and self.untranslated == 0 and self.approved == self.messages

    @property
    def reviewed(self) -> bool:
        return self.override if self.override is not None else self.complete


def language_review(
    project: Project,
    lang: str,
    catalog: Catalog | None = None,
    approvals: dict[MessageKey, Approval] | None = None,
) -> LanguageReview:
    """Count the language's approved, changed and untranslated messages."""
    if catalog is None:
        catalog = read_catalog(project.po_path(lang))
    if approvals is None:
        approvals = load_approvals(project, lang)
    counts = dict.fromkeys(MessageState, 0)
    messages = [m for m in catalog if m.id]
    for message in messages:
        state = message_state(message, approvals, catalog.num_plurals, project.po_path(lang))
        counts[state[0]] += 1
    return LanguageReview(
        code=lang,
        messages=len(messages),
        approved=counts[MessageState.APPROVED],
        changed=counts[MessageState.CHANGED],
        untranslated=counts[MessageState.UNTRANSLATED],
        override=project.languages[lang].reviewed,
    )


def is_reviewed(project: Project, lang: str) -> bool:
    """Whether the language's leaflets go out without the draft note: the source language and
    the pseudo-locale always; a language with `reviewed` set in leaflets.toml as it says; any
    other when every translation in its catalog is approved."""
    language = project.languages.get(lang)
    if language is None:  # the pseudo-locale, computed from the source
        return True
    if language.source:
        return True
    if language.reviewed is not None:
        return language.reviewed
    if not project.po_path(lang).exists():
        return False
    return language_review(project, lang).complete
