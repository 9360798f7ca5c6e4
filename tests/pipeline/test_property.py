"""Property: any translation, of any length, ends in a good PDF or a clear error, never a crash.

Random Unicode goes into the wallet card's messages (the cheapest leaflet to lay out). Each run
either writes a two-page card in which every word of the translations that were used is printed
(nothing cut off), or stops with a FitError, CatalogError or AuditError (a letter none of the
declared fonts has) that says what to fix.
"""

from __future__ import annotations

import re

import pikepdf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaflets.config import project as project_mod
from leaflets.errors import AuditError, CatalogError, FitError
from leaflets.i18n.po.catalog import read_catalog
from leaflets.i18n.translations import printable_catalog
from leaflets.pipeline import build as build_mod
from tests.conftest import copy_project
from tests.pdftext import glyph_sizes, text
from tests.untrusted_helpers import write_catalog

pytestmark = pytest.mark.pdf  # every example is built

CARD_MESSAGES = [
    "Need help?",
    ("phone label", "Call"),
    "Text “%(keyword)s” to %(number)s",
    "Free. Confidential. 24 hours.",
    "In an emergency, call %(number)s.",
    "%(place)s Office",
    ("phone label", "Tel."),
]

# Short text that fits, long text that cannot, anything at all (controls included), and a mix
# likely to matter: markup, format strings, right-to-left letters, combining marks, odd spaces
# and words that must then show up in the PDF.
printable = st.characters(exclude_categories=("Cc", "Cs"))
tricky = st.text(
    alphabet=st.sampled_from(
        [*"abcXYZ <>&\"'%(){}[]/\\:;.-–", "\u0301", "\u05d0", "\u0627", "\u200b", "\u00ad"]
        + ["\u2028", "\ufeff", "\U0001f600", "\n", "\t", "\u00a0"]
    ),
    max_size=80,
)
translation = st.one_of(
    st.text(printable, max_size=30), tricky, st.text(printable, min_size=300, max_size=3000)
)


@pytest.fixture(scope="module")
def card_project(tmp_path_factory: pytest.TempPathFactory):
    return copy_project(tmp_path_factory.mktemp("property") / "project")


@given(
    texts=st.lists(translation, min_size=len(CARD_MESSAGES), max_size=len(CARD_MESSAGES)),
    anything=st.one_of(st.none(), st.text(max_size=60)),
    mode=st.sampled_from(["error", "shrink"]),
)
def test_any_translation_ends_in_a_pdf_or_a_clear_error(card_project, texts, anything, mode):
    if anything is not None:
        texts[0] = anything  # any code point at all, controls included, in one message
    write_catalog(card_project, "es", dict(zip(CARD_MESSAGES, texts, strict=True)))
    project = project_mod.load(card_project)
    (output,) = build_mod.plan(project, ["es"], ["card"])
    output.path.unlink(missing_ok=True)
    try:
        build_mod.build(project, [output], fit_mode=mode)
    except (FitError, CatalogError, AuditError) as exc:
        message = str(exc)
        assert message and "Traceback" not in message
        assert "\n" not in message.split(":")[0]
        if isinstance(exc, AuditError):
            # A letter none of the declared fonts has: named, with its message.
            assert message.startswith("card (es): not written")
            assert "a font leaflets.toml does not declare" in message or ".notdef" in message
            assert "(U+" in message
        elif isinstance(exc, FitError):
            assert message.startswith("card (es): ")
        else:
            assert exc.path is not None and exc.path.name == "messages.po"
        assert not output.path.exists()
        return
    with pikepdf.open(output.path) as pdf:
        assert len(pdf.pages) == 2
    # Shrinking never goes below the card's floor.
    floor = project.leaflets["card"].min_font_pt
    small = [(char, size) for _, char, size in glyph_sizes(output.path) if size < floor - 0.01]
    assert not small, small[:5]
    printed = re.sub(r"\s+", "", text(output.path))
    compiled = printable_catalog(read_catalog(po := project.po_path("es")), po, "es")
    for source, value in zip(CARD_MESSAGES, texts, strict=True):
        context, msgid = source if isinstance(source, tuple) else (None, source)
        if compiled.get(msgid, context=context) is None:
            continue  # `leaflets check` calls it an error: the English prints instead
        for word in re.findall(r"[A-Za-z]{3,}", value):
            assert word in printed, (source, word)
