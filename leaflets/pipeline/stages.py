"""The life of one PDF: render → typeset → fit → finish → write, in one function, make_pdf().

`leaflets build` (builder.py), print orders (press/package.py) and the studio (studio/workshop.py)
all make their leaflets here, so a stage changed is changed for all three. What differs between
them is data, a Job: the edition (an order's bleed and PDF/X-4), where the PDF is written and
the name its identifier comes from, its dates, whether overflow is reported instead of raised
(the studio), and the body size the fit search starts from. The studio stops after lay_out().

Importing this module imports the rendering stages (Jinja2, WeasyPrint); a build imports it
(build.py → workers.py → builder.py) only when it has something to render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config.model import Edition, Language, Leaflet, Project
from ..config.paths import inside
from ..errors import FitError
from ..i18n.translations import Translations
from ..layout import fit, page
from ..layout.render import RenderedLeaflet, Renderer, RenderOptions
from ..layout.typeset import Typesetter
from ..layout.weasyprint_adapters import Document, srgb_profile
from ..pdf import pdf_x, reproducible
from ..pdf.leaflet_audit import accessible
from ..writing import write_atomic


@dataclass(frozen=True)
class Job:
    """One PDF to make: all that the build, the press and the studio do differently, as data."""

    leaflet: Leaflet
    language: Language
    translations: Translations
    label: str
    """How errors name it: "trifold (es)", or an order's item."""
    name: str
    """What its fixed identifiers are made from: "trifold/es", "orders/<slug>/<item>"."""
    path: Path
    """Where it is written: out/<lang>/<leaflet>.pdf, or an order's proof."""
    edition: Edition | None = None
    """An order's edition: its page CSS (bleed, output profile) and PDF variant."""
    fit: str = "error"
    """fit.layout()'s mode: "error", or "shrink" (--fit)."""
    date: str | None = None
    """The PDF's dates (an order's own); None: SOURCE_DATE_EPOCH's, or none."""
    report: bool = False
    """The studio's: overflow and a wrong page count are kept in LaidOut, not raised."""
    hint: float | None = None
    """The body size chosen last time: the fit search starts there (same size, fewer layouts)."""


@dataclass
class Stages:
    """What the PDFs of one project share: the renderer (a Jinja2 environment per language)
    and the typesetter (one WeasyPrint font configuration, parsed stylesheets)."""

    project: Project
    renderer: Renderer
    typesetter: Typesetter

    @classmethod
    def load(cls, project: Project) -> Stages:
        return cls(project, Renderer(project), Typesetter(project))


@dataclass
class LeafletAtSize:
    """The job's leaflet at any body size: what fit.layout() asks for at each size it tries."""

    stages: Stages
    job: Job
    optional: bool = True
    """With the lines the template prints only when they fit."""
    pdf_variant: str = field(init=False)
    """WeasyPrint's variant for the job's edition: PDF/UA-1, or PDF/X-4 where it can be claimed."""

    def __post_init__(self) -> None:
        self.pdf_variant = page.pdf_variant(self.job.edition)

    def render(self, body_pt: float) -> RenderedLeaflet:
        """The HTML, without <link>s: the typesetter applies its parsed copies of the
        stylesheets, kept between outputs, instead of parsing them again for each one."""
        options = RenderOptions(
            body_pt=body_pt,
            edition=self.job.edition,
            link_stylesheets=False,
            optional=self.optional,
        )
        job = self.job
        return self.stages.renderer.html(job.leaflet, job.language, job.translations, options)

    def typeset(self, rendered: RenderedLeaflet) -> Document:
        return self.stages.typesetter.layout(rendered.html, rendered.stylesheets, self.pdf_variant)


@dataclass
class LaidOut:
    """A job rendered, typeset and fitted."""

    document: Document
    fitted: fit.FitReport
    at_size: LeafletAtSize
    """The leaflet at other sizes (the studio renders its marked copy at fitted.body_pt)."""
    page_problem: str | None = None
    """With Job.report: what check_page_count would have raised."""


@dataclass(frozen=True)
class MadePdf:
    pdf: bytes
    pages: int
    fitted: fit.FitReport


def make_pdf(stages: Stages, job: Job) -> MadePdf:
    """One PDF through every stage; the build and the press call this, the studio lay_out()."""
    laid_out = lay_out(stages, job)  # render → typeset → fit
    pdf = finish(stages, job, laid_out)  # stamp → PDF → repair → audit
    # Write: a PDF that failed a stage above is never written.
    write_atomic(inside(stages.project.root, job.path, outside_ok=True), pdf)
    return MadePdf(pdf, len(laid_out.document.pages), laid_out.fitted)


def lay_out(stages: Stages, job: Job) -> LaidOut:
    """Render → typeset → fit: the layout at the largest body size at which every region fits,
    on the leaflet's number of pages (an extra page is overflow too). Lines the template prints
    only when they fit (the wallet card's interpreter and TTY lines) are kept if the leaflet
    fits with them in its body range; if it fits there only without them, they are left out;
    if it fits in neither, they stay, and overflow fails or shrinks the type as the mode says."""
    at_size = LeafletAtSize(stages, job)
    if at_size.render(job.leaflet.body_pt[0]).has_optional:
        for attempt in (at_size, LeafletAtSize(stages, job, optional=False)):
            try:
                laid_out = _fitted(stages, job, attempt, "error", report=False)
            except FitError:
                continue
            laid_out.fitted.left_out = not attempt.optional
            return laid_out
    return _fitted(stages, job, at_size, job.fit, job.report)


def _fitted(stages: Stages, job: Job, at_size: LeafletAtSize, mode: str, report: bool) -> LaidOut:
    document, fitted = fit.layout(
        stages.project,
        job.leaflet,
        job.translations,
        job.label,
        at_size,
        fit=mode,
        report=report,
        hint=job.hint,
    )
    try:
        fit.check_page_count(job.leaflet, len(document.pages), job.label)
    except FitError as exc:
        if not report:
            raise
        return LaidOut(document, fitted, at_size, exc.message)
    return LaidOut(document, fitted, at_size)


def finish(stages: Stages, job: Job, laid_out: LaidOut) -> bytes:
    """The laid-out document as the PDF to write: fixed dates and identifier, WeasyPrint's
    PDF/UA gaps repaired, audited (AuditError if it fails), and PDF/X-4 completed for an
    edition that claims it."""
    document = laid_out.document
    reproducible.stamp(document, job.date)
    identifier = reproducible.identifier(job.name)
    pdf = stages.typesetter.pdf(document, laid_out.at_size.pdf_variant, identifier)
    pdf = accessible(
        pdf,
        laid_out.fitted.rendered.html,
        job.path,
        job.leaflet,
        job.language.bcp47,
        job.label,
        fonts=frozenset(stages.project.fonts_of(job.language.code)),
        # Data, not a call back into the catalog: the audit names a stray glyph's msgid.
        printed=job.translations.printed_texts(),
    )
    if job.edition is not None and job.edition.bleed_in > 0:
        pdf = pdf_x.at_origin(pdf)
    if job.edition is not None and page.claims_pdf_x(job.edition):
        profile = page.output_profile(job.edition)
        assert profile is not None  # claims_pdf_x found it
        pdf = pdf_x.finish(pdf, job.edition, profile, job.name, srgb_profile())
    return pdf
