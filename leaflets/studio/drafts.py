"""Approving a draft as it is: the reviewer read a fuzzy entry (a draft, or a translation whose
English changed) and found it right. Approving it removes its fuzzy mark, through the same save
that an edit goes through (commands/edit.py: read fresh, checked, written only if unchanged),
and the history records that the draft was checked."""

from __future__ import annotations

import time

from babel.messages.catalog import Message

from ..config.model import Project
from ..i18n.commands.edit import Edit, EditConflict, EditRefused, save_translation, strings_of
from . import history
from .message_json import is_draft
from .request_bodies import MessageRef, Refused

CHECKED = "checked"
"""The history's action for a fuzzy mark removed by an approval."""


def clear_fuzzy_marks(
    project: Project, lang: str, refs: list[tuple[MessageRef, Message]], who: str
) -> list[history.Change]:
    """Remove the fuzzy mark of each draft approved as the reviewer saw it; the history's
    record of each. Refused when the text changed meanwhile (409) or now fails a check (422)."""
    changes = []
    for ref, message in refs:
        if not is_draft(message):
            continue
        seen = ref.seen if ref.seen is not None else strings_of(message)
        try:
            save_translation(
                project, lang, Edit(ref.context, ref.id, seen, previous=seen), line=False
            )
        except EditConflict as exc:
            raise Refused(409, {"error": exc.message, "current": list(exc.current)}) from None
        except EditRefused as exc:
            raise Refused(422, {"error": exc.message}) from None
        changes.append(
            history.Change(time.time(), lang, ref.context, ref.id, CHECKED, who, seen, seen)
        )
    return changes
