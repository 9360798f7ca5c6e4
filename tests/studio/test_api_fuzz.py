"""Issue 25 ("Also"): the studio's write API under arbitrary requests. Every answer is a 2xx,
or a 4xx with a JSON error: never a 500 (the TestClient raises the server's exception), a
traceback or a hang. A short run in `make test`; `make fuzz` runs 1,000 examples each."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.studio.conftest import WRITE

pytestmark = pytest.mark.pdf  # a save renders the leaflet again, in the studio's worker

LANGS = st.sampled_from(["es", "ht", "en", "qps", "xx", "..", "es%00", "ES"])
MSGIDS = st.sampled_from(["Need help?", "Call", "Free. Confidential. 24 hours.", "", "nope"])
TEXT = st.text(max_size=60) | st.sampled_from(["\u202e911", "\x1b[2J", " ", "%(phone)s", "{x}"])
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
TRANSLATION = st.fixed_dictionaries(
    {"id": MSGIDS | TEXT},
    optional={
        "context": st.none() | st.sampled_from(["phone label", "link"]) | TEXT,
        "string": TEXT | JSON,
        "strings": st.lists(TEXT, max_size=4),
        "previous": st.none() | TEXT,
    },
)
REVIEW = st.fixed_dictionaries(
    {
        "reviewer": TEXT | JSON,
        "messages": st.lists(
            st.fixed_dictionaries({"id": MSGIDS | TEXT}, optional={"context": st.none() | TEXT}),
            max_size=3,
        )
        | JSON,
    },
    optional={"approve": st.booleans() | JSON},
)


def answered_well(answer) -> None:
    assert answer.status_code < 500, answer.text
    # An error is a JSON object that says it: "error", or "errors" for several messages.
    assert 200 <= answer.status_code < 300 or {"error", "errors"} & set(answer.json()), answer.text


@given(lang=LANGS, body=TRANSLATION | JSON)
def test_saving_anything_is_answered_well(studio, lang, body):
    answered_well(studio.client.post(f"/api/translations/{lang}", json=body, headers=WRITE))


@given(lang=LANGS, body=REVIEW | JSON)
def test_approving_anything_is_answered_well(studio, lang, body):
    answered_well(studio.client.post(f"/api/reviews/{lang}", json=body, headers=WRITE))


@given(lang=LANGS, raw=st.binary(max_size=200))
def test_a_body_that_is_not_json_is_answered_well(studio, lang, raw):
    for path in (f"/api/translations/{lang}", f"/api/reviews/{lang}"):
        answer = studio.client.post(path, content=raw, headers=WRITE)
        answered_well(answer)
        if answer.status_code >= 400:
            json.loads(answer.text)
