"""Helpers for tests that feed a build untrusted input: catalogs written on the fly, and a
record of every file the build opens (through Python's audit hooks)."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

import babel
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

import leaflets
from leaflets.config import project as project_mod
from leaflets.config.fonts import font_files
from leaflets.config.model import DEFAULT_FONTS
from leaflets.errors import LeafletsError
from leaflets.i18n.checks import language_id

# Audit hooks cannot be removed, so one hook is installed for the session and records only
# while a recorder is active.
_active: list[list[tuple[str, str]]] = []


def _hook(event: str, args: tuple) -> None:
    if _active and event in ("open", "socket.connect", "socket.getaddrinfo", "urllib.Request"):
        target = args[0] if args else ""
        for record in _active:
            record.append((event, str(target)))


sys.addaudithook(_hook)


@contextmanager
def recorded_access() -> Iterator[list[tuple[str, str]]]:
    """Every (event, target) of file opens and network use inside the block."""
    # The language check's model (site-packages, unpacked through /tmp) is read once per
    # process, on the first long sentence: read it first, so that what is recorded does not
    # depend on which test ran before.
    language_id._identifier()
    record: list[tuple[str, str]] = []
    _active.append(record)
    try:
        yield record
    finally:
        _active.remove(record)


def outside_opens(record: list[tuple[str, str]], root: Path) -> list[tuple[str, str]]:
    """Accesses other than files under the project, the font packages it declares, CLDR's data
    (Babel's), and WeasyPrint's font cache in the temporary folder. Network use is always
    outside."""
    try:
        families = project_mod.load(root).declared_fonts
    except LeafletsError:  # a project the test made unloadable declares only the default
        families = DEFAULT_FONTS
    allowed = [root.resolve(), *{p.resolve().parent for p in font_files(families).values()}]
    allowed.append((Path(babel.__file__).parent / "locale-data").resolve())
    # leaflets' own source: a cache key may hash the code that makes the PDFs.
    allowed.append(Path(leaflets.__file__).resolve().parent)
    # Python reads its own modules (lazy imports) from the interpreter's and the venv's folders.
    code = [Path(p).resolve() for p in {sys.prefix, sys.base_prefix, sys.exec_prefix}]
    code += [Path(p).resolve() for p in sys.path if p and Path(p).is_dir() and "site-packages" in p]
    tmp = Path(tempfile.gettempdir()).resolve()
    bad = []
    for event, target in record:
        if event != "open":
            bad.append((event, target))
            continue
        if target.isdigit():  # a file descriptor that was already open
            continue
        path = Path(target).resolve()
        if any(path.is_relative_to(a) for a in allowed):
            continue
        if target.endswith((".py", ".pyc", ".so")) and any(path.is_relative_to(c) for c in code):
            continue
        # WeasyPrint hands fonts to fontconfig through its own temporary folder.
        weasy = next((p for p in (path, path.parent) if p.name.startswith("weasyprint-")), None)
        if weasy is not None and weasy.parent == tmp:
            continue
        bad.append((event, target))
    return bad


def write_catalog(
    root: Path, lang: str, entries: dict[str | tuple[str, str], str], *, plural: str | None = None
) -> Path:
    """locales/<lang>/LC_MESSAGES/messages.po with these translations; keys are msgids or
    (context, msgid). Written as bytes so that control characters stay in the file as they are."""
    catalog = Catalog(locale=None, project="leaflets", charset="utf-8")
    catalog.language = lang
    for key, text in entries.items():
        context, msgid = key if isinstance(key, tuple) else (None, key)
        catalog.add(msgid, text, context=context)
    buffer = BytesIO()
    write_po(buffer, catalog, width=0)
    path = root / "locales" / lang / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    for mo in path.parent.glob("*.mo"):
        mo.unlink()
    return path
