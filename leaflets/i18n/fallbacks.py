"""Fallbacks: the messages a language prints in the source language, each with where to fix
it and why. `leaflets build` and `leaflets status` name them, and the PDF can tag them as the
source language; fallback_reasons.py finds the reasons.

Plain data with no Babel import: a build with nothing to do reports the fallbacks the last
build recorded without loading any catalog.
"""

from __future__ import annotations

from dataclasses import dataclass

from .po.messages import MessageKey, key_of

SHOWN = 5
"""How many fallbacks a summary names before it says "and N more"."""


@dataclass(frozen=True)
class Fallback:
    """One message printed in the source language."""

    msgid: str
    context: str | None
    where: str
    """file:line to fix it at: the catalog entry, or the catalog when the entry is missing."""
    why: str

    @property
    def key(self) -> MessageKey:
        return key_of(self.context, self.msgid)

    def describe(self) -> str:
        short = self.msgid if len(self.msgid) <= 40 else self.msgid[:39] + "…"
        context = f" ({self.context})" if self.context else ""
        return f"{short!r}{context} at {self.where}: {self.why}"

    def to_json(self) -> dict:
        return {"msgid": self.msgid, "context": self.context, "where": self.where, "why": self.why}

    @classmethod
    def from_json(cls, data: dict) -> Fallback:
        return cls(str(data["msgid"]), data.get("context"), str(data["where"]), str(data["why"]))


def summary(fallbacks: list[Fallback], shown: int = SHOWN) -> list[str]:
    """One line per fallback for the first few, then how many more."""
    lines = [f.describe() for f in fallbacks[:shown]]
    if len(fallbacks) > shown:
        lines.append(f"… and {len(fallbacks) - shown} more")
    return lines
