"""The audit's glyph rules (pdf/glyphs.py): every glyph from a font the project declares for
the language, and none missing, with the characters named."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest

from leaflets.config import project as project_mod
from leaflets.layout.typeset import Typesetter
from leaflets.pdf import audit
from tests.conftest import REPO

pytestmark = pytest.mark.pdf  # every test renders a page

DECLARED = frozenset({"Atkinson Hyperlegible"})


@pytest.fixture(scope="module")
def typesetter() -> Typesetter:
    return Typesetter(project_mod.load(REPO))


def pdf_of(typesetter: Typesetter, text: str) -> bytes:
    from leaflets.config.fonts import font_face_css

    html = (
        '<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>T</title>'
        f"<style>{font_face_css()} @page {{ size: 4in 3in }}</style></head>"
        f"<body><h1>Ayuda</h1><p>{text}</p></body></html>"
    )
    return typesetter.pdf(typesetter.layout(html))


def glyph_findings(data: bytes, printed=()) -> dict[str, str]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        findings = audit.Audit(pdf, Path("t.pdf"), None, "es", DECLARED, printed).run()
    return {f.code: f.message for f in findings if f.code in ("font-undeclared", "glyph-missing")}


def test_declared_fonts_only_pass(typesetter):
    assert glyph_findings(pdf_of(typesetter, "Llame al 1-888-373-7888 — “HELP”.")) == {}


def test_a_glyph_from_a_system_font_is_refused_and_named(typesetter):
    found = glyph_findings(
        pdf_of(typesetter, "Ayuda ب"), printed=[("Hello", "Hola"), ("Help", "Ayuda ب")]
    )
    message = found["font-undeclared"]
    assert "“ب” (U+0628 ARABIC LETTER BEH)" in message
    assert "in the es text" in message and '(msgid "Help")' in message
    assert "DejaVu Sans" in message and "declared: Atkinson Hyperlegible" in message


def test_a_missing_glyph_is_refused_and_named(typesetter):
    found = glyph_findings(pdf_of(typesetter, "Ayuda \U00013000"))
    assert "“\U00013000” (U+13000 EGYPTIAN HIEROGLYPH A001)" in found["glyph-missing"]
    assert "print as a box (.notdef)" in found["glyph-missing"]


def test_without_declared_fonts_the_font_rule_is_not_applied(typesetter):
    data = pdf_of(typesetter, "Ayuda ب")
    codes = {f.code for f in audit.audit_pdf(data, Path("t.pdf"), lang="es")}
    assert "font-undeclared" not in codes
