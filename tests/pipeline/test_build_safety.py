"""Builds are atomic (a failed or killed build leaves the previous PDFs), locked (a second build
waits or says why it cannot run) and reproducible (the same inputs give the same bytes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pikepdf
import pytest

from leaflets.config import project as project_mod
from leaflets.errors import BuildLocked, LeafletsError
from leaflets.pdf import reproducible
from leaflets.pipeline import build as build_mod
from leaflets.pipeline import lock
from leaflets.writing import write_atomic
from tests.conftest import REPO, copy_project

CLI = [sys.executable, "-c", "import sys; from cli import main; sys.exit(main())"]


def _run_cli(*args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [*CLI, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
        **kwargs,
    )


def _build(root: Path, langs=("en",), leaflets=("card",), **kwargs) -> build_mod.BuildReport:
    project = project_mod.load(root)
    return build_mod.build(project, build_mod.plan(project, langs, leaflets), **kwargs)


def _is_complete_pdf(path: Path, pages: int | None = None) -> bool:
    data = path.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        return False
    with pikepdf.open(path) as pdf:
        return pages is None or len(pdf.pages) == pages


# ---------------------------------------------------------------- atomic writes


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "out" / "card.pdf"
    write_atomic(target, b"old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in target.parent.iterdir()) == ["card.pdf"]


@pytest.mark.pdf
def test_a_killed_build_leaves_every_pdf_whole(project_copy):
    every = ("trifold", "flyer", "card", "large-print")
    _build(project_copy, langs=("en", "es"), leaflets=every)
    out = project_copy / "out"
    before = {path: path.read_bytes() for path in out.glob("*/*.pdf")}
    assert len(before) == 8
    # Change every PDF, so that a file is either the old one or a new one, never a mix.
    config = project_copy / "leaflets.toml"
    config.write_text(config.read_text().replace('theme = "default"', 'theme = "high-contrast"'))
    process = _run_cli("--project", str(project_copy), "build", "--lang", "en", "--lang", "es")
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("[2/"):
            break
    process.send_signal(signal.SIGKILL)  # with six of the eight outputs still to go
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the build finished before it was killed"
    after = sorted(out.glob("*/*"))
    assert sorted(p for p in after if not p.name.startswith(".")) == sorted(before)
    for path, old in before.items():
        assert path.read_bytes() == old or _is_complete_pdf(path), path
    assert any(path.read_bytes() == old for path, old in before.items())
    # A temporary left by the kill is hidden and not a .pdf; the next build clears it away.
    leftovers = [p for p in after if p.name.startswith(".")]
    assert all(p.suffix == ".tmp" for p in leftovers)
    (out / "en" / ".card.pdf.killed.tmp").write_bytes(b"%PDF-1.7 half")
    _build(project_copy, leaflets=("card",))
    assert not list(out.glob("*/.*.tmp"))
    assert _is_complete_pdf(out / "en" / "card.pdf", pages=2)


# ---------------------------------------------------------------- the build lock


def test_a_second_build_fails_clearly_when_the_first_holds_the_lock(project_copy):
    project = project_mod.load(project_copy)
    messages: list[str] = []
    with lock.build_lock(project):
        started = time.monotonic()
        with pytest.raises(BuildLocked) as caught:
            _build(project_copy, wait=0.3, on_wait=messages.append)
        assert time.monotonic() - started >= 0.3
    assert messages == [
        "another build is running in this project; waiting up to 0.3 s for it to finish "
        "(.leaflets-build.lock)"
    ]
    assert caught.value.path == project_copy / ".leaflets-build.lock"
    assert "another build is still running in this project after 0.3 s" in str(caught.value)
    assert not (project_copy / "out" / "en" / "card.pdf").exists()


@pytest.mark.pdf
def test_a_second_build_waits_for_the_first(project_copy):
    project = project_mod.load(project_copy)
    messages: list[str] = []
    held = threading.Event()

    def hold_briefly() -> None:
        with lock.build_lock(project):
            held.set()
            time.sleep(0.5)

    holder = threading.Thread(target=hold_briefly)
    holder.start()
    held.wait(5)
    report = _build(project_copy, wait=30, on_wait=messages.append)
    holder.join()
    assert len(messages) == 1 and messages[0].startswith("another build is running")
    assert _is_complete_pdf(report.built[0].output.path, pages=2)


@pytest.mark.pdf
def test_two_command_line_builds_at_once_both_succeed(project_copy):
    project = project_mod.load(project_copy)
    args = ("--project", str(project_copy), "build", "--lang", "en", "--leaflet", "card")
    # Hold the lock until both have started and are waiting, so that they really overlap.
    with lock.build_lock(project):
        first, second = _run_cli(*args), _run_cli(*args)
        waiting = [process.stderr.readline() for process in (first, second)]  # type: ignore[union-attr]
    for line in waiting:
        assert line.startswith("another build is running in this project; waiting up to 120 s")
    results = [process.communicate(timeout=120) for process in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, results
    assert _is_complete_pdf(project_copy / "out" / "en" / "card.pdf", pages=2)


def test_the_command_line_says_when_another_build_is_running(project_copy):
    project = project_mod.load(project_copy)
    with lock.build_lock(project):
        process = _run_cli("--project", str(project_copy), "build", "--wait", "0")
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert "another build is still running in this project after 0 s" in stderr
    assert "Traceback" not in stderr


# ---------------------------------------------------------------- reproducible


def _pdfs(report: build_mod.BuildReport) -> dict[str, bytes]:
    return {r.output.label: r.output.path.read_bytes() for r in report.built}


@pytest.mark.pdf
def test_two_builds_in_two_folders_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = copy_project(tmp_path / "one")
    second = copy_project(tmp_path / "two" / "elsewhere")
    leaflets = ("card", "trifold")
    a = _pdfs(_build(first, ("en", "es"), leaflets))
    b = _pdfs(_build(second, ("en", "es"), leaflets))
    assert len(a) == 4 and a == b
    # Built again where the first one was (its PDFs removed, so nothing is skipped).
    for path in (first / "out").rglob("*.pdf"):
        path.unlink()
    assert _pdfs(_build(first, ("en", "es"), leaflets)) == a
    with pikepdf.open(first / "out" / "en" / "card.pdf") as pdf:
        assert bytes(pdf.trailer.ID[0]) == reproducible.identifier("card/en")
        assert "/CreationDate" not in pdf.docinfo  # no clock time without SOURCE_DATE_EPOCH


@pytest.mark.pdf
def test_source_date_epoch_sets_the_dates(project_copy, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    _build(project_copy)
    path = project_copy / "out" / "en" / "card.pdf"
    first = path.read_bytes()
    with pikepdf.open(path) as pdf:
        assert str(pdf.docinfo["/CreationDate"]) == "D:20231114221320Z"
        assert str(pdf.docinfo["/ModDate"]) == "D:20231114221320Z"
    path.unlink()
    _build(project_copy)
    assert path.read_bytes() == first
    # A new date is a new input: the PDF is rebuilt with it.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    _build(project_copy)
    assert path.read_bytes() != first
    with pikepdf.open(path) as pdf:
        assert str(pdf.docinfo["/CreationDate"]) == "D:20270115080000Z"


def test_a_bad_source_date_epoch_is_a_clear_error(project_copy, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(LeafletsError, match="SOURCE_DATE_EPOCH must be a whole number"):
        _build(project_copy)
