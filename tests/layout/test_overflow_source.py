"""Issue 12 (Smaller): the overflow error names the msgid to shorten even when its text is too
long for the natural layout to hold. A 1 MB msgstr runs past the end of the tall page the
natural layout uses, so the region's text held only its start, and the error blamed another
message of the region."""

from __future__ import annotations

from leaflets.layout.measure import RegionFit
from leaflets.layout.overflow_source import MessageIndex

LONG = "Gratis confidencial " * 52_000  # about 1 MB


def region(text: str) -> RegionFit:
    return RegionFit(
        name="front",
        kind="region",
        page=1,
        overflow_px=1e4,
        lines=1220,
        too_wide_px=0,
        moved=False,
        truncated=True,
        height_px=200,
        paragraphs=(text[:500],),
        text=text,
    )


def test_a_megabyte_msgstr_is_the_culprit():
    index = MessageIndex(
        {
            "Text “%(keyword)s” to %(number)s": "Envíe el mensaje “%(keyword)s” al %(number)s",
            "Free. Confidential. 24 hours.": LONG,
            "Need help?": "¿Necesita ayuda?",
        }
    )
    laid_out = "¿Necesita ayuda? Envíe el mensaje “HELP” al 233733 " + LONG[:40_000]
    assert index.culprit(region(laid_out)) == "Free. Confidential. 24 hours."
