"""Issue 12: what a catalog can ask for is bounded (point 9: nplurals at most 6), and two
entries with one msgid are an error, not a silent choice of the first (Smaller)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from leaflets.config import project as project_mod
from leaflets.config.model import MAX_PLURAL_FORMS
from leaflets.errors import CatalogError, ConfigError
from leaflets.i18n.po.catalog import read_catalog

HEADER = 'msgid ""\nmsgstr ""\n"Language: es\\n"\n"Plural-Forms: {rule}\\n"\n\n'
PLURAL_ENTRY = 'msgid "one apple"\nmsgid_plural "%(n)s apples"\nmsgstr[0] "una manzana"\n'


def run(root: Path, *args: str):
    return CliRunner().invoke(cli.main, ["--project", str(root), *args])


def test_a_million_plural_forms_is_one_error_not_a_million_lines(project_copy: Path):
    po = project_copy / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    rule = "nplurals=1000000; plural=(n != 1);"
    po.write_text(HEADER.format(rule=rule) + PLURAL_ENTRY, encoding="utf-8")
    checked = run(project_copy, "check", "--lang", "es")
    assert checked.exit_code == 1
    assert len(checked.stdout.splitlines()) == 1, checked.stdout[:500]
    assert f"from 1 to {MAX_PLURAL_FORMS} plural forms" in checked.stdout
    assert "messages.po:4:" in checked.stdout  # the Plural-Forms line
    built = run(project_copy, "build", "--lang", "es", "--leaflet", "card")
    assert built.exit_code == 1 and "nplurals=1,000,000" in built.output
    assert not po.with_suffix(".mo").exists()


def test_six_plural_forms_are_fine(tmp_path: Path):
    po = tmp_path / "messages.po"
    rule = "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);"
    po.write_text(HEADER.format(rule=rule) + PLURAL_ENTRY, encoding="utf-8")
    assert read_catalog(po).num_plurals == 6


def test_leaflets_toml_and_init_refuse_more_plural_forms_too(project_copy: Path):
    config = project_copy / "leaflets.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('name = "Español"', 'name = "Español"\nplural = "nplurals=7; plural=0;"')
    )
    with pytest.raises(ConfigError, match=f"nplurals must be from 1 to {MAX_PLURAL_FORMS}"):
        project_mod.load(project_copy)
    config.write_text(text)
    result = run(project_copy, "init", "fr", "--plural", "nplurals=1000000; plural=0;")
    assert result.exit_code == 1 and f"from 1 to {MAX_PLURAL_FORMS}" in result.output


def test_a_msgid_given_twice_is_an_error_at_the_second(tmp_path: Path):
    po = tmp_path / "messages.po"
    po.write_text(
        HEADER.format(rule="nplurals=2; plural=(n != 1);")
        + 'msgid "Call"\nmsgstr "Llame"\n\n'
        + 'msgctxt "phone label"\nmsgid "Call"\nmsgstr "Llame al"\n\n'  # another context: fine
        + 'msgid "Ca"\n"ll"\nmsgstr "Llame al 1-800-555-0199"\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as caught:
        read_catalog(po)
    assert caught.value.line == 13
    assert "'Call' is here a second time (first at line 6)" in caught.value.message
