"""How the studio keeps pages current under many saves (issue 20, point 8): a burst of saves is
fingerprinted once, before the next render, and that render shows them all; renders go ahead
of the writes that queue behind them, one render per batch of writes."""

from __future__ import annotations

import threading
from pathlib import Path

import pypdfium2
import pytest

from leaflets.i18n.commands.edit import Edit, save_translation
from leaflets.i18n.po.catalog import read_catalog
from leaflets.studio.state import Studio
from leaflets.studio.store import Store
from leaflets.studio.worker import Worker
from tests.conftest import copy_project

pytestmark = pytest.mark.pdf
PO = "locales/es/LC_MESSAGES/messages.po"


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Studio:
    studio = Studio(copy_project(tmp_path_factory.mktemp("redraw") / "project"))
    for lang in ("es", "en"):
        state = studio.want(lang, "card")
        studio.render(state)
    return studio


def _edit(root: Path, count: int, word: str) -> list[str]:
    """Append a word to `count` of the card's Spanish translations, as saves do."""
    catalog = read_catalog(root / PO)
    studio_project = Studio(root).project
    edited = []
    for message in catalog:
        if len(edited) == count:
            break
        if not message.id or message.context or isinstance(message.id, tuple):
            continue
        if message.fuzzy or not message.string or "%" in message.string:
            continue
        if not any(name.endswith("card.html.j2") for name, _ in message.locations):
            continue
        new = f"{message.string} {word}"
        save_translation(studio_project, "es", Edit(None, message.id, (new,), (message.string,)))
        edited.append(new)
    assert len(edited) == count
    return edited


def test_saves_are_fingerprinted_once_before_the_next_render(studio: Studio) -> None:
    es, en = studio.output("es", "card"), studio.output("en", "card")
    assert studio.is_current(es) and studio.is_current(en)
    texts = _edit(studio.root, 3, "hoy")
    for _ in texts:  # each save refreshes; none fingerprints
        studio.refresh([studio.root / PO])
        assert not es.dirty and es.pending is None
    # Not current until fingerprinted: a page that asks waits for the render.
    assert not studio.is_current(es) and not studio.is_current(en)
    assert studio.next_dirty() is es
    assert es.dirty and not en.dirty and studio.is_current(en)
    version = es.version
    studio.render(es)
    assert es.version == version + 1 and studio.is_current(es)
    assert studio.next_dirty() is None
    shown = _text(es.rendering.pdf)
    assert all(" ".join(text.split()) in shown for text in texts)  # one render, every save


def _text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()
    return " ".join(" ".join(pages).split())


def test_boxes_wait_for_the_render_that_follows_a_save(studio: Studio) -> None:
    es = studio.output("es", "card")
    studio.next_dirty()
    studio.render(es)
    _edit(studio.root, 1, "bien")
    studio.refresh([studio.root / PO])
    studio.find_boxes(es)  # a stale rendering: its boxes are not laid out
    assert es.rendering.boxes is None
    # A page that heard of this version gets its image at once; any other request waits.
    version = str(es.version)
    assert studio.can_show(es, version) and not studio.can_show(es, str(es.version + 1))
    assert not studio.can_show(es, None) and not studio.can_show(es, "x")
    studio.render(studio.next_dirty())
    studio.find_boxes(es)
    assert es.rendering.boxes


def test_the_worker_runs_urgent_jobs_first_each_kind_in_order() -> None:
    worker, ran = Worker("test-worker"), []
    gate = threading.Event()
    first = worker.submit(gate.wait)  # holds the thread while the others queue
    jobs = [
        worker.submit(lambda name=name: ran.append(name), urgent=name.startswith("render"))
        for name in ("save 1", "render 1", "save 2", "render 2", "save 3")
    ]
    failing = worker.submit(lambda: 1 / 0)
    gate.set()
    assert first.result(5)
    for job in jobs:
        job.result(5)
    with pytest.raises(ZeroDivisionError):
        failing.result(5)
    assert ran == ["render 1", "render 2", "save 1", "save 2", "save 3"]
    gate.clear()
    worker.submit(gate.wait)
    waiting = worker.submit(lambda: ran.append("late"))
    stopping = threading.Thread(target=worker.shutdown)
    stopping.start()
    gate.set()
    stopping.join(5)
    assert waiting.cancelled() or ran[-1] == "late"
    with pytest.raises(RuntimeError):
        worker.submit(lambda: None)


def test_the_start_renders_the_default_view_from_the_size_it_fitted_at_last(
    tmp_path: Path,
) -> None:
    root = copy_project(tmp_path / "project")
    store = Store.of_project(root).create()
    studio = Studio(root)
    studio.store = store
    # What studio.js shows first: the first leaflet, translated, beside its source.
    views = studio.default_views()
    leaflet = next(iter(studio.project.leaflets))
    assert views == [("es", leaflet), ("en", leaflet)]
    studio.prepare(*views[0])
    state = studio.output(*views[0])
    assert studio.is_current(state) and state.rendering.boxes
    fitted = studio.workshop.hint(state.output)
    assert fitted is not None
    # The next start's first fit search starts at that size.
    again = Studio(root)
    again.store = store
    assert again.workshop.hint(again.output(*views[0]).output) == fitted
    for kept in ("not a size", "nan"):
        store.set_setting(f"studio fit es {leaflet}", kept)
        third = Studio(root)
        third.store = store
        assert third.workshop.hint(third.output(*views[0]).output) is None
