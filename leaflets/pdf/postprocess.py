"""Postprocess: repair what WeasyPrint 70 leaves out of a PDF/UA-1 file, with pikepdf.

WeasyPrint tags the PDF but misses a few things that a screen reader needs. Some are written in
while WeasyPrint tags it (layout/weasyprint_adapters.py: each element's /Lang, each line's
/ActualText, and which HTML element each structure element stands for); the rest the HTML says,
so `hints()` reads them from the rendered HTML and `fix()` writes them in:

- a link annotation's /Contents is its URL ("tel:+18883737888"); it becomes the link's
  aria-label, which the templates translate ("Call the National Human Trafficking Hotline, …");
- an element split by a page break is tagged once per page (two L for one list, a Sect without
  its heading); the fragments become one element again;
- the structure tree follows the HTML, which for the tri-fold is the order of the panels on the
  sheet. A template may name its reading order (`<meta name="reading-order">`); the elements
  with those ids are moved into that order and the bookmarks rebuilt to match;
- a Figure's /BBox is written in CSS pixels from the top of the page; it becomes PDF points;
- a `<br>` leaves empty NonStruct elements; they are removed;
- the title, DisplayDocTitle, /MarkInfo and the XMP dc:title and pdfuaid:part are made sure of.

Elements are found by identity (`/LeafletsNode`, `/LeafletsId`, which
layout/weasyprint_adapters.py writes and this module removes), never by their text: text read
back from a PDF is not the text that was set when the script is shaped (Arabic) or a line break
took a space out.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pikepdf
import tinyhtml5

from ..errors import AuditError
from .artifacts import unlinked_as_artifacts
from .structure import heading_level, is_struct_elem, key, kids, walk

# Written by layout/weasyprint_adapters.py while WeasyPrint tags the PDF (layout and pdf do not
# import each other): the HTML element a structure element stands for, and that element's id.
NODE_KEY = "/LeafletsNode"
ID_KEY = "/LeafletsId"
HTML_NS = "{http://www.w3.org/1999/xhtml}"
SVG_NS = "{http://www.w3.org/2000/svg}"
# WeasyPrint draws in CSS pixels: 1 px = 0.75 pt.
PX_TO_PT = 0.75


@dataclass(frozen=True)
class Hints:
    """What the rendered HTML says the PDF should carry."""

    lang: str
    title: str
    link_labels: dict[str, str] = field(default_factory=dict)
    """href → what a person hears for that link (its aria-label)."""
    reading_order: list[str] = field(default_factory=list)
    """Element ids in the order a person reads them; empty means document order."""


def hints(html: str) -> Hints:
    """Read the title, the link labels and the reading order from rendered HTML."""
    root = tinyhtml5.parse(html)
    lang = root.get("lang", "")
    title_elem = root.find(f"{HTML_NS}head/{HTML_NS}title")
    title = " ".join(_text(title_elem).split()) if title_elem is not None else ""
    labels: dict[str, str] = {}
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
    missing = [name for name in order if name not in by_id]
    if missing:
        raise AuditError(f"reading order names elements that do not exist: {', '.join(missing)}")
    return Hints(lang, title, labels, order)


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
        return repair(pdf, html_hints)


def repair(pdf: pikepdf.Pdf, html_hints: Hints) -> bytes:
    """fix() on an opened PDF, which stays open for the caller (the build audits it without
    parsing the bytes again). Returns the repaired bytes."""
    _metadata(pdf, html_hints)
    _link_contents(pdf, html_hints.link_labels)
    _figure_boxes(pdf)
    root = pdf.Root.get("/StructTreeRoot")
    if root is not None:
        unlinked_as_artifacts(pdf, root)  # page numbers in the margins
        _prune_empty(root)
        _fragments_joined(pdf, root)
        if html_hints.reading_order:
            _reading_order(pdf, root, html_hints)
        _strip_private(root)
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


def _fragments_joined(pdf: pikepdf.Pdf, root) -> None:
    """One element for each HTML element that a page or column break split: WeasyPrint tags
    each page and column on its own, so a list that runs on to the next page or panel is two
    L, and a section resumes as a Sect without its heading. Siblings that stand for the same
    HTML element (/LeafletsNode) and are of the same type become one: the first takes the kids
    of the rest."""
    moved: dict = {}

    def join(elem, depth: int) -> None:
        merged: list = []
        for kid in kids(elem):
            previous = merged[-1] if merged else None
            if (
                is_struct_elem(kid)
                and is_struct_elem(previous)
                and kid.get(NODE_KEY) is not None
                and kid.get(NODE_KEY) == previous.get(NODE_KEY)
                and kid.get("/S") == previous.get("/S")
                and _joinable(previous, kid)
            ):
                _take_kids(previous, kid, moved)
                continue
            merged.append(kid)
        if len(merged) != len(kids(elem)):
            elem.K = pikepdf.Array(merged)
        for kid in merged:
            if is_struct_elem(kid) and depth < 64:
                join(kid, depth + 1)

    join(root, 0)
    if moved:
        _retarget_parent_tree(root, moved)


def _joinable(first, later) -> bool:
    """Whether two fragments of one element may become one: not where /ActualText stands for
    a fragment's own content (a line's link), which the join would lose."""
    if "/ActualText" in first or "/ActualText" in later:
        return False
    return first.get("/S") != "/Link" or _page_key(first) != _page_key(later)


def _page_key(elem):
    page = elem.get("/Pg")
    return page.objgen if isinstance(page, pikepdf.Dictionary) else None


def _take_kids(first, later, moved: dict) -> None:
    """`later`'s kids, appended to `first`'s; a marked-content ID, which belongs to its
    element's page, becomes a reference that names the page."""
    taken = []
    for kid in kids(later):
        if isinstance(kid, int) and "/Pg" in later:
            kid = pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=later.Pg, MCID=kid)
        elif is_struct_elem(kid):
            kid.P = first
        taken.append(kid)
    first.K = pikepdf.Array([*kids(first), *taken])
    moved[key(later)] = first


def _retarget_parent_tree(root, moved: dict) -> None:
    """ParentTree entries of the elements that were joined into another now name that one."""
    tree = pikepdf.NumberTree(root.ParentTree)
    for number, entry in list(tree.items()):
        if isinstance(entry, pikepdf.Array):
            if any(is_struct_elem(e) and key(e) in moved for e in entry):
                tree[number] = pikepdf.Array(
                    [moved.get(key(e), e) if is_struct_elem(e) else e for e in entry]
                )
        elif is_struct_elem(entry) and key(entry) in moved:
            tree[number] = moved[key(entry)]


def _regions(root, names: list[str]) -> list[list[pikepdf.Object]]:
    """The structure elements of each region, found by its id (/LeafletsId): every fragment
    (one per column of the tri-fold's inside), outermost ones only, in tag order."""
    found: dict[str, list] = {name: [] for name in names}
    taken: set = set()
    for elem, parent in walk(root):
        name = str(elem.get(ID_KEY, ""))
        if name in found and key(parent) not in taken:
            found[name].append(elem)
        if name in found or key(parent) in taken:
            taken.add(key(elem))
    return [found[name] for name in names]


def _reading_order(pdf: pikepdf.Pdf, root, html_hints: Hints) -> None:
    """Move the named regions into reading order under the document element."""
    headings = [elem for elem, _ in walk(root) if heading_level(elem)]
    grouped = _regions(root, html_hints.reading_order)
    for name, elements in zip(html_hints.reading_order, grouped, strict=True):
        if not elements:
            raise AuditError(
                f"cannot put the PDF in reading order: no structure element stands for #{name}"
            )
    regions = [elem for elements in grouped for elem in elements]
    document = kids(root)[0]
    # Which child of Document holds each region: a sheet Div, or the region itself.
    top_of = {}
    for top in kids(document):
        if not is_struct_elem(top):
            continue
        for elem in [top, *(elem for elem, _ in walk(top))]:
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
    _outline_in_tag_order(pdf, root, headings)


def _same(a, b) -> bool:
    return isinstance(a, pikepdf.Object) and isinstance(b, pikepdf.Object) and key(a) == key(b)


def _is_empty(elem) -> bool:
    """An element left with no content after its regions moved out."""
    return all(is_struct_elem(kid) and _is_empty(kid) for kid in kids(elem))


def _outline_in_tag_order(pdf: pikepdf.Pdf, root, headings: list) -> None:
    """Rebuild the bookmarks from the headings, in the structure tree's order. `headings` are
    the heading elements in the order WeasyPrint met them, which is the order of its bookmarks:
    the n-th bookmark is the n-th heading's."""
    with pdf.open_outline() as outline:
        existing: list[pikepdf.OutlineItem] = []
        stack = list(reversed(outline.root))
        while stack:
            item = stack.pop()
            existing.append(item)
            stack.extend(reversed(item.children))
        if len(existing) != len(headings):
            return  # bookmarks that are not one per heading are left as WeasyPrint made them
        item_of = {key(heading): item for heading, item in zip(headings, existing, strict=True)}
        new_root: list[pikepdf.OutlineItem] = []
        open_items: list[tuple[int, pikepdf.OutlineItem]] = []
        for elem, _ in walk(root):
            level = heading_level(elem)
            if not level:
                continue
            old = item_of[key(elem)]
            item = pikepdf.OutlineItem(old.title, old.destination)
            while open_items and open_items[-1][0] >= level:
                open_items.pop()
            (open_items[-1][1].children if open_items else new_root).append(item)
            open_items.append((level, item))
        outline.root[:] = new_root


def _strip_private(root) -> None:
    """The keys layout/weasyprint_adapters.py adds for the steps above, removed once they are
    done."""
    for elem, _ in walk(root):
        for name in (NODE_KEY, ID_KEY):
            if name in elem:
                del elem[name]
