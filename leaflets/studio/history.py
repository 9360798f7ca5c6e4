"""The history of every translation: each save, approval and withdrawal in the studio, with who
made it, when, and the text before and after. An approval that replaces another reviewer's
names the one it replaced, so that no name is ever replaced without a record."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from .store import Store

ACTIONS = ("save", "checked", "approve", "withdraw")
"""checked: an approval removed a draft's fuzzy mark (drafts.py)."""


@dataclass(frozen=True)
class Change:
    at: float
    lang: str
    context: str | None
    msgid: str
    action: str
    person: str
    before: tuple[str, ...] | None
    after: tuple[str, ...] | None
    replaced: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.at)),
            "action": self.action,
            "person": self.person,
            "before": list(self.before) if self.before is not None else None,
            "after": list(self.after) if self.after is not None else None,
            "replaced": self.replaced,
        }


def record(store: Store, changes: list[Change]) -> None:
    with store.connect() as db:
        db.executemany(
            "INSERT INTO history (at, lang, context, msgid, action, person, before, after, "
            "replaced) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    c.at,
                    c.lang,
                    c.context,
                    c.msgid,
                    c.action,
                    c.person,
                    _strings(c.before),
                    _strings(c.after),
                    c.replaced,
                )
                for c in changes
            ],
        )


def changes(
    store: Store,
    lang: str,
    msgid: str | None = None,
    context: str | None = None,
    *,
    any_context: bool = False,
    limit: int = 500,
) -> list[Change]:
    """The language's changes, oldest first (the last `limit`); of one message when msgid is
    given, in every context with `any_context`."""
    if not store.path.exists():
        return []
    query, args = "SELECT * FROM history WHERE lang = ?", [lang]
    if msgid is not None:
        query += " AND msgid = ?"
        args.append(msgid)
        if not any_context:
            query += " AND context IS ?"
            args.append(context)
    query += " ORDER BY id DESC LIMIT ?"
    args.append(limit)
    with store.connect() as db:
        rows = db.execute(query, args).fetchall()
    return [
        Change(
            r["at"],
            r["lang"],
            r["context"],
            r["msgid"],
            r["action"],
            r["person"],
            _tuple(r["before"]),
            _tuple(r["after"]),
            r["replaced"],
        )
        for r in reversed(rows)
    ]


def lines(found: list[Change]) -> list[str]:
    """The changes as `leaflets history` prints them: one line each, then the texts."""
    out = []
    for c in found:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(c.at))
        where = f"{c.context} | {c.msgid}" if c.context else c.msgid
        replaced = f" (replacing {c.replaced}'s approval)" if c.replaced else ""
        out.append(f"{when}  {c.person}  {c.action}{replaced}  {where!r}")
        if c.action == "save":
            out.append(f"    before: {_shown(c.before)}")
        out.append(f"    {'after' if c.action == 'save' else 'text'}: {_shown(c.after)}")
    return out


def _shown(strings: tuple[str, ...] | None) -> str:
    return " | ".join(repr(s) for s in strings) if strings is not None else "-"


def _strings(strings: tuple[str, ...] | None) -> str | None:
    return json.dumps(list(strings), ensure_ascii=False) if strings is not None else None


def _tuple(text: str | None) -> tuple[str, ...] | None:
    return tuple(json.loads(text)) if text is not None else None
