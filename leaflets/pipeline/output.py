"""One output of a build, a leaflet in a language, and what building it gave.

Light on purpose: planning a build and deciding that nothing needs building name outputs
without importing the stages that render them (builder.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n.fallbacks import Fallback

if TYPE_CHECKING:
    from ..layout.fit import Shrink


@dataclass(frozen=True)
class Output:
    """One PDF to build: a leaflet in a language."""

    leaflet: str
    lang: str
    path: Path

    @property
    def label(self) -> str:
        return f"{self.leaflet} ({self.lang})"


@dataclass
class OutputResult:
    output: Output
    pages: int
    fallbacks: int
    warnings: list[str] = field(default_factory=list)
    shrunk: list[Shrink] = field(default_factory=list)
    """The body type set below its range so that these regions fit (fit = "shrink", --fit)."""
    body_pt: float | None = None
    """The body size fit chose for this leaflet and language."""
    fill: dict[str, tuple[float, ...]] = field(default_factory=dict)
    """Region → how full it is, 0 to 1 (per column for the tri-fold's inside panels)."""
    reason: str = ""
    """Why it was built: "catalog es changed", "not built before", "forced"."""
    seconds: float = 0.0
    """Wall time of this output in its worker."""
    engine_seconds: float = 0.0
    """Of which inside WeasyPrint's render() and write_pdf()."""
    fallback_details: list[Fallback] = field(default_factory=list)
    """The messages printed in the source language: msgid, catalog file:line and why."""
    layouts: int = 0
    """How many layouts the body-size search ran (fewer from the last build's size)."""
    left_out: bool = False
    """The lines printed only when they fit (the card's interpreter and TTY lines) did not."""
