"""Comments (issue 21, point 4): a thread per message and language, asked, answered and resolved
through the studio's routes by people signed in with the real invitation flow; the open count
in each message's JSON and in `leaflets status`; the store brought up from version 2. No PDF is
rendered: comments touch no catalog."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli import main
from leaflets.studio import comments, people
from leaflets.studio.people import Person
from leaflets.studio.store import SCHEMA_VERSION, Store
from tests.conftest import copy_project
from tests.studio.test_access_matrix import Team, signed_in_team

ASK = {"context": None, "id": "Need help?", "text": "Is «ayuda» formal enough here?"}
CONTEXT_ASK = {"context": "phone label", "id": "Call", "text": "Llame, or Llamar?"}


@pytest.fixture(scope="module")
def team(tmp_path_factory) -> Iterator[Team]:
    with signed_in_team(copy_project(tmp_path_factory.mktemp("comments") / "project")) as team:
        people.invite(team.store, Person("Hugo", "reviewer", ("ht",)))
        yield team


@pytest.fixture(autouse=True)
def no_comments(team: Team) -> Iterator[None]:
    yield
    with team.store.connect() as db:
        db.execute("DELETE FROM comments")
    live = team.client.app.state.live
    team.client.portal.call(live.run, live.studio.desks.clear)


def post(team: Team, role: str, lang: str, body: dict, **headers):
    return team.call(role, "POST", f"/api/comments/{lang}", body, **headers)


def rows(team: Team) -> list[sqlite3.Row]:
    with team.store.connect() as db:
        return db.execute("SELECT * FROM comments ORDER BY id").fetchall()


def described(team: Team, lang: str, key) -> dict:
    """The message as the page's JSON describes it (the Desk's describe, without a render)."""
    live = team.client.app.state.live
    return team.client.portal.call(live.run, lambda: live.studio.desk(lang).describe(key))


def test_a_translator_asks_a_reviewer_answers_and_resolves(team):
    asked = post(team, "translator", "ht", ASK)
    assert asked.status_code == 200, asked.text
    first = asked.json()["comment"]
    assert first["author"] == "Tijo" and first["text"] == ASK["text"]
    assert asked.json()["open_comments"] == 1
    assert described(team, "ht", "Need help?")["open_comments"] == 1

    reply = {**ASK, "text": "Yes: the leaflet says «ou» throughout.", "reply_to": first["id"]}
    answered = post(team, "coordinator", "ht", reply)
    assert answered.status_code == 200, answered.text
    [thread] = answered.json()["threads"]
    assert [c["author"] for c in thread["comments"]] == ["Tijo", "Cora"]
    assert answered.json()["open_comments"] == 1  # a reply is in the thread, not a new one

    listed = team.call("organiser", "GET", "/api/comments/ht").json()["threads"]
    assert [t["id"] for t in listed] == [first["id"]] and not listed[0]["resolved"]

    resolved = team.call("translator", "POST", f"/api/comments/ht/{first['id']}/resolve", {})
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["open_comments"] == 0
    assert resolved.json()["threads"][0]["resolved_by"] == "Tijo"
    assert described(team, "ht", "Need help?")["open_comments"] == 0
    assert team.call("organiser", "GET", "/api/comments/ht").json()["threads"] == []
    every = team.call("organiser", "GET", "/api/comments/ht?all=1").json()["threads"]
    assert every[0]["resolved"] and len(every[0]["comments"]) == 2

    # A reply to a resolved thread opens it again: the question is not settled.
    again = post(team, "translator", "ht", {**ASK, "text": "One more", "reply_to": first["id"]})
    assert again.json()["open_comments"] == 1
    stored = rows(team)
    assert [(r["author"], r["thread"]) for r in stored] == [
        ("Tijo", None),
        ("Cora", first["id"]),
        ("Tijo", first["id"]),
    ]
    assert stored[0]["resolved_by"] is None and stored[0]["at"] <= stored[2]["at"]


def test_a_message_with_a_context_has_its_own_thread(team):
    assert post(team, "translator", "ht", CONTEXT_ASK).status_code == 200
    assert described(team, "ht", ("phone label", "Call"))["open_comments"] == 1
    one = team.call("translator", "GET", "/api/comments/ht?id=Call&context=phone%20label")
    assert [t["context"] for t in one.json()["threads"]] == ["phone label"]
    assert team.call("translator", "GET", "/api/comments/ht?id=Call").json()["threads"] == []
    # A reply names the same message as the comment it answers.
    [row] = rows(team)
    wrong = post(team, "translator", "ht", {**ASK, "reply_to": row["id"]})
    assert wrong.status_code == 409 and len(rows(team)) == 1


@pytest.mark.parametrize(
    ("role", "lang", "status"),
    [
        ("translator", "ht", 200),
        ("translator", "es", 403),  # a translator of ht
        ("reviewer", "es", 200),
        ("reviewer", "ht", 403),  # another language's reviewer
        ("coordinator", "ht", 200),
        ("organiser", "ht", 403),  # reads, comments on nothing
        ("organiser", "es", 403),
    ],
)
def test_who_may_comment(team, role, lang, status):
    answer = post(team, role, lang, ASK)
    assert answer.status_code == status, answer.text
    assert len(rows(team)) == (status == 200)


def test_who_may_resolve(team):
    first = post(team, "reviewer", "es", ASK).json()["comment"]
    for role in ("organiser", "translator"):
        refused = team.call(role, "POST", f"/api/comments/es/{first['id']}/resolve", {})
        assert refused.status_code == 403
    # A comment of another language is not found through this one's path.
    assert (
        team.call("coordinator", "POST", f"/api/comments/ht/{first['id']}/resolve", {}).status_code
        == 404
    )
    assert rows(team)[0]["resolved_by"] is None


@pytest.mark.parametrize(
    "body",
    [
        {**ASK, "text": ""},
        {**ASK, "text": "   \n "},
        {**ASK, "text": "x" * (comments.TEXT_MAX + 1)},
        {**ASK, "text": "bell\x07"},
        {**ASK, "text": "+1 \u202e555"},  # a direction override
        {**ASK, "text": 5},
        {**ASK, "reply_to": "1"},
        {**ASK, "reply_to": 0},
        {**ASK, "reply_to": 2**63},
        {**ASK, "extra": True},
        {"id": "Need help?"},
        {**ASK, "id": ""},
    ],
)
def test_bad_input_is_refused_with_nothing_written(team, body):
    answer = post(team, "coordinator", "es", body)
    assert answer.status_code == 422, answer.text
    assert rows(team) == []


def test_unknown_messages_languages_and_comments_are_404(team):
    assert post(team, "coordinator", "es", {**ASK, "id": "No such text"}).status_code == 404
    assert post(team, "coordinator", "xx", ASK).status_code == 404
    assert post(team, "coordinator", "en", ASK).status_code == 404  # the source language
    assert post(team, "coordinator", "es", {**ASK, "reply_to": 999}).status_code == 404
    assert team.call("coordinator", "POST", "/api/comments/es/999/resolve", {}).status_code == 404
    huge = f"/api/comments/es/{2**64}/resolve"  # more than SQLite's integers hold
    assert team.call("coordinator", "POST", huge, {}).status_code == 404
    assert rows(team) == []


def test_writes_need_the_csrf_token_and_this_origin(team):
    assert post(team, "reviewer", "es", ASK, **{"X-Leaflets-Token": ""}).status_code == 403
    other = post(team, "reviewer", "es", ASK, **{"X-Leaflets-Token": team.csrf["coordinator"]})
    assert other.status_code == 403
    assert post(team, "reviewer", "es", ASK, Origin="https://evil.example").status_code == 403
    assert team.call(None, "GET", "/api/comments/es").status_code == 401
    assert rows(team) == []


def test_status_counts_open_threads_per_language(team, tmp_path):
    run = CliRunner()
    args = ["--project", str(team.root), "status"]
    first = post(team, "translator", "ht", ASK).json()["comment"]
    post(team, "translator", "ht", CONTEXT_ASK)
    post(team, "reviewer", "es", ASK)
    team.call("coordinator", "POST", f"/api/comments/ht/{first['id']}/resolve", {})
    table = run.invoke(main, args, catch_exceptions=False).output.splitlines()
    assert table[0].split()[-2:] == ["comments", "reviewed"]
    counts = {line.split()[0]: line.split()[7] for line in table[1:3]}
    assert counts == {"es": "1", "ht": "1"}
    figures = json.loads(run.invoke(main, [*args, "--json"], catch_exceptions=False).output)
    assert {f["language"]: f["open_comments"] for f in figures} == {"es": 1, "ht": 1}
    # A state folder that is not the studio's: the figures, no comments, and a note.
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "studio.sqlite3").write_bytes(b"not a database" * 100)
    noted = run.invoke(main, [*args, "--json", "--state", str(broken)])
    assert noted.exit_code == 0 and "cannot read the studio's comments" in noted.stderr
    assert [f["open_comments"] for f in json.loads(noted.stdout)] == [0, 0]


def test_a_version_2_state_folder_is_brought_up_to_date_without_loss(tmp_path):
    folder = tmp_path / ".leaflets"
    folder.mkdir()
    with sqlite3.connect(folder / "studio.sqlite3") as db:
        db.executescript(VERSION_2)
        db.execute("INSERT INTO people VALUES ('Ana', 'reviewer', 'es', 1, 2, NULL, 'a@b.org')")
        db.execute(
            "INSERT INTO history VALUES (1, 5, 'es', NULL, 'Hi', 'save', 'Ana', '[\"a\"]', "
            "'[\"b\"]', NULL)"
        )
        db.execute("PRAGMA user_version=2")
    db.close()
    store = Store(folder)
    assert comments.open_by_language(store) == {}  # status reads it before any upgrade
    store.create()
    assert people.everyone(store)[0].email == "a@b.org"
    with store.connect() as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        assert db.execute("SELECT person, after FROM history").fetchone()[:] == ("Ana", '["b"]')
    comment = comments.add(store, "es", None, "Hi", "Ana", "why?")
    assert comments.open_counts(store, "es") == {"Hi": 1}
    assert comments.resolve(store, "es", comment.id, "Ana").resolved_by == "Ana"
    assert comments.open_by_language(store) == {}


def test_status_works_without_any_state_folder(tmp_path):
    root = copy_project(tmp_path / "project")
    result = CliRunner().invoke(main, ["--project", str(root), "status"], catch_exceptions=False)
    assert result.exit_code == 0
    assert [line.split()[7] for line in result.output.splitlines()[1:3]] == ["0", "0"]
    assert not (root / ".leaflets").exists()


VERSION_2 = """
CREATE TABLE people (name TEXT PRIMARY KEY, role TEXT NOT NULL, languages TEXT NOT NULL,
    invited REAL NOT NULL, last_seen REAL, revoked REAL, email TEXT);
CREATE TABLE invitations (token_hash TEXT PRIMARY KEY, name TEXT NOT NULL REFERENCES
    people(name), expires REAL NOT NULL, used REAL);
CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, name TEXT NOT NULL REFERENCES people(name),
    csrf TEXT NOT NULL, created REAL NOT NULL, expires REAL NOT NULL);
CREATE TABLE failed_signins (address TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE history (id INTEGER PRIMARY KEY, at REAL NOT NULL, lang TEXT NOT NULL, context TEXT,
    msgid TEXT NOT NULL, action TEXT NOT NULL, person TEXT NOT NULL, before TEXT, after TEXT,
    replaced TEXT);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
"""The tables as version 2 made them (store.py at the commit that added people.email)."""


def test_every_page_hears_of_a_comment(team, monkeypatch):
    heard = []
    live = team.client.app.state.live
    monkeypatch.setattr(live.events, "publish", lambda event, data: heard.append((event, data)))
    first = post(team, "translator", "ht", CONTEXT_ASK).json()["comment"]
    team.call("translator", "POST", f"/api/comments/ht/{first['id']}/resolve", {})
    said = {"lang": "ht", "context": "phone label", "id": "Call"}
    assert [d for e, d in heard if e == "comments"] == [
        {**said, "open_comments": 1},
        {**said, "open_comments": 0},
    ]


BODIES = st.fixed_dictionaries(
    {"id": st.sampled_from(["Need help?", "Call", ""]) | st.text(max_size=20)},
    optional={
        "context": st.none() | st.sampled_from(["phone label"]) | st.text(max_size=10),
        "text": st.text(max_size=40) | st.integers() | st.none(),
        "reply_to": st.integers() | st.text(max_size=5) | st.none(),
        "extra": st.booleans(),
    },
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(lang=st.sampled_from(["es", "ht", "en", "xx", "ES"]), body=BODIES, thread=st.integers())
def test_any_request_gets_an_answer_never_a_500(team, lang, body, thread):
    """The TestClient raises the server's exception: an overflow or a crash fails here."""
    for answer in (
        post(team, "coordinator", lang, body),
        team.call("coordinator", "POST", f"/api/comments/{lang}/{thread}/resolve", {}),
    ):
        assert answer.status_code == 200 or "error" in answer.json(), answer.text
