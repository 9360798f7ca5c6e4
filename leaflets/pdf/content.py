"""Content streams: one pass over a page's drawing operators, for the audit.

It finds painting done outside tagged content or an Artifact (a screen reader would miss it),
tagged content hidden inside an Artifact, the MCIDs each stream uses, and the smallest glyph
drawn, following Form XObjects and the current transformation matrix.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pikepdf

from .structure import key

TEXT_OPS = frozenset({"Tj", "TJ", "'", '"'})
PAINT_OPS = TEXT_OPS | {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "INLINE IMAGE"}
# Form XObjects may nest; a loop in them is cut off here rather than followed forever.
MAX_FORM_DEPTH = 8

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m × n in PDF's row-vector convention: apply m, then n."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _matrix(operands) -> Matrix:
    return tuple(float(v) for v in operands)  # type: ignore[return-value]


@dataclass
class _State:
    """Graphics and marked-content state while one stream is read."""

    ctm: Matrix
    covered: bool
    """Drawn from inside tagged content or an Artifact in an enclosing stream."""
    in_artifact: bool
    marks: list[str] = field(default_factory=list)
    """Per open marked-content sequence: "artifact", "tagged" or ""."""
    saved: list[tuple[Matrix, float]] = field(default_factory=list)
    font_size: float = 0.0
    text_matrix: Matrix = IDENTITY
    render_mode: int = 0

    @property
    def tagged_or_artifact(self) -> bool:
        return self.covered or any(self.marks)

    @property
    def inside_artifact(self) -> bool:
        return self.in_artifact or "artifact" in self.marks


@dataclass
class ContentScan:
    """One pass over a page's content: untagged painting, MCIDs used, and the smallest glyph."""

    untagged: list[str] = field(default_factory=list)
    untagged_count: int = 0
    mcids: dict = field(default_factory=dict)
    """Content stream (page or Form XObject) identity → (its dictionary, the MCIDs it uses)."""
    smallest: float | None = None
    tagged_in_artifact: int = 0
    """Marked-content IDs opened inside an Artifact: real content hidden from the tags."""

    def page(self, page: pikepdf.Page) -> None:
        self.stream(page.obj, page.obj.get("/Resources"), _State(IDENTITY, False, False), 0)

    def stream(self, owner, resources, state: _State, depth: int) -> None:
        try:
            instructions = pikepdf.parse_content_stream(owner)
        except pikepdf.PdfError as exc:
            self.untagged.append(f"unreadable content stream: {exc}")
            self.untagged_count += 1
            return
        _, mcids = self.mcids.setdefault(key(owner), (owner, []))
        for operands, operator in instructions:
            op = str(operator)
            if op in ("BDC", "BMC", "EMC"):
                self._marked_content(op, operands, state, mcids)
            else:
                self._graphics_state(op, operands, state)
            if op in PAINT_OPS:
                self._paint(op, operands, state, resources, depth)

    def _marked_content(self, op: str, operands, state: _State, mcids: list[int]) -> None:
        if op == "EMC":
            if state.marks:
                state.marks.pop()
            return
        props = operands[1] if op == "BDC" and len(operands) > 1 else None
        mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
        if mcid is not None:
            mcids.append(int(mcid))
            if state.inside_artifact:
                self.tagged_in_artifact += 1
        artifact = str(operands[0]) == "/Artifact"
        state.marks.append("artifact" if artifact else ("tagged" if mcid is not None else ""))

    @staticmethod
    def _graphics_state(op: str, operands, state: _State) -> None:
        if op == "q":
            state.saved.append((state.ctm, state.font_size))
        elif op == "Q":
            if state.saved:
                state.ctm, state.font_size = state.saved.pop()
        elif op == "cm":
            state.ctm = multiply(_matrix(operands), state.ctm)
        elif op == "BT":
            state.text_matrix = IDENTITY
        elif op == "Tm":
            state.text_matrix = _matrix(operands)
        elif op == "Tf":
            state.font_size = float(operands[1])
        elif op == "Tr":
            state.render_mode = int(operands[0])

    def _paint(self, op: str, operands, state: _State, resources, depth: int) -> None:
        if not state.tagged_or_artifact:
            self.untagged_count += 1
            if not self.untagged:
                self.untagged.append(op)
        if op in TEXT_OPS and state.render_mode != 3 and _has_glyphs(operands, op):
            _, _, c, d, _, _ = multiply(state.text_matrix, state.ctm)
            size = abs(state.font_size) * math.hypot(c, d)
            if size > 0 and (self.smallest is None or size < self.smallest):
                self.smallest = size
        if op == "Do" and depth < MAX_FORM_DEPTH:
            xobject = (resources or {}).get("/XObject", {}).get(str(operands[0]))
            if xobject is not None and xobject.get("/Subtype") == "/Form":
                form_matrix = _matrix(xobject.get("/Matrix", IDENTITY))
                inner = _State(
                    multiply(form_matrix, state.ctm),
                    state.tagged_or_artifact,
                    state.inside_artifact,
                )
                self.stream(xobject, xobject.get("/Resources", resources), inner, depth + 1)


def _has_glyphs(operands, op: str) -> bool:
    text = operands[-1]
    if op == "TJ":
        return any(isinstance(part, pikepdf.String) and len(bytes(part)) for part in text)
    return isinstance(text, pikepdf.String) and len(bytes(text)) > 0
