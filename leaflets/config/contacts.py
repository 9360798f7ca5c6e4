"""contacts.toml: the hotline, the emergency number and the offices, and phone numbers.

`PhoneNumber` is the one phone-number check, used here and by order files: the text must be a
number `phonenumbers` knows is valid, and becomes a `Phone` written as the leaflets print it.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated, Any

import phonenumbers
from pydantic import AfterValidator, ValidationInfo, field_validator

from .model import WEEKDAYS, Contacts, Hotline, Office, OpeningHours, Phone, ShortCode
from .validation import (
    Expected,
    Problems,
    Table,
    between,
    problem,
    problems_at,
    to_domain,
    unexpected,
)


def parse_phone(text: str) -> Phone:
    """The phone number in `text` ("+1 340 719 0144"); raises a validation error that says
    what is wrong with it."""
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


def _short_code(text: str) -> ShortCode:
    if not re.fullmatch(r"\d{3,6}", text):
        raise unexpected()
    return ShortCode(text)


def _time_of_day(text: str) -> time:
    if re.fullmatch(r"\d{2}:\d{2}", text):
        try:
            return time.fromisoformat(text)
        except ValueError:
            pass
    raise unexpected()


def _day_numbers(days: list[Any]) -> tuple[int, ...]:
    if not days or any(day not in WEEKDAYS for day in days):
        raise problem(f"expected day names from {', '.join(WEEKDAYS)}, got {days!r}")
    return tuple(sorted(WEEKDAYS.index(day) for day in set(days)))


PhoneNumber = Annotated[
    str, Expected('a phone number such as "+1 340 719 0144"'), AfterValidator(parse_phone)
]
ShortNumber = Annotated[
    str, Expected('a short code of 3 to 6 digits such as "911"'), AfterValidator(_short_code)
]
TimeOfDay = Annotated[str, Expected('a 24-hour time such as "09:00"'), AfterValidator(_time_of_day)]


class HoursTable(Table):
    domain = OpeningHours
    days: Annotated[list[Any], AfterValidator(_day_numbers)]
    opens: TimeOfDay
    closes: TimeOfDay

    @field_validator("closes")
    @classmethod
    def _after_opening(cls, closes: time, info: ValidationInfo) -> time:
        opens = info.data.get("opens")
        if opens is not None and opens >= closes:
            raise problem("must be later than opens")
        return closes


class OfficeTable(Table):
    domain = Office
    id: str
    name: str
    place: str
    street: str
    city: str
    region: str
    postal_code: str
    phone: PhoneNumber
    fax: PhoneNumber | None = None
    hours: list[HoursTable]


class HotlineTable(Table):
    domain = Hotline
    name: str
    phone: PhoneNumber
    text_number: ShortNumber
    text_keyword: str
    tty: ShortNumber
    call_languages: list[str]
    text_languages: list[str]
    interpreter_languages_over: (
        Annotated[int, between(1, 10_000, "expected a whole number from 1 to 10000, got {value}")]
        | None
    ) = None


class EmergencyTable(Table):
    phone: ShortNumber


def _unique_ids(offices: list[OfficeTable]) -> list[OfficeTable]:
    seen: set[str] = set()
    found = []
    for index, office in enumerate(offices):
        if office.id in seen:
            found.append(((index, "id"), f"duplicate office id {office.id!r}"))
        seen.add(office.id)
    if found:
        raise problems_at(*found)
    return offices


class ContactsFile(Table):
    hotline: HotlineTable
    emergency: EmergencyTable
    offices: Annotated[
        list[OfficeTable], Expected("one or more [[offices]] tables"), AfterValidator(_unique_ids)
    ]


def validate_contacts(data: dict[str, Any], problems: Problems) -> Contacts | None:
    """contacts.toml's contents as `Contacts`, or None after adding every problem found."""
    contacts = problems.validate(ContactsFile, data)
    if contacts is None:
        return None
    return Contacts(
        hotline=to_domain(contacts.hotline),
        emergency=contacts.emergency.phone,
        offices=to_domain(contacts.offices),
    )
