"""Find the project folder, then load and validate leaflets.toml (and, through contacts.py,
contacts.toml) into the frozen dataclasses of model.py.

The file formats are pydantic tables (validation.py); the domain stays plain dataclasses. The
tables are shaped like the files and the dataclasses like what the stages read: a table's name
becomes a field (`Language.code`) that the file cannot set, a phone number's text becomes a
`Phone`, lists become tuples, and the dataclasses keep pickling to build workers, working with
`dataclasses.replace` and giving the cache key a stable repr. Validators produce the domain
values, so one generic `to_domain()` assembles the dataclasses; a table's fields are listed
once more, in its dataclass, and a test checks that the two lists agree.

Every problem is collected before any is reported, each naming its key path and line, in the
way `leaflets.toml:24: languages.ht.locale: expected ...`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from ..errors import ConfigError, OutsideProject, ProjectNotFound
from .contacts import validate_contacts
from .model import (
    CONFIG_NAME,
    CONTACTS_NAME,
    DEFAULT_FONTS,
    DIRECTIONS,
    FIT_MODES,
    FONT_FAMILY_RE,
    LANG_CODE_RE,
    LEAFLET_NAME_RE,
    MAX_PLURAL_FORMS,
    PAPER_SIZES_IN,
    THEMES,
    BuildSettings,
    Edition,
    Language,
    Leaflet,
    Project,
)
from .paths import inside
from .validation import (
    Expected,
    Problems,
    Table,
    TomlSyntaxError,
    between,
    parse_toml,
    problem,
    problems_at,
    to_domain,
)

# ---------------------------------------------------------------- finding and loading


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` that holds leaflets.toml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ProjectNotFound(
        f"no {CONFIG_NAME} here or in any parent folder; run leaflets inside a project folder "
        "or pass --project PATH",
        here,
    )


def load(root: Path | None = None) -> Project:
    """Load and validate the project at `root` (or the one found from the working directory).

    A folder named explicitly must be the project folder itself: a folder inside a project
    (`--project proj/templates`) is an error, not a reason to walk up to the project."""
    if root is None:
        root = find_root()
    elif not (root / CONFIG_NAME).is_file():
        raise ProjectNotFound(
            f"no {CONFIG_NAME} in this folder; name the project folder itself, the one that "
            f"holds {CONFIG_NAME}",
            root,
        )
    root = root.resolve()
    config_text, config_data = _read_toml(root / CONFIG_NAME, root)
    contacts_text, contacts_data = _read_toml(root / CONTACTS_NAME, root)
    config_problems = Problems(config_text)
    contacts_problems = Problems(contacts_text)
    config = config_problems.validate(ConfigFile, config_data, context={"root": root})
    contacts = validate_contacts(contacts_data, contacts_problems)
    for name, problems in ((CONFIG_NAME, config_problems), (CONTACTS_NAME, contacts_problems)):
        if problems:
            raise ConfigError(
                root / name, problems.messages, problems.first_line, problems.line_numbers
            )
    assert config is not None and contacts is not None
    return Project(
        root=root,
        organisation=config.organisation.name,
        build=to_domain(config.build),
        languages=to_domain(config.languages),
        leaflets=to_domain(config.leaflets),
        contacts=contacts,
        config_text=config_text,
        editions=to_domain(config.editions),
    )


def _read_toml(path: Path, root: Path) -> tuple[str, dict[str, Any]]:
    try:
        text = inside(root, path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            path, [f"file not found; create {path.name} in the project folder"]
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path, [f"not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None
    try:
        return text, parse_toml(text)
    except TomlSyntaxError as exc:
        raise ConfigError(path, [exc.message], exc.line) from None


# ---------------------------------------------------------------- leaflets.toml


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


def _inside_project(out: str, info: ValidationInfo) -> Path:
    root = info.context["root"]
    try:
        return inside(root, root / out)
    except OutsideProject:
        raise problem(f"must be a folder inside the project, got {out!r}") from None


MAX_FONTS = 8


def _font_families(families: list[Any]) -> tuple[str, ...]:
    """A list of font family names, as their fontpkg packages name them."""
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
    list[Any],
    Expected('a list of font family names such as ["Atkinson Hyperlegible"]'),
    AfterValidator(_font_families),
]


class BuildTable(Table):
    domain = BuildSettings
    out: Annotated[str, AfterValidator(_inside_project)] = Field("out", validate_default=True)
    paper: Literal[*PAPER_SIZES_IN] = "letter"
    theme: Literal[*THEMES] = "default"
    fit: Literal[*FIT_MODES] = "error"
    fonts: FontFamilies = Field(default=list(DEFAULT_FONTS), validate_default=True)


class OrganisationTable(Table):
    name: str


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


def _foreign_words(words: dict[str, Any]) -> dict[str, tuple[str, ...]]:
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


class LanguageTable(Table):
    domain = Language
    key_field = "code"
    name: str
    source: bool = False
    reviewed: bool | None = None  # an override; review.toml decides when it is unset
    locale: (
        Annotated[
            str, Expected('a CLDR locale such as "fr" or "es_US"'), AfterValidator(_known_locale)
        ]
        | None
    ) = None
    plural: Annotated[str, AfterValidator(_plural_rule)] | None = None
    time_format: Annotated[str, AfterValidator(_shows_minutes)] | None = None
    time_format_on_the_hour: str | None = None
    day_periods: DayPeriods | None = None
    fonts: FontFamilies | None = None
    direction: Literal[*DIRECTIONS] | None = None  # CLDR's, when unset
    foreign_words: (
        Annotated[
            dict[str, Any],
            Expected('a table such as { en = ["Internal Revenue Code"] }'),
            AfterValidator(_foreign_words),
        ]
        | None
    ) = None


def _template_inside(template: str, info: ValidationInfo) -> str:
    root = info.context["root"]
    templates = root / "templates"
    if template:
        # Named inside templates/, and found inside the project once links are followed: a
        # templates/ folder that links elsewhere in the project is fine.
        named = Path(os.path.normpath(templates / template))
        try:
            if not named.is_relative_to(templates):
                raise OutsideProject(template)
            path = inside(root, named)
        except OutsideProject:
            raise problem(f"must name a file inside templates/, got {template!r}") from None
        if not path.is_file():
            raise problem(f"templates/{template} does not exist")
    return template


def _trim_size(size: list[Any]) -> tuple[float, float]:
    if len(size) != 2 or not all(
        isinstance(v, int | float) and not isinstance(v, bool) and 0.5 <= v <= 50 for v in size
    ):
        raise problem(f"expected [width, height] in inches, got {size!r}")
    return (float(size[0]), float(size[1]))


PageCount = Annotated[int, between(1, 100, "expected a whole number from 1 to 100, got {value}")]


def _body_sizes(sizes: list[Any]) -> tuple[float, float]:
    if not (
        len(sizes) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in sizes)
        and 4 <= sizes[0] <= sizes[1] <= 72
    ):
        raise problem(
            f"expected [smallest, largest] body size in points, from 4 to 72, got {sizes!r}"
        )
    return (float(sizes[0]), float(sizes[1]))


class LeafletTable(Table):
    domain = Leaflet
    key_field = "name"
    title: str
    template: Annotated[str, Expected("a template file name"), AfterValidator(_template_inside)]
    pages: PageCount | None = None
    max_pages: PageCount | None = None
    orientation: Literal["portrait", "landscape"] = "portrait"
    size: (
        Annotated[list[Any], Expected("[width, height] in inches"), AfterValidator(_trim_size)]
        | None
    ) = None
    min_font_pt: Annotated[
        float, between(4, 72, "expected a size from 4 to 72 points, got {value}")
    ] = 10.0
    body_pt: Annotated[
        list[Any], Expected("[smallest, largest] body size in points"), AfterValidator(_body_sizes)
    ] = Field(default=[12, 14], validate_default=True)

    @model_validator(mode="after")
    def _one_page_count(self) -> LeafletTable:
        if (self.pages is None) == (self.max_pages is None):
            raise problem("expected exactly one of pages (exact count) or max_pages (upper bound)")
        return self

    @model_validator(mode="after")
    def _body_above_the_floor(self) -> LeafletTable:
        if self.body_pt[0] < self.min_font_pt:
            raise problems_at(
                (
                    ("body_pt",),
                    f"starts at {self.body_pt[0]:g} pt, below min_font_pt "
                    f"({self.min_font_pt:g} pt): body type may not be smaller than the floor",
                )
            )
        return self


def _absolute_paths(profiles: list[Any]) -> tuple[Path, ...]:
    if not all(isinstance(p, str) and Path(p).is_absolute() for p in profiles):
        raise problem("expected a list of absolute paths to CMYK .icc files")
    return tuple(Path(p) for p in profiles)


class EditionTable(Table):
    domain = Edition
    key_field = "name"
    title: str
    bleed_in: Annotated[float, between(0, 0.5, "expected inches from 0 to 0.5, got {value}")] = 0.0
    safe_margin_in: Annotated[
        float, between(0, 1.0, "expected inches from 0 to 1.0, got {value}")
    ] = 0.25
    crop_marks: bool = False
    output_profiles: Annotated[
        list[Any],
        Expected("a list of absolute paths to CMYK .icc files"),
        AfterValidator(_absolute_paths),
    ] = ()
    pdf_x: bool = False  # after output_profiles, which its check reads
    output_condition: str = ""

    @field_validator("pdf_x")
    @classmethod
    def _needs_a_profile(cls, pdf_x: bool, info: ValidationInfo) -> bool:
        if pdf_x and not info.data.get("output_profiles"):
            raise problem("needs output_profiles: PDF/X requires an output intent")
        return pdf_x


def _one_source(languages: dict[str, LanguageTable]) -> dict[str, LanguageTable]:
    sources = sum(language.source for language in languages.values())
    if sources != 1:
        raise problem(f"exactly one language needs source = true, found {sources}")
    return languages


class ConfigFile(Table):
    organisation: OrganisationTable
    build: BuildTable = Field(default_factory=dict, validate_default=True)
    languages: Annotated[dict[LanguageCode, LanguageTable], AfterValidator(_one_source)]
    leaflets: dict[LeafletName, LeafletTable]
    editions: dict[EditionName, EditionTable] = {}
