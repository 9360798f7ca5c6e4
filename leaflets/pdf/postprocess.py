"""Postprocess: repair what WeasyPrint 70 leaves out of a PDF/UA-1 file, with pikepdf.

WeasyPrint tags the PDF but misses a few things that a screen reader needs. The HTML says what
they should be, so `hints()` reads them from the rendered HTML and `fix()` writes them in:

- a link annotation's /Contents is its URL ("tel:+18883737888"); it becomes the link's
  aria-label, which the templates translate ("Call the National Human Trafficking Hotline, …");
- `<span lang="en">` gets no /Lang; the structure element holding that passage gets one;
- the structure tree follows the HTML, which for the tri-fold is the order of the panels on the
  sheet. A template may name its reading order (`<meta name="reading-order">`); the panels are
  moved into that order and the bookmarks rebuilt to match;
- a Figure's /BBox is written in CSS pixels from the top of the page; it becomes PDF points;
- a `<br>` leaves empty NonStruct elements; they are removed;
- the title, DisplayDocTitle, /MarkInfo and the XMP dc:title and pdfuaid:part are made sure of.

Structure elements are found by the text they hold, which pypdfium2 decodes per MCID.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field

import pikepdf
import tinyhtml5

from ..errors import AuditError
from .structure import (
    MarkedText,
    heading_level,
    is_struct_elem,
    key,
    kids,
    page_index,
    squash,
    walk,
)

HTML_NS = "{http://www.w3.org/1999/xhtml}"
SVG_NS = "{http://www.w3.org/2000/svg}"
# WeasyPrint draws in CSS pixels: 1 px = 0.75 pt.
PX_TO_PT = 0.75


@dataclass(frozen=True)
class Passage:
    """A stretch of text in another language than the document's."""

    lang: str
    text: str


@dataclass(frozen=True)
class Hints:
    """What the rendered HTML says the PDF should carry."""

    lang: str
    title: str
    link_labels: dict[str, str] = field(default_factory=dict)
    """href → what a person hears for that link (its aria-label)."""
    passages: list[Passage] = field(default_factory=list)
    regions: dict[str, str] = field(default_factory=dict)
    """Element id → its text, for the elements named in the reading order."""
    reading_order: list[str] = field(default_factory=list)
    """Element ids in the order a person reads them; empty means document order."""


def hints(html: str) -> Hints:
    """Read the link labels, foreign-language passages and reading order from rendered HTML."""
    root = tinyhtml5.parse(html)
    lang = root.get("lang", "")
    title_elem = root.find(f"{HTML_NS}head/{HTML_NS}title")
    title = " ".join(_text(title_elem).split()) if title_elem is not None else ""
    labels: dict[str, str] = {}
    passages: list[Passage] = []
    order: list[str] = []
    by_id: dict[str, object] = {}
    for elem in root.iter():
        if not isinstance(elem.tag, str):
            continue
        if elem.tag == f"{HTML_NS}meta" and elem.get("name") == "reading-order":
            order = (elem.get("content") or "").split()
        if elem.get("id"):
            by_id[elem.get("id")] = elem
        if elem.tag == f"{HTML_NS}a" and elem.get("href") and elem.get("aria-label"):
            href, label = elem.get("href"), " ".join(elem.get("aria-label").split())
            if labels.get(href, label) != label:
                raise AuditError(
                    f"two links to {href} say different things: {labels[href]!r} and {label!r}; "
                    "give them the same aria-label"
                )
            labels[href] = label
        if elem is not root and elem.get("lang") and elem.get("lang") != lang:
            passages.append(Passage(elem.get("lang"), _text(elem)))
    missing = [name for name in order if name not in by_id]
    if missing:
        raise AuditError(f"reading order names elements that do not exist: {', '.join(missing)}")
    regions = {name: _text(by_id[name]) for name in order}
    return Hints(lang, title, labels, passages, regions, order)


def _text(elem) -> str:
    """The text of an element as printed: SVG (whose <title> becomes /Alt) is left out."""
    parts = [elem.text or ""]
    for child in elem:
        if isinstance(child.tag, str) and not child.tag.startswith(SVG_NS):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def fix(data: bytes, html_hints: Hints) -> bytes:
    """WeasyPrint's PDF with its gaps repaired; run it once, on what WeasyPrint wrote (the
    Figure boxes are converted, not checked). Raises AuditError if a hint cannot be applied."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return repair(pdf, data, html_hints)


def repair(pdf: pikepdf.Pdf, data: bytes, html_hints: Hints) -> bytes:
    """fix() on a PDF already opened from `data`, which stays open for the caller (the build
    audits it without parsing the bytes again). Returns the repaired bytes."""
    marked = MarkedText.read(data)
    pages = page_index(pdf)
    _metadata(pdf, html_hints)
    _link_contents(pdf, html_hints.link_labels)
    _figure_boxes(pdf)
    root = pdf.Root.get("/StructTreeRoot")
    if root is not None:
        _prune_empty(root)
        # Element texts, found once for both steps: /Lang does not change them, and the
        # reading order only moves elements afterwards.
        elements = _ElementTexts(root, marked, pages)
        _passage_languages(html_hints.passages, elements)
        if html_hints.reading_order:
            _reading_order(pdf, root, html_hints, marked, pages, elements)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _metadata(pdf: pikepdf.Pdf, html_hints: Hints) -> None:
    if html_hints.lang:
        pdf.Root.Lang = pikepdf.String(html_hints.lang)
    title = html_hints.title or str(pdf.docinfo.get("/Title", ""))
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    prefs = pdf.Root.get("/ViewerPreferences") or pikepdf.Dictionary()
    prefs.DisplayDocTitle = True
    pdf.Root.ViewerPreferences = prefs
    if title:
        pdf.docinfo["/Title"] = pikepdf.String(title)
    # update_docinfo=False: the Info dictionary is set above; pikepdf would rewrite it from XMP.
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta.register_xml_namespace("http://www.aiim.org/pdfua/ns/id/", "pdfuaid")
        meta["pdfuaid:part"] = "1"
        if title:
            meta["dc:title"] = title


def _link_contents(pdf: pikepdf.Pdf, labels: dict[str, str]) -> None:
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if uri in labels:
                annot.Contents = pikepdf.String(labels[uri])


def _figure_boxes(pdf: pikepdf.Pdf) -> None:
    """WeasyPrint writes a Figure's BBox in CSS px with y down; PDF wants points with y up."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    pages = {page.obj.objgen: page for page in pdf.pages}
    for elem, _ in walk(root):
        attrs = elem.get("/A")
        if elem.get("/S") != "/Figure" or not isinstance(attrs, pikepdf.Dictionary):
            continue
        box = attrs.get("/BBox")
        page = pages.get(elem.Pg.objgen) if "/Pg" in elem else None
        if box is None or page is None:
            continue
        x1, y1, x2, y2 = (float(v) for v in box)
        height = float(page.mediabox[3])
        attrs.BBox = pikepdf.Array(
            [
                round(x1 * PX_TO_PT, 3),
                round(height - y2 * PX_TO_PT, 3),
                round(x2 * PX_TO_PT, 3),
                round(height - y1 * PX_TO_PT, 3),
            ]
        )


def _prune_empty(root) -> None:
    """A <br> leaves NonStruct elements with nothing in them: noise in the tree, gone."""

    def prune(elem, depth: int) -> None:
        kept, dropped = [], False
        for kid in kids(elem):
            if is_struct_elem(kid) and depth < 64:
                prune(kid, depth + 1)
                if not kids(kid) and kid.get("/S") in ("/NonStruct", "/Span"):
                    dropped = True
                    continue
            kept.append(kid)
        if dropped:
            elem.K = pikepdf.Array(kept)

    prune(root, 0)


def _elements_by_text(root, marked: MarkedText, pages) -> list[tuple[pikepdf.Object, str, str]]:
    """(element, its text, its parent's text) for every structure element."""
    texts: dict = {}
    result = []
    for elem, parent in walk(root):
        text = squash(marked.of(elem, pages))
        texts[key(elem)] = text
        result.append((elem, text, texts.get(key(parent), "")))
    return result


@dataclass
class _ElementTexts:
    """_elements_by_text, computed when first needed, then shared."""

    root: pikepdf.Object
    marked: MarkedText
    pages: dict
    _found: list[tuple[pikepdf.Object, str, str]] | None = None

    def get(self) -> list[tuple[pikepdf.Object, str, str]]:
        if self._found is None:
            self._found = _elements_by_text(self.root, self.marked, self.pages)
        return self._found


def _passage_languages(passages: list[Passage], texts: _ElementTexts) -> None:
    if not passages:
        return
    elements = texts.get()
    for passage in passages:
        wanted = squash(passage.text)
        # The outermost element holding exactly this text: /Lang is inherited by its kids.
        found = [e for e, text, parent in elements if text == wanted and parent != wanted]
        if not wanted or not found:
            raise AuditError(
                f"cannot find the passage in {passage.lang!r} ({passage.text.strip()!r}) "
                "in the PDF's structure tree"
            )
        for elem in found:
            elem.Lang = pikepdf.String(passage.lang)


def _reading_order(
    pdf: pikepdf.Pdf, root, html_hints: Hints, marked: MarkedText, pages, texts: _ElementTexts
) -> None:
    """Move the named regions into reading order under their common ancestor."""
    elements = texts.get()
    regions = []
    for name in html_hints.reading_order:
        wanted = squash(html_hints.regions[name])
        found = _smallest_holding(elements, wanted) or _best_start(elements, wanted)
        if len(found) != 1:
            raise AuditError(
                f"cannot put the PDF in reading order: {len(found)} structure elements match "
                f"the text of #{name}, expected 1"
            )
        regions.append(found[0])
    if len({key(region) for region in regions}) != len(regions):
        raise AuditError("cannot put the PDF in reading order: two regions match one element")
    document = kids(root)[0]
    # Which child of Document holds each region: a sheet Div, or the region itself.
    top_of = {}
    for top in kids(document):
        if not is_struct_elem(top):
            continue
        branch = [top, *(elem for elem, _ in walk(top))]
        for elem in branch:
            top_of[key(elem)] = top
    tops = [top_of.get(key(region)) for region in regions]
    if any(top is None for top in tops):
        raise AuditError("the regions of the reading order are not under the document element")
    original = kids(document)
    top_keys = {key(top) for top in tops}
    first = next(
        i for i, kid in enumerate(original) if is_struct_elem(kid) and key(kid) in top_keys
    )
    region_keys = {key(region) for region in regions}
    for region in regions:
        parent = region.P
        if key(parent) != key(document):
            parent.K = pikepdf.Array([k for k in kids(parent) if not _same(k, region)])

    def keep(kid) -> bool:
        # Sheets emptied by the move go; what was before the first region stays before.
        return not is_struct_elem(kid) or (key(kid) not in region_keys and not _is_empty(kid))

    before = [kid for kid in original[:first] if keep(kid)]
    after = [kid for kid in original[first:] if keep(kid)]
    for region in regions:
        region.P = document
    document.K = pikepdf.Array([*before, *regions, *after])
    _outline_in_tag_order(pdf, root, marked, pages)


def _smallest_holding(elements, wanted: str) -> list[pikepdf.Object]:
    """The outermost of the smallest elements whose text holds `wanted`, in order though not
    necessarily in one piece, so that text the CSS adds (a ::before, a list marker) anywhere
    in a region does not hide it."""
    holding = [
        (e, text, parent)
        for e, text, parent in elements
        if wanted and len(text) >= len(wanted) and _in_order(wanted, text)
    ]
    if not holding:
        return []
    size = min(len(text) for _, text, _ in holding)
    return [e for e, text, parent in holding if len(text) == size and parent != text]


def _in_order(wanted: str, text: str) -> bool:
    """Every character of `wanted` appears in `text`, in order."""
    if wanted in text:
        return True
    rest = iter(text)
    return all(char in rest for char in wanted)


def _best_start(elements, wanted: str) -> list[pikepdf.Object]:
    """For a region whose text is cut off (it overflows its panel, as the pseudo-locale's
    does): the elements that start the longest way along its text, and of those the ones
    closest to it in length; the sheet that holds the region and the next ones is longer."""

    def common(text: str) -> int:
        return len(os.path.commonprefix([text, wanted]))

    scored = [
        (common(text), abs(len(text) - len(wanted)), e, parent != text)
        for e, text, parent in elements
    ]
    best = max((score for score, *_ in scored), default=0)
    if best < min(40, len(wanted)):
        return []
    closest = min(gap for score, gap, *_ in scored if score == best)
    return [
        e for score, gap, e, outermost in scored if (score, gap) == (best, closest) and outermost
    ]


def _same(a, b) -> bool:
    return isinstance(a, pikepdf.Object) and isinstance(b, pikepdf.Object) and key(a) == key(b)


def _is_empty(elem) -> bool:
    """An element left with no content after its regions moved out."""
    return all(is_struct_elem(kid) and _is_empty(kid) for kid in kids(elem))


def _outline_in_tag_order(pdf: pikepdf.Pdf, root, marked: MarkedText, pages) -> None:
    """Rebuild the bookmarks from the headings, in the structure tree's order."""
    headings = [
        (heading_level(elem), squash(marked.of(elem, pages)))
        for elem, _ in walk(root)
        if heading_level(elem)
    ]
    with pdf.open_outline() as outline:
        existing: list[pikepdf.OutlineItem] = []
        stack = list(reversed(outline.root))
        while stack:
            item = stack.pop()
            existing.append(item)
            stack.extend(reversed(item.children))
        # WeasyPrint's titles keep the spaces that line breaks take out of the tagged text.
        by_text: dict[str, list[pikepdf.OutlineItem]] = {}
        for item in existing:
            by_text.setdefault(squash(item.title), []).append(item)
        if len(existing) != len(headings) or any(not by_text.get(text) for _, text in headings):
            return  # bookmarks that are not one per heading are left as WeasyPrint made them
        new_root: list[pikepdf.OutlineItem] = []
        open_items: list[tuple[int, pikepdf.OutlineItem]] = []
        for level, text in headings:
            old = by_text[text].pop(0)
            item = pikepdf.OutlineItem(old.title, old.destination)
            while open_items and open_items[-1][0] >= level:
                open_items.pop()
            (open_items[-1][1].children if open_items else new_root).append(item)
            open_items.append((level, item))
        outline.root[:] = new_root
