"""Orders: an order file (orders/<name>.toml) → a validated `Order`.

`load_order()` reads and validates the file against the project. Every problem is collected and
reported at once, each naming the file, the line, the item and the fix. Order files are
untrusted: unknown keys are errors, quantities are bounded, and the order's name only ever
becomes a slug, a plain folder name. printing.py turns the `Order` into the print package.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..config.model import (
    PAPER_SIZES_IN,
    Edition,
    Language,
    Leaflet,
    Office,
    Phone,
    Project,
)
from ..config.project import parse_phone
from ..errors import OrderError, _display

MAX_QUANTITY = 100_000
SLUG_MAX = 64
TOP_KEYS = {
    "name",
    "event",
    "event_date",
    "need_by",
    "requested_by",
    "deliver_to",
    "edition",
    "paper",
    "stock",
    "notes",
    "items",
}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


class InvalidOrder(OrderError):
    """An order file with one or more problems; all of them are listed."""

    def __init__(self, path: Path, problems: list[tuple[int | None, str]]):
        self.problems = problems
        line, message = problems[0]
        super().__init__(message, path, line)

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return super().__str__()
        where = _display(self.path)
        lines = [f"{where}: {len(self.problems)} problems"]
        for line, message in self.problems:
            lines.append(f"  {where}:{line}: {message}" if line else f"  {where}: {message}")
        return "\n".join(lines)


# ---------------------------------------------------------------- the order


@dataclass(frozen=True)
class Contact:
    name: str
    email: str | None = None
    phone: Phone | None = None


@dataclass(frozen=True)
class OrderItem:
    number: int
    """1-based position in the order; print files are numbered with it."""
    leaflet: Leaflet
    language: Language
    quantity: int
    """Copies wanted."""

    @property
    def label(self) -> str:
        return f"{self.leaflet.name} ({self.language.code}) × {self.quantity}"

    @property
    def stem(self) -> str:
        return f"{self.number:02d}-{self.leaflet.name}-{self.language.code}"


@dataclass(frozen=True)
class Order:
    """A validated order file."""

    path: Path
    name: str
    slug: str
    """The package's folder name under out/orders/: made from name, never a path."""
    event: str
    event_date: date
    need_by: date
    requested_by: Contact
    deliver_to: Office
    edition: Edition
    paper: str
    """Paper size key ("letter", "a4"): the sheet cards are imposed on, and the tri-fold's,
    flyer's and large print's finished size."""
    stock: str | None
    notes: str | None
    items: tuple[OrderItem, ...]
    allow_unreviewed: bool = False
    warnings: tuple[str, ...] = ()

    @property
    def unreviewed(self) -> list[Language]:
        seen: dict[str, Language] = {}
        for item in self.items:
            if not item.language.reviewed:
                seen.setdefault(item.language.code, item.language)
        return list(seen.values())


def slugify(text: str) -> str:
    """A folder name made of [a-z0-9-] only: "../../etc" → "etc", "" → "order"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].strip("-") or "order"


class _Problems:
    """Problems found in an order file, each with the line it is on where that can be found."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.found: list[tuple[int | None, str]] = []

    def __bool__(self) -> bool:
        return bool(self.found)

    def add(self, keypath: str, message: str, *, item: int | None = None, label: str = "") -> None:
        where = keypath
        if item is not None:
            where = f"items[{item}]" + (f" ({label})" if label else "")
            key = keypath.rpartition(".")[2] if "." in keypath else ""
            where += f": {key}" if key else ""
        self.found.append((self._line(keypath, item), f"{where}: {message}"))

    def _line(self, keypath: str, item: int | None) -> int | None:
        parts = keypath.split(".")
        start, end = 0, len(self.lines)
        if item is not None:
            headers = [
                i for i, ln in enumerate(self.lines) if re.match(r"^\s*\[\[\s*items\s*\]\]", ln)
            ]
            if item >= len(headers):
                return None
            start = headers[item]
            key = parts[-1] if len(parts) > 1 else None
        elif len(parts) == 2:
            header = re.compile(r"^\s*\[\s*" + re.escape(parts[0]) + r"\s*\]")
            start = next((i for i, ln in enumerate(self.lines) if header.match(ln)), -1)
            if start < 0:
                return None
            key = parts[1]
        else:
            key = parts[0]
            end = next((i for i, ln in enumerate(self.lines) if ln.lstrip().startswith("[")), end)
        if key is None:
            return start + 1
        key_re = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
        for i in range(start, end):
            if i > start and self.lines[i].lstrip().startswith("[") and item is not None:
                break
            if key_re.match(self.lines[i]):
                return i + 1
        return start + 1 if (item is not None or len(parts) == 2) else None


def load_order(
    project: Project,
    path: Path,
    *,
    allow_unreviewed: bool = False,
    today: date | None = None,
) -> Order:
    """Read and validate an order file. Raises InvalidOrder listing every problem."""
    today = today or date.today()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OrderError("order file not found; orders live in orders/<name>.toml", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OrderError(f"cannot read the order file: {exc}", path) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        line = int(match.group(1)) if match else None
        raise InvalidOrder(path, [(line, f"invalid TOML: {reason}; fix the syntax")]) from None

    problems = _Problems(text)
    warnings: list[str] = []
    for key in data:
        if key not in TOP_KEYS:
            problems.add(key, f"unknown key; expected one of: {', '.join(sorted(TOP_KEYS))}")

    name = _string(data, "name", problems, required=False) or path.stem
    event = _string(data, "event", problems, expected="the event's name")
    event_date = _date(data, "event_date", problems)
    need_by = _date(data, "need_by", problems)
    if event_date and need_by and need_by > event_date:
        problems.add(
            "need_by",
            f"{need_by.isoformat()} is after the event ({event_date.isoformat()}); "
            "the leaflets must arrive before the event",
        )
    for key, value in (("event_date", event_date), ("need_by", need_by)):
        if value and value < today:
            warnings.append(f"{key} {value.isoformat()} is in the past")

    requested_by = _contact(data.get("requested_by"), problems)
    deliver_to = _choice(
        data,
        "deliver_to",
        {o.id: o for o in project.contacts.offices},
        problems,
        what="office",
        source="contacts.toml",
    )
    edition = _choice(
        data, "edition", project.editions, problems, what="edition", source="leaflets.toml"
    )
    paper = _choice(
        data, "paper", {k: k for k in PAPER_SIZES_IN}, problems, what="paper", source=None
    )
    stock = _string(data, "stock", problems, required=False)
    notes = _string(data, "notes", problems, required=False)
    items = _items(project, data, problems, allow_unreviewed)

    if problems:
        raise InvalidOrder(path, problems.found)
    assert event_date and need_by and requested_by and deliver_to and edition and paper
    return Order(
        path=path,
        name=name,
        slug=slugify(name),
        event=event,
        event_date=event_date,
        need_by=need_by,
        requested_by=requested_by,
        deliver_to=deliver_to,
        edition=edition,
        paper=paper,
        stock=stock,
        notes=notes,
        items=tuple(items),
        allow_unreviewed=allow_unreviewed,
        warnings=tuple(warnings),
    )


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return repr(value) if len(value) < 40 else repr(value[:37] + "...")
    return repr(value)


def _string(
    data: dict, key: str, problems: _Problems, *, required: bool = True, expected: str = "text"
) -> str | None:
    if key not in data:
        if required:
            problems.add(key, f"missing; expected {expected}")
        return None
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        problems.add(key, f"expected {expected}, got {_describe(value)}")
        return None
    return value.strip()


def _date(data: dict, key: str, problems: _Problems) -> date | None:
    expected = "a date such as 2027-02-14"
    if key not in data:
        problems.add(key, f"missing; expected {expected}")
        return None
    value = data[key]
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    # TOML datetimes are dates too in Python; an order wants a day, not a moment.
    elif isinstance(value, date) and not isinstance(value, datetime):
        return value
    problems.add(key, f"expected {expected}, got {_describe(value)}")
    return None


def _choice(
    data: dict,
    key: str,
    choices: dict[str, Any],
    problems: _Problems,
    *,
    what: str,
    source: str | None,
) -> Any:
    known = ", ".join(f'"{c}"' for c in choices)
    if key not in data:
        problems.add(key, f"missing; expected one of: {known}")
        return None
    value = data[key]
    if not isinstance(value, str) or value not in choices:
        has = f"{source} has" if source else "expected one of"
        problems.add(key, f"unknown {what} {_describe(value)}; {has}: {known}")
        return None
    return choices[value]


class _PhoneProblems:
    """Adapter: project.parse_phone reports to this, which reports to the order's problems."""

    def __init__(self, problems: _Problems):
        self.problems = problems

    def add(self, keypath: str, message: str) -> None:
        self.problems.add(keypath, message)


def _contact(data: Any, problems: _Problems) -> Contact | None:
    if data is None:
        problems.add(
            "requested_by", "missing; expected a [requested_by] table with name, and email or phone"
        )
        return None
    if not isinstance(data, dict):
        problems.add("requested_by", f"expected a table, got {_describe(data)}")
        return None
    allowed = {"name", "email", "phone"}
    for key in data:
        if key not in allowed:
            problems.add(
                f"requested_by.{key}", f"unknown key; expected one of: {', '.join(sorted(allowed))}"
            )
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.add("requested_by.name", f"expected the requester's name, got {_describe(name)}")
    email = data.get("email")
    if email is not None and (not isinstance(email, str) or not EMAIL_RE.match(email)):
        problems.add("requested_by.email", f"expected an email address, got {_describe(email)}")
        email = None
    phone = None
    if data.get("phone") is not None:
        phone = parse_phone(data["phone"], "requested_by.phone", _PhoneProblems(problems))
    if "email" not in data and "phone" not in data:
        problems.add("requested_by", "needs an email or a phone number, so the printer can ask")
    if not isinstance(name, str):
        return None
    return Contact(name=name.strip(), email=email, phone=phone)


def _items(
    project: Project, data: dict, problems: _Problems, allow_unreviewed: bool
) -> list[OrderItem]:
    raw = data.get("items")
    if raw is None:
        problems.add("items", "missing; add one [[items]] table per leaflet and language")
        return []
    if not isinstance(raw, list) or not raw:
        problems.add("items", "expected one or more [[items]] tables")
        return []
    items: list[OrderItem] = []
    seen: dict[tuple[str, str], int] = {}
    allowed = {"leaflet", "language", "quantity"}
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict):
            problems.add("items", f"items[{index}]: expected a table, got {_describe(entry)}")
            continue
        label = " × ".join(str(entry.get(k, "?")) for k in ("leaflet", "language", "quantity"))

        def report(key: str, message: str, index: int = index, label: str = label) -> None:
            problems.add(f"items.{key}", message, item=index, label=label)

        for key in entry:
            if key not in allowed:
                report(key, f"unknown key; expected one of: {', '.join(sorted(allowed))}")
        leaflet_name = entry.get("leaflet")
        leaflet = project.leaflets.get(leaflet_name) if isinstance(leaflet_name, str) else None
        if leaflet is None:
            known = ", ".join(f'"{n}"' for n in project.leaflets)
            report(
                "leaflet", f"unknown leaflet {_describe(leaflet_name)}; expected one of: {known}"
            )
        code = entry.get("language")
        language = project.languages.get(code) if isinstance(code, str) else None
        if language is None:
            known = ", ".join(f'"{c}"' for c in project.languages)
            report("language", f"unknown language {_describe(code)}; expected one of: {known}")
        elif not language.reviewed and not allow_unreviewed:
            report(
                "language",
                f'"{language.code}" ({language.name}) is not reviewed (reviewed = false in '
                "leaflets.toml), so its leaflets are drafts; have a native speaker review it, "
                "or pass --allow-unreviewed and the ticket will say so",
            )
        quantity = _quantity(entry.get("quantity"), report)
        if leaflet and language:
            pair = (leaflet.name, language.code)
            if pair in seen:
                report(
                    "leaflet",
                    f"the same leaflet and language as items[{seen[pair]}]; add the quantities "
                    "into one item",
                )
            seen.setdefault(pair, index)
        if leaflet and language and quantity:
            items.append(OrderItem(len(items) + 1, leaflet, language, quantity))
    return items


def _quantity(value: Any, report: Callable[[str, str], None]) -> int | None:
    if value is None:
        report("quantity", "missing; expected the number of copies")
    elif isinstance(value, float):
        report("quantity", f"expected a whole number of copies, got {value!r}")
    elif not isinstance(value, int) or isinstance(value, bool):
        report("quantity", f"expected a whole number of copies, got {_describe(value)}")
    elif not 1 <= value <= MAX_QUANTITY:
        report("quantity", f"expected from 1 to {MAX_QUANTITY:,} copies, got {value:,}")
    else:
        return value
    return None
