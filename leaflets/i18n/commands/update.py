"""The translator workflow: extract the messages into locales/messages.pot, and merge them into
every catalog (`leaflets extract`, `leaflets update`).

Everything goes through Babel's Python API with the mapping in the project's babel.cfg, so that
`pybabel extract -F babel.cfg` does the same thing as `leaflets extract`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import jinja2
from babel import __version__ as babel_version
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, check_and_call_extract_file
from babel.messages.frontend import parse_mapping_cfg

from ... import __version__
from ...config.model import Project
from ...config.paths import inside, read_project_file
from ...errors import CatalogError, FileRefused
from ...writing import write_atomic
from ..checks.placeholders import find_placeholders
from ..po.catalog import (
    configured_width,
    header_date,
    parse_catalog,
    po_bytes,
    set_header_field,
    translated_languages,
)
from ..po.messages import first, has_text, message_key
from ..po.write import FORMAT_LANGUAGES

COMMENT_TAGS = ("Translators:",)
PROJECT_NAME = "leaflets"

# ---------------------------------------------------------------- extract


def babel_cfg_path(project: Project) -> Path:
    return project.root / "babel.cfg"


def extract(project: Project) -> Catalog:
    """Extract every message from the templates into a Catalog, as pybabel would."""
    cfg = babel_cfg_path(project)
    try:
        with inside(project.root, cfg).open(encoding="utf-8") as fileobj:
            method_map, options_map = parse_mapping_cfg(fileobj, str(cfg))
    except FileNotFoundError:
        raise CatalogError(
            "babel.cfg not found; it maps templates to the jinja2 extractor", cfg
        ) from None
    catalog = Catalog(
        project=PROJECT_NAME,
        version=None,
        charset="utf-8",
        msgid_bugs_address=None,
        creation_date=_epoch_date(project),
    )
    # Jinja's extractor skips a template with a syntax error silently by default: its messages
    # would vanish from the catalogs (moved to #~). Stop and name the template instead.
    for pattern, method in method_map:
        if "jinja2" in method:
            options_map.setdefault(pattern, {}).setdefault("silent", "false")
    current: list[str] = []

    def note_file(filename: str, method: str, options: dict) -> None:
        # Called before each file is read: a template linked outside the project is not, nor
        # a FIFO (which would block) or a file over the templates' size bound.
        real = inside(project.root, project.root / filename)
        read_project_file(real, "template")
        current[:] = [filename]

    found = (
        result
        for path in _project_files(project.root, [pattern for pattern, _ in method_map])
        for result in check_and_call_extract_file(
            path,
            method_map,
            options_map,
            note_file,
            DEFAULT_KEYWORDS,
            COMMENT_TAGS,
            strip_comment_tags=True,
            dirpath=project.root,
        )
    )
    try:
        extracted = list(found)
    except jinja2.TemplateSyntaxError as exc:
        where = project.root / current[0] if current else None
        raise CatalogError(
            f"template syntax error: {exc.message}; fix the template, then run this again "
            "(no catalog was changed)",
            where,
            exc.lineno,
        ) from None
    _add_extracted(catalog, extracted)
    catalog.po_header = template_header(project, catalog)
    return catalog


def _add_extracted(catalog: Catalog, extracted: list) -> None:
    """Add Babel's extracted messages, flagged the way gettext checks placeholders."""
    for filename, lineno, message, comments, context in extracted:
        # A translator comment over several template lines becomes one #. line each.
        lines = [line.strip() for comment in comments for line in comment.splitlines()]
        catalog.add(message, None, [(filename, lineno)], auto_comments=lines, context=context)
    for added in catalog:
        # python-format is the flag gettext checks placeholders by; Babel's own guess would
        # also flag "50% of" (a "% o" conversion) and {names}.
        added.flags -= {"python-format", "python-brace-format"}
        if added.id and _has_named_placeholder(first(added.id)):
            added.flags.add("python-format")


def template_header(project: Project, catalog: Catalog) -> Message:
    """The header of locales/messages.pot, as xgettext writes a template's: the fields a
    translation tool fills in when it starts a catalog are left as gettext's placeholders."""
    fields = [
        ("Project-Id-Version", f"{PROJECT_NAME} {__version__}"),
        ("POT-Creation-Date", header_date(catalog.creation_date)),
        ("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"),
        ("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
        ("Language-Team", "LANGUAGE <LL@li.org>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("Generated-By", f"Babel {babel_version}"),
    ]
    comments = [
        f"Translations template for {PROJECT_NAME}.",
        f"Copyright (C) {catalog.creation_date.year} {project.organisation}",
        f"This file is distributed under the same license as the {PROJECT_NAME} project.",
        "",
    ]
    header = Message("", "".join(f"{k}: {v}\n" for k, v in fields), user_comments=comments)
    header.flags = {"fuzzy"}
    return header


def _project_files(root: Path, patterns: list[str]) -> list[str]:
    """Every file of the project, as Babel's extract_from_dir lists them, except that a link to
    a folder inside the project (templates/ → src/templates/) is followed. A folder that leaves
    the project is an error where babel.cfg's patterns could match in it, and skipped elsewhere."""
    files: list[str] = []
    seen: set[str] = set()
    for folder, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:  # a link back up the tree: walked already
            dirnames[:] = []
            continue
        seen.add(real)
        # Babel skips folders whose name starts with "." or "_" (.venv, __pycache__).
        kept = []
        for name in sorted(d for d in dirnames if not d.startswith((".", "_"))):
            path = Path(folder) / name
            if Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):
                kept.append(name)
            elif _may_hold(path.relative_to(root).as_posix(), patterns):
                inside(root, path)  # raises, naming the link
        dirnames[:] = kept
        files += [os.path.join(folder, name) for name in sorted(filenames)]
    return files


def _may_hold(folder: str, patterns: list[str]) -> bool:
    """Whether a mapping pattern ("templates/**.j2") could match a file under `folder`."""
    return any(
        pattern.startswith(folder + "/") or any(c in pattern.split("/")[0] for c in "*?[")
        for pattern in patterns
    )


def write_template(project: Project, catalog: Catalog) -> Path:
    """Write locales/messages.pot, leaving it untouched when no message changed.

    extract() reuses the old POT-Creation-Date; a real change gets today's date (or
    SOURCE_DATE_EPOCH's), so the date says when the messages last changed.
    """
    data = template_bytes(catalog)
    path = project.pot_path
    inside(project.root, path)
    if path.exists() and read_project_file(path, "catalog") == data:
        return path
    if not os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        catalog.creation_date = datetime.now(UTC).replace(microsecond=0)
        set_header_field(catalog, "POT-Creation-Date", header_date(catalog.creation_date))
        data = template_bytes(catalog)
    write_atomic(path, data)
    return path


def template_bytes(catalog: Catalog) -> bytes:
    return po_bytes(catalog)


def _epoch_date(project: Project) -> datetime:
    # A fixed date keeps the template byte-identical when no message changed.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    if inside(project.root, project.pot_path).exists():
        try:
            pot = read_project_file(project.pot_path, "catalog")
            return parse_catalog(pot, project.pot_path).creation_date
        except (CatalogError, OSError, FileRefused):
            pass
    return datetime.now(UTC).replace(microsecond=0)


def _has_named_placeholder(text: str) -> bool:
    return any(p.style == "%" and p.name for p in find_placeholders(text))


# ---------------------------------------------------------------- update


@dataclass(frozen=True)
class UpdateResult:
    """What `update` did to one language's catalog."""

    language: str
    path: Path
    changed: bool
    """False when the file was left byte-for-byte as it was."""
    missing: bool = False
    """No catalog yet: `leaflets init LANG` starts one."""
    added: int = 0
    """New messages, untranslated."""
    fuzzy: int = 0
    """Messages that became fuzzy: a changed source string with the old translation kept."""
    obsoleted: int = 0
    """Messages no longer in the templates, kept as `#~` entries."""
    revived: int = 0
    """`#~` entries whose message came back, restored with their translation."""


def refresh_template(project: Project) -> Catalog:
    """Extract the messages and write locales/messages.pot (untouched when nothing changed)."""
    template = extract(project)
    write_template(project, template)
    return template


def update_catalogs(project: Project, template: Catalog | None = None) -> list[UpdateResult]:
    """Merge the template into every language's catalog, as `pybabel update` would, losing nothing."""
    template = template if template is not None else refresh_template(project)
    return [update_catalog(project, lang, template) for lang in translated_languages(project)]


def update_catalog(
    project: Project, lang: str, template: Catalog, *, dry_run: bool = False
) -> UpdateResult:
    """Merge the template into one catalog, as `msgmerge --previous` does.

    Changed strings become fuzzy and keep the previous msgid (`#|`, with `#| msgctxt`): the one
    the translation was made for, however often the source changed since. Removed strings stay
    as obsolete `#~` entries; an obsolete entry whose message returns is restored. When no
    entry changes, the file is not written at all; when some do, only those are rewritten
    (pofile.po_bytes), so a file another tool wrapped keeps its own wrapping elsewhere. With
    `dry_run`, nothing is written: the result says what would change.
    """
    path = project.po_path(lang)
    if not inside(project.root, path).exists():
        return UpdateResult(lang, path, changed=False, missing=True)
    raw = read_project_file(path, "catalog")
    before = parse_catalog(raw, path)
    catalog = parse_catalog(raw, path)
    before_keys = {message_key(m): m for m in before if m.id}

    revived = _revive_obsolete(catalog, template)
    definitions = {message_key(m): m for m in [*catalog, *catalog.obsolete.values()] if m.id}
    catalog.update(template, update_header_comment=False, update_creation_date=False)
    _follow_template_flags(catalog, template)
    _restore_history(catalog, definitions)
    for key, message in list(catalog.obsolete.items()):
        if key not in before.obsolete and not has_text(message):
            del catalog.obsolete[key]  # a newly obsolete, untranslated entry holds no work
    if po_bytes(catalog) == po_bytes(before):
        return UpdateResult(lang, path, changed=False)
    catalog.creation_date = template.creation_date
    set_header_field(catalog, "POT-Creation-Date", header_date(template.creation_date))
    if not dry_run:
        write_atomic(path, po_bytes(catalog, raw, configured_width(project)))

    after_keys = {message_key(m): m for m in catalog if m.id}
    newly_fuzzy = sum(
        1
        for key, m in after_keys.items()
        if m.fuzzy and not (key in before_keys and before_keys[key].fuzzy)
    )
    added = sum(1 for key, m in after_keys.items() if key not in before_keys and not has_text(m))
    return UpdateResult(
        lang,
        path,
        changed=True,
        added=added,
        fuzzy=newly_fuzzy,
        obsoleted=max(0, len(catalog.obsolete) - len(before.obsolete) + revived),
        revived=revived,
    )


def _follow_template_flags(catalog: Catalog, template: Catalog) -> None:
    """Format flags come from the template, as in msgmerge; Babel keeps the old ones too."""
    wanted = {message_key(m): m.flags for m in template if m.id}
    for message in catalog:
        if message.id and message_key(message) in wanted:
            kept = {f for f in message.flags if not _is_format_flag(f)}
            formats = {f for f in wanted[message_key(message)] if _is_format_flag(f)}
            message.flags = kept | formats


def _is_format_flag(flag: str) -> bool:
    name = flag.removeprefix("no-").removeprefix("possible-").removesuffix("-format")
    return flag.endswith("-format") and name in FORMAT_LANGUAGES


def _restore_history(catalog: Catalog, definitions: dict) -> None:
    """The `#|` lines msgmerge writes: a fuzzy entry shows the source its translation was made
    for, that is the old entry's msgctxt and msgid, or, if the old entry was fuzzy already, its
    own `#|` lines. Babel writes the intermediate msgid and drops `#| msgctxt`. An entry whose
    source changed back to the very string its translation was made for is not fuzzy."""
    for message in catalog:
        if not message.id:
            continue
        if not message.fuzzy or not has_text(message):
            message.previous_id, message.previous_context = [], None
            continue
        old = _definition(message, definitions)
        if old is None:
            continue
        if old.fuzzy:
            ids, context = list(old.previous_id or []), getattr(old, "previous_context", None)
            if ids and ids == _ids(message) and context == message.context:
                message.flags.discard("fuzzy")
                ids, context = [], None
        else:
            ids, context = _ids(old), old.context
        message.previous_id, message.previous_context = ids, context


def _definition(message, definitions: dict):
    """The old entry a merged entry took its translation from (Babel does not say)."""
    key = message_key(message)
    if key in definitions:
        return definitions[key]
    if not message.previous_id:
        return None
    was = message.previous_id[0]
    return next(
        (m for m in definitions.values() if first(m.id) == was and m.string == message.string),
        None,
    )


def _ids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


def _revive_obsolete(catalog: Catalog, template: Catalog) -> int:
    """Move `#~` entries whose message is back in the template into the catalog again."""
    wanted = {message_key(m) for m in template if m.id}
    revived = 0
    for key, message in list(catalog.obsolete.items()):
        if message_key(message) in wanted and message_key(message) not in catalog:
            del catalog.obsolete[key]
            catalog[message.id] = message
            revived += 1
    return revived
