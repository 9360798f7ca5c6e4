"""Editions: the office edition (no bleed) and the press edition (bleed, crop marks, PDF/X-4).

An edition changes how a leaflet is laid out for printing, never what it says. Its page CSS
(bleed, marks, safe margin, output profile) and its PDF variant come from layout/page.py; here,
`finish()` repairs what WeasyPrint leaves out when it writes PDF/X-4 with tags: the PDF/UA
  identifier in the XMP metadata, and a DefaultRGB colour space so that the few colours
  WeasyPrint still writes as DeviceRGB (SVG, crop marks) are device-independent.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import pikepdf
from PIL import ImageCms

from ..config.model import Edition
from ..layout.page import claims_pdf_x, output_profile
from ..layout.weasyprint_adapters import srgb_profile
from ..pdf.reproducible import document_id

PDF_UA_PART = "1"


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


@cache
def profile_description(path: Path) -> str:
    profile = ImageCms.getOpenProfile(str(path)).profile
    return (profile.profile_description or path.name).strip()


def finish(pdf: bytes, edition: Edition | None, name: str = "") -> bytes:
    """Post-process a PDF written for an edition. PDF/UA-1 files pass through unchanged.
    WeasyPrint gives a PDF/X-4 file a random XMP document ID: it becomes one made from `name`."""
    if edition is None or not claims_pdf_x(edition):
        return pdf
    profile = output_profile(edition)
    assert profile is not None
    with pikepdf.open(io.BytesIO(pdf)) as document:
        _describe_output_intent(document, edition, profile)
        add_default_rgb(document)
        with document.open_metadata(set_pikepdf_as_editor=False) as meta:
            # WeasyPrint writes the PDF/X identification only; the file is tagged as PDF/UA too.
            meta["pdfuaid:part"] = PDF_UA_PART
            meta["xmpMM:DocumentID"] = document_id(name or "leaflet")
        out = io.BytesIO()
        document.save(out, min_version="1.6", deterministic_id=True)
        return out.getvalue()


def _describe_output_intent(document: pikepdf.Pdf, edition: Edition, profile: Path) -> None:
    """Name the printing condition: a custom profile takes "Custom" as its identifier."""
    for intent in document.Root.get("/OutputIntents", []):
        intent.OutputConditionIdentifier = pikepdf.String("Custom")
        intent.Info = pikepdf.String(profile_description(profile))
        if edition.output_condition:
            intent.OutputCondition = pikepdf.String(edition.output_condition)


def add_default_rgb(document: pikepdf.Pdf) -> None:
    """Map DeviceRGB to sRGB in every resource dictionary that has colour spaces.

    WeasyPrint draws SVG colours and its crop marks as DeviceRGB; under a CMYK output intent
    PDF/X-4 wants them device-independent, which DefaultRGB makes them.
    """
    srgb = document.make_stream(srgb_profile())
    srgb.N = 3
    default_rgb = pikepdf.Array([pikepdf.Name.ICCBased, srgb])
    seen: set[tuple[int, int]] = set()
    for obj in document.objects:
        if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            continue
        resources = obj.get("/Resources")
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        if resources.is_indirect:
            if resources.objgen in seen:
                continue
            seen.add(resources.objgen)
        colour_spaces = resources.get("/ColorSpace")
        if colour_spaces is None:
            resources.ColorSpace = pikepdf.Dictionary(DefaultRGB=default_rgb)
        elif "/DefaultRGB" not in colour_spaces:
            colour_spaces.DefaultRGB = default_rgb
