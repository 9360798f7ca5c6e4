"""The studio's people, invitations, sessions and history, in their SQLite state folder."""

from __future__ import annotations

import sqlite3
import time

import pytest

from leaflets.studio import history, people, sessions
from leaflets.studio.people import PeopleError, Person
from leaflets.studio.sessions import MAX_FAILURES, SignInRefused
from leaflets.studio.store import Store

LANGS = ("es", "ht")


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / ".leaflets").create()


def reviewer(name: str = "Ana", *langs: str) -> Person:
    return people.checked_person(name, "reviewer", langs or ("es",), LANGS)


def test_the_state_folder_is_wal_sqlite_and_ignores_itself(store):
    assert (store.folder / ".gitignore").read_text().splitlines()[-1] == "*"
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_only_hashes_of_tokens_are_stored(store):
    token = people.invite(store, reviewer())
    session_token, session = sessions.sign_in(store, token, "203.0.113.9")
    assert len(token) >= 43 and len(session_token) >= 43  # 256 bits, base64
    data = b"".join(path.read_bytes() for path in store.folder.iterdir())
    assert token.encode() not in data and session_token.encode() not in data
    assert people.secret_hash(token).encode() in data


def test_an_invitation_signs_in_once_with_a_new_session_each_time(store):
    token = people.invite(store, reviewer())
    first, session = sessions.sign_in(store, token, "a")
    assert session.person == Person("Ana", "reviewer", ("es",), session.person.last_seen)
    with pytest.raises(SignInRefused, match="used already"):
        sessions.sign_in(store, token, "a")
    second, _ = sessions.sign_in(store, people.invite(store, reviewer()), "a")
    assert first != second
    assert sessions.find(store, first).person.name == "Ana"
    assert sessions.find(store, "nonsense") is None


def test_invitations_and_sessions_expire(store):
    token = people.invite(store, reviewer(), days=1)
    with pytest.raises(SignInRefused):
        sessions.sign_in(store, token, "a", now=time.time() + 86_401)
    session_token, _ = sessions.sign_in(store, people.invite(store, reviewer()), "a")
    assert sessions.find(store, session_token, now=time.time() + sessions.SESSION_S + 1) is None


def test_revoking_ends_sessions_and_invitations_at_once(store):
    session_token, session = sessions.sign_in(store, people.invite(store, reviewer()), "a")
    unused = people.invite(store, reviewer())
    people.revoke(store, "Ana")
    assert sessions.find(store, session_token) is None
    assert not sessions.still_open(store, session.token_hash)
    with pytest.raises(SignInRefused):
        sessions.sign_in(store, unused, "a")
    with pytest.raises(PeopleError, match="no person 'Ana' has access"):
        people.revoke(store, "Ana")
    assert not people.anyone_invited(store)


def test_failed_sign_ins_are_limited_per_address(store):
    for _ in range(MAX_FAILURES):
        with pytest.raises(SignInRefused) as refused:
            sessions.sign_in(store, "guess", "198.51.100.7")
        assert refused.value.status == 403
    good = people.invite(store, reviewer())
    with pytest.raises(SignInRefused) as refused:
        sessions.sign_in(store, good, "198.51.100.7")
    assert refused.value.status == 429
    sessions.sign_in(store, good, "192.0.2.1")  # another address is not held up


@pytest.mark.parametrize(
    ("name", "role", "langs", "error"),
    [
        ("Ana", "admin", (), "unknown role 'admin'"),
        ("Ana", "reviewer", (), "name each with --lang CODE"),
        ("Ana", "organiser", ("es",), "leave out --lang"),
        ("Ana", "translator", ("fr",), "no translated language 'fr'"),
        ("", "coordinator", (), "1 to 100 printable characters"),
        ("A\u202eB", "coordinator", (), "printable characters"),
    ],
)
def test_a_person_must_make_sense(name, role, langs, error):
    with pytest.raises(PeopleError, match=error):
        people.checked_person(name, role, langs, LANGS)


def test_roles_say_who_may_do_what():
    coordinator = people.checked_person("C", "coordinator", (), LANGS)
    ana, tom = reviewer("Ana"), people.checked_person("Tom", "translator", ("ht",), LANGS)
    olu = people.checked_person("Olu", "organiser", (), LANGS)
    assert coordinator.can_approve("ht") and coordinator.can_withdraw("es", "Ana")
    assert ana.can_approve("es") and not ana.can_approve("ht") and not ana.can_invite
    assert ana.can_withdraw("es", "Ana") and not ana.can_withdraw("es", "Ben")
    assert tom.can_edit("ht") and not tom.can_edit("es") and not tom.can_approve("ht")
    assert not olu.can_edit("es") and not olu.can_approve("es")


def test_history_keeps_every_change_in_order(store):
    base = time.time()
    history.record(
        store,
        [
            history.Change(base, "es", None, "Call", "save", "Ana", ("Llame",), ("Marque",)),
            history.Change(
                base + 1, "es", None, "Call", "approve", "Ben", None, ("Marque",), "Ana"
            ),
            history.Change(base + 2, "es", "x", "Call", "save", "Ana", ("a",), ("b",)),
        ],
    )
    found = history.changes(store, "es", "Call", None)
    assert [(c.action, c.person, c.replaced) for c in found] == [
        ("save", "Ana", None),
        ("approve", "Ben", "Ana"),
    ]
    assert len(history.changes(store, "es", "Call", any_context=True)) == 3
    assert len(history.changes(store, "es")) == 3 and history.changes(store, "ht") == []
    assert found[0].to_json()["before"] == ["Llame"]
