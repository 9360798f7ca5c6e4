"""Shared fixtures. Rendering is the slow part, so the full build runs once per test session
and every test reads the same PDFs.

Markers (pyproject.toml): `pdf` for a test that renders with WeasyPrint or reads pages with
pdfium, `browser` for one that drives Chromium. `make test-fast` leaves both out. A test that asks
for one of PDF_FIXTURES is marked `pdf` here; any other that renders while unmarked fails (the
guard below), so a fast run stays fast and a forgotten marker shows in it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from leaflets.config import project as project_mod
from leaflets.pipeline import build as build_mod

# Property tests take their example count from a profile: a short run in `make test` (and CI),
# a long one in `make fuzz` (HYPOTHESIS_PROFILE=fuzz). Tests that build PDFs run this many
# examples; the ones that only check strings run FAST_FACTOR times as many.
settings.register_profile(
    "ci",
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
FAST_FACTOR = 25

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
"""Files the tests read: bad configs, orders, test projects."""
PROJECT_FILES = (
    "leaflets.toml",
    "contacts.toml",
    "babel.cfg",
    "templates",
    "styles",
    "locales",
    "orders",
)


def copy_project(dest: Path) -> Path:
    """A copy of this repository's project files, without build outputs or compiled catalogs."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    return dest


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A fresh, writable copy of the project for one test."""
    return copy_project(tmp_path / "project")


def build_all(root: Path, paper: str | None = None):
    """Build every leaflet in every language of the project at `root`: (project, report)."""
    if paper is not None:
        config = root / "leaflets.toml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace('paper = "letter"', f'paper = "{paper}"'), encoding="utf-8")
    project = project_mod.load(root)
    assert project.build.paper == (paper or project.build.paper)
    return project, build_mod.build(project, build_mod.plan(project))


@pytest.fixture(scope="session")
def letter_build(tmp_path_factory: pytest.TempPathFactory):
    """Every leaflet in every language, built once on US Letter: (project, BuildReport)."""
    return build_all(copy_project(tmp_path_factory.mktemp("built") / "project"))


@pytest.fixture(scope="session")
def a4_build(tmp_path_factory: pytest.TempPathFactory):
    """The same on A4 (paper = "a4" in leaflets.toml): every leaflet and language once."""
    return build_all(copy_project(tmp_path_factory.mktemp("a4") / "project"), "a4")


@pytest.fixture(scope="session")
def built(letter_build):
    """Every leaflet in every language, built once: (project, {(leaflet, lang): pdf path})."""
    project, report = letter_build
    return project, {(r.output.leaflet, r.output.lang): r.output.path for r in report.built}


@pytest.fixture(scope="session")
def laid_out(letter_build):
    """Every leaflet in every language rendered to HTML and laid out once, without writing, in
    the body size its build chose: {(leaflet, lang): (html, document)}. Shared by the template
    and the layout tests."""
    from leaflets.layout.render import RenderOptions
    from leaflets.pipeline.builder import Builder

    project, report = letter_build
    builder = Builder(project)
    result = {}
    for built in report.built:
        leaflet, lang = built.output.leaflet, built.output.lang
        rendered = builder.renderer.html(
            project.leaflets[leaflet],
            project.languages[lang],
            builder.translations(lang),
            RenderOptions(body_pt=built.body_pt),
        )
        result[leaflet, lang] = (rendered.html, builder.typesetter.layout(rendered.html))
    return result


SCRIPTS = DATA / "scripts"
"""The project with two languages in other scripts: Arabic (right to left) and Vietnamese."""
SCRIPT_LANGS = ("ar", "vi")


def copy_scripts_project(dest: Path) -> Path:
    """A copy of the project with the Arabic and Vietnamese tables and catalogs added."""
    root = copy_project(dest)
    with (root / "leaflets.toml").open("a", encoding="utf-8") as config:
        config.write("\n" + (SCRIPTS / "languages.toml").read_text(encoding="utf-8"))
    shutil.copytree(SCRIPTS / "locales", root / "locales", dirs_exist_ok=True)
    return root


@pytest.fixture(scope="session")
def scripts_build(tmp_path_factory: pytest.TempPathFactory):
    """Every leaflet in Arabic and Vietnamese, built once: (project, {(leaflet, lang): pdf})."""
    root = copy_scripts_project(tmp_path_factory.mktemp("scripts") / "project")
    project = project_mod.load(root)
    report = build_mod.build(project, build_mod.plan(project, list(SCRIPT_LANGS)))
    return project, {(r.output.leaflet, r.output.lang): r.output.path for r in report.built}


# ---------------------------------------------------------------- markers and their guard

PDF_FIXTURES = frozenset(
    {"letter_build", "a4_build", "built", "laid_out", "scripts_build", "example", "office"}
)
"""Session fixtures that build PDFs (here and in tests/press/conftest.py)."""
RENDERING_MARKERS = ("pdf", "browser")
_unmarked_renders: list[str] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if PDF_FIXTURES.intersection(item.fixturenames):
            item.add_marker(pytest.mark.pdf)


def pytest_collection_finish(session: pytest.Session) -> None:
    """A run with no test marked `pdf` or `browser` (`make test-fast`, or one fast file) refuses
    what makes a test slow: WeasyPrint's layout, pdfium and Chromium. Patched on the classes, so
    threads and forked workers see it too."""
    if any(item.get_closest_marker(m) for item in session.items for m in RENDERING_MARKERS):
        return
    import pypdfium2
    from selenium.webdriver.chrome.webdriver import WebDriver

    # The adapters load WeasyPrint as a build does (the system's libraries first).
    from leaflets.layout.weasyprint_adapters import HTML

    for owner, name, what in (
        (HTML, "render", "WeasyPrint's layout"),
        (pypdfium2.PdfDocument, "__init__", "pdfium"),
        (WebDriver, "__init__", "Chromium"),
    ):
        setattr(owner, name, _refused(what))


def _unmarked_message(what: str) -> str:
    return (
        f"this test uses {what}: mark it @pytest.mark.pdf (or browser) so that `make test-fast` "
        "leaves it out (tests/conftest.py)"
    )


def _refused(what: str):
    def refuse(*args, **kwargs):
        _unmarked_renders.append(what)
        raise RuntimeError(_unmarked_message(what))

    return refuse


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    _unmarked_renders.clear()
    try:
        return (yield)
    finally:
        if _unmarked_renders:  # even if the test caught the error, or failed on it
            pytest.fail(_unmarked_message(_unmarked_renders[0]), pytrace=False)
