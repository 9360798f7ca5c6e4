"""Find the project folder, then load and validate leaflets.toml and contacts.toml.

Validation collects every problem before it reports, and each problem names its key path,
in the way `leaflets.toml: languages.ht.locale: expected ...`.
"""

from __future__ import annotations

import re
import tomllib
from datetime import time
from pathlib import Path
from typing import Any

import phonenumbers

from ..errors import ConfigError, ProjectNotFound
from .model import (
    CONFIG_NAME,
    CONTACTS_NAME,
    FIT_MODES,
    LANG_CODE_RE,
    LEAFLET_NAME_RE,
    PAPER_SIZES_IN,
    THEMES,
    WEEKDAYS,
    BuildSettings,
    Contacts,
    Edition,
    Hotline,
    Language,
    Leaflet,
    Office,
    OpeningHours,
    Phone,
    Project,
    ShortCode,
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
    """Load and validate the project at `root` (or the one found from the working directory)."""
    root = find_root(root) if root is None or not (root / CONFIG_NAME).is_file() else root
    root = root.resolve()
    config_path = root / CONFIG_NAME
    contacts_path = root / CONTACTS_NAME
    config_text, config = _read_toml(config_path)
    contacts_text, contacts_data = _read_toml(contacts_path)

    config_problems = _Problems(config_text)
    contacts_problems = _Problems(contacts_text)
    project_kwargs = _validate_config(config, root, config_problems)
    contacts = _validate_contacts(contacts_data, contacts_problems)
    if config_problems:
        raise ConfigError(
            config_path,
            config_problems.messages,
            config_problems.first_line,
            config_problems.line_numbers,
        )
    if contacts_problems:
        raise ConfigError(
            contacts_path,
            contacts_problems.messages,
            contacts_problems.first_line,
            contacts_problems.line_numbers,
        )
    assert contacts is not None
    return Project(root=root, contacts=contacts, config_text=config_text, **project_kwargs)


def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            path, [f"file not found; create {path.name} in the project folder"]
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path, [f"not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = int(match.group(1)) if match else None
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError(path, [f"invalid TOML: {reason}; fix the syntax"], line) from None


class _Problems:
    """Collects validation problems with the key path and, where it can be found, the line."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.messages: list[str] = []
        self.line_numbers: list[int | None] = []
        self.first_line: int | None = None

    def __bool__(self) -> bool:
        return bool(self.messages)

    def add(self, keypath: str, message: str) -> None:
        line = self._line_of(keypath)
        self.messages.append(f"{keypath}: {message}")
        self.line_numbers.append(line)
        if line and self.first_line is None:
            self.first_line = line

    def _line_of(self, keypath: str) -> int | None:
        # Best effort: walk the key path ("offices[1].hours[0].opens") down the file, narrowing
        # to the table header (the Nth [[offices]] for offices[N]) or the key's line at each
        # step; the deepest line found wins. Inline tables sit on one line, so a key is also
        # looked for in the middle of a line.
        lo, hi = 0, len(self.lines)
        best: int | None = None
        dotted: list[str] = []
        for part in keypath.split("."):
            match = re.fullmatch(r"(.+?)((?:\[\d+\])*)", part)
            if match is None:
                break
            key = match.group(1)
            indices = [int(n) for n in re.findall(r"\d+", match.group(2))]
            dotted.append(key)
            name = re.escape(".".join(dotted))
            header = re.compile(r"^\s*\[\[?\s*" + name + r"\s*\]\]?\s*(#.*)?$")
            heads = [i for i in range(lo, hi) if header.match(self.lines[i])]
            nth = indices[0] if indices else 0
            if len(heads) > nth:
                lo = heads[nth]
                best = lo + 1
                nxt = next(
                    (
                        i
                        for i in range(lo + 1, hi)
                        if self.lines[i].lstrip().startswith("[")
                        and not re.match(r"^\s*\[\[?\s*" + name + r"\.", self.lines[i])
                    ),
                    hi,
                )
                hi = nxt
                continue
            key_re = re.compile(r"(^|[\s{,])\"?" + re.escape(key) + r"\"?\s*=")
            found = next((i for i in range(lo, hi) if key_re.search(self.lines[i])), None)
            if found is not None:
                lo = found
                best = found + 1
            # Neither a header nor a key: a dotted header such as [languages.es] may follow.
        return best


def _table(data: Any, keypath: str, problems: _Problems) -> dict[str, Any]:
    if not isinstance(data, dict):
        problems.add(keypath, f"expected a table, got {_describe(data)}")
        return {}
    return data


def _unknown_keys(data: dict, allowed: set[str], keypath: str, problems: _Problems) -> None:
    for key in data:
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            problems.add(
                f"{keypath}.{key}" if keypath else key, f"unknown key; expected one of: {known}"
            )


def _get(
    data: dict,
    key: str,
    kind: type | tuple[type, ...],
    keypath: str,
    problems: _Problems,
    *,
    required: bool = True,
    default: Any = None,
    expected: str | None = None,
) -> Any:
    full = f"{keypath}.{key}" if keypath else key
    if key not in data:
        if required:
            problems.add(full, f"missing; expected {expected or _kind_name(kind)}")
        return default
    value = data[key]
    # bool is an int in Python; never accept it where a number is wanted.
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
        problems.add(full, f"expected {expected or _kind_name(kind)}, got {_describe(value)}")
        return default
    return value


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {
        str: "a string",
        bool: "true or false",
        int: "a whole number",
        float: "a number",
        list: "a list",
        dict: "a table",
    }
    return " or ".join(names.get(k, k.__name__) for k in _as_tuple(kind))


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return repr(value) if len(value) < 40 else repr(value[:37] + "...")
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _choice(
    data: dict, key: str, choices: tuple[str, ...], default: str, keypath: str, problems: _Problems
) -> str:
    expected = " or ".join(f'"{c}"' for c in choices)
    value = _get(
        data, key, str, keypath, problems, required=False, default=default, expected=expected
    )
    if value not in choices:
        problems.add(f"{keypath}.{key}", f"expected {expected}, got {_describe(value)}")
        return default
    return value


def _validate_config(data: dict, root: Path, problems: _Problems) -> dict[str, Any]:
    _unknown_keys(
        data, {"organisation", "build", "languages", "leaflets", "editions"}, "", problems
    )

    org = _table(
        _get(data, "organisation", dict, "", problems, default={}), "organisation", problems
    )
    _unknown_keys(org, {"name"}, "organisation", problems)
    org_name = _get(org, "name", str, "organisation", problems, default="")

    build = _table(data.get("build", {}), "build", problems)
    _unknown_keys(build, {"out", "paper", "theme", "fit"}, "build", problems)
    out_name = _get(build, "out", str, "build", problems, required=False, default="out")
    out = (root / out_name).resolve()
    if not out.is_relative_to(root):
        problems.add("build.out", f"must be a folder inside the project, got {out_name!r}")
        out = root / "out"
    settings = BuildSettings(
        out=out,
        paper=_choice(build, "paper", tuple(PAPER_SIZES_IN), "letter", "build", problems),
        theme=_choice(build, "theme", THEMES, "default", "build", problems),
        fit=_choice(build, "fit", FIT_MODES, "error", "build", problems),
    )

    languages = {}
    for code, lang in _table(
        _get(data, "languages", dict, "", problems, default={}), "languages", problems
    ).items():
        parsed = _validate_language(code, lang, problems)
        if parsed:
            languages[code] = parsed
    sources = [lang.code for lang in languages.values() if lang.source]
    if "languages" in data and len(sources) != 1:
        problems.add("languages", f"exactly one language needs source = true, found {len(sources)}")

    leaflets = {}
    for name, leaflet in _table(
        _get(data, "leaflets", dict, "", problems, default={}), "leaflets", problems
    ).items():
        parsed = _validate_leaflet(name, leaflet, root, problems)
        if parsed:
            leaflets[name] = parsed
    editions = {}
    for name, edition in _table(data.get("editions", {}), "editions", problems).items():
        parsed = _validate_edition(name, edition, problems)
        if parsed:
            editions[name] = parsed
    return {
        "organisation": org_name,
        "build": settings,
        "languages": languages,
        "leaflets": leaflets,
        "editions": editions,
    }


def _validate_language(code: str, data: Any, problems: _Problems) -> Language | None:
    keypath = f"languages.{code}"
    if not LANG_CODE_RE.match(code):
        problems.add(
            keypath, 'expected a language code such as "es", "ht" or "pt_BR" as the table name'
        )
        return None
    data = _table(data, keypath, problems)
    allowed = {"name", "source", "reviewed", "locale", "plural", "time_format", "day_periods"}
    _unknown_keys(data, allowed, keypath, problems)
    locale = _get(
        data,
        "locale",
        str,
        keypath,
        problems,
        required=False,
        expected='a CLDR locale such as "fr" or "es_US"',
    )
    if locale is not None:
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(locale)
        except (UnknownLocaleError, ValueError):
            problems.add(
                f"{keypath}.locale", f'expected a locale Babel knows, such as "fr", got {locale!r}'
            )
    plural = _get(data, "plural", str, keypath, problems, required=False)
    if plural is not None and not re.fullmatch(
        r"\s*nplurals\s*=\s*\d+\s*;\s*plural\s*=.+;?\s*", plural
    ):
        problems.add(
            f"{keypath}.plural", 'expected a Plural-Forms rule such as "nplurals=1; plural=0;"'
        )
    day_periods = _get(data, "day_periods", dict, keypath, problems, required=False)
    if day_periods is not None:
        _unknown_keys(day_periods, {"am", "pm"}, f"{keypath}.day_periods", problems)
        for key in ("am", "pm"):
            _get(day_periods, key, str, f"{keypath}.day_periods", problems)
    return Language(
        code=code,
        name=_get(data, "name", str, keypath, problems, default=code),
        source=_get(data, "source", bool, keypath, problems, required=False, default=False),
        reviewed=_get(data, "reviewed", bool, keypath, problems, required=False, default=False),
        locale=locale,
        plural=plural,
        time_format=_get(data, "time_format", str, keypath, problems, required=False),
        day_periods=day_periods,
    )


def _validate_leaflet(name: str, data: Any, root: Path, problems: _Problems) -> Leaflet | None:
    keypath = f"leaflets.{name}"
    if not LEAFLET_NAME_RE.match(name):
        problems.add(keypath, 'expected a lower-case name such as "trifold" or "large-print"')
        return None
    data = _table(data, keypath, problems)
    allowed = {"title", "template", "pages", "max_pages", "orientation", "size", "min_font_pt"}
    _unknown_keys(data, allowed, keypath, problems)
    template = _get(
        data, "template", str, keypath, problems, default="", expected="a template file name"
    )
    if template:
        path = (root / "templates" / template).resolve()
        if not path.is_relative_to(root / "templates"):
            problems.add(
                f"{keypath}.template", f"must name a file inside templates/, got {template!r}"
            )
        elif not path.is_file():
            problems.add(f"{keypath}.template", f"templates/{template} does not exist")
    pages = _get(data, "pages", int, keypath, problems, required=False)
    max_pages = _get(data, "max_pages", int, keypath, problems, required=False)
    if (pages is None) == (max_pages is None):
        problems.add(
            keypath, "expected exactly one of pages (exact count) or max_pages (upper bound)"
        )
    for key, value in (("pages", pages), ("max_pages", max_pages)):
        if value is not None and not 1 <= value <= 100:
            problems.add(f"{keypath}.{key}", f"expected a whole number from 1 to 100, got {value}")
    size = _get(
        data, "size", list, keypath, problems, required=False, expected="[width, height] in inches"
    )
    if size is not None:
        ok = len(size) == 2 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and 0.5 <= v <= 50 for v in size
        )
        if not ok:
            problems.add(f"{keypath}.size", f"expected [width, height] in inches, got {size!r}")
            size = None
    min_font = _get(
        data, "min_font_pt", (int, float), keypath, problems, required=False, default=10.0
    )
    if not 4 <= min_font <= 72:
        problems.add(
            f"{keypath}.min_font_pt", f"expected a size from 4 to 72 points, got {min_font}"
        )
    return Leaflet(
        name=name,
        title=_get(data, "title", str, keypath, problems, default=name),
        template=template,
        pages=pages,
        max_pages=max_pages,
        orientation=_choice(
            data, "orientation", ("portrait", "landscape"), "portrait", keypath, problems
        ),
        size=tuple(float(v) for v in size) if size else None,
        min_font_pt=float(min_font),
    )


def _validate_edition(name: str, data: Any, problems: _Problems) -> Edition | None:
    keypath = f"editions.{name}"
    if not LEAFLET_NAME_RE.match(name):
        problems.add(keypath, 'expected a lower-case name such as "office" or "press"')
        return None
    data = _table(data, keypath, problems)
    allowed = {
        "title",
        "bleed_in",
        "safe_margin_in",
        "crop_marks",
        "pdf_x",
        "output_profiles",
        "output_condition",
    }
    _unknown_keys(data, allowed, keypath, problems)
    lengths = {}
    for key, default, top in (("bleed_in", 0.0, 0.5), ("safe_margin_in", 0.25, 1.0)):
        value = _get(data, key, (int, float), keypath, problems, required=False, default=default)
        if not 0 <= value <= top:
            problems.add(f"{keypath}.{key}", f"expected inches from 0 to {top}, got {value}")
            value = default
        lengths[key] = float(value)
    profiles = _get(
        data,
        "output_profiles",
        list,
        keypath,
        problems,
        required=False,
        default=[],
        expected="a list of absolute paths to CMYK .icc files",
    )
    if not all(isinstance(p, str) and Path(p).is_absolute() for p in profiles):
        problems.add(
            f"{keypath}.output_profiles", "expected a list of absolute paths to CMYK .icc files"
        )
        profiles = []
    pdf_x = _get(data, "pdf_x", bool, keypath, problems, required=False, default=False)
    if pdf_x and not profiles:
        problems.add(f"{keypath}.pdf_x", "needs output_profiles: PDF/X requires an output intent")
    return Edition(
        name=name,
        title=_get(data, "title", str, keypath, problems, default=name),
        bleed_in=lengths["bleed_in"],
        safe_margin_in=lengths["safe_margin_in"],
        crop_marks=_get(data, "crop_marks", bool, keypath, problems, required=False, default=False),
        pdf_x=pdf_x,
        output_profiles=tuple(Path(p) for p in profiles),
        output_condition=_get(
            data, "output_condition", str, keypath, problems, required=False, default=""
        ),
    )


def parse_phone(value: Any, keypath: str, problems: _Problems) -> Phone | None:
    if not isinstance(value, str):
        problems.add(
            keypath, f'expected a phone number such as "+1 340 719 0144", got {_describe(value)}'
        )
        return None
    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException as exc:
        problems.add(keypath, f"not a phone number ({exc}): {value!r}")
        return None
    if not phonenumbers.is_valid_number(number):
        problems.add(
            keypath,
            f"not a valid phone number: {value!r}; check the digits "
            '(write it with its area code, such as "+1 340 719 0144")',
        )
        return None
    rfc = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.RFC3966)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    # RFC 3966 gives dashed groups: tel:+1-888-373-7888. Toll-free numbers keep the leading 1.
    grouped = rfc.removeprefix("tel:+")
    toll_free = phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.TOLL_FREE
    if number.country_code == 1 and not toll_free:
        grouped = grouped.removeprefix("1-")
    return Phone(e164=e164, display=grouped)


def _short_code(value: Any, keypath: str, problems: _Problems) -> ShortCode | None:
    if not isinstance(value, str) or not re.fullmatch(r"\d{3,6}", value):
        problems.add(
            keypath, f'expected a short code of 3 to 6 digits such as "911", got {_describe(value)}'
        )
        return None
    return ShortCode(value)


def _parse_time(value: Any, keypath: str, problems: _Problems) -> time | None:
    if not isinstance(value, str) or not re.fullmatch(r"\d{2}:\d{2}", value):
        problems.add(keypath, f'expected a 24-hour time such as "09:00", got {_describe(value)}')
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        problems.add(keypath, f'expected a 24-hour time such as "09:00", got {_describe(value)}')
        return None


def _validate_contacts(data: dict, problems: _Problems) -> Contacts | None:
    _unknown_keys(data, {"hotline", "emergency", "offices"}, "", problems)
    hot = _table(_get(data, "hotline", dict, "", problems, default={}), "hotline", problems)
    allowed = {
        "name",
        "phone",
        "text_number",
        "text_keyword",
        "tty",
        "call_languages",
        "text_languages",
        "interpreter_languages",
    }
    _unknown_keys(hot, allowed, "hotline", problems)
    hotline = Hotline(
        name=_get(hot, "name", str, "hotline", problems, default=""),
        phone=parse_phone(hot.get("phone"), "hotline.phone", problems),
        text_number=_short_code(hot.get("text_number"), "hotline.text_number", problems),
        text_keyword=_get(hot, "text_keyword", str, "hotline", problems, default=""),
        tty=_short_code(hot.get("tty"), "hotline.tty", problems),
        call_languages=tuple(_get(hot, "call_languages", list, "hotline", problems, default=[])),
        text_languages=tuple(_get(hot, "text_languages", list, "hotline", problems, default=[])),
        interpreter_languages=_get(
            hot, "interpreter_languages", str, "hotline", problems, required=False, default=""
        ),
    )
    emergency = _table(
        _get(data, "emergency", dict, "", problems, default={}), "emergency", problems
    )
    _unknown_keys(emergency, {"phone"}, "emergency", problems)
    emergency_number = _short_code(emergency.get("phone"), "emergency.phone", problems)

    offices = []
    office_list = _get(
        data, "offices", list, "", problems, default=[], expected="one or more [[offices]] tables"
    )
    seen: set[str] = set()
    for index, office in enumerate(office_list):
        keypath = f"offices[{index}]"
        office = _table(office, keypath, problems)
        allowed = {
            "id",
            "name",
            "place",
            "street",
            "city",
            "region",
            "postal_code",
            "phone",
            "fax",
            "hours",
        }
        _unknown_keys(office, allowed, keypath, problems)
        office_id = _get(office, "id", str, keypath, problems, default=f"office-{index}")
        if office_id in seen:
            problems.add(f"{keypath}.id", f"duplicate office id {office_id!r}")
        seen.add(office_id)
        hours = []
        for h_index, spec in enumerate(_get(office, "hours", list, keypath, problems, default=[])):
            h_path = f"{keypath}.hours[{h_index}]"
            spec = _table(spec, h_path, problems)
            _unknown_keys(spec, {"days", "opens", "closes"}, h_path, problems)
            days = _get(spec, "days", list, h_path, problems, default=[])
            bad = [d for d in days if d not in WEEKDAYS]
            if bad or not days:
                problems.add(
                    f"{h_path}.days", f"expected day names from {', '.join(WEEKDAYS)}, got {days!r}"
                )
                continue
            opens = _parse_time(spec.get("opens"), f"{h_path}.opens", problems)
            closes = _parse_time(spec.get("closes"), f"{h_path}.closes", problems)
            if opens and closes and opens >= closes:
                problems.add(f"{h_path}.closes", "must be later than opens")
            if opens and closes:
                hours.append(
                    OpeningHours(tuple(sorted(WEEKDAYS.index(d) for d in set(days))), opens, closes)
                )
        fax = office.get("fax")
        offices.append(
            Office(
                id=office_id,
                name=_get(office, "name", str, keypath, problems, default=""),
                place=_get(office, "place", str, keypath, problems, default=""),
                street=_get(office, "street", str, keypath, problems, default=""),
                city=_get(office, "city", str, keypath, problems, default=""),
                region=_get(office, "region", str, keypath, problems, default=""),
                postal_code=_get(office, "postal_code", str, keypath, problems, default=""),
                phone=parse_phone(office.get("phone"), f"{keypath}.phone", problems),
                fax=(parse_phone(fax, f"{keypath}.fax", problems) if fax is not None else None),
                hours=tuple(hours),
            )
        )
    if problems:
        return None
    return Contacts(hotline=hotline, emergency=emergency_number, offices=tuple(offices))
