"""Naming the message to shorten when a region overflows: which msgid printed which text.

fit.py asks only when a region does not fit; the error then says the overflow in points and the
msgid to shorten, so that a translator knows which entry of the catalog to edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config.model import Project
from ..config.paths import inside, read_project_file
from ..config.toml_lines import TomlIndex, parse_toml
from ..config.validation import keypath, strings
from ..errors import LeafletsError, display_path
from ..i18n.checks.placeholders import PERCENT_RE
from ..i18n.po.catalog import read_catalog
from ..i18n.translations import Translations
from .measure import RegionFit
from .text_compare import squash

# How much of a message's text must be found in a region for the message to be in it.
MATCHED_PREFIX = 200
# A contact fact longer than this (a street, an office's name) is the likelier cause of an
# overflow than a translation: the council's longest is 30 characters.
LONG_FACT = 40


@dataclass(frozen=True)
class ContactFact:
    """A string of contacts.toml as it prints: where it is written, and its text."""

    where: str
    """"contacts.toml:21: offices[0].street", as an editor jumps to it."""
    text: str


def contact_facts(project: Project) -> list[ContactFact]:
    """Every string of contacts.toml, with its file, line and key path."""
    path = project.contacts_path
    try:
        text = read_project_file(inside(project.root, path), "configuration").decode("utf-8")
        data = parse_toml(text)
    except (LeafletsError, OSError, ValueError):
        return []
    index = TomlIndex(text.splitlines())
    found = []
    for loc, value in strings(data):
        key = keypath(loc)
        line = index.line_of(key)
        where = f"{display_path(path)}:{line}: {key}" if line else f"{display_path(path)}: {key}"
        found.append(ContactFact(where, value))
    return found


class MessageIndex:
    """Which msgid printed which text, so that a cut-off paragraph can be traced to its msgid.

    Built only when a region overflows, from the template catalog (messages.pot) and the
    language's translations.
    """

    def __init__(self, texts: dict[str, str], facts: list[ContactFact] | None = None):
        self.seen = texts
        """msgid → the text it prints as (placeholders not filled in)."""
        self.facts = facts or []
        """contacts.toml's strings: an overflow may be theirs, not a translation's."""

    @classmethod
    def load(cls, project: Project, translations: Translations) -> MessageIndex:
        facts = contact_facts(project)
        try:
            template = read_catalog(inside(project.root, project.pot_path))
        except LeafletsError:
            return cls({}, facts)
        # Ask through the gettext API, so that computed translations (the pseudo-locale) work
        # too; these look-ups are not part of the leaflet, so they must not count as fallbacks.
        fallbacks = set(translations.fallbacks)
        texts: dict[str, str] = {}
        try:
            for message in template:
                if not message.id:
                    continue
                if isinstance(message.id, str):
                    msgid = message.id
                    text = (
                        translations.pgettext(message.context, msgid)
                        if message.context
                        else translations.gettext(msgid)
                    )
                else:
                    msgid = message.id[0]
                    text = (
                        translations.npgettext(message.context, msgid, message.id[1], 1)
                        if message.context
                        else translations.ngettext(msgid, message.id[1], 1)
                    )
                texts[msgid] = text
        finally:
            translations.fallbacks.clear()
            translations.fallbacks.update(fallbacks)
        return cls(texts, facts)

    def long_fact(self, region: RegionFit) -> ContactFact | None:
        """The longest contacts.toml string over LONG_FACT characters printed in the region."""
        flat = squash(region.text or "")
        found = [
            f
            for f in self.facts
            if len(f.text) > LONG_FACT and squash(f.text)[:MATCHED_PREFIX] in flat
        ]
        return max(found, key=lambda f: len(f.text), default=None)

    def msgids_in(self, text: str) -> list[str]:
        """The msgids whose rendered text appears in `text`, longest text first."""
        flat = squash(text)
        found = []
        for msgid, rendered in self.seen.items():
            # Placeholders are filled in after gettext: match the literal parts around them.
            literal = PERCENT_RE.sub(lambda m: "%" if m.group("conv") == "%" else "\0", rendered)
            chunks = [squash(c) for c in literal.split("\0")]
            # A long text may run past the end of what was laid out (the natural layout is one
            # tall page): its start is enough to know it is there.
            chunks = [c[:MATCHED_PREFIX] for c in chunks if c]
            if chunks and all(c in flat for c in chunks):
                found.append((sum(map(len, chunks)), msgid))
        return [msgid for _, msgid in sorted(found, key=lambda item: -item[0])]

    def culprit(self, region: RegionFit) -> str | None:
        """The msgid to shorten: the region's message that grew most in translation, else the
        message of the paragraph cut by the bottom edge (in the source language nothing grew)."""
        grown = [(len(self.seen[m]) - len(m), m) for m in self.msgids_in(region.text or "")]
        grown = [item for item in grown if item[0] > 0]
        if grown:
            return max(grown, key=lambda item: item[0])[1]
        for paragraph in region.paragraphs:
            found = self.msgids_in(paragraph) or self.msgids_holding(paragraph)
            if found:
                return found[0]
        return None

    def msgids_holding(self, fragment: str) -> list[str]:
        """The msgids whose rendered text holds `fragment`: a paragraph split across columns
        leaves only its end past the last one."""
        flat = squash(fragment)
        if len(flat) < 20:
            return []
        return [msgid for msgid, rendered in self.seen.items() if flat in squash(rendered)]


def shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def overflow_message(
    label: str, regions: list[RegionFit], index: MessageIndex, floor_pt: float | None
) -> str:
    lines = []
    for region in regions:
        verb = ("are", "overflow", "their") if region.plural else ("is", "overflows", "its")
        if region.moved:
            lines.append(
                f"{label}: {region.label} {verb[0]} pushed off {verb[2]} page; check the template"
            )
            continue
        if region.too_wide_px > 0 and region.overflow_px <= 0:
            detail = f"{verb[0]} too wide by {region.overflow_pt} pt"
        else:
            noun = "line" if region.lines == 1 else "lines"
            detail = f"{verb[1]} by {region.overflow_pt} pt ({region.lines} {noun})"
        if floor_pt is not None:
            detail += f" even at the {floor_pt:g} pt floor"
        msgid = index.culprit(region)
        text = next((p for p in region.paragraphs if p.strip()), None)
        if (fact := index.long_fact(region)) is not None:
            advice = f'shorten {fact.where} ("{shorten(fact.text, 40)}")'
        elif msgid is not None:
            advice = f'shorten msgid "{shorten(msgid)}"'
        elif text is not None:
            advice = f'shorten the text "{shorten(text)}"'
        else:
            advice = "make its content smaller"
        if floor_pt is None:
            advice += " or run with --fit"
        lines.append(f"{label}: {region.label} {detail}; {advice}")
    return "\n".join(lines)
