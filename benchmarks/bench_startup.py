"""Benchmark the studio's start (issue 21, point 6: the default view in at most 2 s after start,
the page on screen first, the rest after). Run it with `make bench-startup`; the test suite
does not.

`leaflets serve` is started in two ways, each a new process as a person starts it:

  again   on one copy of the project, N times after a first start (uncounted): the usual
          start, with what the last run kept in the state folder (the renderings of the outputs
          it showed, the language identifier's verdicts; saved_renderings.py, state.py)
  first   N times, each on a fresh copy with no state folder and no compiled catalogs: the
          first start in a new clone, which renders the default view and reads the language
          identifier's model

and the page's first requests are made as studio.js's start() makes them: GET /api/session
(repeated until the server answers), GET /api/project, then at once the leaflet JSON of the
default view (the first translated language and the first leaflet) and of its source, and every
page image they name. Each is timed from the moment the process was started:

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
    figures: dict[str, dict[str, list[float]]] = {"again": {}, "first": {}}
    loads: dict[str, list[float]] = {"again": [], "first": []}

    def measure(kind: str, root: Path) -> None:
        wait_for_quiet(5)
        loads[kind].append(round(os.getloadavg()[0], 2))
        for name, seconds in one_start(root).items():
            figures[kind].setdefault(name, []).append(seconds)

    with tempfile.TemporaryDirectory(prefix="leaflets-bench-startup-") as tmp:
        root = copy_project(Path(tmp) / "project")
        one_start(root)  # uncounted: warms the disk cache, and the state folder keeps its views
        for number in range(args.starts):
            measure("again", root)
            measure("first", copy_project(Path(tmp) / f"fresh-{number}"))
    results = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "cores": len(os.sched_getaffinity(0)),
        "starts": args.starts,
        "load_average_1min_at_each_start": loads,
        "target_s": TARGET_S,
        "seconds": {
            kind: {
                name: {
                    "median": round(statistics.median(s), 4),
                    "p90": round(p90(s), 4),
                    "samples": [round(x, 4) for x in s],
                }
                for name, s in found.items()
            }
            for kind, found in figures.items()
        },
    }
    (Path(__file__).parent / "startup-results.json").write_text(
        json.dumps(results, indent=2) + "\n", encoding="utf-8"
    )
    print(f"{args.starts} starts of each kind; load average at each {loads}")
    print(f"{'':<18}{'median':>10}{'p90':>10}")
    for kind, rows in results["seconds"].items():
        for name, row in rows.items():
            print(f"{kind + ' ' + name:<18}{row['median']:>9.3f}s{row['p90']:>9.3f}s")


if __name__ == "__main__":
    main()
