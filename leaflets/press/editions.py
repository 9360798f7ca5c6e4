"""Editions: the office edition (no bleed) and the press edition (bleed, crop marks, PDF/X-4).

An edition changes how a leaflet is laid out for printing, never what it says. Its page CSS
(bleed, marks, safe margin, output profile) and its PDF variant come from layout/page.py, and
the pipeline finishes its PDF/X-4 files with pdf/pdf_x.py; here, what the job ticket says about
the print files.
"""

from __future__ import annotations

from ..config.model import Edition
from ..layout import page
from ..layout.page import output_profile
from ..pdf.icc import profile_description
from .orders import Order


def pdf_x_note(edition: Edition) -> str:
    """What the print files are, for the job ticket: their PDF standard, and which files are
    the tagged, accessible ones. Imposed sheets are not tagged (one page drawn many times, with
    crop marks, has no single reading order); the proofs are."""
    proofs = "the proofs (proofs/) are the tagged PDF/UA-1 copies, for screen and screen readers."
    if not edition.pdf_x:
        return (
            "Not PDF/X: this edition is for a desktop printer. A print file that is the leaflet "
            "itself is its tagged PDF/UA-1 proof; an imposed sheet is not tagged, and " + proofs
        )
    profile = output_profile(edition)
    if profile is None:
        tried = ", ".join(str(p) for p in edition.output_profiles)
        return (
            "Not PDF/X: no CMYK output profile could be found (tried "
            f"{tried}); install the Debian package libgs-common, or set "
            "editions.press.output_profiles. Colours are CMYK, but without an output intent. "
            f"Imposed print files are not tagged; {proofs}"
        )
    return (
        f"Print files: PDF/X-4, output intent {profile_description(profile)}, for the press; "
        f"they are not tagged, and {proofs}"
    )


def order_warnings(order: Order) -> list[str]:
    """What the ticket warns about before any item is rendered: dates in the past, and an
    edition that cannot claim PDF/X here."""
    warnings = list(order.warnings)
    if order.edition.pdf_x and not page.claims_pdf_x(order.edition):
        # Said out loud rather than shipping files that claim PDF/X without an output intent.
        warnings.append(pdf_x_note(order.edition))
    return warnings
