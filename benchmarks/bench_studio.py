"""Benchmark the review studio: from a saved .po to a changed page image. Run it with
`make bench-studio`; the test suite does not.

For the wallet card and the tri-fold in Spanish, on a fresh copy of the project and a studio of
its own (`leaflets serve`, as a person runs it), 10 edits of a string printed on page 1, saved
two ways:

  studio  POST /api/translations/es: the studio checks and writes the .po, then renders
  editor  the .po written by another program (as Poedit saves it): the file watcher sees it

Each edit is timed from the moment the save starts (the POST is sent, or the file is written)
to the moment the new image of page 1 has been received: the "rendered" event, then GET
/pages/es/<leaflet>/1.png, whose bytes must differ from the last image. The table gives the
median and the 90th percentile (nearest rank) of the 10 edits; results go to
benchmarks/studio-results.json. Before each edit it waits for the machine to quiet down, as
bench_build.py does.

Targets (issue 11): a median of at most 0.5 s for the card and 1 s for the tri-fold, on the
2-core machine the project is built on.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import queue
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_build import REPO, busy_cpu_seconds, copy_project, wait_for_quiet

TARGETS_S = {"card": 0.5, "trifold": 1.0}
MESSAGES = {"card": "Need help?", "trifold": "Human Trafficking"}
ES_PO = "locales/es/LC_MESSAGES/messages.po"


def start_studio(root: Path) -> tuple[subprocess.Popen, int, str | None]:
    """`leaflets serve` in `root` on a free port: its process, its port, and the run's token
    (None when people are invited: the first line then carries no token)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--no-open", "--port", "0"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"},
    )
    line = process.stdout.readline()
    match = re.match(r"Serving on http://127\.0\.0\.1:(\d+)/(?:\?token=([\w-]+))?", line)
    if not match:
        sys.exit(f"the studio did not start: {line}{process.stderr.read()}")
    return process, int(match.group(1)), match.group(2)


class Studio:
    """`leaflets serve` in a project folder, with a thread that reads its events."""

    def __init__(self, root: Path):
        self.root = root
        self.process, self.port, self.token = start_studio(root)
        self.events: queue.Queue[tuple[str, dict]] = queue.Queue()
        threading.Thread(target=self._listen, daemon=True).start()

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"X-Leaflets-Token": self.token}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        connection.request(method, path, data, headers)
        answer = connection.getresponse()
        content = answer.read()
        connection.close()
        return answer.status, content

    def _listen(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port)
        connection.request("GET", "/api/events", headers={"X-Leaflets-Token": self.token})
        stream = connection.getresponse()
        event = None
        for raw in stream:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event:
                self.events.put((event, json.loads(line[6:])))

    def rendered(self, leaflet: str, after: int, timeout: float = 30.0) -> int:
        deadline = time.monotonic() + timeout
        while True:
            event, data = self.events.get(timeout=max(0.01, deadline - time.monotonic()))
            if event == "rendered" and (data["lang"], data["leaflet"]) == ("es", leaflet):
                if data["error"]:
                    sys.exit(f"render failed: {data['error']}")
                if data["version"] > after:
                    return data["version"]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


WORDS = ("ya", "hoy", "aqui", "bien", "ahora", "otra", "vez", "mas", "luego", "pronto", "asi")


def edits(studio: Studio, leaflet: str, way: str, count: int) -> list[float]:
    status, body = studio.request("GET", f"/api/leaflets/es/{leaflet}")
    view = json.loads(body)
    message = next(m for m in view["messages"] if m["id"] == MESSAGES[leaflet])
    assert any(box["page"] == 1 for box in message["boxes"]), message
    version, original = view["version"], message["string"]
    _, image = studio.request("GET", f"/pages/es/{leaflet}/1.png")
    po = studio.root / ES_PO
    current, samples = original, []
    for number in range(count + 1):  # the first edit warms up and is not counted
        # Words, not digits: a digit beside the text could print as part of a phone number, and
        # the checks refuse it.
        new = f"{original} {WORDS[number % len(WORDS)]}"
        wait_for_quiet(20)
        started = time.perf_counter()
        if way == "studio":
            body = {"context": None, "id": MESSAGES[leaflet], "string": new, "previous": current}
            status, answer = studio.request("POST", "/api/translations/es", body)
            assert status == 200, answer
        else:
            text = po.read_text(encoding="utf-8")
            assert f'msgstr "{current}"' in text, current
            po.write_text(text.replace(f'msgstr "{current}"', f'msgstr "{new}"', 1), "utf-8")
        version = studio.rendered(leaflet, version)
        status, png = studio.request("GET", f"/pages/es/{leaflet}/1.png")
        elapsed = time.perf_counter() - started
        assert status == 200 and png != image, "the page image did not change"
        image, current = png, new
        if number:
            samples.append(elapsed)
    return samples


def p90(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=10)
    args = parser.parse_args()
    results: dict = {
        "machine": {
            "cores": len(os.sched_getaffinity(0)),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "edits": args.edits,
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "seconds": {},
    }
    for leaflet in ("card", "trifold"):
        with tempfile.TemporaryDirectory(prefix="leaflets-bench-studio-") as tmp:
            root = copy_project(Path(tmp) / "project")
            studio = Studio(root)
            try:
                for way in ("studio", "editor"):
                    busy = busy_cpu_seconds()
                    samples = edits(studio, leaflet, way, args.edits)
                    results["seconds"][f"{leaflet}_{way}"] = {
                        "median": round(statistics.median(samples), 4),
                        "p90": round(p90(samples), 4),
                        "target_median": TARGETS_S[leaflet],
                        "met": statistics.median(samples) <= TARGETS_S[leaflet],
                        "samples": [round(s, 4) for s in samples],
                        "machine_busy_cpu_s": round(busy_cpu_seconds() - busy, 2),
                    }
            finally:
                studio.stop()
    (Path(__file__).parent / "studio-results.json").write_text(
        json.dumps(results, indent=2) + "\n", encoding="utf-8"
    )
    print(f"{'leaflet, save':<20}{'median':>10}{'p90':>10}{'target':>10}")
    for name, figures in results["seconds"].items():
        print(
            f"{name:<20}{figures['median']:>9.3f}s{figures['p90']:>9.3f}s"
            f"{figures['target_median']:>9.1f}s  {'met' if figures['met'] else 'NOT MET'}"
        )


if __name__ == "__main__":
    main()
