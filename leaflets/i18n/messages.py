"""Facts about one catalog entry that every translator command and the build share: its key,
whether it has text, and whether it would print translated.

No Babel import here (entries are only read): the review state, which the build's cache key
asks about, uses these without loading Babel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .placeholders import formats_cleanly, plural_source

if TYPE_CHECKING:
    from babel.messages.catalog import Message

MessageKey = str | tuple[str, str]
"""A message's msgid, or (msgctxt, msgid) when it has a context: how catalogs are keyed."""


def first(message: str | tuple[str, ...]) -> str:
    return message if isinstance(message, str) else message[0]


def message_key(message: Message) -> MessageKey:
    msgid = first(message.id)
    return (message.context, msgid) if message.context else msgid


def has_text(message: Message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return any(s and s.strip() for s in strings)


def is_translated(message: Message, nplurals: int) -> bool:
    """Printable: not fuzzy, every form the language needs is filled in, and the build would not
    drop it (see formats_cleanly): anything less prints in English, so it is not translated."""
    if message.fuzzy:
        return False
    if isinstance(message.id, (list, tuple)):
        forms = message.string if isinstance(message.string, (list, tuple)) else ()
        return len(forms) >= nplurals and all(
            form and form.strip() and formats_cleanly(plural_source(message.id, i, nplurals), form)
            for i, form in enumerate(forms[:nplurals])
        )
    return (
        isinstance(message.string, str)
        and bool(message.string.strip())
        and formats_cleanly(message.id, message.string)
    )
