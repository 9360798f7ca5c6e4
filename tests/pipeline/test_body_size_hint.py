"""A rebuild's body-size search starts from the size the last build chose, which the manifest
keeps beside the output's cache key, and ends where a search from nothing ends: the same size
and the same PDF, byte for byte, in fewer layouts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leaflets.config import project as project_mod
from leaflets.pipeline import build as build_mod
from leaflets.pipeline.manifest import MANIFEST_NAME
from tests.conftest import copy_project

pytestmark = pytest.mark.pdf  # every test builds PDFs (the marker issue19's conftest.py holds)

ES_PO = "locales/es/LC_MESSAGES/messages.po"
# The last line of a paragraph of the tri-fold's inside panels, in Spanish.
LAST_LINE = '"de pagar u otras formas de controlar a una persona."'
# The paragraph from its second line on, and the same paragraph cut short.
PARAGRAPH = (
    '"la coacción para obligar a las víctimas a trabajar o para explotarlas "\n'
    '"sexualmente. La coacción puede ser amenazas, una deuda que nunca se termina "\n' + LAST_LINE
)
EDITS = {
    # The same size fits and the next step does not: two layouts.
    "a word": (LAST_LINE, '"de pagar u otras formas de controlar a alguien."'),
    # Two sentences more: the size chosen last time no longer fits.
    "two sentences": (
        LAST_LINE,
        LAST_LINE[:-1]
        + " Nadie puede quedarse con sus documentos de identidad ni con su pasaporte."
        + ' Nadie puede obligarle a trabajar para pagar una deuda."',
    ),
    # Two sentences fewer: the step above the size chosen last time fits too (12.7 → 13 pt).
    "two sentences fewer": (PARAGRAPH, '"la coacción."'),
}


def edit_line(root: Path, old: str, new: str) -> None:
    po = root / ES_PO
    text = po.read_text(encoding="utf-8")
    assert text.count(old) == 1
    po.write_text(text.replace(old, new), encoding="utf-8")


def build_es(root: Path, leaflet: str = "trifold", **options) -> build_mod.OutputResult:
    project = project_mod.load(root)
    outputs = build_mod.plan(project, ["es"], [leaflet])
    (result,) = build_mod.build(project, outputs, jobs=1, **options).built
    return result


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_rebuild_after_a_one_string_change_lays_out_fewer_times_and_writes_the_same_pdf(
    project_copy: Path, tmp_path: Path, edit: str, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # as a release build is made
    first = build_es(project_copy)
    manifest = json.loads((project_copy / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["outputs"]["es/trifold.pdf"]["body_pt"] == first.body_pt
    # One string changes: the rebuild searches from the size chosen last time.
    edit_line(project_copy, *EDITS[edit])
    warm = build_es(project_copy)
    assert warm.reason == "catalog es changed"
    # The same project built from nothing: the search starts at the bottom of the range.
    cold_root = copy_project(tmp_path / "cold")
    edit_line(cold_root, *EDITS[edit])
    cold = build_es(cold_root)
    assert warm.body_pt == cold.body_pt
    assert warm.output.path.read_bytes() == cold.output.path.read_bytes()
    if edit == "a word":
        assert warm.layouts == 2 < cold.layouts
    elif edit == "two sentences":
        # The size last chosen and the step below it no longer fit: the search from the
        # bottom goes on, below them, so the hint cost two layouts more at most.
        assert warm.body_pt < first.body_pt - 0.1
        assert warm.layouts <= cold.layouts + 2
    else:
        # The search goes on upwards from the size last chosen, as the one from the bottom
        # goes on upwards from the bottom.
        assert warm.body_pt > first.body_pt
        assert warm.layouts <= cold.layouts + 2


def test_a_body_size_in_the_manifest_that_is_not_one_is_ignored(project_copy: Path):
    # The manifest is a cache, not trusted input: a damaged size starts the search from the
    # bottom, as if it were not there.
    cold = build_es(project_copy, "flyer")
    path = project_copy / "out" / MANIFEST_NAME
    for recorded in ("12.7", True, float("nan"), -3, 1e9, [13]):
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest["outputs"]["es/flyer.pdf"]["body_pt"] = recorded
        path.write_text(json.dumps(manifest), encoding="utf-8")
        again = build_es(project_copy, "flyer", force=True)
        assert (again.body_pt, again.layouts) == (cold.body_pt, cold.layouts), recorded
