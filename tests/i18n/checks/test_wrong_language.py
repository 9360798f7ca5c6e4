"""Issue 23, point 1: text in the wrong language is an error, so the leaflet prints the whole
English sentence instead of a mix, and the build names it."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflets.config import project as project_mod
from leaflets.i18n.checks import language_id
from leaflets.i18n.checks.message import check_message
from leaflets.i18n.po.catalog import po_bytes, read_catalog
from leaflets.i18n.translations import load_translations

# A multi-sentence entry of the shipped catalogs.
EVERY_YEAR = (
    "Around %(year)s, an estimate said %(low)s to %(high)s people a year, mostly women and "
    "children, were trafficked across national borders. That did not count the millions "
    "trafficked within their own countries."
)


def codes(project_copy: Path, lang: str, msgid: str, translation: str) -> list[str]:
    po = project_copy / "locales" / lang / "LC_MESSAGES" / "messages.po"
    message = read_catalog(po).get(msgid)
    assert message is not None, msgid
    message.string = translation
    return [f.code for f in check_message(message, 3, po) if f.severity == "error"]


def shipped(project_copy: Path, lang: str, msgid: str) -> str:
    po = project_copy / "locales" / lang / "LC_MESSAGES" / "messages.po"
    return read_catalog(po).get(msgid).string


def test_a_sentence_left_in_english_is_an_error(project_copy: Path):
    spanish = shipped(project_copy, "es", EVERY_YEAR)
    first = spanish.split(". ")[0]
    mixed = f"{first}. That did not count the millions trafficked within their own countries."
    assert codes(project_copy, "es", EVERY_YEAR, mixed) == ["source-words"]


def test_the_source_pasted_before_the_translation_is_an_error(project_copy: Path):
    spanish = shipped(project_copy, "es", EVERY_YEAR)
    assert codes(project_copy, "es", EVERY_YEAR, f"{EVERY_YEAR} {spanish}") == ["source-words"]


def test_another_catalogs_translation_is_an_error(project_copy: Path):
    creole = shipped(project_copy, "ht", EVERY_YEAR)
    assert codes(project_copy, "es", EVERY_YEAR, creole) == ["other-language"]
    spanish = shipped(project_copy, "es", EVERY_YEAR)
    assert codes(project_copy, "es", EVERY_YEAR, f"{creole} {spanish}") == ["other-language"]


def test_names_placeholders_and_foreign_words_are_no_english_run(project_copy: Path):
    assert codes(project_copy, "es", EVERY_YEAR, shipped(project_copy, "es", EVERY_YEAR)) == []
    # Creole keeps "Internal Revenue Code" in English (foreign_words); a name is capitalised.
    ht = project_copy / "locales" / "ht" / "LC_MESSAGES" / "messages.po"
    catalog = read_catalog(ht)
    kept = [m for m in catalog if m.id and "Internal Revenue Code" in str(m.string)]
    assert kept
    for message in kept:
        assert [f for f in check_message(message, 1, ht) if f.severity == "error"] == []


def test_a_creole_sentence_of_its_own_in_the_spanish_catalog_is_judged_creole(
    project_copy: Path,
):
    # Not from the Creole catalog: only the language identifier can tell.
    creole = "Moun ki nan travay fòse yo pa ka kite travay yo lè yo vle."
    assert language_id.long_enough(creole)
    found = codes(project_copy, "es", _any_long(project_copy), creole)
    assert found == ["wrong-language"], found


def _any_long(project_copy: Path) -> str:
    po = project_copy / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    return next(
        m.id
        for m in read_catalog(po)
        if isinstance(m.id, str) and len(m.id) > 80 and "%(" not in m.id and "raffick" not in m.id
    )


# ---------------------------------------------------------------- the threshold, both sides

SHORT = "Ede moun viktim yo kounye a, wi"  # 24 letters: Creole, too short to judge
LONG = "Ede moun viktim yo kounye a, non"  # 25 letters: judged


def test_below_the_threshold_nothing_is_judged_and_at_it_the_language_is_found():
    assert sum(c.isalpha() for c in SHORT) == language_id.MIN_LETTERS - 1
    assert language_id.judge(SHORT, ("en", "es", "ht")) is None
    assert sum(c.isalpha() for c in LONG) == language_id.MIN_LETTERS
    verdict = language_id.judge(LONG, ("en", "es", "ht"))
    assert verdict is not None and verdict[0] == "ht", verdict


def test_a_short_string_in_another_language_is_no_error(project_copy: Path):
    assert codes(project_copy, "es", _any_long(project_copy), SHORT) == []
    assert codes(project_copy, "es", _any_long(project_copy), LONG) == ["wrong-language"]


def test_a_language_the_model_does_not_know_is_not_judged():
    assert language_id.judge(LONG, ("acf", "en")) is None  # St. Lucian Kwéyòl: unknown


def test_a_catalog_in_a_language_the_model_does_not_know_is_never_called_another(
    project_copy: Path,
):
    """With the project's other languages known, a verdict would always name one of them:
    every long Kwéyòl sentence would print in English."""
    with (project_copy / "leaflets.toml").open("a", encoding="utf-8") as config:
        config.write('\n[languages.acf]\nname = "Kwéyòl"\nlocale = "fr"\n')
    folder = project_copy / "locales" / "acf" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    es = (project_copy / "locales" / "es" / "LC_MESSAGES" / "messages.po").read_text("utf-8")
    (folder / "messages.po").write_text(es.replace("Language: es", "Language: acf"), "utf-8")
    assert codes(project_copy, "acf", _any_long(project_copy), LONG) == []


@pytest.mark.parametrize("lang", ["es", "ht"])
def test_the_shipped_catalogs_print_every_translation(project_copy: Path, lang: str):
    project = project_mod.load(project_copy)
    translations = load_translations(project, lang)
    catalog = read_catalog(project.po_path(lang))
    assert len(translations.messages) == len([m for m in catalog if m.id and m.string])
    assert translations.rejected == []


def test_the_build_prints_the_english_and_names_it(project_copy: Path):
    project = project_mod.load(project_copy)
    po = project.po_path("es")
    catalog = read_catalog(po)
    creole = shipped(project_copy, "ht", EVERY_YEAR)
    catalog.get(EVERY_YEAR).string = creole
    po.write_bytes(po_bytes(catalog, po.read_bytes()))
    translations = load_translations(project, "es")
    assert EVERY_YEAR not in translations.messages
    from leaflets.i18n.fallback_reasons import Explainer

    fallback = Explainer(project, "es").explain(EVERY_YEAR)
    assert "is the Kreyòl ayisyen translation of this message" in fallback.why


def test_the_known_languages_are_the_models():
    labels = set(language_id._identifier().labels) - {"zxx"}  # zxx: no linguistic content
    assert labels == language_id.LABELS


def test_a_remembered_verdict_needs_no_model():
    text = "Una frase bastante larga que nadie ha juzgado todavía aquí."
    language_id.verdicts.pop(language_id.key(text, ("en", "es", "ht")), None)
    assert language_id.judge(text, ("en", "es", "ht"))[0] == "es"
    language_id.verdicts[language_id.key(text, ("en", "es", "ht"))] = ["ht", 0.99]
    assert language_id.judge(text, ("en", "es", "ht")) == ("ht", 0.99)
