"""The typefaces the leaflets are set in: font families declared in leaflets.toml, each from a
font package installed with the Python dependencies (fontpkg: `fontpkg-<family slug>`).

A language names its families (`fonts = ["IBM Plex Sans Arabic"]`), or takes `build.fonts`
(Atkinson Hyperlegible). Adding a script is that line and a package, never code. The fonts
are project input like the templates: the renderer links them, the typesetter lets WeasyPrint
load them and nothing else, the cache key hashes them, the audit refuses a glyph from any other
font and the pseudo-locale reads their coverage. All of them take the files from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import fontpkg

from ..errors import FontNotInstalled
from .model import DEFAULT_FONTS

# The faces a family must have: the leaflets set body text and bold headings. Italic may be
# synthesised (the attribution is italic; Arabic typefaces have no italic).
REQUIRED_WEIGHTS = (400, 700)


@dataclass(frozen=True)
class Face:
    """One font file of a family: a static weight, or a variable font's range of weights."""

    family: str
    path: Path
    style: str
    weights: tuple[int, int]
    """(lightest, boldest): equal for a static face."""

    @property
    def css_weight(self) -> str:
        low, high = self.weights
        return str(low) if low == high else f"{low} {high}"

    def covers(self, weight: int) -> bool:
        return self.weights[0] <= weight <= self.weights[1]


def package_name(family: str) -> str:
    """The PyPI package that provides a family: "IBM Plex Sans Arabic" → fontpkg-ibm-plex-sans-arabic."""
    return "fontpkg-" + "-".join(family.lower().split())


def faces(family: str) -> tuple[Face, ...]:
    """Every file of an installed family; FontNotInstalled says which package to install."""
    try:
        found = fontpkg.family(family)
    except fontpkg.FontpkgError:
        raise FontNotInstalled(
            f"font family {family!r} is not installed: add {package_name(family)} to the "
            f"dependencies in pyproject.toml and run `pip install {package_name(family)}`"
        ) from None
    result = []
    for file in found.files:
        if file.variable and file.wght_min is not None and file.wght_max is not None:
            weights = (file.wght_min, file.wght_max)
        else:
            weights = (file.weight or 400, file.weight or 400)
        result.append(Face(family, file.path, file.style, weights))
    return tuple(sorted(result, key=lambda face: (face.style, face.weights, face.path.name)))


def font_files(families: Iterable[str] = DEFAULT_FONTS) -> dict[tuple[str, str, str], Path]:
    """(family, weights, style) → font file, for every face of the families."""
    return {
        (face.family, face.css_weight, face.style): face.path
        for family in families
        for face in faces(family)
    }


def missing_weights(family: str) -> list[int]:
    """The required weights no face of the family has (upright)."""
    upright = [face for face in faces(family) if face.style == "normal"]
    return [w for w in REQUIRED_WEIGHTS if not any(face.covers(w) for face in upright)]


def font_face_css(families: Iterable[str] = DEFAULT_FONTS) -> str:
    """@font-face rules for every face of the families, by file URL, and the font-family list
    that sets the whole leaflet in them, in the order given (no generic family: a character
    none of them has would come from a system font, which the audit refuses)."""
    families = tuple(families)
    rules = [
        f'@font-face {{ font-family: "{face.family}"; src: url("{face.path.as_uri()}"); '
        f"font-weight: {face.css_weight}; font-style: {face.style}; }}"
        for family in families
        for face in faces(family)
    ]
    names = ", ".join(f'"{family}"' for family in families)
    rules.append(f"html {{ font-family: {names}; }}")
    return "\n".join(rules)
