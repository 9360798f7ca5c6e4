"""Fit: every fixed region is measured after layout; overflow fails the build with a message that
names the region and the msgid, or shrinks the region's type down to the leaflet's floor."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from leaflets.build import pipeline as build_mod
from leaflets.config import project as project_mod
from leaflets.errors import FitError
from leaflets.i18n import workflow
from leaflets.i18n.pofile import read_catalog
from leaflets.i18n.translations import Translations, load_translations
from leaflets.layout import fit, measure
from leaflets.layout.render import RenderedLeaflet, Renderer, RenderOptions
from leaflets.layout.typeset import Typesetter
from tests.conftest import REPO, copy_project
from tests.pdftext import glyph_sizes, text
from tests.untrusted_helpers import write_catalog

REGIONS = {
    "trifold": ["cover", "flap", "back", "inside-1", "inside-2", "inside-3"],
    "flyer": ["page"],
    "card": ["front", "back"],
}
FILLER = "La trata destruye vidas y familias enteras. "
PANEL = "inside-1"


@dataclass(frozen=True)
class Target:
    """A paragraph of the tri-fold's inside-1 panel, and how much longer it must get to overflow
    in Spanish. Found by measuring, so the tests hold when the leaflet's text changes."""

    msgid: str
    words: int
    """Fewest words of FILLER (in tens) after which the panel overflows at 11 pt."""

    def longer(self, words: int) -> dict[str, str]:
        return {self.msgid: self.msgid + " " + " ".join((FILLER * 200).split()[:words])}

    @property
    def shown(self) -> str:
        """How an overflow message quotes the msgid."""
        return re.escape(fit._shorten(self.msgid))


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Target:
    root = copy_project(tmp_path_factory.mktemp("target") / "project")
    project = project_mod.load(root)
    html = (
        Renderer(project)
        .html(project.leaflets["trifold"], project.languages["en"], Translations.source("en"))
        .html
    )
    document = Typesetter(project).layout(html)
    (panel,) = [
        box
        for page in document.pages
        for box in measure._region_boxes(page._page_box)
        if measure._region_name(box) == PANEL
    ]
    index = fit.MessageIndex.load(project, Translations.source("en"))
    candidates = [m for m in index.msgids_in(measure.laid_text(panel)) if "%" not in m]
    msgid = max(candidates, key=len)
    for words in range(10, 600, 10):
        write_catalog(root, "es", Target(msgid, 0).longer(words))
        try:
            _layout(root, "trifold", "es")
        except FitError:
            return Target(msgid, words)
    raise AssertionError("the panel never overflowed")


def _layout(root: Path, leaflet: str, lang: str, mode: str = "error", report: bool = False):
    project = project_mod.load(root)
    renderer, typesetter = Renderer(project), Typesetter(project)
    language, translations = project.languages[lang], load_translations(project, lang)
    return fit.layout(
        project,
        project.leaflets[leaflet],
        translations,
        f"{leaflet} ({lang})",
        render=lambda scale: renderer.html(
            project.leaflets[leaflet], language, translations, RenderOptions(font_scale=scale)
        ),
        typeset=lambda rendered: typesetter.layout(rendered.html),
        fit=mode,
        report=report,
    )


def _build(root: Path, leaflet: str, lang: str, mode: str | None = None):
    project = project_mod.load(root)
    outputs = build_mod.plan(project, [lang], [leaflet])
    return build_mod.build(project, outputs, fit_mode=mode).built[0]


@pytest.mark.parametrize("leaflet", sorted(REGIONS))
def test_every_region_is_measured_and_the_shipped_text_fits(leaflet):
    for lang in ("en", "es", "ht"):
        document, report = _layout(REPO, leaflet, lang)
        assert [r.name for r in report.regions] == REGIONS[leaflet]
        assert all(r.fits for r in report.regions), [r for r in report.regions if not r.fits]
        assert report.shrunk == [] and report.layouts == 1
        assert len(document.pages) == (1 if leaflet == "flyer" else 2)


def test_overflow_fails_with_region_size_lines_and_msgid_and_keeps_the_old_pdf(
    project_copy, target
):
    _build(project_copy, "trifold", "es")
    pdf = project_copy / "out" / "es" / "trifold.pdf"
    before = pdf.read_bytes()
    write_catalog(project_copy, "es", target.longer(target.words + 40))
    with pytest.raises(FitError) as caught:
        _build(project_copy, "trifold", "es")
    message = str(caught.value)
    match = re.fullmatch(
        r'trifold \(es\): panel "inside-1" overflows by (\d+) pt \((\d+) lines\); '
        rf'shorten msgid "{target.shown}" or run with --fit',
        message,
    )
    assert match, message
    points, lines = map(int, match.groups())
    # 11 pt type on 1.35 leading: each cut line is about 15 pt.
    assert 10 <= points / lines <= 20
    assert pdf.read_bytes() == before


def test_overflow_in_the_source_language_names_the_cut_paragraph(project_copy):
    # In English no message grew: the paragraph cut by the bottom edge is the one named.
    template = project_copy / "templates" / "trifold.html.j2"
    source = template.read_text()
    start = source.index('data-region="inside-1"')
    end = source.index("</section>", start)
    long_text = "Extra words that a writer added. " * 30
    paragraph = "<p>{% trans %}" + long_text + "{% endtrans %}</p>\n"
    template.write_text(source[:end] + paragraph + source[end:])
    project = project_mod.load(project_copy)
    workflow.write_template(project, workflow.extract(project))
    with pytest.raises(FitError) as caught:
        _layout(project_copy, "trifold", "en")
    assert re.fullmatch(
        r'trifold \(en\): panel "inside-1" overflows by \d+ pt \(\d+ lines\); '
        r'shorten msgid "Extra words that a writer added\. Extra words that a writer…" '
        r"or run with --fit",
        str(caught.value),
    ), str(caught.value)


def test_fit_shrinks_only_the_overflowing_panel_and_prints_all_of_it(project_copy, target):
    write_catalog(project_copy, "es", target.longer(target.words))
    with pytest.raises(FitError):
        _build(project_copy, "trifold", "es")
    result = _build(project_copy, "trifold", "es", "shrink")
    (shrunk,) = result.shrunk
    assert (shrunk.region, shrunk.kind, shrunk.from_pt) == ("inside-1", "panel", 11.0)
    assert 10.0 <= shrunk.to_pt < 11.0
    assert shrunk.describe() == (
        f'panel "inside-1" shrunk to {shrunk.to_pt:g} pt (from 11 pt, {shrunk.scale:.0%})'
    )
    sizes = glyph_sizes(result.output.path)
    outside = [size for page, _, size in sizes if page == 1]
    inside = [size for page, _, size in sizes if page == 2]
    assert min(outside) == pytest.approx(11.0, abs=0.01)  # other panels keep their size
    assert min(inside) == pytest.approx(shrunk.to_pt, abs=0.01)
    assert min(inside) >= 10.0 - 0.01
    content = re.sub(r"\s+", "", text(result.output.path))
    assert re.sub(r"\s+", "", target.longer(target.words)[target.msgid]) in content


def test_the_shrink_is_a_search_not_a_loop(project_copy, target):
    write_catalog(project_copy, "es", target.longer(target.words))
    _, report = _layout(project_copy, "trifold", "es", "shrink")
    # 11 pt down to 10 pt is 10 steps of 0.1 pt: one first layout, one natural layout to read
    # the smallest type, one at the floor, then a bisection of at most ceil(log2(10)) = 4
    # trials, and maybe one to combine the results.
    assert report.layouts <= 1 + 1 + 1 + math.ceil(math.log2(10)) + 1
    (shrunk,) = report.shrunk
    # The size found is the largest that fits: one step up overflows.
    project = project_mod.load(project_copy)
    renderer, typesetter = Renderer(project), Typesetter(project)
    translations = load_translations(project, "es")
    leaflet, language = project.leaflets["trifold"], project.languages["es"]
    bigger = (shrunk.to_pt + fit.STEP_PT) / shrunk.from_pt
    html = renderer.html(
        leaflet, language, translations, RenderOptions(font_scale={"inside-1": bigger})
    ).html
    regions = {r.name: r for r in measure.measure(typesetter.layout(html))}
    assert not regions["inside-1"].fits


def test_too_long_even_at_the_floor_fails_without_suggesting_fit(project_copy, target):
    write_catalog(project_copy, "es", target.longer(target.words + 200))
    with pytest.raises(FitError) as caught:
        _build(project_copy, "trifold", "es", "shrink")
    assert re.fullmatch(
        r'trifold \(es\): panel "inside-1" overflows by \d+ pt \(\d+ lines\) even at the '
        rf'10 pt floor; shorten msgid "{target.shown}"',
        str(caught.value),
    ), str(caught.value)
    assert not (project_copy / "out" / "es" / "trifold.pdf").exists()


@pytest.mark.parametrize(("mode", "extra"), [("error", 40), ("shrink", 200)])
def test_report_returns_the_layout_with_the_overflow_the_error_would_name(
    project_copy, target, mode, extra
):
    """The studio shows an overflowing page: report=True lays it out and measures the overflow
    (with its box on the page) instead of raising what the build would."""
    write_catalog(project_copy, "es", target.longer(target.words + extra))
    with pytest.raises(FitError) as caught:
        _layout(project_copy, "trifold", "es", mode)
    document, report = _layout(project_copy, "trifold", "es", mode, report=True)
    assert len(document.pages) == 2
    (region,) = report.overflowing
    assert (region.name, region.page) == (PANEL, 2) and region.overflow_pt > 0  # inside
    x, y, width, height = region.box
    assert width > 0 and height > 0 and x + width <= document.pages[1].width + 1
    assert report.problem == caught.value.message


def test_the_card_floor_is_9_pt_and_its_body_has_no_room_below(project_copy):
    project = project_mod.load(project_copy)
    assert project.leaflets["card"].min_font_pt == 9
    write_catalog(project_copy, "es", {"Free. Confidential. 24 hours.": "Gratis. " * 60})
    with pytest.raises(
        FitError,
        match=r'card \(es\): region "front" overflows by \d+ pt '
        r"\(\d+ lines?\) even at the 9 pt floor",
    ):
        _build(project_copy, "card", "es", "shrink")


def test_text_that_was_dropped_still_sets_the_floor(project_copy):
    # A long heading pushes the card's 9 pt lines out of the box: WeasyPrint drops them, so the
    # laid-out front shows only 15 pt type. Shrinking must still stop where 9 pt text is at 9 pt.
    write_catalog(project_copy, "es", {"Need help?": "Ayuda urgente ahora mismo por favor " * 8})
    with pytest.raises(FitError, match=r'region "front" .* even at the 9 pt floor; shorten msgid'):
        _build(project_copy, "card", "es", "shrink")


def test_fit_from_config_and_the_cli_summary(project_copy, target):
    write_catalog(project_copy, "es", target.longer(target.words))
    runner = CliRunner()
    args = ["--project", str(project_copy), "build", "--lang", "es", "--leaflet", "trifold"]
    failed = runner.invoke(main, args)
    assert failed.exit_code == 1
    assert 'error: trifold (es): panel "inside-1" overflows by' in failed.output
    assert "Traceback" not in failed.output
    with_flag = runner.invoke(main, [*args, "--fit"])
    assert with_flag.exit_code == 0, with_flag.output
    assert re.search(
        r'  panel "inside-1" shrunk to 10\.\d pt \(from 11 pt, 9\d%\)', with_flag.output
    )
    config = project_copy / "leaflets.toml"
    config.write_text(config.read_text().replace('fit = "error"', 'fit = "shrink"'))
    from_config = runner.invoke(main, args)
    assert from_config.exit_code == 0, from_config.output
    assert 'panel "inside-1" shrunk to' in from_config.output


def test_an_extra_page_is_overflow(project_copy):
    config = project_copy / "leaflets.toml"
    config.write_text(config.read_text().replace("pages = 2\nsize", "pages = 1\nsize"))
    with pytest.raises(FitError, match=r"card \(en\): laid out on 2 pages, expected 1"):
        _build(project_copy, "card", "en", "shrink")


# ---------------------------------------------------------------- headroom for new languages


def _pseudo(text_: str) -> str:
    """English made about 35 % longer: each word gains a third of its letters, accented."""
    accents = str.maketrans("aeiouAEIOU", "áéíóúÁÉÍÓÚ")

    def stretch(match: re.Match) -> str:
        word = match.group(0)
        return word + word[: math.ceil(len(word) * 0.35)].translate(accents).lower()

    parts = re.split(r"%\((\w+)\)s", text_)
    # split() puts placeholder names at odd positions; put them back untouched.
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(f"%({part})s")
        else:
            out.append(
                re.sub(r"[A-Za-z]{2,}", stretch, part.replace("%%", "\0")).replace("\0", "%%")
            )
    return "".join(out)


def test_a_language_35_percent_longer_fits_every_leaflet_with_fit(project_copy):
    """Stand-in for the pseudo-locale: every message of messages.pot, 35 % longer."""
    template = read_catalog(project_copy / "locales" / "messages.pot")
    entries: dict = {}
    for message in template:
        if message.id:
            key = (message.context, message.id) if message.context else message.id
            entries[key] = _pseudo(message.id)
    assert _pseudo("Human trafficking has %(count)s") == "Humanhú traffickingtráf hashá %(count)s"
    # Haitian Creole, not Spanish: "Needné helphé?" would be a Spanish question without ¿.
    write_catalog(project_copy, "ht", entries, plural="nplurals=1; plural=0;")
    project = project_mod.load(project_copy)
    outputs = build_mod.plan(project, ["ht"])
    report = build_mod.build(project, outputs, fit_mode="shrink")
    assert [r.output.leaflet for r in report.built] == list(project.leaflets)
    assert all(r.fallbacks == 0 for r in report.built), [r.fallback_details for r in report.built]
    for result in report.built:
        floor = project.leaflets[result.output.leaflet].min_font_pt
        sizes = [size for _, _, size in glyph_sizes(result.output.path)]
        assert min(sizes) >= floor - 0.01, result.output.label


def test_the_pseudo_locale_fits_every_leaflet_with_fit(project_copy):
    result = CliRunner().invoke(
        main, ["--project", str(project_copy), "build", "--lang", "qps", "--fit"]
    )
    assert result.exit_code == 0, result.output
    for leaflet in ("trifold", "flyer", "card", "large-print"):
        assert (project_copy / "out" / "qps" / f"{leaflet}.pdf").is_file()


def test_an_image_that_overflows_a_region_without_text_fails_cleanly(project_copy):
    # No text to shrink: the region is reported, and no size search is tried.
    project = project_mod.load(project_copy)
    typesetter = Typesetter(project)
    image = (
        "data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%2210%22"
        " height=%2210%22/%3E"
    )
    html = (
        "<!DOCTYPE html><html><head><style>@page { size: 3in 2in; margin: 0 }"
        " .box { height: 1in; overflow: hidden }</style></head><body>"
        f'<div class="box" data-region="front"><img src="{image}" style="height: 1.5in"></div>'
        "</body></html>"
    )
    rendered = RenderedLeaflet(html=html, fallbacks=0)
    for mode, expected in (
        (
            "error",
            r'^card \(en\): region "front" overflows by \d+ pt \(1 line\); make its content smaller or run with --fit$',
        ),
        (
            "shrink",
            r'^card \(en\): region "front" overflows by \d+ pt \(1 line\) even at the 9 pt floor; make its content smaller$',
        ),
    ):
        with pytest.raises(FitError, match=expected):
            fit.layout(
                project,
                project.leaflets["card"],
                Translations.source("en"),
                "card (en)",
                render=lambda scale: rendered,
                typeset=lambda r: typesetter.layout(r.html),
                fit=mode,
            )
