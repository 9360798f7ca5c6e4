"""The studio's fixtures: one app on one project copy for the whole module, driven in process by
Starlette's TestClient (with its file watcher on, as `leaflets serve` runs it)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from leaflets.studio.access import Gate, cookie_name
from leaflets.studio.app import create_app
from leaflets.studio.state import Studio
from leaflets.studio.store import Store
from tests.conftest import copy_project

TOKEN = "test-token-0123456789"
KEYBOARD = "Ana Rivera"
"""The person at the keyboard: while nobody is invited, the run's token signs them in."""
AUTH = {"X-Leaflets-Token": TOKEN}
WRITE = {**AUTH, "Content-Type": "application/json"}
SNAPSHOT = (
    "leaflets.toml",
    "locales/es/LC_MESSAGES/messages.po",
    "locales/ht/LC_MESSAGES/messages.po",
    "locales/es/review.toml",
    "locales/ht/review.toml",
    "templates/card.html.j2",
)


class Studio_:
    """The app under test, its project folder, and ways to wait for what the watcher sees."""

    def __init__(self, client: TestClient, root: Path):
        self.client = client
        self.root = root
        self.live = client.app.state.live

    def po(self, lang: str = "es") -> Path:
        return self.root / "locales" / lang / "LC_MESSAGES" / "messages.po"

    def view(self, lang: str = "es", leaflet: str = "card") -> dict:
        answer = self.client.get(f"/api/leaflets/{lang}/{leaflet}", headers=AUTH)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def message(self, msgid: str, lang: str = "es", leaflet: str = "card") -> dict:
        return next(m for m in self.view(lang, leaflet)["messages"] if m["id"] == msgid)

    def changed(self, *paths: Path) -> None:
        """Tell the studio now, as the watcher would a moment later."""
        self.client.portal.call(self.live.files_changed, set(paths))

    def until(self, test: Callable[[], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not test():
            assert time.monotonic() < deadline, "timed out waiting for the studio"
            time.sleep(0.05)

    def save(self, msgid: str, text: str, lang: str = "es", context: str | None = None, **extra):
        body = {"context": context, "id": msgid, "string": text, **extra}
        return self.client.post(f"/api/translations/{lang}", json=body, headers=WRITE)


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio_]:
    root = copy_project(tmp_path_factory.mktemp("studio") / "project")
    gate = Gate(Store.of_project(root).create(), TOKEN, KEYBOARD, cookie_name(8000))
    app = create_app(Studio(root), gate)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        yield Studio_(client, root)


@pytest.fixture
def restore(studio: Studio_) -> Iterator[None]:
    """Put back the files a test changes, and let the studio see them again."""
    saved = {
        name: (studio.root / name).read_bytes()
        for name in SNAPSHOT
        if (studio.root / name).exists()
    }
    yield
    for name in SNAPSHOT:
        path = studio.root / name
        if name in saved:
            if path.read_bytes() != saved[name]:
                path.write_bytes(saved[name])
        else:
            path.unlink(missing_ok=True)
    studio.changed(*(studio.root / name for name in SNAPSHOT))
