"""Issue 25, points 16 to 21: errors that said too little or too much. Each names the file
(and line, where there is one), says what to do, and shows nothing raw to the terminal."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

PO = Path("locales/es/LC_MESSAGES/messages.po")


def run(root: Path, *args: str):
    return CliRunner().invoke(cli.main, ["--project", str(root), *args])


def error_lines(result) -> list[str]:
    assert "Traceback" not in result.output, result.output
    return [line for line in result.output.splitlines() if line.startswith("error:")]


def test_out_as_a_link_outside_says_so(project_copy: Path, tmp_path: Path):
    """16: not only "got 'out'": the folder is a link, and where it leads."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project_copy / "out").symlink_to(elsewhere)
    result = run(project_copy, "build", "--lang", "en", "--leaflet", "card")
    assert result.exit_code == 1
    (error,) = error_lines(result)
    assert "leaflets.toml:" in error and "build.out" in error
    assert "out is a link that leads outside the project" in error and str(elsewhere) in error
    assert not list(elsewhere.iterdir())


def test_an_obsolete_entry_repeating_a_live_one_is_an_error(project_copy: Path):
    """17: msgfmt --check rejects the file, so check does too, at the #~ entry."""
    po = project_copy / PO
    text = po.read_text(encoding="utf-8")
    po.write_text(text + '\n#~ msgid "Need help?"\n#~ msgstr "¿Ayuda?"\n', encoding="utf-8")
    line = len(po.read_text(encoding="utf-8").splitlines()) - 1
    result = run(project_copy, "check", "--lang", "es")
    assert result.exit_code == 1
    assert f"messages.po:{line}:" in result.output and "obsolete" in result.output


def test_a_catalog_saved_in_nfd_gets_no_false_glossary_warnings(project_copy: Path):
    """18: "línea" with a combining accent is the glossary's "línea"."""
    before = run(project_copy, "check", "--lang", "es").output
    po = project_copy / PO
    po.write_text(unicodedata.normalize("NFD", po.read_text(encoding="utf-8")), encoding="utf-8")
    after = run(project_copy, "check", "--lang", "es").output
    glossary = [line for line in after.splitlines() if "glossary" in line]
    assert glossary == [line for line in before.splitlines() if "glossary" in line], after


@pytest.mark.parametrize(
    "old, new, shown",
    [
        ("need_by = 2027-02-08", "need_by = 2027-02-08T10:30:00", "2027-02-08T10:30:00"),
        ("event_date = 2027-02-14", "event_date = 2027-02-14 09:00:00", "2027-02-14T09:00:00"),
    ],
)
def test_a_date_with_a_time_is_a_plain_message(project_copy: Path, old, new, shown):
    """19: not Python's datetime.datetime(…)."""
    order = project_copy / "orders" / "agricultural-fair-2027.toml"
    order.write_text(order.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    result = run(project_copy, "order", str(order), "--allow-unreviewed")
    assert result.exit_code == 1
    (error,) = error_lines(result)
    assert "datetime" not in error and shown in error and "agricultural-fair-2027.toml:" in error


def test_control_characters_in_a_msgctxt_are_escaped(project_copy: Path):
    """20: an escape sequence from a catalog never reaches the terminal."""
    po = project_copy / PO
    entry = '\nmsgctxt "evil\x1b[31mRED\x07"\nmsgid "Need help?"\nmsgstr "Ayuda"\n'
    po.write_text(po.read_text(encoding="utf-8") + entry, encoding="utf-8")
    result = run(project_copy, "check", "--lang", "es")
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "evil\\x1b[31mRED\\x07" in result.output


@pytest.mark.parametrize("damage", ["cut", "no pages"])
def test_check_pdf_on_a_damaged_file_names_the_file(built, tmp_path: Path, damage: str):
    """21: the finding names the file, not qpdf's <_io.BytesIO object at 0x…>."""
    project, pdfs = built
    pdf = tmp_path / "leaflet.pdf"
    if damage == "cut":
        pdf.write_bytes(pdfs["card", "es"].read_bytes()[:3000])
    else:
        pdf.write_bytes(b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n")
    result = run(project.root, "check", "--lang", "es", "--pdf", str(pdf))
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    (finding,) = [line for line in result.output.splitlines() if str(pdf) in line]
    assert "BytesIO" not in result.output and "cannot read the PDF" in finding
