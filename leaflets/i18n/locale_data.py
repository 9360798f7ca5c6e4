"""Per-language formatting: Babel where CLDR has the data, the project's own data where it does not.

Haitian Creole is the case in point: CLDR knows its name and number symbols, but has no weekday
names (Babel falls back to the root locale and prints "Mon") and no plural rule. Weekday names
therefore come from the catalog first; CLDR is used only where the catalog leaves them untranslated
and the locale really has them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from functools import cached_property

from babel import Locale, UnknownLocaleError
from babel.dates import format_time as babel_format_time
from babel.numbers import format_decimal

from ..config.contacts import OpeningHours
from ..config.model import Language

ENGLISH_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Atkinson Hyperlegible has no U+202F (narrow no-break space), which CLDR puts into times and
# some number groupings. U+00A0 keeps the no-break behaviour and is in the font.
_SPACE_FIXES = str.maketrans({"\u202f": "\u00a0", "\u2009": "\u00a0"})


@dataclass(frozen=True)
class HourSpan:
    """Opening hours prepared for a template: which days, whether they run on, and the times."""

    days: tuple[int, ...]
    opens: time
    closes: time

    @property
    def first(self) -> int:
        return self.days[0]

    @property
    def last(self) -> int:
        return self.days[-1]

    @property
    def contiguous(self) -> bool:
        return list(self.days) == list(range(self.first, self.last + 1))


def hour_spans(hours: tuple[OpeningHours, ...]) -> list[HourSpan]:
    return [HourSpan(h.days, h.opens, h.closes) for h in hours]


class LocaleFormatter:
    """Formats numbers, times and weekday names for one language."""

    def __init__(self, language: Language):
        self.language = language

    @cached_property
    def locale(self) -> Locale:
        """The CLDR locale used for formatting: the language's `locale`, else its code, else English."""
        for candidate in (self.language.locale, self.language.code):
            if not candidate:
                continue
            try:
                return Locale.parse(candidate.replace("-", "_"))
            except (UnknownLocaleError, ValueError):
                continue
        return Locale.parse("en_US")

    @cached_property
    def own_locale(self) -> Locale | None:
        """CLDR's data for the language itself (its code), or None for a language CLDR does not
        know. Words come from here or from the catalog, never from the locale borrowed for
        numbers and times: Kwéyòl (acf) formats as French, but its weekdays are not "lundi"."""
        try:
            return Locale.parse(self.language.code.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            return None

    @cached_property
    def direction(self) -> str:
        """ "ltr" or "rtl": leaflets.toml's, else CLDR's for the language, else for the locale
        its formats come from, else left to right."""
        if self.language.direction:
            return self.language.direction
        for locale in (self.own_locale, self.locale):
            if locale is not None and locale.text_direction in ("ltr", "rtl"):
                return locale.text_direction
        return "ltr"

    @cached_property
    def cldr_weekdays(self) -> tuple[str, ...] | None:
        """Wide weekday names from CLDR for the language itself, or None when CLDR does not
        know it or it only inherits root's "Mon"."""
        if self.own_locale is None:
            return None
        names = self.own_locale.days["format"]["wide"]
        root = Locale.parse("root").days["format"]["wide"]
        wide = tuple(names[i] for i in range(7))
        if wide == tuple(root[i] for i in range(7)):
            return None
        return wide

    def number(self, value: int | float) -> str:
        """The number in the locale's own symbols (its default numbering system)."""
        formatted = format_decimal(value, locale=self.locale, numbering_system="default")
        return formatted.translate(_SPACE_FIXES)

    def time(self, value: time) -> str:
        pattern = self.language.time_format or "short"
        if value.minute == 0 and self.language.time_format_on_the_hour:
            pattern = self.language.time_format_on_the_hour
        periods = self.language.day_periods
        if periods is not None and pattern != "short":
            # The day-period words come from the project: CLDR's would be the fallback locale's.
            word = "'" + (periods.am if value.hour < 12 else periods.pm).replace("'", "''") + "'"
            if "a" in _unquoted(pattern):
                pattern = _replace_unquoted(pattern, "a", word)
            else:
                pattern = f"{pattern} {word}"
        return babel_format_time(value, pattern, locale=self.locale).translate(_SPACE_FIXES)

    def weekdays(self, translated: list[str]) -> list[str]:
        """The catalog's weekday names, with CLDR's in place of any the catalog left in English."""
        if self.language.source:
            return list(translated)
        cldr = self.cldr_weekdays
        names = []
        for index, name in enumerate(translated):
            if name == ENGLISH_WEEKDAYS[index] and cldr is not None:
                name = cldr[index]
            names.append(name)
        return names


def _unquoted(pattern: str) -> str:
    """The pattern's letters outside quotes."""
    out, quoted = [], False
    for char in pattern:
        if char == "'":
            quoted = not quoted
        elif not quoted:
            out.append(char)
    return "".join(out)


def _replace_unquoted(pattern: str, letter: str, replacement: str) -> str:
    out, quoted = [], False
    for char in pattern:
        if char == "'":
            quoted = not quoted
            out.append(char)
        elif char == letter and not quoted:
            out.append(replacement)
        else:
            out.append(char)
    return "".join(out)
