"""Validating a TOML file with pydantic, and saying what is wrong in the project's own words.

Every file format (leaflets.toml, contacts.toml, orders/*.toml) is described by `Table`
classes: strict pydantic models (no "3" → 3, no 1 → true, no 2.5 → 2) that refuse unknown keys.
A table is declared once: validated, it is the frozen record the code reads (`Project`,
`Language`, `Order`...). Pydantic checks the whole file and returns every problem at once;
`explain()` turns each of its structured errors (`type`, `loc`, `input`, `ctx`) into a message,
and `Problems` adds the key path and the line it is on:

- `missing` → "missing; expected a string", `extra_forbidden` → "unknown key; expected one
  of: ..." (the keys the table takes, sorted), a wrong type (`*_type`, `literal_error`) →
  "expected a whole number, got 'two'". The phrase comes from the field's annotation as the
  file writes it (str → "a string", bool → "true or false", int → "a whole number", float →
  "a number", a list or tuple → "a list", a table → "a table", Literal → '"a" or "b"'), or
  from an `Expected` in its `Annotated` metadata where the project words it more precisely.
- A validator raises `problem(message)` for a domain rule ("must be later than opens"), or
  `unexpected()` for a value of the wrong type or form, which is worded like a wrong type:
  'expected a 24-hour time such as "09:00", got '9am''. `problems_at()` reports several
  problems below the validated value (duplicate ids in a list) at their own key paths.

Where the record differs from the file, the declaration says so: a validator turns the file's
value into the record's (a phone number's text into a `Phone`; `ListOf[str]` keeps a list as a
tuple), `WrittenAs` keeps a one-key table as its value ([organisation] name → the name), and a
`Given` field is one the program fills in and the file cannot set (a table's name, through
`named()`; the project folder, through `with_given()`).

A rule that relates several values (closes after opens, a single source language) is checked
once those values are themselves valid: a field validator sees the fields before it, a table
validator runs when the whole table is valid.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from operator import attrgetter
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    GetCoreSchemaHandler,
    ValidationError,
    ValidationInfo,
    WrapValidator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError, PydanticKnownError, core_schema

from ..untrusted import forbidden_characters, shown
from .toml_lines import TomlIndex

Loc = tuple[str | int, ...]

# ---------------------------------------------------------------- describing a file format


@dataclass(frozen=True)
class Expected:
    """What a field expects, in words, where the annotation alone says too little.

    `phrase` replaces the annotation's ("a whole number of copies"); `missing` is what a
    missing key says after "missing; " when that differs ("expected the number of copies")."""

    phrase: str | None = None
    missing: str | None = None


class Table(BaseModel):
    """A TOML table, and the record the code reads: strict types, no unknown keys, frozen.

    Validators turn TOML values into the domain's (a phone number's text into a `Phone`, a
    list into a tuple), so the validated table is the object every stage uses."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


T = TypeVar("T")


def _as_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


ListOf = Annotated[tuple[T, ...], BeforeValidator(_as_tuple)]
"""A TOML list, kept as a tuple: `ListOf[str]`."""


@dataclass(frozen=True)
class _Gift:
    value: Any


def with_given(table: dict[str, Any], **values: Any) -> dict[str, Any]:
    """`table` (a file's, about to be validated) with the program's values for its `Given`
    fields. A key the file writes itself wins, and is refused as an unknown key."""
    return {name: _Gift(value) for name, value in values.items()} | table


class _GivenField:
    """Marks a `Given` field: it takes a `with_given()` value as it is, refuses the key in a file
    ("unknown key"), and validates a value passed in code like any other field."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.with_info_wrap_validator_function(_take_given, handler(source))


def _take_given(value: Any, validate: Callable[[Any], Any], info: ValidationInfo) -> Any:
    if isinstance(value, _Gift):
        return value.value
    if info.context is not None:  # a file: Problems.validate() always passes a context
        raise PydanticKnownError("extra_forbidden")
    return validate(value)


Given = Annotated[T, _GivenField()]
"""A field the program fills in and the file cannot set: a table's name ([languages.es] →
code "es"), the project folder. `named()` and `with_given()` supply it."""


def named(field: str) -> BeforeValidator:
    """For a table of tables: each takes its own name as `field` ([languages.es] → code = "es")."""

    def name_each(tables: Any) -> Any:
        if not isinstance(tables, dict):
            return tables
        return {
            key: with_given(table, **{field: key}) if isinstance(table, dict) else table
            for key, table in tables.items()
        }

    return BeforeValidator(name_each)


@dataclass(frozen=True)
class WrittenAs:
    """A value the file writes as a table of its own, kept as that table's one field:
    `[emergency] phone = "911"` is the emergency number itself. Messages describe the table."""

    table: type[Table]
    field: str

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            attrgetter(self.field), handler.generate_schema(self.table)
        )


def problem(message: str) -> PydanticCustomError:
    """A domain rule broken, worded in full; raise it from a validator."""
    return PydanticCustomError("problem", "{message}", {"message": message})


def unexpected() -> PydanticCustomError:
    """A value of the right type in the wrong form: worded from the field's `Expected`."""
    return PydanticCustomError("expected", "not the expected value")


def problems_at(*found: tuple[Loc, str]) -> ValidationError:
    """Several problems at key paths below the validated value, such as (1, "id") in a list:
    raise it from a validator and pydantic puts the value's own path in front."""
    return ValidationError.from_exception_data(
        "leaflets",
        [InitErrorDetails(type=problem(message), loc=loc, input=None) for loc, message in found],
    )


def between(low: float, high: float, message: str) -> WrapValidator:
    """A number from `low` to `high`. The message gets the value as written ({value}): 9, not
    the 9.0 a float field holds."""

    def check(value: Any, handler: Callable[[Any], Any]) -> Any:
        number = handler(value)
        if not low <= number <= high:
            raise problem(message.format(value=value, low=low, high=high))
        return number

    return WrapValidator(check)


# ---------------------------------------------------------------- pydantic's errors → messages

_PHRASES = {
    str: "a string",
    bool: "true or false",
    int: "a whole number",
    float: "a number",
    list: "a list",
    tuple: "a list",
    dict: "a table",
    date: "a date",
}


def explain(error: ValidationError, schema: type[Table]) -> list[tuple[Loc, str]]:
    """Each of pydantic's errors for `schema` as (key path, message in the project's words)."""
    found = []
    for item in _unknown_keys_first(error.errors(include_url=False)):
        # A dict key's own error ends in "[key]": the key is already the path's last part.
        loc = item["loc"][:-1] if item["loc"][-1:] == ("[key]",) else item["loc"]
        found.append((loc, _message(item, schema, loc)))
    return found


def _unknown_keys_first(errors: list[Any]) -> list[Any]:
    """Pydantic lists a table's unknown keys after its other problems; a misspelt key is
    usually why another is missing, so each table's unknown keys move before the rest."""
    ordered: list[Any] = []
    for error in errors:
        at = len(ordered)
        if error["type"] == "extra_forbidden":
            table = error["loc"][:-1]
            at = next(
                (
                    i
                    for i, other in enumerate(ordered)
                    if other["loc"][: len(table)] == table
                    and not (other["type"] == "extra_forbidden" and other["loc"][:-1] == table)
                ),
                at,
            )
        ordered.insert(at, error)
    return ordered


def _message(item: Any, schema: type[Table], loc: Loc) -> str:
    kind = item["type"]
    if kind == "problem":
        return item["ctx"]["message"]
    if kind == "extra_forbidden":
        table, _ = _annotation_at(schema, loc[:-1])
        return f"unknown key; expected one of: {', '.join(file_keys(table))}"
    annotation, expected = _annotation_at(schema, loc)
    phrase = (expected and expected.phrase) or _phrase(annotation)
    if kind == "missing":
        return f"missing; {(expected and expected.missing) or f'expected {phrase}'}"
    if kind == "expected" or kind.endswith("_type") or kind == "literal_error":
        return f"expected {phrase}, got {describe(item['input'])}"
    return item["msg"]  # no field here expects this error: pydantic's own words


def file_keys(table: type[Table]) -> list[str]:
    """The keys a file may write in `table`, sorted: its fields but the `Given` ones."""
    return sorted(
        name
        for name, field in table.model_fields.items()
        if not any(isinstance(m, _GivenField) for m in field.metadata)
    )


def _annotation_at(schema: type[Table], loc: Loc) -> tuple[Any, Expected | None]:
    """The annotation of the value at `loc` as the file writes it, and its `Expected`."""
    annotation, expected = _unwrap(schema)
    for part in loc:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            if field is None:
                return Any, None
            # Pydantic keeps a field's own Annotated metadata apart, flattened, outermost last.
            annotation, expected = _unwrap(field.annotation, field.metadata)
        else:  # an item of a tuple[X, ...], a list[X] or a dict[K, X]: X
            args = [arg for arg in get_args(annotation) if arg is not Ellipsis]
            annotation, expected = _unwrap(args[-1] if args else Any)
    return annotation, expected


def _unwrap(annotation: Any, metadata: Sequence[Any] = ()) -> tuple[Any, Expected | None]:
    """`annotation` (with `metadata` around it) without Annotated metadata or "| None", and its
    outermost Expected: a field's own outranks one in its type. A value `WrittenAs` a table is
    that table."""
    expected = None
    while True:
        found = [m for m in metadata if isinstance(m, Expected)]
        expected = expected or (found[-1] if found else None)
        written = [m.table for m in metadata if isinstance(m, WrittenAs)]
        if written:
            return written[-1], expected
        if get_origin(annotation) is Annotated:
            annotation, metadata = annotation.__origin__, annotation.__metadata__
        elif get_origin(annotation) in (Union, type(int | None)) and type(None) in get_args(
            annotation
        ):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
            metadata = ()
        else:
            return annotation, expected


def _phrase(annotation: Any) -> str:
    if get_origin(annotation) is Literal:
        return " or ".join(f'"{choice}"' for choice in get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "a table"
    return _PHRASES.get(get_origin(annotation) or annotation, "a valid value")


def describe(value: Any) -> str:
    """A TOML value as a message quotes it: true, 'text', a table, a list, 2.5."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return repr(value) if len(value) < 40 else repr(value[:37] + "...")
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, datetime):  # TOML's date-time, as it is written: 2027-02-08T10:30:00
        return f"a date and time ({value.isoformat()})"
    if isinstance(value, time):
        return f"a time ({value.isoformat()})"
    if isinstance(value, date):
        return value.isoformat()
    return repr(value)


def keypath(loc: Loc) -> str:
    """("offices", 1, "hours", 0, "opens") → "offices[1].hours[0].opens"."""
    path = ""
    for part in loc:
        name = shown(str(part))
        path += f"[{part}]" if isinstance(part, int) else (f".{name}" if path else name)
    return path


# ---------------------------------------------------------------- reporting


def strings(data: Any) -> list[tuple[Loc, str]]:
    """Every string in parsed TOML (table keys included), with its key path, without recursion."""
    found: list[tuple[Loc, str]] = []
    stack: list[tuple[Loc, Any]] = [((), data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, str):
            found.append((loc, value))
        elif isinstance(value, dict):
            for key, child in value.items():
                found.append(((*loc, key), key))
                stack.append(((*loc, key), child))
        elif isinstance(value, list):
            stack.extend(((*loc, index), child) for index, child in enumerate(value))
    return sorted(found, key=lambda item: [str(part) for part in item[0]])


class Problems:
    """Problems found in one file, each "where: message" with its line where it can be found."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.index = TomlIndex(self.lines)
        self.found: list[tuple[int | None, str]] = []
        self.fields: list[tuple[str, str]] = []
        """Each problem's key path and its message without the place: a form shows it beside
        the field (press/orders.py's check_order())."""

    def __bool__(self) -> bool:
        return bool(self.found)

    @property
    def messages(self) -> list[str]:
        return [message for _, message in self.found]

    @property
    def line_numbers(self) -> list[int | None]:
        return [line for line, _ in self.found]

    @property
    def first_line(self) -> int | None:
        return next((line for line, _ in self.found if line), None)

    def add(self, path: str, message: str, where: str | None = None) -> None:
        """A problem at the key path `path`, shown as `where` (the path itself by default)."""
        self.found.append((self.index.line_of(path), f"{where or path}: {message}"))
        self.fields.append((path, message))

    def validate(
        self,
        schema: type[Table],
        data: dict[str, Any],
        context: dict[str, Any] | None = None,
        where: Callable[[Loc], str] = keypath,
    ) -> Any:
        """`data` validated as `schema`, or None after adding every problem found.

        Every string is printed text, or may be (a name, a title, a note): each is held to the
        same rule as a translation, no control or direction-override characters."""
        before = len(self.found)
        for loc, text in strings(data):
            bad = forbidden_characters(text)
            if bad:
                self.add(
                    keypath(loc),
                    f"contains {', '.join(bad)}; remove it: control and direction-override "
                    "characters are not allowed",
                    where(loc),
                )
        try:
            validated = schema.model_validate(data, context=context or {})
        except ValidationError as exc:
            for loc, message in explain(exc, schema):
                self.add(keypath(loc), message, where(loc))
            return None
        return None if len(self.found) > before else validated
