"""Issue 12, point 3 and a hostile .mo: compiled catalogs are keyed by the .po's content.

A .mo used to count as fresh whenever its time was at least the .po's, so an edited catalog
with an older time (`cp -p`, `rsync -a`, unzip, git checkouts) printed the old text, even with
--force. build, compile and doctor now ask one function (i18n/compiled.py).
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from leaflets.config import project as project_mod
from leaflets.errors import CatalogError
from leaflets.i18n.po import compiled
from leaflets.i18n.translations import compile_catalog, load_translations
from leaflets.pipeline import build as build_mod
from leaflets.pipeline.cache import Fingerprinter
from leaflets.tools import doctor
from tests.pdftext import text

OLD, NEW = 'msgstr "Oficina de %(place)s"', 'msgstr "Despacho de %(place)s"'


def edit_with_an_older_time(po: Path) -> None:
    """Change the .po and give it a time older than its .mo, as `cp -p` of an older edit does."""
    mo = po.with_suffix(".mo")
    before = mo.stat().st_mtime_ns - 10**9
    po.write_text(po.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    os.utime(po, ns=(before, before))


@pytest.mark.pdf
def test_an_edit_with_an_older_time_is_built(project_copy: Path):
    project = project_mod.load(project_copy)
    (output,) = build_mod.plan(project, ["es"], ["card"])
    build_mod.build(project, [output])
    assert "Oficina de St. Croix" in text(output.path)
    edit_with_an_older_time(project.po_path("es"))

    assert compiled.is_stale(project, "es")
    assert not doctor.check_catalogs(project)[0].ok  # doctor says so too
    report = build_mod.build(project, [output])
    assert report.built and report.built[0].reason == "catalog es changed"
    assert "Despacho de St. Croix" in text(output.path)
    assert not compiled.is_stale(project, "es")
    assert doctor.check_catalogs(project)[0].ok


def test_force_compiles_the_edit_too(project_copy: Path):
    project = project_mod.load(project_copy)
    compile_catalog(project, "es")
    edit_with_an_older_time(project.po_path("es"))
    result = CliRunner().invoke(cli.main, ["--project", str(project_copy), "compile"])
    assert "es: compiled" in result.output
    assert load_translations(project, "es").gettext("%(place)s Office") == "Despacho de %(place)s"


def test_times_alone_change_nothing(project_copy: Path):
    """A .mo older than its unchanged .po (a checkout) is fresh: nothing is compiled again."""
    project = project_mod.load(project_copy)
    compile_catalog(project, "es")
    mo = project.mo_path("es")
    data = mo.read_bytes()
    os.utime(mo, ns=(1, 1))
    assert not compiled.is_stale(project, "es")
    assert not compile_catalog(project, "es")
    assert mo.read_bytes() == data


def test_a_comment_edit_compiles_but_rebuilds_nothing(project_copy: Path):
    project = project_mod.load(project_copy)
    po = project.po_path("es")
    before = Fingerprinter(project).catalog("es")
    po.write_text(po.read_text(encoding="utf-8") + "\n# a translator's note\n", encoding="utf-8")
    assert compiled.is_stale(project, "es")
    assert Fingerprinter(project).catalog("es") == before
    assert not compiled.is_stale(project, "es")


def test_a_mo_from_elsewhere_is_compiled_again(project_copy: Path):
    """msgfmt's .mo, or a stray one in an archive, has no key: it is replaced."""
    project = project_mod.load(project_copy)
    compile_catalog(project, "es")
    mo = project.mo_path("es")
    body, key = compiled.split(mo.read_bytes())
    assert key == compiled.source_key(compiled.compiled_from(project, "es"))
    mo.write_bytes(body)
    assert compiled.is_stale(project, "es")
    assert compile_catalog(project, "es")


def damaged_mo(project) -> Path:
    """A .mo with a valid magic number and tables that point past its end, keyed as compiled
    from the .po: it is read, not compiled again."""
    tables = struct.pack("<7I", 0x950412DE, 0, 5, 28, 1_000_000, 0, 0)
    mo = project.mo_path("es")
    mo.write_bytes(compiled.with_trailer(tables, compiled.compiled_from(project, "es")))
    return mo


@pytest.mark.pdf
def test_a_damaged_mo_is_one_error_that_says_what_to_do(project_copy: Path):
    project = project_mod.load(project_copy)
    mo = damaged_mo(project)
    with pytest.raises(CatalogError) as caught:
        load_translations(project, "es")
    assert caught.value.path == mo
    assert "delete it" in caught.value.message and "disk has room" not in caught.value.message

    result = CliRunner().invoke(
        cli.main, ["--project", str(project_copy), "build", "--lang", "es", "--leaflet", "card"]
    )
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "messages.mo" in errors[0] and "damaged" in errors[0]
    assert "Traceback" not in result.output
    mo.unlink()  # the advice works
    result = CliRunner().invoke(
        cli.main, ["--project", str(project_copy), "build", "--lang", "es", "--leaflet", "card"]
    )
    assert result.exit_code == 0, result.output


def test_a_change_around_the_catalog_compiles_it_again_and_the_warnings_are_recorded(
    project_copy: Path,
):
    """The checks read the glossary and the other catalogs (issue 23): a change to either
    compiles the catalog again, and the .mo records the catalog's check warnings."""
    project = project_mod.load(project_copy)
    compile_catalog(project, "es")
    assert compiled.recorded_warnings(project, "es") == []
    glossary = project.locales_dir / "es" / "glossary.toml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + 'help = "socorro"\n', "utf-8")
    assert compiled.is_stale(project, "es")
    compile_catalog(project, "es")
    warnings = compiled.recorded_warnings(project, "es")
    assert warnings and all("'socorro'" in w["message"] for w in warnings)
    assert all(isinstance(w["line"], int) for w in warnings)
    ht = project.po_path("ht")
    ht.write_text(ht.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert compiled.is_stale(project, "es")


def test_a_translation_cannot_pose_as_the_record():
    body = b'\0msgstr\0leaflets-record:{"warnings": [{"line": 1, "message": "forged"}]}\0tables'
    record = {"warnings": [{"line": 2, "message": "real"}], "verdicts": {}}
    data = compiled.with_trailer(body, b"po", record)
    assert compiled.split_all(data) == (body, compiled.source_key(b"po"), record)


def test_a_compile_records_the_verdicts_so_the_next_judges_only_new_text(project_copy: Path):
    from leaflets.i18n.checks import language_id

    project = project_mod.load(project_copy)
    compile_catalog(project, "es")
    verdicts = compiled.recorded(project, "es")["verdicts"]
    assert len(verdicts) > 20 and all(v[0] == "es" for v in verdicts.values())
    language_id.verdicts.clear()
    language_id._restricted.cache_clear()
    language_id._identifier.cache_clear()
    po = project.po_path("es")
    po.write_text(po.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    compile_catalog(project, "es")
    assert language_id._identifier.cache_info().misses == 0  # the model was never loaded
    assert compiled.recorded(project, "es")["verdicts"] == verdicts
