"""The manifest: out/.leaflets-cache.json, what the last build wrote and the key it wrote it with.

An output whose key matches its entry, and whose PDF is still the file that was written (same
size and time), is skipped. The manifest is a cache, never an input that is trusted: anything
unreadable or of another format is ignored, and the outputs are built again.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config.paths import read_project_file
from ..errors import FileRefused
from ..writing import write_atomic
from .cache import Fingerprint

MANIFEST_NAME = ".leaflets-cache.json"
MANIFEST_FORMAT = 1


@dataclass
class Entry:
    """What the manifest remembers about one written PDF."""

    key: str
    parts: dict[str, str]
    size: int
    mtime_ns: int
    pages: int = 0
    fallbacks: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    """How long it took to build: the pool starts the slowest outputs first."""
    fallback_details: list[dict] = field(default_factory=list)
    """The messages it printed in the source language (i18n.fallbacks.Fallback.to_json)."""
    body_pt: float | None = None
    """The body size fit chose: the next build's search starts there (fit.layout's hint)."""

    def body_pt_hint(self) -> float | None:
        """body_pt, if it is a size at all: the manifest is a cache, not trusted input."""
        value = self.body_pt
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return float(value) if number and math.isfinite(value) and value > 0 else None


class Manifest:
    """out/.leaflets-cache.json: output path (relative to out/) → Entry."""

    def __init__(self, out: Path, entries: dict[str, Entry] | None = None):
        self.out = out
        self.entries = entries or {}
        self.memo: dict[str, Any] = {}
        """The Fingerprinter's memo, kept between builds."""

    @property
    def path(self) -> Path:
        return self.out / MANIFEST_NAME

    @classmethod
    def load(cls, out: Path) -> Manifest:
        """The manifest under `out`, or an empty one if it is missing, unreadable or outdated."""
        manifest = cls(out)
        try:
            data = json.loads(read_project_file(manifest.path, "record"))
        except (OSError, ValueError, FileRefused):
            return manifest
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
            return manifest
        memo = data.get("memo")
        manifest.memo = memo if isinstance(memo, dict) else {}
        for name, raw in (data.get("outputs") or {}).items():
            try:
                manifest.entries[name] = Entry(**raw)
            except TypeError:
                continue
        return manifest

    def name(self, path: Path) -> str:
        try:
            return path.relative_to(self.out).as_posix()
        except ValueError:
            return str(path)

    def get(self, path: Path) -> Entry | None:
        return self.entries.get(self.name(path))

    def record(self, path: Path, entry: Entry) -> None:
        self.entries[self.name(path)] = entry

    def save(self) -> None:
        data = {
            "format": MANIFEST_FORMAT,
            "outputs": {name: vars(entry) for name, entry in sorted(self.entries.items())},
            "memo": self.memo,
        }
        write_atomic(self.path, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode())


def why_stale(fingerprint: Fingerprint, entry: Entry | None, path: Path) -> str | None:
    """Why the output must be built again, or None when the PDF on disk is current."""
    if entry is None:
        return "not built before"
    try:
        stat = path.stat()
    except OSError:
        return "PDF missing"
    if (stat.st_size, stat.st_mtime_ns) != (entry.size, entry.mtime_ns):
        return "PDF changed on disk"
    if entry.key != fingerprint.key:
        changes = fingerprint.changes_from(entry.parts) or ["cache key changed"]
        if len(changes) > 3:
            changes = [*changes[:3], f"{len(changes) - 3} more"]
        return ", ".join(changes)
    return None
