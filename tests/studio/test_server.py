"""`leaflets serve` as a person runs it: the URL it prints, one studio per project, a port in
use, a host that lets others in, and Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import copy_project

LEAFLETS = [sys.executable, "-m", "cli"]


def start(root: Path, *args: str) -> tuple[subprocess.Popen, str]:
    """`leaflets serve --no-open` in `root`, and the URL it printed."""
    process = subprocess.Popen(
        [*LEAFLETS, "serve", "--no-open", "--port", "0", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    line = first_line(process)
    match = re.fullmatch(r"Serving on (http://127\.0\.0\.1:\d+/\?token=[\w-]+)\n", line)
    assert match, (line, process.stderr.read() if process.poll() is not None else "")
    return process, match.group(1)


def first_line(process: subprocess.Popen) -> str:
    """The first line of its output, read byte by byte: a buffered readline() could take the
    next lines too, and communicate(), which reads the pipe itself, would never see them."""
    line = b""
    while not line.endswith(b"\n") and (byte := os.read(process.stdout.fileno(), 1)):
        line += byte
    return line.decode()


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("serve") / "project")
    process, url = start(root)
    yield root, process, url
    if process.poll() is None:
        process.kill()
        process.wait()


def test_it_prints_a_token_url_that_opens_the_studio(running):
    _, _, url = running
    # As a browser does: the token URL sets a cookie and redirects to the bare address.
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with browser.open(url, timeout=30) as answer:
        assert answer.status == 200 and b"Leaflets studio" in answer.read()
        assert answer.url == url.split("?")[0]
    base = url.split("?")[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(base + "api/project", timeout=10)
    assert refused.value.code == 401  # not signed in


def test_a_second_studio_on_the_same_project_says_where_the_first_is(running):
    root, process, url = running
    second = subprocess.run(
        [*LEAFLETS, "serve", "--no-open", "--port", "0"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert second.returncode == 1
    base = url.split("?")[0]
    assert second.stderr.strip() == (
        f"error: a studio is already running for this project at {base} (process "
        f"{process.pid}); use that one, or stop it (Ctrl-C in its terminal) first"
    )


def test_a_port_in_use_is_one_clear_line(tmp_path):
    root = copy_project(tmp_path / "project")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*LEAFLETS, "serve", "--no-open", "--port", str(port)],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: port {port} is already in use on 127.0.0.1; stop the program that uses it, "
        f"or choose another port: leaflets serve --port {port + 1}"
    ]


def test_ctrl_c_stops_it_cleanly_and_a_new_one_can_start(running):
    root, process, url = running
    token = url.split("token=")[1]
    # The studio idle first: its worker answers this after the default view's start-up render,
    # which a Ctrl-C during it waits for (a loaded machine can make that take seconds).
    idle = urllib.request.Request(
        url.split("?")[0] + "api/project", headers={"X-Leaflets-Token": token}
    )
    with urllib.request.urlopen(idle, timeout=120) as answer:
        assert answer.status == 200
    # An open page streaming events must not hold the shutdown up.
    request = urllib.request.Request(
        url.split("?")[0] + "api/events", headers={"X-Leaflets-Token": token}
    )
    stream = urllib.request.urlopen(request, timeout=10)
    assert stream.readline() == b"retry: 1000\n"
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=15)
    assert time.monotonic() - started < 3.5
    assert process.returncode == 0, err
    assert "Traceback" not in err and out.strip().endswith("studio stopped")
    stream.close()
    again, _ = start(root)
    again.send_signal(signal.SIGINT)
    assert again.wait(timeout=15) == 0


def test_a_host_other_than_loopback_needs_https_or_insecure_http(tmp_path):
    root = copy_project(tmp_path / "project")
    refused = subprocess.run(
        [*LEAFLETS, "serve", "--no-open", "--port", "0", "--host", "0.0.0.0"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.startswith("error: --host 0.0.0.0 lets other computers in")
    assert "--public-url https://" in refused.stderr and "--insecure-http" in refused.stderr
    process = subprocess.Popen(
        [*LEAFLETS, "serve", "--no-open", "--port", "0", "--host", "0.0.0.0", "--insecure-http"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first, second = process.stdout.readline(), process.stdout.readline()
        assert first.startswith("Serving on http://127.0.0.1:")
        assert second.startswith("warning: listening on 0.0.0.0 over plain HTTP (--insecure-http)")
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        page = browser.open(first.split()[-1], timeout=30).read().decode()
        assert 'class="insecure"' in page
        # Idle before the Ctrl-C below: the worker answers this after its start-up render.
        with browser.open(first.split()[-1].split("?")[0] + "api/project", timeout=120) as answer:
            assert answer.status == 200
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=15)


def test_ctrl_c_right_after_the_first_line_is_the_servers_to_handle(tmp_path):
    """Issue 25, point 23: a SIGINT just after "Serving on …" is handled by the server, which
    starts and stops in order (asyncio's own handler, active before uvicorn installs its
    handlers, could lose it while the app starts). Several times: the window is a few
    milliseconds; `make stress` runs it beside busy loops."""
    root = copy_project(tmp_path / "project")
    for _ in range(5):
        process, _ = start(root)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
        assert process.returncode == 0, err
        assert "Traceback" not in err
        assert out.splitlines()[-2:] == ["Press Ctrl-C to stop.", "studio stopped"], out
