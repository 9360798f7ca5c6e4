"""Reproducible PDFs: the same inputs give byte-identical files.

WeasyPrint writes no date and no file identifier unless asked to. leaflets asks for both, with
values that depend only on the inputs: the identifier is a hash of the output's name and the
date comes from SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/).
Without SOURCE_DATE_EPOCH a build writes no date at all, rather than the time of the build.

A print order must carry a date (the job ticket's, and PDF/X-4's): it takes `moment()`, the
time SOURCE_DATE_EPOCH gives, or else the time of the order, once for every file. Its other
identifiers (file /IDs, XMP document IDs) come from names, as a build's do, so an order run
twice with SOURCE_DATE_EPOCH set writes the same bytes.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..errors import LeafletsError

if TYPE_CHECKING:
    from weasyprint.document import Document


def source_datetime() -> datetime | None:
    """SOURCE_DATE_EPOCH as a time, or None when it is unset."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) > MAX_EPOCH:
        raise LeafletsError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got {value!r}"
        )
    return datetime.fromtimestamp(int(value), UTC)


MAX_EPOCH = 253402300799
"""9999-12-31T23:59:59Z: the last second a four-digit year can write."""


def source_date() -> str | None:
    """SOURCE_DATE_EPOCH as a W3C date ("2026-11-28T18:00:00Z"), or None when it is unset."""
    when = source_datetime()
    return w3c(when) if when is not None else None


def moment() -> datetime:
    """SOURCE_DATE_EPOCH's time, or else now, to the second: for files that must be dated."""
    return source_datetime() or datetime.now(UTC).replace(microsecond=0)


def w3c(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def identifier(name: str) -> bytes:
    """A fixed PDF file identifier for one output, such as "trifold/es"."""
    return hashlib.sha256(f"leaflets:{name}".encode()).hexdigest()[:32].encode("ascii")


def document_id(name: str) -> str:
    """A fixed XMP document ID (xmpMM:DocumentID) for one output: a name-based UUID."""
    return f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'leaflets:{name}')}"


def stamp(document: Document, date: str | None = None) -> None:
    """Set the document's creation and modification dates: `date`, or SOURCE_DATE_EPOCH's."""
    date = date or source_date()
    document.metadata.created = date
    document.metadata.modified = date
