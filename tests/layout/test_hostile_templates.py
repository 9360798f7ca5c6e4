"""Issue 25, points 8 and 9: a template is code from a shared folder. It runs in Jinja2's
sandbox, and the names it includes are resolved as the loader resolves them, inside
templates/, regular files only: a build neither runs a command nor reads a file outside the
project, not even while it works out its cache key."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from tests.untrusted_helpers import recorded_access

pytestmark = pytest.mark.pdf

# Ways out of an unsandboxed template to Python's os module, each writing a marker file.
ESCAPES = {
    "globals": "{{{{ lipsum.__globals__['os'].system('touch {marker}') }}}}",
    "subclasses": (
        "{{% for c in ''.__class__.__mro__[1].__subclasses__() %}}"
        "{{% if c.__name__ == 'catch_warnings' %}}"
        "{{{{ c()._module.__builtins__['__import__']('os').system('touch {marker}') }}}}"
        "{{% endif %}}{{% endfor %}}"
    ),
    "format": "{{{{ '{{0.__class__.__init__.__globals__}}'.format(cycler) }}}}",
}


def add_to_card(root: Path, text: str) -> Path:
    template = root / "templates" / "card.html.j2"
    source = template.read_text(encoding="utf-8")
    template.write_text(source.replace("{% block body %}", "{% block body %}" + text, 1))
    return template


def build_card(root: Path):
    return CliRunner().invoke(
        cli.main, ["--project", str(root), "build", "--lang", "en", "--leaflet", "card"]
    )


def one_error(output: str) -> str:
    assert "Traceback" not in output, output
    (error,) = [line for line in output.splitlines() if line.startswith("error:")]
    return error


@pytest.mark.parametrize("escape", sorted(ESCAPES))
def test_a_template_cannot_reach_python_objects(project_copy: Path, tmp_path: Path, escape: str):
    marker = tmp_path / "ran"
    add_to_card(project_copy, ESCAPES[escape].format(marker=marker))
    result = build_card(project_copy)
    assert not marker.exists(), "the template ran a command"
    assert result.exit_code == 1, result.output
    error = one_error(result.output)
    assert "card.html.j2" in error and "unsafe" in error, error
    assert not (project_copy / "out" / "en" / "card.pdf").exists()


# Names that lead outside templates/ if joined to it as paths: one at a time, since a name the
# parser cannot follow makes the whole folder the dependency instead.
OUTSIDE_NAMES = [
    "/etc/passwd",
    "//etc/passwd",
    "../../../../../../../../etc/passwd",
    "partials/../../../../../../../../etc/passwd",
]


@pytest.mark.parametrize("name", OUTSIDE_NAMES)
def test_an_include_in_a_dead_branch_reads_nothing_outside(project_copy: Path, name: str):
    add_to_card(project_copy, f"{{% if false %}}{{% include '{name}' %}}{{% endif %}}")
    with recorded_access() as record:
        result = build_card(project_copy)
    assert result.exit_code == 0, result.output
    opened = {os.path.normpath(target) for event, target in record if event == "open"}
    assert "/etc/passwd" not in opened
    manifest = (project_copy / "out" / ".leaflets-cache.json").read_text(encoding="utf-8")
    secret = hashlib.sha256(Path("/etc/passwd").read_bytes()).hexdigest()
    assert secret not in manifest
    # The loader's reading: "/etc/passwd" is templates/etc/passwd, which is not there.
    parts = next(iter(json.loads(manifest)["outputs"].values()))["parts"]
    assert all(value != secret for value in parts.values())


def _limited_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


def run_build(root: Path) -> subprocess.CompletedProcess:
    """A build in its own process, bounded in memory and time: on the unsandboxed code these
    inputs exhausted memory or blocked for ever."""
    return subprocess.run(
        [sys.executable, "-m", "cli", "--project", str(root), "build", "--lang", "en"]
        + ["--leaflet", "card", "--jobs", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limited_memory,
    )


def test_an_include_of_dev_zero_reads_nothing(project_copy: Path):
    add_to_card(project_copy, "{% if false %}{% include '/dev/zero' %}{% endif %}")
    result = run_build(project_copy)
    assert result.returncode == 0, result.stderr
    assert "MemoryError" not in result.stderr


def test_a_fifo_in_templates_is_one_error_and_no_hang(project_copy: Path):
    os.mkfifo(project_copy / "templates" / "partials" / "pipe.html.j2")
    add_to_card(project_copy, "{% if false %}{% include 'partials/pipe.html.j2' %}{% endif %}")
    result = run_build(project_copy)
    assert result.returncode == 1
    error = one_error(result.stderr)
    assert "partials/pipe.html.j2" in error and "FIFO" in error
    assert not (project_copy / "out" / "en" / "card.pdf").exists()


def test_a_huge_template_is_refused_before_it_is_read(project_copy: Path):
    huge = project_copy / "templates" / "partials" / "huge.html.j2"
    with huge.open("wb") as fileobj:
        fileobj.truncate(2 << 30)  # sparse: 2 GB that cost no disk
    add_to_card(project_copy, "{% if false %}{% include 'partials/huge.html.j2' %}{% endif %}")
    result = run_build(project_copy)
    assert result.returncode == 1
    error = one_error(result.stderr)
    assert "partials/huge.html.j2" in error and "MB" in error


def test_the_job_ticket_is_sandboxed_too(project_copy: Path, tmp_path: Path):
    marker = tmp_path / "ran"
    ticket = project_copy / "templates" / "print" / "ticket.html.j2"
    ticket.write_text(ESCAPES["globals"].format(marker=marker) + ticket.read_text(encoding="utf-8"))
    order = project_copy / "orders" / "agricultural-fair-2027.toml"
    result = CliRunner().invoke(
        cli.main, ["--project", str(project_copy), "order", str(order), "--allow-unreviewed"]
    )
    assert not marker.exists(), "the job ticket ran a command"
    assert result.exit_code == 1
    assert "unsafe" in one_error(result.output)
