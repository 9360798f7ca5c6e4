"""Catalogs that GNU gettext leaves alone: every file leaflets writes is one `msgcat` reproduces
byte for byte and `msgfmt --check-format --check-header` accepts; leaflets reads and writes
whatever msgcat writes exactly as msgcat does; update keeps msgmerge's history."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from leaflets.config import project as project_mod
from leaflets.i18n.commands import edit
from leaflets.i18n.commands import update as workflow
from leaflets.i18n.po.catalog import parse_catalog, po_bytes, read_catalog

pytestmark = pytest.mark.skipif(shutil.which("msgcat") is None, reason="needs GNU gettext")

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
WORDS = [
    "trata",
    "personas",
    "Kreyòl",
    "ayisyen",
    "¿Necesita",
    "ayuda?",
    "¡Llame!",
    "%(phone)s",
    "{name}",
    "U.S.",
    "e-mail",
    "24/7",
    "1-888-373-7888",
    "(English)",
    "“quoted”",
    "«guillemets»",
    "don't",
    "l'aide",
    "—",
    "–",
    "-",
    "...",
    "…",
    "50%",
    "$5",
    "€5",
    "ñandú",
    "العربية",
    "مرحبا،",
    "日本語",
    "漢字。",
    "😀",
    "👍🏽",
    "á",
    "\xa0",
    "http://x.org/a",
    "#1",
    "&",
    "@",
    "[note]",
    "{{",
    "}}",
    "“",
    "”",
    "‘",
    "’",
    "/",
    ";",
    ":",
    ",",
    ".",
    "!",
    "?",
    "=",
    "+",
    "*",
    "שלום",
    "ÇA",
    "Ω",
    "Привет",
    "ﬁ",
    "x\u200dy",
    "\u3000",
    "ＡＢＣ",
    "%(n)d",
    "%",
    "d",
    "%s",
    "%%",
]


def msgcat(data: bytes, *args: str) -> bytes:
    result = subprocess.run(["msgcat", *args, "-"], input=data, capture_output=True, check=True)
    return result.stdout


def msgfmt_problems(path: Path) -> str:
    """What `msgfmt --check-format --check-header` says about a catalog (empty when nothing)."""
    checks = ["--check-format"] + (["--check-header"] if path.suffix == ".po" else [])
    result = subprocess.run(
        ["msgfmt", *checks, "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    return f"exit {result.returncode}: {result.stderr}" if result.returncode else result.stderr


def assert_gettext_accepts(path: Path) -> None:
    data = path.read_bytes()
    assert msgcat(data) == data, f"msgcat rewrites {path}"
    assert msgfmt_problems(path) == "", msgfmt_problems(path)


def quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped.replace("\t", "\\t") + '"'


def random_text(rnd: random.Random) -> str:
    parts = []
    for _ in range(rnd.choice((1, 3, 8, 15, 30))):
        if rnd.random() < 0.6:
            parts.append(rnd.choice(WORDS))
        else:
            parts.append("".join(rnd.choice("abcdefghijklmnopqrstuvwxyzéèòñ") for _ in range(9)))
        parts.append(rnd.choice((" ", " ", " ", "", "  ", "-", "\n")))
    return "".join(parts)


def random_catalog(seed: int, count: int) -> bytes:
    """Entries of every shape gettext writes, with strings of Latin, Arabic, Hebrew, CJK,
    emoji, combining marks, placeholders, escapes, long words and line breaks."""
    rnd = random.Random(seed)
    lines = [HEADER]
    for i in range(count):
        text, other = random_text(rnd), random_text(rnd)
        comment = rnd.choice(("", "# " + other.replace("\n", " ") + "\n", "#  two spaces\n"))
        refs = " ".join(f"templates/{rnd.choice('abc')}{n}.html.j2:{n}" for n in range(i % 9))
        flags = rnd.choice(("", "#, python-format\n", "#, fuzzy, python-format\n", "#, no-wrap\n"))
        previous = f"#| msgid {quoted(other)}\n" if "fuzzy" in flags else ""
        context = f"msgctxt {quoted(other[:20])}\n" if i % 7 == 0 else ""
        body = f"msgid {quoted(f'{i} ' + other)}\nmsgstr {quoted(text)}\n"
        if i % 11 == 0:
            body = (
                f"msgid {quoted(f'{i} ' + other)}\nmsgid_plural {quoted(other + 's')}\n"
                f"msgstr[0] {quoted(text)}\nmsgstr[1] {quoted(other)}\n"
            )
        entry = comment + (f"#: {refs}\n" if refs else "") + flags + previous + context + body
        if i % 13 == 0:
            entry = f"#~ msgid {quoted(f'{i} gone ' + other)}\n#~ msgstr {quoted(text)}\n"
        lines.append(entry + "\n")
    return "".join(lines).encode("utf-8")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_leaflets_writes_what_msgcat_writes(seed: int) -> None:
    """Whatever msgcat writes, leaflets reads and writes again byte for byte: its reader keeps
    what gettext keeps and its writer wraps as gettext wraps (UAX #14, escapes, directives)."""
    written_by_msgcat = msgcat(random_catalog(seed, 700))
    catalog = parse_catalog(written_by_msgcat, Path("random.po"))
    ours = po_bytes(catalog)
    if ours != written_by_msgcat:
        theirs, mine = written_by_msgcat.decode().split("\n"), ours.decode().split("\n")
        first = next(i for i, (a, b) in enumerate(zip(theirs, mine, strict=False)) if a != b)
        pytest.fail(f"line {first + 1}: msgcat {theirs[first]!r}, leaflets {mine[first]!r}")


def test_wide_and_narrow_pages_too() -> None:
    """The writer follows gettext's rules, not one page width's accidents."""
    from leaflets.i18n.po.wrap import wrap_string

    rnd = random.Random(7)
    texts = [random_text(rnd) for _ in range(300)]
    for width in (40, 120):
        po = HEADER + "".join(
            f"msgid {quoted(str(i))}\nmsgstr {quoted(t)}\n\n" for i, t in enumerate(texts)
        )
        out = msgcat(po.encode(), f"--width={width}").decode().split("\n\n")[1:]
        for text, block in zip(texts, out, strict=True):
            lines = block.strip("\n").split("\n")
            assert lines[1:] == wrap_string("msgstr", text, page_width=width), text


def test_the_shipped_catalogs_and_template_are_msgcat_stable() -> None:
    root = Path(__file__).resolve().parents[3] / "locales"
    for path in [root / "messages.pot", *sorted(root.glob("*/LC_MESSAGES/messages.po"))]:
        assert_gettext_accepts(path)


def run(root: Path, *args: str):
    result = CliRunner().invoke(main, ["--project", str(root), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_every_catalog_leaflets_writes_passes_gettext(project_copy: Path) -> None:
    """init, update (new, changed and removed strings) and a studio save."""
    run(project_copy, "init", "fr")
    project = project_mod.load(project_copy)
    fr = project.po_path("fr")
    assert_gettext_accepts(fr)
    header = fr.read_text(encoding="utf-8").split("\n\n")[0]
    assert "EMAIL@ADDRESS" not in header and "FULL NAME" not in header
    assert (
        '"Language: fr\\n"' in header and '"Last-Translator: Automatically generated\\n"' in header
    )

    card = project_copy / "templates" / "card.html.j2"
    text = card.read_text(encoding="utf-8")
    text = text.replace("Free. Confidential. 24 hours.", "Free and confidential, day and night.")
    text = text.replace("{% trans %}Interpreters available.{% endtrans %}", "")
    card.write_text(text.replace("Need help?", "Need help? We listen."), encoding="utf-8")
    run(project_copy, "update")
    for path in [project.pot_path, *(project.po_path(lang) for lang in ("es", "ht", "fr"))]:
        assert_gettext_accepts(path)
    es = project.po_path("es").read_text(encoding="utf-8")
    assert "#, fuzzy" in es and "#~ msgid" in es

    # A studio save (edit.save_translation): the entry, fuzzy until now, through the one
    # writer; every other entry as it was.
    path = project.po_path("ht")
    before = path.read_text(encoding="utf-8").split("\n\n")
    saved = edit.save_translation(
        project,
        "ht",
        edit.Edit(
            None, "Free and confidential, day and night.", ("Gratis, lajounen kou lannwit.",)
        ),
    )
    assert saved.changed
    assert_gettext_accepts(path)
    after = path.read_text(encoding="utf-8").split("\n\n")
    assert [b for b in after if b not in before] == [next(b for b in after if "day and night" in b)]
    assert "#| msgid" not in next(b for b in after if "day and night" in b)


def test_a_file_another_tool_wrapped_comes_through_update_as_it_is(project_copy: Path) -> None:
    project = project_mod.load(project_copy)
    es = project.po_path("es")
    # Poedit's "wrap at 60" and "don't wrap" settings give other line breaks than gettext's.
    for args in (["--width=60"], ["--no-wrap"]):
        es.write_bytes(msgcat(es.read_bytes(), *args))
        before = es.read_bytes()
        run(project_copy, "update")
        assert es.read_bytes() == before, f"update rewrapped a file saved with {args}"

    # A changed source rewrites that one entry, in gettext's wrapping; the rest stays as it was.
    card = project_copy / "templates" / "card.html.j2"
    card.write_text(
        card.read_text(encoding="utf-8").replace("Need help?", "Do you need help?"),
        encoding="utf-8",
    )
    before = es.read_text(encoding="utf-8").split("\n\n")
    run(project_copy, "update")
    after = es.read_text(encoding="utf-8").split("\n\n")
    changed = [block for block in after if block not in before]
    assert len(changed) == 2, changed  # the header's POT-Creation-Date, and the fuzzy entry
    assert '#| msgid "Need help?"\nmsgid "Do you need help?"' in changed[1]
    assert all(
        block in after for block in before if "Need help?" not in block and "POT-" not in block
    )


def test_history_keeps_the_msgid_the_translation_was_made_for(project_copy: Path) -> None:
    """Two source changes: `#|` still shows the sentence that was translated, as msgmerge
    --previous does; a changed msgctxt shows as `#| msgctxt`."""
    project = project_mod.load(project_copy)
    card = project_copy / "templates" / "card.html.j2"
    hotline = project_copy / "templates" / "partials" / "hotline.html.j2"
    es = project.po_path("es")

    def edit(path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    edit(card, "Free. Confidential. 24 hours.", "Free and confidential. 24 hours.")
    edit(card, 'pgettext("phone label", "Call")', 'pgettext("label", "Call")')
    edit(hotline, 'pgettext("phone label", "Call")', 'pgettext("label", "Call")')
    run(project_copy, "update")
    mine_once = es.read_bytes()
    edit(card, "Free and confidential. 24 hours.", "Free and confidential, day and night.")
    run(project_copy, "update")
    po = es.read_text(encoding="utf-8")
    assert (
        '#, fuzzy\n#| msgid "Free. Confidential. 24 hours."\n'
        'msgid "Free and confidential, day and night."\nmsgstr "Gratis. Confidencial. 24 horas."'
    ) in po
    assert '#| msgctxt "phone label"\n#| msgid "Call"\nmsgctxt "label"\nmsgid "Call"' in po

    # msgmerge --previous, from the catalog after the first update, agrees entry for entry.
    before = project_copy / "before.po"
    before.write_bytes(mine_once)
    merged = subprocess.run(
        ["msgmerge", "--quiet", "--previous", "-o", "-", str(before), str(project.pot_path)],
        capture_output=True,
        check=True,
    ).stdout
    theirs = {m.id: (m.previous_id, m.previous_context) for m in _entries(merged)}
    mine = {m.id: (m.previous_id, m.previous_context) for m in _entries(es.read_bytes())}
    assert mine == theirs


def _entries(data: bytes):
    return [m for m in parse_catalog(data, Path("x.po")) if m.id]


def test_reading_keeps_what_babel_drops(tmp_path: Path) -> None:
    """`#| msgctxt`, `#~|` previous lines of obsolete entries, comments' own spacing, and flags
    as the file has them (Babel guesses python-format)."""
    path = tmp_path / "messages.po"
    path.write_text(
        HEADER + '#  indented note\n#, fuzzy\n#| msgctxt "old"\n#| msgid "Old"\n'
        'msgctxt "new"\nmsgid "50% of it"\nmsgstr "El 50 %"\n\n'
        '#, fuzzy\n#~| msgid "Older"\n#~ msgid "Gone"\n#~ msgstr "Ido"\n',
        encoding="utf-8",
    )
    catalog = read_catalog(path)
    message = catalog.get("50% of it", context="new")
    assert message.previous_context == "old" and message.previous_id == ["Old"]
    assert message.user_comments == [" indented note"]
    assert message.flags == {"fuzzy"}  # Babel alone would add python-format ("% o")
    [gone] = catalog.obsolete.values()
    assert gone.previous_id == ["Older"]
    data = po_bytes(catalog)
    assert msgcat(data) == data and data == msgcat(path.read_bytes())
    assert workflow.template_bytes  # the .pot goes through the same writer
