"""contacts.toml: the hotline, the emergency number and the offices, and phone numbers.

`Contacts` is the file's format and the record every stage reads: the one source of every
contact fact. `PhoneNumber` is the one phone-number check, used here and by order files: the
text must be a number `phonenumbers` knows is valid, and becomes a `Phone` written as the
leaflets print it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from typing import Annotated, Any

import phonenumbers
from pydantic import AfterValidator, BeforeValidator, ValidationInfo, field_validator

from .validation import (
    Expected,
    ListOf,
    Table,
    WrittenAs,
    between,
    problem,
    problems_at,
    unexpected,
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Phone:
    """A validated phone number."""

    e164: str
    """+13407190144"""
    display: str
    """What is printed: 340-719-0144, or 1-888-373-7888 for toll-free numbers."""

    @property
    def uri(self) -> str:
        return "tel:" + self.e164

    @property
    def digits(self) -> str:
        return re.sub(r"\D", "", self.display)


@dataclass(frozen=True)
class ShortCode:
    """A number dialled or texted as it is: 911, 711, 233733."""

    number: str

    @property
    def uri(self) -> str:
        return "tel:" + self.number

    @property
    def display(self) -> str:
        return self.number

    @property
    def digits(self) -> str:
        return self.number


def parse_phone(text: Any) -> Phone:
    """The phone number in `text` ("+1 340 719 0144"); raises a validation error that says
    what is wrong with it."""
    if not isinstance(text, str):
        raise unexpected()
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException as exc:
        raise problem(f"not a phone number ({exc}): {text!r}") from None
    if not phonenumbers.is_valid_number(number):
        raise problem(
            f"not a valid phone number: {text!r}; check the digits "
            '(write it with its area code, such as "+1 340 719 0144")'
        )
    rfc = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.RFC3966)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    # RFC 3966 gives dashed groups: tel:+1-888-373-7888. Toll-free numbers keep the leading 1.
    grouped = rfc.removeprefix("tel:+")
    toll_free = phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.TOLL_FREE
    if number.country_code == 1 and not toll_free:
        grouped = grouped.removeprefix("1-")
    return Phone(e164=e164, display=grouped)


def _short_code(text: Any) -> ShortCode:
    if not (isinstance(text, str) and re.fullmatch(r"\d{3,6}", text)):
        raise unexpected()
    return ShortCode(text)


def _time_of_day(text: Any) -> time:
    if isinstance(text, str) and re.fullmatch(r"\d{2}:\d{2}", text):
        try:
            return time.fromisoformat(text)
        except ValueError:
            pass
    raise unexpected()


def _day_numbers(days: Any) -> tuple[int, ...]:
    if not isinstance(days, list):
        raise unexpected()
    if not days or any(day not in WEEKDAYS for day in days):
        raise problem(f"expected day names from {', '.join(WEEKDAYS)}, got {days!r}")
    return tuple(sorted(WEEKDAYS.index(day) for day in set(days)))


PhoneNumber = Annotated[
    Phone, Expected('a phone number such as "+1 340 719 0144"'), BeforeValidator(parse_phone)
]
ShortNumber = Annotated[
    ShortCode,
    Expected('a short code of 3 to 6 digits such as "911"'),
    BeforeValidator(_short_code),
]
TimeOfDay = Annotated[
    time, Expected('a 24-hour time such as "09:00"'), BeforeValidator(_time_of_day)
]


class OpeningHours(Table):
    """Days of the week (0 = Monday) with one opening time and one closing time."""

    days: Annotated[tuple[int, ...], BeforeValidator(_day_numbers)]
    opens: TimeOfDay
    closes: TimeOfDay

    @field_validator("closes")
    @classmethod
    def _after_opening(cls, closes: time, info: ValidationInfo) -> time:
        opens = info.data.get("opens")
        if opens is not None and opens >= closes:
            raise problem("must be later than opens")
        return closes


class Office(Table):
    id: str
    name: str
    place: str
    """The office's place name, used to build its translated name: "St. Croix"."""
    street: str
    city: str
    region: str
    postal_code: str
    phone: PhoneNumber
    fax: PhoneNumber | None = None
    hours: ListOf[OpeningHours]


class Hotline(Table):
    name: str
    phone: PhoneNumber
    text_number: ShortNumber
    text_keyword: str
    tty: ShortNumber
    call_languages: ListOf[str]
    text_languages: ListOf[str]
    interpreter_languages_over: (
        Annotated[int, between(1, 10_000, "expected a whole number from 1 to 10000, got {value}")]
        | None
    ) = None
    """Interpreters answer calls in more than this many languages (None: not said)."""


class Emergency(Table):
    """[emergency] as the file writes it; `Contacts.emergency` is its number."""

    phone: ShortNumber


def _unique_ids(offices: tuple[Office, ...]) -> tuple[Office, ...]:
    seen: set[str] = set()
    found = []
    for index, office in enumerate(offices):
        if office.id in seen:
            found.append(((index, "id"), f"duplicate office id {office.id!r}"))
        seen.add(office.id)
    if found:
        raise problems_at(*found)
    return offices


class Contacts(Table):
    """contacts.toml: the one source of every contact fact."""

    hotline: Hotline
    emergency: Annotated[ShortCode, WrittenAs(Emergency, "phone")]
    offices: Annotated[
        ListOf[Office],
        Expected("one or more [[offices]] tables"),
        AfterValidator(_unique_ids),
    ]

    def office(self, office_id: str) -> Office | None:
        return next((o for o in self.offices if o.id == office_id), None)

    def all_numbers(self) -> list[Phone | ShortCode]:
        """Every number a leaflet must carry."""
        numbers: list[Phone | ShortCode] = [
            self.hotline.phone,
            self.hotline.text_number,
            self.emergency,
        ]
        numbers += [o.phone for o in self.offices]
        return numbers
