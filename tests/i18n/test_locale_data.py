"""Per-language formatting: CLDR where it has the data, the project's own where it does not."""

from __future__ import annotations

from datetime import time

from leaflets.config.contacts import OpeningHours
from leaflets.config.model import Language
from leaflets.i18n.locale_data import ENGLISH_WEEKDAYS, LocaleFormatter, hour_spans

ENGLISH = Language(code="en", name="English", source=True)
SPANISH = Language(code="es", name="Español", locale="es_US")
CREOLE = Language(
    code="ht",
    name="Kreyòl",
    locale="fr",
    time_format="h'è'mm",
    time_format_on_the_hour="h'è'",
    day_periods={"am": "nan maten", "pm": "nan aprèmidi"},
)
KWEYOL = Language(code="acf", name="Kwéyòl", locale="fr")


def test_times_follow_each_language():
    assert LocaleFormatter(ENGLISH).time(time(9)) == "9:00\u00a0AM"
    assert LocaleFormatter(SPANISH).time(time(17)) == "5:00\u00a0p.m."  # CLDR es_US
    assert LocaleFormatter(CREOLE).time(time(9)) == "9è nan maten"
    assert LocaleFormatter(CREOLE).time(time(17)) == "5è nan aprèmidi"
    # Minutes are never dropped: the on-the-hour pattern is for times on the hour only.
    assert LocaleFormatter(CREOLE).time(time(8, 30)) == "8è30 nan maten"


def test_no_narrow_no_break_space_reaches_the_page():
    # The typeface has no U+202F; CLDR uses it in times and French number groups.
    for language in (ENGLISH, SPANISH, CREOLE, KWEYOL):
        formatter = LocaleFormatter(language)
        assert "\u202f" not in formatter.time(time(9)) + formatter.number(600000)
    assert LocaleFormatter(KWEYOL).number(600000) == "600\u00a0000"
    assert LocaleFormatter(ENGLISH).number(600000) == "600,000"


def test_weekdays_come_from_the_catalog_first():
    creole = ["lendi", "madi", "mèkredi", "jedi", "vandredi", "samdi", "dimanch"]
    assert LocaleFormatter(CREOLE).weekdays(creole) == creole


def test_untranslated_weekdays_fall_back_to_cldr_only_where_cldr_has_them():
    untranslated = list(ENGLISH_WEEKDAYS)
    assert LocaleFormatter(SPANISH).weekdays(untranslated)[0] == "lunes"
    # CLDR's ht inherits root's "Mon": the catalog's English stays rather than that.
    assert LocaleFormatter(Language(code="ht", name="Kreyòl")).cldr_weekdays is None
    assert LocaleFormatter(Language(code="ht", name="Kreyòl")).weekdays(untranslated)[0] == "Monday"


def test_hour_spans_know_a_run_of_days():
    weekdays_open = ["mon", "tue", "wed", "thu", "fri"]
    (weekdays,) = hour_spans((OpeningHours(days=weekdays_open, opens="09:00", closes="17:00"),))
    assert (weekdays.first, weekdays.last, weekdays.contiguous) == (0, 4, True)
    (scattered,) = hour_spans(
        (OpeningHours(days=["mon", "wed", "fri"], opens="09:00", closes="12:00"),)
    )
    assert not scattered.contiguous


def test_words_come_from_the_source_not_the_borrowed_locale():
    """Kwéyòl (acf) borrows French formats; CLDR does not know acf, so an untranslated weekday
    prints in English, the source, never as French "lundi"."""
    untranslated = list(ENGLISH_WEEKDAYS)
    assert LocaleFormatter(KWEYOL).number(1234) == "1\u00a0234"  # French formats still
    assert LocaleFormatter(KWEYOL).weekdays(untranslated) == untranslated
    # Creole also borrows French formats, and keeps its own words.
    assert LocaleFormatter(CREOLE).weekdays(untranslated)[0] == "Monday"


def test_direction_from_cldr_or_config():
    assert LocaleFormatter(ENGLISH).direction == "ltr"
    assert LocaleFormatter(Language(code="ar", name="العربية")).direction == "rtl"
    assert LocaleFormatter(Language(code="fa", name="فارسی")).direction == "rtl"
    # A language CLDR does not know takes leaflets.toml's direction, else its locale's.
    assert LocaleFormatter(Language(code="xyz", name="X", locale="ar")).direction == "rtl"
    assert LocaleFormatter(Language(code="ar", name="العربية", direction="ltr")).direction == "ltr"
    assert LocaleFormatter(KWEYOL).direction == "ltr"
