"""Who may do what in the studio, as a matrix: every role (and no one) × every read and write
endpoint, in process with Starlette's TestClient, signed in through the real invitation flow.
No PDF is rendered: every write here leaves the translation as it is or changes review.toml."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from leaflets.studio import people
from leaflets.studio.access import Gate, cookie_name
from leaflets.studio.app import create_app
from leaflets.studio.people import Person
from leaflets.studio.state import Studio
from leaflets.studio.store import Store
from tests.conftest import copy_project

RUN_TOKEN = "run-token-not-for-anyone-0123456789"
COOKIE = cookie_name(8000)
ORIGIN = "http://127.0.0.1:8000"
PEOPLE = {
    "coordinator": Person("Cora", "coordinator"),
    "reviewer": Person("Rosa", "reviewer", ("es",)),
    "translator": Person("Tijo", "translator", ("ht",)),
    "organiser": Person("Olu", "organiser"),
}
STRINGS = {"es": "¿Necesita ayuda?", "ht": "Ou bezwen èd?"}


class Team:
    def __init__(self, client: TestClient, store: Store, root: Path):
        self.client, self.store, self.root = client, store, root
        self.cookies: dict[str, str] = {}
        self.csrf: dict[str, str] = {}

    def sign_in(self, role: str) -> None:
        token = people.invite(self.store, PEOPLE[role])
        self.client.cookies.clear()
        answer = self.client.post("/api/signin", json={"invitation": token}, headers=_origin())
        assert answer.status_code == 200, answer.text
        self.cookies[role] = answer.cookies[COOKIE]
        self.as_(role)
        self.csrf[role] = self.client.get("/api/session").json()["csrf"]

    def as_(self, role: str | None) -> None:
        self.client.cookies.clear()
        if role is not None:
            self.client.cookies.set(COOKIE, self.cookies[role])

    def call(self, role: str | None, method: str, path: str, body=None, **headers):
        self.as_(role)
        if method == "GET":
            return self.client.get(path, headers=headers)
        write = {**_origin(), "X-Leaflets-Token": self.csrf.get(role, ""), **headers}
        return self.client.post(path, json=body, headers=write)


def _origin() -> dict[str, str]:
    return {"Origin": ORIGIN}


@contextmanager
def signed_in_team(root: Path, roles: tuple[str, ...] = tuple(PEOPLE)) -> Iterator[Team]:
    """One studio on the project at `root`, and each of these PEOPLE invited and signed in."""
    store = Store.of_project(root).create()
    app = create_app(Studio(root), Gate(store, RUN_TOKEN, "keyboard", COOKIE), watch_files=False)
    with TestClient(app, base_url=ORIGIN) as client:
        team = Team(client, store, root)
        for role in roles:
            team.sign_in(role)
        yield team


@pytest.fixture(scope="module")
def team(tmp_path_factory) -> Iterator[Team]:
    with signed_in_team(copy_project(tmp_path_factory.mktemp("matrix") / "project")) as team:
        yield team


def save(lang: str) -> tuple[str, str, dict]:
    return ("POST", f"/api/translations/{lang}", {"id": "Need help?", "string": STRINGS[lang]})


def review(lang: str, approve: bool = True) -> tuple[str, str, dict]:
    body = {"messages": [{"id": "Need help?", "string": STRINGS[lang]}], "approve": approve}
    return ("POST", f"/api/reviews/{lang}", body)


INVITE = ("POST", "/api/invitations", {"name": "New", "role": "organiser"})
READS = [
    ("GET", "/api/session", None),
    ("GET", "/api/project", None),
    ("GET", "/api/history/es", None),
    ("GET", "/static/studio.js", None),
]
ALL = ("coordinator", "reviewer", "translator", "organiser")
MATRIX = [
    *[(role, *read, 200) for role in ALL for read in READS],
    *[(role, "GET", "/api/people", None, 200 if role == "coordinator" else 403) for role in ALL],
    ("coordinator", *save("es"), 200),
    ("coordinator", *save("ht"), 200),
    ("reviewer", *save("es"), 200),
    ("reviewer", *save("ht"), 403),
    ("translator", *save("ht"), 200),
    ("translator", *save("es"), 403),  # a translator for ht cannot write es
    ("organiser", *save("es"), 403),  # an organiser cannot edit a catalog
    ("organiser", *save("ht"), 403),
    ("reviewer", *review("es"), 200),
    ("reviewer", *review("ht"), 403),
    ("translator", *review("ht"), 403),  # a translator cannot approve
    ("organiser", *review("es"), 403),
    ("coordinator", *review("ht"), 200),
    ("coordinator", *INVITE, 200),
    ("reviewer", *INVITE, 403),  # a reviewer cannot invite
    ("translator", *INVITE, 403),
    ("organiser", *INVITE, 403),
    ("organiser", "POST", "/api/signout", {}, 200),
]


@pytest.mark.parametrize(("role", "method", "path", "body", "status"), MATRIX)
def test_each_role_may_do_what_its_role_says(team, role, method, path, body, status):
    answer = team.call(role, method, path, body)
    assert answer.status_code == status, answer.text
    if role == "organiser" and path == "/api/signout":
        team.sign_in("organiser")  # the next rows need them signed in again


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/project", None),
        ("GET", "/api/session", None),
        ("GET", "/api/leaflets/es/card", None),
        ("GET", "/pages/es/card/1.png", None),
        ("GET", "/api/events", None),
        ("GET", "/api/history/es", None),
        ("GET", "/api/people", None),
        save("es"),
        review("es"),
        INVITE,
        ("POST", "/api/signout", {}),
    ],
)
def test_an_anonymous_request_sees_nothing_but_the_sign_in_page(team, method, path, body):
    answer = team.call(None, method, path, body)
    assert answer.status_code == 401 and "sign in" in answer.json()["error"]
    page = team.call(None, "GET", "/")
    assert page.status_code == 401 and "You are not signed in" in page.text
    assert "Need help?" not in page.text
    # The run's token signs nobody in once people are invited.
    assert team.call(None, "GET", "/?token=" + RUN_TOKEN).status_code == 403
    assert (
        team.call(None, "GET", "/api/project", **{"X-Leaflets-Token": RUN_TOKEN}).status_code == 401
    )


def test_withdrawing_is_for_the_reviewer_who_approved_or_a_coordinator(team):
    assert team.call("reviewer", *review("es")).status_code == 200
    other = Person("Ramón", "reviewer", ("es",))
    people.invite(team.store, other)
    assert team.call("translator", *review("es", approve=False)).status_code == 403
    assert team.call("reviewer", *review("es", approve=False)).status_code == 200
    assert team.call("coordinator", *review("es")).status_code == 200
    refused = team.call("reviewer", *review("es", approve=False))
    assert refused.status_code == 403 and "Cora" in refused.json()["error"]
    assert team.call("coordinator", *review("es", approve=False)).status_code == 200
    changes = team.call("organiser", "GET", "/api/history/es?id=Need%20help%3F").json()["changes"]
    actions = [(c["person"], c["action"], c["replaced"]) for c in changes[-4:]]
    assert actions == [
        ("Rosa", "approve", None),
        ("Rosa", "withdraw", "Rosa"),
        ("Cora", "approve", None),
        ("Cora", "withdraw", "Cora"),
    ]


def test_writes_need_this_sessions_csrf_and_this_origin(team):
    no_csrf = team.call("reviewer", *save("es"), **{"X-Leaflets-Token": ""})
    assert no_csrf.status_code == 403 and "X-Leaflets-Token" in no_csrf.json()["error"]
    other_csrf = team.call(
        "reviewer", *save("es"), **{"X-Leaflets-Token": team.csrf["coordinator"]}
    )
    assert other_csrf.status_code == 403
    foreign = team.call("reviewer", *save("es"), Origin="https://evil.example")
    assert foreign.status_code == 403 and "evil.example" in foreign.json()["error"]
    cross = team.call("reviewer", *save("es"), **{"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403


def test_a_replayed_invitation_is_refused(team):
    token = people.invite(team.store, Person("Vero", "organiser"))
    team.as_(None)
    assert (
        team.client.post("/api/signin", json={"invitation": token}, headers=_origin()).status_code
        == 200
    )
    team.as_(None)
    again = team.client.post("/api/signin", json={"invitation": token}, headers=_origin())
    assert again.status_code == 403 and "used already" in again.json()["error"]
    foreign = team.client.post(
        "/api/signin", json={"invitation": token}, headers={"Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403


def test_an_expired_or_revoked_session_is_refused(team):
    team.sign_in("translator")
    assert team.call("translator", "GET", "/api/project").status_code == 200
    with sqlite3.connect(team.store.path) as db:
        db.execute("UPDATE sessions SET expires = 0 WHERE name = 'Tijo'")
    assert team.call("translator", "GET", "/api/project").status_code == 401
    team.sign_in("translator")
    assert team.call("translator", "GET", "/api/project").status_code == 200
    people.revoke(team.store, "Tijo")
    assert team.call("translator", "GET", "/api/project").status_code == 401
    assert team.call("translator", *save("ht")).status_code == 401


def test_a_revoked_persons_event_stream_ends(team):
    team.sign_in("organiser")
    with team.client.stream("GET", "/api/events") as answer:
        lines = answer.iter_lines()
        assert next(lines) == "retry: 1000"
        people.revoke(team.store, "Olu")
        rest = list(lines)  # ends within about a second (events.CHECK_S)
    assert "event: signed-out" in rest


def test_two_reviewers_approving_at_once_leave_both_names_in_the_history(team):
    """The later approval replaces the first in review.toml (one per message), never
    silently: its history record names the reviewer it replaced."""
    signed = {}
    for person in (Person("Inés", "reviewer", ("es",)), Person("Joel", "reviewer", ("es",))):
        token = people.invite(team.store, person)
        team.as_(None)
        answer = team.client.post("/api/signin", json={"invitation": token}, headers=_origin())
        cookie = answer.cookies[COOKIE]
        team.client.cookies.clear()
        csrf = team.client.get("/api/session", headers={"Cookie": f"{COOKIE}={cookie}"}).json()
        signed[person.name] = {"Cookie": f"{COOKIE}={cookie}", "X-Leaflets-Token": csrf["csrf"]}
    team.client.cookies.clear()
    method, path, body = review("es")

    def approve(name: str) -> int:
        headers = {**_origin(), **signed[name]}
        return team.client.post(path, json=body, headers=headers).status_code

    with ThreadPoolExecutor(2) as pool:
        statuses = list(pool.map(approve, signed))
    assert statuses == [200, 200]
    changes = team.call("coordinator", "GET", "/api/history/es?id=Need%20help%3F").json()
    first, second = changes["changes"][-2:]
    assert {first["person"], second["person"]} == {"Inés", "Joel"}
    assert second["replaced"] == first["person"]
    review_toml = (team.store.folder.parent / "locales/es/review.toml").read_text()
    assert f'reviewer = "{second["person"]}"' in review_toml
