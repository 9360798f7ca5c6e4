"""`leaflets people` and `leaflets history`, as whoever runs the studio types them."""

from __future__ import annotations

import re
import sqlite3

from click.testing import CliRunner

import cli
from leaflets.studio import history, people, sessions
from leaflets.studio.store import SCHEMA_VERSION, Store
from tests.conftest import copy_project


def run(root, *args):
    return CliRunner().invoke(cli.main, ["--project", str(root), *args])


def test_invite_list_revoke_and_history(tmp_path):
    root = copy_project(tmp_path / "project")
    invited = run(
        root,
        "people",
        "invite",
        "Ana Rivera",
        "--role",
        "reviewer",
        "--lang",
        "es",
        "--public-url",
        "https://studio.example.org/",
    )
    assert invited.exit_code == 0, invited.output
    link = invited.output.splitlines()[-1]
    assert re.fullmatch(r"https://studio\.example\.org/join#[\w-]{43}", link)
    store = Store(root / ".leaflets")
    sessions.sign_in(store, link.split("#")[1], "a")
    listed = run(root, "people", "list").output.splitlines()
    assert listed[0].startswith("Ana Rivera\treviewer\tes\tlast seen ")
    assert run(root, "people", "revoke", "Ana Rivera").exit_code == 0
    assert run(root, "people", "list").output.splitlines()[0].endswith("\trevoked")
    again = run(root, "people", "revoke", "Ana Rivera")
    assert again.exit_code == 1 and "no person 'Ana Rivera' has access" in again.output
    history.record(
        store, [history.Change(0.0, "es", None, "Call", "save", "Ana Rivera", ("a",), ("b",))]
    )
    printed = run(root, "history", "es", "--msgid", "Call").output.splitlines()
    assert printed[0].endswith("  Ana Rivera  save  'Call'")
    assert printed[1:] == ["    before: 'a'", "    after: 'b'"]
    assert run(root, "history", "es", "--msgid", "Other").output == ""


def test_a_wrong_role_or_language_is_one_line_and_exit_1(tmp_path):
    root = copy_project(tmp_path / "project")
    wrong = run(root, "people", "invite", "Tom", "--role", "translator", "--lang", "fr")
    assert wrong.exit_code == 1
    assert wrong.output.startswith("error: no translated language 'fr' in this project")
    assert run(root, "people", "list").output == ""


def test_the_state_folder_can_move(tmp_path):
    root = copy_project(tmp_path / "project")
    state = tmp_path / "elsewhere"
    result = run(root, "people", "invite", "C", "--role", "coordinator", "--state", str(state))
    assert result.exit_code == 0 and (state / "studio.sqlite3").exists()
    assert not (root / ".leaflets").exists()
    assert result.output.splitlines()[-1].startswith("http://127.0.0.1:8000/join#")


def test_an_email_address_is_optional_checked_and_kept(tmp_path):
    root = copy_project(tmp_path / "project")
    invite = ("people", "invite", "Ana Rivera", "--role", "reviewer", "--lang", "es")
    wrong = run(root, *invite, "--email", "ana at example.org")
    assert wrong.exit_code == 1
    assert wrong.output.startswith("error: expected an e-mail address such as ana@example.org")
    assert run(root, *invite, "--email", "ana@example.org").exit_code == 0
    assert run(root, *invite).exit_code == 0  # invited again: the address stays
    store = Store(root / ".leaflets")
    assert people.email_of(store, "Ana Rivera") == "ana@example.org"
    assert people.email_of(store, "Nobody") is None
    assert (
        run(root, "people", "list")
        .output.splitlines()[0]
        .endswith("\tlast seen never\tana@example.org")
    )


def test_a_state_folder_from_before_email_addresses_is_brought_up_to_date(tmp_path):
    folder = tmp_path / ".leaflets"
    folder.mkdir()
    with sqlite3.connect(folder / "studio.sqlite3") as db:
        db.execute(
            "CREATE TABLE people (name TEXT PRIMARY KEY, role TEXT NOT NULL, languages TEXT "
            "NOT NULL, invited REAL NOT NULL, last_seen REAL, revoked REAL)"
        )
        db.execute("INSERT INTO people VALUES ('Ana', 'reviewer', 'es', 0, NULL, NULL)")
        db.execute("PRAGMA user_version=1")
    db.close()
    store = Store(folder).create()
    assert people.everyone(store) == [people.Person("Ana", "reviewer", ("es",))]
    people.invite(store, people.Person("Ana", "reviewer", ("es",), email="ana@example.org"))
    assert people.email_of(store, "Ana") == "ana@example.org"
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()
