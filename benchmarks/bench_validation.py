"""Benchmark: reporting the problems of an order file takes time in proportion to its items.

Every item of an order with N items repeats the first one, so each has a problem whose line is
looked up (config/toml_lines.py's TomlIndex). The old look-up scanned the file for every
problem: N problems cost N², 10,000 items more than five minutes. An order file is now refused
above MAX_ITEMS items before this point; the benchmark bypasses that bound to measure the look-up
alone, and prints the medians of --repeats runs and the ratio between the largest and the
smallest N (linear: about the ratio of the Ns; quadratic: its square).

    .venv/bin/python benchmarks/bench_validation.py
"""

from __future__ import annotations

import argparse
import statistics
import time

from leaflets.config.validation import Problems

ITEM = '\n[[items]]\nleaflet = "card"\nlanguage = "es"\nquantity = {n}\n'
HEAD = 'name = "big"\nevent = "Fair"\nevent_date = 2030-02-14\nneed_by = 2030-02-08\n'


def report_all(count: int) -> float:
    """Seconds to add one problem per item, each at items[i].leaflet, as validation does."""
    text = HEAD + "".join(ITEM.format(n=n + 1) for n in range(count))
    started = time.perf_counter()
    problems = Problems(text)
    for index in range(count):
        problems.add(f"items[{index}].leaflet", "the same leaflet and language as items[0]")
    elapsed = time.perf_counter() - started
    assert problems.found[-1][0] == 5 * count + 2, problems.found[-1]  # the last leaflet line
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    counts = (1_000, 2_000, 4_000, 8_000, 16_000)
    medians = {}
    for count in counts:
        medians[count] = statistics.median(report_all(count) for _ in range(args.repeats))
        print(f"{count:>6} items: {medians[count] * 1000:8.1f} ms (median of {args.repeats})")
    ratio = medians[counts[-1]] / medians[counts[0]]
    print(f"{counts[-1] // counts[0]}× the items: {ratio:.1f}× the time")


if __name__ == "__main__":
    main()
