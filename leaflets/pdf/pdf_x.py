"""PDF/X-4 files finished: what WeasyPrint leaves out when it writes PDF/X-4 with tags.

The print edition's PDFs (press/editions.py) claim PDF/X-4 when a CMYK output profile is found
(layout/page.py decides; the pipeline passes the profile here). WeasyPrint then writes the
PDF/X identification only: `finish()` adds the PDF/UA identifier to the XMP metadata, names the
output intent's printing condition, maps DeviceRGB to sRGB where it is drawn (SVG), so that
it is device-independent, and leaves out the colour spaces nothing draws. `at_origin()` moves a
page with a bleed to start at (0, 0).
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf

from ..config.model import Edition
from .icc import profile_description
from .reproducible import document_id
from .structure import walk

PDF_UA_PART = "1"


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
    """Map DeviceRGB to sRGB where it is drawn, and leave out the colour spaces nothing draws.

    WeasyPrint draws SVG colours as DeviceRGB; under a CMYK output intent PDF/X-4 wants them
    device-independent, which DefaultRGB makes them. It also names colour spaces in every
    page's resources (lab-d50, lab-d65, device-cmyk) whether they are drawn or not: preflight
    reads an unused one as a colour the file prints ("RGB used"), so only the ones a content
    stream selects stay, and DefaultRGB goes only where DeviceRGB is drawn.
    """
    srgb = document.make_stream(srgb_profile)
    srgb.N = 3
    default_rgb = pikepdf.Array([pikepdf.Name.ICCBased, srgb])
    usage: dict = {}
    for obj in document.objects:
        if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            continue
        resources = obj.get("/Resources")
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        slot = usage.setdefault(_identity(resources), (resources, set(), [False]))
        _colour_use(obj, resources, slot[1], slot[2])
    for resources, names, rgb in usage.values():
        spaces = resources.get("/ColorSpace")
        kept = {
            name: spaces[name]
            for name in (spaces.keys() if isinstance(spaces, pikepdf.Dictionary) else ())
            if name in names and name != "/DefaultRGB"
        }
        if rgb[0]:
            kept["/DefaultRGB"] = default_rgb
        if kept:
            resources.ColorSpace = pikepdf.Dictionary(kept)
        elif "/ColorSpace" in resources:
            del resources["/ColorSpace"]


def _identity(resources: pikepdf.Object):
    return resources.objgen if resources.is_indirect else id(resources)


RGB_OPERATORS = frozenset({"rg", "RG"})


def _colour_use(owner, resources, names: set, rgb: list) -> None:
    """The named colour spaces `owner`'s content selects (cs, CS), and whether it draws in
    DeviceRGB: rg/RG, DeviceRGB selected, or an image or shading of its resources in RGB."""
    if isinstance(owner, pikepdf.Stream):
        content = owner
    elif owner.get("/Type") == "/Page":
        content = pikepdf.Page(owner)
    else:
        return
    for operands, operator in pikepdf.parse_content_stream(content):
        op = str(operator)
        if op in RGB_OPERATORS:
            rgb[0] = True
        elif op in ("cs", "CS") and operands:
            name = str(operands[0])
            names.add(name)
            rgb[0] = rgb[0] or name == "/DeviceRGB"
        elif op == "INLINE IMAGE":
            rgb[0] = True  # inline images are rare here; keep sRGB for them
    for group in ("/XObject", "/Shading"):
        for item in (resources.get(group) or {}).values():
            if str(item.get("/ColorSpace", "")) == "/DeviceRGB":
                rgb[0] = True


def at_origin(pdf: bytes) -> bytes:
    """The PDF with each page's MediaBox starting at (0, 0): WeasyPrint starts a page with a
    bleed at minus the bleed, which is legal but which some print shop tools mishandle. The
    content moves by the same amount, and so do the page boxes, the links and the figures'
    boxes in the structure tree."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        moved = {}
        for page in document.pages:
            x0, y0 = float(page.mediabox[0]), float(page.mediabox[1])
            if x0 == 0 and y0 == 0:
                continue
            moved[page.obj.objgen] = (-x0, -y0)
            page.contents_add(f"q 1 0 0 1 {-x0:g} {-y0:g} cm\n".encode(), prepend=True)
            page.contents_add(b"\nQ")
            for box in ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
                if box in page.obj:
                    page.obj[box] = _shifted(page.obj[box], -x0, -y0)
            for annot in page.obj.get("/Annots", []):
                annot.Rect = _shifted(annot.Rect, -x0, -y0)
                if "/QuadPoints" in annot:
                    annot.QuadPoints = _shifted(annot.QuadPoints, -x0, -y0)
        if not moved:
            return pdf
        _move_figure_boxes(document, moved)
        out = io.BytesIO()
        document.save(out, deterministic_id=True)
        return out.getvalue()


def _shifted(values, dx: float, dy: float) -> pikepdf.Array:
    return pikepdf.Array(
        [round(float(v) + (dx if i % 2 == 0 else dy), 4) for i, v in enumerate(values)]
    )


def _move_figure_boxes(document: pikepdf.Pdf, moved: dict) -> None:
    root = document.Root.get("/StructTreeRoot")
    if root is None:
        return
    for elem, _ in walk(root):
        attrs = elem.get("/A")
        page = elem.get("/Pg")
        box = isinstance(attrs, pikepdf.Dictionary) and "/BBox" in attrs
        if box and page is not None and page.objgen in moved:
            attrs.BBox = _shifted(attrs.BBox, *moved[page.objgen])
