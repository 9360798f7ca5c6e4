"""Large print's pages end well (issue 24, point 4): each says "Page n of N" in its language,
none holds only a short tail, no page ends on a heading, and the council's name stays whole
and on the page of its tax status. Read from the session's builds, on Letter and on A4 (where
Spanish once left the tax-status sentence alone on page 5)."""

from __future__ import annotations

import ctypes

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest

from leaflets.i18n.translations import load_translations

LANGS = ("en", "es", "ht")
LABEL = "Page %(page)s of %(pages)s"
TAX_STATUS = (
    "Exempted from federal income tax under the provisions of Section %(section)s of the "
    "Internal Revenue Code."
)
MIN_LINES = 5  # lines of text on every page, beside its number: no short tail alone
BODY_PT = 18.0  # large print's body size; headings are larger


def _pdfs(build) -> dict[str, object]:
    _, report = build
    return {r.output.lang: r.output.path for r in report.built if r.output.leaflet == "large-print"}


def _lines(pdf) -> list[list[tuple[float, str]]]:
    """Per page, its lines of text top to bottom: (largest glyph size in points, text)."""
    document = pypdfium2.PdfDocument(pdf)
    pages = []
    try:
        for page in document:
            textpage = page.get_textpage()
            rows: dict[int, list[tuple[float, float, str]]] = {}
            for index in range(textpage.count_chars()):
                char = textpage.get_text_range(index, 1)
                if char in "\r\n":
                    continue
                x, y = ctypes.c_double(), ctypes.c_double()
                pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, x, y)
                rows.setdefault(round(y.value), []).append((x.value, _size(textpage, index), char))
            pages.append(
                [
                    (max(s for _, s, _ in row), "".join(c for *_, c in sorted(row)).strip())
                    for _, row in sorted(rows.items(), reverse=True)
                ]
            )
    finally:
        document.close()
    return pages


def _size(textpage, index: int) -> float:
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFText_GetMatrix(textpage.raw, index, ctypes.byref(matrix))
    scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5 or 1.0
    return pdfium_c.FPDFText_GetFontSize(textpage.raw, index) * scale


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_says_page_n_of_total_in_its_language(built, lang):
    project, pdfs = built
    label = load_translations(project, lang).gettext(LABEL)
    assert (label == LABEL) == project.languages[lang].source  # translated, not a fallback
    pages = _lines(pdfs["large-print", lang])
    assert 2 <= len(pages) <= project.leaflets["large-print"].max_pages
    for number, lines in enumerate(pages, 1):
        # The label is the page's last line, in the bottom margin, at the body size.
        size, last = lines[-1]
        assert last == label % {"page": number, "pages": len(pages)}, (lang, number)
        assert size == pytest.approx(BODY_PT, abs=0.01)


@pytest.mark.parametrize("paper", ["letter_build", "a4_build"])
def test_no_page_holds_a_short_tail_or_ends_on_a_heading(request, paper):
    for lang, pdf in _pdfs(request.getfixturevalue(paper)).items():
        pages = _lines(pdf)
        for number, lines in enumerate(pages, 1):
            body = lines[:-1]  # without the page number
            assert len(body) >= MIN_LINES, (paper, lang, number, body)
            if number < len(pages):
                size, text = body[-1]
                assert size <= BODY_PT + 0.01, (paper, lang, number, f"ends on heading {text!r}")


@pytest.mark.parametrize("paper", ["letter_build", "a4_build"])
def test_the_councils_name_stays_whole_and_with_its_tax_status(request, paper):
    project, _ = request.getfixturevalue(paper)
    *_, last_word = project.organisation.split()
    for lang, pdf in _pdfs(request.getfixturevalue(paper)).items():
        tax_status = load_translations(project, lang).gettext(TAX_STATUS).split("%(section)s")[0]
        by_page = _lines(pdf)
        pages = [" ".join(text for _, text in lines) for lines in by_page]
        (page,) = [p for p in pages if project.organisation.split()[0] in p]
        assert " ".join(tax_status.split()[:4]) in page, (paper, lang)
        lines = [text for lines in by_page for _, text in lines]
        (ending,) = [text for text in lines if text.endswith(last_word)]
        assert ending != last_word, (paper, lang)  # "Council" never stands alone on a line
