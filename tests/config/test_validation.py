"""config/validation.py: pydantic's errors in the project's words, at their key paths and lines."""

from __future__ import annotations

import pickle
from typing import Annotated, Literal

import pytest
from pydantic import AfterValidator, ValidationError

from leaflets.config import contacts
from leaflets.config.toml_lines import line_of, parse_toml
from leaflets.config.validation import (
    Expected,
    Given,
    ListOf,
    Problems,
    Table,
    WrittenAs,
    between,
    named,
    problem,
    problems_at,
    unexpected,
    with_given,
)
from leaflets.press import orders


def _even(number: int) -> int:
    if number % 2:
        raise unexpected()
    return number


class Slot(Table):
    opens: str
    closed: bool = False


class Shelf(Table):
    label: str
    count: int = 0
    width: float = 1.0
    tags: list[str] = []
    colour: Literal["red", "blue"] = "red"
    pairs: Annotated[int, Expected("an even number"), AfterValidator(_even)] = 2
    copies: Annotated[
        int, Expected("a whole number of copies", missing="expected the number of copies")
    ]
    size: Annotated[int, between(1, 10, "expected from {low} to {high}, got {value}")] = 1
    slots: list[Slot] = []
    rooms: dict[str, Slot] = {}


def _report(schema: type[Table], text: str) -> list[tuple[int | None, str]]:
    problems = Problems(text)
    assert problems.validate(schema, parse_toml(text)) is None
    return problems.found


def _messages(schema: type[Table], text: str) -> list[str]:
    return [message for _, message in _report(schema, text)]


def test_a_wrong_type_names_what_the_annotation_expects():
    assert _messages(Shelf, 'label = 3\ncopies = "two"\nwidth = "wide"\ntags = "a"\n') == [
        "label: expected a string, got 3",
        "width: expected a number, got 'wide'",
        "tags: expected a list, got 'a'",
        "copies: expected a whole number of copies, got 'two'",
    ]


def test_types_are_strict():
    found = _messages(
        Shelf, 'label = "x"\ncopies = 2.5\ncount = "3"\n[[slots]]\nopens = "9"\nclosed = 1'
    )
    assert found == [
        "count: expected a whole number, got '3'",
        "copies: expected a whole number of copies, got 2.5",
        "slots[0].closed: expected true or false, got 1",
    ]
    # A whole number is a number, though: width = 2 is 2.0.
    shelf = Shelf.model_validate({"label": "x", "copies": 1, "width": 2})
    assert shelf.width == 2.0 and isinstance(shelf.width, float)


def test_a_missing_key_says_what_belongs_there():
    assert _messages(Shelf, "count = 1\n") == [
        "label: missing; expected a string",
        "copies: missing; expected the number of copies",
    ]
    assert _messages(Shelf, 'label = "x"\ncopies = 1\n[rooms.a]\nclosed = true\n') == [
        "rooms.a.opens: missing; expected a string"
    ]


def test_an_unknown_key_lists_the_known_ones_sorted_and_comes_first():
    assert _messages(Shelf, 'copies = 1\ncolor = "red"\n') == [
        "color: unknown key; expected one of: colour, copies, count, label, pairs, rooms, "
        "size, slots, tags, width",
        "label: missing; expected a string",
    ]


def test_choices_overrides_and_ranges():
    assert _messages(Shelf, 'label = "x"\ncopies = 1\ncolour = "green"\npairs = 3\nsize = 11') == [
        'colour: expected "red" or "blue", got \'green\'',
        "pairs: expected an even number, got 3",
        "size: expected from 1 to 10, got 11",
    ]


def test_nested_paths_and_their_lines():
    text = 'label = "x"\ncopies = 1\n\n[[slots]]\nopens = "9"\n\n[[slots]]\nopens = 9\nshut = 1\n'
    assert _report(Shelf, text) == [
        (9, "slots[1].shut: unknown key; expected one of: closed, opens"),
        (8, "slots[1].opens: expected a string, got 9"),
    ]


def test_several_problems_in_one_table_are_reported_together_with_their_lines():
    text = '[shelf]\nlabel = 1\ncount = "many"\ncolour = "green"\n'

    class Room(Table):
        shelf: Shelf

    assert _report(Room, text) == [
        (2, "shelf.label: expected a string, got 1"),
        (3, "shelf.count: expected a whole number, got 'many'"),
        (4, 'shelf.colour: expected "red" or "blue", got \'green\''),
        (1, "shelf.copies: missing; expected the number of copies"),
    ]


def test_a_problem_below_the_value_keeps_its_own_path():
    def unique(slots: list[Slot]) -> list[Slot]:
        seen = [s.opens for s in slots]
        found = [((i, "opens"), "seen before") for i, s in enumerate(slots) if s.opens in seen[:i]]
        if found:
            raise problems_at(*found)
        return slots

    class Day(Table):
        slots: Annotated[list[Slot], AfterValidator(unique)]

    text = '[[slots]]\nopens = "9"\n[[slots]]\nopens = "10"\n[[slots]]\nopens = "9"\n'
    assert _report(Day, text) == [(6, "slots[2].opens: seen before")]


def test_a_dict_key_is_checked_at_its_own_path():
    def lower(name: str) -> str:
        if name != name.lower():
            raise problem("expected a lower-case name")
        return name

    class Rooms(Table):
        rooms: dict[Annotated[str, AfterValidator(lower)], Slot]

    assert _report(Rooms, '[rooms.Hall]\nopens = "9"\n') == [
        (1, "rooms.Hall: expected a lower-case name")
    ]


class Thing(Table):
    name: Given[str]
    opens: str
    tags: ListOf[str] = ()


class Keeper(Table):
    """`sign` is written as a table of its own: [sign] text = "..."."""

    text: str


class Things(Table):
    owner: Given[str]
    sign: Annotated[str, WrittenAs(Keeper, "text")]
    things: Annotated[dict[str, Thing], named("name")]


def test_the_validated_table_is_the_record_with_its_given_fields():
    data = {"sign": {"text": "Open"}, "things": {"a": {"opens": "9", "tags": ["x"]}}}
    things = Problems("").validate(Things, with_given(data, owner="me"))
    # Built in code, a record is validated from what the file writes, given fields and all.
    thing = Thing(name="a", opens="9", tags=["x"])
    assert things == Things(owner="me", sign={"text": "Open"}, things={"a": thing})
    assert things.sign == "Open" and things.things["a"] == thing and thing.tags == ("x",)
    assert hash(thing) == hash(Thing(name="a", opens="9", tags=("x",)))
    assert pickle.loads(pickle.dumps(things)) == things
    with pytest.raises(ValidationError):
        thing.opens = "10"  # frozen


def test_a_file_cannot_set_a_given_field():
    text = '[sign]\ntext = "Open"\n[things.a]\nopens = "9"\nname = "b"\n'
    assert _messages(Things, text) == [
        "owner: missing; expected a string",
        "things.a.name: unknown key; expected one of: opens, tags",
    ]
    text = 'owner = "me"\nsign = "Open"\n[things.a]\nopens = 9\ntags = "x"\n'
    problems = Problems(text)
    assert problems.validate(Things, with_given(parse_toml(text), owner="me")) is None
    assert problems.messages == [
        "owner: unknown key; expected one of: sign, things",
        "sign: expected a table, got 'Open'",
        "things.a.opens: expected a string, got 9",
        "things.a.tags: expected a list, got 'x'",
    ]


def test_a_value_written_as_a_table_is_described_as_that_table():
    assert _messages(Things, '[sign]\ntxt = "Open"\n[things]\n') == [
        "owner: missing; expected a string",
        "sign.txt: unknown key; expected one of: text",
        "sign.text: missing; expected a string",
    ]


def test_a_key_path_finds_its_line():
    lines = [
        'name = "top"',
        "[hotline]",
        'name = "hot"',
        "[[offices]]",
        'id = "a"',
        "[[offices]]",
        'id = "b"',
        'hours = [{ days = ["mon"], opens = "9am" }]',
        "[languages.es]",
        'name = "Español"',
    ]
    assert line_of(lines, "name") == 1
    assert line_of(lines, "hotline.name") == 3
    assert line_of(lines, "offices[1].id") == 7
    assert line_of(lines, "offices[1].hours[0].opens") == 8
    assert line_of(lines, "languages.es.name") == 10
    # A top-level key is looked for above the first table only.
    assert line_of(lines, "id") is None


def test_a_value_of_any_kind_is_described_as_toml_writes_it():
    from leaflets.config.validation import describe

    assert [describe(v) for v in (True, "x", {}, [], 2.5, "y" * 50)] == [
        "true",
        "'x'",
        "a table",
        "a list",
        "2.5",
        repr("y" * 37 + "..."),
    ]


def test_contacts_and_orders_share_one_phone_number_check():
    assert contacts.PhoneNumber.__metadata__[-1].func is contacts.parse_phone
    assert orders.Contact.model_fields["phone"].annotation.__args__[0] is contacts.PhoneNumber
    phone = contacts.parse_phone("+1 340 719 0144")
    assert (phone.display, phone.uri) == ("340-719-0144", "tel:+13407190144")
