"""Facts about one catalog entry that every translator command and the build share: its key,
whether it has text, and whether it would print translated.

No Babel import here (entries are only read): the review state, which the build's cache key
asks about, uses these without loading Babel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.messages.catalog import Message

MessageKey = str | tuple[str, str]
"""A message's msgid, or (msgctxt, msgid) when it has a context: how catalogs are keyed."""


def first(message: str | tuple[str, ...]) -> str:
    return message if isinstance(message, str) else message[0]


def shortened(msgid: str) -> str:
    """A msgid as an error names it: the first 49 characters and "…" when it is longer."""
    return msgid if len(msgid) <= 50 else msgid[:49] + "…"


def key_of(context: str | None, msgid: str) -> MessageKey:
    return (context, msgid) if context else msgid


def split_key(key: MessageKey) -> tuple[str | None, str]:
    """(msgctxt or None, msgid): the other way round from key_of()."""
    return key if isinstance(key, tuple) else (None, key)


def message_key(message: Message) -> MessageKey:
    return key_of(message.context, first(message.id))


def has_text(message: Message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return any(s and s.strip() for s in strings)
