"""Benchmark the studio's start (issue 21, point 6: the default view in at most 2 s after start,
the page on screen first, the rest after). Run it with `make bench-startup`; the test suite
does not.

On a fresh copy of the project, `leaflets serve` is started N times (each a new process, as a
person starts it), and the page's first requests are made as studio.js's start() makes them:
GET /api/session (repeated until the server answers), GET /api/project, then at once the
leaflet JSON of the default view (the first translated language and the first leaflet) and of
its source, and every page image they name. Each is timed from the moment the process was
started:

  ready        the server's first answer (GET /api/session)
  first_page   the default view's JSON and its page 1 image received: the page on screen
  all_pages    both views' JSON and every page image received: the whole default view
  cpu_first    the CPU seconds the studio's process had used when first_page came: what a
               busy machine changes less than the wall times

Results go to benchmarks/startup-results.json, with the load average at each start.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench_build import copy_project, wait_for_quiet
from bench_studio import p90, start_studio
from bench_team import cpu_seconds

TARGET_S = 2.0


def get(port: int, token: str, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"X-Leaflets-Token": token})
    answer = connection.getresponse()
    content = answer.read()
    connection.close()
    return answer.status, content


def one_start(root: Path) -> dict[str, float]:
    started = time.perf_counter()
    process, port, token = start_studio(root)
    try:
        while True:
            try:
                if get(port, token, "/api/session")[0] == 200:
                    break
            except ConnectionError:
                time.sleep(0.01)
        ready = time.perf_counter() - started
        project = json.loads(get(port, token, "/api/project")[1])
        lang = next(lang["code"] for lang in project["languages"] if not lang["source"])
        views = (f"/api/leaflets/{lang}/", f"/api/leaflets/{project['source']}/")
        leaflet = project["leaflets"][0]["name"]

        def view(prefix: str) -> tuple[float, float]:
            """When its JSON, then its first page image, and then all of them arrived."""
            status, body = get(port, token, prefix + leaflet)
            assert status == 200, body
            urls = [page["url"] for page in json.loads(body)["pages"]]
            with ThreadPoolExecutor(len(urls)) as pool:
                images = list(
                    pool.map(lambda url: (get(port, token, url), time.perf_counter()), urls)
                )
            assert all(status == 200 for (status, _), _ in images), images
            return images[0][1] - started, max(at for _, at in images) - started

        with ThreadPoolExecutor(2) as pool:
            target = pool.submit(view, views[0])
            source = pool.submit(view, views[1])
            first = target.result()[0]
            cpu = cpu_seconds(process.pid)
            last = max(target.result()[1], source.result()[1])
        return {"ready": ready, "first_page": first, "all_pages": last, "cpu_first": cpu}
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args()
    figures: dict[str, list[float]] = {}
    loads = []
    with tempfile.TemporaryDirectory(prefix="leaflets-bench-startup-") as tmp:
        root = copy_project(Path(tmp) / "project")
        for number in range(args.starts + 1):  # the first start warms the disk cache, uncounted
            wait_for_quiet(5)
            load = os.getloadavg()[0]
            found = one_start(root)
            if number:
                loads.append(round(load, 2))
                for name, seconds in found.items():
                    figures.setdefault(name, []).append(seconds)
    results = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "cores": len(os.sched_getaffinity(0)),
        "starts": args.starts,
        "load_average_1min_at_each_start": loads,
        "target_s": TARGET_S,
        "seconds": {
            name: {
                "median": round(statistics.median(s), 4),
                "p90": round(p90(s), 4),
                "samples": [round(x, 4) for x in s],
            }
            for name, s in figures.items()
        },
    }
    (Path(__file__).parent / "startup-results.json").write_text(
        json.dumps(results, indent=2) + "\n", encoding="utf-8"
    )
    print(f"{args.starts} starts; load average at each {loads}")
    print(f"{'':<12}{'median':>10}{'p90':>10}")
    for name, row in results["seconds"].items():
        print(f"{name:<12}{row['median']:>9.3f}s{row['p90']:>9.3f}s")


if __name__ == "__main__":
    main()
