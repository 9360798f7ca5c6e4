"""The JSON the studio's page reads: one leaflet in one language, with its pages, every message
and its boxes, the overflow, the strings that fell back and the review state."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..i18n.locale_data import LocaleFormatter
from ..i18n.po.messages import MessageKey, split_key
from .rendering import Rendering
from .state import OutputState, Studio

if TYPE_CHECKING:
    from ..layout.measure import RegionFit

PX_PER_IN = 96


def key_json(key: MessageKey) -> dict[str, str | None]:
    context, msgid = split_key(key)
    return {"context": context, "id": msgid}


def leaflet_json(studio: Studio, state: OutputState) -> dict[str, Any]:
    """GET /api/leaflets/{lang}/{leaflet}."""
    lang, name = state.key
    project = studio.project
    language, leaflet = project.languages[lang], project.leaflets[name]
    desk = studio.desk(lang)
    rendering = state.rendering
    errors = [e for e in (studio.config_error, desk.error, state.error) if e]
    data: dict[str, Any] = {
        "language": {
            "code": lang,
            "name": language.name,
            "bcp47": language.bcp47,
            # The editor and the hover card write the translation in its own direction.
            "direction": LocaleFormatter(language).direction,
        },
        "leaflet": {"name": name, "title": leaflet.title},
        "state": "rendering" if not studio.is_current(state) else ("error" if errors else "ready"),
        "version": state.version,
        "errors": list({e["text"]: e for e in errors}.values()),
        "review": desk.summary_json(),
        "pages": [],
        "messages": [],
        "overflow": [],
        "overflow_problem": None,
        "page_count_problem": None,
        "shrunk": [],
        "fallbacks": [],
    }
    if rendering is not None:
        data.update(_rendering_json(studio, state, rendering))
    return data


def _rendering_json(studio: Studio, state: OutputState, rendering: Rendering) -> dict[str, Any]:
    lang, name = state.key
    desk = studio.desk(lang)
    messages = []
    found = studio.boxes(state)
    for key in rendering.used:
        boxes = found.get(key, [])
        message = desk.describe(key)
        message.update(
            boxes=[box.to_json() for box in boxes],
            printed=bool(boxes),
            fallback=key in rendering.fallbacks,
        )
        messages.append(message)
    return {
        "pages": [
            {
                "number": number,
                "url": f"/pages/{lang}/{name}/{number}.png?v={rendering.version}",
                "version": rendering.version,
                "width_in": round(width, 4),
                "height_in": round(height, 4),
                "width_px": rendering.width_px(number),
            }
            for number, (width, height) in enumerate(rendering.page_sizes, start=1)
        ],
        "messages": messages,
        "overflow": [_region_json(region, rendering) for region in rendering.overflowing],
        "overflow_problem": rendering.problem,
        "page_count_problem": rendering.page_count,
        "shrunk": [shrink.describe() for shrink in rendering.shrunk],
        "fallbacks": [key_json(key) for key in rendering.used if key in rendering.fallbacks],
        "render_seconds": round(rendering.seconds, 3),
    }


def _region_json(region: RegionFit, rendering: Rendering) -> dict[str, Any]:
    width_in, height_in = rendering.page_sizes[region.page - 1]
    x, y, w, h = region.box
    width, height = width_in * PX_PER_IN, height_in * PX_PER_IN
    return {
        "region": region.name,
        "kind": region.kind,
        "page": region.page,
        "box": {"x": x / width, "y": y / height, "w": w / width, "h": h / height},
        "overflow_pt": region.overflow_pt,
        "lines": region.lines,
        "text": f"{region.label} overflows by {region.overflow_pt} pt"
        + (f" ({region.lines} {'line' if region.lines == 1 else 'lines'})" if region.lines else ""),
    }
