"""Issue 25, point 13: an overflow that contacts.toml causes names contacts.toml, its line and
key, not a msgid; and a contacts.toml with thousands of offices fails at once."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

STREET = 'street = "4100 Sion Farm Shopping Center"'
LONG_STREET = (
    'street = "4100 Sion Farm Shopping Center Building Number Seven Unit Twelve Across From '
    'The Big Old Mahogany Tree Next To The Bank Of The Virgin Islands Main Branch Office"'
)


def build(root: Path, *args: str):
    return CliRunner().invoke(cli.main, ["--project", str(root), "build", *args])


def one_error(result) -> str:
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    (error,) = [line for line in result.output.splitlines() if line.startswith("error:")]
    return error


@pytest.mark.pdf
def test_an_overflow_from_a_long_street_names_contacts_toml(project_copy: Path):
    contacts = project_copy / "contacts.toml"
    contacts.write_text(contacts.read_text(encoding="utf-8").replace(STREET, LONG_STREET))
    error = one_error(build(project_copy, "--lang", "es", "--leaflet", "flyer"))
    assert "contacts.toml:21: offices[0].street" in error, error
    assert "msgid" not in error


def with_offices(root: Path, count: int) -> None:
    contacts = root / "contacts.toml"
    text = contacts.read_text(encoding="utf-8")
    start = text.index('[[offices]]\nid = "st-thomas"')
    office = text[start:]
    extra = [office.replace('"st-thomas"', f'"office-{n}"') for n in range(count)]
    contacts.write_text(text + "\n" + "\n".join(extra), encoding="utf-8")


@pytest.mark.parametrize("count", [60, 10_000])
def test_thousands_of_offices_fail_at_once_naming_contacts_toml(project_copy: Path, count: int):
    with_offices(project_copy, count)
    started = time.monotonic()
    error = one_error(build(project_copy, "--lang", "en", "--leaflet", "card"))
    assert time.monotonic() - started < 20
    assert "contacts.toml" in error and "msgid" not in error, error
    assert "offices" in error or "MB" in error, error
    assert not (project_copy / "out" / "en" / "card.pdf").exists()
