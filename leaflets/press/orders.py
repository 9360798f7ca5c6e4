"""Orders: an order file (orders/<name>.toml) → a validated `Order`.

`load_order()` reads and validates the file against the project. Every problem is collected and
reported at once, each naming the file, the line, the item and the fix. Order files are
untrusted: unknown keys are errors, quantities are bounded, and the order's name only ever
becomes a slug, a plain folder name. package.py turns the `Order` into the print package.

`Order`, `OrderItem` and `Contact` are the file's tables and the records the press reads, as
leaflets.toml's are (config/validation.py): the choices an order makes (office, edition,
leaflet, language) are checked against the project, which validation gets in its context, and
become the project's records; what the file cannot say (its path, each item's number and
review state) is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..config.contacts import Office, PhoneNumber
from ..config.model import PAPER_SIZES_IN, Edition, Language, Leaflet, Project
from ..config.paths import inside, read_project_file
from ..config.toml_lines import TomlSyntaxError, parse_toml
from ..config.validation import (
    Expected,
    Given,
    ListOf,
    Loc,
    Problems,
    Table,
    between,
    describe,
    keypath,
    problem,
    problems_at,
    unexpected,
    with_given,
)
from ..errors import OrderError, display_path
from ..i18n import review
from ..untrusted import shown
from .names import names_taken, slugify

MAX_QUANTITY = 100_000
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")  # fullmatch: no trailing newline
MAX_ITEMS = 100
"""Items in one order: each is a leaflet in a language, and the job ticket lists them all on one
page. Validation takes time in proportion to the items, and this bounds it."""


class InvalidOrder(OrderError):
    """An order file with one or more problems; all of them are listed."""

    def __init__(self, path: Path, problems: list[tuple[int | None, str]]):
        self.problems = problems
        line, message = problems[0]
        super().__init__(message, path, line)

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return super().__str__()
        where = display_path(self.path)
        lines = [f"{where}: {len(self.problems)} problems"]
        for line, message in self.problems:
            lines.append(f"  {where}:{line}: {message}" if line else f"  {where}: {message}")
        return "\n".join(lines)


# ---------------------------------------------------------------- reading an order


def load_order(
    project: Project,
    path: Path,
    *,
    allow_unreviewed: bool = False,
    today: date | None = None,
    reviewed: Mapping[str, bool] | None = None,
) -> Order:
    """Read and validate an order file. Raises InvalidOrder listing every problem. `reviewed`:
    review_states(), for a caller that reads several orders."""
    today = today or date.today()
    try:
        # An order file named anywhere is the user's choice; one in the project stays in it.
        text = read_project_file(inside(project.root, path, outside_ok=True), "order").decode(
            "utf-8"
        )
    except FileNotFoundError:
        raise OrderError("order file not found; orders live in orders/<name>.toml", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OrderError(f"cannot read the order file: {exc}", path) from None
    try:
        data = parse_toml(text)
    except TomlSyntaxError as exc:
        raise InvalidOrder(path, [(exc.line, exc.message)]) from None
    problems = Problems(text)
    order = validate_fields(
        project,
        data,
        path,
        problems,
        allow_unreviewed=allow_unreviewed,
        today=today,
        own=path,
        reviewed=reviewed,
    )
    if order is None:
        raise InvalidOrder(path, problems.found)
    return order


def validate_fields(
    project: Project,
    data: dict[str, Any],
    path: Path,
    problems: Problems,
    *,
    allow_unreviewed: bool,
    today: date,
    own: Path | None = None,
    reviewed: Mapping[str, bool] | None = None,
) -> Order | None:
    """An order's fields (parsed TOML, or a form's: order_form.py) validated against the
    project: the `Order`, or None with every problem added to `problems`. Its name must not make
    a folder name another order file has (`own` is the order's own file, if it has one).
    `reviewed` is review_states(project), for a caller that keeps it between orders."""
    reviewed = review_states(project) if reviewed is None else reviewed
    context = {
        "project": project,
        "allow_unreviewed": allow_unreviewed,
        "reviewed": reviewed,
        "taken": names_taken(project, own),
    }
    table = with_given(data, path=path, allow_unreviewed=allow_unreviewed, checked_on=today)
    return problems.validate(Order, table, context, where=lambda loc: _where(loc, data))


def review_states(project: Project) -> dict[str, bool]:
    """Whether each language is reviewed (i18n.review.is_reviewed()): an item in a language that
    is not is a draft. It checks every translation, a third of a second for this project."""
    return {code: review.is_reviewed(project, code) for code in project.languages}


def _where(loc: Loc, data: dict[str, Any]) -> str:
    """How a problem names its place: an item by its number and what it orders,
    "items[1] (card × es × 500): quantity"."""
    if len(loc) < 2 or loc[0] != "items" or not isinstance(loc[1], int):
        return keypath(loc)
    entry = data["items"][loc[1]]
    if not isinstance(entry, dict):
        return f"items: items[{loc[1]}]"
    label = " × ".join(
        shown(str(entry.get(key, "?"))) for key in ("leaflet", "language", "quantity")
    )
    return f"items[{loc[1]}] ({label})" + "".join(f": {part}" for part in loc[2:])


# ---------------------------------------------------------------- the order file


def _stripped(text: str) -> str:
    if not text.strip():
        raise unexpected()
    return text.strip()


def _iso_date(value: Any) -> Any:
    # A date may be written as text too: "2027-02-14". A TOML date-time is refused, as strict
    # validation refuses any datetime for a date: an order wants a day, not a moment.
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return value


def _email(address: str) -> str:
    if not EMAIL_RE.fullmatch(address):
        raise unexpected()
    return address


Text = Annotated[str, Expected("text"), AfterValidator(_stripped)]
Day = Annotated[date, BeforeValidator(_iso_date), Expected("a date such as 2027-02-14")]


def _choice(
    what: str, source: str | None, options: Callable[[Project], Mapping[str, Any]]
) -> BeforeValidator:
    """One of the project's offices, editions, ...: the name in the file → the object."""

    def pick(name: Any, info: ValidationInfo) -> Any:
        choices = options(info.context["project"])
        known = ", ".join(f'"{c}"' for c in choices)
        if name is None:
            raise problem(f"missing; expected one of: {known}")
        if isinstance(name, str) and name in choices:
            return choices[name]
        has = f"{source} has" if source else "expected one of"
        raise problem(f"unknown {what} {describe(name)}; {has}: {known}")

    return BeforeValidator(pick)


def _reviewed(language: Language, info: ValidationInfo) -> Language:
    if not info.context["reviewed"][language.code] and not info.context["allow_unreviewed"]:
        raise problem(
            f'"{language.code}" ({language.name}) is not reviewed (not every translation is '
            "approved; see `leaflets status`), so its leaflets are drafts; have a native "
            "speaker review it in `leaflets serve`, or pass --allow-unreviewed and the ticket "
            "will say so"
        )
    return language


def _chosen() -> Any:
    # A choice's validator words a missing key itself: it knows the choices.
    return Field(None, validate_default=True)


class Contact(Table):
    name: Annotated[Text, Expected("the requester's name")]
    email: Annotated[str, Expected("an email address"), AfterValidator(_email)] | None = None
    phone: PhoneNumber | None = None

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        if self.email is None and self.phone is None:
            raise problem("needs an email or a phone number, so the printer can ask")
        return self


class OrderItem(Table):
    number: Given[int]
    """1-based position in the order; print files are numbered with it."""
    leaflet: Annotated[Leaflet, _choice("leaflet", None, lambda p: p.leaflets)] = _chosen()
    language: Annotated[
        Language, _choice("language", None, lambda p: p.languages), AfterValidator(_reviewed)
    ] = _chosen()
    quantity: Annotated[
        int,
        Expected("a whole number of copies", missing="expected the number of copies"),
        between(1, MAX_QUANTITY, "expected from 1 to {high:,} copies, got {value:,}"),
    ]
    """Copies wanted."""
    reviewed: Given[bool]
    """Whether the language is reviewed (i18n.review.is_reviewed): else a draft note prints."""

    @property
    def label(self) -> str:
        return f"{self.leaflet.name} ({self.language.code}) × {self.quantity}"

    @property
    def stem(self) -> str:
        return f"{self.number:02d}-{self.leaflet.name}-{self.language.code}"


def _items(items: Any, info: ValidationInfo) -> Any:
    """One to MAX_ITEMS item tables, each given its number and its language's review state."""
    if not isinstance(items, list) or not items:
        raise problem("expected one or more [[items]] tables")
    if len(items) > MAX_ITEMS:
        raise problem(
            f"{len(items):,} items; an order has at most {MAX_ITEMS} (one per leaflet and "
            "language): split it into smaller orders"
        )
    reviewed = info.context["reviewed"]
    return [_numbered(number, item, reviewed) for number, item in enumerate(items, 1)]


def _numbered(number: int, item: Any, reviewed: dict[str, bool]) -> Any:
    if not isinstance(item, dict):
        return item
    code = item.get("language")
    # An unknown language has no review state; the item is refused for it.
    state = reviewed.get(code) if isinstance(code, str) else None
    return with_given(item, number=number, reviewed=state)


def _one_item_each(items: tuple[OrderItem, ...]) -> tuple[OrderItem, ...]:
    seen: dict[tuple[str, str], int] = {}
    found = []
    for index, item in enumerate(items):
        pair = (item.leaflet.name, item.language.code)
        if pair in seen:
            found.append(
                (
                    (index, "leaflet"),
                    f"the same leaflet and language as items[{seen[pair]}]; add the quantities "
                    "into one item",
                )
            )
        seen.setdefault(pair, index)
    if found:
        raise problems_at(*found)
    return items


class Order(Table):
    """A validated order file."""

    path: Given[Path]
    name: Text = Field(None, validate_default=True)
    """The order's own name, else its file's name without .toml."""
    event: Annotated[Text, Expected("the event's name")]
    event_date: Day
    need_by: Day
    requested_by: Annotated[
        Contact,
        Expected(missing="expected a [requested_by] table with name, and email or phone"),
    ]
    deliver_to: Annotated[
        Office, _choice("office", "contacts.toml", lambda p: {o.id: o for o in p.contacts.offices})
    ] = _chosen()
    edition: Annotated[Edition, _choice("edition", "leaflets.toml", lambda p: p.editions)] = (
        _chosen()
    )
    paper: Annotated[str, _choice("paper", None, lambda p: {k: k for k in PAPER_SIZES_IN})] = (
        _chosen()
    )
    """Paper size key ("letter", "a4"): the sheet cards are imposed on, and the tri-fold's,
    flyer's and large print's finished size."""
    stock: Text | None = None
    notes: Text | None = None
    items: Annotated[
        ListOf[OrderItem],
        Expected(missing="add one [[items]] table per leaflet and language"),
        BeforeValidator(_items),
        AfterValidator(_one_item_each),
    ]
    allow_unreviewed: Given[bool]
    checked_on: Given[date]
    """The day the order was read: its dates before that day are warned about."""

    @field_validator("name", mode="wrap")
    @classmethod
    def _or_the_file_name(
        cls, name: Any, validate: Callable[[Any], str], info: ValidationInfo
    ) -> str:
        name = info.data["path"].stem if name is None else validate(name)
        slug = slugify(name)
        other = (info.context or {}).get("taken", {}).get(slug)
        if other:
            raise problem(
                f'{describe(name)} makes the package folder name "{slug}", as {other} does; '
                "give this order a name of its own"
            )
        return name

    @field_validator("need_by")
    @classmethod
    def _before_the_event(cls, need_by: date, info: ValidationInfo) -> date:
        event = info.data.get("event_date")
        if event is not None and need_by > event:
            raise problem(
                f"{need_by.isoformat()} is after the event ({event.isoformat()}); "
                "the leaflets must arrive before the event"
            )
        return need_by

    @property
    def slug(self) -> str:
        """The package's folder name under out/orders/: made from name, never a path."""
        return slugify(self.name)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(
            f"{key} {day.isoformat()} is in the past"
            for key, day in (("event_date", self.event_date), ("need_by", self.need_by))
            if day < self.checked_on
        )

    @property
    def unreviewed(self) -> list[Language]:
        seen: dict[str, Language] = {}
        for item in self.items:
            if not item.reviewed:
                seen.setdefault(item.language.code, item.language)
        return list(seen.values())
