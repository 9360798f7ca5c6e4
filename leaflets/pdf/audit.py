"""Audit: the machine-checkable part of PDF/UA-1 (the Matterhorn Protocol), with pikepdf.

Every rule returns findings rather than raising, so one run reports every problem. Each finding
names the file, the page where one is known, and what is wrong. The rules:

- metadata: XMP pdfuaid:part 1 and a dc:title; /MarkInfo /Marked; DisplayDocTitle
- structure: a StructTreeRoot; every element's /P is its parent; standard (or role-mapped)
  structure types; BCP 47 /Lang everywhere
- content: every painting operator inside tagged content or an Artifact (Form XObjects too),
  no tagged content inside an Artifact; every MCID reachable from the structure tree through
  the ParentTree
- semantics: Figures have /Alt; headings start at H1 and skip no level; L > LI > (Lbl, LBody);
  tables have header cells; links sit in Link elements and say what they do; /Tabs /S
- fonts embedded, with /ToUnicode; no glyph under the leaflet's minimum size
- glyphs (glyphs.py): every glyph from a font the project declares for the language, none
  missing (.notdef), with the characters named
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from babel import Locale

from ..findings import Finding, Severity
from .content import ContentScan
from .glyphs import PrintedTexts, font_glyph_findings
from .structure import is_struct_elem, key, kids, page_index, tag, walk

# RFC 5646 "well-formed" language tags (grandfathered tags aside), matched case-insensitively.
BCP47_RE = re.compile(
    r"^(?P<lang>[a-z]{2,8})(?:-[a-z]{3}){0,3}"
    r"(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*"
    r"(?:-[0-9a-wy-z](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?$",
    re.IGNORECASE,
)
KNOWN_LANGUAGES = frozenset(Locale("en").languages)
# The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4), which PDF/UA-1 builds on.
# fmt: off
STANDARD_TYPES = frozenset(f"/{name}" for name in (
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index",
    "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl",
    "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note",
    "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT", "RP", "Warichu", "WT",
    "WP", "Figure", "Formula", "Form",
))
# fmt: on
HEADING_LEVELS = {f"/H{level}": level for level in range(1, 7)}

# An address: a scheme and something right after it ("mailto: llame…" is words, not one).
URI_RE = re.compile(r"^(?:tel|https?|mailto|sms|file):\S", re.IGNORECASE)
# Text smaller than the minimum by less than this is rounding, not small type.
SIZE_TOLERANCE_PT = 0.05


def valid_language_tag(value: str) -> bool:
    """A well-formed BCP 47 tag with a real primary language: a two-letter code must be one
    CLDR knows (ISO 639-1 is a closed list), so "xx", "english" and "" fail. Three-letter codes
    (ISO 639-3, such as "acf", and the private-use qaa–qtz, such as the pseudo-locale's "qps")
    are accepted on their form: CLDR names only some of them."""
    match = BCP47_RE.fullmatch(value)
    if not match:
        return False
    primary = match.group("lang").lower()
    return primary in KNOWN_LANGUAGES or len(primary) == 3


@dataclass
class Audit:
    """One PDF being audited: collects findings as the rules run."""

    pdf: pikepdf.Pdf
    path: Path
    min_font_pt: float | None
    lang: str | None
    fonts: frozenset[str] | None = None
    """The font families the project declares for this language; None skips that check."""
    printed: PrintedTexts = ()
    """Which msgid printed which text (the build's catalog), to name a stray glyph's message."""
    findings: list[Finding] = field(default_factory=list)

    def error(self, code: str, message: str, page: int | None = None) -> None:
        self.findings.append(Finding(self.path, message, Severity.ERROR, page=page, code=code))

    def run(self) -> list[Finding]:
        self.pages = page_index(self.pdf)
        self.check_metadata()
        self.check_language(self.pdf.Root.get("/Lang"), None, "the document")
        if self.lang and str(self.pdf.Root.get("/Lang", "")) not in ("", self.lang):
            self.error(
                "lang",
                f"the document's language is {str(self.pdf.Root.Lang)!r}, expected {self.lang!r}",
            )
        root = self.pdf.Root.get("/StructTreeRoot")
        elements: dict = {}
        if root is None:
            self.error("struct-tree", "no structure tree (StructTreeRoot): the PDF is not tagged")
        else:
            elements = self.check_structure(root)
        parent_tree = self.parent_tree(root)
        for number, page in enumerate(self.pdf.pages, start=1):
            scan = ContentScan()
            scan.page(page)
            for problem in scan.untagged[:1]:
                self.error(
                    "untagged-content",
                    f"{scan.untagged_count} painting operator(s) outside tagged content or an "
                    f"Artifact (first: {problem})",
                    number,
                )
            if scan.tagged_in_artifact:
                self.error(
                    "artifact-tagged",
                    f"{scan.tagged_in_artifact} tagged marked-content sequence(s) inside an "
                    "Artifact: screen readers skip them",
                    number,
                )
            for owner, mcids in scan.mcids.values():
                self.check_mcids(owner, number, mcids, parent_tree, elements)
            self.check_annotations(page, number, parent_tree, elements)
            self.check_glyph_size(scan, number)
        self.check_fonts()
        return self.findings

    # ---------------------------------------------------------------- metadata

    def check_metadata(self) -> None:
        root = self.pdf.Root
        marked = root.get("/MarkInfo", {}).get("/Marked")
        if marked is not True:
            self.error("marked", "/MarkInfo /Marked is not true: the PDF does not say it is tagged")
        prefs = root.get("/ViewerPreferences", {})
        if prefs.get("/DisplayDocTitle") is not True:
            self.error(
                "display-doc-title",
                "DisplayDocTitle is not true: readers show the file name instead of the title",
            )
        try:
            meta = self.pdf.open_metadata()
            part = meta.get("{http://www.aiim.org/pdfua/ns/id/}part")
            title = meta.get("{http://purl.org/dc/elements/1.1/}title")
        except Exception as exc:  # a broken XMP packet is a finding, not a crash
            self.error("xmp", f"the XMP metadata cannot be read: {exc}")
            return
        if str(part or "") != "1":
            self.error("pdfuaid", f"XMP pdfuaid:part is {part!r}, expected '1' (PDF/UA-1)")
        if not str(title or "").strip():
            self.error("title", "the document has no title (XMP dc:title is missing or empty)")

    def check_language(self, value, page: int | None, where: str) -> None:
        if value is None:
            if where == "the document":
                self.error("lang", "the document has no /Lang: screen readers cannot pick a voice")
            return
        if not valid_language_tag(str(value)):
            self.error("lang", f"{where} has /Lang {str(value)!r}, not a BCP 47 language tag", page)

    # ---------------------------------------------------------------- structure tree

    def page_of(self, elem) -> int | None:
        pg = elem.get("/Pg")
        if isinstance(pg, pikepdf.Dictionary) and pg.is_indirect and pg.objgen in self.pages:
            return self.pages[pg.objgen] + 1
        return None

    def type_of(self, elem) -> str:
        """The element's standard structure type, through the RoleMap; "" if it has none."""
        name = tag(elem)
        for _ in range(10):  # a RoleMap may chain; a loop in it is an error, not a hang
            if name in STANDARD_TYPES:
                return name
            name = str(self.rolemap.get(name, ""))
            if not name:
                return ""
        return ""

    def check_structure(self, root) -> dict:
        """Walk the tree once: parents, types, languages, figures, headings, lists, tables."""
        elements = {}
        previous_heading = 0
        rolemap = root.get("/RoleMap")
        self.rolemap = rolemap if isinstance(rolemap, pikepdf.Dictionary) else {}
        for elem, parent in walk(root):
            elements[key(elem)] = elem
            page = self.page_of(elem)
            name = self.type_of(elem)
            if not name:
                self.error(
                    "struct-type",
                    f"structure type {tag(elem)} is not standard and the RoleMap maps it to none",
                    page,
                )
                name = tag(elem)
            actual = elem.get("/P")
            if actual is None or key(actual) != key(parent):
                self.error("parent", f"a {name} element has no parent (/P) or the wrong one", page)
            if "/Lang" in elem:
                self.check_language(elem.Lang, page, f"a {name} element")
            alt = str(elem.get("/Alt", "")).strip() or str(elem.get("/ActualText", "")).strip()
            if name == "/Figure" and not alt:
                self.error("figure-alt", "a Figure has no alternative text (/Alt)", page)
            level = HEADING_LEVELS.get(name)
            if level is not None:
                if previous_heading == 0 and level != 1:
                    self.error("heading", f"the first heading is H{level}, not H1", page)
                elif level > previous_heading + 1 and previous_heading:
                    self.error(
                        "heading", f"heading level skipped: H{previous_heading} → H{level}", page
                    )
                previous_heading = level
            self.check_list_and_table(elem, name, page)
        return elements

    def check_list_and_table(self, elem, name: str, page: int | None) -> None:
        kid_tags = [self.type_of(kid) or tag(kid) for kid in kids(elem) if is_struct_elem(kid)]
        if name == "/L":
            wrong = sorted({t for t in kid_tags if t not in ("/LI", "/L", "/Caption")})
            if wrong:
                self.error("list", f"a list (L) holds {', '.join(wrong)}; expected LI", page)
        elif name == "/LI":
            wrong = sorted({t for t in kid_tags if t not in ("/Lbl", "/LBody")})
            if wrong:
                self.error(
                    "list", f"a list item (LI) holds {', '.join(wrong)}; expected Lbl, LBody", page
                )
        elif name == "/Table" and not any(self.type_of(e) == "/TH" for e, _ in walk(elem)):
            self.error("table", "a table has no header cells (TH)", page)

    def parent_tree(self, root) -> dict[int, pikepdf.Object]:
        if root is None or "/ParentTree" not in root:
            if root is not None:
                self.error("parent-tree", "the structure tree has no ParentTree")
            return {}
        try:
            return dict(pikepdf.NumberTree(root.ParentTree).items())
        except Exception as exc:
            self.error("parent-tree", f"the ParentTree cannot be read: {exc}")
            return {}

    def check_mcids(self, owner, number: int, mcids: list[int], parent_tree, elements) -> None:
        """MCIDs of a page, or of a Form XObject (which has its own /StructParents)."""
        if not mcids:
            return
        index = owner.get("/StructParents")
        entry = parent_tree.get(int(index)) if index is not None else None
        if not isinstance(entry, pikepdf.Array):
            what = "a Form XObject on the page" if owner.get("/Subtype") == "/Form" else "the page"
            self.error(
                "mcid",
                f"{len(mcids)} marked-content IDs, but {what} has no ParentTree entry",
                number,
            )
            return
        lost = []
        for mcid in mcids:
            elem = entry[mcid] if 0 <= mcid < len(entry) else None
            if (
                not is_struct_elem(elem)
                or key(elem) not in elements
                or not any(
                    (isinstance(k, int) and int(k) == mcid)
                    or (isinstance(k, pikepdf.Dictionary) and k.get("/MCID") == mcid)
                    for k in kids(elem)
                )
            ):
                lost.append(mcid)
        if lost:
            shown = ", ".join(map(str, lost[:5])) + (" …" if len(lost) > 5 else "")
            self.error(
                "mcid",
                f"marked content not reachable from the structure tree: MCID {shown}",
                number,
            )

    # ---------------------------------------------------------------- annotations

    def check_annotations(self, page, number: int, parent_tree, elements) -> None:
        annots = [a for a in page.obj.get("/Annots", []) if a.get("/Subtype") != "/Popup"]
        if annots and page.obj.get("/Tabs") != "/S":
            self.error(
                "tabs", "the page has annotations but no /Tabs /S (tab in tag order)", number
            )
        for annot in annots:
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            uri = str(action.get("/URI", "")) if isinstance(action, pikepdf.Dictionary) else ""
            what = f"the link to {uri}" if uri else "a link"
            contents = str(annot.get("/Contents", "")).strip()
            if not contents:
                self.error("link-contents", f"{what} has no description (/Contents)", number)
            elif contents == uri or URI_RE.match(contents):
                self.error(
                    "link-contents",
                    f"{what} is described by its address ({contents!r}), not by what it does",
                    number,
                )
            index = annot.get("/StructParent")
            elem = parent_tree.get(int(index)) if index is not None else None
            in_link = (
                is_struct_elem(elem)
                and key(elem) in elements
                and tag(elem) == "/Link"
                and any(
                    isinstance(k, pikepdf.Dictionary)
                    and k.get("/Type") == "/OBJR"
                    and key(k.Obj) == key(annot)
                    for k in kids(elem)
                )
            )
            if not in_link:
                self.error("link-tag", f"{what} is not inside a Link structure element", number)

    # ---------------------------------------------------------------- fonts and type size

    def check_fonts(self) -> None:
        seen: set = set()
        for number, page in enumerate(self.pdf.pages, start=1):
            for font in _fonts(page.obj.get("/Resources")):
                if key(font) in seen:
                    continue
                seen.add(key(font))
                name = str(font.get("/BaseFont", "(unnamed)")).lstrip("/")
                subtype = font.get("/Subtype")
                if subtype == "/Type0":
                    descendants = font.get("/DescendantFonts") or [{}]
                    descriptor = descendants[0].get("/FontDescriptor", {})
                else:
                    descriptor = font.get("/FontDescriptor", {})
                if subtype != "/Type3" and not any(
                    k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    self.error("font-embedded", f"font {name} is not embedded", number)
                if "/ToUnicode" not in font:
                    self.error(
                        "font-unicode",
                        f"font {name} has no /ToUnicode map: its text cannot be read aloud",
                        number,
                    )
                for code, message in font_glyph_findings(font, self.fonts, self.lang, self.printed):
                    self.error(code, message, number)

    def check_glyph_size(self, scan: ContentScan, number: int) -> None:
        if self.min_font_pt is None or scan.smallest is None:
            return
        if scan.smallest < self.min_font_pt - SIZE_TOLERANCE_PT:
            self.error(
                "glyph-size",
                f"text at {scan.smallest:.1f} pt, smaller than this leaflet's minimum of "
                f"{self.min_font_pt:g} pt",
                number,
            )


def _fonts(resources, depth: int = 0) -> Iterable[pikepdf.Object]:
    """Fonts in a resource dictionary and in the Form XObjects it uses."""
    if not isinstance(resources, pikepdf.Dictionary) or depth > 8:
        return
    yield from resources.get("/Font", {}).values()
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form":
            yield from _fonts(xobject.get("/Resources"), depth + 1)


# ---------------------------------------------------------------- entry points


def audit_pdf(
    data: bytes | Path,
    path: Path,
    min_font_pt: float | None = None,
    lang: str | None = None,
    fonts: frozenset[str] | None = None,
) -> list[Finding]:
    """Audit one PDF (bytes, or a file to read) and return its findings; `path` names it."""
    try:
        source = io.BytesIO(data) if isinstance(data, bytes) else data
        with pikepdf.open(source) as pdf:
            return Audit(pdf, path, min_font_pt, lang, fonts).run()
    except pikepdf.PasswordError:
        return [
            Finding(
                path,
                "encrypted with a password, so it cannot be audited; audit the PDF that was "
                "encrypted, or a copy without the password",
                code="encrypted",
            )
        ]
    except (pikepdf.PdfError, OSError) as exc:
        # qpdf names the stream it read from, here an in-memory copy: "<_io.BytesIO object
        # at 0x…>: …". The finding names the file already.
        reason = re.sub(r"<_io\.BytesIO object at 0x[0-9a-f]+>:?\s*", "", str(exc)).strip()
        return [
            Finding(
                path,
                f"cannot read the PDF ({reason or type(exc).__name__}); it is damaged or cut "
                "short: build or download it again",
                code="unreadable",
            )
        ]
    except RecursionError:
        return [
            Finding(path, "cannot read the PDF: its objects nest too deeply", code="unreadable")
        ]
