"""The cheap layout techniques stay in place: WeasyPrint lays out floats and inline-blocks in about
half the time of flexbox, and one SVG path for the QR code costs less than a <rect> per module."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import Markup

from leaflets.layout.render import qr_code
from tests.conftest import REPO

STYLESHEETS = sorted((REPO / "styles").rglob("*.css"))
SLOW_DISPLAY_RE = re.compile(r"display\s*:\s*(inline-)?(flex|grid)\b", re.I)


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_flexbox_or_grid(path: Path) -> None:
    css = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
    assert not SLOW_DISPLAY_RE.search(css), f"{path.name}: use floats or inline-block instead"


def test_stylesheets_were_found() -> None:
    assert any(p.name == "base.css" for p in STYLESHEETS)


def test_qr_code_is_one_svg_path() -> None:
    svg = str(qr_code("tel:+18883737888", Markup("Call the hotline")))
    assert svg.count("<path") == 1
    assert "<rect" not in svg
    assert "<title>Call the hotline</title>" in svg
