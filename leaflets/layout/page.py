"""Page geometry as CSS: the trim size, the tri-fold's panel widths, the body size, and an
edition's bleed and CMYK output profile.

The render step puts this CSS into the HTML head; the typesetter is told which PDF variant the
edition's profile allows (PDF/X-4 only with a real CMYK output intent).
"""

from __future__ import annotations

import base64
import math
from pathlib import Path

from ..config.model import Edition, Leaflet, Project

# Tri-fold: the fold-in panel is 1/16 in narrower than the other two.
FOLD_IN_NARROWER_IN = 1 / 16
# Widths are written with 4 decimals, rounded down: three floats that add up to a hair more
# than the sheet do not fit side by side, and the last one drops below the others.
_DECIMALS = 10_000
PDF_X_VARIANT = "pdf/x-4"
PDF_UA_VARIANT = "pdf/ua-1"
# An ICC profile's header: device class at bytes 12-16, colour space at 16-20.
ICC_OUTPUT_CLASS = b"prtr"
ICC_CMYK = b"CMYK"


def page_geometry_css(
    project: Project,
    leaflet: Leaflet,
    edition: Edition | None = None,
    body_pt: float | None = None,
) -> str:
    """@page size, the computed panel widths as CSS custom properties, the body size the fit
    step chose (the low end of the leaflet's body_pt by default), then the edition's rules."""
    width, height = (float(f"{v:.4f}") for v in leaflet.page_size_in(project.build.paper))
    rules = [f"@page {{ size: {width:.4f}in {height:.4f}in; }}"]
    props = [f"--page-width: {width:.4f}in", f"--page-height: {height:.4f}in"]
    if leaflet.orientation == "landscape" and leaflet.pages == 2:
        # Three panels across: two of width a and one of a - 1/16 in, so 3a - 1/16 = width.
        panel, fold_in = trifold_panels(width)
        props += [
            f"--panel: {panel:.4f}in",
            # A ten-thousandth of an inch to spare: pixels are floats too.
            f"--panel-fold-in: {fold_in - 1 / _DECIMALS:.4f}in",
        ]
    rules.append(":root { " + "; ".join(props) + "; }")
    # Every size in the stylesheets is in em, so this one size sets all the type.
    size = leaflet.body_pt[0] if body_pt is None else body_pt
    rules.append(f"html {{ font-size: {size:.2f}pt; }}")
    if edition is not None:
        rules.append(edition_css(edition))
    return "\n".join(rules)


def trifold_panels(width: float) -> tuple[float, float]:
    """A tri-fold's panel widths in inches: (the cover's and the back's, the fold-in panel's),
    two of width a and one of a - 1/16 in, 3a - 1/16 = the sheet's width."""
    panel = _round_down((width + FOLD_IN_NARROWER_IN) / 3)
    return panel, _round_down(width - 2 * panel)


def _round_down(inches: float) -> float:
    return math.floor(inches * _DECIMALS + 1e-6) / _DECIMALS


def edition_css(edition: Edition) -> str:
    """The @page rules and custom properties for an edition: bleed, safe margin and, for PDF/X,
    the CMYK output profile as `@color-profile device-cmyk`.

    No `marks: crop`: WeasyPrint draws its marks inside the bleed, where the backgrounds run
    and where the print sheet's own marks must not be doubled. The proof's TrimBox and
    BleedBox say where to cut; press/impose.py draws the marks on the print sheet, past the
    bleed, on the cut lines (edition.crop_marks).
    """
    rules = [
        f":root {{ --bleed: {edition.bleed_in:.4f}in; --safe-margin: {edition.safe_margin_in:.4f}in; }}"
    ]
    if edition.bleed_in > 0:
        rules.append(f"@page {{ bleed: {edition.bleed_in:.4f}in; }}")
    profile = output_profile(edition) if edition.pdf_x else None
    if profile is not None:
        # A data: URI keeps the URL fetcher's allow-list as it is.
        data = base64.b64encode(profile.read_bytes()).decode("ascii")
        rules.append(
            "@color-profile device-cmyk { src: url(data:application/vnd.iccprofile;base64,"
            f"{data}); components: c, m, y, k; }}"
        )
    return "\n".join(rules)


def output_profile(edition: Edition) -> Path | None:
    """The first of the edition's output profiles that exists and is a CMYK printer profile."""
    for path in edition.output_profiles:
        if _is_cmyk_output_profile(path):
            return path
    return None


def claims_pdf_x(edition: Edition) -> bool:
    """Whether this edition's PDFs are written as PDF/X-4: only with a real output intent."""
    return edition.pdf_x and output_profile(edition) is not None


def pdf_variant(edition: Edition | None) -> str:
    """WeasyPrint's PDF variant for an edition: PDF/X-4 where it can be claimed, else PDF/UA-1."""
    return PDF_X_VARIANT if edition is not None and claims_pdf_x(edition) else PDF_UA_VARIANT


def _is_cmyk_output_profile(path: Path) -> bool:
    if not path.is_file():  # a FIFO named in leaflets.toml would block the read
        return False
    try:
        with path.open("rb") as handle:
            header = handle.read(20)
    except OSError:
        return False
    return len(header) == 20 and header[12:16] == ICC_OUTPUT_CLASS and header[16:20] == ICC_CMYK
