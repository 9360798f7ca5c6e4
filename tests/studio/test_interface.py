"""The studio's own interface in the reviewer's language (leaflets/studio/interface.py): its
catalogs are current, well formed and keep their placeholders; the language is the person's
choice, else their browser's, else English; a draft says so until it is approved."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from starlette.testclient import TestClient

from leaflets.i18n import review
from leaflets.studio import interface
from tests.studio.conftest import AUTH

REPO = Path(__file__).resolve().parents[2]
LOCALE = REPO / "leaflets" / "studio" / "locale"
TRANSLATED = ("es", "ht")
PLACEHOLDER = re.compile(r"\{\w+\}|<[^>]+>")
"""What a translation must keep as it is: the scripts' {name}s and the pages' HTML tags."""


def ids(catalog: Catalog) -> set:
    return {(m.context, m.id if m.pluralizable else (m.id,)) for m in catalog if m.id}


def read(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


def catalog_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "studio.po"


def test_the_template_holds_what_babel_extracts_now(tmp_path):
    """A t("…") or _("…") added without `make studio-messages` fails here."""
    fresh = tmp_path / "studio.pot"
    script = REPO / "devtools" / "studio_messages.py"
    subprocess.run([sys.executable, script, "--pot", fresh], check=True, capture_output=True)
    extracted, committed = ids(read(fresh)), ids(read(LOCALE / "studio.pot"))
    assert extracted - committed == set(), "not extracted yet: run `make studio-messages`"
    assert committed - extracted == set(), "gone from the studio: run `make studio-messages`"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_each_catalog_is_merged_with_the_template(lang):
    """Merged, not necessarily translated: an untranslated message shows its English."""
    assert ids(read(catalog_path(lang))) == ids(read(LOCALE / "studio.pot"))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_each_catalog_passes_msgfmt_check(lang, tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("needs GNU gettext's msgfmt: `make setup` installs it")
    run = [msgfmt, "--check", "-o", tmp_path / "studio.mo", catalog_path(lang)]
    result = subprocess.run(run, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_the_placeholders_and_tags_of_the_english(lang):
    wrong = []
    for message in read(catalog_path(lang)):
        if not message.id:
            continue
        english = message.id if message.pluralizable else (message.id,)
        strings = message.string if message.pluralizable else (message.string,)
        wanted = sorted(PLACEHOLDER.findall(english[-1]))
        wrong += [(english[0], s) for s in strings if sorted(PLACEHOLDER.findall(s)) != wanted]
    assert wrong == []


def test_an_untranslated_or_fuzzy_message_is_left_to_the_english():
    catalog = Catalog(locale="es")
    catalog.add("Save", "Guardar", locations=[("studio.js", 1)])
    catalog.add("Next", "", locations=[("studio.js", 2)])
    catalog.add("Previous", "Anterior", locations=[("studio.js", 3)], flags=["fuzzy"])
    catalog.add("Orders", "Pedidos", locations=[("index.html", 4)])  # the page's, not a script's
    assert interface.script_messages(catalog) == {"Save": "Guardar"}


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-MX,es;q=0.9,en;q=0.8", ["es-MX", "es", "en"]),
        ("en;q=0.5, ht", ["ht", "en"]),
        ("fr, *;q=0.1, es;q=0", ["fr"]),
        ("", []),
    ],
)
def test_accept_language_is_read_in_order_of_preference(header, expected):
    assert interface.accepted(header) == expected


def page(client: TestClient, path: str = "/", **headers: str):
    return client.get(path, headers={**AUTH, **headers})


def lang_of(html: str) -> str:
    return re.search(r'<html lang="([^"]+)">', html)[1]


def script_table(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="studio-messages">(.*?)</script>', html)
    return json.loads(block[1])


def test_a_spanish_browser_gets_the_studio_in_spanish(studio):
    answer = page(studio.client, **{"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert answer.status_code == 200
    assert lang_of(answer.text) == "es" == answer.headers["content-language"]
    assert "Idioma del estudio" in answer.text and "Guardar" in answer.text
    assert "Traducción de la interfaz: borrador, pendiente de revisión" in answer.text
    assert script_table(answer.text)["messages"]["Saving…"] == "Guardando…"


def test_the_persons_choice_wins_over_the_browser(studio):
    studio.client.cookies.set(interface.COOKIE, "ht")
    try:
        for path in ("/", "/orders", "/orders/new"):
            answer = page(studio.client, path, **{"Accept-Language": "es"})
            assert lang_of(answer.text) == "ht", path
            assert "Lang estidyo a" in answer.text
    finally:
        studio.client.cookies.delete(interface.COOKIE)


@pytest.mark.parametrize(
    ("accept", "cookie", "expected"),
    [("fr-FR,de;q=0.8", None, "en"), ("", None, "en"), ("es", "xx", "es"), ("ht", "en", "en")],
)
def test_anything_else_is_english(studio, accept, cookie, expected):
    client = TestClient(studio.client.app, base_url="http://127.0.0.1:8000")
    if cookie:
        client.cookies.set(interface.COOKIE, cookie)
    answer = page(client, **{"Accept-Language": accept})
    assert lang_of(answer.text) == expected
    english = expected == "en"
    assert ("Language of the studio" in answer.text) == english
    assert ('class="ui-draft"' in answer.text) == (not english)


def test_the_sign_in_page_is_in_the_browsers_language_too(studio):
    anonymous = TestClient(studio.client.app, base_url="http://127.0.0.1:8000")
    answer = anonymous.get("/", headers={"Accept-Language": "ht"})
    assert answer.status_code == 401
    assert lang_of(answer.text) == "ht" and "Ou pa konekte." in answer.text


def test_a_language_is_a_draft_until_every_translation_is_approved_as_it_stands(tmp_path):
    catalog = read(catalog_path("es"))
    folder = tmp_path / "es"
    folder.mkdir()
    assert interface.is_draft(catalog, folder)  # no review.toml: a draft
    approvals = [review.approval_of(m, "Rosa", date(2026, 12, 7)) for m in catalog if m.id]
    (folder / "review.toml").write_bytes(review.review_bytes(approvals))
    assert not interface.is_draft(catalog, folder)
    next(m for m in catalog if m.id == "Save").string = "Salvar"  # edited after approval
    assert interface.is_draft(catalog, folder)
