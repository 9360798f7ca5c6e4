"""The typeface the leaflets are set in: its font files, from an installed font package.

The fonts are project input like the templates: the renderer links them, the typesetter lets
WeasyPrint load them and nothing else, the cache key hashes them and the pseudo-locale reads
their coverage. All of them take the files from here.
"""

from __future__ import annotations

from pathlib import Path

FONT_FAMILY = "Atkinson Hyperlegible"
FONT_PACKAGE = "atkinson-hyperlegible"


def font_files() -> dict[tuple[int, str], Path]:
    """(weight, style) → font file of the packaged typeface."""
    import fontpkg  # here: a build with nothing to do hashes the fonts from the cache's memo

    family = fontpkg.family(FONT_PACKAGE)
    return {(f.weight, f.style): f.path for f in family.files}


def font_face_css() -> str:
    """@font-face rules for every face of the typeface, by file URL."""
    rules = []
    for (weight, style), path in sorted(font_files().items()):
        rules.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{path.as_uri()}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)
