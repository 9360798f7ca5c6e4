"""Measure how long a translation of each limited message may be before its leaflet overflows,
to choose the `max-length:N` limits the templates give translators (see README, "Length
limits"). Run it after the templates, the styles or the fitting change:

    python devtools/measure_lengths.py

For each message it builds the leaflet in a copy of the project, with the Spanish catalog as it
is except for that one message, whose translation is Spanish-like words of a given length
(with the message's placeholders at the end), and finds by bisection the longest that still
builds without overflowing (fit = "error"). It prints the lengths; the limits in the templates
are these, rounded down to a multiple of 5.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leaflets.build import pipeline  # noqa: E402
from leaflets.config import project as project_mod  # noqa: E402
from leaflets.errors import FitError  # noqa: E402
from leaflets.i18n.pofile import parse_catalog, po_bytes  # noqa: E402
from tests.conftest import copy_project  # noqa: E402

WORDS = [
    "la",
    "trata",
    "de",
    "personas",
    "es",
    "una",
    "amenaza",
    "para",
    "todos",
    "y",
    "llame",
    "para",
    "pedir",
    "ayuda",
    "hoy",
]


def filler(length: int, placeholders: list[str]) -> str:
    tail = " " + " ".join(placeholders) if placeholders else ""
    text, i = "", 0
    while len(text) + len(tail) < length:
        text += ("" if not text else " ") + WORDS[i % len(WORDS)]
        i += 1
    return (text[: max(0, length - len(tail))].rstrip() + tail)[:length] or "a"


def fits(root: Path, leaflet: str, key, length: int) -> bool:
    project = project_mod.load(root)
    path = project.po_path("es")
    catalog = parse_catalog(path.read_bytes(), path)
    context, msgid = key if isinstance(key, tuple) else (None, key)
    message = catalog.get(msgid, context=context)
    message.string = filler(length, re.findall(r"%\(\w+\)s", msgid))
    path.write_bytes(po_bytes(catalog))
    (output,) = pipeline.plan(project, ["es"], [leaflet])
    try:
        pipeline.build(project, [output], fit_mode="error", force=True)
    except FitError:
        return False
    return True


def longest(leaflet: str, key, low: int = 5, high: int = 200) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp) / "project")
        original = (root / "locales/es/LC_MESSAGES/messages.po").read_bytes()
        while low < high:
            middle = (low + high + 1) // 2
            (root / "locales/es/LC_MESSAGES/messages.po").write_bytes(original)
            if fits(root, leaflet, key, middle):
                low = middle
            else:
                high = middle - 1
        return low


LIMITED = {
    "card": [
        "Need help?",
        ("phone label", "Call"),
        "Interpreters available.",
        "Free. Confidential. 24 hours.",
        "In an emergency, call %(number)s.",
        "%(place)s Office",
        ("phone label", "Tel."),
    ],
    "trifold": [
        "Human Trafficking",
        "It is modern-day slavery. Learn the facts, and know where to get help.",
    ],
}

if __name__ == "__main__":
    for leaflet, keys in LIMITED.items():
        for key in keys:
            print(f"{leaflet:8} {longest(leaflet, key):4}  {key!r}", flush=True)
