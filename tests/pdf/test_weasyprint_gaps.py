"""Each PDF/UA gap of WeasyPrint 70 that the templates or postprocess.py work around, shown on a
tiny document: what WeasyPrint writes on its own, what the audit says, and what the fix does.
If a WeasyPrint upgrade closes a gap, the "gap" assertion here fails and says so."""

from __future__ import annotations

import base64
import io
from contextlib import contextmanager
from pathlib import Path

import pikepdf
import pytest

from leaflets.config import project as project_mod
from leaflets.layout.typeset import Typesetter
from leaflets.pdf import audit, postprocess
from leaflets.pdf.structure import kids, page_index, tag, walk
from tests.conftest import REPO
from tests.pdftext import MarkedText

pytestmark = pytest.mark.pdf  # every test renders HTML with WeasyPrint

# A 1×1 grey PNG: the URL fetcher allows data: URIs.
PNG = (
    "data:image/png;base64,"
    + base64.b64encode(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010800000000"
            "3a7e9b550000000a4944415478da63f80f00010101001b8b1cc50000000049454e44ae426082"
        )
    ).decode()
)


@pytest.fixture(scope="module")
def typesetter() -> Typesetter:
    return Typesetter(project_mod.load(REPO))


def render(typesetter: Typesetter, body: str, lang: str = "en") -> tuple[bytes, str]:
    html = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Test</title>'
        "<style>@page { size: 4in 3in; margin: 0.3in } body { font-size: 12pt }</style></head>"
        f"<body>{body}</body></html>"
    )
    return typesetter.pdf(typesetter.layout(html)), html


@contextmanager
def weasyprint_alone():
    """WeasyPrint's own tagger, without what layout/weasyprint_adapters.py adds to it."""
    import weasyprint.pdf
    import weasyprint.pdf.tags as wp_tags

    ours = wp_tags.add_tags, wp_tags._build_box_tree
    wp_tags.add_tags = weasyprint.pdf.add_tags = ours[0].original
    wp_tags._build_box_tree = ours[1].original
    try:
        yield
    finally:
        wp_tags.add_tags = weasyprint.pdf.add_tags = ours[0]
        wp_tags._build_box_tree = ours[1]


def codes(data: bytes) -> set[str]:
    return {f.code for f in audit.audit_pdf(data, Path("gap.pdf"))}


_OPEN: list[pikepdf.Pdf] = []  # objects die with their Pdf; keep the Pdfs for the test run


def open_pdf(data: bytes) -> pikepdf.Pdf:
    _OPEN.append(pikepdf.open(io.BytesIO(data)))
    return _OPEN[-1]


def elements(data: bytes, name: str) -> list[pikepdf.Object]:
    pdf = open_pdf(data)
    return [elem for elem, _ in walk(pdf.Root.StructTreeRoot) if tag(elem) == name]


def test_svg_aria_label_is_ignored_but_title_becomes_alt(typesetter):
    svg = '<svg width="40" height="40" {}><rect width="40" height="40"/>{}</svg>'
    labelled, _ = render(typesetter, "<h1>A</h1>" + svg.format('aria-label="A square"', ""))
    titled, _ = render(typesetter, "<h1>A</h1>" + svg.format("", "<title>A square</title>"))
    assert [str(f.get("/Alt", "")) for f in elements(labelled, "/Figure")] == [""]  # the gap
    assert "figure-alt" in codes(labelled)
    assert [str(f.Alt) for f in elements(titled, "/Figure")] == ["A square"]  # the workaround
    assert "figure-alt" not in codes(titled)


def test_empty_img_alt_is_a_figure_without_alt_but_a_css_background_is_an_artifact(typesetter):
    img, _ = render(typesetter, f'<h1>A</h1><img src="{PNG}" alt="" width="20" height="20">')
    assert len(elements(img, "/Figure")) == 1 and "figure-alt" in codes(img)  # the gap
    background, _ = render(
        typesetter,
        f'<h1>A</h1><div style="width:20px;height:20px;background:url({PNG})"></div>',
    )
    assert elements(background, "/Figure") == []  # the workaround: no Figure …
    assert codes(background) == set()  # … and nothing untagged
    pdf = open_pdf(background)
    painted = [str(op) for _, op in pikepdf.parse_content_stream(pdf.pages[0])]
    assert "Do" in painted or "sh" in painted or "f" in painted


def test_skipped_heading_level_is_written_as_is(typesetter):
    data, _ = render(typesetter, "<h1>A</h1><h3>B</h3>")
    assert [tag(e) for e in elements(data, "/H3")] == ["/H3"]
    assert "heading" in codes(data)  # the templates go h1 → h2 → h3; the audit catches a skip


def test_paragraph_in_list_item_has_no_lbody(typesetter):
    nested, _ = render(typesetter, "<h1>A</h1><ul><li><p>One</p></li></ul>")
    (item,) = elements(nested, "/LI")
    assert "/P" in [tag(kid) for kid in kids(item)]  # the gap: LI > P
    assert "list" in codes(nested)
    flat, _ = render(typesetter, "<h1>A</h1><ul><li>One</li></ul>")
    (item,) = elements(flat, "/LI")
    assert [tag(kid) for kid in kids(item)] == ["/Lbl", "/LBody"]  # the workaround: flat items
    assert "list" not in codes(flat)


def test_link_contents_is_its_url_until_postprocess(typesetter):
    body = '<h1>A</h1><p><a href="tel:+18883737888" aria-label="Call the hotline">Call</a></p>'
    data, html = render(typesetter, body)
    pdf = open_pdf(data)
    (link,) = pdf.pages[0].obj.Annots
    assert str(link.Contents) == "tel:+18883737888"  # the gap
    assert "link-contents" in codes(data)
    fixed = postprocess.fix(data, postprocess.hints(html))
    (link,) = open_pdf(fixed).pages[0].obj.Annots
    assert str(link.Contents) == "Call the hotline"  # the workaround
    assert codes(fixed) == set()


def test_span_lang_gets_no_lang_until_tagged(typesetter):
    body = '<h1>Hola</h1><p>Borrador <span lang="en">Draft note</span></p>'
    with weasyprint_alone():
        alone, _ = render(typesetter, body, lang="es")
    assert [e for e in elements(alone, "/Span") if "/Lang" in e] == []  # the gap
    data, html = render(typesetter, body, lang="es")
    fixed = postprocess.fix(data, postprocess.hints(html))
    langs = [str(e.Lang) for e in elements(fixed, "/Span") if "/Lang" in e]
    assert langs == ["en"]  # the workaround, on the element of the passage
    assert codes(fixed) == set()


def test_line_joins_lose_their_word_space_until_tagged(typesetter):
    body = '<h1>A</h1><p style="width: 1in">Learn the facts, and know where to get help.</p>'
    with weasyprint_alone():
        alone, _ = render(typesetter, body)
    data, html = render(typesetter, body)
    fixed = postprocess.fix(data, postprocess.hints(html))

    def paragraph(pdf_bytes: bytes) -> str:
        pdf = open_pdf(pdf_bytes)
        (para,) = [e for e, _ in walk(pdf.Root.StructTreeRoot) if tag(e) == "/P"]
        return MarkedText.read(pdf_bytes).of(para, page_index(pdf))

    assert "Learn the facts, and know where to get help." not in paragraph(alone)  # the gap
    assert paragraph(fixed) == "Learn the facts, and know where to get help."


def test_figure_bbox_is_in_css_pixels_until_postprocess(typesetter):
    body = '<h1>A</h1><svg width="96" height="96"><title>Box</title><rect width="96" height="96"/></svg>'
    data, html = render(typesetter, body)
    (figure,) = elements(data, "/Figure")
    x1, y1, x2, y2 = (float(v) for v in figure.A.BBox)
    assert x2 - x1 == pytest.approx(96)  # the gap: 96 px, which is 72 pt
    fixed = postprocess.fix(data, postprocess.hints(html))
    (figure,) = elements(fixed, "/Figure")
    x1, y1, x2, y2 = (float(v) for v in figure.A.BBox)
    assert x2 - x1 == pytest.approx(72) and y2 - y1 == pytest.approx(72)
    # y grows upwards in PDF: the figure sits below the heading, in the page's top half.
    assert 3 * 72 / 2 < y2 <= 3 * 72 - 0.3 * 72


def test_reading_order_and_passages_are_found_by_identity(typesetter):
    """By their ids and elements, not their text: hyphens at line breaks (which pdfium reads
    as U+0002) and lines broken without their space do not matter."""
    narrow = 'style="width: 0.9in"'
    body = (
        f'<section id="a" {narrow}><h1>First</h1><p>A modern-day well-known long-term</p></section>'
        f'<section id="b" {narrow}><h2>Second</h2><p lang="fr">Un peu-à-peu bien-aimé</p></section>'
    )
    data, html = render(typesetter, body)
    html = html.replace("<title>", '<meta name="reading-order" content="b a"><title>')
    hints = postprocess.hints(html)
    assert hints.reading_order == ["b", "a"]
    fixed = postprocess.fix(data, hints)
    pdf = open_pdf(fixed)
    document = kids(pdf.Root.StructTreeRoot)[0]
    first_heading = [tag(k) for sect in kids(document) for k in kids(sect)][0]
    assert first_heading == "/H2"  # section b now comes first
    assert [str(e.Lang) for e in elements(fixed, "/P") if "/Lang" in e] == ["fr"]


def test_line_break_leaves_empty_elements_until_postprocess(typesetter):
    data, html = render(typesetter, "<h1>A</h1><p>One<br>two</p>")
    assert [tag(e) for e in elements(data, "/NonStruct") if not kids(e)] == ["/NonStruct"]
    fixed = postprocess.fix(data, postprocess.hints(html))
    pdf = open_pdf(fixed)
    assert [tag(e) for e, _ in walk(pdf.Root.StructTreeRoot) if not kids(e)] == []
    assert codes(fixed) == set()
