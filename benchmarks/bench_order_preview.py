"""Benchmark: what the order form asks on each change, for a 10-item order, against ~50 ms.

(a) check    press/order_form.py's check_order() on the form's JSON fields, with the review
             states kept from before (orders.review_states(), which the form computes once)
(b) preview  preview_order(): the job ticket's facts, sheets and overage, nothing rendered
(c) both     (a) then (b), what one keystroke costs
(d) review   orders.review_states() itself, for scale: what the form must not redo each time

Medians of --repeats runs, in this process (the studio's is warm too).

    .venv/bin/python benchmarks/bench_order_preview.py
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from leaflets.config import project as project_mod
from leaflets.press.order_form import check_order, preview_order
from leaflets.press.orders import Order, review_states

REPO = Path(__file__).resolve().parent.parent
PAIRS = [
    (leaflet, lang)
    for leaflet in ("card", "trifold", "flyer", "large-print")
    for lang in ("en", "es", "ht")
]
FIELDS = {
    "name": "Benchmark fair",
    "event": "Benchmark fair, St. Croix",
    "event_date": "2099-02-14",
    "need_by": "2099-02-07",
    "deliver_to": "st-croix",
    "edition": "press",
    "paper": "letter",
    "requested_by": {"name": "Outreach coordinator", "phone": "+1 340 719 0144"},
    "items": [
        {"leaflet": leaflet, "language": lang, "quantity": 100 * (n + 1) + 5}
        for n, (leaflet, lang) in enumerate(PAIRS[:10])
    ],
}


def median_ms(run: Callable[[], object], repeats: int) -> float:
    run()  # warm: imports, pydantic's schemas
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()
    project = project_mod.load(REPO)
    reviewed = review_states(project)

    def check() -> Order:
        order = check_order(project, FIELDS, allow_unreviewed=True, reviewed=reviewed)
        assert isinstance(order, Order), order
        return order

    order = check()
    facts = preview_order(project, order)
    assert len(facts["items"]) == 10
    results = {
        "check": median_ms(check, args.repeats),
        "preview": median_ms(lambda: preview_order(project, order), args.repeats),
        "both": median_ms(lambda: preview_order(project, check()), args.repeats),
        "review": median_ms(lambda: review_states(project), max(3, args.repeats // 7)),
    }
    for what, ms in results.items():
        print(f"{what:8} {ms:8.1f} ms")
    print(f"one change (check + preview): {results['both']:.1f} ms; target about 50 ms")


if __name__ == "__main__":
    main()
