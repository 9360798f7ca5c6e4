"""Fonts by configuration: a language's declared families in the build, its cache key and
its errors (a package not installed, a letter no declared font has)."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflets.config import project as project_mod
from leaflets.errors import AuditError, FontNotInstalled
from leaflets.pipeline import build as build_mod
from leaflets.pipeline import cache as cache_mod
from tests.conftest import copy_scripts_project


def test_a_font_package_that_is_not_installed_stops_the_build(project_copy: Path) -> None:
    config = project_copy / "leaflets.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('name = "Español"', 'name = "Español"\nfonts = ["Noto Sans Khmer"]')
    )
    project = project_mod.load(project_copy)
    with pytest.raises(FontNotInstalled, match="fontpkg-noto-sans-khmer"):
        build_mod.build(project, build_mod.plan(project, ["es"], ["card"]), jobs=1)


@pytest.mark.pdf
def test_a_letter_no_declared_font_has_stops_the_build_and_is_named(project_copy: Path) -> None:
    """A Spanish translation with an Arabic letter: Pango would take it from DejaVu Sans."""
    po = project_copy / "locales/es/LC_MESSAGES/messages.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "¿Necesita ayuda?"', 'msgstr "¿Necesita ayuda? ب"', 1))
    project = project_mod.load(project_copy)
    with pytest.raises(AuditError) as caught:
        build_mod.build(project, build_mod.plan(project, ["es"], ["card"]), jobs=1)
    message = str(caught.value)
    assert "card (es): not written" in message
    assert '“ب” (U+0628 ARABIC LETTER BEH) in the es text (msgid "Need help?")' in message
    assert not (project_copy / "out/es/card.pdf").exists()


def test_the_cache_key_hashes_each_languages_declared_fonts(tmp_path: Path) -> None:
    project = project_mod.load(copy_scripts_project(tmp_path / "project"))
    fingerprinter = cache_mod.Fingerprinter(project)
    fonts = {
        lang: fingerprinter.fingerprint("card", lang).parts["fonts"]
        for lang in ("en", "es", "ar", "vi")
    }
    assert fonts["en"] == fonts["es"]  # both in build.fonts
    assert len({fonts["en"], fonts["ar"], fonts["vi"]}) == 3
    # Remembered by the files' sizes and times: a second build hashes no font file.
    memo = fingerprinter.memo
    again = cache_mod.Fingerprinter(project, memo=memo)
    assert again.fingerprint("card", "ar").parts["fonts"] == fonts["ar"]
    assert set(memo["fonts"]) == {"Atkinson Hyperlegible", "IBM Plex Sans Arabic", "Be Vietnam Pro"}
