"""Message checks: the mistakes a translator can make in one entry, as findings at file:line.

Every check is a plain function of one source and its translation; `check_message` runs them all
on one entry, so the studio checks each save and `leaflets check` each catalog the same way
(catalog_checks.py adds the checks of a whole catalog, project_checks.py those that need the
templates). An error is a translation that would print wrong: the build never prints one, it
prints the source instead and names it (`message_errors` is what it asks). A warning is style.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from pathlib import Path

from babel.messages.catalog import Message

from ...findings import Finding, Severity
from ...untrusted import forbidden_characters
from ..po.catalog import entry_problems
from ..po.messages import has_text
from ..po.write import unknown_flags
from .glossary import required_term_problems
from .memo import CheckMemo
from .placeholders import (
    BESIDE,
    TOGETHER,
    added_contact_facts,
    allowable_number,
    find_placeholders,
    formats,
    placeholders,
    plural_source,
    strip_placeholders,
)
from .placeholders import (
    placeholders_in_order as _in_order,
)
from .surroundings import Surroundings, surroundings_of
from .text import check_whitespace, text_checks
from .wrong_language import check_language, check_other_catalogs, check_source_words

# The marker that lets a translation equal its source (names, acronyms, numbers): a flag
# `#, allow-identical`, or a translator comment `# allow-identical` (Poedit's "comment" box).
ALLOW_IDENTICAL = "allow-identical"
# The marker that lets a translation carry a number its source lacks, one the translator means
# (a year): the translator comment `# allow-number: 2026`, listing the numbers.
ALLOW_NUMBER = "allow-number"
_ALLOW_NUMBER_RE = re.compile(rf"\b{ALLOW_NUMBER}\b[:\s]*((?:\d+[,;\s]*)+)", re.I)
# A length limit the template sets, in Weblate's words: `max-length:24` in the translator
# comment (a `#.` line, which gettext's tools keep) or as a `#,` flag.
MAX_LENGTH_RE = re.compile(r"(?<![\w-])max-length:(\d+)\b")

_MARKUP_RE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#[xX][0-9A-Fa-f]+);|url\(|[<>]", re.I)
_LETTERS_RE = re.compile(r"[^\W\d_]{2,}")


# ---------------------------------------------------------------- message checks


def check_placeholders(source: str, translation: str) -> list[str]:
    """Placeholders dropped, added, renamed or changed (a width, a precision, a flag), in both
    directions; and strings that do not format."""
    expected, found = find_placeholders(source), find_placeholders(translation)
    problems = []
    missing = sorted(expected - found, key=str)
    extra = sorted(found - expected, key=str)
    # A changed token is paired with the one it replaced: the source's token of the same name,
    # else the most alike of the source's tokens still missing, and of those alike the one in
    # the same place (the second placeholder of the source for the translation's second).
    order = (_order(source), _order(translation))
    for now in list(extra):
        was = next((p for p in missing if (p.style, p.name) == (now.style, now.name)), None)
        if was is None and missing:
            was = max(
                missing,
                key=lambda p: (
                    round(SequenceMatcher(None, str(p), str(now)).ratio(), 1),
                    order[0].get(p) == order[1].get(now),
                ),
            )
        if was is None:
            continue
        missing.remove(was)
        extra.remove(now)
        detail = (
            "no width, precision or flags"
            if (was.style, was.name) == (now.style, now.name)
            else "placeholders are never translated"
        )
        problems.append(f"{was} was changed to {now}; put back {was} exactly ({detail})")
    for was in missing:
        problems.append(f"placeholder {was} is missing; copy it from the source unchanged")
    for now in extra:
        if now.style == "%" and not now.name:
            problems.append("a lone % sign is read as a placeholder; write %% for a percent sign")
        else:
            problems.append(f"placeholder {now} is not in the source; remove it")
    names = placeholders(source)
    if not problems and formats(source, names) and not formats(translation, names):
        problems.append("does not format; write %% for a percent sign")
    return problems


def _order(text: str) -> dict:
    """Each placeholder's place among the text's placeholders (its first)."""
    found = dict.fromkeys(_in_order(text))
    return {p: i for i, p in enumerate(found)}


def check_markup(source: str, translation: str) -> list[str]:
    """Markup that the source does not have: tags, entities, CSS url()."""
    new = [m.group(0) for m in _MARKUP_RE.finditer(translation)]
    old = [m.group(0) for m in _MARKUP_RE.finditer(source)]
    for item in old:
        if item in new:
            new.remove(item)
    if not new:
        return []
    shown = ", ".join(dict.fromkeys(new))
    return [f"markup in a translation ({shown}) is printed as it is; write plain text"]


def check_newline_ends(source: str, translation: str) -> list[str]:
    """A line break at the start or end that the source lacks, or the other way round: msgfmt -c
    refuses the whole catalog for it (and Poedit checks it on save)."""
    problems = []
    for where, test in (("start", str.startswith), ("end", str.endswith)):
        if test(translation, "\n") and not test(source, "\n"):
            problems.append(
                f"the translation has a line break at the {where} and the English does not; "
                "delete it (msgfmt refuses the whole file otherwise)"
            )
        elif test(source, "\n") and not test(translation, "\n"):
            problems.append(
                f"the English has a line break at the {where} and the translation does not; "
                "add one (msgfmt refuses the whole file otherwise)"
            )
    return problems


def allowed_numbers(message: Message) -> frozenset[str]:
    """The numbers the entry's translator comments allow (`# allow-number: 2026`)."""
    found = set()
    for comment in message.user_comments:
        for match in _ALLOW_NUMBER_RE.finditer(comment):
            found.update(n for n in re.findall(r"\d+", match.group(1)) if allowable_number(n))
    return frozenset(found)


def check_contact_facts(
    source: str, translation: str, allowed: frozenset[str] = frozenset()
) -> list[str]:
    """A phone number, domain name, e-mail address or URL in a translation that the source
    does not have, or digits written where they would join a printed number.

    Every contact fact comes from contacts.toml; a catalog must not be able to change one, so
    the build drops such a translation too.
    """
    problems = []
    for fact in added_contact_facts(source, translation, allowed):
        if fact.kind == TOGETHER:
            problems.append(
                "two placeholders have only spaces or punctuation between them, so their values "
                "would read as one number; put a word between them, as the source does"
            )
        elif fact.kind == BESIDE:
            problems.append(
                f"{fact.text!r} is written next to a placeholder or at the start or end of the "
                "message, where it would print as part of a phone number; remove it or put "
                "words between"
            )
        else:
            advice = ""
            if fact.kind == "domain name":
                advice = " (if it is not an address, put a space after the full stop)"
            elif fact.kind == "number" and _allowing_helps(source, translation, allowed, fact):
                advice = (
                    f"; if you mean this number (a year, say), add the comment "
                    f"`# {ALLOW_NUMBER}: {fact.text}` to the entry"
                )
            problems.append(
                f"adds the {fact.kind} {fact.text!r}; the leaflet prints phone numbers and "
                f"addresses from the project's contact list, never from a translation: remove "
                f"it{advice}"
            )
    return problems


def _allowing_helps(source: str, translation: str, allowed: frozenset[str], fact) -> bool:
    """Whether `# allow-number` would let this number through (a plain group, no placeholder
    beside it), so that the message may suggest it."""
    if not allowable_number(fact.text):
        return False
    return fact not in added_contact_facts(source, translation, allowed | {fact.text})


def check_characters(translation: str) -> list[str]:
    """Control characters and direction overrides: a build refuses the catalog (untrusted.py)."""
    bad = forbidden_characters(translation)
    if not bad:
        return []
    return [
        f"contains {', '.join(bad)}; remove it: control and direction-override characters "
        "are not allowed"
    ]


def allows_identical(message: Message) -> bool:
    comments = [*message.user_comments, *message.auto_comments]
    return ALLOW_IDENTICAL in message.flags or any(
        re.search(rf"\b{ALLOW_IDENTICAL}\b", c, re.I) for c in comments
    )


def check_identical(source: str, translation: str, message: Message) -> list[str]:
    # Strings of placeholders and punctuation ("%(first)s–%(last)s") may well stay the same.
    if translation.strip() != source.strip() or not _LETTERS_RE.search(strip_placeholders(source)):
        return []
    if allows_identical(message):
        return []
    return [
        "translation is identical to the English source; translate it, or if it must stay the "
        f"same (a name, an acronym) add the comment `# {ALLOW_IDENTICAL}` to the entry"
    ]


def max_length(message: Message) -> int | None:
    """The template's length limit for the message, if it sets one."""
    for text in [*message.auto_comments, *message.flags]:
        match = MAX_LENGTH_RE.search(text)
        if match:
            return int(match.group(1))
    return None


def check_length(translation: str, limit: int | None) -> list[str]:
    if limit is None or len(translation) <= limit:
        return []
    return [
        f"is {len(translation)} characters long, but at most {limit} fit (max-length:{limit}); "
        "shorten it"
    ]


def check_flags(message: Message) -> list[str]:
    """Flags that GNU gettext's tools (msgmerge, msgcat, Poedit) silently drop."""
    problems = []
    for flag in unknown_flags(message.flags):
        if flag == ALLOW_IDENTICAL:
            problems.append(
                f"msgmerge and msgcat drop the flag `{flag}`; write it as a translator comment "
                f"instead: `# {ALLOW_IDENTICAL}`"
            )
        else:
            problems.append(
                f"msgmerge and msgcat drop the flag `{flag}`; remove it from the #, line"
            )
    return problems


def language_of(path: Path) -> str | None:
    """The language of locales/<lang>/LC_MESSAGES/messages.po, from its folder."""
    return path.parent.parent.name if path.parent.name == "LC_MESSAGES" else None


def check_message(
    message: Message, nplurals: int, path: Path, language: str | None = None
) -> list[Finding]:
    """The checks of one entry, run again only when something they read changed (memo.py)."""
    # Resolved before the memo's key: a compile asks without a language and `leaflets check`
    # with the folder's, and both must find the one entry kept for them.
    return _memo(message, nplurals, path, language or language_of(path))


def recall_checks(path: Path, recorded: object) -> None:
    """What the catalog's .mo recorded of its entries' checks: known without running them."""
    _memo.recall(path, recorded)


def stored_checks(messages: list[Message], nplurals: int, path: Path) -> dict[str, list]:
    """What a compiled catalog records of its entries' checks, for the next compile (memo.py)."""
    return _memo.stored(messages, nplurals, path, language_of(path))


def _check_message(
    message: Message, nplurals: int, path: Path, language: str | None = None
) -> list[Finding]:
    """The checks of one entry. Fuzzy and untranslated entries never print, so they are skipped.
    `language` (by default the catalog's folder) turns on its own checks, such as Spanish ¿."""
    line = message.lineno
    findings: list[Finding] = []
    label = _label(message)

    def add(problems: list[str], code: str, severity: Severity = Severity.ERROR, at=None) -> None:
        for problem in problems:
            findings.append(Finding(path, f"{label}: {problem}", severity, at or line, code=code))

    findings += check_entry_problems(message, path)
    if message.fuzzy and has_text(message):
        add(
            [
                "marked fuzzy, so it prints in English until someone checks it: compare it "
                "with the English, correct it, then remove the fuzzy mark"
            ],
            "fuzzy",
            Severity.WARNING,
        )
    if message.fuzzy or not message.string:
        return findings
    pairs = _pairs(message, nplurals, add)
    if pairs is None:
        return findings
    errors, warnings = text_checks(language or language_of(path))
    around = surroundings_of(path)
    limit = max_length(message)
    for source, translation in pairs:
        add(check_placeholders(source, translation), "placeholder")
        add(check_markup(source, translation), "markup")
        add(check_contact_facts(source, translation, allowed_numbers(message)), "contact")
        add(check_identical(source, translation, message), "identical")
        add(check_characters(translation), "character")
        add(check_length(translation, limit), "max-length")
        for code, check in errors:
            if code != "backslash" or not entry_problems(message):
                add(check(source, translation), code)
        for code, problems in _surrounding_checks(source, translation, message, around):
            add(problems, code)
        add(check_newline_ends(source, translation), "newline-ends")
        add(check_whitespace(source, translation), "whitespace", Severity.WARNING)
        for code, check in warnings:
            add(check(source, translation), code, Severity.WARNING)
    add(check_flags(message), "flag", Severity.WARNING)
    return findings


_memo = CheckMemo(_check_message)


def _surrounding_checks(
    source: str, translation: str, message: Message, around: Surroundings | None
) -> list[tuple[str, list[str]]]:
    """The checks that need the project around the catalog: required glossary terms, and text
    in the wrong language (wrong_language.py; the identifier only where the others find none)."""
    if around is None:
        return []
    found = [("glossary-required", required_term_problems(source, translation, around.terms))]
    if translation.strip() != source.strip():  # an identical text: check_identical's business
        found.append(("source-words", check_source_words(source, translation, around.kept)))
    found.append(("other-language", check_other_catalogs(source, translation, message, around)))
    if not any(problems for code, problems in found[1:]):
        found.append(("wrong-language", check_language(translation, around)))
    return found


def check_entry_problems(message: Message, path: Path) -> list[Finding]:
    """What reading the entry found (an escape the format lacks, a second entry for the same
    message): msgfmt refuses the whole file for these, fuzzy, obsolete or not."""
    return [
        Finding(
            path,
            f"{_label(message)}: {problem}",
            line=at,
            code="escape" if "escape" in problem else "duplicate",
        )
        for at, problem in entry_problems(message)
    ]


def _pairs(message: Message, nplurals: int, add) -> list[tuple[str, str]] | None:
    """(source, translation) for each filled-in form; the plural shape's own problems go to
    `add`. None when there is nothing to check."""
    if not isinstance(message.id, (list, tuple)):
        return [(message.id, message.string)]
    forms = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    if not any(f for f in forms):
        return None
    if len(forms) != nplurals:
        wanted = "msgstr[0] only" if nplurals == 1 else f"msgstr[0] to msgstr[{nplurals - 1}]"
        add(
            [
                f"has {len(forms)} plural form{'s' if len(forms) != 1 else ''} but the header's "
                f"Plural-Forms says nplurals={nplurals}; give {wanted}"
            ],
            "plural",
        )
    empty = [i for i, form in enumerate(forms) if not form.strip()]
    if empty:
        add([f"plural form msgstr[{i}] is empty; fill in every form" for i in empty], "plural")
    return [
        (plural_source(message.id, i, nplurals), form)
        for i, form in enumerate(forms)
        if form.strip()
    ]


def message_errors(message: Message, nplurals: int, path: Path) -> list[Finding]:
    """The errors of one entry: any one keeps the build from printing its translation."""
    return [f for f in check_message(message, nplurals, path) if f.severity is Severity.ERROR]


def _label(message: Message) -> str:
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    short = msgid if len(msgid) <= 40 else msgid[:37] + "..."
    context = f" ({message.context})" if message.context else ""
    return f"{short!r}{context}"


def is_translated(message: Message, nplurals: int, path: Path | None = None) -> bool:
    """Printable: what the build compiles (translations.printable_catalog): not fuzzy, some
    text, and no error from `leaflets check` (checks.message_errors). Anything less prints in
    English, so it is not translated. `path` (the catalog's) turns on its language's checks."""
    if message.fuzzy or not has_text(message):
        return False
    return not message_errors(message, nplurals, path or Path("messages.po"))
