"""Reproducible PDFs: the same inputs give byte-identical files.

WeasyPrint writes no date and no file identifier unless asked to. leaflets asks for both, with
values that depend only on the inputs: the identifier is a hash of the output's name and the
date comes from SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/).
Without SOURCE_DATE_EPOCH no date is written at all, rather than the time of the build.
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..errors import LeafletsError

if TYPE_CHECKING:
    from weasyprint.document import Document


def source_date() -> str | None:
    """SOURCE_DATE_EPOCH as a W3C date ("2026-11-28T18:00:00Z"), or None when it is unset."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise LeafletsError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got {value!r}"
        )
    return datetime.fromtimestamp(int(value), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def identifier(name: str) -> bytes:
    """A fixed PDF file identifier for one output, such as "trifold/es"."""
    return hashlib.sha256(f"leaflets:{name}".encode()).hexdigest()[:32].encode("ascii")


def stamp(document: Document) -> None:
    """Set the document's creation and modification dates from SOURCE_DATE_EPOCH."""
    date = source_date()
    document.metadata.created = date
    document.metadata.modified = date
