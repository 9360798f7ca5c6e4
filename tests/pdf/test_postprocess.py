"""postprocess.hints(): what the rendered HTML tells the PDF repairs."""

from __future__ import annotations

import pytest

from leaflets.errors import AuditError
from leaflets.pdf import postprocess

PAGE = """<!DOCTYPE html><html lang="es"><head><meta charset="utf-8">
<title>Trata de personas —
  Consejo</title>{head}</head><body>{body}</body></html>"""


def test_hints_read_title_links_and_reading_order():
    html = PAGE.format(
        head='<meta name="reading-order" content="b a">',
        body='<section id="a"><p>Uno <a href="tel:+1" aria-label="Llame al  1">1</a></p></section>'
        '<section id="b"><p>Dos <span lang="en">/ Draft</span></p>'
        "<svg><title>QR</title></svg></section>",
    )
    hints = postprocess.hints(html)
    assert hints.lang == "es"
    assert hints.title == "Trata de personas — Consejo"
    assert hints.link_labels == {"tel:+1": "Llame al 1"}
    assert hints.reading_order == ["b", "a"]


def test_links_to_one_number_must_say_the_same_thing():
    body = '<a href="tel:+1" aria-label="Call A">1</a> <a href="tel:+1" aria-label="Call B">1</a>'
    with pytest.raises(AuditError, match="two links to tel:\\+1 say different things"):
        postprocess.hints(PAGE.format(head="", body=body))


def test_reading_order_must_name_existing_elements():
    html = PAGE.format(head='<meta name="reading-order" content="a zz">', body='<p id="a">A</p>')
    with pytest.raises(AuditError, match="reading order names elements that do not exist: zz"):
        postprocess.hints(html)


def test_no_reading_order_means_document_order():
    hints = postprocess.hints(PAGE.format(head="", body="<p>A</p>"))
    assert hints.reading_order == []
