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

from leaflets.config import project as project_mod  # noqa: E402
from leaflets.errors import FitError  # noqa: E402
from leaflets.i18n.po.catalog import parse_catalog, po_bytes  # noqa: E402
from leaflets.pipeline import build as pipeline  # noqa: E402
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


def fits(root: Path, leaflet: str, lang: str, lengths: dict) -> bool:
    """Whether the leaflet builds in `lang` with these messages at these lengths."""
    project = project_mod.load(root)
    path = project.po_path(lang)
    catalog = parse_catalog(path.read_bytes(), path)
    for message in catalog:  # measure what fits, not what today's limits allow
        message.auto_comments = [re.sub(r"max-length:\d+", "", c) for c in message.auto_comments]
    for key, length in lengths.items():
        context, msgid = key if isinstance(key, tuple) else (None, key)
        message = catalog.get(msgid, context=context)
        message.string = filler(length, re.findall(r"%\(\w+\)s", msgid))
    path.write_bytes(po_bytes(catalog))
    (output,) = pipeline.plan(project, [lang], [leaflet])
    report = pipeline.build(project, [output], fit_mode="error", force=True)
    assert not report.built[0].fallbacks, report.built[0].fallback_details  # all were printed
    return True


def builds(root: Path, leaflet: str, lang: str, lengths: dict) -> bool:
    catalog = root / "locales" / lang / "LC_MESSAGES" / "messages.po"
    original = catalog.read_bytes()
    try:
        return fits(root, leaflet, lang, lengths)
    except FitError:
        return False
    finally:
        catalog.write_bytes(original)


def longest(root: Path, leaflet: str, lang: str, key, low: int = 5, high: int = 200) -> int:
    while low < high:
        middle = (low + high + 1) // 2
        if builds(root, leaflet, lang, {key: middle}):
            low = middle
        else:
            high = middle - 1
    return low


# Each limited message, in the language whose leaflet prints it. The card's interpreter and TTY
# lines are left out where they do not fit (pipeline/stages.py), so a build never fails on
# them: their limits (40 and 10) are set by hand, at what the shipped card prints with.
LIMITED = {
    "card": {
        "Need help?": "es",
        ("phone label", "Call"): "es",
        "Free. Confidential. 24 hours.": "es",
        "In an emergency, call %(number)s.": "es",
        "%(place)s Office": "es",
        ("phone label", "Tel."): "es",
    },
    "trifold": {
        "Human Trafficking": "es",
        "It is modern-day slavery. Learn the facts, and know where to get help.": "es",
    },
}


def limits(root: Path, leaflet: str, keys: dict) -> dict:
    """Each message's longest on its own, then all of them scaled down by tenths until the
    leaflet builds with every one at its limit at once, in each language; multiples of 5."""
    alone = {key: longest(root, leaflet, lang, key) for key, lang in keys.items()}
    scale = 1.0
    while scale > 0.1:
        chosen = {key: max(5, int(n * scale) // 5 * 5) for key, n in alone.items()}
        languages = set(keys.values())
        if all(
            builds(root, leaflet, lang, {k: v for k, v in chosen.items() if keys[k] == lang})
            for lang in languages
        ):
            return {key: (alone[key], chosen[key]) for key in keys}
        scale -= 0.1
    raise SystemExit(f"{leaflet}: no limits fit together")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp) / "project")
        for leaflet, keys in LIMITED.items():
            for key, (alone, limit) in limits(root, leaflet, keys).items():
                print(f"{leaflet:8} alone {alone:4}  limit {limit:4}  {key!r}", flush=True)
