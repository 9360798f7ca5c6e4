"""Editions: the office edition (no bleed) and the press edition (bleed, crop marks, PDF/X-4).

An edition changes how a leaflet is laid out for printing, never what it says:
- `page_css()` adds the @page bleed and marks, the safe margin, and, for PDF/X, the CMYK
  output profile as `@color-profile device-cmyk`;
- `pdf_variant()` picks PDF/X-4 when the output profile can be had, PDF/UA-1 otherwise;
- `finish()` repairs what WeasyPrint leaves out when it writes PDF/X-4 with tags: the PDF/UA
  identifier in the XMP metadata, and a DefaultRGB colour space so that the few colours
  WeasyPrint still writes as DeviceRGB (SVG, crop marks) are device-independent.
"""

from __future__ import annotations

import base64
import io
from functools import cache
from importlib.resources import files
from pathlib import Path

import pikepdf

from ..config.project import Edition

PDF_X_VARIANT = "pdf/x-4"
PDF_UA_VARIANT = "pdf/ua-1"
PDF_UA_PART = "1"
# An ICC profile's header: device class at bytes 12-16, colour space at 16-20.
ICC_OUTPUT_CLASS = b"prtr"
ICC_CMYK = b"CMYK"


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
    return PDF_X_VARIANT if edition is not None and claims_pdf_x(edition) else PDF_UA_VARIANT


def pdf_x_note(edition: Edition) -> str:
    """One sentence for the job ticket on the PDF standard the print files follow."""
    if not edition.pdf_x:
        return "PDF/UA-1 (tagged); not PDF/X: this edition is for a desktop printer."
    profile = output_profile(edition)
    if profile is None:
        tried = ", ".join(str(p) for p in edition.output_profiles)
        return (
            "Not PDF/X: no CMYK output profile could be found (tried "
            f"{tried}); install the Debian package libgs-common, or set "
            "editions.press.output_profiles. Colours are CMYK, but without an output intent."
        )
    return f"PDF/X-4, output intent {profile_description(profile)}; tagged (PDF/UA-1) as well."


def page_css(edition: Edition) -> str:
    """The @page rules and custom properties for an edition, injected after the page geometry."""
    rules = [
        f":root {{ --bleed: {edition.bleed_in:.4f}in; --safe-margin: {edition.safe_margin_in:.4f}in; }}"
    ]
    if edition.bleed_in > 0:
        marks = " marks: crop;" if edition.crop_marks else ""
        rules.append(f"@page {{ bleed: {edition.bleed_in:.4f}in;{marks} }}")
    profile = output_profile(edition) if edition.pdf_x else None
    if profile is not None:
        # A data: URI keeps the URL fetcher's allow-list as it is.
        data = base64.b64encode(profile.read_bytes()).decode("ascii")
        rules.append(
            "@color-profile device-cmyk { src: url(data:application/vnd.iccprofile;base64,"
            f"{data}); components: c, m, y, k; }}"
        )
    return "\n".join(rules)


@cache
def profile_description(path: Path) -> str:
    from PIL import ImageCms

    profile = ImageCms.getOpenProfile(str(path)).profile
    return (profile.profile_description or path.name).strip()


def finish(pdf: bytes, edition: Edition | None) -> bytes:
    """Post-process a PDF written for an edition. PDF/UA-1 files pass through unchanged."""
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
        out = io.BytesIO()
        document.save(out, min_version="1.6")
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
    srgb = document.make_stream((files("weasyprint.pdf") / "sRGB2014.icc").read_bytes())
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


def _is_cmyk_output_profile(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            header = handle.read(20)
    except OSError:
        return False
    return len(header) == 20 and header[12:16] == ICC_OUTPUT_CLASS and header[16:20] == ICC_CMYK
