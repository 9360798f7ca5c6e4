"""The studio's HTTP interface, driven in process: what it shows, what it saves or refuses, and
that it keeps working when a file goes bad."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from starlette.responses import PlainTextResponse
from starlette.testclient import TestClient

from leaflets.i18n.po.catalog import read_catalog
from leaflets.studio.access import AccessCheck, Gate
from leaflets.studio.store import Store
from tests.studio.conftest import AUTH, TOKEN, WRITE

CARD_CALL = ("link", "Call for help, %(phone)s")
DRAFT = "Draft translation — pending review"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(io.BytesIO(data)).size


# ---------------------------------------------------------------- reading


@pytest.mark.pdf
def test_a_leaflet_has_pages_messages_boxes_and_review_state(studio):
    view = studio.view("es", "card")
    assert view["state"] == "ready" and view["errors"] == []
    assert [p["number"] for p in view["pages"]] == [1, 2]
    assert view["pages"][0]["url"] == f"/pages/es/card/1.png?v={view['version']}"
    assert (view["pages"][0]["width_in"], view["pages"][0]["height_in"]) == (3.5, 2.0)
    messages = {m["id"]: m for m in view["messages"]}
    heading, call = messages["Need help?"], messages["Call"]
    assert heading["string"] == "¿Necesita ayuda?" and heading["context"] is None
    assert heading["notes"] == [
        "wallet card heading; discreet, two or three words; at most 30 characters (max-length:30)."
    ]
    assert heading["review"] == {"state": "not approved", "reviewer": None, "date": None}
    # The heading is above the phone line, on the front; both inside the page.
    (top,), (below,) = heading["boxes"], call["boxes"]
    assert top["page"] == below["page"] == 1
    assert top["y"] + top["h"] <= below["y"] + 0.01
    assert all(0 <= b[k] <= 1 for b in (top, below) for k in ("x", "y", "w", "h"))
    # A link's spoken label is a message too, read aloud but not printed.
    assert not messages[CARD_CALL[1]]["printed"] and messages[CARD_CALL[1]]["boxes"] == []
    assert messages[DRAFT]["boxes"][0]["page"] == 2
    assert view["review"]["approved"] == 0 and view["review"]["reviewed"] is False
    assert view["fallbacks"] == [] and view["overflow"] == []


@pytest.mark.pdf
def test_the_source_language_shows_its_own_pages(studio):
    view = studio.view("en", "trifold")
    assert len(view["pages"]) == 2 and view["review"] == {"reviewed": True, "source": True}
    assert DRAFT not in {m["id"] for m in view["messages"]}


@pytest.mark.pdf
def test_a_page_image_is_a_png_at_the_page_size(studio):
    answer = studio.client.get("/pages/es/card/1.png", headers=AUTH)
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/png"
    width, height = png_size(answer.content)
    assert abs(width / height - 3.5 / 2.0) < 0.01 and width >= 1000


@pytest.mark.pdf
def test_a_zoomed_page_asks_for_a_larger_image_within_bounds(studio):
    """`?scale=2` draws the page twice as wide for a zoomed view; the JSON says the width at
    scale 1; any other scale is refused rather than drawn (a huge bitmap on the drawing thread)."""
    page = studio.view("es", "trifold")["pages"][0]
    sizes = {}
    for scale in (1, 2, 3):
        answer = studio.client.get(f"/pages/es/trifold/1.png?scale={scale}", headers=AUTH)
        assert answer.status_code == 200, answer.text
        sizes[scale] = png_size(answer.content)
    assert abs(sizes[1][0] - page["width_px"]) <= 1, (sizes, page)
    assert abs(sizes[2][0] - 2 * sizes[1][0]) <= 2, sizes
    width, height = sizes[3]
    assert width > sizes[2][0] and width * height <= 16_000_000 * 1.01, sizes
    for bad in ("4", "0", "1.5", "100000", "x"):
        answer = studio.client.get(f"/pages/es/trifold/1.png?scale={bad}", headers=AUTH)
        assert answer.status_code == 400, bad


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/pages/es/card/3.png", marks=pytest.mark.pdf),  # renders the card
        "/pages/xx/card/1.png",
        "/pages/es/menu/1.png",
        "/pages/..%2F..%2Fetc/card/1.png",
        "/pages/es/card/..%2F..%2Fleaflets.toml",
        "/static/..%2F..%2Fleaflets.toml",
        "/static/app.py",
        "/api/leaflets/es/..%2Fcard",
        "/leaflets.toml",
    ],
)
def test_no_path_reaches_the_file_system(studio, path):
    answer = studio.client.get(path, headers=AUTH)
    assert answer.status_code == 404
    assert b"[leaflets" not in answer.content and b"def " not in answer.content


def test_events_stream_says_hello(studio):
    with studio.client.stream("GET", "/api/events", headers=AUTH) as answer:
        assert answer.headers["content-type"].startswith("text/event-stream")
        lines = answer.iter_lines()
        assert next(lines) == "retry: 1000"
        assert [next(lines), next(lines), next(lines)] == ["", "event: hello", "data: {}"]


# ---------------------------------------------------------------- who may


def test_reads_need_the_token_and_the_url_trades_it_for_a_cookie(studio):
    client = studio.client
    client.cookies.clear()
    assert client.get("/api/project").status_code == 401
    anonymous = client.get("/")
    assert anonymous.status_code == 401 and "You are not signed in" in anonymous.text
    assert client.get("/?token=wrong").status_code == 403
    assert client.get("/static/studio.js").status_code == 200  # the page's own code is public
    answer = client.get("/?token=test-token-0123456789", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "max-age=2592000" in cookie
    page = client.get("/")
    assert page.status_code == 200 and TOKEN not in page.text
    assert page.headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/api/session").json() == {
        "name": "Ana Rivera",
        "role": "coordinator",
        "languages": [],
        "csrf": TOKEN,
        "local": True,
        "insecure": False,
    }
    assert client.get("/api/project").status_code == 200
    # A cookie is not enough to write: a cross-site form could send it.
    body = {"context": None, "id": "Need help?", "string": "¿Ayuda?"}
    assert client.post("/api/translations/es", json=body).status_code == 403
    client.cookies.clear()


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Host": "evil.example"}, 403),
        ({"Host": "attacker.test:8000"}, 403),
        # A URL's user part is not part of a Host header: a parser that allows it reads
        # 127.0.0.1 here, the browser's page came from evil.example.
        ({"Host": "evil.example@127.0.0.1:8000"}, 403),
        ({"Host": ""}, 403),
        ({"Host": "LOCALHOST:8000"}, 200),
        ({"Host": "localhost:8000"}, 200),
        ({"Host": "[::1]:8000"}, 200),
    ],
)
def test_host_names_other_than_this_machine_are_refused(studio, headers, status):
    answer = studio.client.get("/api/project", headers={**AUTH, **headers})
    assert answer.status_code == status
    if status == 403:
        assert answer.text == f"403: this studio does not answer to {headers['Host']!r}"


@pytest.mark.parametrize(
    ("hosts", "host", "status"),
    [
        (None, "anything.example:8000", 200),  # --host 0.0.0.0: it answers to any name
        (frozenset({"studio.lan"}), "studio.lan:8000", 200),
        (frozenset({"studio.lan"}), "127.0.0.1:8000", 200),
        (frozenset({"studio.lan"}), "other.lan:8000", 403),
        (frozenset({"fe80::1"}), "[fe80::1]:8000", 200),
        (frozenset({"fe80::1"}), "[fe80::2]:8000", 403),
    ],
)
def test_a_studio_answers_to_its_host_and_this_machine(tmp_path, hosts, host, status):
    gate = Gate(Store(tmp_path), TOKEN)
    app = AccessCheck(PlainTextResponse("ok"), gate, hosts, b"sign in")
    answer = TestClient(app).get("/", headers={**AUTH, "Host": host})
    assert answer.status_code == status


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "application/json"},
        {**WRITE, "X-Leaflets-Token": "wrong"},
        {**WRITE, "Origin": "http://evil.example"},
        {**WRITE, "Origin": "null"},
        {**WRITE, "Origin": "http://127.0.0.1:9999"},
        {**WRITE, "Sec-Fetch-Site": "cross-site"},
    ],
)
def test_writes_from_elsewhere_are_refused(studio, headers):
    po = studio.po().read_bytes()
    body = {"context": None, "id": "Need help?", "string": "¿Ayuda?"}
    answer = studio.client.post("/api/translations/es", json=body, headers=headers)
    assert answer.status_code in (401, 403)  # not signed in, or refused
    assert studio.po().read_bytes() == po


@pytest.mark.parametrize(
    ("content", "headers", "status"),
    [
        (b'{"id": "Need help?", "string": "x"}', {**AUTH, "Content-Type": "text/plain"}, 415),
        (b"{not json", WRITE, 422),
        (b'{"id": "Need help?"}', WRITE, 422),
        (b'{"id": "Need help?", "string": "x", "path": "../x"}', WRITE, 422),
        (b'{"id": "Need help?", "string": 3}', WRITE, 422),
        (b'{"id": "Need help?", "string": "' + b"a" * 300_000 + b'"}', WRITE, 413),
    ],
)
def test_bad_bodies_are_refused_and_nothing_is_written(studio, content, headers, status):
    po = studio.po().read_bytes()
    answer = studio.client.post("/api/translations/es", content=content, headers=headers)
    assert answer.status_code == status, answer.text
    assert studio.po().read_bytes() == po


def test_the_source_language_cannot_be_edited(studio):
    answer = studio.save("Need help?", "Help?", lang="en")
    assert answer.status_code == 404


# ---------------------------------------------------------------- saving


@pytest.mark.pdf
def test_a_save_with_a_warning_goes_through_and_changes_the_page(studio, restore):
    before = studio.view()
    image = studio.client.get("/pages/es/card/1.png", headers=AUTH).content
    answer = studio.save("Need help?", "¿Le hace falta ayuda? ", previous="¿Necesita ayuda?")
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["saved"] and result["changed"]
    assert [f["code"] for f in result["findings"]] == ["whitespace"]
    assert read_catalog(studio.po()).get("Need help?").string == "¿Le hace falta ayuda? "
    after = studio.view()
    assert after["version"] > before["version"]
    assert after["pages"][0]["url"] != before["pages"][0]["url"]
    assert studio.client.get("/pages/es/card/1.png", headers=AUTH).content != image
    heading = next(m for m in after["messages"] if m["id"] == "Need help?")
    assert heading["findings"][0]["severity"] == "warning"


def test_a_save_with_an_error_is_refused_with_its_findings(studio):
    po = studio.po().read_bytes()
    answer = studio.save(CARD_CALL[1], "Llame para pedir ayuda", context=CARD_CALL[0])
    assert answer.status_code == 422
    result = answer.json()
    assert not result["saved"]
    assert result["findings"][0]["code"] == "placeholder"
    assert "%(phone)s is missing" in result["findings"][0]["message"]
    assert studio.po().read_bytes() == po


@pytest.mark.pdf
def test_a_stale_edit_is_a_conflict(studio, restore):
    path = studio.po()
    path.write_text(path.read_text().replace('msgstr "Llame al"', 'msgstr "Llame"'))
    answer = studio.save("Call", "Marque", context="phone label", previous="Llame al")
    assert answer.status_code == 409
    assert answer.json()["current"] == ["Llame"]
    assert 'msgstr "Llame"' in path.read_text()


@pytest.mark.pdf
def test_an_untranslated_string_is_marked_as_falling_back(studio, restore):
    assert studio.save("Free. Confidential. 24 hours.", "").status_code == 200
    view = studio.view()
    assert {"context": None, "id": "Free. Confidential. 24 hours."} in view["fallbacks"]
    message = next(m for m in view["messages"] if m["id"] == "Free. Confidential. 24 hours.")
    assert message["fallback"] and message["review"]["state"] == "not translated"


@pytest.mark.pdf
def test_a_panel_that_overflows_is_outlined_with_its_amount(studio, restore):
    # The heading has a length limit (a longer one is refused): the text line has none.
    text = "Text “%(keyword)s” to %(number)s"
    long = "Envíe el mensaje “%(keyword)s” al %(number)s, " * 14 + "gratis"
    assert studio.save(text, long).status_code == 200
    view = studio.view()
    (region,) = view["overflow"]
    assert region["region"] == "front" and region["page"] == 1
    assert region["overflow_pt"] > 0 and region["lines"] > 0
    assert region["text"].startswith('region "front" overflows by ')
    assert 'shorten msgid "Text “%(keyword)s” to %(number)s"' in view["overflow_problem"]
    assert view["pages"], "the page still shows, with its overflow"


# ---------------------------------------------------------------- approving


@pytest.mark.pdf
def test_approving_strings_and_pages(studio, restore):
    heading = studio.message("Need help?")
    body = {"messages": [{"context": None, "id": "Need help?", "string": heading["string"]}]}
    answer = studio.client.post("/api/reviews/es", json=body, headers=WRITE)
    assert answer.status_code == 200, answer.text
    assert answer.json()["review"]["approved"] == 1
    state = studio.message("Need help?")["review"]
    assert state["state"] == "approved" and state["reviewer"] == "Ana Rivera"
    assert "Ana Rivera" in (studio.root / "locales/es/review.toml").read_text()

    # A translation changed elsewhere since the reviewer saw it is not approved blindly.
    stale = {"messages": [{"context": "phone label", "id": "Call", "string": "Llame"}]}
    assert studio.client.post("/api/reviews/es", json=stale, headers=WRITE).status_code == 409

    # Approve every string of the language: the draft note leaves the card.
    # (each with the text the reviewer saw: the server approves nothing else)
    everything = [
        {"context": m.context, "id": m.id, "string": m.string}
        if isinstance(m.id, str)
        else {"context": m.context, "id": m.id[0], "strings": list(m.string)}
        for m in read_catalog(studio.po())
        if m.id
    ]
    body = {"messages": everything}
    answer = studio.client.post("/api/reviews/es", json=body, headers=WRITE)
    assert answer.status_code == 200, answer.text
    view = studio.view()
    assert view["review"]["reviewed"] is True
    assert DRAFT not in {m["id"] for m in view["messages"]}

    # Saving a new translation voids its approval, and the draft note comes back.
    assert studio.save("Need help?", "¿Le hace falta ayuda?").status_code == 200
    view = studio.view()
    assert view["review"]["reviewed"] is False and DRAFT in {m["id"] for m in view["messages"]}
    assert studio.message("Need help?")["review"]["state"] == "changed since it was approved"


@pytest.mark.pdf
def test_an_untranslated_string_cannot_be_approved(studio, restore):
    assert studio.save("Free. Confidential. 24 hours.", "").status_code == 200
    body = {"messages": [{"id": "Free. Confidential. 24 hours.", "string": ""}]}
    answer = studio.client.post("/api/reviews/es", json=body, headers=WRITE)
    assert answer.status_code == 422 and "translate it first" in answer.text


# ---------------------------------------------------------------- files going bad


@pytest.mark.pdf
def test_a_broken_catalog_shows_its_line_and_keeps_the_last_pages(studio, restore):
    before = studio.view()
    path = studio.po()
    path.write_text(path.read_text() + '\nmsgid "broken"\n')
    line = len(path.read_text().splitlines())
    studio.changed(path)
    view = studio.view()
    assert any(f"messages.po:{line}: syntax error" in e["text"] for e in view["errors"])
    assert view["pages"] == before["pages"]
    assert studio.client.get("/pages/es/card/1.png", headers=AUTH).status_code == 200
    save = studio.save("Need help?", "¿Ayuda?")
    assert save.status_code == 409 and "syntax error" in save.json()["error"]


@pytest.mark.pdf
def test_a_broken_template_shows_its_line_and_keeps_the_last_pages(studio, restore):
    before = studio.view("es", "card")
    template = studio.root / "templates/card.html.j2"
    template.write_text(template.read_text().replace("{% endblock %}", "{% endblok %}", 1))
    studio.changed(template)
    view = studio.view("es", "card")
    assert any("templates/card.html.j2:" in e["text"] for e in view["errors"]), view["errors"]
    assert view["pages"] == before["pages"]


@pytest.mark.pdf
def test_an_invalid_leaflets_toml_shows_its_line_and_the_studio_recovers(studio, restore):
    config = studio.root / "leaflets.toml"
    text = config.read_text()
    config.write_text(text.replace('paper = "letter"', 'paper = "tabloid"'))
    studio.changed(config)
    view = studio.view("es", "card")
    line = next(i for i, t in enumerate(config.read_text().splitlines(), 1) if "tabloid" in t)
    assert any(f"leaflets.toml:{line}: build.paper" in e["text"] for e in view["errors"])
    assert view["pages"]
    config.write_text(text)
    studio.changed(config)
    assert studio.view("es", "card")["errors"] == []


@pytest.mark.pdf
def test_an_edit_in_another_program_shows_up_and_is_kept(studio, restore):
    """Poedit saves while the studio is open: the watcher notices, the page follows, and a
    later save in the studio keeps Poedit's edit."""
    path = studio.po()
    path.write_text(path.read_text().replace('msgstr "¿Necesita ayuda?"', 'msgstr "¿Ayuda?"'))
    studio.until(lambda: studio.message("Need help?")["string"] == "¿Ayuda?")
    assert (
        studio.save("Call", "Marque", context="phone label", previous="Llame al").status_code == 200
    )
    catalog = read_catalog(path)
    assert catalog.get("Need help?").string == "¿Ayuda?"
    assert catalog.get("Call", context="phone label").string == "Marque"
