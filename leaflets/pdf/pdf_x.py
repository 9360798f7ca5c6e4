"""PDF/X-4 files finished: what WeasyPrint leaves out when it writes PDF/X-4 with tags.

The print edition's PDFs (press/editions.py) claim PDF/X-4 when a CMYK output profile is found
(layout/page.py decides; the pipeline passes the profile here). WeasyPrint then writes the
PDF/X identification only: `finish()` adds the PDF/UA identifier to the XMP metadata, names the
output intent's printing condition, and maps DeviceRGB to sRGB, so that the few colours
WeasyPrint still writes as DeviceRGB (SVG, crop marks) are device-independent.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import pikepdf
from PIL import ImageCms

from ..config.model import Edition
from .reproducible import document_id

PDF_UA_PART = "1"


@cache
def profile_description(path: Path) -> str:
    profile = ImageCms.getOpenProfile(str(path)).profile
    return (profile.profile_description or path.name).strip()


def finish(pdf: bytes, edition: Edition, profile: Path, name: str, srgb: bytes) -> bytes:
    """A PDF/X-4 file as WeasyPrint wrote it, with `profile` its output intent, finished:
    WeasyPrint gives it a random XMP document ID, which becomes one made from `name`. `srgb` is
    the sRGB profile DeviceRGB is mapped to (WeasyPrint's own, from the adapters module)."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        _describe_output_intent(document, edition, profile)
        add_default_rgb(document, srgb)
        with document.open_metadata(set_pikepdf_as_editor=False) as meta:
            # WeasyPrint writes the PDF/X identification only; the file is tagged as PDF/UA too.
            meta["pdfuaid:part"] = PDF_UA_PART
            meta["xmpMM:DocumentID"] = document_id(name)
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


def add_default_rgb(document: pikepdf.Pdf, srgb_profile: bytes) -> None:
    """Map DeviceRGB to sRGB in every resource dictionary that has colour spaces.

    WeasyPrint draws SVG colours and its crop marks as DeviceRGB; under a CMYK output intent
    PDF/X-4 wants them device-independent, which DefaultRGB makes them.
    """
    srgb = document.make_stream(srgb_profile)
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
