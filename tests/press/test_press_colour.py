"""The press edition's colour, read from the files a print shop gets (the example order):
text and rules in solid black (100 % K), muted text that keeps its contrast through the output
intent, crop marks in registration colour on every plate (Ghostscript's separations), no colour
space a file does not draw with, and proofs that start at the origin."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageCms

from leaflets.pdf import pdf_x
from tests.layout.test_styles import contrast

TEXT_SHOWING = frozenset({"Tj", "TJ", "'", '"'})
PAINTING = frozenset({"f", "F", "f*", "S", "s", "B", "B*", "b", "b*"})
PRESS_FILES = (
    "01-trifold-es.pdf",
    "02-trifold-en.pdf",
    "03-card-ht.pdf",
    "proofs/trifold-es.pdf",
    "proofs/trifold-en.pdf",
    "proofs/card-ht.pdf",
)
PROOFS = [name for name in PRESS_FILES if name.startswith("proofs/")]


def colours_used(page: pikepdf.Page) -> tuple[set, set]:
    """(CMYK fill colours of the text, CMYK colours of every painted path) on a page."""
    fill: tuple = ()
    stroke: tuple = ()
    text, paths = set(), set()
    stack = []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        values = tuple(round(float(v), 4) for v in operands if isinstance(v, (int, float)))
        if op in ("scn", "sc", "k") and len(values) == 4:
            fill = values
        elif op in ("SCN", "SC", "K") and len(values) == 4:
            stroke = values
        elif op == "q":
            stack.append((fill, stroke))
        elif op == "Q" and stack:
            fill, stroke = stack.pop()
        elif op in TEXT_SHOWING and fill:
            text.add(fill)
        elif op in PAINTING:
            paths.update(c for c in (fill, stroke) if c)
    return text, paths


def test_text_and_rules_in_press_files_are_solid_black(example):
    """No tint of black anywhere (a tint prints as a dot screen): every colour without C, M
    and Y is no ink or 100 % K; text is 100 % K, or the headings' accent."""
    _, folder, _ = example
    for name in PROOFS:
        with pikepdf.open(folder / name) as pdf:
            text, paths = set(), set()
            for page in pdf.pages:
                page_text, page_paths = colours_used(page)
                text |= page_text
                paths |= page_paths
        assert (0, 0, 0, 1) in text, name
        greys = {c for c in text | paths if c[:3] == (0, 0, 0) and c[3] not in (0, 1)}
        assert greys == set(), name
        chromatic = {c for c in text if c[:3] != (0, 0, 0)}
        assert len(chromatic) <= 1, name  # the accent, on headings only


def test_press_text_keeps_its_contrast_through_the_output_intent(example):
    """Each text colour, converted to sRGB through the file's own output intent (the press's
    CMYK profile), against the paper converted the same way: 7:1 at least, as the README
    promises for large print."""
    _, folder, _ = example
    for name in PROOFS:
        with pikepdf.open(folder / name) as pdf:
            intents = pdf.Root.get("/OutputIntents")
            if not intents:
                pytest.skip("no CMYK output profile installed (Debian package libgs-common)")
            profile = ImageCms.ImageCmsProfile(
                io.BytesIO(intents[0].DestOutputProfile.read_bytes())
            )
            text = set().union(*(colours_used(page)[0] for page in pdf.pages))
        to_srgb = ImageCms.buildTransform(profile, ImageCms.createProfile("sRGB"), "CMYK", "RGB")

        def through(cmyk, transform=to_srgb) -> str:
            pixel = Image.new("CMYK", (1, 1), tuple(round(255 * v) for v in cmyk))
            r, g, b = ImageCms.applyTransform(pixel, transform).getpixel((0, 0))
            return f"#{r:02x}{g:02x}{b:02x}"

        paper = through((0, 0, 0, 0))
        ratios = {cmyk: contrast(through(cmyk), paper) for cmyk in text}
        assert all(r >= 7 for r in ratios.values()), (name, ratios)


def test_no_colour_space_a_press_file_does_not_draw_with(example):
    """Every colour space named in a resource dictionary is selected by the content that uses
    it; the proofs draw no RGB, so none carries DefaultRGB (preflight: "RGB used")."""
    _, folder, _ = example
    for name in PRESS_FILES:
        with pikepdf.open(folder / name) as pdf:
            for obj in pdf.objects:
                if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
                    continue
                spaces = (obj.get("/Resources") or {}).get("/ColorSpace")
                if not spaces:
                    continue
                content = obj if isinstance(obj, pikepdf.Stream) else pikepdf.Page(obj)
                selected = {
                    str(operands[0])
                    for operands, op in pikepdf.parse_content_stream(content)
                    if str(op) in ("cs", "CS")
                }
                assert set(spaces.keys()) <= selected, (name, list(spaces.keys()))


def test_default_rgb_goes_only_where_rgb_is_drawn():
    """The rule above can fail: WeasyPrint names colour spaces nothing draws with; pdf_x keeps
    the ones a page selects and adds DefaultRGB where DeviceRGB is drawn."""
    pdf = pikepdf.new()
    spaces = {
        "/lab-d50": pikepdf.Array([pikepdf.Name.Lab, pikepdf.Dictionary(WhitePoint=[1, 1, 1])])
    }
    for content in (b"0 0 0 1 k 0 0 10 10 re f", b"1 0 0 rg 0 0 10 10 re f /lab-d50 cs 1 0 0 sc"):
        page = pdf.add_blank_page()
        page.Resources = pikepdf.Dictionary(ColorSpace=pikepdf.Dictionary(spaces))
        page.Contents = pdf.make_stream(content)
    pdf_x.add_default_rgb(pdf, b"\0" * 128)
    plain, rgb = pdf.pages
    assert "/ColorSpace" not in plain.Resources
    assert set(rgb.Resources.ColorSpace.keys()) == {"/lab-d50", "/DefaultRGB"}


def test_proofs_start_at_the_origin(example):
    """Every page of every press file has its MediaBox at (0, 0), the trim inside it."""
    _, folder, _ = example
    for name in PRESS_FILES:
        with pikepdf.open(folder / name) as pdf:
            for page in pdf.pages:
                media = [float(v) for v in page.mediabox]
                trim = [float(v) for v in page.trimbox]
                assert media[:2] == [0, 0], name
                assert media[0] < trim[0] < trim[2] < media[2], name
                assert media[1] < trim[1] < trim[3] < media[3], name


@pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript (Debian's ghostscript)")
@pytest.mark.parametrize("name", ["01-trifold-es.pdf", "03-card-ht.pdf"])
def test_crop_marks_are_on_every_plate(example, tmp_path: Path, name):
    """Ghostscript's separations (tiffsep) of the print file's first sheet: past the bleed,
    where only the crop marks are, the cyan, magenta, yellow and black plates all carry ink,
    at the same places."""
    _, folder, _ = example
    dpi = 72
    subprocess.run(
        ["gs", "-q", "-dSAFER", "-dNOPAUSE", "-dBATCH", "-sDEVICE=tiffsep", f"-r{dpi}",
         "-dFirstPage=1", "-dLastPage=1", f"-sOutputFile={tmp_path}/sheet.tif",
         str(folder / name)],
        check=True, timeout=120,
    )  # fmt: skip
    with pikepdf.open(folder / name) as pdf:
        bleed = [float(v) * dpi / 72 for v in pdf.pages[0].obj.BleedBox]
        height = float(pdf.pages[0].mediabox[3]) * dpi / 72
    inked = {}
    for plate in ("Cyan", "Magenta", "Yellow", "Black"):
        image = Image.open(tmp_path / f"sheet({plate}).tif").convert("L")
        left, right = bleed[0] - 1, bleed[2] + 1
        top, bottom = height - bleed[3] - 1, height - bleed[1] + 1
        inked[plate] = {
            (x, y)
            for x in range(image.width)
            for y in range(image.height)
            if not (left <= x <= right and top <= y <= bottom) and image.getpixel((x, y)) < 128
        }
    assert len(inked["Black"]) > 20
    assert inked["Cyan"] == inked["Magenta"] == inked["Yellow"] == inked["Black"]
