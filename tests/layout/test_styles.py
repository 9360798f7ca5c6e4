"""Colour and type: WCAG 2.2 contrast computed from the stylesheets' colour variables, and the
type rules checked on WeasyPrint's laid-out boxes (computed style, not the CSS text)."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from weasyprint.formatting_structure import boxes

from leaflets.config import project as project_mod
from leaflets.pdf import content as pdf_content
from leaflets.pipeline import build as build_mod
from tests.conftest import REPO

STYLES = REPO / "styles"
THEMES = sorted((STYLES / "themes").glob("*.css"))
TEXT_COLOURS = ("ink", "accent", "muted")  # every text colour the stylesheets use
BACKGROUNDS = ("paper", "band")  # the page, and the tri-fold cover's band
LEAFLETS = ("trifold", "flyer", "card", "large-print")
LANGS = ("en", "es", "ht")


def variables(css: str, selector: str = ":root") -> dict[str, str]:
    """Custom properties set in the blocks of one selector: {"ink": "#1a1a1a", …}."""
    found = {}
    for block in re.findall(re.escape(selector) + r"\s*\{([^}]*)\}", css):
        found.update(re.findall(r"--([\w-]+)\s*:\s*([^;]+?)\s*(?:;|$)", block))
    return found


def to_hex(colour: str) -> str:
    """#rrggbb, or device-cmyk(c m y k) converted naively (no ink profile) to sRGB: the press
    edition's colours. An approximation; the printed colour depends on ink and paper."""
    match = re.fullmatch(r"device-cmyk\(\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\)", colour)
    if not match:
        return colour
    c, m, y, k = (float(v) for v in match.groups())
    return "#" + "".join(f"{round(255 * (1 - v) * (1 - k)):02x}" for v in (c, m, y))


def theme_colours(theme: Path) -> dict[str, str]:
    # base.css sets defaults; the theme is loaded last and wins.
    return variables((STYLES / "base.css").read_text()) | variables(theme.read_text())


def luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour #rrggbb (or a device-cmyk colour)."""
    value = to_hex(colour).lstrip("#")
    assert re.fullmatch(r"[0-9a-fA-F]{6}", value), colour
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # just under AA


def test_themes_exist_and_define_every_colour():
    names = {theme.stem for theme in THEMES}
    assert {"default", "high-contrast"} <= names
    base = set(variables((STYLES / "base.css").read_text()))
    for theme in THEMES:
        assert set(variables(theme.read_text())) >= base, theme.name


@pytest.mark.parametrize("theme", THEMES, ids=lambda p: p.stem)
def test_text_contrast_meets_wcag(theme):
    colours = theme_colours(theme)
    for fg in TEXT_COLOURS:
        for bg in BACKGROUNDS:
            # 4.5:1 for body text. Every text colour is also used below 14 pt bold, so the
            # large-text floor (3:1) is met by the same test.
            ratio = contrast(colours[fg], colours[bg])
            assert ratio >= 4.5, f"{theme.name}: --{fg} on --{bg} is {ratio:.2f}:1"
        # The large-print edition asks for 7:1 (WCAG AAA) on its page.
        ratio = contrast(colours[fg], colours["paper"])
        assert ratio >= 7, f"{theme.name}: --{fg} on --paper is {ratio:.2f}:1 (large print)"
    # Rules are graphics, not text: 3:1 (WCAG 1.4.11).
    assert contrast(colours["rule"], colours["paper"]) >= 3


PRESS = STYLES / "editions" / "press.css"


@pytest.mark.parametrize("theme", THEMES, ids=lambda p: p.stem)
def test_press_edition_colours_meet_wcag_too(theme):
    """The press edition prints its own CMYK colours for each theme."""
    colours = variables(PRESS.read_text(), f"body.theme-{theme.stem}")
    assert set(colours) >= {*TEXT_COLOURS, *BACKGROUNDS}, theme.stem
    for fg in TEXT_COLOURS:
        for bg in BACKGROUNDS:
            ratio = contrast(colours[fg], colours[bg])
            assert ratio >= 4.5, f"press {theme.stem}: --{fg} on --{bg} is {ratio:.2f}:1"
        assert contrast(colours[fg], colours["paper"]) >= 7


def test_cmyk_conversion():
    assert to_hex("device-cmyk(0 0 0 0)") == "#ffffff"
    assert to_hex("device-cmyk(0 0 0 1)") == "#000000"
    assert to_hex("device-cmyk(1 0 0 0)") == "#00ffff"


def test_high_contrast_theme_is_black_on_white():
    colours = theme_colours(STYLES / "themes" / "high-contrast.css")
    assert colours["paper"].lower() == colours["band"].lower() == "#ffffff"
    for fg in (*TEXT_COLOURS, "rule"):
        assert colours[fg].lower() == "#000000"


def test_stylesheets_colour_text_only_through_the_theme_variables():
    """So that the contrast test above covers every colour printed."""
    allowed = {f"var(--{name})" for name in TEXT_COLOURS} | {"inherit"}
    # device-cmyk(0 0 0 0) is no ink at all: the paper itself, in the press edition.
    backgrounds = {f"var(--{name})" for name in BACKGROUNDS} | {
        "none",
        "transparent",
        "device-cmyk(0 0 0 0)",
    }
    for css_file in STYLES.rglob("*.css"):
        css = re.sub(r"/\*.*?\*/", "", css_file.read_text(), flags=re.S)
        for prop, value in re.findall(
            r"(?<![\w-])(color|background(?:-color)?)\s*:\s*([^;}]+)", css
        ):
            expected = allowed if prop == "color" else backgrounds
            assert value.strip() in expected, f"{css_file.name}: {prop}: {value}"
        assert "justify" not in css, css_file.name


@pytest.mark.pdf
def test_high_contrast_theme_prints_only_black_and_white(project_copy):
    config = project_copy / "leaflets.toml"
    config.write_text(config.read_text().replace('theme = "default"', 'theme = "high-contrast"'))
    project = project_mod.load(project_copy)
    assert project.build.theme == "high-contrast"
    outputs = build_mod.plan(project, ["en"], ["trifold", "card"])
    build_mod.build(project, outputs)
    for output in outputs:
        colours = set()
        with pikepdf.open(output.path) as pdf:
            for page in pdf.pages:
                for operands, operator in pikepdf.parse_content_stream(page):
                    if str(operator) in ("rg", "RG", "g", "G", "k", "K"):
                        colours.add(tuple(round(float(v), 3) for v in operands))
        assert colours, output.label
        assert colours <= {(0.0, 0.0, 0.0), (1.0, 1.0, 1.0), (0.0,), (1.0,)}, colours


# ---------------------------------------------------------------- type, from the laid-out boxes


@pytest.fixture(scope="module")
def layouts(built, laid_out):
    """Every leaflet in every language, laid out (not written): {(leaflet, lang): document}."""
    project, _ = built
    return project, {key: document for key, (_, document) in laid_out.items()}


def text_boxes(document):
    stack = [page._page_box for page in document.pages]
    while stack:
        box = stack.pop()
        if isinstance(box, boxes.TextBox) and box.text.strip():
            yield box
        stack.extend(getattr(box, "children", None) or [])


def smallest_glyph(path: Path) -> float:
    with pikepdf.open(path) as pdf:
        sizes = []
        for page in pdf.pages:
            scan = pdf_content.ContentScan()
            scan.page(page)
            sizes.append(scan.smallest)
    return min(sizes)


def line_height_ratio(style) -> float:
    value = style["line_height"]
    if value == "normal":
        return 0.0  # "normal" depends on the font; the stylesheets must set a number
    unit = getattr(value, "unit", None)
    number = getattr(value, "value", value)
    return number / style["font_size"] if unit == "px" else float(number)


@pytest.mark.parametrize("leaflet", LEAFLETS)
@pytest.mark.parametrize("lang", LANGS)
def test_type_size_line_height_and_alignment(built, layouts, leaflet, lang):
    project, documents = layouts
    floor = project.leaflets[leaflet].min_font_pt
    checked = 0
    sizes = []
    for box in text_boxes(documents[leaflet, lang]):
        style = box.style
        where = f"{leaflet} ({lang}) {box.element_tag}: {box.text[:30]!r}"
        assert style["font_size"] * 0.75 >= floor - 0.01, where  # CSS px → pt
        if box.element_tag not in ("h1", "h2", "h3"):
            # Body text; headings keep a tighter 1.2 so that two-line titles read as one.
            assert line_height_ratio(style) >= 1.3, where
        assert style["text_align_all"] in ("left", "start"), where
        assert style["text_align_last"] in ("auto", "left", "start"), where
        assert style["direction"] == "ltr", where
        checked += 1
        sizes.append(style["font_size"] * 0.75)
    assert checked > 10
    # The audit measures glyphs from the content streams (Tf × text matrix × CTM): on the built
    # PDF it finds the same smallest size as the layout, so its glyph-size rule is a real measure.
    _, pdfs = built
    assert min(sizes) == pytest.approx(smallest_glyph(pdfs[leaflet, lang]), abs=0.01)
