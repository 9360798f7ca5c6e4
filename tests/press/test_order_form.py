"""Issue 22, the library under the order form: one loader and one set of checks for a file and
for a form's fields (the same words either way), the order file written as a person writes it
and never over another, the ticket's sheet counts without rendering, and each order's state.
Nothing here renders but the `example` fixture, built once per session (tests/press/conftest.py).
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaflets.config import project as project_mod
from leaflets.press import order_form, order_states, orders
from leaflets.press.order_form import OrderExists, check_order, order_toml, write_order
from leaflets.untrusted import forbidden_characters
from tests.conftest import copy_project
from tests.press.conftest import EXAMPLE, SLUG, run_cli

GOOD: dict[str, Any] = {
    "name": "Spring Fair 2099",
    "event": "Spring fair, Frederiksted",
    "event_date": date(2099, 2, 14),
    "need_by": date(2099, 2, 7),
    "deliver_to": "st-croix",
    "edition": "office",
    "paper": "letter",
    "requested_by": {"name": "Outreach coordinator", "phone": "+1 340 719 0144"},
    "items": [
        {"leaflet": "card", "language": "en", "quantity": 505},
        {"leaflet": "trifold", "language": "en", "quantity": 40},
    ],
}


def changed(**fields: Any) -> dict[str, Any]:
    return {**GOOD, **fields}


def with_item(index: int, **fields: Any) -> dict[str, Any]:
    items = [dict(item) for item in GOOD["items"]]
    items[index].update(fields)
    return changed(items=items)


def as_json(data: dict[str, Any]) -> Any:
    """The fields as a form's JSON body carries them: dates as text."""
    return json.loads(json.dumps(data, default=str))


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy whose orders/ holds the example order: the one a name may collide with."""
    return copy_project(tmp_path_factory.mktemp("form") / "project")


@pytest.fixture(scope="module")
def reviewed(root: Path) -> dict[str, bool]:
    """The review states, kept as the form keeps them: checking them takes a third of a second."""
    return orders.review_states(project_mod.load(root))


# ---------------------------------------------------------------- one set of checks

BAD = {
    "quantity-0": with_item(1, quantity=0),
    "quantity-negative": with_item(1, quantity=-1),
    "quantity-1e9": with_item(1, quantity=1e9),
    "quantity-text": with_item(1, quantity="ten"),
    "unknown-office": changed(deliver_to="st-john"),
    "unknown-leaflet": with_item(0, leaflet="poster"),
    "101-items": changed(
        items=[{"leaflet": "card", "language": "en", "quantity": n} for n in range(1, 102)]
    ),
    "need-by-after-event": changed(need_by=date(2099, 3, 1)),
    "unknown-key": changed(colour="red"),
    "unknown-item-key": with_item(1, color="red"),
    "unreviewed-language": with_item(1, language="es"),
    "taken-name": changed(name="Agricultural  FAIR 2027"),
    "many": changed(deliver_to="st-john", need_by=date(2099, 3, 1), paper="legal"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_the_command_line_and_the_form_say_the_same(root: Path, case: str):
    """The same bad order as a file given to `leaflets order` and as a form's JSON fields:
    each problem's message is what the command line prints after "file:line: ", word for word."""
    found = check_order(project_mod.load(root), as_json(BAD[case]))
    assert isinstance(found, list) and found
    path = root / "orders" / f"{case}.toml"
    path.write_text(tomli_w.dumps(BAD[case]), encoding="utf-8")
    try:
        result = run_cli("--project", str(root), "order", str(path))
    finally:
        path.unlink()
    assert result.exit_code == 1 and "Traceback" not in result.output
    printed = re.findall(rf"{re.escape(path.name)}(?::\d+)?: (.*)$", result.output, re.M)
    printed = [line for line in printed if not re.fullmatch(r"\d+ problems", line)]
    assert [problem["message"] for problem in found] == printed
    for problem in found:
        assert problem["message"].endswith(": " + problem["detail"])
    assert not (root / "out").exists()


def test_problems_name_their_field_in_the_order_files_terms(root: Path, reviewed):
    project = project_mod.load(root)
    fields = {
        case: [p["field"] for p in check_order(project, as_json(BAD[case]), reviewed=reviewed)]
        for case in BAD
    }
    assert fields["quantity-text"] == ["items[1].quantity"]
    assert fields["unknown-item-key"] == ["items[1].color"]
    assert fields["unknown-office"] == ["deliver_to"]
    assert fields["101-items"] == ["items"]
    assert fields["taken-name"] == ["name"]
    assert fields["many"] == ["need_by", "deliver_to", "paper"]


def test_a_form_may_leave_out_what_a_file_leaves_out_but_not_the_name(root: Path):
    project = project_mod.load(root)
    order = check_order(project, as_json(changed(stock=None, notes=None)))
    assert isinstance(order, orders.Order) and order.stock is None
    assert order.path == root / "orders" / "spring-fair-2099.toml"
    nameless = {key: value for key, value in as_json(GOOD).items() if key != "name"}
    assert [p["field"] for p in check_order(project, nameless)] == ["name"]
    assert check_order(project, ["not", "a", "table"])[0]["field"] == ""
    deep: Any = "x"
    for _ in range(40):
        deep = [deep]
    assert "nested more than 16 deep" in check_order(project, changed(notes=deep))[0]["message"]


def test_a_draft_language_needs_print_anyway(root: Path):
    project = project_mod.load(root)
    draft = as_json(with_item(1, language="es"))
    assert isinstance(check_order(project, draft), list)
    order = check_order(project, draft, allow_unreviewed=True)
    assert [lang.code for lang in order.unreviewed] == ["es"]


# ---------------------------------------------------------------- the order file


HOSTILE = [
    'Fair"\nevil = true\n[[items]]\nleaflet = "flyer"',
    'a """ b \'\'\' c \\" d \\',
    "tab\tand\r\nnewline\n# not a comment",
    "ünïcödé ✓ عربى Tiếng Việt \u200f",
    "x" * 20_000,
]


def test_a_written_order_reads_back_as_the_same_order(tmp_path: Path):
    root = copy_project(tmp_path / "project")
    project = project_mod.load(root)
    data = as_json(changed(stock="80 lb gloss", notes=HOSTILE[0]))
    data["requested_by"] = {"name": "Ana", "email": "ana@example.org", "phone": "+44 20 7946 0958"}
    order = check_order(project, data)
    path = write_order(project, order)
    assert path == root / "orders" / "spring-fair-2099.toml"
    assert orders.load_order(project, path) == order
    text = path.read_text(encoding="utf-8")
    assert text.splitlines().count("[[items]]") == 2 and "[requested_by]" in text.splitlines()
    assert 'deliver_to = "st-croix"             # an office id from contacts.toml' in text
    assert sorted(p.name for p in path.parent.iterdir()) == [f"{SLUG}.toml", path.name]


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
def test_no_text_can_add_a_key_to_the_order_file(tmp_path: Path, hostile: str):
    root = copy_project(tmp_path / "project")
    project = project_mod.load(root)
    data = as_json(changed(event=hostile, notes=hostile, stock=hostile))
    data["requested_by"]["name"] = hostile
    data["items"][0]["quantity"] = 7
    order = check_order(project, data)
    path = write_order(project, order)
    written = tomllib.loads(path.read_text(encoding="utf-8"))
    assert set(written) == set(GOOD) | {"stock", "notes"}
    assert written["notes"] == hostile.strip() and len(written["items"]) == 2
    assert orders.load_order(project, path) == order


def test_control_characters_are_refused_and_could_not_escape_anyway(root: Path):
    project = project_mod.load(root)
    bell = "fair\x07\x1b[2J\x00"
    (problem,) = check_order(project, as_json(changed(notes=bell)))
    assert problem["field"] == "notes" and "U+0007 (BELL)" in problem["message"]
    order = check_order(project, as_json(GOOD))
    text = order_toml(order.model_copy(update={"notes": bell, "event": '"""\n[x]'}))
    assert tomllib.loads(text)["notes"] == bell and tomllib.loads(text)["event"] == '"""\n[x]'
    assert not forbidden_characters(text)  # escaped: the file itself carries none


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(min_size=1, max_size=200))
def test_any_text_that_passes_the_checks_round_trips(root: Path, reviewed, text: str):
    project = project_mod.load(root)
    order = check_order(project, as_json(changed(event=text, notes=text)), reviewed=reviewed)
    if isinstance(order, list):  # blank, or a forbidden character: refused, with its field
        assert {p["field"] for p in order} <= {"event", "notes"}
        return
    written = tomllib.loads(order_toml(order))
    assert (written["event"], written["notes"]) == (order.event, order.notes)
    assert set(written) == set(GOOD) | {"notes"}


def test_an_order_is_never_overwritten(tmp_path: Path):
    root = copy_project(tmp_path / "project")
    project = project_mod.load(root)
    first = check_order(project, as_json(GOOD))
    path = write_order(project, first)
    before = path.read_bytes()
    again = check_order(project, as_json(changed(name="spring fair, 2099!")))
    assert [p["field"] for p in again] == ["name"] and "orders/spring-fair-2099.toml" in str(again)
    with pytest.raises(OrderExists, match="already exists, and an order is never overwritten"):
        write_order(project, first)  # checked before the first was written: refused all the same
    path.rename(root / "orders" / "Spring-Fair-2099.toml")  # the same name, by another case
    with pytest.raises(OrderExists, match="Spring-Fair-2099.toml already exists"):
        write_order(project, first)
    assert (root / "orders" / "Spring-Fair-2099.toml").read_bytes() == before
    assert sorted(p.name for p in (root / "orders").iterdir()) == [
        "Spring-Fair-2099.toml",
        f"{SLUG}.toml",
    ]


# ---------------------------------------------------------------- the preview


def test_the_preview_does_the_tickets_arithmetic_without_rendering(root: Path):
    project = project_mod.load(root)
    data = changed(
        items=[*GOOD["items"], {"leaflet": "large-print", "language": "en", "quantity": 3}]
    )
    facts = order_form.preview_order(project, check_order(project, as_json(data)))
    card, trifold, large = facts["items"]
    assert (card["per_sheet"], card["sheets"], card["copies"], card["overage"]) == (10, 51, 510, 5)
    assert (trifold["sheets"], trifold["overage"], trifold["pages_at_most"]) == (40, 0, False)
    assert large["pages_at_most"] and large["pages"] == 8 and large["sheets"] == 12  # 4 a copy
    assert facts["total_sheets"] == 51 + 40 + 12 and facts["unreviewed_languages"] == []


def test_the_preview_states_what_the_ticket_of_the_built_package_states(example):
    project, _, ticket = example
    order = orders.load_order(project, project.root / EXAMPLE, allow_unreviewed=True)
    facts = order_form.preview_order(project, order)
    for item in facts["items"]:
        assert item.pop("pages_at_most") is False
    assert facts["items"] == ticket["items"]
    for key in ("total_sheets", "total_copies", "unreviewed_languages", "deliver_to", "paper"):
        assert facts[key] == ticket[key], key


# ---------------------------------------------------------------- the orders' states


def test_orders_are_submitted_invalid_or_failed(tmp_path: Path):
    root = copy_project(tmp_path / "project")
    project = project_mod.load(root)
    order = check_order(project, as_json(GOOD))
    write_order(project, order)
    (root / "orders" / "broken.toml").write_text('name = "x"\nevent = \n', encoding="utf-8")
    states = {s.file: s for s in order_states.order_states(project)}
    assert [s.state for s in states.values()] == ["submitted", "invalid", "submitted"]
    fair = states["spring-fair-2099.toml"]
    assert (fair.name, fair.slug, fair.requested_by) == (
        "Spring Fair 2099",
        "spring-fair-2099",
        "Outreach coordinator",
    )
    assert "broken.toml:2: invalid TOML" in states["broken.toml"].why
    order_states.record_failure(project, order, "FitError: the card overflows")
    (failed,) = [s for s in order_states.order_states(project) if s.slug == "spring-fair-2099"]
    assert (failed.state, failed.why) == ("failed", "FitError: the card overflows")
    order.path.write_text(order.path.read_text().replace("= 505", "= 500"), encoding="utf-8")
    (edited,) = [s for s in order_states.order_states(project) if s.slug == "spring-fair-2099"]
    assert edited.state == "submitted"  # the failure was of the file as it was


def test_an_order_is_ready_while_its_package_states_the_file(example, tmp_path: Path):
    _, folder, _ = example
    root = copy_project(tmp_path / "project")
    shutil.copytree(folder, root / "out" / "orders" / SLUG)
    project = project_mod.load(root)
    (state,) = order_states.order_states(project)
    assert state.state == "ready"
    order_file = root / EXAMPLE
    order_file.write_text(order_file.read_text().replace("quantity = 500", "quantity = 600"))
    assert order_states.order_states(project)[0].state == "submitted"
    order_file.write_text(order_file.read_text().replace("quantity = 600", "quantity = 500"))
    assert order_states.order_states(project)[0].state == "ready"
    with (root / "out" / "orders" / SLUG / "01-trifold-es.pdf").open("ab") as pdf:
        pdf.write(b"%")  # no longer the file its manifest lists
    assert order_states.order_states(project)[0].state == "submitted"
