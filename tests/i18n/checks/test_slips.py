"""Issue 23's targets on a corpus of translator slips (tests/data/slips/slips.toml), each
applied alone to the shipped es or ht catalog: every real slip is reported at its entry (an
error where it would print wrong, so the English prints instead), and no harmless text is an
error. devtools/compare_slips.py runs pofilter and `msgfmt -c` on the same set."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from leaflets.config import project as project_mod
from leaflets.findings import Finding, Severity
from leaflets.i18n.checks.catalog import check_catalog
from leaflets.i18n.checks.project import catalog_context
from leaflets.i18n.po.catalog import po_bytes, read_catalog, set_header_field
from tests.conftest import REPO, copy_project

SLIPS = tomllib.loads((REPO / "tests" / "data" / "slips" / "slips.toml").read_text("utf-8"))["slip"]


def apply(slip: dict, catalog) -> None:
    """Apply one slip to a catalog read from a shipped .po."""
    if slip.get("header_fuzzy"):
        catalog.po_header.flags.add("fuzzy")
    if "team" in slip:
        set_header_field(catalog, "Language-Team", slip["team"])
    if "msgid" in slip:
        message = catalog.get(slip["msgid"], context=slip.get("context"))
        assert message is not None, slip
        message.string = slip["translation"]
        if slip.get("fuzzy"):
            message.flags.add("fuzzy")
        if slip.get("comment"):
            message.user_comments.append(slip["comment"])


@pytest.fixture(scope="module")
def project_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("slips") / "project")


_found: dict[tuple[Path, int], list[Finding]] = {}


def findings_for(slip: dict, root: Path) -> list[Finding]:
    """What `leaflets check` says about the catalog with this one slip (the shipped catalogs
    have no finding at all, so every finding is the slip's); each slip is checked once."""
    if (root, id(slip)) not in _found:
        _found[(root, id(slip))] = _check(slip, root)
    return _found[(root, id(slip))]


def _check(slip: dict, root: Path) -> list[Finding]:
    shipped = REPO / "locales" / slip["lang"] / "LC_MESSAGES" / "messages.po"
    catalog = read_catalog(shipped)
    apply(slip, catalog)
    po = root / "locales" / slip["lang"] / "LC_MESSAGES" / "messages.po"
    po.write_bytes(po_bytes(catalog, shipped.read_bytes()))
    try:
        return check_catalog(catalog_context(_loaded(root), slip["lang"]))
    finally:
        po.write_bytes(shipped.read_bytes())


_projects: dict[Path, object] = {}


def _loaded(root: Path):
    if root not in _projects:
        _projects[root] = project_mod.load(root)
    return _projects[root]


def verdict(slip: dict, findings: list[Finding]) -> str:
    """ "error", "warning" or "none": the worst the check said."""
    if any(f.severity is Severity.ERROR for f in findings):
        return "error"
    return "warning" if findings else "none"


@pytest.mark.parametrize(
    "slip",
    SLIPS,
    ids=[f"{s['lang']}-{i}-{s['kind'].replace(' ', '_')}" for i, s in enumerate(SLIPS)],
)
def test_each_slip(slip: dict, project_root: Path):
    found = verdict(slip, findings_for(slip, project_root))
    if slip["expect"] == "none":
        assert found != "error", findings_for(slip, project_root)
    else:
        assert found == slip["expect"], (slip["kind"], findings_for(slip, project_root))


def test_the_corpus_counts(project_root: Path):
    """The figures issue 23 asks for: caught, missed, false positives."""
    real = [s for s in SLIPS if s["expect"] != "none"]
    harmless = [s for s in SLIPS if s["expect"] == "none"]
    caught = [s for s in real if verdict(s, findings_for(s, project_root)) != "none"]
    false = [s for s in harmless if verdict(s, findings_for(s, project_root)) == "error"]
    print(f"\nslips: {len(caught)}/{len(real)} caught, {len(false)}/{len(harmless)} false errors")
    assert len(real) >= 40 and len(harmless) >= 12
    assert (len(caught), len(false)) == (len(real), 0)
