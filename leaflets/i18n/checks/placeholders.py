"""Placeholders in messages (`%(name)s`, `{name}`), and the contact facts a translation may not
add: the two rules that decide whether a translation is safe to print in place of its source.

The build drops a translation that breaks either rule, and prints its source instead;
`leaflets check` reports it at its line, and `leaflets status` counts it as untranslated. All of
them ask `formats_cleanly()` (or its parts, for the wording), so they always agree.

The placeholder rule: every placeholder of a translation is exactly one of its source's
tokens, with the same name and conversion, and no flag, width, precision or length the source
does not have. `%(number).0s` would print nothing where the number goes, `%(number)99999999s`
a hundred megabytes of spaces.

The contact-fact rule: every phone number, web and e-mail address comes from contacts.toml. A
translation may not add a digit group that could be dialled (three digits or more that its
source does not have, whatever separates them: `340/555/0199`, `340.555.0199`), put digits
right next to a placeholder or at either end of the message (where the template prints a
number: `1%(number)s` prints 1911), or add a domain name (`ayuda-trata.example/es`,
`www.…`), an e-mail address or a URL of any scheme.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A %-style directive as Python's `%` operator reads it: mapping key, flags, width, precision,
# length modifier and conversion. %% is a literal sign.
PERCENT_RE = re.compile(
    r"%(?:\((?P<name>[^()]*)\))?(?P<spec>[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*)?)?[hlL]?)"
    r"(?P<conv>[diouxXeEfFgGcrsa%])"
)
# {name}, {name!r}, {name:>10}; "{{" and "}}" are literal braces.
BRACE_RE = re.compile(
    r"\{\{|\}\}|\{(?P<name>[^{}!:]*)(?:!(?P<conv>[rsa]))?(?::(?P<spec>[^{}]*))?\}"
)
# Widths and precisions longer than this are never formatted, even to test a string: a width of
# 10**11 asks Python for 100 GB.
MAX_FORMAT_DIGITS = 3


@dataclass(frozen=True)
class Placeholder:
    """One placeholder exactly as written: `%(phone)s`, `%(number).0s` or `{phone}`."""

    style: str
    """"%" or "{"."""
    name: str
    conversion: str = ""
    spec: str = ""
    """Flags, width, precision and length (`.0`, `-5`, `l`); for {}, the format spec."""

    def __str__(self) -> str:
        if self.style == "{":
            conversion = f"!{self.conversion}" if self.conversion else ""
            spec = f":{self.spec}" if self.spec else ""
            return "{" + self.name + conversion + spec + "}"
        key = f"({self.name})" if self.name else ""
        return f"%{key}{self.spec}{self.conversion}"


def _tokens(text: str) -> list[tuple[re.Match, Placeholder]]:
    """Every placeholder with its match, in the order it is written."""
    found = []
    for match in PERCENT_RE.finditer(text):
        if match.group("conv") != "%":
            placeholder = Placeholder(
                "%", match.group("name") or "", match.group("conv"), match.group("spec")
            )
            found.append((match, placeholder))
    for match in BRACE_RE.finditer(text):
        if match.group(0) not in ("{{", "}}"):
            placeholder = Placeholder(
                "{", match.group("name") or "", match.group("conv") or "", match.group("spec") or ""
            )
            found.append((match, placeholder))
    return sorted(found, key=lambda item: item[0].start())


def find_placeholders(text: str) -> set[Placeholder]:
    """The %-style and {}-style placeholders in a string; %% and {{ }} are not placeholders."""
    return {placeholder for _, placeholder in _tokens(text)}


def placeholders_in_order(text: str) -> list[Placeholder]:
    """The placeholders as written, in order (repeats included)."""
    return [placeholder for _, placeholder in _tokens(text)]


def strip_placeholders(text: str, replacement: str = " ") -> str:
    """`text` with every placeholder replaced (by a space, unless told otherwise)."""
    return _replace_placeholders(text, replacement)


def _replace_placeholders(text: str, replacement: str) -> str:
    pieces, at = [], 0
    for match, _ in _tokens(text):
        if match.start() < at:  # a {…} inside a %(…) key, say: the first one wins
            continue
        pieces += [text[at : match.start()], replacement]
        at = match.end()
    return "".join(pieces) + text[at:]


def placeholders(text: str) -> set[str]:
    """Names of the %(name)s placeholders."""
    return {p.name for p in find_placeholders(text) if p.style == "%" and p.name}


def formats(text: str, names: set[str]) -> bool:
    """True when `text % {names}` works, as Jinja2's newstyle gettext will do at render time.

    A string with a width or precision over MAX_FORMAT_DIGITS digits is not formatted at all:
    it does not format cleanly, whatever Python would make of it."""
    if any(
        len(number) > MAX_FORMAT_DIGITS
        for match in PERCENT_RE.finditer(text)
        for number in re.findall(r"\d+", match.group("spec"))
    ):
        return False
    try:
        text % dict.fromkeys(names, "")
    except (ValueError, TypeError, KeyError, OverflowError, MemoryError):
        return False
    return True


# ---------------------------------------------------------------- contact facts


@dataclass(frozen=True)
class ContactFact:
    """A contact fact written into a message: what it is, and the text as written."""

    kind: str
    """"number", "domain name", "e-mail address", "URL", BESIDE (digits next to a printed
    value) or TOGETHER (two values with nothing but separators between them)."""
    text: str

    def __str__(self) -> str:
        return self.text


# Where a value is printed: a placeholder (_SLOT), or either end of the message (_EDGE), since
# the template may put a number beside it, after a space ("Tel." + " 340-719-0144").
_SLOT, _EDGE = "\ue000", "\ue001"
_SLOTS = _SLOT + _EDGE
# What a person skips when dialling: spaces, dashes, slashes, brackets, a plus, and the
# invisible characters that could hide a digit group from a plain pattern; and a dot on its own
# (340.555.0199), but not a full stop and a space, which end a sentence ("24 sou 24. 911").
_SEPARATOR = r"[\s\-\u2010-\u2015\u2212/\\()\[\]+\u00b7\u00ad\u200b-\u200d\u2060\ufeff_]"
_RUN_RE = re.compile(rf"[\d{_SLOTS}](?:(?:\.|{_SEPARATOR}{{0,3}})[\d{_SLOTS}])*")
DIALABLE_DIGITS = 3
"""A digit group of this many digits or more could be dialled (911, 711)."""

_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_DOMAIN_RE = re.compile(rf"(?<![\w.-])(?:{_LABEL}\.)+(?:[^\W\d_]{{2,63}}|xn--[\w-]+)(?![\w-])")
# Bounded repeats where a match may start at every word: a megabyte of text stays linear.
_EMAIL_RE = re.compile(
    r"(?<![^\s<>()\[\],;:\0])[^\s@<>()\[\],;:\0]{1,64}@\s*(?:\[[^\]\s]{1,64}\]|[\w-]+(?:\.[\w-]+)+)"
)
# The schemes written without "//" count too: "tel:%(phone)s" as a link's label would be read
# aloud as its address (and the audit refuses such a link).
_URL_RE = re.compile(r"\b[a-z][a-z0-9+.-]{0,31}://\S*|\b(?:mailto|tel|sms|callto):\S+", re.I)
_ABBREVIATION_RE = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}")
"""EE.UU, U.S.A, p.ej: labels of one or two letters are an abbreviation, not a domain."""


# A percentage, "100%" or "12,5 %": one to three digits, a value of at most 100, then the sign
# (written %% in a catalog). It is a quantity, never a number to dial.
_PERCENT_RE = re.compile(
    r"(?<![\d.,])(?P<value>\d{1,3}(?:[.,]\d{1,2})?)[ \u00a0\u202f]?(?P<sign>%%|%)(?!\d)"
)


def _without_percentages(text: str, sign: str, after_value: bool) -> str:
    """`text` with each percentage blanked out by a NUL (which joins no digit group). With
    `after_value` False, one written right after a digit or a placeholder (with only separators
    between) is kept, so it still counts as digits beside a number."""

    def blank(match: re.Match) -> str:
        value = float(match.group("value").replace(",", "."))
        before = re.sub(rf"(?:{_SEPARATOR}|\.)+$", "", text[: match.start()])[-1:]
        if match.group("sign") != sign or value > 100:
            return match.group(0)
        if not after_value and before and (before.isdigit() or before == _SLOT):
            return match.group(0)
        return "\0"

    return _PERCENT_RE.sub(blank, text)


def dialable_runs(text: str) -> list[str]:
    """The digit groups of a printed text that could be dialled, as written ("340/555/0199",
    "911"); a percentage ("100%") is not one."""
    normal = _without_percentages(unicodedata.normalize("NFKC", text), "%", after_value=True)
    return [
        match.group(0)
        for match in _RUN_RE.finditer(normal)
        if len(_run_key(match.group(0))) >= DIALABLE_DIGITS
    ]


def _run_key(run: str) -> str:
    """The digits (as ASCII) and slots of a run, without its separators."""
    return "".join(
        char if char in _SLOTS else str(unicodedata.decimal(char, ""))
        for char in run
        if char in _SLOTS or unicodedata.decimal(char, None) is not None
    )


def _slotted(text: str) -> str:
    """The message as the contact-fact rule reads it: placeholders and both ends as slots,
    in compatibility form (fullwidth ＠ and ３ are @ and 3)."""
    # A slot character written into the text itself is only a character: it prints as a box.
    text = text.replace(_SLOT, "\ufffd").replace(_EDGE, "\ufffd")
    slotted = f"{_EDGE} {_replace_placeholders(text, _SLOT)} {_EDGE}"
    return unicodedata.normalize("NFKC", slotted)


def contact_facts(text: str) -> list[ContactFact]:
    """Every dialable number, domain name, e-mail address and URL written into `text`."""
    return [fact for fact, _ in _facts(_slotted(text)) if fact.kind not in (BESIDE, TOGETHER)]


BESIDE = "digits beside a number"
TOGETHER = "values run together"


def _facts(slotted: str) -> list[tuple[ContactFact, str]]:
    """The facts of a slotted text, each with the key it is compared by: a run's digits and
    slots, or the lower-case text."""
    found: list[tuple[ContactFact, str]] = []
    rest = _without_percentages(slotted, "%%", after_value=False)
    # Each kind is blanked out once found (by NUL, which joins nothing), so that the digits of
    # an address are not reported again as a number.
    for kind, pattern in (("URL", _URL_RE), ("e-mail address", _EMAIL_RE)):
        for match in pattern.finditer(rest):
            text = match.group(0).strip(_SLOTS)
            found.append((ContactFact(kind, text), text.lower()))
        rest = pattern.sub("\0", rest)
    for match in _DOMAIN_RE.finditer(rest):
        name = match.group(0)
        path = rest[match.end() : match.end() + 1] == "/"
        if path or name.lower().startswith("www.") or not _ABBREVIATION_RE.fullmatch(name):
            found.append((ContactFact("domain name", name), name.lower()))
            rest = rest[: match.start()] + "\0" * len(name) + rest[match.end() :]
    for match in _RUN_RE.finditer(rest):
        key = _run_key(match.group(0))
        literal = len(key) - sum(key.count(slot) for slot in _SLOTS)
        if literal >= DIALABLE_DIGITS:
            found.append((ContactFact("number", _shown(match.group(0))), key))
        elif literal and (_SLOT in key or _EDGE in key):
            digits = re.sub(f"[{_SLOTS}]", " ", match.group(0))
            found.append((ContactFact(BESIDE, re.sub(_SEPARATOR, "", digits)), key))
        elif key.count(_SLOT) >= 2:  # two values printed as one: "911 911"
            found.append((ContactFact(TOGETHER, _shown(match.group(0))), key))
    return found


def _shown(run: str) -> str:
    """A run as the message quotes it: a placeholder inside it shown as "…"."""
    shown = run.strip(_SLOTS).strip().rstrip(".").strip()
    return shown.replace(_SLOT, "…").replace(_EDGE, "…")


def added_contact_facts(
    source: str, translation: str, allowed: frozenset[str] = frozenset()
) -> list[ContactFact]:
    """Numbers, domain names, e-mail addresses and URLs in a translation that its source does
    not have, and digits written beside a placeholder or at either end of the message.
    `allowed` holds the numbers a translator comment allows (`allowable_number`)."""
    known = {key for _, key in _facts(_slotted(source))}
    known |= {_run_key(m.group(0)) for m in _RUN_RE.finditer(_slotted(source))}
    added: list[ContactFact] = []
    for fact, key in _facts(_slotted(translation)):
        if key in known or fact in added:
            continue
        if fact.kind == "number" and fact.text in allowed and key.strip(_EDGE) == fact.text:
            continue  # one group of plain digits, next to no placeholder: a year, say
        added.append(fact)
    return added


def allowable_number(text: str) -> bool:
    """Whether a translator comment may allow this number (`# allow-number: 2026`): a group of
    three or four plain digits that is not a service number such as 911. Longer groups, and
    groups with separators, are dialled; they come from contacts.toml and nowhere else."""
    return bool(re.fullmatch(r"\d{3,4}", text)) and not re.fullmatch(r"\d11", text)


def plural_source(ids: tuple[str, ...] | list[str], index: int, nplurals: int) -> str:
    """The source string that plural form `index` translates: msgid for the first form of a
    language with several forms, msgid_plural for every other form."""
    return ids[0] if index == 0 and nplurals > 1 else ids[min(1, len(ids) - 1)]


def formats_cleanly(source: str, translation: str, allowed: frozenset[str] = frozenset()) -> bool:
    """True when a translation is safe to print in place of its source.

    It has exactly the source's placeholders, formats without error, and brings no contact
    fact of its own (a catalog is untrusted; contact facts come from contacts.toml).
    """
    if find_placeholders(translation) != find_placeholders(source):
        return False
    if formats(source, placeholders(source)) and not formats(translation, placeholders(source)):
        return False
    return not added_contact_facts(source, translation, allowed)
