"""Fit: every fixed region is measured after layout; the body size is the largest step of the
leaflet's range at which every region fits; overflow fails the build with a message that names
the region and the msgid, or, with --fit, shrinks the body below its range down to the floor."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from leaflets.config import project as project_mod
from leaflets.errors import FitError
from leaflets.i18n.commands import update as workflow
from leaflets.i18n.po.catalog import read_catalog
from leaflets.i18n.translations import Translations, load_translations
from leaflets.layout import fit, measure, overflow_source
from leaflets.layout.render import RenderedLeaflet, Renderer, RenderOptions
from leaflets.layout.typeset import Typesetter
from leaflets.pipeline import build as build_mod
from leaflets.pipeline.stages import Job, LeafletAtSize, Stages
from tests.conftest import REPO, copy_project
from tests.pdftext import glyph_sizes, text
from tests.untrusted_helpers import write_catalog

pytestmark = pytest.mark.pdf  # every test lays out a leaflet to fit it

REGIONS = {
    "trifold": ["cover", "flap", "back", "inside"],
    "flyer": ["page"],
    "card": ["front", "back"],
}
FILLER = "La trata destruye vidas y familias enteras. "
FLOW = "inside"
FLOW_LABEL = "the inside panels"


@dataclass(frozen=True)
class Target:
    """A paragraph of the tri-fold's inside panels, and how much longer it must get to overflow
    in Spanish at the smallest body size. Found by measuring, so the tests hold when the
    leaflet's text changes."""

    msgid: str
    words: int
    """Fewest words of FILLER (in tens) after which the panels overflow at 12 pt."""

    def longer(self, words: int) -> dict[str, str]:
        # The shipped Spanish text, lengthened in Spanish: an English run would fall back.
        start = _spanish().get(self.msgid) or self.msgid
        return {self.msgid: start + " " + " ".join((FILLER * 200).split()[:words])}

    @property
    def shown(self) -> str:
        """How an overflow message quotes the msgid."""
        return re.escape(overflow_source.shorten(self.msgid))


@functools.cache
def _spanish() -> dict[str, str]:
    catalog = read_catalog(REPO / "locales" / "es" / "LC_MESSAGES" / "messages.po")
    return {m.id: m.string for m in catalog if m.id and isinstance(m.id, str) and m.string}


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
    (flow,) = [
        box
        for page in document.pages
        for box in measure._region_boxes(page._page_box)
        if measure._region_name(box) == FLOW
    ]
    index = overflow_source.MessageIndex.load(project, Translations.source("en"))
    candidates = [m for m in index.msgids_in(measure.laid_text(flow)) if "%" not in m]
    msgid = max(candidates, key=len)

    def overflows(tens: int) -> bool:
        write_catalog(root, "es", Target(msgid, 0).longer(10 * tens))
        try:
            _layout(root, "trifold", "es", sizes="smallest")
        except FitError:
            return True
        return False

    # Bisection over tens of words: each try is a layout, and a long overflow is slow.
    lo, hi = 0, 8
    while not overflows(hi):
        lo, hi = hi, 2 * hi
        assert hi <= 64, "the panels never overflowed"
    while hi - lo > 1:
        middle = (lo + hi) // 2
        lo, hi = (lo, middle) if overflows(middle) else (middle, hi)
    return Target(msgid, 10 * hi)


@functools.cache
def _stages(root: Path) -> Stages:
    """One renderer and typesetter per project copy: a font configuration is slow to make, and
    neither keeps a catalog (a new Translations object gets its own Jinja2 environment)."""
    return Stages.load(project_mod.load(root))


def _layout(
    root: Path,
    leaflet: str,
    lang: str,
    mode: str = "error",
    sizes: str = "range",
    report: bool = False,
    hint: float | None = None,
):
    """fit.layout as the pipeline calls it; sizes="smallest" lays out at the range's low end only."""
    project = project_mod.load(root)
    chosen = project.leaflets[leaflet]
    if sizes == "smallest":
        chosen = chosen.model_copy(update={"body_pt": (chosen.body_pt[0],) * 2})
    job = Job(
        leaflet=chosen,
        language=project.languages[lang],
        translations=load_translations(project, lang),
        label=f"{leaflet} ({lang})",
        name=f"{leaflet}/{lang}",
        path=root / "out" / lang / f"{leaflet}.pdf",
    )
    at_size = LeafletAtSize(_stages(root), job)
    return fit.layout(
        project, chosen, job.translations, job.label, at_size, mode, report=report, hint=hint
    )


def _regions_at(
    root: Path, leaflet: str, lang: str, body_pt: float
) -> dict[str, measure.RegionFit]:
    """Each region's fit when the leaflet is laid out at exactly this body size."""
    project = project_mod.load(root)
    stages = _stages(root)
    html = stages.renderer.html(
        project.leaflets[leaflet],
        project.languages[lang],
        load_translations(project, lang),
        RenderOptions(body_pt=body_pt),
    ).html
    return {r.name: r for r in measure.measure(stages.typesetter.layout(html))}


def _build(root: Path, leaflet: str, lang: str, mode: str | None = None):
    project = project_mod.load(root)
    outputs = build_mod.plan(project, [lang], [leaflet])
    return build_mod.build(project, outputs, fit_mode=mode).built[0]


# A search over 20 steps (12 to 14 pt): the first layout, then at most about twice a
# bisection's ceil(log2(21)) = 5 trials. The shipped leaflets take two to five.
MOST_LAYOUTS = 1 + 2 * math.ceil(math.log2(21))


@pytest.mark.parametrize("leaflet", sorted(REGIONS))
def test_every_region_is_measured_and_the_body_is_the_largest_size_that_fits(leaflet):
    for lang in ("en", "es", "ht"):
        document, report = _layout(REPO, leaflet, lang)
        low, high = project_mod.load(REPO).leaflets[leaflet].body_pt
        assert [r.name for r in report.regions] == REGIONS[leaflet]
        assert all(r.fits for r in report.regions), [r for r in report.regions if not r.fits]
        assert report.shrunk == [] and low <= report.body_pt <= high
        assert report.layouts <= MOST_LAYOUTS, (lang, report.layouts)
        assert len(document.pages) == (1 if leaflet == "flyer" else 2)
        if report.body_pt < high:
            # One step up, some region no longer fits: the size found is the largest.
            bigger = _regions_at(REPO, leaflet, lang, report.body_pt + fit.STEP_PT)
            assert not all(r.fits for r in bigger.values()), (leaflet, lang, report.body_pt)


def test_a_search_from_a_hint_finds_the_same_size_in_two_layouts():
    # The studio starts from the size that fitted last time: after an edit it usually still
    # fits and one step more does not, so two layouts settle it; a hint that is off by a lot
    # still ends at the largest size that fits.
    _, cold = _layout(REPO, "flyer", "es")
    low, high = project_mod.load(REPO).leaflets["flyer"].body_pt
    _, warm = _layout(REPO, "flyer", "es", hint=cold.body_pt)
    assert (warm.body_pt, warm.layouts) == (cold.body_pt, 2 if cold.body_pt < high else 1)
    for hint in (low, high, cold.body_pt + fit.STEP_PT):
        assert _layout(REPO, "flyer", "es", hint=hint)[1].body_pt == cold.body_pt, hint


def test_a_hint_that_does_not_fit_is_not_laid_out_again(project_copy, target):
    # The studio after an edit that overflows even at the low end of the range: the search from
    # the hint ends on the size the search from the bottom starts with, laid out once.
    write_catalog(project_copy, "es", target.longer(target.words + 40))
    low, _ = project_mod.load(project_copy).leaflets["trifold"].body_pt
    for hint in (low, low + fit.STEP_PT):
        _, fitted = _layout(project_copy, "trifold", "es", report=True, hint=hint)
        assert fitted.overflowing and fitted.body_pt == low
        assert fitted.layouts == (1 if hint == low else 2), hint


def test_every_size_on_the_page_follows_the_one_body_size(built, letter_build):
    # One body size per leaflet and language, in every region: the smallest glyph on every page
    # of the tri-fold is the chosen body size, and nothing is smaller.
    _, report = letter_build
    for result in report.built:
        if result.output.leaflet != "trifold":
            continue
        sizes = glyph_sizes(result.output.path)
        for page in (1, 2):
            smallest = min(size for number, _, size in sizes if number == page)
            assert smallest == pytest.approx(result.body_pt, abs=0.01), result.output.label


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
        rf"trifold \(es\): {FLOW_LABEL} overflow by (\d+) pt \((\d+) lines\); "
        rf'shorten msgid "{target.shown}" or run with --fit',
        message,
    )
    assert match, message
    points, lines = map(int, match.groups())
    # 12 pt type on 1.35 leading: each cut line is about 16 pt, a little more between paragraphs.
    assert 12 <= points / lines <= 24
    assert pdf.read_bytes() == before


def test_overflow_in_the_source_language_names_the_cut_paragraph(project_copy):
    # In English no message grew: the paragraph that does not fit is the one named.
    template = project_copy / "templates" / "trifold.html.j2"
    source = template.read_text()
    start = source.index(f'data-region="{FLOW}"')
    end = source.index("</div>", start)
    long_text = "Extra words that a writer added. " * 40
    paragraph = "<p>{% trans %}" + long_text + "{% endtrans %}</p>\n"
    template.write_text(source[:end] + paragraph + source[end:])
    project = project_mod.load(project_copy)
    workflow.write_template(project, workflow.extract(project))
    with pytest.raises(FitError) as caught:
        _layout(project_copy, "trifold", "en", sizes="smallest")
    assert re.fullmatch(
        rf"trifold \(en\): {FLOW_LABEL} overflow by \d+ pt \(\d+ lines\); "
        r'shorten msgid "Extra words that a writer added\. Extra words that a writer…" '
        r"or run with --fit",
        str(caught.value),
    ), str(caught.value)


def test_fit_shrinks_the_whole_leaflet_below_its_range_and_prints_all_of_it(project_copy, target):
    write_catalog(project_copy, "es", target.longer(target.words))
    with pytest.raises(FitError):
        _build(project_copy, "trifold", "es")
    result = _build(project_copy, "trifold", "es", "shrink")
    (shrunk,) = result.shrunk
    assert (shrunk.regions, shrunk.from_pt) == ((FLOW_LABEL,), 12.0)
    assert 10.0 <= shrunk.to_pt < 12.0 and result.body_pt == shrunk.to_pt
    assert shrunk.describe() == (
        f"body type shrunk to {shrunk.to_pt:g} pt (from 12 pt, {shrunk.scale:.0%}) "
        f"to fit {FLOW_LABEL}"
    )
    # One body size: every panel, outside and in, takes the smaller size, never below 10 pt.
    sizes = glyph_sizes(result.output.path)
    for page in (1, 2):
        smallest = min(size for number, _, size in sizes if number == page)
        assert smallest == pytest.approx(shrunk.to_pt, abs=0.01)
    content = re.sub(r"\s+", "", text(result.output.path))
    assert re.sub(r"\s+", "", target.longer(target.words)[target.msgid]) in content


def test_the_shrink_is_a_search_not_a_loop(project_copy, target):
    write_catalog(project_copy, "es", target.longer(target.words))
    _, report = _layout(project_copy, "trifold", "es", "shrink")
    # 12 pt down to 10 pt is 20 steps of 0.1 pt: the first layout, one at the floor, then a
    # search of about twice a bisection's length at most.
    assert report.layouts <= 2 + 2 * math.ceil(math.log2(20))
    (shrunk,) = report.shrunk
    # The size found is the largest that fits: one step up overflows.
    bigger = _regions_at(project_copy, "trifold", "es", shrunk.to_pt + fit.STEP_PT)
    assert not bigger[FLOW].fits


def test_too_long_even_at_the_floor_fails_without_suggesting_fit(project_copy, target):
    # A floor just below the range, so that a little more text overflows it too (a long
    # overflow makes WeasyPrint lay out column after column past the panels: slow).
    config = project_copy / "leaflets.toml"
    config.write_text(
        config.read_text().replace(
            'orientation = "landscape"\n', 'orientation = "landscape"\nmin_font_pt = 11.5\n'
        )
    )
    write_catalog(project_copy, "es", target.longer(target.words + 60))
    with pytest.raises(FitError) as caught:
        _build(project_copy, "trifold", "es", "shrink")
    assert re.fullmatch(
        rf"trifold \(es\): {FLOW_LABEL} overflow by \d+ pt \(\d+ lines\) even at the "
        rf'11.5 pt floor; shorten msgid "{target.shown}"',
        str(caught.value),
    ), str(caught.value)
    assert not (project_copy / "out" / "es" / "trifold.pdf").exists()


@pytest.mark.parametrize(("mode", "extra"), [("error", 40), ("shrink", 60)])
def test_report_returns_the_layout_with_the_overflow_the_error_would_name(
    project_copy, target, mode, extra
):
    """The studio shows an overflowing page: report=True lays it out and measures the overflow
    (with its box on the page) instead of raising what the build would."""
    if mode == "shrink":  # a floor close below the range: a little more text overflows it too
        config = project_copy / "leaflets.toml"
        config.write_text(
            config.read_text().replace(
                'orientation = "landscape"\n', 'orientation = "landscape"\nmin_font_pt = 11.5\n'
            )
        )
    write_catalog(project_copy, "es", target.longer(target.words + extra))
    with pytest.raises(FitError) as caught:
        _layout(project_copy, "trifold", "es", mode)
    document, report = _layout(project_copy, "trifold", "es", mode, report=True)
    assert len(document.pages) == 2
    (region,) = report.overflowing
    assert (region.name, region.page) == (FLOW, 2) and region.overflow_pt > 0  # inside
    x, y, width, height = region.box
    assert width > 0 and height > 0 and x + width <= document.pages[1].width + 1
    assert report.problem == caught.value.message


def test_the_card_floor_is_9_pt_below_its_body_range_and_fit_stops_there(project_copy):
    # The card's body grows from 10 to 12 pt to fill its faces (issue 24); --fit may shrink it
    # to the 9 pt floor, and no further.
    project = project_mod.load(project_copy)
    assert project.leaflets["card"].min_font_pt == 9
    assert project.leaflets["card"].body_pt == (10, 12)
    write_catalog(project_copy, "es", {"Free. Confidential. 24 hours.": "Gratis. " * 60})
    with pytest.raises(
        FitError,
        match=r'card \(es\): region "front" overflows by \d+ pt '
        r"\(\d+ lines?\) even at the 9 pt floor",
    ):
        _build(project_copy, "card", "es", "shrink")


def test_text_that_was_dropped_still_fails_at_the_floor(project_copy):
    # A long heading pushes the card's lines out of the box even at 9 pt: WeasyPrint drops them,
    # and the card's type may not go below 9 pt, so the build fails at the floor.
    write_catalog(project_copy, "es", {"Need help?": "Ayuda urgente ahora mismo por favor " * 8})
    with pytest.raises(FitError, match=r'region "front" .* even at the 9 pt floor; shorten msgid'):
        _build(project_copy, "card", "es", "shrink")


def test_fit_from_config_and_the_cli_summary(project_copy, target):
    write_catalog(project_copy, "es", target.longer(target.words))
    runner = CliRunner()
    args = ["--project", str(project_copy), "build", "--lang", "es", "--leaflet", "trifold"]
    failed = runner.invoke(main, args)
    assert failed.exit_code == 1
    assert f"error: trifold (es): {FLOW_LABEL} overflow by" in failed.output
    assert "Traceback" not in failed.output
    with_flag = runner.invoke(main, [*args, "--fit"])
    assert with_flag.exit_code == 0, with_flag.output
    assert re.search(
        rf"  body type shrunk to 1[01]\.\d pt \(from 12 pt, \d\d%\) to fit {FLOW_LABEL}",
        with_flag.output,
    ), with_flag.output
    config = project_copy / "leaflets.toml"
    config.write_text(config.read_text().replace('fit = "error"', 'fit = "shrink"'))
    from_config = runner.invoke(main, args)
    assert from_config.exit_code == 0, from_config.output
    assert "body type shrunk to" in from_config.output


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
    # A language of its own (acf, Saint Lucian Creole, which the language identifier does not
    # know), not Spanish: "Needné helphé?" would be a Spanish question without ¿, and the
    # identifier would read the accented English as Spanish in Creole's catalog.
    with (project_copy / "leaflets.toml").open("a", encoding="utf-8") as config:
        config.write(
            '\n[languages.acf]\nname = "Kwéyòl"\nlocale = "fr"\nplural = "nplurals=1; plural=0;"\n'
        )
    write_catalog(project_copy, "acf", entries, plural="nplurals=1; plural=0;")
    project = project_mod.load(project_copy)
    outputs = build_mod.plan(project, ["acf"])
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
                _SameAtEverySize(rendered, typesetter),
                fit=mode,
            )


@dataclass
class _SameAtEverySize:
    """fit.layout's interface for HTML that no body size changes."""

    rendered: RenderedLeaflet
    typesetter: Typesetter

    def render(self, body_pt: float) -> RenderedLeaflet:
        return self.rendered

    def typeset(self, rendered: RenderedLeaflet):
        return self.typesetter.layout(rendered.html)
