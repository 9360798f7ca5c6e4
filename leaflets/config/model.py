"""The validated project: plain, frozen data that every stage reads and none changes.

`project.load()` builds these from leaflets.toml and contacts.toml; nothing else creates them
from files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path

CONFIG_NAME = "leaflets.toml"
CONTACTS_NAME = "contacts.toml"
REVIEW_NAME = "review.toml"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PAPER_SIZES_IN = {"letter": (8.5, 11.0), "a4": (210 / 25.4, 297 / 25.4)}
THEMES = ("default", "high-contrast")
FIT_MODES = ("error", "shrink")
DIRECTIONS = ("ltr", "rtl")
DEFAULT_FONTS = ("Atkinson Hyperlegible",)
"""The typeface of a language that names none: Latin script, designed for low-vision readers."""
# A font family as fontpkg names its packages: "IBM Plex Sans Arabic" is fontpkg-ibm-plex-sans-arabic.
FONT_FAMILY_RE = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9 ]{0,62}\Z")
# BCP 47-ish language code as used for folder names: "es", "ht", "acf", "pt_BR", "en-XA".
# \A and \Z, not ^ and $: "$" also matches before a final newline, and "es\n" is no code.
LANG_CODE_RE = re.compile(r"\A[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*\Z")
LEAFLET_NAME_RE = re.compile(r"\A[a-z][a-z0-9-]*\Z")
MAX_PLURAL_FORMS = 6
"""The most plural forms a language may have: as many as any CLDR plural rule uses (Arabic's
zero, one, two, few, many, other). A catalog asking for a million would compile to 15 MB."""


# ---------------------------------------------------------------- typed configuration


@dataclass(frozen=True)
class Phone:
    """A validated phone number."""

    e164: str
    """+13407190144"""
    display: str
    """What is printed: 340-719-0144, or 1-888-373-7888 for toll-free numbers."""

    @property
    def uri(self) -> str:
        return "tel:" + self.e164

    @property
    def digits(self) -> str:
        return re.sub(r"\D", "", self.display)


@dataclass(frozen=True)
class ShortCode:
    """A number dialled or texted as it is: 911, 711, 233733."""

    number: str

    @property
    def uri(self) -> str:
        return "tel:" + self.number

    @property
    def display(self) -> str:
        return self.number

    @property
    def digits(self) -> str:
        return self.number


@dataclass(frozen=True)
class OpeningHours:
    """Days of the week (0 = Monday) with one opening time and one closing time."""

    days: tuple[int, ...]
    opens: time
    closes: time


@dataclass(frozen=True)
class Office:
    id: str
    name: str
    place: str
    """The office's place name, used to build its translated name: "St. Croix"."""
    street: str
    city: str
    region: str
    postal_code: str
    phone: Phone
    fax: Phone | None
    hours: tuple[OpeningHours, ...]


@dataclass(frozen=True)
class Hotline:
    name: str
    phone: Phone
    text_number: ShortCode
    text_keyword: str
    tty: ShortCode
    call_languages: tuple[str, ...]
    text_languages: tuple[str, ...]
    interpreter_languages_over: int | None
    """Interpreters answer calls in more than this many languages (None: not said)."""


@dataclass(frozen=True)
class Contacts:
    """contacts.toml: the one source of every contact fact."""

    hotline: Hotline
    emergency: ShortCode
    offices: tuple[Office, ...]

    def office(self, office_id: str) -> Office | None:
        return next((o for o in self.offices if o.id == office_id), None)

    def all_numbers(self) -> list[Phone | ShortCode]:
        """Every number a leaflet must carry."""
        numbers: list[Phone | ShortCode] = [
            self.hotline.phone,
            self.hotline.text_number,
            self.emergency,
        ]
        numbers += [o.phone for o in self.offices]
        return numbers


@dataclass(frozen=True)
class Language:
    code: str
    """Folder name under locales/ and the value of the catalog's Language header."""
    name: str
    """The language's own name for itself."""
    source: bool = False
    """True for the language the templates are written in."""
    reviewed: bool | None = None
    """An explicit override from leaflets.toml. Unset (None), the language is reviewed when
    every translation is approved in locales/<lang>/review.toml: ask i18n.review.is_reviewed(),
    never this field, whether a language's leaflets carry the draft note."""
    locale: str | None = None
    """CLDR locale used for dates, times and numbers when it differs from the code."""
    plural: str | None = None
    """Plural-Forms rule for languages CLDR has none for: "nplurals=1; plural=0;"."""
    time_format: str | None = None
    """CLDR time pattern overriding the locale's short time format; it shows the minutes."""
    time_format_on_the_hour: str | None = None
    """The pattern for times on the hour (9:00), where a language leaves the minutes out."""
    day_periods: dict[str, str] | None = None
    """Words for before and after noon ("am", "pm") when time_format wants them."""
    fonts: tuple[str, ...] | None = None
    """Font families the language is set in, in fallback order; None is build.fonts. Each comes
    from a font package installed with the Python dependencies (config/fonts.py)."""
    direction: str | None = None
    """"ltr" or "rtl" when set in leaflets.toml; None asks CLDR (i18n/locale_data.py)."""
    foreign_words: dict[str, tuple[str, ...]] | None = None
    """Words this language's text keeps in another language, by that language's code: the
    Creole catalog's "(Internal Revenue Code)" is English. Tagged with their own /Lang."""

    @property
    def bcp47(self) -> str:
        return self.code.replace("_", "-")


@dataclass(frozen=True)
class Leaflet:
    name: str
    """Output file name: out/<lang>/<name>.pdf"""
    title: str
    template: str
    """Template file under templates/."""
    pages: int | None = None
    """Exact page count, for fixed layouts."""
    max_pages: int | None = None
    """Upper bound on the page count, for flowing layouts."""
    orientation: str = "portrait"
    size: tuple[float, float] | None = None
    """Trim size in inches (width, height); None means the project's paper."""
    min_font_pt: float = 10.0
    """Smallest type allowed on this leaflet: the floor that `--fit` may shrink to."""
    body_pt: tuple[float, float] = (12.0, 14.0)
    """The body type's range: fit chooses the largest size in it at which every region fits."""

    def page_size_in(self, paper: str) -> tuple[float, float]:
        if self.size is not None:
            return self.size
        width, height = PAPER_SIZES_IN[paper]
        return (height, width) if self.orientation == "landscape" else (width, height)


@dataclass(frozen=True)
class Edition:
    """How a leaflet is printed: on the office printer, or by a print shop."""

    name: str
    title: str
    bleed_in: float = 0.0
    """Bleed on every side, in inches: backgrounds run this far past the trim."""
    safe_margin_in: float = 0.25
    """Everything important stays at least this far inside the trim."""
    crop_marks: bool = False
    """Draw crop marks (the press's cut lines) outside the bleed."""
    pdf_x: bool = False
    """Write PDF/X-4 with an output intent, when one of output_profiles exists."""
    output_profiles: tuple[Path, ...] = ()
    """CMYK ICC profiles to use as the output intent; the first that exists wins."""
    output_condition: str = ""
    """What the output intent says about the printing condition, for the printer."""

    @property
    def stylesheet(self) -> str:
        return f"styles/editions/{self.name}.css"


@dataclass(frozen=True)
class BuildSettings:
    out: Path
    paper: str = "letter"
    theme: str = "default"
    fit: str = "error"
    fonts: tuple[str, ...] = DEFAULT_FONTS
    """The font families of every language that names none of its own."""


@dataclass(frozen=True)
class Project:
    """A loaded, validated project folder."""

    root: Path
    organisation: str
    build: BuildSettings
    languages: dict[str, Language]
    leaflets: dict[str, Leaflet]
    contacts: Contacts
    config_text: str = field(repr=False, default="")
    editions: dict[str, Edition] = field(default_factory=dict)

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
