"""The studio's renderings, kept in its state folder from one run to the next.

On its next start the studio shows an output whose files are as they were from the rendering
it kept, without laying it out again and without loading WeasyPrint: the default view is on
screen within about a second of the start (issue 21), and WeasyPrint loads after it.

One JSON file per output, named by a hash of its language and leaflet, written whole or not at
all. It holds the fingerprint of the files the rendering was made from (pipeline/cache.py's:
every template, stylesheet, catalog, setting, font and version the PDF depends on, leaflets'
own code included), so a kept rendering is taken only when a render now would make the same
PDF. Only renderings with nothing to report are kept (no overflow, no shrunk type, no extra
page): those are what a reviewer opens the studio to read; the others are laid out anew.

The folder is the studio's own, but a file in it is a cache, not trusted input: one that does
not read back as this module wrote it is ignored, and the output is laid out as without it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from ..i18n.po.messages import MessageKey
from ..writing import write_atomic
from .rendering import Box, Rendering

log = logging.getLogger("leaflets.studio")

FOLDER = "renderings"
FORMAT = 1
"""Changed when the file's layout changes: files of another format are not read."""


def path_of(state_folder: Path, lang: str, leaflet: str) -> Path:
    name = hashlib.sha256(f"{lang}\0{leaflet}".encode()).hexdigest()[:32]
    return state_folder / FOLDER / f"{name}.json"


def exists(state_folder: Path, lang: str, leaflet: str) -> bool:
    return path_of(state_folder, lang, leaflet).is_file()


def save(state_folder: Path, lang: str, leaflet: str, rendering: Rendering) -> None:
    """Keep the rendering, complete with its boxes, if it has nothing to report."""
    if not keeps(rendering):
        return
    assert rendering.boxes is not None
    record = {
        "format": FORMAT,
        "lang": lang,
        "leaflet": leaflet,
        "made_from": rendering.made_from,
        "pdf": base64.b64encode(rendering.pdf).decode("ascii"),
        "page_sizes": rendering.page_sizes,
        "used": rendering.used,
        "fallbacks": [key for key in rendering.used if key in rendering.fallbacks],
        "boxes": [
            [key, [box.to_json() for box in boxes]] for key, boxes in rendering.boxes.items()
        ],
        "seconds": rendering.seconds,
    }
    try:
        data = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        write_atomic(path_of(state_folder, lang, leaflet), data)
    except OSError as exc:  # only the next start is slower
        log.warning("could not keep the rendering of %s (%s): %s", leaflet, lang, exc)


def keeps(rendering: Rendering) -> bool:
    """Whether a rendering is kept: complete, and with nothing to report."""
    reported = rendering.overflowing or rendering.shrunk or rendering.problem
    return (
        bool(rendering.made_from)
        and rendering.boxes is not None
        and not (reported or rendering.page_count)
    )


def load(state_folder: Path, lang: str, leaflet: str, made_from: str) -> Rendering | None:
    """The rendering kept for the output, if it was made from files with this fingerprint."""
    path = path_of(state_folder, lang, leaflet)
    try:
        record = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("%s: not a rendering the studio kept (%s); laying it out again", path, exc)
        return None
    try:
        if not isinstance(record, dict) or record.get("format") != FORMAT:
            return None
        if (record.get("lang"), record.get("leaflet"), record.get("made_from")) != (
            lang,
            leaflet,
            made_from,
        ):
            return None
        return _rendering(record, made_from)
    except (KeyError, TypeError, ValueError) as exc:
        log.warning("%s: not a rendering the studio kept (%s); laying it out again", path, exc)
        return None


def _rendering(record: dict[str, Any], made_from: str) -> Rendering:
    pdf = base64.b64decode(record["pdf"], validate=True)
    if not pdf.startswith(b"%PDF-"):
        raise ValueError("no PDF in it")
    sizes = [(float(width), float(height)) for width, height in record["page_sizes"]]
    used = [_key(key) for key in record["used"]]
    boxes: dict[MessageKey, list[Box]] = {}
    for key, found in record["boxes"]:
        boxes[_key(key)] = [_box(box, len(sizes)) for box in found]
    return Rendering(
        version=0,
        pdf=pdf,
        page_sizes=sizes,
        used=used,
        fallbacks={_key(key) for key in record["fallbacks"]},
        overflowing=[],
        problem=None,
        shrunk=[],
        page_count=None,
        seconds=float(record["seconds"]),
        boxes=boxes,
        made_from=made_from,
    )


def _key(value: Any) -> MessageKey:
    """A message key as JSON wrote it: a msgid, or [context, msgid]."""
    if isinstance(value, str):
        return value
    context, msgid = value
    if not (isinstance(context, str) and isinstance(msgid, str)):
        raise TypeError(f"not a message key: {value!r}")
    return (context, msgid)


def _box(value: dict[str, Any], pages: int) -> Box:
    page = value["page"]
    if not (isinstance(page, int) and 1 <= page <= pages):
        raise ValueError(f"a box on page {page!r} of {pages}")
    x, y, w, h = (float(value[name]) for name in ("x", "y", "w", "h"))
    return Box(page, x, y, w, h, int(value["order"]))
