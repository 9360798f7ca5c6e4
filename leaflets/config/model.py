"""The validated project: leaflets.toml as the frozen records every stage reads and none changes.

Each record is declared once, as the table the file writes (`Table`: strict pydantic, frozen):
what validation checks is what the stages read. A table's name becomes a field the file
cannot set (`Language.code`, from [languages.es]), and the project folder and contacts.toml
are given to `Project` by `project.load()`, which alone builds it from the files. The records
of [leaflets.*] and [editions.*] are in leaflets.py, those of contacts.toml in contacts.py.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo

from ..errors import OutsideProject
from ..untrusted import shown
from .contacts import Contacts
from .leaflets import PAPER_SIZES_IN, Edition, Leaflet
from .paths import CONFIG_NAME, CONTACTS_NAME, inside
from .validation import (
    Expected,
    Given,
    Table,
    WrittenAs,
    between,
    named,
    problem,
    unexpected,
)

__all__ = [
    "CONFIG_NAME",
    "CONTACTS_NAME",
    "DEFAULT_FONTS",
    "FIT_MODES",
    "LANG_CODE_RE",
    "LEAFLET_NAME_RE",
    "MAX_PLURAL_FORMS",
    "PAPER_SIZES_IN",
    "REVIEW_NAME",
    "BuildSettings",
    "Contacts",
    "Edition",
    "Language",
    "Leaflet",
    "Project",
    "StudioSettings",
]

REVIEW_NAME = "review.toml"
THEMES = ("default", "high-contrast")
FIT_MODES = ("error", "shrink")
DIRECTIONS = ("ltr", "rtl")
DEFAULT_FONTS = ("Atkinson Hyperlegible",)
"""The typeface of a language that names none: Latin script, designed for low-vision readers."""
# A font family as fontpkg names its packages: "IBM Plex Sans Arabic" is fontpkg-ibm-plex-sans-arabic.
FONT_FAMILY_RE = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9 ]{0,62}\Z")
MAX_FONTS = 8
# BCP 47-ish language code as used for folder names: "es", "ht", "acf", "pt_BR", "en-XA".
# \A and \Z, not ^ and $: "$" also matches before a final newline, and "es\n" is no code.
LANG_CODE_RE = re.compile(r"\A[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*\Z")
LEAFLET_NAME_RE = re.compile(r"\A[a-z][a-z0-9-]*\Z")
MAX_PLURAL_FORMS = 6
"""The most plural forms a language may have: as many as any CLDR plural rule uses (Arabic's
zero, one, two, few, many, other). A catalog asking for a million would compile to 15 MB."""


def _font_families(families: Any) -> tuple[str, ...]:
    """A list of font family names, as their fontpkg packages name them."""
    if not isinstance(families, list):
        raise unexpected()
    if not families or len(families) > MAX_FONTS:
        raise problem(f"expected from 1 to {MAX_FONTS} font families, got {len(families)}")
    for family in families:
        if not isinstance(family, str) or not FONT_FAMILY_RE.fullmatch(family):
            raise problem(
                'expected font family names such as "Atkinson Hyperlegible" (letters, digits '
                f"and spaces), got {family!r}"
            )
    if len(set(families)) != len(families):
        raise problem(f"a font family is named twice in {families!r}")
    return tuple(families)


FontFamilies = Annotated[
    tuple[str, ...],
    Expected('a list of font family names such as ["Atkinson Hyperlegible"]'),
    BeforeValidator(_font_families),
]


def _inside_project(out: Any, info: ValidationInfo) -> Path:
    if not isinstance(out, str):
        raise unexpected()
    root = info.context["root"]
    try:
        return inside(root, root / out)
    except OutsideProject:
        written = Path(os.path.abspath(root / out))
        links = [
            p for p in (written, *written.parents) if p.is_relative_to(root) and p.is_symlink()
        ]
        if links and written.is_relative_to(root):
            link = links[-1]
            raise problem(
                f"{shown(str(link.relative_to(root)))} is a link that leads outside the project "
                f"(to {shown(os.path.realpath(link))}); leaflets writes only inside it: replace "
                "the link with a folder, or set build.out to a folder inside the project"
            ) from None
        raise problem(f"must be a folder inside the project, got {out!r}") from None


class BuildSettings(Table):
    out: Annotated[Path, Expected("a string"), BeforeValidator(_inside_project)] = Field(
        "out", validate_default=True
    )
    paper: Literal[*PAPER_SIZES_IN] = "letter"
    theme: Literal[*THEMES] = "default"
    fit: Literal[*FIT_MODES] = "error"
    fonts: FontFamilies = DEFAULT_FONTS
    """The font families of every language that names none of its own."""


class CatalogSettings(Table):
    """[catalogs]: how leaflets writes the .po files (update, init, the studio's saves)."""

    wrap: Annotated[int, Field(ge=20, le=10_000)] | Literal[False] | None = None
    """The page width of the catalogs, as `msgcat -w N` (false: `msgcat --no-wrap`); unset,
    each catalog's own width is found from the file (Weblate writes 77, gettext 79)."""


class StudioSettings(Table):
    """[studio]: what `leaflets serve` does beyond serving: commits (studio/commits.py), and
    what people may do beyond their role's defaults."""

    commit: bool = False
    """Commit the studio's saves and approvals to the project's git repository, each person's
    as their own commit."""
    commit_after_minutes: Annotated[
        int,
        between(0, 1440, "expected a whole number of minutes from 0 to 1440, got {value}"),
    ] = 5
    """How long a person's changes wait, after their last one, before they are committed
    together; 0 commits each change at once."""
    organisers_build: bool = False
    """Whether an organiser may start an order's build; a coordinator always may."""


# ---------------------------------------------------------------- [languages.*]


def _known_locale(locale: str) -> str:
    # Here: Babel is imported only when a locale needs checking.
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        raise problem(f'expected a locale Babel knows, such as "fr", got {locale!r}') from None
    return locale


def _plural_rule(rule: str) -> str:
    match = re.fullmatch(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=.+;?\s*", rule)
    if not match:
        raise problem('expected a Plural-Forms rule such as "nplurals=1; plural=0;"')
    if not 1 <= int(match.group(1)) <= MAX_PLURAL_FORMS:
        raise problem(
            f"nplurals must be from 1 to {MAX_PLURAL_FORMS} (the most any CLDR language uses), "
            f"got {int(match.group(1)):,}"
        )
    return rule


class DayPeriods(Table):
    am: str
    pm: str


def _shows_minutes(pattern: str) -> str:
    letters = re.sub(r"'[^']*'", "", pattern)
    if "m" not in letters:
        raise problem(
            f"{pattern!r} has no minutes (mm), so 8:30 would print as 8 o'clock; give it the "
            "minutes, and put an hour-only pattern in time_format_on_the_hour"
        )
    return pattern


def _foreign_words(words: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(words, dict):
        raise unexpected()
    for code, phrases in words.items():
        if not LANG_CODE_RE.fullmatch(code):
            raise problem(f'expected language codes such as "en" as keys, got {code!r}')
        if not (
            isinstance(phrases, list)
            and phrases
            and all(isinstance(p, str) and p.strip() for p in phrases)
        ):
            raise problem(f"{code}: expected a list of words or phrases, got {phrases!r}")
    return {code: tuple(phrases) for code, phrases in words.items()}


class Language(Table):
    code: Given[str]
    """Folder name under locales/ and the value of the catalog's Language header."""
    name: str
    """The language's own name for itself."""
    source: bool = False
    """True for the language the templates are written in."""
    reviewed: bool | None = None
    """An explicit override from leaflets.toml. Unset (None), the language is reviewed when
    every translation is approved in locales/<lang>/review.toml: ask i18n.review.is_reviewed(),
    never this field, whether a language's leaflets carry the draft note."""
    locale: (
        Annotated[
            str, Expected('a CLDR locale such as "fr" or "es_US"'), AfterValidator(_known_locale)
        ]
        | None
    ) = None
    """CLDR locale used for dates, times and numbers when it differs from the code."""
    plural: Annotated[str, AfterValidator(_plural_rule)] | None = None
    """Plural-Forms rule for languages CLDR has none for: "nplurals=1; plural=0;"."""
    time_format: Annotated[str, AfterValidator(_shows_minutes)] | None = None
    """CLDR time pattern overriding the locale's short time format; it shows the minutes."""
    time_format_on_the_hour: str | None = None
    """The pattern for times on the hour (9:00), where a language leaves the minutes out."""
    day_periods: DayPeriods | None = None
    """Words for before and after noon ("am", "pm") when time_format wants them."""
    fonts: FontFamilies | None = None
    """Font families the language is set in, in fallback order; None is build.fonts. Each comes
    from a font package installed with the Python dependencies (config/fonts.py)."""
    direction: Literal[*DIRECTIONS] | None = None
    """"ltr" or "rtl" when set in leaflets.toml; None asks CLDR (i18n/locale_data.py)."""
    foreign_words: (
        Annotated[
            dict[str, tuple[str, ...]],
            Expected('a table such as { en = ["Internal Revenue Code"] }'),
            BeforeValidator(_foreign_words),
        ]
        | None
    ) = None
    """Words this language's text keeps in another language, by that language's code: the
    Creole catalog's "(Internal Revenue Code)" is English. Tagged with their own /Lang."""

    @property
    def bcp47(self) -> str:
        return self.code.replace("_", "-")


# ---------------------------------------------------------------- the project


def _table_name(pattern: re.Pattern[str], message: str) -> AfterValidator:
    def check(name: str) -> str:
        if not pattern.fullmatch(name):
            raise problem(message)
        return name

    return AfterValidator(check)


LanguageCode = Annotated[
    str,
    _table_name(
        LANG_CODE_RE, 'expected a language code such as "es", "ht" or "pt_BR" as the table name'
    ),
]
LeafletName = Annotated[
    str,
    _table_name(LEAFLET_NAME_RE, 'expected a lower-case name such as "trifold" or "large-print"'),
]
EditionName = Annotated[
    str, _table_name(LEAFLET_NAME_RE, 'expected a lower-case name such as "office" or "press"')
]


def _one_source(languages: dict[str, Language]) -> dict[str, Language]:
    sources = sum(language.source for language in languages.values())
    if sources != 1:
        raise problem(f"exactly one language needs source = true, found {sources}")
    return languages


class Organisation(Table):
    """[organisation] as the file writes it; `Project.organisation` is its name."""

    name: str


class Project(Table):
    """A loaded, validated project folder: leaflets.toml, with contacts.toml."""

    root: Given[Path]
    organisation: Annotated[str, WrittenAs(Organisation, "name")]
    build: BuildSettings = Field(default_factory=dict, validate_default=True)
    catalogs: CatalogSettings = Field(default_factory=dict, validate_default=True)
    studio: StudioSettings = Field(default_factory=dict, validate_default=True)
    languages: Annotated[dict[LanguageCode, Language], named("code"), AfterValidator(_one_source)]
    leaflets: Annotated[dict[LeafletName, Leaflet], named("name")]
    contacts: Given[Contacts]
    config_text: Given[str] = Field(repr=False)
    editions: Annotated[dict[EditionName, Edition], named("name")] = {}

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def contacts_path(self) -> Path:
        return self.root / CONTACTS_NAME

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def styles_dir(self) -> Path:
        return self.root / "styles"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def pot_path(self) -> Path:
        return self.locales_dir / "messages.pot"

    @property
    def source_language(self) -> Language:
        return next(lang for lang in self.languages.values() if lang.source)

    def fonts_of(self, lang: str) -> tuple[str, ...]:
        """The font families a language is set in: its own, else the build's."""
        language = self.languages.get(lang)
        return (language.fonts if language else None) or self.build.fonts

    @property
    def declared_fonts(self) -> tuple[str, ...]:
        """Every font family the project declares, each once, in the order first named."""
        families = [*self.build.fonts]
        for language in self.languages.values():
            families += language.fonts or ()
        return tuple(dict.fromkeys(families))

    def po_path(self, lang: str) -> Path:
        return self.locales_dir / lang / "LC_MESSAGES" / "messages.po"

    def mo_path(self, lang: str) -> Path:
        return self.locales_dir / lang / "LC_MESSAGES" / "messages.mo"

    def review_path(self, lang: str) -> Path:
        """locales/<lang>/review.toml: the approvals (i18n/review.py)."""
        return self.locales_dir / lang / REVIEW_NAME

    def output_path(self, lang: str, leaflet: str, out: Path | None = None) -> Path:
        return (out or self.build.out) / lang / f"{leaflet}.pdf"

    def stylesheet_names(self, leaflet: Leaflet, edition: Edition | None = None) -> list[str]:
        """Stylesheet paths relative to the project root, in cascade order; missing ones are
        skipped. The renderer links them and the cache key hashes them: both ask here."""
        names = [
            "styles/base.css",
            f"styles/{leaflet.name}.css",
            f"styles/themes/{self.build.theme}.css",
        ]
        if edition is not None:
            names.append(edition.stylesheet)
        return [name for name in names if inside(self.root, self.root / name).is_file()]
