"""`leaflets doctor`: what is in place, what is missing, and what to do about it."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from cli import main
from leaflets.config import project as project_mod
from leaflets.i18n.translations import compile_catalog
from leaflets.layout.harfbuzz import fast_subsetter_library
from leaflets.tools import doctor
from tests.conftest import REPO


def run_doctor(root: Path):
    return CliRunner().invoke(main, ["--project", str(root), "doctor"])


def compile_all(root: Path) -> None:
    project = project_mod.load(root)
    for lang in project.languages.values():
        if not lang.source:
            compile_catalog(project, lang.code)


def test_fast_subsetter_check_agrees_with_weasyprint() -> None:
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    weasyprint_uses_it = harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))
    assert fast_subsetter_library() is weasyprint_uses_it
    engine = {check.name: check for check in doctor.check_engine()}
    assert engine["fast font subsetter"].ok is weasyprint_uses_it
    assert engine["WeasyPrint"].ok


def test_healthy_project(project_copy: Path) -> None:
    compile_all(project_copy)
    result = run_doctor(project_copy)
    assert result.exit_code == 0, result.output
    assert "ok      font Atkinson Hyperlegible: 4 faces in" in result.output
    assert (
        "ok      catalog es: locales/es/LC_MESSAGES/messages.po compiled and fresh" in result.output
    )
    assert "ok      catalog ht:" in result.output
    assert "fast font subsetter:" in result.output
    assert "parallel builds:" in result.output


def test_stale_catalog_is_reported_but_not_fatal(project_copy: Path) -> None:
    compile_all(project_copy)
    po = project_copy / "locales/ht/LC_MESSAGES/messages.po"
    mo = po.with_suffix(".mo")
    # Freshness is the .po's content, not file times: an older .mo of the same .po is fresh,
    # an edited .po older than its .mo (cp -p, rsync -a, unzip) is stale.
    os.utime(mo, ns=(po.stat().st_mtime_ns - 10**9, po.stat().st_mtime_ns - 10**9))
    assert "ok      catalog ht:" in run_doctor(project_copy).output
    before = mo.stat().st_mtime_ns - 10**9
    po.write_bytes(po.read_bytes() + b"\n# a translator's note\n")
    os.utime(po, ns=(before, before))
    result = run_doctor(project_copy)
    assert result.exit_code == 0, result.output
    assert "warn    catalog ht: locales/ht/LC_MESSAGES/messages.mo is stale" in result.output
    assert "fix: run `leaflets compile`" in result.output


def test_missing_catalog_fails_with_what_to_do(project_copy: Path) -> None:
    (project_copy / "locales/es/LC_MESSAGES/messages.po").unlink()
    result = run_doctor(project_copy)
    assert result.exit_code == 1
    assert "missing catalog es: locales/es/LC_MESSAGES/messages.po is missing" in result.output
    assert "pybabel init -i locales/messages.pot -d locales -l es" in result.output


def test_broken_catalog_fails_at_its_line(project_copy: Path) -> None:
    po = project_copy / "locales/ht/LC_MESSAGES/messages.po"
    po.write_text(po.read_text() + "\nthis is not a po line\n")
    result = run_doctor(project_copy)
    assert result.exit_code == 1
    assert "missing catalog ht:" in result.output
    assert "messages.po:" in result.output and "syntax error" in result.output


def test_outside_a_project_checks_the_machine_only(tmp_path: Path) -> None:
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["doctor"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    assert "ok      font Atkinson Hyperlegible:" in result.output
    # (The checkout's own path, which the font line shows, may hold the word: leave it out.)
    output = result.output.replace(str(REPO), "").replace("no catalogs were checked", "")
    assert "catalog" not in output


def test_a_missing_font_package_is_reported_with_what_to_install(project_copy: Path) -> None:
    config = project_copy / "leaflets.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'name = "Español"', 'name = "Español"\nfonts = ["Noto Sans Khmer"]'
        ),
        encoding="utf-8",
    )
    result = run_doctor(project_copy)
    assert result.exit_code == 1
    assert (
        "missing font Noto Sans Khmer: the package fontpkg-noto-sans-khmer is not installed "
        "(languages.es.fonts in leaflets.toml)" in result.output
    )
    assert "`pip install fontpkg-noto-sans-khmer`" in result.output
    assert "ok      font Atkinson Hyperlegible:" in result.output
