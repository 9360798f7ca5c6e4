"""Benchmark: reading and writing a catalog with leaflets' gettext-exact reader and writer,
against Babel's read_po and write_po, on the shipped Spanish catalog; and `leaflets update`
with nothing to change. Medians of 21 runs, measured in the same process; not part of the tests.

    python benchmarks/bench_catalogs.py
"""

from __future__ import annotations

import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel.messages.pofile import read_po, write_po  # noqa: E402

from leaflets.config import project as project_mod  # noqa: E402
from leaflets.i18n.commands import update as workflow  # noqa: E402
from leaflets.i18n.po.catalog import parse_catalog, po_bytes  # noqa: E402

RUNS = 21


def median_ms(action) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    path = ROOT / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    data = path.read_bytes()
    catalog = parse_catalog(data, path)
    babel = read_po(BytesIO(data))
    po_bytes(catalog)  # loads the line-break tables once, as the first write of a run does

    def babel_write() -> None:
        write_po(BytesIO(), babel, width=76)

    project = project_mod.load(ROOT)
    template = workflow.extract(project)
    rows = [
        ("read (leaflets)", median_ms(lambda: parse_catalog(data, path))),
        ("read (Babel read_po)", median_ms(lambda: read_po(BytesIO(data)))),
        ("write (leaflets, as msgcat)", median_ms(lambda: po_bytes(catalog))),
        ("write, keeping unchanged entries", median_ms(lambda: po_bytes(catalog, data))),
        ("write (Babel write_po)", median_ms(babel_write)),
        (
            "update, nothing to change",
            median_ms(lambda: workflow.update_catalog(project, "es", template, dry_run=True)),
        ),
    ]
    entries = len([m for m in catalog if m.id])
    print(f"es catalog: {entries} entries, {len(data)} bytes; medians of {RUNS} runs")
    for name, ms in rows:
        print(f"  {name:36} {ms:7.2f} ms")
    print(f"  write ratio leaflets / Babel: {rows[2][1] / rows[4][1]:.2f}")


if __name__ == "__main__":
    main()
