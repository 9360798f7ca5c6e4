"""Issue 25, points 11 and 12: one rule for every file leaflets reads. A regular file under a
bound generous for its kind (config/paths.py SIZE_LIMITS), or one error line naming the file:
never a hang on a FIFO, a MemoryError on /dev/zero, or minutes on a 37 MB catalog.

Each command runs in its own process, bounded in memory and time, since the failures this
guards against are a hang and memory exhaustion."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from leaflets.config.paths import SIZE_LIMITS

# A file of each kind, and a command that reads it.
READERS = {
    "leaflets.toml": ("list",),
    "contacts.toml": ("list",),
    "locales/es/LC_MESSAGES/messages.po": ("check", "--lang", "es"),
    "locales/es/glossary.toml": ("check", "--lang", "es"),
    "locales/es/review.toml": ("status", "--lang", "es"),
    "orders/agricultural-fair-2027.toml": ("order", "orders/agricultural-fair-2027.toml"),
    "templates/partials/footer.html.j2": ("extract",),
}


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


def run(root: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cli", "--project", str(root), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=root,
        preexec_fn=_bounded,
    )


def one_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    return error


def one_problem(result: subprocess.CompletedProcess, name: str) -> str:
    """The one line that names the file: an error, or `check`'s finding for a glossary."""
    if "glossary" not in name:
        return one_error(result)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (finding,) = [line for line in result.stdout.splitlines() if name in line]
    return finding


@pytest.mark.parametrize("name", sorted(READERS))
def test_a_fifo_is_one_error_and_no_hang(project_copy: Path, name: str):
    path = project_copy / name
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    error = one_problem(run(project_copy, *READERS[name]), name)
    assert Path(name).name in error and "FIFO" in error, error


@pytest.mark.parametrize("name", sorted(READERS))
def test_a_huge_file_is_refused_before_it_is_read(project_copy: Path, name: str):
    path = project_copy / name
    with path.open("ab") as fileobj:
        fileobj.truncate(4 << 30)  # sparse: 4 GB that cost no disk
    error = one_problem(run(project_copy, *READERS[name]), name)
    assert Path(name).name in error and " MB " in error, error


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/stdin"])
def test_an_order_from_a_device_is_one_error(project_copy: Path, device: str):
    error = one_error(run(project_copy, "order", device))
    assert device in error and "not a regular file" in error, error


def test_an_order_from_a_fifo_outside_the_project_does_not_block(project_copy, tmp_path):
    fifo = tmp_path / "order.toml"
    os.mkfifo(fifo)
    error = one_error(run(project_copy, "order", str(fifo)))
    assert "order.toml" in error and "FIFO" in error


def big_catalog(path: Path, entries: int) -> None:
    """A catalog of `entries` messages, each about 190 bytes: 200,000 make 37 MB."""
    with path.open("a", encoding="utf-8") as fileobj:
        for i in range(entries):
            fileobj.write(
                f'\n#: templates/extra.html.j2:{i}\nmsgid "Extra message {i} about the help '
                f'line, its hours and the offices"\nmsgstr "Mensaje adicional {i} sobre la '
                f'línea de ayuda, su horario y las oficinas"\n'
            )


@pytest.mark.parametrize("command", [("check", "--lang", "es"), ("build", "--lang", "es")])
def test_a_37_mb_catalog_is_refused_at_once_with_the_limit(project_copy: Path, command):
    po = project_copy / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    big_catalog(po, 200_000)
    assert po.stat().st_size > 30_000_000
    start = time.monotonic()
    error = one_error(run(project_copy, *command, timeout=120))
    assert time.monotonic() - start < 30
    limit = SIZE_LIMITS["catalog"] >> 20
    assert "messages.po" in error and f"{limit} MB" in error, error
    assert not (project_copy / "out" / "es").exists()


def test_a_catalog_under_the_limit_is_read(project_copy: Path):
    """The bound is generous: 5,000 messages (~1 MB, 75 times this project's) still check."""
    po = project_copy / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    big_catalog(po, 5_000)
    result = run(project_copy, "check", "--lang", "es", timeout=120)
    assert "error:" not in result.stderr, result.stderr


def test_check_pdf_on_a_huge_file_is_one_finding(project_copy: Path, tmp_path: Path):
    pdf = tmp_path / "card.pdf"
    with pdf.open("wb") as fileobj:
        fileobj.truncate(8 << 30)
    result = run(project_copy, "check", "--lang", "es", "--pdf", str(pdf))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "card.pdf" in result.stdout + result.stderr
    assert "MB" in result.stdout + result.stderr
