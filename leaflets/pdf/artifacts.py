"""Page-margin text as pagination artifacts: large print's "Page 2 of 4".

WeasyPrint tags the text of a page's margin boxes with MCIDs and builds structure elements
for it, but links them to nothing (its tags.py: an Artifact in the tree is PDF 2.0 only), so
the marked content is reachable from no element and a PDF/UA check fails. PDF/UA-1 wants
running page numbers as artifacts (ISO 14289-1, 7.8): the content is marked
`/Artifact <</Type /Pagination>>` instead, and its ParentTree slots are emptied.
"""

from __future__ import annotations

import pikepdf

from .structure import is_struct_elem, key, walk


def unlinked_as_artifacts(pdf: pikepdf.Pdf, root: pikepdf.Object) -> int:
    """Marked content whose element is not in the structure tree becomes a pagination
    artifact; returns how many sequences changed. Content in Form XObjects is left alone."""
    reachable = {key(elem) for elem, _ in walk(root)}
    tree = pikepdf.NumberTree(root.ParentTree)
    changed = 0
    for page in pdf.pages:
        index = page.obj.get("/StructParents")
        entry = tree.get(int(index)) if index is not None else None
        if not isinstance(entry, pikepdf.Array):
            continue
        lost = {
            mcid
            for mcid, elem in enumerate(entry)
            if is_struct_elem(elem) and key(elem) not in reachable
        }
        if lost:
            changed += _mark_artifacts(pdf, page, lost)
            for mcid in lost:
                entry[mcid] = None  # a null: no element
    return changed


def _mark_artifacts(pdf: pikepdf.Pdf, page: pikepdf.Page, lost: set[int]) -> int:
    instructions = []
    changed = 0
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "BDC" and len(operands) > 1:
            props = operands[1]
            mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
            if mcid is not None and int(mcid) in lost:
                operands = [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)]
                changed += 1
        instructions.append(pikepdf.ContentStreamInstruction(operands, operator))
    if changed:
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
    return changed
