"""What the studio keeps from one run to the next (issue 21, point 6: the default view within
2 s of the start): the renderings it showed, taken again only when their files are as they
were, and the language identifier's verdicts. Both are caches: a damaged one costs time only."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from leaflets.studio import saved_renderings
from leaflets.studio.leaflet_json import leaflet_json
from leaflets.studio.rendering import Rendering
from leaflets.studio.state import VERDICTS, Studio
from leaflets.studio.store import Store
from tests.conftest import REPO, copy_project
from tests.studio.test_redraw import _edit

pytestmark = pytest.mark.pdf


def _studio(root: Path) -> Studio:
    studio = Studio(root)
    studio.use_store(Store.of_project(root).create())
    return studio


def _show(studio: Studio, lang: str, leaflet: str):
    state = studio.want(lang, leaflet)
    studio.render(state)
    studio.find_boxes(state)
    return state


def _json(boxes) -> dict:
    return {str(key): [box.to_json() for box in found] for key, found in boxes.items()}


@pytest.fixture
def shown(tmp_path: Path) -> tuple[Path, Rendering]:
    """A project whose studio has shown the Spanish card, and that rendering."""
    root = copy_project(tmp_path / "project")
    state = _show(_studio(root), "es", "card")
    assert state.rendering is not None and state.rendering.boxes
    return root, state.rendering


def test_the_next_start_shows_the_kept_rendering_without_laying_it_out(shown) -> None:
    root, first = shown
    studio = _studio(root)
    assert studio.kept("es", "card") and not studio.kept("ht", "card")
    state = _show(studio, "es", "card")
    kept = state.rendering
    assert studio._workshop is None, "the card was laid out again"
    assert studio.is_current(state) and state.version == kept.version == 1
    assert kept.pdf == first.pdf and kept.page_sizes == first.page_sizes
    assert kept.used == first.used and kept.fallbacks == first.fallbacks
    # As the page gets them (to_json's rounding, which the kept file holds).
    assert _json(kept.boxes) == _json(first.boxes)
    # The page's JSON, every message with its boxes, still without a layout.
    data = leaflet_json(studio, state)
    printed = [m for m in data["messages"] if m["printed"]]
    assert printed and all(m["boxes"] for m in printed)
    assert data["pages"][0]["url"].endswith("?v=1")
    assert studio._workshop is None


def test_a_file_changed_while_the_studio_was_stopped_lays_the_output_out_again(shown) -> None:
    root, first = shown
    _edit(root, 1, "ahora")
    studio = _studio(root)
    state = _show(studio, "es", "card")
    assert studio._workshop is not None and state.rendering.pdf != first.pdf
    # That new rendering is the one kept now.
    again = _show(_studio(root), "es", "card")
    assert again.rendering.pdf == state.rendering.pdf and again.rendering.calls == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda record: b"{not json",
        lambda record: json.dumps({**record, "pdf": "bm90IGEgcGRm"}).encode(),  # "not a pdf"
        lambda record: json.dumps({**record, "boxes": [["x", [{"page": 9}]]]}).encode(),
        lambda record: json.dumps({**record, "used": [[1, 2]]}).encode(),
        lambda record: json.dumps({**record, "page_sizes": "A4"}).encode(),
        lambda record: json.dumps([record]).encode(),
    ],
    ids=["not-json", "not-a-pdf", "box-off-the-pages", "bad-key", "bad-sizes", "not-a-record"],
)
def test_a_damaged_kept_rendering_is_laid_out_again(shown, damage, caplog) -> None:
    root, first = shown
    path = saved_renderings.path_of(Store.of_project(root).folder, "es", "card")
    path.write_bytes(damage(json.loads(path.read_bytes())))
    with caplog.at_level(logging.WARNING, logger="leaflets.studio"):
        studio = _studio(root)
        state = _show(studio, "es", "card")
    assert studio._workshop is not None and state.error is None
    assert state.rendering.pdf == first.pdf  # the same files make the same PDF
    assert json.loads(path.read_bytes())["made_from"] == first.made_from  # kept anew


def test_only_a_rendering_with_nothing_to_report_is_kept(shown) -> None:
    _, first = shown
    assert saved_renderings.keeps(first)
    for change in ({"problem": "shorten it"}, {"page_count": "3 pages"}, {"boxes": None}):
        assert not saved_renderings.keeps(Rendering(**{**vars(first), **change}))


def test_the_language_identifiers_verdicts_are_kept_for_the_next_start(tmp_path: Path) -> None:
    """In new processes, as `leaflets serve` starts: the first start reads the language
    identifier's model and loads WeasyPrint for the default view; the second needs neither
    to show the same view and every language's review state."""
    root = copy_project(tmp_path / "project")
    script = """
import json, sys
from pathlib import Path
from leaflets.i18n.checks import language_id
from leaflets.studio.leaflet_json import leaflet_json
from leaflets.studio.state import Studio
from leaflets.studio.store import Store
studio = Studio(Path.cwd())
studio.use_store(Store.of_project(Path.cwd()).create())
for lang, leaflet in studio.default_views():
    state = studio.want(lang, leaflet)
    studio.render(state)
    assert leaflet_json(studio, state)["pages"]
summaries = [studio.desk(code).summary_json() for code in studio.project.languages]
print(json.dumps({"weasyprint": "weasyprint" in sys.modules,
                  "model": language_id._identifier.cache_info().currsize,
                  "summaries": summaries}))
"""

    def start() -> dict:
        run = subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "HOME": str(tmp_path)},
        )
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout)

    first = start()
    assert first["weasyprint"] and first["model"] == 1
    assert Store.of_project(root).setting(VERDICTS)
    second = start()
    assert not second["weasyprint"] and second["model"] == 0
    assert second["summaries"] == first["summaries"]
