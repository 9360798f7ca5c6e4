"""Reading a tagged PDF's structure tree with pikepdf: elements, their kids and pages.

Shared by postprocess.py (which edits the tree) and audit.py (which checks it). The text each
element holds is read back only by the tests (tests/pdftext.py), with pypdfium2.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pikepdf

HEADING_RE = re.compile(r"^/H([1-6])$")


def is_struct_elem(obj: object) -> bool:
    """A structure element: a dictionary with /S that is not a marked-content or object reference."""
    return (
        isinstance(obj, pikepdf.Dictionary)
        and "/S" in obj
        and obj.get("/Type") not in ("/MCR", "/OBJR")
    )


def kids(elem: pikepdf.Object) -> list[pikepdf.Object]:
    """An element's /K as a list: integers (MCIDs), MCR and OBJR dictionaries, and elements."""
    k = elem.get("/K")
    if k is None:
        return []
    if isinstance(k, pikepdf.Array):
        return list(k)
    return [k]


def key(obj: pikepdf.Object) -> tuple[int, int] | int:
    """A stable identity for an indirect object (pikepdf wrappers are not identical)."""
    return obj.objgen if obj.is_indirect else id(obj)


def tag(elem: pikepdf.Object) -> str:
    """The element's structure type, e.g. "/P" (no role map: WeasyPrint writes standard types)."""
    return str(elem.get("/S", ""))


def heading_level(elem: pikepdf.Object) -> int | None:
    match = HEADING_RE.match(tag(elem))
    return int(match.group(1)) if match else None


def walk(root: pikepdf.Object) -> Iterator[tuple[pikepdf.Object, pikepdf.Object]]:
    """(element, parent) for every structure element under root, depth first, in tag order."""
    seen: set = set()
    stack = [(kid, root) for kid in reversed(kids(root))]
    while stack:
        elem, parent = stack.pop()
        if not is_struct_elem(elem):
            continue
        if key(elem) in seen:  # a cycle or a shared element; report it once
            continue
        seen.add(key(elem))
        yield elem, parent
        stack.extend((kid, elem) for kid in reversed(kids(elem)))


def page_index(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    """Page object identity → 0-based page number."""
    return {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
