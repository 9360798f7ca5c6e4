"""Issue 12, point 5: one rule for every printed text. Control and direction characters were
refused in catalogs only: `text_keyword = "\\u202ePLEH"` printed "337332" on the card, an
order's notes with U+202E forged a date on the ticket, and NUL reached ticket.json."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflets.config import project as project_mod
from leaflets.errors import ConfigError, OrderError
from leaflets.press import orders, ticket
from leaflets.press.sheets import Package
from leaflets.untrusted import forbidden_characters
from tests.conftest import DATA


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "old", "new", "key"),
    [
        ("contacts.toml", 'text_keyword = "HELP"', 'text_keyword = "\\u202ePLEH"', "text_keyword"),
        ("contacts.toml", 'place = "St. Croix"', 'place = "St.\\u0000 Croix"', "offices[0].place"),
        ("contacts.toml", 'city = "Christiansted"', 'city = "Christ\\u2066iansted"', "city"),
        ("leaflets.toml", 'name = "Virgin Islands', 'name = "\\u202eVirgin Islands', "name"),
        ("leaflets.toml", 'title = "Wallet card"', 'title = "Wallet\\u0007 card"', "title"),
    ],
)
def test_config_text_with_a_forbidden_character_is_an_error_at_its_line(
    project_copy: Path, name: str, old: str, new: str, key: str
):
    path = project_copy / name
    replace_in(path, old, new)
    line = next(n for n, raw in enumerate(path.read_text().splitlines(), 1) if new[:12] in raw)
    with pytest.raises(ConfigError) as caught:
        project_mod.load(project_copy)
    assert caught.value.line == line
    assert key in str(caught.value) and "U+" in str(caught.value)
    assert "control and direction-override characters are not allowed" in str(caught.value)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('event = "Test fair"', 'event = "Test fair"\nnotes = "Due \\u202e41-20-9902"'),
        ('event = "Test fair"', 'event = "Test fair"\nnotes = "Box\\u0000them"'),
        ('name = "Test requester"', 'name = "Test\\u0000requester"'),
        ('event = "Test fair"', 'event = "Test\\u2067 fair"'),
    ],
)
def test_order_text_with_a_forbidden_character_is_an_error_at_its_line(
    project_copy: Path, old: str, new: str
):
    path = project_copy / "orders" / "hostile.toml"
    path.write_text((DATA / "orders" / "good.toml").read_text(encoding="utf-8"))
    replace_in(path, old, new)
    line = next(n for n, raw in enumerate(path.read_text().splitlines(), 1) if "\\u" in raw)
    with pytest.raises(orders.InvalidOrder) as caught:
        orders.load_order(project_mod.load(project_copy), path)
    assert caught.value.line == line, str(caught.value)
    assert "U+" in str(caught.value)


def test_the_ticket_refuses_a_forbidden_character_from_anywhere(project_copy: Path):
    """The order file's own name goes on the ticket too."""
    path = project_copy / "orders" / "fair\u202e.toml"
    path.write_text((DATA / "orders" / "good.toml").read_text(encoding="utf-8"))
    order = orders.load_order(project_mod.load(project_copy), path)
    with pytest.raises(OrderError, match=r"order_file on the job ticket contains U\+202E"):
        ticket.ticket_facts(order, Package(project_copy, project_copy / "x.zip", items=[]))


def test_one_rule_for_every_printed_text():
    assert forbidden_characters("HELP") == []
    assert forbidden_characters("\u202ePLEH") == ["U+202E (RIGHT-TO-LEFT OVERRIDE)"]
    assert forbidden_characters("a\x00b") == ["U+0000 (NULL)"]


def test_a_message_never_echoes_a_control_character(project_copy: Path):
    """A key or a value quoted in an error is escaped: an escape sequence in a file cannot
    reach the terminal that shows the error."""
    path = project_copy / "contacts.toml"
    original = path.read_text(encoding="utf-8")
    replace_in(path, 'text_keyword = "HELP"', 'text_keyword = "HELP"\n"\\u001b[2J" = 1')
    with pytest.raises(ConfigError) as caught:
        project_mod.load(project_copy)
    assert "\x1b" not in str(caught.value) and "\\x1b[2J" in str(caught.value)
    path.write_text(original, encoding="utf-8")
    order = project_copy / "orders" / "escape.toml"
    order.write_text(
        (DATA / "orders" / "good.toml")
        .read_text(encoding="utf-8")
        .replace('leaflet = "card"', 'leaflet = "\\u001b]0;owned\\u0007"')
    )
    with pytest.raises(orders.InvalidOrder) as caught:
        orders.load_order(project_mod.load(project_copy), order)
    assert "\x1b" not in str(caught.value) and "\x07" not in str(caught.value)
