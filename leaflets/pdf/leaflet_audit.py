"""Auditing PDFs as leaflets: in the build, repaired and then audited before they are written,
and afterwards, for `leaflets check --pdf`, held to the leaflet and language each one stands for.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from pathlib import Path

import pikepdf

from ..config.model import Language, Leaflet, Project
from ..config.paths import file_kind, inside, read_project_file
from ..errors import AuditError, FileRefused, LeafletsError, OutsideProject
from ..findings import Finding, errors
from . import postprocess
from .audit import Audit, audit_pdf
from .glyphs import PrintedTexts


def accessible(
    pdf: bytes,
    html: str,
    path: Path,
    leaflet: Leaflet,
    lang: str,
    label: str,
    fonts: frozenset[str] | None = None,
    printed: PrintedTexts = (),
) -> bytes:
    """The build's last step before writing: repair WeasyPrint's gaps from the HTML's hints,
    then audit, with `fonts` the families declared for the language (every glyph must come
    from one) and `printed` saying which msgid printed which text. Raises
    AuditError, naming the output, if any error remains."""
    try:
        html_hints = postprocess.hints(html)
        # One parse of the PDF for both steps: the audit reads the repaired objects that were
        # just saved, instead of parsing the saved bytes again.
        with pikepdf.open(io.BytesIO(pdf)) as document:
            pdf = postprocess.repair(document, html_hints)
            try:
                findings = Audit(document, path, leaflet.min_font_pt, lang, fonts, printed).run()
            except pikepdf.PdfError as exc:  # as audit_pdf reports it
                findings = [Finding(path, f"cannot read the PDF: {exc}", code="unreadable")]
        problems = errors(findings)
    except AuditError as exc:
        raise AuditError(f"{label}: {exc.message}", exc.path, exc.line) from None
    if problems:
        details = "; ".join(
            (f"page {f.page}: " if f.page else "") + f.message for f in problems[:5]
        )
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise AuditError(f"{label}: not written, the accessibility audit failed: {details}{more}")
    return pdf


def expectations(project: Project, path: Path) -> tuple[Leaflet | None, Language | None]:
    """The leaflet and language a PDF stands for, from its name: out/<lang>/<leaflet>.pdf as
    `leaflets build` writes it, or <leaflet>-<lang>.pdf as a print package's proofs are named."""
    leaflet = project.leaflets.get(path.stem)
    language = project.languages.get(path.parent.name)
    if leaflet is None:
        name, _, code = path.stem.rpartition("-")
        if name in project.leaflets and code in project.languages:
            leaflet, language = project.leaflets[name], project.languages[code]
    return leaflet, language


def audit_outputs(project: Project, paths: Iterable[Path]) -> list[Finding]:
    """Audit built PDFs. A file named like an output (out/es/card.pdf) is held to that leaflet's
    minimum type size, that language and its declared fonts; any other PDF to the default
    10 pt. A PDF in the project that links outside it is not read."""
    findings: list[Finding] = []
    for path in paths:
        leaflet, language = expectations(project, path)
        lang = language.bcp47 if language else None
        fonts = frozenset(project.fonts_of(language.code)) if language else None
        minimum = leaflet.min_font_pt if leaflet else Leaflet.model_fields["min_font_pt"].default
        try:
            data = read_project_file(inside(project.root, path, outside_ok=True), "PDF")
        except OutsideProject as exc:
            findings.append(Finding(path, exc.message, code="outside"))
            continue
        except FileRefused as exc:
            findings.append(Finding(path, exc.message, code="unreadable"))
            continue
        except OSError as exc:
            findings.append(Finding(path, f"cannot read it: {exc.strerror}", code="unreadable"))
            continue
        findings.extend(audit_pdf(data, path, minimum, lang, fonts))
    return findings


def pdf_paths(targets: Iterable[Path]) -> list[Path]:
    """PDF files named, or found (recursively) in the folders named, sorted.

    In a folder, a print package's sheets and job ticket are passed over: they are for the
    printer, untagged by design. Its proofs/ (the leaflets themselves) are audited.
    """
    found: list[Path] = []
    for target in targets:
        if target.is_dir():
            found.extend(
                path
                for path in sorted(target.rglob("*.pdf"))
                if path.is_file() and not (path.parent / "ticket.json").is_file()
            )
        elif target.is_file():
            found.append(target)
        elif target.exists():
            kind = file_kind(os.stat(target).st_mode)
            raise LeafletsError(f"not a PDF file but {kind}; name PDF files or folders", target)
    return found
