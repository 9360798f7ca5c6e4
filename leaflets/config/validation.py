"""Validating a TOML file with pydantic, and saying what is wrong in the project's own words.

Every file format (leaflets.toml, contacts.toml, orders/*.toml) is described by `Table`
classes: strict pydantic models (no "3" → 3, no 1 → true, no 2.5 → 2) that refuse unknown keys.
Pydantic checks the whole file and returns every problem at once; `explain()` turns each of
its structured errors (`type`, `loc`, `input`, `ctx`) into a message, and `Problems` adds the
key path and the line it is on:

- `missing` → "missing; expected a string", `extra_forbidden` → "unknown key; expected one
  of: ..." (the table's field names, sorted), a wrong type (`*_type`, `literal_error`) →
  "expected a whole number, got 'two'". The phrase comes from the field's annotation (str → "a
  string", bool → "true or false", int → "a whole number", float → "a number", list → "a
  list", a table → "a table", Literal → '"a" or "b"'), or from an `Expected` in its
  `Annotated` metadata where the project words it more precisely.
- A validator raises `problem(message)` for a domain rule ("must be later than opens"), or
  `unexpected()` for a value of the right type but the wrong form, which is worded like a wrong
  type: 'expected a 24-hour time such as "09:00", got '9am''. `problems_at()` reports several
  problems below the validated value (duplicate ids in a list) at their own key paths.

A rule that relates several values (closes after opens, a single source language) is checked
once those values are themselves valid: a field validator sees the fields before it, a table
validator runs when the whole table is valid.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, ClassVar, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationError, WrapValidator
from pydantic_core import InitErrorDetails, PydanticCustomError

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
    """A TOML table: strict types, no unknown keys. Validators turn TOML values into the
    domain's (a phone number's text into a `Phone`), so `to_domain()` only has to assemble."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    domain: ClassVar[type | None] = None
    """The frozen dataclass this table becomes; without one it becomes a dict."""
    key_field: ClassVar[str | None] = None
    """The dataclass field that takes the table's name ([languages.es] → code = "es"): never a
    key in the file."""


def to_domain(value: Any, key: str | None = None) -> Any:
    """A validated table → its dataclass, field by field; lists become tuples."""
    if isinstance(value, Table):
        fields = {name: to_domain(item) for name, item in value}
        if value.key_field:
            fields[value.key_field] = key
        return value.domain(**fields) if value.domain else fields
    if isinstance(value, list):
        return tuple(to_domain(item) for item in value)
    if isinstance(value, dict):
        return {name: to_domain(item, name) for name, item in value.items()}
    return value


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
        return f"unknown key; expected one of: {', '.join(sorted(table.model_fields))}"
    annotation, expected = _annotation_at(schema, loc)
    phrase = (expected and expected.phrase) or _phrase(annotation)
    if kind == "missing":
        return f"missing; {(expected and expected.missing) or f'expected {phrase}'}"
    if kind == "expected" or kind.endswith("_type") or kind == "literal_error":
        return f"expected {phrase}, got {describe(item['input'])}"
    return item["msg"]  # no field here expects this error: pydantic's own words


def _annotation_at(schema: type[Table], loc: Loc) -> tuple[Any, Expected | None]:
    """The annotation of the value at `loc`, and its `Expected` if it has one."""
    annotation, expected = _unwrap(schema)
    for part in loc:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            if field is None:
                return Any, None
            annotation, inner = _unwrap(field.annotation)
            # The field's own Expected outranks one in its type; pydantic flattens nested
            # Annotated metadata, outermost last.
            outer = [m for m in field.metadata if isinstance(m, Expected)]
            expected = outer[-1] if outer else inner
        else:  # an item of a list[X] or a dict[K, X]: X
            args = get_args(annotation)
            annotation, expected = _unwrap(args[-1] if args else Any)
    return annotation, expected


def _unwrap(annotation: Any) -> tuple[Any, Expected | None]:
    """`annotation` without Annotated metadata or "| None", and the last Expected found."""
    expected = None
    while True:
        if get_origin(annotation) is Annotated:
            found = [m for m in annotation.__metadata__ if isinstance(m, Expected)]
            expected = found[-1] if found else expected
            annotation = annotation.__origin__
        elif get_origin(annotation) in (Union, type(int | None)) and type(None) in get_args(
            annotation
        ):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
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
    return repr(value)


def keypath(loc: Loc) -> str:
    """("offices", 1, "hours", 0, "opens") → "offices[1].hours[0].opens"."""
    path = ""
    for part in loc:
        name = shown(str(part))
        path += f"[{part}]" if isinstance(part, int) else (f".{name}" if path else name)
    return path


# ---------------------------------------------------------------- reading and reporting


class TomlSyntaxError(Exception):
    """A file that is not TOML: the message to show and the line, where tomllib gives it."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message = message
        self.line = line


MAX_TOML_DEPTH = 16
"""Tables and arrays nested deeper than this are refused: the project's files need six levels
(offices[].hours[].days[]), and 5,000 would exhaust Python's stack."""


def parse_toml(text: str) -> dict[str, Any]:
    """The TOML document in `text`; raises TomlSyntaxError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        line = int(match.group(1)) if match else None
        raise TomlSyntaxError(f"invalid TOML: {reason}; fix the syntax", line) from None
    except RecursionError:
        data = None
    if data is None or _depth(data) > MAX_TOML_DEPTH:
        raise TomlSyntaxError(
            f"tables and arrays are nested more than {MAX_TOML_DEPTH} deep; fix the syntax",
            _deep_line(text),
        )
    return data


def _depth(data: Any) -> int:
    """How deeply tables and arrays nest in `data`, counted without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_TOML_DEPTH:
            break
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def _deep_line(text: str) -> int | None:
    """The first line that opens more brackets than the depth allows, where one does."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count("[") + line.count("{") > MAX_TOML_DEPTH:
            return number
    return None


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
            validated = schema.model_validate(data, context=context)
        except ValidationError as exc:
            for loc, message in explain(exc, schema):
                self.add(keypath(loc), message, where(loc))
            return None
        return None if len(self.found) > before else validated
