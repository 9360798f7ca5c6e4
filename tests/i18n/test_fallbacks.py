"""What does not print, said where and why: status's rejected column, an edited msgctxt, a
plural entry with a form too many, a broken catalog among good ones, and the build naming its
fallbacks, the same list the PDF's /Lang tagging can use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from leaflets.config import project as project_mod
from leaflets.errors import CatalogError
from leaflets.i18n.checks import catalog as catalog_checks
from leaflets.i18n.commands import update as workflow
from leaflets.pipeline import build as pipeline
from tests.i18n.checks.test_checks import write_po


def run(root: Path, *args: str):
    return CliRunner().invoke(main, ["--project", str(root), *args], catch_exceptions=False)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edited_msgctxt_is_reported_with_its_message_and_is_not_obsolete(project_copy):
    po = project_copy / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    replace_in(po, 'msgctxt "phone label"\nmsgid "Call"', 'msgctxt "phone lable"\nmsgid "Call"')
    line = po.read_text(encoding="utf-8").split("\n").index('msgctxt "phone lable"') + 2
    assert po.read_text(encoding="utf-8").split("\n")[line - 1] == 'msgid "Call"'

    result = run(project_copy, "check", "--lang", "es")
    assert result.exit_code == 1
    assert (
        f"messages.po:{line}: 'Call' (phone lable): this msgctxt was changed, so the entry no "
        'longer matches its message and is never printed; the templates say msgctxt "phone '
        'label": put it back as it was'
    ) in result.output
    assert "not in this catalog" not in result.output  # not also counted as missing

    [figures] = json.loads(run(project_copy, "status", "--json", "--lang", "es").output)
    assert figures["rejected"] == 1 and figures["obsolete"] == 0
    assert figures["untranslated"] == 0
    [fallback] = figures["fallbacks"]
    assert fallback["msgid"] == "Call" and fallback["context"] == "phone label"
    assert fallback["where"] == f"locales/es/LC_MESSAGES/messages.po:{line}"
    assert "msgctxt was changed" in fallback["why"]


def test_a_plural_form_too_many_is_one_finding_and_the_rest_is_still_checked(tmp_path):
    body = (
        'msgid "%(n)s office"\nmsgid_plural "%(n)s offices"\n'
        'msgstr[0] "%(n)s biwo"\nmsgstr[1] "%(n)s biwo yo"\n\n'
        'msgid "Need help?"\nmsgstr "Ou bezwen <b>èd</b>?"\n\n'
        'msgid "Free"\nmsgstr "Gratis"\n'
    )
    path = write_po(tmp_path, body, lang="ht")
    findings = catalog_checks.check_catalog(catalog_checks.CatalogContext(path, "ht"))
    assert [(f.line, f.code) for f in findings] == [(8, "plural"), (13, "markup")]
    assert findings[0].message == (
        "'%(n)s office': has 2 plural forms but the header's Plural-Forms says nplurals=1; "
        "give msgstr[0] only"
    )


def test_one_broken_catalog_does_not_stop_status_for_the_others(project_copy):
    ht = project_copy / "locales" / "ht" / "LC_MESSAGES" / "messages.po"
    replace_in(ht, 'msgid "Need help?"', 'msgid "Need help?\nmsgid "oops"')
    result = CliRunner().invoke(main, ["--project", str(project_copy), "status"])
    assert result.exit_code == 1
    rows = {line.split()[0]: line for line in result.stdout.splitlines()}
    total = len([m for m in workflow.extract(project_mod.load(project_copy)) if m.id])
    assert rows["es"].split()[1:7] == [str(total), "0", "0", "0", "0", "100.0%"]
    assert "unreadable" in rows["ht"]
    assert "error: locales/ht/LC_MESSAGES/messages.po:" in result.stderr
    assert "syntax error" in result.stderr


@pytest.mark.pdf
def test_the_build_names_each_fallback_and_keeps_the_list(project_copy):
    po = project_copy / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    replace_in(
        po,
        'msgid "Need help?"\nmsgstr "¿Necesita ayuda?"',
        'msgid "Need help?"\nmsgstr "Necesita ayuda?"',
    )
    replace_in(
        po,
        'msgstr "Gratis. Confidencial. 24 horas."',
        'msgstr "<b>Gratis</b>. Confidencial. 24 horas."',
    )
    result = CliRunner().invoke(
        main, ["--project", str(project_copy), "build", "--lang", "es", "--leaflet", "card"]
    )
    assert result.exit_code == 0, result.output
    warning = result.stderr[result.stderr.index("warning: es:") :]
    head, first, second = warning.splitlines()[:3]
    assert head.startswith("warning: es: 2 strings fell back to English (all of them: ")
    assert first.startswith("  'Need help?' at locales/es/LC_MESSAGES/messages.po:")
    assert first.endswith(
        "rejected by `leaflets check`: '?' has no opening '¿'; add it where the sentence starts"
    )
    assert second.startswith("  'Free. Confidential. 24 hours.' at locales/es/LC_MESSAGES/")
    assert "markup in a translation" in second

    # The same list, from the last build's record, when nothing needs building.
    again = CliRunner().invoke(
        main, ["--project", str(project_copy), "build", "--lang", "es", "--leaflet", "card"]
    )
    assert "skipped 1" in again.output
    assert again.stderr[again.stderr.index("warning: es:") :] == warning

    # And on the build's result, for whoever tags the English in the PDF.
    project = project_mod.load(project_copy)
    (output,) = pipeline.plan(project, ["es"], ["card"])
    report = pipeline.build(project, [output], force=True)
    keys = {f.key for f in report.built[0].fallback_details}
    assert keys == {"Need help?", "Free. Confidential. 24 hours."}


def test_a_catalog_in_another_language_stops_the_build(project_copy):
    po = project_copy / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    replace_in(po, '"Language: es\\n"', '"Language: fr\\n"')
    project = project_mod.load(project_copy)
    (output,) = pipeline.plan(project, ["es"], ["card"])
    try:
        pipeline.build(project, [output])
    except CatalogError as exc:
        assert "Language header says 'fr' but the catalog is in the folder for 'es'" in exc.message
        assert exc.path == po
    else:
        raise AssertionError("a French catalog in es/ was built")
    assert not output.path.exists()
