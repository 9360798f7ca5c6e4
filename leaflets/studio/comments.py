"""Comments on a translation: a thread per message (per language, msgctxt and msgid), kept in
the state folder's database beside the history, with who wrote each comment and when.

A reviewer or translator asks; anyone who may edit the language (and a coordinator) answers or
resolves the thread. A thread is open until someone resolves it; a reply to a resolved thread
opens it again, since the question is then not settled. The routes (comment_routes.py) decide
who may write; these functions only keep the record.

The text is untrusted: it is stored as written once it passes `checked_text()`, and the page
shows it as text, never as markup.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from ..errors import ActionRefused
from ..i18n.po.messages import MessageKey, key_of
from ..untrusted import forbidden_characters
from .store import Store

TEXT_MAX = 2_000
"""Characters in one comment: a question or an answer, not a document."""
THREADS_MAX = 1_000
"""Threads one answer lists, newest first."""
ID_MAX = 2**63 - 1
"""SQLite's largest integer: a larger id from a request is no comment, not an overflow."""


class CommentError(ActionRefused):
    """A comment that cannot be written as asked."""


@dataclass(frozen=True)
class Comment:
    id: int
    lang: str
    context: str | None
    msgid: str
    thread: int | None
    """The thread's first comment; None for that one."""
    author: str
    at: float
    text: str
    resolved_by: str | None = None
    resolved_at: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "author": self.author,
            "at": _iso(self.at),
            "text": self.text,
        }


def _iso(at: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at))


def _comment(row: sqlite3.Row) -> Comment:
    return Comment(**{name: row[name] for name in row.keys()})  # noqa: SIM118 (a Row is no dict)


def checked_text(text: str) -> str:
    """The comment's text without its surrounding spaces, or CommentError: 1 to TEXT_MAX
    characters, none that untrusted.py refuses in any text (controls, direction overrides)."""
    text = text.strip()
    if not text:
        raise CommentError("write something: the comment is empty")
    if len(text) > TEXT_MAX:
        raise CommentError(f"a comment is at most {TEXT_MAX} characters; this one has {len(text)}")
    bad = forbidden_characters(text)
    if bad:
        raise CommentError(f"a comment cannot hold {', '.join(bad)}")
    return text


def add(
    store: Store,
    lang: str,
    context: str | None,
    msgid: str,
    author: str,
    text: str,
    reply_to: int | None = None,
) -> Comment:
    """A new thread on the message, or a reply in the thread of comment `reply_to` (which
    must be on the same message): the comment as stored."""
    text, context, now = checked_text(text), context or None, time.time()
    with store.connect() as db:
        thread = None
        if reply_to is not None:
            root = _root(db, lang, reply_to)
            if (root.context, root.msgid) != (context, msgid):
                raise CommentError(f"comment {reply_to} is on another text", 409)
            thread = root.id
            db.execute(
                "UPDATE comments SET resolved_by = NULL, resolved_at = NULL WHERE id = ?",
                (thread,),
            )
        cursor = db.execute(
            "INSERT INTO comments (lang, context, msgid, thread, author, at, text) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (lang, context, msgid, thread, author, now, text),
        )
        row = db.execute("SELECT * FROM comments WHERE id = ?", (cursor.lastrowid,)).fetchone()
    return _comment(row)


def resolve(store: Store, lang: str, comment_id: int, person: str) -> Comment:
    """Resolve the thread of a comment: its first comment, with who resolved it and when. A
    thread already resolved keeps its first resolver."""
    with store.connect() as db:
        root = _root(db, lang, comment_id)
        db.execute(
            "UPDATE comments SET resolved_by = ?, resolved_at = ? "
            "WHERE id = ? AND resolved_by IS NULL",
            (person, time.time(), root.id),
        )
        row = db.execute("SELECT * FROM comments WHERE id = ?", (root.id,)).fetchone()
    return _comment(row)


def _root(db: sqlite3.Connection, lang: str, comment_id: int) -> Comment:
    """The first comment of the thread `comment_id` is in; 404 for none in this language."""
    if not 1 <= comment_id <= ID_MAX:
        raise CommentError(f"no comment {comment_id} in {lang!r}", 404)
    row = db.execute(
        "SELECT * FROM comments WHERE id = ? AND lang = ?", (comment_id, lang)
    ).fetchone()
    if row is None:
        raise CommentError(f"no comment {comment_id} in {lang!r}", 404)
    if row["thread"] is not None:
        row = db.execute("SELECT * FROM comments WHERE id = ?", (row["thread"],)).fetchone()
    return _comment(row)


def threads(
    store: Store,
    lang: str,
    *,
    resolved: bool = False,
    context: str | None = None,
    msgid: str | None = None,
) -> list[dict[str, Any]]:
    """The language's open threads (every thread with `resolved`), of one message when msgid
    is given, newest first: each its message, state and comments, oldest first."""
    if not store.path.exists():
        return []
    where, args = "lang = ? AND thread IS NULL", [lang]
    if not resolved:
        where += " AND resolved_by IS NULL"
    if msgid is not None:
        where += " AND msgid = ? AND context IS ?"
        args += [msgid, context or None]
    chosen = f"SELECT * FROM comments WHERE {where} ORDER BY id DESC LIMIT {THREADS_MAX}"
    with store.connect() as db:
        if not _has_table(db):
            return []
        roots = [_comment(r) for r in db.execute(chosen, args)]
        replies: dict[int, list[Comment]] = {root.id: [] for root in roots}
        in_them = f"SELECT * FROM comments WHERE thread IN (SELECT id FROM ({chosen})) ORDER BY id"
        for row in db.execute(in_them, args):
            replies[row["thread"]].append(_comment(row))
    return [_thread_json(root, replies[root.id]) for root in roots]


def _thread_json(root: Comment, replies: list[Comment]) -> dict[str, Any]:
    return {
        "id": root.id,
        "context": root.context,
        "msgid": root.msgid,
        "resolved": root.resolved_by is not None,
        "resolved_by": root.resolved_by,
        "resolved_at": _iso(root.resolved_at) if root.resolved_at is not None else None,
        "comments": [c.to_json() for c in [root, *replies]],
    }


def open_counts(store: Store, lang: str) -> dict[MessageKey, int]:
    """Open threads per message of the language, keyed as catalogs are."""
    if not store.path.exists():
        return {}
    with store.connect() as db:
        if not _has_table(db):
            return {}
        rows = db.execute(
            "SELECT context, msgid, count(*) AS n FROM comments WHERE lang = ? "
            "AND thread IS NULL AND resolved_by IS NULL GROUP BY context, msgid",
            (lang,),
        ).fetchall()
    return {key_of(r["context"], r["msgid"]): r["n"] for r in rows}


def open_by_language(store: Store) -> dict[str, int] | None:
    """Open threads per language, for `leaflets status`; None without a studio database."""
    if not store.path.exists():
        return None
    with store.connect() as db:
        if not _has_table(db):
            return {}
        rows = db.execute(
            "SELECT lang, count(*) AS n FROM comments WHERE thread IS NULL "
            "AND resolved_by IS NULL GROUP BY lang"
        ).fetchall()
    return {r["lang"]: r["n"] for r in rows}


def _has_table(db: sqlite3.Connection) -> bool:
    """Whether the database has the comments table: not one an older version made that no
    studio has opened since (status reads it without upgrading it)."""
    found = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'comments'"
    ).fetchone()
    return found is not None
