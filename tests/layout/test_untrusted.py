"""Translations, config and resources are untrusted: hostile input prints as text, or fails
clearly, and never makes the build open a file outside the project or touch the network."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pikepdf
import pytest

from leaflets.config import project as project_mod
from leaflets.errors import AuditError, CatalogError, ConfigError, FitError, RenderError
from leaflets.i18n.checks import project as project_checks
from leaflets.i18n.checks.text import check_brackets
from leaflets.i18n.commands.update import extract
from leaflets.layout.typeset import Typesetter
from leaflets.pipeline import build as build_mod
from leaflets.untrusted import forbidden_characters
from tests.conftest import copy_project
from tests.pdftext import tagged_text, text
from tests.untrusted_helpers import outside_opens, recorded_access, write_catalog

pytestmark = pytest.mark.pdf  # the module's fixture builds the project first

NOTE = "Free. Confidential. 24 hours."  # the card's last line on the front
TITLE = "Need help?"  # the card's heading and its PDF title


@pytest.fixture(scope="module", autouse=True)
def warm(tmp_path_factory: pytest.TempPathFactory) -> None:
    """One build before any is recorded: first use loads libraries (and probes for them)."""
    build_card(copy_project(tmp_path_factory.mktemp("warm") / "project"), "en")


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    """A file outside the project that no build may read."""
    path = tmp_path / "secret" / "canary.txt"
    path.parent.mkdir()
    path.write_text("CANARY-7f3a9 private data")
    return path


def build_card(root: Path, lang: str = "es") -> Path:
    project = project_mod.load(root)
    (output,) = build_mod.plan(project, [lang], ["card"])
    build_mod.build(project, [output])
    return output.path


def _squashed(value: str) -> str:
    return unicodedata.normalize("NFC", re.sub(r"\s+", "", value))


# Each entry goes into the card's note line (and its start into the heading and PDF title).
# The PDF must show it exactly as written.
LITERAL = {
    "jinja-expression": "{{{{ project['root'] }}}} {{{{ 7*7 }}}} {{{{ config.__class__ }}}}",
    "apostrophes": "l'aide ` 50%% gratis",
    "rtl-arabic": "مجاني. سري. ٢٤ ساعة.",
    "combining": "Gra\u0301tis. Co\u0308nfidencial.",
    "long-word": "Confidencial" * 6,
}
# Spanish is set in Atkinson Hyperlegible; for the Arabic case, its table also declares IBM Plex
# Sans Arabic, as a council that prints Arabic words in Spanish leaflets would.
FONTS = {"rtl-arabic": '["Atkinson Hyperlegible", "IBM Plex Sans Arabic"]'}
# Letters that no declared font has: the build refuses them, naming them, and writes nothing.
UNCOVERED = {
    "rtl-hebrew": ("חינם. חסוי. 24 שעות.", "U+05D7 HEBREW LETTER HET"),
    "zalgo": ("Z\u0336a\u0335l\u0334g\u0337o\u0338", "U+0336 COMBINING LONG STROKE OVERLAY"),
}
# These never print: `leaflets check` calls each an error (markup, a backslash, an unclosed
# quote, a URL of any scheme or a domain name, a {placeholder} the source does not have), so
# the build prints the English instead, and names it with its reason.
DROPPED = {
    "html": "<b>Gratis</b> <script>alert(1)</script> <i>24</i>",
    "img-src": '<img src="/etc/passwd"> Gratis',
    "css-import": 'background: url("../../etc/passwd"); @import "/etc/passwd";',
    "file-paths": "/etc/passwd ../../../etc/passwd C:\\Windows\\System",
    "entities": "&lt;b&gt; &amp;amp; &#x41; &nbsp;",
    "quotes": "\"' ` ]]> <!-- --> 50%% gratis",
    "img-file-url": '<img src="file://{canary}"> Gratis',
    "css-file-url": 'background: url("file://{canary}"); @import "file:///etc/passwd";',
    "file-url": "file:///etc/passwd C:\\Windows\\win.ini",
    "link-http": '<link rel="stylesheet" href="http://example.invalid/x.css">',
    "css-http-url": "background: url(http://example.invalid/a.png)",
    "style-block": '<style>@import url("file://{canary}"); p {{ color: red }}</style>',
    "jinja-statement": "{{%% include '../../etc/passwd' %%}} {{# x #}}",
    "https": "https://example.invalid/track?id=1",
}


def _whole_prefix(text: str, size: int) -> str:
    """The text cut to at most `size` characters, but not inside a pair of brackets: a title
    cut as "{{ confi" would be a bracket never closed, which `leaflets check` refuses."""
    cut = text[:size]
    while cut and check_brackets("", cut):
        cut = cut[:-1]
    return cut


@pytest.mark.parametrize("name", sorted(LITERAL))
def test_hostile_translation_prints_literally_and_opens_nothing_outside(project_copy, canary, name):
    hostile = LITERAL[name].format(canary=canary)
    shown = hostile.replace("%%", "%")
    title = _whole_prefix(hostile, 40)
    write_catalog(project_copy, "es", {NOTE: hostile, TITLE: title})
    if name in FONTS:
        config = project_copy / "leaflets.toml"
        config.write_text(
            config.read_text(encoding="utf-8").replace(
                'name = "Español"', f'name = "Español"\nfonts = {FONTS[name]}'
            ),
            encoding="utf-8",
        )
    with recorded_access() as record:
        pdf = build_card(project_copy)
    assert not outside_opens(record, project_copy), outside_opens(record, project_copy)
    assert str(canary) not in {target for _, target in record}
    content = text(pdf)
    # Lines wrap anywhere in a long string, and pdfium marks a hyphen at a line end as U+FFFE:
    # compare without white space, composed.
    got = _squashed(content.replace("\ufffe", "-"))
    if name.startswith("rtl"):
        # The content of right-to-left runs reads back in visual order, with a ligature's
        # letters in either order: the tagged text (/ActualText) is the text as written.
        assert " ".join(shown.split()) in tagged_text(pdf)
    else:
        assert _squashed(shown) in got, f"{shown!r} not in {content!r}"
    assert NOTE not in content
    assert "CANARY-7f3a9" not in content
    assert b"CANARY-7f3a9" not in pdf.read_bytes()
    with pikepdf.open(pdf) as document:
        # (The accessibility pass trims white space around the title.)
        assert str(document.docinfo["/Title"]).strip() == title.replace("%%", "%").strip()


@pytest.mark.parametrize("name", sorted(UNCOVERED))
def test_letters_no_declared_font_has_stop_the_build(project_copy, name):
    hostile, named = UNCOVERED[name]
    write_catalog(project_copy, "es", {NOTE: hostile})
    with recorded_access() as record, pytest.raises(AuditError) as caught:
        build_card(project_copy)
    assert not outside_opens(record, project_copy), outside_opens(record, project_copy)
    assert named in str(caught.value) and f'msgid "{NOTE}"' in str(caught.value)
    assert not (project_copy / "out/es/card.pdf").exists()


@pytest.mark.parametrize("name", sorted(DROPPED))
def test_hostile_translation_with_addresses_or_braces_is_dropped(project_copy, canary, name):
    hostile = DROPPED[name].format(canary=canary)
    write_catalog(project_copy, "es", {NOTE: hostile, TITLE: "¿Ayuda?"})
    project = project_mod.load(project_copy)
    (output,) = build_mod.plan(project, ["es"], ["card"])
    with recorded_access() as record:
        report = build_mod.build(project, [output])
    assert not outside_opens(record, project_copy), outside_opens(record, project_copy)
    assert str(canary) not in {target for _, target in record}
    content = text(output.path)
    assert NOTE in content and "¿Ayuda?" in content
    assert "example.invalid" not in content and "include" not in content
    assert "Windows" not in content and "&" not in content and "Gratis" not in content
    assert report.built[0].fallbacks >= 1
    [named] = [f for f in report.built[0].fallback_details if f.msgid == NOTE]
    assert named.why.startswith("rejected by `leaflets check`: ")
    assert named.where.startswith("locales/es/LC_MESSAGES/messages.po:")


def test_a_very_long_translation_fails_clearly_and_writes_nothing(project_copy):
    write_catalog(project_copy, "es", {NOTE: "Gratis y confidencial. " * 300})
    with pytest.raises(FitError) as caught:
        build_card(project_copy)
    message = str(caught.value)
    assert re.fullmatch(
        r'card \(es\): region "front" overflows by \d+ pt \(\d+ lines\); '
        r'shorten msgid "Free\. Confidential\. 24 hours\." or run with --fit',
        message,
    ), message
    assert not (project_copy / "out" / "es" / "card.pdf").exists()


@pytest.mark.parametrize(
    ("hostile", "named"),
    [
        ("Gratis\x07 y \x1b[31mconfidencial", "U+0007 (BELL), U+001B (ESCAPE)"),
        ("Gratis\x00", "U+0000 (NULL)"),
        ("Llame al \u202e4417-373-888-1", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("Gratis \u2066oculto\u2069", "U+2066 (LEFT-TO-RIGHT ISOLATE)"),
        ("Gratis \x7f", "U+007F (DELETE)"),
    ],
    ids=["bell-escape", "nul", "rtl-override", "isolate", "delete"],
)
def test_control_characters_are_a_catalog_error_at_the_line(project_copy, hostile, named):
    po = write_catalog(project_copy, "es", {"Need help?": "¿Ayuda?", NOTE: hostile})
    line = po.read_text(encoding="utf-8").split("\n").index(f'msgid "{NOTE}"') + 1
    with pytest.raises(CatalogError) as caught:
        build_card(project_copy)
    error = caught.value
    assert error.path == po and error.line == line
    assert f'translation of msgid "{NOTE}" contains {named}' in error.message
    assert "remove it" in error.message
    assert not (project_copy / "out" / "es" / "card.pdf").exists()


def test_leaflets_check_reports_control_characters_at_the_line(project_copy):
    po = write_catalog(project_copy, "es", {NOTE: "Gratis\x07 \u202e24"})
    line = po.read_text(encoding="utf-8").split("\n").index(f'msgid "{NOTE}"') + 1
    project = project_mod.load(project_copy)
    findings = [
        f
        for f in project_checks.check_catalogs(project, extract(project), ["es"])
        if f.code == "character"
    ]
    assert [(f.path, f.line) for f in findings] == [(po, line)]
    assert (
        "contains U+0007 (BELL), U+202E (RIGHT-TO-LEFT OVERRIDE); remove it" in findings[0].message
    )


def test_a_next_line_control_in_a_catalog_is_a_catalog_error_at_the_entry(project_copy):
    # U+0085 ends a line for Python's text reader, so the catalog reader sees a broken entry.
    po = write_catalog(project_copy, "es", {NOTE: "Gratis \x85 y confidencial"})
    line = po.read_text(encoding="utf-8").split("\n").index(f'msgid "{NOTE}"') + 1
    with pytest.raises(CatalogError) as caught:
        build_card(project_copy)
    assert caught.value.path == po
    assert caught.value.line is not None and line <= caught.value.line <= line + 2
    assert not (project_copy / "out" / "es" / "card.pdf").exists()


def test_allowed_text_is_not_flagged():
    assert forbidden_characters("Tab\tand\nlines\r, عربي, עברית, e\u0301, \u200f, ☎") == []
    assert forbidden_characters("\ufffe\ufdd0\x07\x07") == [
        "U+FFFE (noncharacter)",
        "U+FDD0 (noncharacter)",
        "U+0007 (BELL)",
    ]


def test_a_translation_with_foreign_placeholders_falls_back_to_english(project_copy):
    write_catalog(
        project_copy,
        "es",
        {
            "In an emergency, call %(number)s.": "En emergencia: %(secret)s %(number)s",
            NOTE: "{% include 'x' %} 100% gratis",
        },
    )
    content = text(build_card(project_copy))
    assert "In an emergency, call 911." in content
    assert NOTE in content
    assert "%(secret)s" not in content and "include" not in content


# ---------------------------------------------------------------- the URL fetcher


def _layout(project_root: Path, body: str) -> RenderError | None:
    project = project_mod.load(project_root)
    html = f"<!DOCTYPE html><html><head><meta charset=utf-8></head><body>{body}</body></html>"
    try:
        Typesetter(project).layout(html)
    except RenderError as exc:
        return exc
    return None


def test_the_fetcher_refuses_and_reports_every_url_outside_the_allowed_folders(
    project_copy, canary
):
    (project_copy / "styles" / "link.css").symlink_to(canary)
    (project_copy / "styles" / "linkdir").symlink_to(canary.parent, target_is_directory=True)
    urls = [
        canary.as_uri(),
        "http://example.invalid/pixel.png",
        "https://example.invalid/font.woff",
        "ftp://example.invalid/x.css",
        "styles/../../secret/canary.txt",
        "styles/link.css",
        "styles/linkdir/canary.txt",
        "file://example.invalid/etc/passwd",
        "leaflets.toml",
    ]
    body = "".join(f'<img src="{url}" alt="">' for url in urls)
    body += f'<p style="background: url({canary.as_uri()})">x</p>'
    with recorded_access() as record:
        error = _layout(project_copy, body)
    assert error is not None
    for url in urls:
        if "://" in url:
            assert url in error.message
    assert "styles/link.css" in error.message and "secret/canary.txt" in error.message
    assert "leaflets.toml" in error.message
    assert "refused to load" in error.message
    assert str(canary) not in {target for _, target in record}
    assert not [event for event, _ in record if event != "open"], "network was touched"


def test_the_fetcher_serves_styles_and_data_uris(project_copy):
    (project_copy / "styles" / "extra.css").write_text("p { color: #123456; }")
    body = (
        '<link rel="stylesheet" href="styles/extra.css">'
        '<img alt="" src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E">'
        "<p>ok</p>"
    )
    assert _layout(project_copy, body) is None


def test_a_stylesheet_in_styles_cannot_import_from_outside(project_copy, canary):
    (project_copy / "styles" / "card.css").write_text(
        f'@import url("{canary.as_uri()}");\n@import url("http://example.invalid/x.css");\n'
    )
    with pytest.raises(RenderError) as caught:
        build_card(project_copy, "en")
    assert canary.as_uri() in str(caught.value)
    assert "http://example.invalid/x.css" in str(caught.value)
    assert str(caught.value).startswith("card (en): refused to load")


# ---------------------------------------------------------------- config paths


def _config_with(root: Path, old: str, new: str) -> None:
    config = root / "leaflets.toml"
    text_ = config.read_text()
    assert old in text_
    config.write_text(text_.replace(old, new, 1))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'out = "out"',
            'out = "../x"',
            "build.out: must be a folder inside the project, got '../x'",
        ),
        (
            'out = "out"',
            'out = "/tmp/leaflets-out"',
            "build.out: must be a folder inside the project, got '/tmp/leaflets-out'",
        ),
        (
            'template = "card.html.j2"',
            'template = "../../etc/passwd"',
            "leaflets.card.template: must name a file inside templates/, got '../../etc/passwd'",
        ),
        (
            'template = "card.html.j2"',
            'template = "/etc/passwd"',
            "leaflets.card.template: must name a file inside templates/, got '/etc/passwd'",
        ),
        (
            'fit = "error"',
            'fit = "error"\nscript = "rm -rf /"',
            "build.script: unknown key",
        ),
    ],
    ids=["out-parent", "out-absolute", "template-parent", "template-absolute", "unknown-key"],
)
def test_config_paths_cannot_leave_the_project(project_copy, old, new, expected):
    _config_with(project_copy, old, new)
    with pytest.raises(ConfigError) as caught:
        project_mod.load(project_copy)
    assert expected in str(caught.value)


def test_symlinks_out_of_the_project_are_refused(project_copy, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "evil.html.j2").write_text("{{ project }}")
    (project_copy / "outlink").symlink_to(outside, target_is_directory=True)
    (project_copy / "templates" / "evil.html.j2").symlink_to(outside / "evil.html.j2")
    _config_with(project_copy, 'out = "out"', 'out = "outlink"')
    _config_with(project_copy, 'template = "card.html.j2"', 'template = "evil.html.j2"')
    with pytest.raises(ConfigError) as caught:
        project_mod.load(project_copy)
    message = str(caught.value)
    assert "build.out: outlink is a link that leads outside the project" in message
    assert "replace the link with a folder" in message
    assert "leaflets.card.template: must name a file inside templates/" in message
