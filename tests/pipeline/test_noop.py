"""The no-op build's fast path (pipeline/noop.py): after a build run as the command, the same
command with nothing changed prints what the full no-op build prints, exits 0 and loads
neither click nor pydantic; any change to what the build read or wrote, or to how it is asked,
takes the full way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from leaflets.pipeline import lock, noop
from tests.conftest import REPO, copy_project

ARGS = ("build", "--leaflet", "card", "--lang", "en", "--lang", "es")

FAST = """
import runpy, sys
sys.argv = ["cli.py", *sys.argv[1:]]
try:
    runpy.run_module("cli", run_name="__main__")
except SystemExit as exc:
    assert not exc.code, exc.code
heavy = ("click", "pydantic", "phonenumbers", "weasyprint", "jinja2")
print("loaded:", sorted({m.split(".")[0] for m in sys.modules} & set(heavy)))
"""
ASK = """
import sys
from leaflets.pipeline import noop
sys.argv = ["cli.py", *sys.argv[1:]]
print("answered:", noop.replay(sys.argv[1:]))
"""


def command(
    root: Path, *args: str, env: dict | None = None, cwd: Path = REPO
) -> subprocess.CompletedProcess:
    """`python -m cli --project ROOT ARGS`, run from the repository, as the benchmark runs it."""
    return subprocess.run(
        [sys.executable, "-c", FAST, "--project", str(root), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two cards built through the command, which records what it saw."""
    root = copy_project(tmp_path_factory.mktemp("noop") / "project")
    first = command(root, *ARGS)
    assert first.returncode == 0, first.stderr
    assert "built 2 PDFs" in first.stdout and "loaded: ['click'" in first.stdout
    assert (root / noop.RECORD_NAME).is_file()
    return root


def without_seconds_and_loads(text: str) -> list[str]:
    return [line.rsplit(" in ", 1)[0] for line in text.splitlines() if "loaded:" not in line]


def replays(root: Path, *args: str, env: dict | None = None, cwd: Path = REPO) -> bool:
    """Whether the fast path answers `leaflets --project ROOT ARGS` (default: the cards'
    build), asked in a new process as the command asks it (the record names the interpreter's
    search path too), without going on to the full build."""
    argv = ["--project", str(root), *(args or ARGS)]
    run = subprocess.run(
        [sys.executable, "-c", ASK, *argv], capture_output=True, text=True, cwd=cwd, env=env
    )
    assert run.returncode == 0, run.stderr
    return "answered: True" in run.stdout


@pytest.mark.pdf
def test_a_no_op_build_says_what_the_full_one_says_without_loading_the_project(built: Path):
    fast = command(built, *ARGS)
    assert fast.returncode == 0, fast.stderr
    assert "loaded: []" in fast.stdout
    (built / noop.RECORD_NAME).unlink()
    full = command(built, *ARGS)  # the full way, which records again
    assert full.returncode == 0 and "loaded: ['click'" in full.stdout
    assert "skipped 2 unchanged: card (en), card (es)" in fast.stdout
    assert without_seconds_and_loads(fast.stdout) == without_seconds_and_loads(full.stdout)
    assert fast.stderr == full.stderr
    assert replays(built)


@pytest.mark.pdf
@pytest.mark.parametrize(
    "change",
    [
        "templates/card.html.j2",  # an input edited
        "locales/es/LC_MESSAGES/messages.po",
        "contacts.toml",
        "out/es/card.pdf",  # an output touched
        "templates/new.html.j2",  # a file added where the build looks
        "out/es/.card.pdf.tmp",  # a temporary left in an output's folder
    ],
)
def test_any_change_to_what_the_build_saw_takes_the_full_way(built: Path, change: str):
    path = built / change
    old = path.read_bytes() if path.exists() else None
    stat = path.stat() if path.exists() else None
    path.write_bytes((old or b"") + b"\n")
    try:
        assert not replays(built)
    finally:
        if old is None:
            path.unlink()
        else:
            path.write_bytes(old)
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert replays(built)  # the same file, size and time again: make's limit, documented


@pytest.mark.pdf
def test_other_arguments_folder_environment_or_a_running_build_take_the_full_way(built: Path):
    assert not replays(built, "build", "--leaflet", "card", "--lang", "en")
    assert not replays(built, *ARGS, env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"})
    # The same arguments from another folder: the full build prints other paths.
    assert not replays(built, *ARGS, cwd=built)
    with lock.file_lock(built / lock.LOCK_NAME):  # a build under way
        assert not replays(built)
    assert replays(built)


@pytest.mark.pdf
def test_a_forced_build_is_never_answered_and_the_next_build_records_again(built: Path):
    assert not replays(built, *ARGS, "--force")
    forced = command(built, *ARGS, "--force")
    assert "built 2 PDFs" in forced.stdout, forced.stderr
    assert not replays(built)  # the PDFs and the manifest were written again
    full = command(built, *ARGS)
    assert "skipped 2 unchanged" in full.stdout and "loaded: ['click'" in full.stdout
    assert replays(built)


def test_a_record_is_not_written_when_an_input_changed_while_the_build_ran(tmp_path: Path):
    root = copy_project(tmp_path / "project")
    inputs = {"files": [str(root / "contacts.toml")], "trees": [], "folders": []}
    before = noop.snapshot(inputs)
    (root / "contacts.toml").write_text("# edited during the build\n", encoding="utf-8")
    assert not noop.record(root, inputs, before, [], [])
    assert noop.record(root, inputs, noop.snapshot(inputs), [], [["out", "done", None]])
    assert (root / noop.RECORD_NAME).is_file()


def test_a_record_that_would_drive_the_terminal_is_refused():
    assert noop._printable([["out", "built 0 PDFs, in " + noop.ELAPSED + " s", None]])
    assert not noop._printable([["out", "\x1b]0;title\x07", None]])
    assert not noop._printable([["err", "fine", "\x1b[5m"]])
    assert not noop._printable([["tty", "fine", None]])
