"""The printed text is honest to its source, in every language.

The English is a plain-language adaptation of a U.S. Department of State fact sheet of about
2005, as the council's page reproduces it (/work/shared/seed/…). Each test reads the built PDFs:
the credit says so and sits with the text it credits, the inaugural address is quoted in its
own words, the figures are dated, the meanings the adaptation had lost are back, the fixes a
reviewer asked for in Spanish and Haitian Creole are printed, and the wallet card stays
discreet in its metadata as well as on its face.
"""

from __future__ import annotations

import re

import pikepdf
import pypdfium2
import pytest

from leaflets.i18n.translations import load_translations
from tests.pdftext import text

LANGS = ("en", "es", "ht")
WITH_TEXT = ("trifold", "flyer", "large-print")  # the card carries no State Department text
ATTRIBUTION = "Adapted from a U.S. Department of State fact sheet (about %(year)s)."
YEAR = {"year": "2005"}
CREDIT = "Translated from English."


def shown(built, leaflet: str, lang: str) -> str:
    # pdfium reads a hyphen that ends a line as U+FFFE.
    return text(built[1][leaflet, lang]).replace("\ufffe", "-")


@pytest.mark.parametrize("leaflet", WITH_TEXT)
@pytest.mark.parametrize("lang", LANGS)
def test_the_credit_says_adapted_dated_and_who_translated(built, leaflet, lang):
    project, _ = built
    translations = load_translations(project, lang)
    content = shown(built, leaflet, lang)
    assert (translations.gettext(ATTRIBUTION) % YEAR) in content
    assert "Provided by" not in content and "Proporcionado" not in content
    credit = translations.gettext(CREDIT)
    if project.languages[lang].source:
        assert CREDIT not in content
    else:
        assert credit != CREDIT and credit in content


@pytest.mark.parametrize("lang", LANGS)
def test_the_credit_sits_with_the_text_it_credits_not_under_the_contacts(built, lang):
    project, _ = built
    translations = load_translations(project, lang)
    flyer = shown(built, "flyer", lang)
    credit = flyer.index(translations.gettext(ATTRIBUTION) % YEAR)
    assert flyer.index(translations.gettext("What is human trafficking?")) < credit
    assert credit < flyer.index(translations.gettext("Where to get help"))
    assert credit < flyer.index(project.organisation)
    # On the tri-fold it closes the flap (the left panel outside), after the last of that text.
    document = pypdfium2.PdfDocument(built[1]["trifold", lang])
    try:
        outside = document[0]
        textpage = outside.get_textpage()
        start = textpage.search((translations.gettext(ATTRIBUTION) % YEAR)[:30]).get_next()
        assert start is not None
        assert textpage.get_charbox(start[0])[2] < outside.get_width() / 3
    finally:
        document.close()


def test_the_inaugural_address_is_quoted_in_its_own_words(built):
    for leaflet in ("trifold", "large-print"):
        content = shown(built, leaflet, "en")
        assert "no one is fit to be a master, and no one deserves to be a slave" in content
        assert "None is fit" not in content and "none deserves" not in content


def test_figures_are_dated_not_current(built):
    for leaflet in ("trifold", "large-print"):
        content = shown(built, leaflet, "en")
        assert "Last year" not in content
        assert "In one year around 2005, it gave more than $82 million" in content
    # In US dollars, in words a reader of each language cannot take for their own currency.
    assert "dólares estadounidenses" in shown(built, "trifold", "es")
    assert "82 milyon dola ameriken" in shown(built, "trifold", "ht")


ESTIMATE = (
    "Around %(year)s, an estimate said %(low)s to %(high)s people a year, mostly women and "
    "children, were trafficked across national borders. That did not count the millions "
    "trafficked within their own countries."
)


@pytest.mark.parametrize("lang", LANGS)
def test_the_yearly_estimate_says_it_is_from_about_2005(built, lang):
    # The 600,000 to 800,000 a year is the fact sheet's estimate, not today's: every language
    # prints its own sentence (not the English fallback) and names the year before the figures.
    project, _ = built
    translated = load_translations(project, lang).gettext(ESTIMATE)
    assert (translated == ESTIMATE) == project.languages[lang].source
    before_figures = translated.split("%(low)s")[0] % YEAR
    assert "2005" in before_figures
    for leaflet in WITH_TEXT:
        content = " ".join(shown(built, leaflet, lang).split())
        assert " ".join(before_figures.split()) in content, leaflet
        assert not re.search(r"(Every year|Cada año|Chak ane), (about|entre|anviwon)", content)


def test_the_meanings_the_rewrite_lost_are_back(built):
    content = shown(built, "trifold", "en")
    for kept in (
        "force, lies or coercion",  # coerced, as the source says: not only force and lies
        "a debt that can never be paid off",
        "often crosses borders",  # not always: many are trafficked within their own country
        "Training for law enforcement",  # not only police
        "There is a critical need to rescue more trafficking victims",  # not orders to the reader
        "must be treated as victims of crime",
        "The demand for modern-day slaves must be stopped",
    ):
        assert kept in content, kept
    for lost in ("Training for police", "Rescue more trafficking", "Treat people freed"):
        assert lost not in content


def test_the_spanish_reviewer_s_fixes_are_printed(built):
    trifold = shown(built, "trifold", "es")
    assert "entre 600,000 y 800,000 personas" in trifold
    assert "llevadas de un país a otro" in trifold
    assert "discurso inaugural" in trifold and "investidura" not in trifold
    assert "De lunes a viernes, de 9:00 a.m. a 5:00 p.m." in trifold
    for leaflet in ("trifold", "flyer", "card"):
        assert "Envíe “HELP” por mensaje de texto al 233733" in shown(built, leaflet, "es")


def test_the_creole_reviewer_s_fixes_are_printed(built):
    trifold = shown(built, "trifold", "ht")
    assert "Aprann plis sou sa" in trifold and "Aprann verite a" not in trifold
    assert "seche" not in trifold  # "dry up", copied word for word, is gone
    assert "Depi lendi rive vandredi, 9è nan maten jiska 5è nan aprèmidi" in trifold
    assert "Pèsonn pa fèt pou l mèt" in trifold and "kalifye" not in trifold
    for leaflet in ("trifold", "flyer", "large-print"):
        content = shown(built, leaflet, "ht")
        assert "plis pase 200 lang" in content
    for leaflet in ("trifold", "flyer", "card", "large-print"):
        for lang in LANGS:
            assert "200+" not in shown(built, leaflet, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_the_card_is_discreet_in_its_metadata_too(built, lang):
    project, pdfs = built
    telling = [project.organisation.lower(), "traffick", "trata", "trafik", "slave", "esclav"]
    with pikepdf.open(pdfs["card", lang]) as pdf:
        assert "/Author" not in pdf.docinfo
        info = " ".join(str(v) for v in pdf.docinfo.values())
        meta = pdf.open_metadata()
        assert "dc:creator" not in meta
        xmp = " ".join(str(meta.get(key, "")) for key in meta)
        with pdf.open_outline() as outline:
            bookmarks = " ".join(item.title for item in outline.root)
        face = text(pdfs["card", lang])
    for where in (info, xmp, bookmarks, face):
        found = [word for word in telling if word in where.lower()]
        assert not found, (found, where[:200])
    # The other leaflets still name the council as their author.
    with pikepdf.open(pdfs["flyer", lang]) as pdf:
        assert str(pdf.docinfo["/Author"]) == project.organisation


def test_no_sentence_of_the_english_is_left_in_an_old_form(built):
    # Every English sentence the build prints in Spanish or Creole went through the catalog:
    # nothing fell back to English after the English changed.
    _, pdfs = built
    for lang in ("es", "ht"):
        for leaflet in WITH_TEXT:
            content = shown(built, leaflet, lang)
            for english in ("Adapted from", "no one is fit", "law enforcement", "coercion"):
                assert english not in content, (leaflet, lang, english)
    assert re.search(r"\bcoacción\b", shown(built, "trifold", "es"))
