"""Issue 21: a draft approved as it is, and an approval only of the text the reviewer saw. The
approvals are of a copy of the project (the studio fixture's); nothing is rendered here, since
approving reads the catalog alone."""

from __future__ import annotations

from starlette.testclient import TestClient

from leaflets.i18n import review
from leaflets.i18n.po.catalog import read_catalog
from leaflets.i18n.po.messages import key_of
from leaflets.studio.access import Gate, cookie_name
from leaflets.studio.app import create_app
from leaflets.studio.state import Studio
from leaflets.studio.store import Store
from tests.conftest import copy_project
from tests.studio.conftest import AUTH, KEYBOARD, TOKEN, WRITE

HEADING, SPANISH = "Need help?", "¿Necesita ayuda?"
FUZZY_HEADING = f'#, fuzzy\n#| msgid "Need some help?"\nmsgid "{HEADING}"\nmsgstr "{SPANISH}"'


def make_draft(studio, entry: str = FUZZY_HEADING) -> None:
    """The heading's entry as `leaflets update` leaves it when its English changed."""
    po = studio.po()
    text = po.read_text(encoding="utf-8")
    plain = f'msgid "{HEADING}"\nmsgstr "{SPANISH}"'
    assert plain in text
    po.write_text(text.replace(plain, entry), encoding="utf-8")
    studio.changed(po)


def approve(studio, *refs: dict, lang: str = "es"):
    body = {"messages": [{"context": None, "id": HEADING, **ref} for ref in refs]}
    return studio.client.post(f"/api/reviews/{lang}", json=body, headers=WRITE)


def describe(studio, msgid: str = HEADING) -> dict:
    return studio.client.portal.call(
        studio.live.run, lambda: studio.live.studio.desk("es").describe(key_of(None, msgid))
    )


def test_a_fuzzy_draft_is_approved_as_it_is(studio, restore):
    make_draft(studio)
    before = describe(studio)
    assert before["fuzzy"] and before["previous_id"] == "Need some help?"
    assert before["review"]["state"] == "not translated"  # a fuzzy entry prints the English
    assert [f["code"] for f in before["findings"]] == ["fuzzy"]

    answer = approve(studio, {"string": SPANISH})
    assert answer.status_code == 200, answer.text
    assert answer.json()["checked"] == 1 and answer.json()["approved"] == 1

    # The fuzzy mark and its `#|` line are gone; the text is as the reviewer saw it.
    text = studio.po().read_text(encoding="utf-8")
    assert "Need some help?" not in text and "#, fuzzy" not in text
    entry = read_catalog(studio.po()).get(HEADING)
    assert entry.string == SPANISH and not entry.fuzzy
    after = describe(studio)
    assert after["review"]["state"] == "approved" and after["review"]["reviewer"] == KEYBOARD
    # The history says the draft was checked, then approved.
    changes = studio.client.get(f"/api/history/es?id={HEADING}", headers=AUTH).json()["changes"]
    assert [c["action"] for c in changes[-2:]] == ["checked", "approve"]
    assert changes[-2]["after"] == [SPANISH]
    # One approval does not make the language reviewed: its leaflets stay drafts.
    assert not review.is_reviewed(studio.live.studio.project, "es")


def test_a_draft_with_an_error_is_not_approved_and_nothing_is_written(studio, restore):
    broken = '#, fuzzy\nmsgid "Need help?"\nmsgstr "¿Necesita ayuda? Llame al 340-555-0199"'
    make_draft(studio, broken)
    written = studio.po().read_bytes()
    found = describe(studio)["findings"]
    assert any(f["severity"] == "error" and "340-555-0199" in f["message"] for f in found)
    answer = approve(studio, {"string": "¿Necesita ayuda? Llame al 340-555-0199"})
    assert answer.status_code == 422, answer.text
    assert "error" in answer.json()["errors"][0]["error"]
    assert studio.po().read_bytes() == written


def test_only_the_text_the_reviewer_saw_is_approved(studio, restore):
    review_file = studio.root / "locales/es/review.toml"
    before = review_file.read_bytes() if review_file.exists() else None
    # Text other than the catalog's: 409, with a JSON error, and nothing written.
    answer = approve(studio, {"string": "¿Necesita ayuda ahora?"})
    assert answer.status_code == 409
    assert "changed since you saw it" in answer.json()["errors"][0]["error"]
    # No text at all: the server does not guess what the reviewer saw.
    answer = approve(studio, {})
    assert answer.status_code == 422 and "say which text you approve" in answer.text
    assert (review_file.read_bytes() if review_file.exists() else None) == before
    # A withdrawal needs no text.
    assert approve(studio, {"string": SPANISH}).status_code == 200
    withdraw = {"messages": [{"id": HEADING}], "approve": False}
    assert studio.client.post("/api/reviews/es", json=withdraw, headers=WRITE).status_code == 200


def test_a_project_renamed_under_the_studio_says_so_and_writes_nothing(tmp_path):
    """Issue 25, point 15: saves and approvals after the folder is renamed name the move, not a
    missing catalog to `leaflets init`, and nothing is written in the old or the new place."""
    root = copy_project(tmp_path / "project")
    gate = Gate(Store.of_project(root).create(), TOKEN, KEYBOARD, cookie_name(8000))
    with TestClient(create_app(Studio(root), gate), base_url="http://127.0.0.1:8000") as client:
        moved = root.rename(tmp_path / "renamed")
        before = {p: p.read_bytes() for p in moved.rglob("*") if p.is_file()}
        body = {"context": None, "id": "Need help?", "string": "¿Necesita ayuda ya?"}
        saved = client.post("/api/translations/es", json=body, headers=WRITE)
        approval = {"approve": True, "messages": [{"context": None, "id": "Need help?"}]}
        approved = client.post("/api/reviews/es", json=approval, headers=WRITE)
    for answer in (saved, approved):
        assert answer.status_code == 409, answer.text
        error = answer.json()["error"]
        assert "is no longer there: was it moved or renamed while the studio ran?" in error
        assert "leaflets init" not in error and "Nothing was saved" in error
    assert not root.exists()
    assert {p: p.read_bytes() for p in moved.rglob("*") if p.is_file()} == before
