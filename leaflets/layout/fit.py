"""Fit: fail with the overflowing region and the msgid to shorten, or shrink type where allowed.

measure.py says how each fixed region's text sits in its box. A region that does not fit fails
the build with the size of the overflow and the msgid to shorten, or, with `fit = "shrink"`,
has its type scaled down by a bisection over sizes in 0.1 pt steps, never below the leaflet's
floor (`min_font_pt`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..config.model import FIT_MODES, Leaflet, Project
from ..config.paths import inside
from ..errors import FitError, LeafletsError
from ..i18n.placeholders import PERCENT_RE
from ..i18n.pofile import read_catalog
from ..i18n.translations import Translations
from .measure import (
    RegionFit,
    Typeset,
    measure,
    natural_heights,
    smallest_pt,
    squash,
    with_natural_overflow,
)
from .render import RenderedLeaflet

if TYPE_CHECKING:
    from weasyprint.document import Document

# Type shrinks in steps of this many points: small enough to be invisible, coarse enough that
# the bisection needs only a few layouts (11 pt → 10 pt is 10 steps, so 4 layouts).
STEP_PT = 0.1
# How much of a message's text must be found in a region for the message to be in it.
MATCHED_PREFIX = 200


@dataclass(frozen=True)
class Shrink:
    """A region whose type was scaled down to fit."""

    region: str
    kind: str
    scale: float
    from_pt: float
    to_pt: float

    def describe(self) -> str:
        return (
            f'{self.kind} "{self.region}" shrunk to {self.to_pt:g} pt '
            f"(from {self.from_pt:g} pt, {self.scale:.0%})"
        )


@dataclass
class FitReport:
    """What layout() did: the HTML it kept, the regions it shrank and how many layouts it ran."""

    rendered: RenderedLeaflet
    regions: list[RegionFit]
    shrunk: list[Shrink] = field(default_factory=list)
    layouts: int = 1
    overflowing: list[RegionFit] = field(default_factory=list)
    """With report=True: the regions that still overflow, measured in the natural layout."""
    problem: str | None = None
    """With report=True: what FitError would have said about them."""

    @property
    def fallbacks(self) -> int:
        return self.rendered.fallbacks

    @property
    def fallback_keys(self) -> frozenset:
        return self.rendered.fallback_keys


# ---------------------------------------------------------------- naming the message


class MessageIndex:
    """Which msgid printed which text, so that a cut-off paragraph can be traced to its msgid.

    Built only when a region overflows, from the template catalog (messages.pot) and the
    language's translations.
    """

    def __init__(self, texts: dict[str, str]):
        self.seen = texts
        """msgid → the text it prints as (placeholders not filled in)."""

    @classmethod
    def load(cls, project: Project, translations: Translations) -> MessageIndex:
        try:
            template = read_catalog(inside(project.root, project.pot_path))
        except LeafletsError:
            return cls({})
        # Ask through the gettext API, so that computed translations (the pseudo-locale) work
        # too; these look-ups are not part of the leaflet, so they must not count as fallbacks.
        fallbacks = set(translations.fallbacks)
        texts: dict[str, str] = {}
        try:
            for message in template:
                if not message.id:
                    continue
                if isinstance(message.id, str):
                    msgid = message.id
                    text = (
                        translations.pgettext(message.context, msgid)
                        if message.context
                        else translations.gettext(msgid)
                    )
                else:
                    msgid = message.id[0]
                    text = (
                        translations.npgettext(message.context, msgid, message.id[1], 1)
                        if message.context
                        else translations.ngettext(msgid, message.id[1], 1)
                    )
                texts[msgid] = text
        finally:
            translations.fallbacks.clear()
            translations.fallbacks.update(fallbacks)
        return cls(texts)

    def msgids_in(self, text: str) -> list[str]:
        """The msgids whose rendered text appears in `text`, longest text first."""
        flat = squash(text)
        found = []
        for msgid, rendered in self.seen.items():
            # Placeholders are filled in after gettext: match the literal parts around them.
            literal = PERCENT_RE.sub(lambda m: "%" if m.group("conv") == "%" else "\0", rendered)
            chunks = [squash(c) for c in literal.split("\0")]
            # A long text may run past the end of what was laid out (the natural layout is one
            # tall page): its start is enough to know it is there.
            chunks = [c[:MATCHED_PREFIX] for c in chunks if c]
            if chunks and all(c in flat for c in chunks):
                found.append((sum(map(len, chunks)), msgid))
        return [msgid for _, msgid in sorted(found, key=lambda item: -item[0])]

    def culprit(self, region: RegionFit) -> str | None:
        """The msgid to shorten: the region's message that grew most in translation, else the
        message of the paragraph cut by the bottom edge (in the source language nothing grew)."""
        grown = [(len(self.seen[m]) - len(m), m) for m in self.msgids_in(region.text or "")]
        grown = [item for item in grown if item[0] > 0]
        if grown:
            return max(grown, key=lambda item: item[0])[1]
        for paragraph in region.paragraphs:
            found = self.msgids_in(paragraph)
            if found:
                return found[0]
        return None


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------- layout with fitting


Render = Callable[[dict[str, float]], RenderedLeaflet]
"""Renders the leaflet's HTML with this font scale per region (RenderOptions.font_scale)."""


Trial = tuple["Document", RenderedLeaflet, dict[str, RegionFit]]
"""One layout at a given set of region scales, and each region's fit in it."""


def layout(
    project: Project,
    leaflet: Leaflet,
    translations: Translations,
    label: str,
    render: Render,
    typeset: Typeset,
    fit: str = "error",
    report: bool = False,
) -> tuple[Document, FitReport]:
    """Render and lay out one leaflet; fail with FitError, or shrink type, when a region overflows.

    `fit` is "error" (overflow fails the build) or "shrink" (type shrinks in overflowing regions,
    down to leaflet.min_font_pt). Regions are fixed boxes, so each one's scale is searched
    independently, and all of them share each trial layout. Rendering and typesetting come in
    as callables, so that the builder keeps its own ways of doing both. With `report`, text that
    does not fit fails nothing: the layout is returned with FitReport.overflowing and .problem
    (the studio shows the page and outlines the overflow).
    """
    if fit not in FIT_MODES:
        raise LeafletsError(f"unknown fit mode {fit!r}; expected one of {', '.join(FIT_MODES)}")
    trials = _Trials(project, leaflet, translations, label, render, typeset, report=report)
    document, rendered, regions = trials.attempt({})
    over = [r for r in regions.values() if not r.fits]
    if not over:
        return document, FitReport(rendered, list(regions.values()), layouts=trials.layouts)
    if fit != "shrink":
        return trials.give_up((document, rendered, regions), over, None)
    try:
        return _shrink(trials, document, rendered, regions, over)
    except _NoFit as failed:
        return trials.give_up(failed.trial, failed.regions, leaflet.min_font_pt)


@dataclass
class _Trials:
    """Trial layouts of one leaflet, counted, and the error that explains an overflow."""

    project: Project
    leaflet: Leaflet
    translations: Translations
    label: str
    render: Render
    typeset: Typeset
    layouts: int = 0
    report: bool = False

    def attempt(self, scales: dict[str, float]) -> Trial:
        self.layouts += 1
        self.translations.fallbacks.clear()
        try:
            rendered = self.render(scales)
            document = self.typeset(rendered)
        except LeafletsError as exc:
            raise type(exc)(f"{self.label}: {exc.message}", exc.path, exc.line) from None
        return document, rendered, {r.name: r for r in measure(document)}

    def natural(self, rendered: RenderedLeaflet) -> dict:
        """Each region's box when every region is as tall as its content."""
        width, _ = self.leaflet.page_size_in(self.project.build.paper)
        return natural_heights(self.typeset, rendered, width)

    def explain(
        self, rendered: RenderedLeaflet, regions: list[RegionFit], floor_pt: float | None
    ) -> tuple[list[RegionFit], str]:
        """The regions with their overflow measured, and the message that names the msgid."""
        natural = self.natural(rendered)
        explained = [with_natural_overflow(r, natural.get(r.name)) for r in regions]
        index = MessageIndex.load(self.project, self.translations)
        return explained, _overflow_message(self.label, explained, index, floor_pt)

    def give_up(
        self, trial: Trial, regions: list[RegionFit], floor_pt: float | None
    ) -> tuple[Document, FitReport]:
        """Text that does not fit: FitError; with `report`, the trial's layout, as it is, with
        the overflow measured and the message the error would have had."""
        document, rendered, laid = trial
        explained, problem = self.explain(rendered, regions, floor_pt)
        if not self.report:
            raise FitError(problem)
        return document, FitReport(
            rendered, list(laid.values()), [], self.layouts, explained, problem
        )


class _NoFit(Exception):
    """Shrinking cannot make these regions fit: the trial that shows it, for give_up()."""

    def __init__(self, trial: Trial, regions: list[RegionFit]):
        self.trial, self.regions = trial, regions


def _shrink(
    trials: _Trials,
    document: Document,
    rendered: RenderedLeaflet,
    base: dict[str, RegionFit],
    over: list[RegionFit],
) -> tuple[Document, FitReport]:
    """Scale the type of each overflowing region down to the largest step that fits."""
    # The smallest type sets how far a region may shrink. Text that WeasyPrint dropped is
    # missing from this layout, so it is read from the natural one, where all of it is laid out.
    natural = trials.natural(rendered)
    trials.layouts += 1
    smallest = {
        r.name: min(r.smallest_pt, smallest_pt(natural[r.name]))
        if r.name in natural
        else r.smallest_pt
        for r in over
    }
    # Sizes are whole steps above the floor: the search runs over step counts, not every size.
    floor_pt = trials.leaflet.min_font_pt
    steps = {
        name: math.floor((size - floor_pt) / STEP_PT + 1e-9)
        for name, size in smallest.items()
        if floor_pt < size < math.inf  # a region without text has no type to shrink
    }
    hopeless = [r for r in over if not steps.get(r.name)]
    if hopeless:
        raise _NoFit((document, rendered, base), hopeless)

    def scales_for(chosen: dict[str, int]) -> dict[str, float]:
        return {name: (floor_pt + k * STEP_PT) / smallest[name] for name, k in chosen.items()}

    lo, (document, rendered, regions) = _bisect(trials, steps, scales_for)
    scales = scales_for(lo)
    shrunk = [
        Shrink(
            region=name,
            kind=base[name].kind,
            scale=scales[name],
            from_pt=smallest[name],
            to_pt=round(floor_pt + lo[name] * STEP_PT, 1),
        )
        for name in steps
    ]
    return document, FitReport(rendered, list(regions.values()), shrunk, trials.layouts)


def _bisect(
    trials: _Trials,
    steps: dict[str, int],
    scales_for: Callable[[dict[str, int]], dict[str, float]],
) -> tuple[dict[str, int], Trial]:
    """The largest step count per region that fits, and the layout with all of them."""
    # Per region: lo is a step count that fits (once the floor is shown to fit), hi one that
    # does not. Each trial layout halves every open interval at once.
    lo = dict.fromkeys(steps, 0)
    hi = dict(steps)
    document, rendered, regions = trials.attempt(scales_for(lo))
    still = [regions[name] for name in steps if not regions[name].fits]
    if still:
        raise _NoFit((document, rendered, regions), still)
    kept = (dict(lo), (document, rendered, regions))
    while any(hi[n] - lo[n] > 1 for n in steps):
        trial = {n: (lo[n] + hi[n]) // 2 if hi[n] - lo[n] > 1 else lo[n] for n in steps}
        document, rendered, regions = trials.attempt(scales_for(trial))
        for name in steps:
            if trial[name] != lo[name]:
                if regions[name].fits:
                    lo[name] = trial[name]
                else:
                    hi[name] = trial[name]
        if trial == lo:
            kept = (dict(trial), (document, rendered, regions))
    if kept[0] == lo:
        return lo, kept[1]
    # Each region's best size was found in a different trial: lay out the combination.
    document, rendered, regions = trials.attempt(scales_for(lo))
    wrong = [r for r in regions.values() if not r.fits]
    if wrong:
        raise _NoFit((document, rendered, regions), wrong)
    return lo, (document, rendered, regions)


def check_page_count(leaflet: Leaflet, pages: int, label: str) -> None:
    """An extra page is overflow too: on a folded or cut leaflet it lands in the wrong place."""
    if leaflet.pages is not None and pages != leaflet.pages:
        raise FitError(
            f"{label}: laid out on {pages} pages, expected {leaflet.pages}; "
            "some text overflows its panel: shorten it or run with --fit"
        )
    if leaflet.max_pages is not None and pages > leaflet.max_pages:
        raise FitError(f"{label}: laid out on {pages} pages, at most {leaflet.max_pages} allowed")


def _overflow_message(
    label: str, regions: list[RegionFit], index: MessageIndex, floor_pt: float | None
) -> str:
    lines = []
    for region in regions:
        if region.moved:
            lines.append(f"{label}: {region.label} is pushed off its page; check the template")
            continue
        if region.too_wide_px > 0 and region.overflow_px <= 0:
            detail = f"is too wide by {region.overflow_pt} pt"
        else:
            noun = "line" if region.lines == 1 else "lines"
            detail = f"overflows by {region.overflow_pt} pt ({region.lines} {noun})"
        if floor_pt is not None:
            detail += f" even at the {floor_pt:g} pt floor"
        msgid = index.culprit(region)
        text = next((p for p in region.paragraphs if p.strip()), None)
        if msgid is not None:
            advice = f'shorten msgid "{_shorten(msgid)}"'
        elif text is not None:
            advice = f'shorten the text "{_shorten(text)}"'
        else:
            advice = "make its content smaller"
        if floor_pt is None:
            advice += " or run with --fit"
        lines.append(f"{label}: {region.label} {detail}; {advice}")
    return "\n".join(lines)
