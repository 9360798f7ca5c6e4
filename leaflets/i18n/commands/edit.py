"""Editing one translation in a catalog that other tools may be editing too (the studio's saves).

`save_translation()` reads the catalog as it is on disk at that moment, applies one edit, runs
the message checks of `leaflets check` on it (checks.check_message, so every check added there
applies here too), and writes the file through pofile.py's writer, keeping its header as it was.
A translation with an error is refused and nothing is written; warnings are returned and the
edit is saved.

Other programs (Poedit, a text editor) may save the same file at any time. The file is read
fresh for every edit and replaced only if it still holds what was read; otherwise the edit is
applied again to the new text, so another program's edits to other entries are kept. An edit
that says what it started from (`Edit.previous`) is refused with EditConflict when another
program changed that very entry in the meantime: the person sees the new text and decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.messages.catalog import Message

from ...config.model import Project
from ...config.paths import inside, read_project_file
from ...errors import CatalogError, FileRefused
from ...findings import Finding, Severity
from ...writing import replace_if_unchanged
from ..checks.message import check_message
from ..po.catalog import configured_width, not_translated, parse_catalog, po_bytes
from ..po.messages import message_key


@dataclass(frozen=True)
class Edit:
    """A new translation for one message."""

    context: str | None
    msgid: str
    strings: tuple[str, ...]
    """The msgstr, or one string per plural form."""
    previous: tuple[str, ...] | None = None
    """The translation the editor started from; None when the caller does not know it."""


@dataclass(frozen=True)
class EditResult:
    findings: list[Finding]
    """Warnings only: an edit with an error is refused."""
    changed: bool
    """False when the catalog already held exactly this translation."""
    line: int | None
    """The entry's line in the catalog after the edit (None unless asked for)."""
    before: tuple[str, ...] = ()
    """The translation the edit replaced, as the catalog held it."""


class EditRefused(CatalogError):
    """A check found an error in the new translation; the catalog was not written."""

    def __init__(self, findings: list[Finding], path, line):
        self.findings = findings
        first = next(f for f in findings if f.severity is Severity.ERROR)
        super().__init__(f"not saved: {first.message}", path, line)


class EditConflict(CatalogError):
    """Another program changed the same entry since the editor read it."""

    def __init__(self, message: str, path, line, current: tuple[str, ...]):
        self.current = current
        super().__init__(message, path, line)


class MessageNotFound(CatalogError):
    """The catalog has no such entry (or only an obsolete one)."""


def strings_of(message: Message) -> tuple[str, ...]:
    if isinstance(message.string, (list, tuple)):
        return tuple(s or "" for s in message.string)
    return (message.string or "",)


def find_message(catalog, context: str | None, msgid: str, path) -> Message:
    message = catalog.get(msgid, context=context)
    if message is None or not message.id:
        where = f" (context {context!r})" if context else ""
        raise MessageNotFound(
            f"no msgid {msgid!r}{where} in this catalog; run `leaflets update` if the templates "
            "have it",
            path,
        )
    return message


def save_translation(
    project: Project, lang: str, edit: Edit, attempts: int = 5, *, line: bool = True
) -> EditResult:
    """Check `edit` and write it into the language's catalog; see the module's docstring.
    `line=False` skips reading the catalog again for the entry's new line (the studio's saves,
    which do not show it)."""
    language = project.languages.get(lang)
    if language is None or language.source:
        raise not_translated(project, lang)
    path = project.po_path(lang)
    inside(project.root, path)
    for _ in range(attempts):
        try:
            raw = read_project_file(path, "catalog")
        except FileNotFoundError:
            raise CatalogError(f"catalog not found; run `leaflets init {lang}`", path) from None
        catalog = parse_catalog(raw, path)
        message = find_message(catalog, edit.context, edit.msgid, path)
        _check_shape(message, edit, catalog.num_plurals, path)
        before = strings_of(message)
        if edit.previous is not None and edit.previous != before:
            raise EditConflict(
                "this translation was changed in another program since you opened it; it now "
                f"reads {' / '.join(before)!r}. Look at it, then edit again",
                path,
                message.lineno,
                before,
            )
        was_fuzzy = message.fuzzy
        _apply(message, edit)
        findings = check_message(message, catalog.num_plurals, path)
        if any(f.severity is Severity.ERROR for f in findings):
            raise EditRefused(findings, path, message.lineno)
        if before == edit.strings and not was_fuzzy:
            return EditResult(findings, changed=False, line=message.lineno, before=before)
        if replace_if_unchanged(path, raw, po_bytes(catalog, raw, configured_width(project))):
            after = _line_after(path, message) if line else None
            return EditResult(findings, changed=True, line=after, before=before)
    raise CatalogError("the catalog keeps changing while being saved; try again", path)


def _check_shape(message: Message, edit: Edit, nplurals: int, path) -> None:
    plural = isinstance(message.id, (list, tuple))
    wanted = nplurals if plural else 1
    if len(edit.strings) != wanted:
        kind = f"{nplurals} plural forms" if plural else "one string"
        raise CatalogError(
            f"msgid {edit.msgid!r} takes {kind}, got {len(edit.strings)}", path, message.lineno
        )


def _apply(message: Message, edit: Edit) -> None:
    """The new translation; a person who saves it has checked it, so it is no longer fuzzy."""
    message.string = (
        list(edit.strings) if isinstance(message.id, (list, tuple)) else edit.strings[0]
    )
    message.flags.discard("fuzzy")
    message.previous_id = []
    message.previous_context = None  # the `#|` lines go with the fuzzy mark


def _line_after(path, message: Message) -> int | None:
    try:
        catalog = parse_catalog(read_project_file(path, "catalog"), path)
    except (OSError, CatalogError, FileRefused):
        return None
    key = message_key(message)
    found = next((m for m in catalog if m.id and message_key(m) == key), None)
    return found.lineno if found else None
