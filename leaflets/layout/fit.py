"""Fit: choose the body size, and fail with the overflowing region and the msgid to shorten.

One body size per leaflet and language, the same in every region (all other sizes are in em):
the largest step of the leaflet's `body_pt` range (12 to 14 pt for the tri-fold and the flyer)
at which every region fits. measure.py says how each fixed region's text sits in its box and
how full it is; the search starts from the smallest size, predicts from the fill where the
largest one lies, and closes in by bisection over steps, so it costs a few layouts, not one per
step. A region that does not fit even at the smallest size fails the build with the size of
the overflow and the msgid to shorten or, with `fit = "shrink"` (`--fit`), the same search runs
below the range, down to the leaflet's floor (`min_font_pt`), and the report says so.
overflow_source.py names the msgid to shorten.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from ..config.model import FIT_MODES, Leaflet, Project
from ..errors import FitError, LeafletsError
from ..i18n.translations import Translations
from .measure import RegionFit, measure, natural_boxes, unbounded, with_natural_overflow
from .overflow_source import MessageIndex, overflow_message
from .render import RenderedLeaflet

if TYPE_CHECKING:
    from weasyprint.document import Document

# Sizes are whole steps of this many points: small enough to be invisible, and the search needs
# only a few layouts however many steps a range has (12 → 14 pt is 20 steps).
STEP_PT = 0.1
# How a region's content height grows with the type: wrapped text grows with the square of the
# size (more lines, each taller), lines that do not wrap only linearly. Until two layouts give
# a region's own figure, the square is assumed, which underestimates the room, never over.
GROWTH = 2.0
GROWTH_RANGE = (1.0, 3.0)


@dataclass(frozen=True)
class Shrink:
    """The body type set below the leaflet's body range, so that these regions fit."""

    regions: tuple[str, ...]
    from_pt: float
    to_pt: float

    @property
    def scale(self) -> float:
        return self.to_pt / self.from_pt

    def describe(self) -> str:
        return (
            f"body type shrunk to {self.to_pt:g} pt (from {self.from_pt:g} pt, {self.scale:.0%})"
            f" to fit {', '.join(self.regions)}"
        )


@dataclass
class FitReport:
    """What layout() did: the HTML it kept, the body size it chose, and how many layouts it ran."""

    rendered: RenderedLeaflet
    regions: list[RegionFit]
    body_pt: float
    shrunk: list[Shrink] = field(default_factory=list)
    layouts: int = 1
    overflowing: list[RegionFit] = field(default_factory=list)
    """With report=True: the regions that still overflow, measured in the natural layout."""
    problem: str | None = None
    """With report=True: what FitError would have said about them."""
    left_out: bool = False
    """The lines the template prints only when they fit were left out (pipeline/stages.py)."""

    @property
    def fallbacks(self) -> int:
        return self.rendered.fallbacks

    @property
    def fallback_keys(self) -> frozenset:
        return self.rendered.fallback_keys


# ---------------------------------------------------------------- layout with fitting


class AtSize(Protocol):
    """What the search asks for: the leaflet at a body size, and HTML laid out. The pipeline's
    LeafletAtSize (pipeline/stages.py) is the one every caller uses; fit never renders or
    typesets by itself, so it lays out exactly what the build would."""

    def render(self, body_pt: float) -> RenderedLeaflet:
        """The leaflet's HTML with its body type at this size, in points."""
        ...

    def typeset(self, rendered: RenderedLeaflet) -> Document:
        """That HTML laid out by WeasyPrint."""
        ...


@dataclass(frozen=True)
class Trial:
    """One layout at one body size, and each region's fit in it."""

    body_pt: float
    document: Document
    rendered: RenderedLeaflet
    regions: dict[str, RegionFit]

    @property
    def over(self) -> list[RegionFit]:
        return [r for r in self.regions.values() if not r.fits]


def layout(
    project: Project,
    leaflet: Leaflet,
    translations: Translations,
    label: str,
    at_size: AtSize,
    fit: str = "error",
    report: bool = False,
    hint: float | None = None,
) -> tuple[Document, FitReport]:
    """Render and lay out one leaflet in the largest body size at which every region fits.

    `fit` is "error" (a region that overflows at the smallest body size fails the build) or
    "shrink" (the body goes below its range, down to leaflet.min_font_pt). `at_size` renders
    and typesets the leaflet at each size the search tries. With `report`, text that does not
    fit fails nothing: the layout is returned with FitReport.overflowing and .problem (the
    studio shows the page and outlines the overflow). `hint` is the body size chosen last time
    (the studio's after an edit, the build's from its manifest): the search starts there and
    ends on the size a search from the bottom finds (_near says why), in fewer layouts.
    """
    if fit not in FIT_MODES:
        raise LeafletsError(f"unknown fit mode {fit!r}; expected one of {', '.join(FIT_MODES)}")
    trials = _Trials(project, leaflet, translations, label, at_size, report=report)
    low, high = leaflet.body_pt
    found, ceiling = _near(trials, hint, low, high) if hint is not None else (None, None)
    if found is not None:
        return trials.report_on(found)
    first = trials.attempt(low)
    if not first.over:
        steps = _steps(low, high) if ceiling is None else ceiling
        return trials.report_on(_largest(trials, first, steps))
    if fit != "shrink":
        return trials.give_up(first, first.over, None)
    floor_pt = leaflet.min_font_pt
    if _steps(floor_pt, low) == 0:  # no room below the range
        return trials.give_up(first, first.over, floor_pt)
    bottom = trials.attempt(floor_pt)
    if bottom.over:
        return trials.give_up(bottom, bottom.over, floor_pt)
    # The range's low end is known not to fit: search the steps below it.
    best = _largest(trials, bottom, _steps(floor_pt, low) - 1)
    return trials.report_on(best, [Shrink(tuple(r.label for r in first.over), low, best.body_pt)])


def _near(trials: _Trials, hint: float, low: float, high: float) -> tuple[Trial | None, int | None]:
    """The largest fitting size, searched from the one chosen last time: an edit moves it
    little, so two layouts usually settle it. Else (None, the most steps above the low end
    that may still fit, or None if nothing was learnt): the search from the bottom goes on.

    It ends where a search from the bottom does. Both rest on one premise, that type which
    fits still fits a step smaller (the search from the bottom never tries below a size that
    fits), so exactly one size fits with the next step up not fitting, or past the range:
    that is the answer whichever size the search starts from. The hint is tried on the same
    sizes as the search from the bottom (the range's low end and whole steps up from it, to
    the same top); a hint off them (the range changed since) is not used.
    """
    base, top = round(low, 1), _steps(low, high)
    k = round((hint - base) / STEP_PT)
    if not 0 <= k <= top or _size(base, k) != round(hint, 1):
        return None, None
    at = trials.attempt(_size(base, k))
    if not at.over:
        if k == top:
            return at, None
        above = trials.attempt(_size(base, k + 1))
        return (at if above.over else _largest(trials, above, top - k - 1)), None
    if k == 0:
        return None, None  # not even the low end fits: the search from the bottom says so
    below = trials.attempt(_size(base, k - 1))
    # Step k - 1 does not fit either: the search from the bottom stops below it.
    return (None, k - 2) if below.over else (below, None)


def _size(base: float, step: int) -> float:
    return round(base + step * STEP_PT, 1)


def _steps(low: float, high: float) -> int:
    return math.floor((high - low) / STEP_PT + 1e-9)


@dataclass
class _Trials:
    """Trial layouts of one leaflet, counted, and the error that explains an overflow."""

    project: Project
    leaflet: Leaflet
    translations: Translations
    label: str
    at_size: AtSize
    layouts: int = 0
    report: bool = False
    last: Trial | None = None
    """The latest trial: a search from a hint that does not fit ends on the size the search
    from the bottom starts with, and that layout is not made twice."""

    def attempt(self, body_pt: float) -> Trial:
        body_pt = round(body_pt, 1)
        if self.last is not None and self.last.body_pt == body_pt:
            return self.last
        self.layouts += 1
        self.translations.fallbacks.clear()
        try:
            rendered = self.at_size.render(body_pt)
            document = self.at_size.typeset(rendered)
        except LeafletsError as exc:
            raise type(exc)(f"{self.label}: {exc.message}", exc.path, exc.line) from None
        self.last = Trial(body_pt, document, rendered, {r.name: r for r in measure(document)})
        return self.last

    def natural(self, rendered: RenderedLeaflet) -> dict:
        """Each region's box when every region is as tall as its content."""
        width, _ = self.leaflet.page_size_in(self.project.build.paper)
        return natural_boxes(self.at_size.typeset(unbounded(rendered, width)))

    def explain(
        self, rendered: RenderedLeaflet, regions: list[RegionFit], floor_pt: float | None
    ) -> tuple[list[RegionFit], str]:
        """The regions with their overflow measured, and the message that names the msgid."""
        natural = self.natural(rendered)
        explained = [with_natural_overflow(r, natural.get(r.name)) for r in regions]
        index = MessageIndex.load(self.project, self.translations)
        return explained, overflow_message(self.label, explained, index, floor_pt)

    def report_on(
        self, trial: Trial, shrunk: list[Shrink] | None = None
    ) -> tuple[Document, FitReport]:
        """The trial's layout, and what the search did."""
        regions = list(trial.regions.values())
        fitted = FitReport(trial.rendered, regions, trial.body_pt, shrunk or [], self.layouts)
        return trial.document, fitted

    def give_up(
        self, trial: Trial, regions: list[RegionFit], floor_pt: float | None
    ) -> tuple[Document, FitReport]:
        """Text that does not fit: FitError; with `report`, the trial's layout, as it is, with
        the overflow measured and the message the error would have had."""
        explained, problem = self.explain(trial.rendered, regions, floor_pt)
        if not self.report:
            raise FitError(problem)
        return trial.document, FitReport(
            trial.rendered,
            list(trial.regions.values()),
            trial.body_pt,
            [],
            self.layouts,
            explained,
            problem,
        )


def _largest(trials: _Trials, base: Trial, steps: int) -> Trial:
    """The layout at the largest of `steps` steps above `base` (which fits) that fits.

    Each trial narrows [lo, hi): lo fits, hi does not (or lies past the range). After a layout
    that fits, the next step is the one its fill predicts; after one that overflows (whose
    fill says little: WeasyPrint drops or reflows what does not fit), the next step is below
    it. Steps grow 1, 2, 4… while the trials keep going the same way, so a poor prediction
    costs a few layouts more, never one per step. Usually two or three layouts in all.
    """
    lo, hi = 0, steps + 1
    kept, fitting = base, [base]
    guess = _predict(fitting, lo, hi)
    up = down = 1  # the smallest move up after a fit, down after an overflow
    while hi - lo > 1:
        trial = trials.attempt(base.body_pt + guess * STEP_PT)
        if not trial.over:
            # A step forced up past a timid prediction that fits again: force further.
            up = up * 2 if guess == lo + up else 1
            lo, kept, down = guess, trial, 1
            fitting.append(trial)
            guess = max(_predict(fitting, lo, hi), lo + up)
        else:
            hi, up = guess, 1
            guess, down = hi - down, down * 2
        guess = min(max(guess, lo + 1), hi - 1)
    return kept


def _predict(fitting: list[Trial], lo: int, hi: int) -> int:
    """The step at which the fullest region would just fill its room, from the layouts that
    fit, kept inside the open interval (lo, hi)."""
    last, base = fitting[-1], fitting[0]
    limit = math.inf
    for name, region in last.regions.items():
        fill = region.fullest
        if fill <= 0:
            continue
        growth = GROWTH
        other = next((t for t in reversed(fitting[:-1]) if name in t.regions), None)
        if other is not None and other.regions[name].fullest > 0:
            before = other.regions[name].fullest
            if before != fill:
                measured = math.log(fill / before) / math.log(last.body_pt / other.body_pt)
                growth = min(max(measured, GROWTH_RANGE[0]), GROWTH_RANGE[1])
        limit = min(limit, last.body_pt * fill ** (-1 / growth))
    if limit == math.inf:
        return hi - 1
    step = math.floor((limit - base.body_pt) / STEP_PT + 1e-9)
    return min(max(step, lo + 1), hi - 1)


def check_page_count(leaflet: Leaflet, pages: int, label: str) -> None:
    """An extra page is overflow too: on a folded or cut leaflet it lands in the wrong place."""
    if leaflet.pages is not None and pages != leaflet.pages:
        raise FitError(
            f"{label}: laid out on {pages} pages, expected {leaflet.pages}; "
            "some text overflows its panel: shorten it or run with --fit"
        )
    if leaflet.max_pages is not None and pages > leaflet.max_pages:
        raise FitError(f"{label}: laid out on {pages} pages, at most {leaflet.max_pages} allowed")
