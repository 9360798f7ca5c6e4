"""The pseudo-locale: bracketed, accented, longer text that exposes strings no catalog produced."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from leaflets.config import project as project_mod
from leaflets.config.fonts import font_files
from leaflets.i18n import pseudo
from leaflets.layout.render import Renderer
from leaflets.pipeline import build as build_mod
from tests.conftest import copy_project
from tests.pdftext import text

SAMPLES = [
    "Human Trafficking",
    "Trafficking is modern-day slavery. Its victims are forced, defrauded or coerced.",
    "QR code: scan it to call the National Human Trafficking Hotline, %(phone)s",
    "Text “%(keyword)s” to %(number)s (English or Spanish)",
    "Free and confidential, 24 hours a day. TTY: %(tty)s",
    "100%% of {name}",
]


@pytest.mark.parametrize("source", SAMPLES)
def test_pseudolocalize_brackets_accents_and_lengthens(source: str) -> None:
    result = pseudo.pseudolocalize(source)
    assert result.startswith("[") and result.endswith("]")
    # Placeholders come through unchanged, and the result still formats.
    for placeholder in re.findall(r"%\(\w+\)s|%%|\{\w+\}", source):
        assert result.count(placeholder) == source.count(placeholder)
    names = dict.fromkeys(re.findall(r"%\((\w+)\)s", source), "X")
    assert result % names
    # Every letter the typeface has an accented form for is replaced.
    outside = re.sub(r"%\(\w+\)s|\{\w+\}", "", result)
    assert not [c for c in outside if c.isascii() and c.isalpha() and pseudo.letter_map()[c] != c]
    # About 35 % wider, measured in the typeface's own advance widths.
    width = pseudo._width(re.sub(r"%\(\w+\)s|%%|\{\w+\}", "", source))
    widened = pseudo._width(re.sub(r"%\(\w+\)s|%%|\{\w+\}", "", result))
    assert widened >= 1.3 * width


def test_pseudolocalize_uses_only_glyphs_the_typeface_has() -> None:
    cmaps = [set(TTFont(path).getBestCmap()) for path in font_files().values()]
    used = set("".join(pseudo.pseudolocalize(s) for s in SAMPLES))
    missing = [c for c in used if any(ord(c) not in cmap for cmap in cmaps)]
    assert missing == []
    assert pseudo.letter_map()["t"] != "ŧ"  # Atkinson Hyperlegible has no ŧ
    assert sum(1 for k, v in pseudo.letter_map().items() if k != v) >= 30


def test_unbracketed_handles_nested_spans() -> None:
    assert pseudo.unbracketed("[Öƒƒîçé [Ɱöñ]–[Ƒŕî]] St. Croix [x] end").split() == [
        "St.",
        "Croix",
        "end",
    ]


@pytest.fixture(scope="module")
def pseudo_built(tmp_path_factory: pytest.TempPathFactory):
    """Every leaflet in the pseudo-locale, built once (qps needs no catalog)."""
    root = copy_project(tmp_path_factory.mktemp("pseudo") / "project")
    # Longer text may overflow a fixed panel; shrinking to fit is another stage's business.
    config = root / "leaflets.toml"
    config.write_text(config.read_text().replace('fit = "error"', 'fit = "shrink"'))
    project = project_mod.load(root)
    assert "qps" not in project.languages
    outputs = build_mod.plan(project, ["qps"])
    report = build_mod.build(project, outputs)
    return project, {o.leaflet: o.path for o in outputs}, report


@pytest.mark.pdf
def test_every_shipped_string_goes_through_a_catalog(pseudo_built) -> None:
    project, paths, report = pseudo_built
    assert set(paths) == set(project.leaflets)
    assert report.fallbacks_by_language == {"qps": 0}
    for name, path in paths.items():
        printed = text(path)
        assert printed.count("[") > 8, name
        if name != "card":  # the wallet card never names trafficking
            assert "[Ħûmàñ Ţŕàƒƒîçķîñğ" in printed, name
        assert pseudo.untranslated_text(project, printed) == [], name


@pytest.mark.pdf
def test_a_hard_coded_string_is_caught(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    card = root / "templates" / "card.html.j2"
    card.write_text(
        card.read_text().replace(
            '<p class="card-note">', '<p class="card-note">Ask us anything.</p>\n<p>', 1
        )
    )
    project = project_mod.load(root)
    outputs = build_mod.plan(project, ["qps"], ["card"])
    build_mod.build(project, outputs)
    assert pseudo.untranslated_text(project, text(outputs[0].path)) == ["Ask", "us", "anything"]


def test_en_xa_is_the_same_pseudo_locale(project_copy: Path) -> None:
    project = project_mod.load(project_copy)
    [output] = build_mod.plan(project, ["en-XA"], ["card"])
    language = pseudo.language(project, "en-XA")
    assert (language.reviewed, language.bcp47) == (True, "en-XA")
    html = (
        Renderer(project)
        .html(project.leaflets[output.leaflet], language, pseudo.translations("en-XA"))
        .html
    )
    assert '<html lang="en-XA" dir="ltr">' in html
    assert "[Ñééð ħéļþ?" in html
    assert "Draft translation" not in html  # the pseudo-locale is never a draft
