"""Issue 23, point 3: the build says what `leaflets check` warns about, `--strict` fails on it,
and a required glossary term that is missing is an error: the leaflet prints the English."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from leaflets.config import project as project_mod
from leaflets.i18n.checks.catalog import CatalogContext, check_catalog
from leaflets.i18n.po.catalog import po_bytes, read_catalog
from tests.pdftext import text

TITLE = "Human Trafficking — %(organisation)s"
NOTE = "Free. Confidential. 24 hours."


def _edit(po: Path, changes: dict[str, str]) -> None:
    catalog = read_catalog(po)
    for msgid, string in changes.items():
        catalog.get(msgid).string = string
    po.write_bytes(po_bytes(catalog, po.read_bytes()))


def test_a_missing_required_term_is_an_error_and_an_optional_one_a_warning(project_copy: Path):
    po = project_copy / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    glossary = po.parent.parent / "glossary.toml"
    _edit(po, {TITLE: "Tráfico de personas — %(organisation)s"})
    findings = check_catalog(CatalogContext(po, "es", glossary=glossary))
    (error,) = [f for f in findings if f.code == "glossary-required"]
    assert error.severity == "error"
    assert "must be translated as 'trata'" in error.message
    glossary.write_text('[terms]\ntrafficking = "trata"\n', encoding="utf-8")
    findings = check_catalog(CatalogContext(po, "es", glossary=glossary))
    assert [(f.code, f.severity) for f in findings] == [("glossary", "warning")]


def _build(root: Path, *args: str):
    return CliRunner().invoke(
        main, ["--project", str(root), "build", "--lang", "es", "--leaflet", "card", *args]
    )


@pytest.mark.pdf
def test_the_build_names_check_warnings_and_strict_fails_on_them(project_copy: Path):
    po = project_copy / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    # The wallet card names no trafficking; a required term of its own stands in for "trata".
    glossary = po.parent.parent / "glossary.toml"
    glossary.write_text('[terms]\nhelp = { use = "ayuda", required = true }\n', "utf-8")
    # A warning (two spaces), and a required term missing: an error, so the English prints.
    _edit(po, {NOTE: "Gratis.  Confidencial. 24 horas.", "Need help?": "¿Necesita socorro?"})
    result = _build(project_copy, "--strict")
    assert result.exit_code == 1, result.output
    assert "warning: es: `leaflets check` has 1 warning about its catalog" in result.output
    assert "messages.po:67: 'Free. Confidential. 24 hours.': 2 spaces in a row" in result.output
    assert "--strict: `leaflets check` warns about the catalogs of es" not in result.output
    assert "--strict: strings fell back to English in es" in result.output  # checked first
    assert "'Need help?' at locales/es/LC_MESSAGES/messages.po:31: rejected" in result.output
    assert "must be translated as 'ayuda'" in result.output
    printed = text(project_mod.load(project_copy).output_path("es", "card"))
    assert "socorro" not in printed and "Need help?" in printed
    # A build with nothing to do says the same, from what compiling the catalog recorded;
    # --strict fails on the warning alone.
    _edit(po, {"Need help?": "¿Necesita ayuda?"})
    again = _build(project_copy, "--strict")
    assert again.exit_code == 1, again.output
    assert "warning: es: `leaflets check` has 1 warning about its catalog" in again.output
    assert "--strict: `leaflets check` warns about the catalogs of es" in again.output
    noop = _build(project_copy)
    assert noop.exit_code == 0 and "skipped 1" in noop.output, noop.output
    assert "warning: es: `leaflets check` has 1 warning about its catalog" in noop.output
