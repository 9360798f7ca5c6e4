"""Placeholders in messages: `%(name)s` and `{name}`, and contact facts a translation may not add.

The build drops a translation whose placeholders differ from its source, and `leaflets check`
reports it; both use these functions, so they always agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Every %-style conversion, named or not, with flags, width and precision; %% is a literal sign.
PERCENT_RE = re.compile(
    r"%(?:\((?P<name>\w+)\))?(?P<spec>[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?)"
    r"(?P<conv>[diouxXeEfFgGcrsa%])"
)
# {name}, {name!r}, {name:>10}; "{{" and "}}" are literal braces.
BRACE_RE = re.compile(r"\{\{|\}\}|\{(?P<name>[^{}!:]*)(?:![rsa])?(?::[^{}]*)?\}")
# Contact facts: they come from contacts.toml, never from a catalog.
URL_RE = re.compile(r"\b(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)
PHONE_RE = re.compile(r"\+?\d[\d\s().\u2010-\u2013-]{5,}\d")


@dataclass(frozen=True)
class Placeholder:
    """One placeholder as a translator sees it: `%(phone)s` or `{phone}`."""

    style: str
    """"%" or "{"."""
    name: str
    conversion: str = ""

    def __str__(self) -> str:
        if self.style == "{":
            return "{" + self.name + "}"
        return f"%({self.name}){self.conversion}" if self.name else f"%{self.conversion}"


def find_placeholders(text: str) -> set[Placeholder]:
    """The %-style and {}-style placeholders in a string; %% and {{ }} are not placeholders."""
    found: set[Placeholder] = set()
    for match in PERCENT_RE.finditer(text):
        if match.group("conv") != "%":
            found.add(Placeholder("%", match.group("name") or "", match.group("conv")))
    for match in BRACE_RE.finditer(text):
        if match.group(0) not in ("{{", "}}"):
            found.add(Placeholder("{", match.group("name") or ""))
    return found


def strip_placeholders(text: str) -> str:
    return BRACE_RE.sub(" ", PERCENT_RE.sub(" ", text))


def placeholders(text: str) -> set[str]:
    """Names of the %(name)s placeholders."""
    return {p.name for p in find_placeholders(text) if p.style == "%" and p.name}


def formats(text: str, names: set[str]) -> bool:
    """True when `text % {names}` works, as Jinja2's newstyle gettext will do at render time."""
    try:
        text % dict.fromkeys(names, "")
    except (ValueError, TypeError, KeyError):
        return False
    return True


def added_contact_facts(source: str, translation: str) -> list[str]:
    """Phone numbers, web and e-mail addresses in a translation that its source does not have."""
    text = strip_placeholders(translation)
    facts = [m.group(0) for m in URL_RE.finditer(text) if m.group(0) not in source]
    source_digits = re.sub(r"\D", "", source)
    for match in PHONE_RE.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if len(digits) >= 7 and digits not in source_digits:
            facts.append(match.group(0))
    return facts


def plural_source(ids: tuple[str, ...] | list[str], index: int, nplurals: int) -> str:
    """The source string that plural form `index` translates: msgid for the first form of a
    language with several forms, msgid_plural for every other form."""
    return ids[0] if index == 0 and nplurals > 1 else ids[min(1, len(ids) - 1)]


def formats_cleanly(source: str, translation: str) -> bool:
    """True when a translation is safe to print in place of its source.

    It has exactly the source's placeholders, formats without error, and brings no phone
    number or address of its own (a catalog is untrusted; contact facts come from contacts.toml).
    """
    if find_placeholders(translation) != find_placeholders(source):
        return False
    if formats(source, placeholders(source)) and not formats(translation, placeholders(source)):
        return False
    return not added_contact_facts(source, translation)
