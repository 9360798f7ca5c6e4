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
from phonenumbers import shortnumberinfo
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
COUNTRY = "US"
"""The project's country: its numbers are written and dialled as they are there, its short
numbers (911, 711, 233733) are checked against phonenumbers' short-number data for it, and a
number of another country prints in international format (+44 20 7946 0958)."""
COUNTRY_CODE = phonenumbers.country_code_for_region(COUNTRY)
# What a postal code looks like, by the office's country; another country's needs a letter or
# a digit at least.
POSTAL_CODES = {"US": (r"\d{5}(-\d{4})?", 'a ZIP code such as "00820" or "00820-1234"')}


@dataclass(frozen=True)
class Phone:
    """A validated phone number."""

    e164: str
    """+13407190144"""
    display: str
    """What is printed: 340-719-0144, or 1-888-373-7888 for toll-free numbers, +44 20 7946 0958
    for a number of another country, with " ext. 123" after it for an extension."""
    extension: str | None = None

    @property
    def uri(self) -> str:
        """tel:+13407190144, with ";ext=123" for an extension (RFC 3966)."""
        return "tel:" + self.e164 + (f";ext={self.extension}" if self.extension else "")

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
    if number.extension and not re.fullmatch(r"\d{1,7}", number.extension):
        raise problem(f"not a valid extension: {text!r}; write it as ext. 123")
    extension = number.extension or None
    number.extension = None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return Phone(e164=e164, display=_printed(number, extension), extension=extension)


def _printed(number: phonenumbers.PhoneNumber, extension: str | None) -> str:
    """A number as the leaflets print it: dashed groups in the project's country (RFC 3966's,
    340-719-0144; toll-free numbers keep the leading 1), the international format with its +
    for any other, so that it can be dialled as printed."""
    if number.country_code != COUNTRY_CODE:
        grouped = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    else:
        rfc = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.RFC3966)
        grouped = rfc.removeprefix("tel:+")
        toll_free = phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.TOLL_FREE
        if not toll_free:
            grouped = grouped.removeprefix(f"{COUNTRY_CODE}-")
    return f"{grouped} ext. {extension}" if extension else grouped


def _short_code(text: Any) -> ShortCode:
    if not (isinstance(text, str) and re.fullmatch(r"\d{3,6}", text)):
        raise unexpected()
    if not shortnumberinfo.is_valid_short_number_for_region(
        phonenumbers.parse(text, COUNTRY), COUNTRY
    ):
        raise problem(f"{text!r} is not a short number in use in {COUNTRY}; check the digits")
    return ShortCode(text)


def _emergency_number(code: ShortCode) -> ShortCode:
    if not shortnumberinfo.is_emergency_number(code.number, COUNTRY):
        raise problem(f"{code.number!r} is not an emergency number in {COUNTRY}; check the digits")
    return code


def _meaningful(text: str) -> str:
    if not any(char.isalnum() for char in text):
        raise problem(f"expected text with at least one letter or digit, got {text!r}")
    return text


def _keyword(text: str) -> str:
    if not re.fullmatch(r"[^\W_]+( [^\W_]+)*", text) or len(text) > 20:
        raise problem(
            f'expected a keyword of letters and digits (at most 20), such as "HELP", got {text!r}'
        )
    return text


def _country(code: str) -> str:
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise problem(f'expected a two-letter country code such as "US", got {code!r}')
    return code


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
Text = Annotated[str, AfterValidator(_meaningful)]
"""A fact printed as text: one of only spaces or punctuation would print as nothing."""
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
    id: Text
    name: Text
    place: Text
    """The office's place name, used to build its translated name: "St. Croix"."""
    street: Text
    city: Text
    region: Text
    country: Annotated[str, AfterValidator(_country)] = COUNTRY
    """The office's country, as phonenumbers' region codes: its postal code's form."""
    postal_code: str
    phone: PhoneNumber
    fax: PhoneNumber | None = None
    hours: ListOf[OpeningHours]

    @field_validator("postal_code")
    @classmethod
    def _postal_code(cls, code: str, info: ValidationInfo) -> str:
        pattern, example = POSTAL_CODES.get(info.data.get("country", COUNTRY), (r".*\w.*", ""))
        if not re.fullmatch(pattern, code):
            raise problem(f"expected {example or 'a postal code'}, got {code!r}")
        return code


class Hotline(Table):
    name: Text
    phone: PhoneNumber
    text_number: ShortNumber
    text_keyword: Annotated[str, AfterValidator(_keyword)]
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

    phone: Annotated[ShortNumber, AfterValidator(_emergency_number)]


MAX_OFFICES = 50
"""Every leaflet prints every office: more than this fit none, and would only make the build
slow before it says so."""


def _unique_ids(offices: tuple[Office, ...]) -> tuple[Office, ...]:
    if len(offices) > MAX_OFFICES:
        raise problem(
            f"{len(offices):,} offices; every leaflet prints every office, and at most "
            f"{MAX_OFFICES} can be printed: list the offices the leaflets should name"
        )
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
