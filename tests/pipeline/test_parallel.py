"""The process pool and the fast paths give the same PDFs as the plain way, byte for byte."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from leaflets.config import project as project_mod
from leaflets.errors import ConfigError, FitError, LeafletsError
from leaflets.layout.render import Renderer, RenderOptions
from leaflets.pipeline import build as build_mod
from leaflets.pipeline import workers
from tests.conftest import REPO


def pdf_bytes(outputs: list[build_mod.Output]) -> dict[tuple[str, str], bytes]:
    return {(o.leaflet, o.lang): o.path.read_bytes() for o in outputs}


@pytest.mark.pdf
def test_parallel_build_is_byte_identical_to_serial(project_copy: Path) -> None:
    project = project_mod.load(project_copy)
    outputs = build_mod.plan(project)
    serial = build_mod.build(project, outputs, jobs=1)
    assert serial.jobs == 1 and len(serial.built) == len(outputs)
    expected = pdf_bytes(outputs)

    run = build_mod.Build(project, outputs, jobs=2, force=True)
    seen = [(w.result.output.label, w.number, w.total, len(run.report.built)) for w in run]
    parallel = run.report
    assert parallel.jobs == 2
    assert pdf_bytes(outputs) == expected
    # Each output comes up once, as it is written, counting up, already in the report.
    assert sorted(label for label, _, _, _ in seen) == sorted(o.label for o in outputs)
    assert [number for _, number, _, _ in seen] == list(range(1, len(outputs) + 1))
    assert [built for _, _, _, built in seen] == list(range(1, len(outputs) + 1))
    assert {total for _, _, total, _ in seen} == {len(outputs)}
    # The report lists outputs in plan order, whatever order the workers finished in.
    assert [r.output for r in parallel.built] == outputs
    assert all(r.engine_seconds > 0 for r in parallel.built)


@pytest.mark.pdf
def test_worker_error_reaches_the_caller_whole(project_copy: Path) -> None:
    po = project_copy / "locales/es/LC_MESSAGES/messages.po"
    long = " ".join(["Ayuda"] * 400)
    text = po.read_text().replace('msgstr "¿Necesita ayuda?"', f'msgstr "{long}"')
    # Without its length limit, which `check` (and so the build) would reject it by first.
    po.write_text(text.replace("; at most 30 characters (max-length:30).", "."))
    project = project_mod.load(project_copy)
    outputs = build_mod.plan(project, ["en", "es"], ["card"])
    with pytest.raises(FitError, match=r'^card \(es\): region "front" overflows .*"Need help\?"'):
        build_mod.build(project, outputs, jobs=2)


def _die_on_spanish(output: build_mod.Output, hint: float | None):
    if output.lang == "es":
        os._exit(3)  # as the kernel's out-of-memory killer or a crash in a C library would
    return _real_work(output, hint)


_real_work = workers._work


@pytest.mark.pdf
def test_a_worker_that_dies_fails_the_build_instead_of_hanging(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = project_mod.load(project_copy)
    outputs = build_mod.plan(project, ["en", "es"], ["card"])
    # The workers are forked from this process, so they run the patched function.
    monkeypatch.setattr(workers, "_work", _die_on_spanish)
    with pytest.raises(LeafletsError, match="a build worker stopped"):
        build_mod.build(project, outputs, jobs=2)
    monkeypatch.undo()
    # Nothing was recorded for the Spanish card: the next build makes it.
    report = build_mod.build(project, outputs, jobs=1)
    assert ("card", "es") in {(r.output.leaflet, r.output.lang) for r in report.built}


def test_leaflets_errors_survive_pickling() -> None:
    error = ConfigError("leaflets.toml", ["line 3: a: bad", "line 5: b: bad"], 3)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is ConfigError
    assert (str(copy), copy.problems, copy.line, copy.path) == (
        str(error),
        error.problems,
        3,
        Path("leaflets.toml"),
    )
    fit = pickle.loads(pickle.dumps(FitError("too long", "x.po", 7)))
    assert isinstance(fit, LeafletsError) and str(fit) == "x.po:7: too long"


@pytest.mark.pdf
def test_shared_parsed_stylesheets_give_the_same_pdf_as_links(project_copy: Path) -> None:
    from leaflets.i18n.translations import load_translations
    from leaflets.layout.typeset import Typesetter

    project = project_mod.load(project_copy)
    typesetter = Typesetter(project)
    leaflet, language = project.leaflets["trifold"], project.languages["es"]
    translations = load_translations(project, "es")
    renderer = Renderer(project)
    linked = renderer.html(leaflet, language, translations)
    shared = renderer.html(leaflet, language, translations, RenderOptions(link_stylesheets=False))
    assert linked.stylesheets == () and "<link" in linked.html
    assert shared.stylesheets == (
        "styles/base.css",
        "styles/trifold.css",
        "styles/themes/default.css",
    )
    assert "<link" not in shared.html
    via_links = typesetter.pdf(typesetter.layout(linked.html, ()))
    via_shared = typesetter.pdf(typesetter.layout(shared.html, shared.stylesheets))
    again = typesetter.pdf(typesetter.layout(shared.html, shared.stylesheets))
    assert via_shared == via_links == again


NO_OP = """
import sys
from cli import main
sys.argv = ["leaflets", "--project", sys.argv[1], "build"]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
# Nor the language identifier of the checks (numpy and its model; issue 23).
heavy = ("weasyprint", "pydyf", "fontTools", "jinja2", "pikepdf", "pypdfium2", "PIL", "starlette",
         "uvicorn", "watchfiles", "tomli_w", "fontpkg", "filelock", "multiprocessing", "py3langid",
         "numpy")
loaded = sorted(m for m in sys.modules if m.split(".")[0] in heavy)
assert not loaded, loaded
print("no weasyprint")
"""


@pytest.mark.pdf
def test_no_op_build_does_not_import_weasyprint(project_copy: Path) -> None:
    project = project_mod.load(project_copy)
    build_mod.build(project, build_mod.plan(project, leaflets=["card"]), jobs=1)
    # Only the card was built; build just the card again, through the command line.
    script = NO_OP.replace('"build"]', '"build", "--leaflet", "card"]')
    run = subprocess.run(
        [sys.executable, "-c", script, str(project_copy)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "no weasyprint" in run.stdout
    assert "built 0 PDFs, skipped 3" in run.stdout


def test_one_renderer_renders_each_language_in_its_own_words(project_copy: Path) -> None:
    """A worker renders many languages in turn. Jinja2 caches partials imported with
    {% from ... import %} and folds constant filter calls into compiled templates; neither may
    carry one language's words or number format into the next."""
    from leaflets.i18n.translations import load_translations

    project = project_mod.load(project_copy)
    flyer = project.leaflets["flyer"]

    def html(renderer: Renderer, lang: str) -> str:
        translations = load_translations(project, lang)
        return renderer.html(flyer, project.languages[lang], translations).html

    shared = Renderer(project)
    english, spanish, creole, english_again = (
        html(shared, lang) for lang in ("en", "es", "ht", "en")
    )
    assert "In an emergency, call 911." in english and "600,000" in english
    assert "En caso de emergencia, llame al 911." in spanish
    assert "Oficina de St. Croix" in spanish and "St. Croix Office" not in spanish
    assert "600,000" not in creole  # French grouping, as CLDR formats ht's numbers
    assert english_again == english
    for lang, text in (("es", spanish), ("ht", creole)):
        assert text == html(Renderer(project), lang)
