"""The catalogs shipped in locales/: valid for GNU msgfmt, complete, and placeholder-safe.

Fast on purpose: it reads the .po files and runs msgfmt, and renders nothing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import REPO

POT = REPO / "locales" / "messages.pot"
SHIPPED = ("es", "ht")
# %(name)s and %(name)d, as in leaflets.catalogs; "%%" is a literal percent sign.
PLACEHOLDER_RE = re.compile(r"%\((\w+)\)[sd]")
PLURAL_FORMS = {"ht": "nplurals=1; plural=0;"}


def po_path(lang: str) -> Path:
    return REPO / "locales" / lang / "LC_MESSAGES" / "messages.po"


def read(path: Path):
    with path.open("rb") as fileobj:
        return read_po(fileobj, abort_invalid=True, charset="utf-8")


def key(message) -> tuple[str | None, str]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return (message.context, msgid)


def describe(message) -> str:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    where = ", ".join(f"{f}:{n}" for f, n in message.locations) or "?"
    context = f" [{message.context}]" if message.context else ""
    return f"{msgid!r}{context} ({where})"


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER_RE.findall(text))


@pytest.fixture(scope="module")
def template():
    return {key(m): m for m in read(POT) if m.id}


@pytest.mark.parametrize("lang", SHIPPED)
def test_msgfmt_check_passes(lang: str) -> None:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU msgfmt not found: install gettext (make system-deps does)"
    result = subprocess.run(
        [msgfmt, "--check", "-o", "/dev/null", str(po_path(lang))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("lang", SHIPPED)
def test_headers(lang: str) -> None:
    catalog = read(po_path(lang))
    headers = dict(catalog.mime_headers)
    assert headers["Language"] == lang
    assert not catalog.fuzzy, "the header entry is marked fuzzy"
    if lang in PLURAL_FORMS:
        assert headers["Plural-Forms"] == PLURAL_FORMS[lang]


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_template_message_is_translated(lang: str, template) -> None:
    catalog = {key(m): m for m in read(po_path(lang)) if m.id}
    problems = []
    for k, source in template.items():
        message = catalog.get(k)
        if message is None:
            problems.append(f"missing: {describe(source)}")
        elif message.fuzzy:
            problems.append(f"fuzzy: {describe(source)}")
        else:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if not strings or not all(s and s.strip() for s in strings):
                problems.append(f"untranslated: {describe(source)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", SHIPPED)
def test_placeholders_match(lang: str) -> None:
    problems = []
    for message in read(po_path(lang)):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for index, translation in enumerate(strings):
            source = ids[min(index, len(ids) - 1)]
            expected, found = placeholders(source), placeholders(translation)
            if found != expected:
                problems.append(f"{describe(message)}: expected {expected}, found {found}")
                continue
            # Formatting must succeed: a lone "%" (write "%%") or a bad conversion raises.
            try:
                translation % dict.fromkeys(expected, "x")
            except (ValueError, TypeError, KeyError) as exc:
                problems.append(f"{describe(message)}: does not format ({exc})")
    assert not problems, "\n".join(problems)
