"""Issue 23, point 2: a good translation is not refused. `%%` is a percent sign, and a number
the translator means (a year) can be allowed per entry by a translator comment; phone-like
digit groups, domains and e-mail addresses stay refused exactly as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Message

from leaflets.config import project as project_mod
from leaflets.i18n.checks.message import allowed_numbers, check_message
from leaflets.i18n.checks.placeholders import added_contact_facts, dialable_runs, formats_cleanly
from leaflets.i18n.po.catalog import po_bytes, read_catalog
from leaflets.i18n.translations import load_translations

FREE = "Free. Confidential. 24 hours."
CREDIT = "Translated from English."


@pytest.mark.parametrize(
    "translation",
    [
        "100%% gratis. Confidencial. 24 horas.",
        "Gratis al 100 %%. Confidencial. 24 horas.",  # the space Spanish typography puts before %
        "Gratis al 99,5\u00a0%%, 24 horas.",
        "5%% de descuento",
    ],
)
def test_a_percentage_is_no_number(translation: str):
    assert added_contact_facts(FREE, translation) == []
    assert formats_cleanly(FREE, translation)
    assert dialable_runs(translation.replace("%%", "%")) == []


@pytest.mark.parametrize(
    "translation",
    [
        "911%% gratis",  # over 100: not a percentage, a number
        "Llame al 340 55%%",  # digits before it: one digit group
        "Llame al %(phone)s 50%%",  # right after a placeholder: it prints beside the number
        "Llame al 1-888-373-7888%%",
        "100 %%(phone)s",  # %% then a word: the digits join nothing, but %%( is no placeholder
    ],
)
def test_digits_with_a_percent_sign_that_could_be_dialled_are_still_refused(translation: str):
    source = "Call %(phone)s"
    assert not formats_cleanly(source, translation), translation


def test_a_printed_percentage_is_not_a_dialable_run_but_a_number_before_it_is():
    assert dialable_runs("100% gratis") == []
    assert dialable_runs("Tel. 340-719-0144 50%") == ["340-719-0144"]
    assert dialable_runs("340 555 01 99%") == ["340 555 01"]
    assert dialable_runs("911%") == ["911"]


def _entry(translation: str, *comments: str, msgid: str = CREDIT) -> Message:
    return Message(msgid, translation, user_comments=list(comments), lineno=7)


def test_a_year_is_refused_until_a_comment_allows_it_and_the_message_says_how():
    entry = _entry("Traducido del inglés en 2026.")
    (finding,) = [f for f in check_message(entry, 2, _po("es")) if f.code == "contact"]
    assert "add the comment `# allow-number: 2026` to the entry" in finding.message
    allowed = _entry("Traducido del inglés en 2026.", "allow-number: 2026")
    assert allowed_numbers(allowed) == {"2026"}
    assert [f for f in check_message(allowed, 2, _po("es")) if f.code == "contact"] == []


@pytest.mark.parametrize(
    ("translation", "comment"),
    [
        ("Traducido del inglés en 2027.", "allow-number: 2026"),  # another number
        ("Llame al 911.", "allow-number: 911"),  # a service number is never allowed
        ("Llame al 340 7190.", "allow-number: 340 7190"),  # two groups: dialled
        ("Llame al 3407190144.", "allow-number: 3407190144"),  # a phone number's length
        ("Llame al 340-7190.", "allow-number: 3407190"),
        ("Traducido en 2026 %(x)s", "allow-number: 2026"),  # beside a placeholder
        ("Traducido en 2026.", "allow-identical"),  # the other marker allows no number
    ],
)
def test_allow_number_allows_only_a_plain_year_like_group(translation: str, comment: str):
    entry = _entry(
        translation, comment, msgid="Translated %(x)s" if "%(x)s" in translation else CREDIT
    )
    assert [f for f in check_message(entry, 2, _po("es")) if f.code == "contact"], translation


def test_the_build_prints_an_allowed_year(project_copy: Path):
    po = project_copy / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    catalog = read_catalog(po)
    catalog.get(CREDIT).string = "Traducido del inglés en 2026."
    po.write_bytes(po_bytes(catalog, po.read_bytes()))
    assert CREDIT not in load_translations(project_mod.load(project_copy), "es").messages
    catalog.get(CREDIT).user_comments.append("allow-number: 2026")
    po.write_bytes(po_bytes(catalog, po.read_bytes()))
    after = load_translations(project_mod.load(project_copy), "es")
    assert after.messages[CREDIT] == "Traducido del inglés en 2026."


def _po(lang: str) -> Path:
    return Path("locales") / lang / "LC_MESSAGES" / "messages.po"
