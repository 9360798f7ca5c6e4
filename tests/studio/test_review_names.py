"""Issue 25, point 1: the studio writes no reviewer name that review.toml's reader would refuse.
Since issue 20 the name comes from the signed-in person, so a typed one is refused whole (an
unknown key), and nothing is written; the language's approvals keep counting."""

from __future__ import annotations

import pytest

from tests.studio.conftest import WRITE

pytestmark = pytest.mark.pdf  # the studio fixture renders the card


@pytest.mark.pdf  # the studio's message view renders the leaflet
@pytest.mark.parametrize("name", ["   ", "Ana \u202eareviR", "Ana\u0007", "Ana\x1b[2J"])
def test_a_bad_reviewer_name_is_refused_and_nothing_written(studio, restore, name: str):
    heading = studio.message("Need help?")
    body = {
        "reviewer": name,
        "messages": [{"context": None, "id": "Need help?", "string": heading["string"]}],
    }
    review = studio.root / "locales" / "es" / "review.toml"
    before = review.read_bytes() if review.exists() else None
    answer = studio.client.post("/api/reviews/es", json=body, headers=WRITE)
    assert 400 <= answer.status_code < 500, answer.text
    assert "error" in answer.json()
    assert (review.read_bytes() if review.exists() else None) == before
    assert studio.message("Need help?")["review"]["state"] == heading["review"]["state"]
