"""Issue 12, points 1 and 2: a translation cannot change a printed number.

1. A placeholder in a translation is exactly its source's token: `%(number).0s` printed nothing
   where 911 goes, `.2s` printed "23" for 233733, and a huge width crashed or hung every command.
2. A translation cannot add a contact fact in any form: a number with slashes or dots, digits
   beside a placeholder, a domain name without a scheme, an e-mail address.

Each is an error at file:line in `leaflets check`, untranslated in `leaflets status`, and
dropped by the build, which prints the source text instead.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import cli
from leaflets.config import project as project_mod
from leaflets.i18n.checks.placeholders import (
    Placeholder,
    added_contact_facts,
    dialable_runs,
    find_placeholders,
    formats,
    formats_cleanly,
)
from leaflets.i18n.commands.status import status
from leaflets.pipeline import build as build_mod
from tests.conftest import FAST_FACTOR, copy_project
from tests.pdftext import text
from tests.strategies import translations
from tests.untrusted_helpers import write_catalog

EMERGENCY = "In an emergency, call %(number)s."
TEXT_US = "Text “%(keyword)s” to %(number)s"
LINK = ("link", "Call for help, %(phone)s")
OFFICE = "%(place)s Office"
TEL = ("phone label", "Tel.")
NOTE = "Free. Confidential. 24 hours."
TITLE = "Need help?"

# One catalog for the wallet card in which every message tries something else: each must be
# dropped, and the card must print the English and every number as contacts.toml has it.
HOSTILE = {
    EMERGENCY: "En caso de emergencia, llame al %(number).0s.",
    TEXT_US: "Envíe el mensaje “%(keyword)s” al %(number).2s",
    LINK: "Llame para pedir ayuda, %(phone)99999999999s",
    OFFICE: "Oficina de %(place)s, 340/555/0199",
    TEL: "Tel. 1",
    NOTE: "Gratis. Escriba a ayuda＠trata.example",
    TITLE: "¿Ayuda? ayuda-trata.example/es",
}
MORE_HOSTILE = {
    EMERGENCY: "Llame al %(number)30000000s.",
    TEXT_US: "Envíe “%(keyword)s” al %(number)s o visite www.trata.example",
    OFFICE: "Oficina de %(place)s (340.555.0199)",
    NOTE: "Gratis: ayuda@trata.example",
    TITLE: "¿Ayuda? 1%(x)s",
}
CONTACT_NUMBERS = ("1-888-373-7888", "233733", "911", "340-719-0144", "340-774-0144")
# The TTY number, on the card's line that prints only when it fits (pipeline/stages.py).
WHEN_IT_FITS = ("711",)
ENGLISH = {
    EMERGENCY: "In an emergency, call 911.",
    TEXT_US: "Text “HELP” to 233733",
    OFFICE: "St. Croix Office",
    TEL: "Tel. 340-719-0144",
    NOTE: NOTE,
    TITLE: TITLE,
}


# ---------------------------------------------------------------- the rules, string by string


@pytest.mark.parametrize(
    "translation",
    [
        "llame al %(number).0s.",
        "llame al %(number).2s.",
        "llame al %(number)5s.",
        "llame al %(number)-5s.",
        "llame al %(number)ls.",
        "llame al %(number)r.",
        "llame al %(number)99999999999s.",
        "llame al %(number)30000000s.",
    ],
)
def test_a_placeholder_is_exactly_the_sources_token(translation: str):
    source = "call %(number)s."
    assert not formats_cleanly(source, translation)
    assert find_placeholders(translation) != {Placeholder("%", "number", "s")}


def test_formats_never_formats_a_huge_width():
    # The check used to run `text % values` on this: a MemoryError, or minutes of spaces.
    assert not formats("%(number)99999999999s", {"number"})
    assert not formats("%(number).30000000s", {"number"})
    assert formats("%(number)5s", {"number"})


@pytest.mark.parametrize(
    ("translation", "kind"),
    [
        ("llame al 340/555/0199", "number"),
        ("llame al 340.555.0199", "number"),
        ("llame al (340) 555-0199", "number"),
        ("llame al 3 4 0 5 5 5 0 1 9 9", "number"),
        ("llame al ３４０５５５０１９９", "number"),  # fullwidth digits
        ("llame al ٣٤٠٥٥٥", "number"),  # Arabic-Indic digits
        ("llame al 340\u200b555\u200b0199", "number"),  # hidden by zero-width spaces
        ("llame al 1%(number)s", "digits beside a number"),
        ("llame al %(number)s-0", "digits beside a number"),
        ("Tel. 1", "digits beside a number"),  # the template prints a number after it
        ("visite ayuda-trata.example/es", "domain name"),
        ("visite www.trata.example", "domain name"),
        ("visite AYUDA.TRATA.ORG", "domain name"),
        ("escriba a ayuda@trata.example", "e-mail address"),
        ("escriba a ayuda＠trata.example", "e-mail address"),
        ("visite https://trata.example", "URL"),
        ("visite file:///etc/passwd", "URL"),
        ("tel:%(number)s", "URL"),  # a link label read aloud as its address
        ("sms:%(number)s", "URL"),
    ],
)
def test_a_translation_adds_no_contact_fact(translation: str, kind: str):
    facts = added_contact_facts("call %(number)s", translation)
    assert [fact.kind for fact in facts][:1] == [kind], facts


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        (NOTE, "Gratis. Konfidansyèl. 24 sou 24."),  # the shipped Creole: a full stop ends it
        (NOTE, "Gratis. Confidencial. 24 horas."),
        ("Free and confidential, 24 hours a day. TTY: %(tty)s", "Gratis, 24 horas. TTY: %(tty)s"),
        ("%(days)s, %(opens)s – %(closes)s", "%(days)s, %(opens)s – %(closes)s"),
        ("Call 1-888-373-7888", "Llame al 1-888-373-7888"),  # the source's own number
        ("x", "EE.UU., p.ej., S.A. y U.S.A."),  # abbreviations are not domains
        ("x", "Tod@s y amig@s"),  # an at sign in a word is not an address
        ("x", "a las 9:00 a.m."),
    ],
)
def test_ordinary_text_is_no_contact_fact(source: str, translation: str):
    assert added_contact_facts(source, translation) == []


# ---------------------------------------------------------------- check, status and build


@pytest.fixture(scope="module")
def hostile_cards(tmp_path_factory: pytest.TempPathFactory):
    """The wallet card built from each hostile catalog: [(project root, catalog, PDF text)]."""
    built = []
    for index, entries in enumerate((HOSTILE, MORE_HOSTILE)):
        root = copy_project(tmp_path_factory.mktemp(f"hostile{index}") / "project")
        po = write_catalog(root, "es", entries)
        project = project_mod.load(root)
        (output,) = build_mod.plan(project, ["es"], ["card"])
        report = build_mod.build(project, [output])
        assert report.built[0].fallbacks >= len(entries)
        built.append((root, po, entries, text(output.path)))
    return built


@pytest.mark.pdf
def test_the_build_prints_the_source_and_every_number_as_contacts_toml_has_it(hostile_cards):
    for _, _, entries, printed in hostile_cards:
        for number in CONTACT_NUMBERS:
            assert number in printed
        runs = set(dialable_runs(printed))
        assert set(CONTACT_NUMBERS) <= runs <= {*CONTACT_NUMBERS, *WHEN_IT_FITS}, runs
        for key in entries:
            # The link's text is read aloud (aria-label), not printed.
            if key in ENGLISH:
                assert ENGLISH[key] in printed, key
        assert "trata" not in printed and "555" not in printed


@pytest.mark.pdf
def test_check_reports_each_at_its_line(hostile_cards):
    for root, po, entries, _ in hostile_cards:
        result = CliRunner().invoke(
            cli.main, ["--project", str(root), "check", "--lang", "es", "--json"]
        )
        assert result.exit_code == 1, result.output
        findings = json.loads(result.stdout)
        lines = po.read_text(encoding="utf-8").splitlines()
        flagged = {(f["line"], f["code"]) for f in findings if f["severity"] == "error"}
        for key, translation in entries.items():
            context, msgid = key if isinstance(key, tuple) else (None, key)
            line = next(
                n
                for n, raw in enumerate(lines, 1)
                if raw == f'msgid "{msgid}"'
                and (context is None or lines[n - 2] == f'msgctxt "{context}"')
            )
            assert {code for at, code in flagged if at == line} & {"placeholder", "contact"}, (
                translation,
                findings,
            )


@pytest.mark.pdf
def test_status_counts_them_not_translated(hostile_cards):
    # Rejected (issue 13: a column of their own), not translated: the English prints instead.
    for root, *_ in hostile_cards:
        (figures,) = status(project_mod.load(root), ["es"])
        assert figures.translated == 0, figures
        assert figures.rejected > 0
        assert figures.untranslated + figures.rejected == figures.total


# ---------------------------------------------------------------- the rule as a property

VALUES = {"number": "911", "keyword": "HELP", "phone": "1-888-373-7888", "place": "St. Croix"}


LABELS = ("Tel.", "Call")
"""Sources the template prints a number right after: "Tel." + " 340-719-0144"."""


@settings(max_examples=settings().max_examples * FAST_FACTOR)
@given(data=st.data(), source=st.sampled_from([EMERGENCY, TEXT_US, OFFICE, *LABELS]))
def test_a_translation_that_passes_prints_no_number_of_its_own(data, source: str):
    """Whatever passes the rules, printed with contacts.toml's values (and, for a label, the
    number the template prints after it), carries exactly the numbers its source carries."""
    translation = data.draw(translations(source), label="translation")
    if not formats_cleanly(source, translation):
        return
    printed, expected = translation % VALUES, source % VALUES
    if source in LABELS:
        printed, expected = f"{printed} 340-719-0144", f"{expected} 340-719-0144"
    assert set(dialable_runs(printed)) == set(dialable_runs(expected)), printed
