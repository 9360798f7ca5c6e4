"""Issue 23, point 6: a catalog sent out as XLIFF comes back without losing its contexts, by
the README's recipe: translate-toolkit's `po2xliff`, then `pomerge -t` with the catalog as the
template (its `xliff2po` drops every msgctxt), then `msgcat` to wrap it as before."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from leaflets.config import project as project_mod
from leaflets.i18n.po import compiled
from leaflets.i18n.po.catalog import read_catalog
from leaflets.i18n.translations import compile_catalog
from leaflets.pipeline import build as build_mod

pytestmark = pytest.mark.skipif(shutil.which("msgcat") is None, reason="needs GNU gettext")
BIN = Path(sys.executable).parent


def tool(name: str, *args: str) -> None:
    subprocess.run([str(BIN / name), "--progress=none", *args], check=True, capture_output=True)


def round_trip(po: Path, work: Path, edit: tuple[str, str] | None = None) -> None:
    """Send `po` out as XLIFF (a translator may change one target there), bring it back."""
    xlf = work / "messages.xlf"
    tool("po2xliff", str(po), str(xlf))
    if edit is not None:
        text = xlf.read_text(encoding="utf-8")
        xlf.write_text(text.replace(f">{edit[0]}</target>", f">{edit[1]}</target>"), "utf-8")
    merged = work / "merged.po"
    tool("pomerge", "-t", str(po), "-i", str(xlf), "-o", str(merged))
    wrapped = subprocess.run(["msgcat", str(merged)], check=True, capture_output=True).stdout
    po.write_bytes(wrapped)


def test_xliff2po_loses_the_contexts_and_pomerge_keeps_them(project_copy: Path, tmp_path: Path):
    po = project_copy / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    original = po.read_bytes()
    contexts = len(re.findall(rb"^msgctxt ", original, re.M))
    assert contexts >= 10
    xlf = tmp_path / "es.xlf"
    tool("po2xliff", str(po), str(xlf))
    tool("xliff2po", str(xlf), str(tmp_path / "lost.po"))
    assert b"msgctxt" not in (tmp_path / "lost.po").read_bytes()  # why the README warns
    round_trip(po, tmp_path)
    assert po.read_bytes() == original


def test_an_edit_made_in_xliff_comes_back_in_its_context(project_copy: Path, tmp_path: Path):
    po = project_copy / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    shipped = [(m.context, m.id) for m in read_catalog(po) if m.context]
    round_trip(po, tmp_path, edit=("Llame al", "Llame gratis al"))
    catalog = read_catalog(po)
    assert catalog.get("Call", context="phone label").string == "Llame gratis al"
    assert [(m.context, m.id) for m in catalog if m.context] == shipped


@pytest.mark.pdf
def test_the_round_trip_builds_the_same_pdf(project_copy: Path, tmp_path: Path):
    project = project_mod.load(project_copy)
    outputs = build_mod.plan(project, ["es"], ["card"])
    build_mod.build(project, outputs, jobs=1)
    pdf = project.output_path("es", "card")
    before = pdf.read_bytes()
    mo_before = compiled.split(project.mo_path("es").read_bytes())[0]
    round_trip(project.po_path("es"), tmp_path)
    compile_catalog(project, "es", force=True)
    assert compiled.split(project.mo_path("es").read_bytes())[0] == mo_before
    report = build_mod.build(project, outputs, jobs=1, force=True)
    assert report.built and pdf.read_bytes() == before
