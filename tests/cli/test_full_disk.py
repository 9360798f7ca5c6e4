"""Issue 25, point 14: a write that fails for a full disk (ENOSPC) or a file size limit (EFBIG)
is one error line that names the file, and exit status 1."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.pdf


def run(root: Path, *args: str, preexec=None) -> subprocess.CompletedProcess:
    # No bytecode: a .pyc cut short by the size limit would break the next run.
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "cli", "--project", str(root), *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=root,
        env=env,
        preexec_fn=preexec,
    )


def one_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    return error


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 8 kB file system (tmpfs): a card's PDF (11 kB) does not fit."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8k", "tmpfs", str(mount)])
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root)")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_a_full_disk_names_the_file(project_copy: Path, small_disk: Path):
    out = small_disk / "out"
    result = run(project_copy, "build", "--lang", "en", "--leaflet", "card", "--out", str(out))
    error = one_error(result)
    assert "No space left on device" in error and "card.pdf" in error, error


def _file_size_limit() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # else the process is killed, not told
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


_WRITE_UNDER_LIMIT = """
import sys
from pathlib import Path
from leaflets.errors import describe_os_error
from leaflets.writing import write_atomic
target = Path(sys.argv[1])
try:
    write_atomic(target, b"%PDF" + bytes(100_000))
except OSError as exc:
    print("error:", describe_os_error(exc, target.parent), file=sys.stderr)
    sys.exit(1)
"""


def test_a_file_size_limit_names_the_file(tmp_path: Path):
    """Every file the project writes goes through write_atomic (or write_file): a file over the
    process's size limit (EFBIG) is named, and what was there is kept. (Through the command
    line, the first file over any small limit is a temporary one: WeasyPrint's fonts, or the
    language identifier's 68 MB model; those name the temporary folder.)"""
    target = tmp_path / "out" / "trifold.pdf"
    target.parent.mkdir()
    target.write_bytes(b"the PDF of the last build")
    result = subprocess.run(
        [sys.executable, "-c", _WRITE_UNDER_LIMIT, str(target)],
        capture_output=True,
        text=True,
        preexec_fn=_file_size_limit,
        cwd=Path(__file__).parents[2],
        timeout=60,
    )
    error = one_error(result)
    assert "File too large" in error and "trifold.pdf" in error, error
    assert target.read_bytes() == b"the PDF of the last build"
    assert [p.name for p in target.parent.iterdir()] == ["trifold.pdf"]
