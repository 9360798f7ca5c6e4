"""The build cache: every dependency, when it changes, rebuilds exactly the outputs it affects.

Each test builds a small project (the wallet card and the flyer, in every language) once, changes
one thing, builds again, and checks which outputs were rendered, which were skipped, and why.
The card and the flyer share base.html.j2 and the hotline, offices and footer partials (the card
takes only the draft-translation note from the footer); only the flyer uses
partials/content.html.j2.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import pytest

from leaflets.config import project as project_mod
from leaflets.errors import FitError
from leaflets.pipeline import build as build_mod
from leaflets.pipeline import cache as cache_mod
from leaflets.pipeline import manifest as manifest_mod
from tests.conftest import copy_project

pytestmark = pytest.mark.pdf  # the builds are what the cache keeps

LEAFLETS = ("card", "flyer")
LANGS = ("en", "es", "ht")
ALL = {(leaflet, lang) for leaflet in LEAFLETS for lang in LANGS}


class SmallProject:
    def __init__(self, root: Path):
        self.root = root

    def build(self, **kwargs) -> build_mod.BuildReport:
        project = project_mod.load(self.root)
        outputs = build_mod.plan(project, LANGS, LEAFLETS)
        return build_mod.build(project, outputs, jobs=1, **kwargs)

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def pdf(self, leaflet: str, lang: str) -> Path:
        return self.root / "out" / lang / f"{leaflet}.pdf"


def built(report: build_mod.BuildReport) -> set[tuple[str, str]]:
    return {(r.output.leaflet, r.output.lang) for r in report.built}


def reasons(report: build_mod.BuildReport) -> set[str]:
    return {r.reason for r in report.built}


def assert_rebuilt(report: build_mod.BuildReport, expected: set, reason: str) -> None:
    assert built(report) == expected
    assert {(s.output.leaflet, s.output.lang) for s in report.skipped} == ALL - expected
    assert all(s.reason == "unchanged" for s in report.skipped)
    for result in report.built:
        assert reason in result.reason, result.reason


@pytest.fixture(scope="module")
def small_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small project, built once for the module; the first build renders everything."""
    project = SmallProject(copy_project(tmp_path_factory.mktemp("small") / "project"))
    report = project.build()
    assert built(report) == ALL
    assert reasons(report) == {"not built before"}
    return project.root


@pytest.fixture
def small(small_built: Path, tmp_path: Path) -> SmallProject:
    """A copy of the built small project for one test: its PDFs, compiled catalogs and
    manifest, with their times (the manifest knows a PDF by size and mtime), so that a build
    with nothing changed renders nothing."""
    return SmallProject(shutil.copytree(small_built, tmp_path / "project", symlinks=True))


def test_nothing_changed_skips_everything_and_leaves_pdfs_alone(small: SmallProject) -> None:
    before = {key: small.pdf(*key).stat().st_mtime_ns for key in ALL}
    report = small.build()
    assert report.built == []
    assert {(s.output.leaflet, s.output.lang) for s in report.skipped} == ALL
    assert {s.reason for s in report.skipped} == {"unchanged"}
    assert {key: small.pdf(*key).stat().st_mtime_ns for key in ALL} == before
    # What the last build learnt survives the skip: pages and English fallbacks.
    card_es = next(s for s in report.skipped if (s.output.leaflet, s.output.lang) == ("card", "es"))
    assert card_es.pages == 2


def test_spanish_catalog_change_rebuilds_only_spanish(small: SmallProject) -> None:
    small.edit(
        "locales/es/LC_MESSAGES/messages.po", 'msgstr "¿Necesita ayuda?"', 'msgstr "¿Busca ayuda?"'
    )
    report = small.build()
    assert_rebuilt(report, {("card", "es"), ("flyer", "es")}, "catalog es changed")


def test_catalog_comment_change_rebuilds_nothing(small: SmallProject) -> None:
    # The .po is newer, so it is compiled again; the compiled catalog is the same, so no PDF is.
    small.edit("locales/ht/LC_MESSAGES/messages.po", "#.", "#. Reviewed.\n#.")
    report = small.build()
    assert report.built == []


def test_contacts_change_rebuilds_everything(small: SmallProject) -> None:
    small.edit("contacts.toml", '"+1 340 774 0144"', '"+1 340 774 0155"')
    report = small.build()
    assert_rebuilt(report, ALL, "contacts.toml changed")


def test_contacts_comment_rebuilds_nothing(small: SmallProject) -> None:
    small.edit("contacts.toml", "[emergency]", "# checked in March\n[emergency]")
    assert small.build().built == []


@pytest.mark.parametrize(
    ("old", "new", "expected", "reason"),
    [
        (
            'title = "Wallet card"',
            'title = "Wallet card (pocket size)"',
            {("card", lang) for lang in LANGS},
            "leaflets.toml [leaflets.card] changed",
        ),
        (
            'name = "Kreyòl ayisyen"',
            'name = "Kreyòl"',
            {(leaflet, "ht") for leaflet in LEAFLETS},
            "leaflets.toml [languages.ht] changed",
        ),
        # Every leaflet prints the source language's code on its draft note.
        ('name = "English"', 'name = "English (US)"', ALL, "leaflets.toml [languages.en] changed"),
        (
            'name = "Virgin Islands Domestic',
            'name = "The Virgin Islands Domestic',
            ALL,
            "leaflets.toml [organisation] changed",
        ),
        ('theme = "default"', 'theme = "high-contrast"', ALL, "leaflets.toml [build] changed"),
        # A leaflet this build does not include, and a comment, change nothing here.
        ("max_pages = 8", "max_pages = 9", set(), ""),
        # Editions are for print orders; `leaflets build` does not read them.
        ("safe_margin_in = 0.25   #", "safe_margin_in = 0.3   #", set(), ""),
        ("# The source language.", "# The source language, English.", set(), ""),
    ],
    ids=[
        "leaflet",
        "language",
        "source-language",
        "organisation",
        "build",
        "other",
        "editions",
        "comment",
    ],
)
def test_leaflets_toml_change_rebuilds_what_reads_it(
    small: SmallProject, old: str, new: str, expected: set, reason: str
) -> None:
    small.edit("leaflets.toml", old, new)
    assert_rebuilt(small.build(), expected, reason)


@pytest.mark.parametrize(
    ("stylesheet", "expected"),
    [
        ("styles/card.css", {("card", lang) for lang in LANGS}),
        ("styles/flyer.css", {("flyer", lang) for lang in LANGS}),
        ("styles/base.css", ALL),
        ("styles/themes/default.css", ALL),
        ("styles/trifold.css", set()),
        ("styles/themes/high-contrast.css", set()),
    ],
)
def test_stylesheet_change_rebuilds_its_leaflets(
    small: SmallProject, stylesheet: str, expected: set
) -> None:
    path = small.root / stylesheet
    path.write_text(path.read_text(encoding="utf-8") + "\n/* tweak */\n", encoding="utf-8")
    assert_rebuilt(small.build(), expected, f"{stylesheet} changed")


def test_new_stylesheet_for_a_leaflet_is_a_dependency(small: SmallProject) -> None:
    (small.root / "styles/card.css").rename(small.root / "styles/card.css.bak")
    assert_rebuilt(small.build(), {("card", lang) for lang in LANGS}, "styles/card.css removed")
    (small.root / "styles/card.css.bak").rename(small.root / "styles/card.css")
    assert_rebuilt(small.build(), {("card", lang) for lang in LANGS}, "styles/card.css added")


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("card.html.j2", {("card", lang) for lang in LANGS}),
        ("base.html.j2", ALL),
        ("partials/offices.html.j2", ALL),
        ("partials/footer.html.j2", ALL),
        ("partials/content.html.j2", {("flyer", lang) for lang in LANGS}),
        ("trifold.html.j2", set()),
    ],
)
def test_template_change_rebuilds_the_leaflets_that_include_it(
    small: SmallProject, template: str, expected: set
) -> None:
    path = small.root / "templates" / template
    path.write_text(path.read_text(encoding="utf-8") + "{# tweak #}\n", encoding="utf-8")
    assert_rebuilt(small.build(), expected, f"templates/{template} changed")


def test_template_dependencies_are_found_by_parsing(project_copy: Path) -> None:
    project = project_mod.load(project_copy)
    fingerprinter = cache_mod.Fingerprinter(project)
    assert fingerprinter.templates_of("card.html.j2") == [
        "base.html.j2",
        "card.html.j2",
        "partials/footer.html.j2",
        "partials/hotline.html.j2",
        "partials/offices.html.j2",
    ]
    # A template named by a variable could be any of them: all of templates/ counts.
    dynamic = project_copy / "templates" / "dynamic.html.j2"
    dynamic.write_text('{% include leaflet.template %}\n{% include "base.html.j2" %}\n')
    every = sorted(
        p.relative_to(project_copy / "templates").as_posix()
        for p in (project_copy / "templates").rglob("*.j2")
    )
    assert cache_mod.Fingerprinter(project).templates_of("dynamic.html.j2") == every


def test_font_change_rebuilds_everything(
    project_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from leaflets.config import fonts as fonts_mod

    # Copies of the packaged fonts, which the test can change as an upgrade would.
    copies = []
    for face in fonts_mod.faces("Atkinson Hyperlegible"):
        copy = tmp_path / face.path.name
        copy.write_bytes(face.path.read_bytes())
        copies.append(dataclasses.replace(face, path=copy))
    monkeypatch.setattr(fonts_mod, "faces", lambda family: tuple(copies))
    small = SmallProject(project_copy)
    assert built(small.build()) == ALL
    regular = next(f.path for f in copies if f.weights == (400, 400) and f.style == "normal")
    regular.write_bytes(regular.read_bytes())  # the same bytes, a new time: the same fonts
    assert small.build().built == []
    with regular.open("ab") as fileobj:  # a different font file
        fileobj.write(b"\0")
    project = project_mod.load(small.root)
    manifest = manifest_mod.Manifest.load(project.build.out)
    decisions = build_mod.decide(project, build_mod.plan(project, LANGS, LEAFLETS), manifest)
    assert {d.reason for d in decisions} == {"fonts changed"}
    assert all(d.stale for d in decisions)


def test_weasyprint_upgrade_rebuilds_everything(
    small: SmallProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = cache_mod.installed_versions

    def upgraded(names):
        versions = real(names)
        versions["weasyprint"] = "71.0"
        return versions

    monkeypatch.setattr(cache_mod, "installed_versions", upgraded)
    assert_rebuilt(small.build(), ALL, "WeasyPrint version changed")


def test_leaflets_upgrade_rebuilds_everything(
    small: SmallProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_mod, "__version__", "99.0")
    assert_rebuilt(small.build(), ALL, "leaflets version changed")


def test_build_option_is_part_of_the_key(small: SmallProject) -> None:
    report = small.build(options={"fit": "shrink"})
    assert_rebuilt(report, ALL, "option fit added")
    assert small.build(options={"fit": "shrink"}).built == []


def test_force_rebuilds_everything(small: SmallProject) -> None:
    report = small.build(force=True)
    assert built(report) == ALL
    assert reasons(report) == {"forced"}


def test_missing_or_replaced_pdf_is_rebuilt(small: SmallProject) -> None:
    small.pdf("flyer", "ht").unlink()
    small.pdf("card", "en").write_bytes(b"%PDF-1.7 not ours")
    report = small.build()
    assert {(r.output.leaflet, r.output.lang): r.reason for r in report.built} == {
        ("flyer", "ht"): "PDF missing",
        ("card", "en"): "PDF changed on disk",
    }


def test_manifest_is_json_under_out_and_survives_a_corrupt_copy(small: SmallProject) -> None:
    manifest = small.root / "out" / manifest_mod.MANIFEST_NAME
    data = json.loads(manifest.read_text())
    assert set(data["outputs"]) == {f"{lang}/{leaflet}.pdf" for leaflet, lang in ALL}
    assert data["outputs"]["es/card.pdf"]["parts"]["catalog es"]
    manifest.write_text("{ not json")
    report = small.build()
    assert built(report) == ALL
    assert reasons(report) == {"not built before"}


def test_a_failed_build_keeps_what_it_finished(small: SmallProject) -> None:
    # Every output is stale; the Spanish card's heading is far too long for its two pages.
    small.edit("contacts.toml", '"+1 340 774 0144"', '"+1 340 774 0155"')
    long = " ".join(["Ayuda"] * 400)
    po = "locales/es/LC_MESSAGES/messages.po"
    small.edit(po, 'msgstr "¿Necesita ayuda?"', f'msgstr "{long}"')
    # Without its length limit, which `check` (and so the build) would reject it by first.
    small.edit(po, "; at most 30 characters (max-length:30).", ".")
    project = project_mod.load(small.root)
    finished = []
    run = build_mod.Build(project, build_mod.plan(project, LANGS, LEAFLETS), jobs=1)
    with pytest.raises(FitError, match=r"card \(es\)"):
        for written in run:
            finished.append((written.result.output.leaflet, written.result.output.lang))
    assert ("card", "es") not in finished
    assert finished
    small.edit(po, f'msgstr "{long}"', 'msgstr "¿Necesita ayuda?"')
    # What the failed build wrote is current and is not rendered again, except in Spanish, whose
    # catalog has changed since.
    spanish = {(leaflet, "es") for leaflet in LEAFLETS}
    assert built(small.build()) == (ALL - set(finished)) | spanish


def test_summary_names_the_change(project_copy: Path) -> None:
    from click.testing import CliRunner

    from cli import main

    runner = CliRunner()
    args = ["--project", str(project_copy), "build", "--leaflet", "card", "-j", "1"]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert re.search(r"wrote .*es/card\.pdf \(2 pages\): not built before", first.output)
    po = project_copy / "locales/es/LC_MESSAGES/messages.po"
    po.write_text(po.read_text().replace("¿Necesita ayuda?", "¿Busca ayuda?"))
    second = runner.invoke(main, args)
    assert second.exit_code == 0, second.output
    assert re.search(r"wrote .*es/card\.pdf \(2 pages\): catalog es changed", second.output)
    assert "skipped 2 unchanged: card (en), card (ht)" in second.output
    assert "built 1 PDF, skipped 2" in second.output
    forced = runner.invoke(main, [*args, "--force"])
    assert forced.output.count(": forced") == 3


def test_pseudo_locale_is_cached_without_a_catalog(project_copy: Path) -> None:
    project = project_mod.load(project_copy)
    outputs = build_mod.plan(project, ["qps"], ["card"])
    first = build_mod.build(project, outputs, jobs=1)
    assert [r.reason for r in first.built] == ["not built before"]
    assert build_mod.build(project, outputs, jobs=1).built == []
    manifest = manifest_mod.Manifest.load(project.build.out)
    parts = manifest.get(outputs[0].path).parts
    assert not any(name.startswith("catalog") for name in parts)
    # The pseudo text is computed by leaflets' own code, which is part of the key.
    assert "leaflets version" in parts


def test_fit_override_is_part_of_the_key(small: SmallProject) -> None:
    # --fit (shrink) can print other PDFs than leaflets.toml's fit = "error"
    assert_rebuilt(small.build(fit_mode="shrink"), ALL, "option fit added")
    assert small.build(fit_mode="shrink").built == []
    # The same mode as leaflets.toml's is no override at all.
    assert_rebuilt(small.build(fit_mode="error"), ALL, "option fit removed")
    assert small.build().built == []


def test_source_date_epoch_is_part_of_the_key(
    small: SmallProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert_rebuilt(small.build(), ALL, "SOURCE_DATE_EPOCH changed")
