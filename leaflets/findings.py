"""Findings: plain data produced by checks and audits, formatted by the caller."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path

from .errors import display_path
from .untrusted import shown, shown_lines


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem found in a file, at a line (catalogs) or a page (PDFs)."""

    path: Path
    message: str
    severity: Severity = Severity.ERROR
    line: int | None = None
    page: int | None = None
    code: str = ""

    def format(self, root: Path | None = None) -> str:
        where = display_path(self.path, root) if root is not None else shown(str(self.path))
        if self.line is not None:
            where += f":{self.line}"
        if self.page is not None:
            where += f": page {self.page}"
        tag = "" if self.severity is Severity.ERROR else f"{self.severity}: "
        # The message may quote a catalog (a msgctxt with an escape sequence): shown, never
        # sent to the terminal as it is.
        return f"{where}: {tag}{shown_lines(self.message)}"

    def to_json(self) -> dict:
        data = asdict(self)
        data["path"] = str(self.path)
        data["severity"] = str(self.severity)
        return data


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]
