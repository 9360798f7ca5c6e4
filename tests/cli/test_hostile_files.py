"""Issue 12, point 6: hostile files end in one error line and exit status 1, never a traceback
or a hang: TOML nested 5,000 deep, an encrypted PDF, a FIFO given to `check --pdf`. (A .mo with
bad tables is in tests/i18n/po/test_compiled.py.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

import cli
from tests.conftest import DATA

DEEP = "x = " + "[" * 5000 + "]" * 5000 + "\n"


def run(root: Path, *args: str):
    return CliRunner().invoke(cli.main, ["--project", str(root), *args])


def errors_of(result) -> list[str]:
    assert "Traceback" not in result.output, result.output
    return [line for line in result.output.splitlines() if line.startswith("error:")]


@pytest.mark.parametrize("name", ["leaflets.toml", "contacts.toml"])
def test_deeply_nested_config_is_one_error(project_copy: Path, name: str):
    path = project_copy / name
    path.write_text(path.read_text(encoding="utf-8") + DEEP, encoding="utf-8")
    result = run(project_copy, "list")
    assert result.exit_code == 1
    (error,) = errors_of(result)
    assert f"{name}:" in error and "nested more than 16 deep" in error


def test_deeply_nested_order_is_one_error(project_copy: Path):
    path = project_copy / "orders" / "deep.toml"
    path.write_text((DATA / "orders" / "good.toml").read_text(encoding="utf-8") + DEEP)
    result = run(project_copy, "order", str(path))
    assert result.exit_code == 1
    (error,) = errors_of(result)
    assert "deep.toml:" in error and "nested" in error


def test_nesting_that_tomllib_reads_is_refused_by_the_bound(project_copy: Path):
    """The bound decides, not Python's stack: 900 levels passed tomllib and failed later."""
    path = project_copy / "contacts.toml"
    path.write_text(
        path.read_text(encoding="utf-8") + "x = " + "[" * 900 + "]" * 900 + "\n", encoding="utf-8"
    )
    (error,) = errors_of(run(project_copy, "list"))
    assert "nested more than 16 deep" in error


@pytest.fixture(scope="module")
def encrypted_pdf(built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    _, pdfs = built
    path = tmp_path_factory.mktemp("encrypted") / "card.pdf"
    with pikepdf.open(pdfs["card", "es"]) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    return path


def test_an_encrypted_pdf_is_one_finding_and_exit_1(built, encrypted_pdf: Path):
    project, _ = built
    result = run(project.root, "check", "--lang", "es", "--pdf", str(encrypted_pdf))
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "PasswordError" not in result.output
    found = [line for line in result.stdout.splitlines() if str(encrypted_pdf) in line]
    assert len(found) == 1 and "encrypted with a password" in found[0]


def test_a_fifo_given_to_check_pdf_is_one_error_and_no_hang(built, tmp_path: Path):
    project, _ = built
    fifo = tmp_path / "leaflet.pdf"
    os.mkfifo(fifo)
    folder = tmp_path / "folder"
    folder.mkdir()
    os.mkfifo(folder / "inside.pdf")
    command = [sys.executable, "-m", "cli", "--project", str(project.root), "check", "--lang"]
    result = subprocess.run(
        [*command, "es", "--pdf", str(fifo)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "FIFO" in error and "Traceback" not in result.stderr
    # Found in a folder, a FIFO is passed over like any file that is not a PDF.
    result = subprocess.run(
        [*command, "es", "--pdf", str(folder)], capture_output=True, text=True, timeout=60
    )
    assert "no PDFs to check" in result.stderr and result.returncode == 1
