"""The studio's own colours meet WCAG 2.2 AA: 4.5:1 for text, 3:1 for outlines and controls
(success criteria 1.4.3 and 1.4.11), computed from studio.css."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "leaflets" / "studio" / "static" / "studio.css"
TEXT, NON_TEXT = 4.5, 3.0


def colours() -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\}", CSS.read_text(), re.S).group(1)
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", root))


def luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def declared_pairs() -> list[tuple[str, str, float]]:
    """The pairs the stylesheet's "contrast:" comment promises, with their minimum."""
    comment = re.search(r"/\*\s*contrast:(.*?)\*/", CSS.read_text(), re.S).group(1)
    return [
        (front, back, float(minimum))
        for front, back, minimum in re.findall(r"([\w-]+)/([\w-]+)\s+([\d.]+)", comment)
    ]


def rule_pairs() -> list[tuple[str, str]]:
    """Every rule that sets both a text colour and a background from the palette."""
    pairs = []
    for body in re.findall(r"\{([^{}]*)\}", CSS.read_text()):
        text = re.search(r"(?<![-\w])color:\s*var\(--([\w-]+)\)", body)
        back = re.search(r"background:\s*var\(--([\w-]+)\)", body)
        if text and back:
            pairs.append((text.group(1), back.group(1)))
    return pairs


def test_the_palette_is_complete():
    named = colours()
    used = set(re.findall(r"var\(--([\w-]+)\)", CSS.read_text()))
    assert used <= set(named), f"colours used but not defined: {used - set(named)}"
    promised = {name for pair in declared_pairs() for name in pair[:2]}
    assert set(named) - promised == set(), "every colour is in a checked pair"


@pytest.mark.parametrize(("front", "back", "minimum"), declared_pairs())
def test_declared_pairs_meet_aa(front, back, minimum):
    named = colours()
    assert minimum >= (TEXT if minimum > NON_TEXT else NON_TEXT)
    ratio = contrast(named[front], named[back])
    assert ratio >= minimum, f"{front} on {back}: {ratio:.2f}:1, needs {minimum}:1"


@pytest.mark.parametrize(("front", "back"), rule_pairs())
def test_text_on_every_background_meets_aa(front, back):
    named = colours()
    ratio = contrast(named[front], named[back])
    assert ratio >= TEXT, f"{front} on {back}: {ratio:.2f}:1"


def test_the_arithmetic():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54
