"""The project's first promise, as a property (issue 12): for any catalog, every number from
contacts.toml that a leaflet carries appears on the built PDF exactly as formatted, and no
other dialable number appears.

Each example writes a catalog for the wallet card (the cheapest leaflet to lay out) whose
translations put format specs on the placeholders and contact-like strings (digit groups with
slashes, dots and spaces, fullwidth and Arabic-Indic digits, domain names, e-mail addresses,
URLs) among ordinary words. The build either writes the card or stops with a clear error; a
written card is read back with pdfium.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from leaflets.config import project as project_mod
from leaflets.errors import AuditError, CatalogError, FitError
from leaflets.i18n.checks.placeholders import dialable_runs, formats_cleanly
from leaflets.pipeline import build as build_mod
from tests.conftest import copy_project
from tests.pdftext import page_texts
from tests.strategies import translations
from tests.untrusted_helpers import write_catalog

pytestmark = pytest.mark.pdf  # every example is built

SHARED = [
    "Need help?",
    ("phone label", "Call"),
    ("link", "Call for help, %(phone)s"),
    "Free. Confidential. 24 hours.",
    "In an emergency, call %(number)s.",
    "%(place)s Office",
    ("phone label", "Tel."),
    ("phone label", "TTY"),
    "Interpreters available.",
]
# Spanish is a text language of the hotline; Creole gets the "(English or Spanish)" line.
MESSAGES = {
    "es": [*SHARED, "Text “%(keyword)s” to %(number)s"],
    "ht": [*SHARED, "Text “%(keyword)s” to %(number)s (English or Spanish)"],
}


def carried(project) -> set[str]:
    """The numbers the wallet card carries, as contacts.toml's validation formats them."""
    contacts = project.contacts
    numbers = [contacts.hotline.phone, contacts.hotline.text_number, contacts.emergency]
    numbers += [office.phone for office in contacts.offices]
    return {number.display for number in numbers}


def carried_when_it_fits(project) -> set[str]:
    """The TTY number, on the line the card prints only when it fits (pipeline/stages.py)."""
    return {project.contacts.hotline.tty.display}


@pytest.fixture(scope="module")
def card_project(tmp_path_factory: pytest.TempPathFactory):
    return copy_project(tmp_path_factory.mktemp("invariant") / "project")


@st.composite
def catalogs(draw: st.DrawFn) -> tuple[str, dict]:
    lang = draw(st.sampled_from(sorted(MESSAGES)))
    entries = {}
    for key in MESSAGES[lang]:
        source = key if isinstance(key, str) else key[1]
        entries[key] = draw(translations(source), label=str(key))
    return lang, entries


@given(catalog=catalogs())
def test_every_contact_number_prints_as_formatted_and_no_other(card_project, catalog):
    lang, entries = catalog
    write_catalog(card_project, lang, entries)
    project = project_mod.load(card_project)
    (output,) = build_mod.plan(project, [lang], ["card"])
    output.path.unlink(missing_ok=True)
    try:
        build_mod.build(project, [output], fit_mode="shrink")
    except (FitError, CatalogError, AuditError) as exc:
        event(f"stopped with {type(exc).__name__}")
        assert exc.path is None or exc.path.name == "messages.po", exc
        if isinstance(exc, AuditError):  # only for a letter none of the declared fonts has
            assert "a font leaflets.toml does not declare" in str(exc) or ".notdef" in str(exc)
        assert not output.path.exists()
        return
    kept = sum(
        bool(value.strip()) and formats_cleanly(key if isinstance(key, str) else key[1], value)
        for key, value in entries.items()
    )
    event(f"card written with {kept} of {len(entries)} translations")
    # Line by line: numbers on two lines of the card are two numbers, as a reader sees them.
    lines = [line for page in page_texts(output.path) for line in re.split(r"[\r\n]+", page)]
    expected = carried(project)
    for number in expected:
        assert any(number in line for line in lines), (number, lines)
    runs = {run for line in lines for run in dialable_runs(line)}
    assert expected <= runs <= expected | carried_when_it_fits(project), lines
