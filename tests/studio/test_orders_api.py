"""Issue 22's HTTP interface, in process with Starlette's TestClient: every bad order the issue
names is a 422 naming its field and writes nothing, the command line and the API say the same
words, only an organiser or a coordinator orders (with the csrf and the studio's origin), and
one tiny order is built through the API, queued beside a second, and its zip checked against
its manifest. One real package is built (`leaflets order`, in a process of its own)."""

from __future__ import annotations

import hashlib
import io
import json
import re
import time
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from tests.conftest import copy_project
from tests.press.conftest import run_cli
from tests.press.test_order_form import BAD, as_json
from tests.studio.test_access_matrix import ORIGIN, Team, signed_in_team

TINY: dict[str, Any] = {
    "name": "Tiny",
    "event": "Health fair, Frederiksted",
    "event_date": "2099-02-14",
    "need_by": "2099-02-07",
    "deliver_to": "st-croix",
    "edition": "office",
    "paper": "letter",
    "requested_by": {"name": "Olu", "phone": "+1 340 719 0144"},
    "items": [{"leaflet": "card", "language": "en", "quantity": 10}],
}
EXPECTED_FIELDS = {
    "quantity-0": ["items[1].quantity"],
    "quantity-negative": ["items[1].quantity"],
    "quantity-1e9": ["items[1].quantity"],
    "quantity-text": ["items[1].quantity"],
    "unknown-office": ["deliver_to"],
    "unknown-leaflet": ["items[0].leaflet"],
    "101-items": ["items"],
    "need-by-after-event": ["need_by"],
    "unreviewed-language": ["items[1].language"],
    "taken-name": ["name"],
}


@pytest.fixture(scope="module")
def team(tmp_path_factory) -> Iterator[Team]:
    with signed_in_team(copy_project(tmp_path_factory.mktemp("orders") / "project")) as team:
        yield team


def written(root: Path) -> set[str]:
    """Every file under orders/ and out/: what an order could write."""
    return {
        p.relative_to(root).as_posix()
        for folder in ("orders", "out")
        for p in (root / folder).rglob("*")
        if p.is_file()
    }


@pytest.mark.parametrize("case", sorted(EXPECTED_FIELDS))
def test_each_bad_order_is_a_422_naming_its_field_and_writes_nothing(team, case: str):
    before = written(team.root)
    answer = team.call("organiser", "POST", "/api/orders", as_json(BAD[case]))
    assert answer.status_code == 422, answer.text
    errors = answer.json()["errors"]
    assert [e["field"] for e in errors] == EXPECTED_FIELDS[case]
    assert all(e["message"].endswith(e["detail"]) and e["detail"] for e in errors)
    assert written(team.root) == before


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (b"{not json", 422, ""),
        (b'["a", "list"]', 422, ""),
        (json.dumps({**TINY, "allow_unreviewed": "yes"}).encode(), 422, "allow_unreviewed"),
        (json.dumps({**TINY, "path": "../../leaflets.toml"}).encode(), 422, "path"),
        (json.dumps({k: v for k, v in TINY.items() if k != "name"}).encode(), 422, "name"),
        (b"x" * 300_000, 413, None),
    ],
)
def test_a_crafted_body_is_refused_and_writes_nothing(team, body: bytes, status, field):
    before = written(team.root)
    team.as_("organiser")
    headers = {"Origin": ORIGIN, "X-Leaflets-Token": team.csrf["organiser"]}
    answer = team.client.post(
        "/api/orders", content=body, headers={**headers, "Content-Type": "application/json"}
    )
    assert answer.status_code == status, answer.text
    if field is not None:
        assert field in [e["field"] for e in answer.json()["errors"]]
    assert team.client.post("/api/orders", content=b"{}", headers=headers).status_code == 415
    assert written(team.root) == before


def test_a_crafted_name_only_ever_makes_a_file_in_orders(team):
    crafted = {**TINY, "name": "../../leaflets.toml/..\\x"}
    answer = team.call("coordinator", "POST", "/api/orders", crafted)
    assert answer.status_code == 201, answer.text
    name = answer.json()["name"]
    assert name == "leaflets-toml-x" and (team.root / "orders" / f"{name}.toml").is_file()
    again = team.call("coordinator", "POST", "/api/orders", crafted)
    assert again.status_code == 422, again.text  # never over another order
    assert [e["field"] for e in again.json()["errors"]] == ["name"]
    assert f"orders/{name}.toml" in again.json()["errors"][0]["message"]
    for path in ("/api/orders/..%2Fleaflets", "/api/orders/%2E%2E", "/api/orders/leaflets"):
        assert team.call("organiser", "GET", path).status_code == 404, path
    (team.root / "orders" / f"{name}.toml").unlink()


def test_the_command_line_and_the_api_say_the_same(team, tmp_path: Path):
    """The same bad order as a file for `leaflets order` and as the API's JSON: each message
    is what the command line prints after "file:line: ", word for word."""
    bad = {
        **TINY,
        "event_date": date(2099, 2, 14),
        "need_by": date(2099, 3, 1),
        "deliver_to": "st-john",
        "items": [{**TINY["items"][0], "quantity": "ten"}],
    }
    answer = team.call("organiser", "POST", "/api/orders", as_json(bad))
    assert answer.status_code == 422
    messages = [e["message"] for e in answer.json()["errors"]]
    assert len(messages) == 3
    path = tmp_path / "bad.toml"
    path.write_text(tomli_w.dumps(bad), encoding="utf-8")
    result = run_cli("--project", str(team.root), "order", str(path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    printed = re.findall(r"bad\.toml:\d+: (.*)$", result.output, re.M)
    assert printed == messages


WRITES = [
    ("POST", "/api/orders", TINY),
    ("POST", "/api/order-form/preview", TINY),
    ("POST", "/api/orders/agricultural-fair-2027/build", {}),
]


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
@pytest.mark.parametrize("role", ["translator", "reviewer"])
def test_translators_and_reviewers_do_not_order(team, role, method, path, body):
    before = written(team.root)
    answer = team.call(role, method, path, body)
    assert answer.status_code == 403, answer.text
    assert role in answer.json()["error"]
    assert written(team.root) == before


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_orders_need_a_session_the_csrf_and_this_origin(team, method, path, body):
    before = written(team.root)
    assert team.call(None, method, path, body).status_code == 401
    no_csrf = team.call("coordinator", method, path, body, **{"X-Leaflets-Token": ""})
    assert no_csrf.status_code == 403 and "X-Leaflets-Token" in no_csrf.json()["error"]
    foreign = team.call("coordinator", method, path, body, Origin="https://evil.example")
    assert foreign.status_code == 403 and "evil.example" in foreign.json()["error"]
    assert written(team.root) == before
    for read in ("/api/orders", "/api/order-form", "/orders/tiny/tiny.zip"):
        assert team.call(None, "GET", read).status_code == 401
    for page in ("/orders", "/orders/new"):
        answer = team.call(None, "GET", page)
        assert answer.status_code == 401 and "You are not signed in" in answer.text


def test_a_draft_language_needs_a_coordinators_print_anyway(team):
    draft = {
        **TINY,
        "name": "Draft",
        "items": [{"leaflet": "card", "language": "ht", "quantity": 5}],
    }
    refused = team.call("organiser", "POST", "/api/orders", draft)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "items[0].language"
    anyway = {**draft, "allow_unreviewed": True}
    assert team.call("organiser", "POST", "/api/orders", anyway).status_code == 403
    preview = team.call("organiser", "POST", "/api/order-form/preview", draft).json()
    assert [e["field"] for e in preview["errors"]] == ["items[0].language"]
    assert preview["preview"]["unreviewed_languages"] == [{"code": "ht", "name": "Kreyòl ayisyen"}]
    assert preview["preview"]["total_sheets"] == 1
    assert team.call("coordinator", "POST", "/api/orders", anyway).status_code == 201
    # An organiser may not build (no [studio] organisers_build here), nor a draft without it.
    assert team.call("organiser", "POST", "/api/orders/draft/build", {}).status_code == 403
    unbuilt = team.call("coordinator", "POST", "/api/orders/draft/build", {})
    assert unbuilt.status_code == 422 and "--allow-unreviewed" in unbuilt.json()["error"]
    assert team.call("organiser", "GET", "/api/orders/draft").json()["state"] == "submitted"
    (team.root / "orders" / "draft.toml").unlink()


def test_an_organiser_builds_where_the_project_says_so(team):
    config = team.root / "leaflets.toml"
    before = config.read_bytes()
    draft = {
        **TINY,
        "name": "Allowed",
        "items": [{"leaflet": "card", "language": "es", "quantity": 5}],
    }
    assert (
        team.call(
            "coordinator", "POST", "/api/orders", {**draft, "allow_unreviewed": True}
        ).status_code
        == 201
    )
    assert team.call("organiser", "POST", "/api/orders/allowed/build", {}).status_code == 403
    config.write_bytes(before + b"\n[studio]\norganisers_build = true\n")
    team.client.portal.call(team.client.app.state.live.files_changed, {config})
    try:
        # Allowed to start it now; refused for its draft language (no build starts).
        answer = team.call("organiser", "POST", "/api/orders/allowed/build", {})
        assert answer.status_code == 422 and "--allow-unreviewed" in answer.json()["error"]
        anyway = team.call(
            "organiser", "POST", "/api/orders/allowed/build", {"allow_unreviewed": True}
        )
        assert anyway.status_code == 403 and "coordinator" in anyway.json()["error"]
    finally:
        config.write_bytes(before)
        team.client.portal.call(team.client.app.state.live.files_changed, {config})
        (team.root / "orders" / "allowed.toml").unlink()
    assert team.call("organiser", "POST", "/api/orders/allowed/build", {}).status_code == 403


def events_until(lines: Iterator[str], done, timeout: float = 120.0) -> list[dict]:
    """The "order" events read from the stream until `done(events)`; the stream's keep-alive
    lets the deadline be checked even when no event comes."""
    deadline, events, kind = time.monotonic() + timeout, [], None
    for line in lines:
        assert time.monotonic() < deadline, f"timed out; events so far: {events}"
        if line.startswith("event: "):
            kind = line.removeprefix("event: ")
        elif line.startswith("data: ") and kind == "order":
            events.append(json.loads(line.removeprefix("data: ")))
            if done(events):
                return events
    raise AssertionError(f"the stream ended; events: {events}")


@pytest.mark.pdf
def test_an_order_built_through_the_api_queues_a_second_and_serves_its_package(team):
    for name in ("Tiny", "Queued"):
        answer = team.call("organiser", "POST", "/api/orders", {**TINY, "name": name})
        assert answer.status_code == 201, answer.text
    stray = team.root / "out" / "orders" / "queued" / "notes.txt"
    stray.parent.mkdir(parents=True)
    stray.write_text("not a package", encoding="utf-8")  # so the second build fails at once
    team.as_("coordinator")
    started = time.monotonic()
    with team.client.stream("GET", "/api/events") as stream:
        lines = stream.iter_lines()
        assert next(line for line in lines if line.startswith("event: ")) == "event: hello"
        first = team.call("coordinator", "POST", "/api/orders/tiny/build", {})
        second = team.call("coordinator", "POST", "/api/orders/queued/build", {})
        assert (first.status_code, second.status_code) == (202, 202)
        assert second.json()["state"] == "queued"
        assert second.json()["message"] == "queued: waits for tiny to finish"
        building = team.call("organiser", "GET", "/api/orders/queued").json()
        assert building["state"] in ("queued", "failed")
        events = events_until(
            lines,
            lambda got: (
                {e["name"] for e in got if e["state"] in ("ready", "failed")} == {"tiny", "queued"}
            ),
        )
    elapsed = time.monotonic() - started
    finished = {e["name"]: e for e in events if e["state"] in ("ready", "failed")}
    assert finished["tiny"]["state"] == "ready" and finished["queued"]["state"] == "failed"
    order = [e["name"] for e in events if e["state"] in ("ready", "failed")]
    assert order == ["tiny", "queued"], "one build at a time, in the order asked"
    assert any(e["message"] == "[1/1] card (en) × 10" for e in events if e["name"] == "tiny")
    failed = team.call("organiser", "GET", "/api/orders/queued").json()
    assert failed["state"] == "failed" and "notes.txt" not in failed["files"]
    assert "out/orders/queued" in failed["why"], failed["why"]
    print(f"two builds through the API in {elapsed:.1f} s")
    check_package(team)


def check_package(team: Team) -> None:
    described = team.call("organiser", "GET", "/api/orders/tiny").json()
    assert described["state"] == "ready" and described["total_sheets"] == 1
    urls = {f["path"]: f["url"] for f in described["files"]}
    assert {"01-card-en.pdf", "proofs/card-en.pdf", "ticket.pdf", "tiny.zip"} <= set(urls)
    archive = zipfile.ZipFile(io.BytesIO(team.call("organiser", "GET", urls["tiny.zip"]).content))
    manifest = json.loads(archive.read("tiny/manifest.json"))
    members = {n.removeprefix("tiny/") for n in archive.namelist()} - {"manifest.json"}
    assert members == {entry["path"] for entry in manifest["files"]}
    for entry in manifest["files"]:
        data = archive.read(f"tiny/{entry['path']}")
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
        assert team.call("organiser", "GET", urls[entry["path"]]).content == data
    folder = team.root / "out" / "orders" / "tiny"
    (folder / "extra.txt").write_text("x", encoding="utf-8")
    # A manifest that lists a file outside its package (the package stays "ready": the file is
    # there, at the size listed) still serves nothing outside it.
    outside = "../../../leaflets.toml"
    manifest["files"].append({"path": outside, "bytes": (folder / outside).stat().st_size})
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert team.call("organiser", "GET", "/api/orders/tiny").json()["state"] == "ready"
    for path in (
        "/orders/tiny/extra.txt",
        "/orders/tiny/..%2F..%2F..%2Fleaflets.toml",
        "/orders/tiny/%2E%2E/%2E%2E/leaflets.toml",
        "/orders/tiny/proofs/%2E%2E/ticket.json",
        "/orders/tiny//etc/passwd",
        "/orders/queued/notes.txt",
        "/orders/agricultural-fair-2027/ticket.json",
    ):
        assert team.call("organiser", "GET", path).status_code == 404, path
