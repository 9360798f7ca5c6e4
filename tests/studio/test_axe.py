"""axe-core (npm's, pinned in devtools/js/package-lock.json) finds no WCAG 2.0, 2.1 and 2.2 A or
AA violation in the studio: the four leaflets in Spanish and one in Arabic, at a laptop's size and
a phone's. One browser and one studio for all of them: the leaflets are switched in the page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from selenium.webdriver.common.by import By

from tests.conftest import REPO, copy_scripts_project
from tests.studio.test_browser import browser, ready, serving, wait  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

AXE = REPO / "devtools" / "js" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SIZES = {"laptop": (1400, 900, False), "phone": (390, 844, True)}
VIEWS = ("es/card", "es/flyer", "es/trifold", "es/large-print", "ar/card")

RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then((r) => done(r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')), count: v.nodes.length}))))
  .catch((e) => done([{id: 'axe-error', impact: null, help: String(e), targets: [], count: 0}]));
"""


@pytest.fixture(scope="module")
def served_both(tmp_path_factory):
    """One studio on the project with the Arabic test language added: Spanish and Arabic."""
    yield from serving(copy_scripts_project(tmp_path_factory.mktemp("axe") / "project"))


@pytest.fixture(scope="module")
def axe(browser) -> Callable[[], list[dict]]:  # noqa: F811
    """Runs axe-core on the page in the browser: the violations, each with its first targets."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs it (npm ci in devtools/js)")
    source = AXE.read_text(encoding="utf-8")
    browser.set_script_timeout(30)

    def run() -> list[dict]:
        # Injected once per document: switching leaflets keeps the page, a reload does not.
        if not browser.execute_script("return typeof window.axe === 'object';"):
            browser.execute_script(source)
        return browser.execute_async_script(RUN, WCAG_AA)

    return run


def viewport(driver, width: int, height: int, mobile: bool) -> None:
    """A true viewport of this size: a headless window cannot be narrower than about 500 px."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
    )
    wait(driver, lambda d: d.execute_script("return window.innerWidth;") == width)


def show(driver, view: str) -> None:
    """Choose a language and leaflet as a reviewer does, and wait for its pages."""
    lang, leaflet = view.split("/")
    driver.execute_script(
        "const [lang, leaflet] = arguments;"
        "document.getElementById('lang').value = lang;"
        "document.getElementById('leaflet').value = leaflet;"
        "document.getElementById('lang').dispatchEvent(new Event('change'));",
        lang,
        leaflet,
    )
    loaded = (
        "return [...document.querySelectorAll(`.sheet[data-lang='${arguments[0]}'] img`)]"
        ".every((i) => i.complete) && view.leaflet === arguments[1];"
    )
    wait(driver, lambda d: ready(d) and d.execute_script(loaded, lang, leaflet), 60)
    # The editor and the list of texts are checked too: a text chosen, the list open.
    driver.execute_script(
        "document.getElementById('all-texts').open = true;"
        "document.querySelector('.sheet .msg:not([aria-hidden])').click();"
    )
    wait(driver, lambda d: d.find_element(By.ID, "editor-body").is_displayed())


def described(violations: list[dict]) -> str:
    return "\n".join(
        f"  {v['where']}: {v['id']} ({v['impact']}, {v['count']}×): {v['help']}; "
        f"{', '.join(v['targets'])}"
        for v in violations
    )


def test_axe_finds_no_wcag_aa_violation(served_both, browser, axe):  # noqa: F811
    _, url = served_both
    browser.get(f"{url}#{VIEWS[0]}")
    wait(browser, ready, 60)
    found = []
    try:
        for view in VIEWS:
            show(browser, view)
            for size, (width, height, mobile) in SIZES.items():
                viewport(browser, width, height, mobile)
                found += [{**v, "where": f"{view} at {size} size"} for v in axe()]
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert not found, f"axe-core found {len(found)} violations:\n{described(found)}"
