"""Ten reviewers of Spanish at once (issue 20, point 8), each signed in with a session of their
own, against one app in process (Starlette's TestClient; its requests run concurrently on the
app's event loop, and the studio's writes queue on its one worker thread as they do when served).

No edit or approval is lost; on the same string the later save gets the 409 conflict answer; an
approval that replaces another reviewer's names them in the history; and every open page's
event stream hears every save. How fast is `make bench-team`'s business, not this test's: here
the delays are only printed (pytest -s). Every wait is bounded; nothing sleeps to synchronise.
No page is rendered: no page has asked for a leaflet, so the render loop has nothing to do.
"""

from __future__ import annotations

import copy
import json
import statistics
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from leaflets.i18n import review
from leaflets.i18n.checks.message import message_errors
from leaflets.i18n.po.catalog import read_catalog
from leaflets.i18n.po.messages import has_text, key_of
from leaflets.studio import history, people
from leaflets.studio.access import Gate, cookie_name
from leaflets.studio.app import create_app
from leaflets.studio.people import Person
from leaflets.studio.state import Studio
from leaflets.studio.store import Store
from tests.conftest import copy_project

NAMES = ("Alba", "Bruno", "Carmen", "Diego", "Elena", "Fermín", "Gloria", "Hugo", "Irene", "Julio")
COOKIE = cookie_name(8000)
ORIGIN = "http://127.0.0.1:8000"
PO = "locales/es/LC_MESSAGES/messages.po"
REVIEW = "locales/es/review.toml"
WAIT_S = 30.0
"""The bound on every wait: a lost event or a stuck request fails the test, never hangs it."""
END = "test-end"


@dataclass
class Team:
    client: TestClient
    root: Path
    store: Store
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    """Each reviewer's cookie, csrf token and Origin: what their page sends with a write."""

    def post(self, name: str, path: str, body: dict):
        return self.client.post(path, json=body, headers=self.headers[name])

    def save(self, name: str, msgid: str, new: str, previous: str):
        body = {"id": msgid, "string": new, "previous": previous}
        return self.post(name, "/api/translations/es", body)

    def approve(self, name: str, msgid: str, seen: str):
        body = {"messages": [{"id": msgid, "string": seen}], "approve": True}
        return self.post(name, "/api/reviews/es", body)


def _sign_in(client: TestClient, store: Store, name: str) -> dict[str, str]:
    token = people.invite(store, Person(name, "reviewer", ("es",)))
    answer = client.post("/api/signin", json={"invitation": token}, headers={"Origin": ORIGIN})
    assert answer.status_code == 200, answer.text
    cookie = f"{COOKIE}={answer.cookies[COOKIE]}"
    client.cookies.clear()  # each request names its own session, never the client's jar
    csrf = client.get("/api/session", headers={"Cookie": cookie}).json()["csrf"]
    return {"Origin": ORIGIN, "Cookie": cookie, "X-Leaflets-Token": csrf}


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Team]:
    root = copy_project(tmp_path_factory.mktemp("many") / "project")
    store = Store.of_project(root).create()
    gate = Gate(store, "run-token-not-for-anyone-0123456789", "keyboard", COOKIE)
    app = create_app(Studio(root), gate, watch_files=False)
    with TestClient(app, base_url=ORIGIN) as client:
        team = Team(client, root, store)
        team.headers = {name: _sign_in(client, store, name) for name in NAMES}
        yield team


@pytest.fixture(scope="module")
def strings(team: Team) -> list[tuple[str, str, str]]:
    return editable_strings(team.root, len(NAMES))


def _current(team: Team, msgid: str) -> str:
    return read_catalog(team.root / PO).get(msgid).string


def editable_strings(root: Path, count: int) -> list[tuple[str, str, str]]:
    """(msgid, translation, a new translation) of `count` Spanish messages, the wallet card's
    first (it has 7): single, translated, without context, whose new text passes the checks."""
    path = root / PO
    catalog = read_catalog(path)
    found = []
    for message in sorted(
        (m for m in catalog if m.id),
        key=lambda m: not any(name.endswith("card.html.j2") for name, _ in m.locations),
    ):
        if isinstance(message.id, tuple) or message.context or message.fuzzy:
            continue
        if not has_text(message):
            continue
        edited = copy.copy(message)
        edited.string = f"{message.string} ya"
        if not message_errors(edited, catalog.num_plurals, path):
            found.append((message.id, message.string, edited.string))
    assert len(found) >= count, found
    return found[:count]


class Stream:
    """One open page's event stream, read on a thread of its own: each event with the time
    (perf_counter) it arrived. It ends at the test's END event, published after every write."""

    def __init__(self, client: TestClient, headers: dict[str, str]):
        self.events: list[tuple[float, str, dict]] = []
        self.opened, self.ended = threading.Event(), threading.Event()
        self.error: BaseException | None = None
        args = (client, {"Cookie": headers["Cookie"]})
        threading.Thread(target=self._read, args=args, daemon=True).start()

    def _read(self, client: TestClient, headers: dict[str, str]) -> None:
        try:
            with client.stream("GET", "/api/events", headers=headers) as answer:
                event = ""
                for line in answer.iter_lines():
                    if line.startswith("event: "):
                        event = line.removeprefix("event: ")
                    elif line.startswith("data: "):
                        self.events.append((time.perf_counter(), event, json.loads(line[6:])))
                        self.opened.set()
                        if event == END:
                            break
        except BaseException as exc:  # reported by the test, not lost on this thread
            self.error = exc
        finally:
            self.opened.set()
            self.ended.set()

    def changed(self, path: str, by: str | None = None) -> list[float]:
        """When the stream heard that `path` changed (by this person, if named)."""
        return [
            at
            for at, event, data in self.events
            if event == "changed" and path in data["paths"] and by in (None, data["by"])
        ]


def _open_streams(team: Team) -> list[Stream]:
    streams = [Stream(team.client, team.headers[name]) for name in NAMES]
    for stream in streams:
        assert stream.opened.wait(WAIT_S) and stream.error is None, stream.error
    return streams


def _close_streams(team: Team, streams: list[Stream]) -> None:
    # Queued behind every event the writes published, so each stream has read those first.
    team.client.portal.call(team.client.app.state.live.events.publish, END, {})
    for stream in streams:
        assert stream.ended.wait(WAIT_S) and stream.error is None, stream.error


def _at_once(work, items: list) -> list:
    """Run `work(item)` for every item on threads of their own, started together; each must
    end within WAIT_S (the TestClient takes no timeout of its own)."""
    start = threading.Barrier(len(items))

    def run(item):
        start.wait(WAIT_S)
        return work(item)

    pool = ThreadPoolExecutor(len(items))
    try:
        futures = [pool.submit(run, item) for item in items]
        deadline = time.monotonic() + WAIT_S
        return [f.result(timeout=max(0.0, deadline - time.monotonic())) for f in futures]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def test_ten_reviewers_save_and_approve_different_strings_at_once(team: Team, strings):
    streams = _open_streams(team)

    def save_and_approve(item: tuple[str, tuple[str, str, str]]) -> tuple[str, float]:
        name, (msgid, old, new) = item
        answer = team.save(name, msgid, new, old)
        answered = time.perf_counter()
        assert answer.status_code == 200 and answer.json()["changed"], answer.text
        approval = team.approve(name, msgid, new)
        assert approval.status_code == 200 and approval.json()["approved"] == 1, approval.text
        return name, answered

    answered = dict(_at_once(save_and_approve, list(zip(NAMES, strings, strict=True))))
    _close_streams(team, streams)

    catalog = read_catalog(team.root / PO)
    project = team.client.app.state.live.studio.project
    approvals = review.load_approvals(project, "es")
    for name, (msgid, old, new) in zip(NAMES, strings, strict=True):
        message = catalog.get(msgid)
        assert message.string == new, msgid  # no save lost
        approval = approvals[key_of(None, msgid)]  # no approval lost, each of its own text
        assert approval.reviewer == name
        assert approval.sha256 == review.translation_sha256(message)
        changes = history.changes(team.store, "es", msgid)
        actions = [(c.action, c.person, c.before, c.after) for c in changes]
        assert ("save", name, (old,), (new,)) in actions
        assert ("approve", name, None, (new,)) in actions

    delays = []
    for stream in streams:  # every open page heard every save and every approval, once
        for name in NAMES:
            saved, approved = stream.changed(PO, name), stream.changed(REVIEW, name)
            assert len(saved) == len(approved) == 1, stream.events
            delays.append(saved[0] - answered[name])
    print(
        f"\nsave answered → its event on each of {len(streams)} streams: median "
        f"{statistics.median(delays) * 1000:.1f} ms, max {max(delays) * 1000:.1f} ms "
        "(below zero: heard before the answer came)"
    )


def test_an_approval_that_replaces_anothers_names_them(team: Team, strings):
    """Each reviewer approves, at once, the string the next one approved: every approval
    replaces a name, and each record says whose."""
    project = team.client.app.state.live.studio.project
    before = review.load_approvals(project, "es")
    for name, (msgid, _, _) in zip(NAMES, strings, strict=True):
        if getattr(before.get(key_of(None, msgid)), "reviewer", None) != name:
            assert team.approve(name, msgid, _current(team, msgid)).status_code == 200
    before = review.load_approvals(project, "es")
    pairs = [(NAMES[i], strings[(i + 1) % len(NAMES)][0]) for i in range(len(NAMES))]

    def approve(item: tuple[str, str]) -> None:
        name, msgid = item
        answer = team.approve(name, msgid, _current(team, msgid))
        assert answer.status_code == 200, answer.text

    _at_once(approve, pairs)
    after = review.load_approvals(project, "es")
    for name, msgid in pairs:
        key = key_of(None, msgid)
        assert after[key].reviewer == name
        last = history.changes(team.store, "es", msgid)[-1]
        assert (last.action, last.person) == ("approve", name)
        assert last.replaced == before[key].reviewer != name


def test_the_later_of_two_saves_of_one_string_gets_the_conflict(team: Team, strings):
    msgid = strings[0][0]
    old = _current(team, msgid)
    pair = [("Alba", f"{old} hoy"), ("Bruno", f"{old} luego")]

    def save(item: tuple[str, str]):
        name, new = item
        return name, new, team.save(name, msgid, new, old)

    results = _at_once(save, pair)
    statuses = sorted(answer.status_code for _, _, answer in results)
    assert statuses == [200, 409], [a.text for _, _, a in results]
    (winner, text, _), (_, _, conflict) = sorted(results, key=lambda r: r[2].status_code)
    assert conflict.json()["saved"] is False
    assert conflict.json()["current"] == [text]  # the conflict shows the winner's text
    assert read_catalog(team.root / PO).get(msgid).string == text
    last = history.changes(team.store, "es", msgid)[-1]
    assert (last.action, last.person, last.before, last.after) == ("save", winner, (old,), (text,))
