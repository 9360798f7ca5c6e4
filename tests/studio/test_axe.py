"""axe-core (npm's, pinned in devtools/js/package-lock.json) finds no WCAG 2.0, 2.1 and 2.2 A or
AA violation in the studio: the four leaflets in Spanish and one in Arabic, at a laptop's size and
a phone's. One browser and one studio for all of them: the leaflets are switched in the page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.conftest import REPO, copy_scripts_project
from tests.studio.test_browser import (  # noqa: F401 (browser: a fixture)
    box,
    browser,
    ready,
    serving,
    status,
    wait,
)

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


def open_editor_and_list(driver) -> None:
    """A text chosen and the list of texts open, so that axe checks them too."""
    driver.execute_script(
        "document.getElementById('all-texts').open = true;"
        "document.querySelector('.sheet .msg:not([aria-hidden])').click();"
    )
    wait(driver, lambda d: d.find_element(By.ID, "editor-body").is_displayed())


def open_once(driver, url: str, view: str) -> None:
    """The studio at this view: opened the first time, switched to after that (faster)."""
    if driver.current_url.startswith(url.split("?")[0]):
        show(driver, view)
    else:
        driver.get(f"{url}#{view}")
        wait(driver, ready, 60)


def described(violations: list[dict]) -> str:
    return "\n".join(
        f"  {v['where']}: {v['id']} ({v['impact']}, {v['count']}×): {v['help']}; "
        f"{', '.join(v['targets'])}"
        for v in violations
    )


def test_axe_finds_no_wcag_aa_violation(served_both, browser, axe):  # noqa: F811
    _, url = served_both
    open_once(browser, url, VIEWS[0])
    # The studio renders one leaflet at a time: ask for all now, so that it renders the next
    # while axe checks this one.
    browser.execute_script(
        "for (const v of arguments[0]) api(`/api/leaflets/${v}`).catch(() => null);",
        [f"{lang}/{view.split('/')[1]}" for view in VIEWS[1:] for lang in (view[:2], "en")],
    )
    found = []
    try:
        for view in VIEWS:
            show(browser, view)
            open_editor_and_list(browser)
            for size, (width, height, mobile) in SIZES.items():
                viewport(browser, width, height, mobile)
                found += [{**v, "where": f"{view} at {size} size"} for v in axe()]
        # One page at a time, zoomed in (view.js): its page buttons show, and the + goes grey.
        browser.execute_script(
            "document.getElementById('one-page').click();"
            "for (const i of [1, 2, 3]) document.getElementById('zoom-in').click();"
        )
        wait(browser, lambda d: d.find_element(By.ID, "page-steps").is_displayed())
        found += [{**v, "where": f"{VIEWS[-1]} one page at 300%"} for v in axe()]
        browser.execute_script(  # as it was, for the next test in this browser
            "document.getElementById('one-page').click(); document.getElementById('zoom-fit').click();"
        )
    finally:
        browser.execute_script("localStorage.clear();")
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert not found, f"axe-core found {len(found)} violations:\n{described(found)}"


def in_view_above_the_sheet(driver, msgid: str) -> bool:
    """The text's box is on screen, above the top of the editor's sheet."""
    top, bottom, sheet = driver.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return [r.top, r.bottom, document.getElementById('editor').getBoundingClientRect().top];",
        box(driver, msgid),
    )
    return top >= 0 and bottom <= sheet


def test_a_tap_at_phone_size_opens_the_editor_as_a_sheet_under_the_text(
    served_both,
    browser,  # noqa: F811
):
    """At 390x844 the editor covers the lower part of the screen, the text tapped stays in view
    above it, and so does its new page after a save."""
    _, url = served_both
    msgid = "Free. Confidential. 24 hours."  # on the card's back, page 2
    open_once(browser, url, "es/card")
    try:
        viewport(browser, 390, 844, True)
        box(browser, msgid).click()  # Selenium scrolls it to the bottom of the screen first
        editor = browser.find_element(By.ID, "editor")
        wait(browser, lambda d: editor.value_of_css_property("position") == "fixed")
        sheet = browser.execute_script("return arguments[0].getBoundingClientRect();", editor)
        assert sheet["top"] >= 844 * 0.4 and sheet["bottom"] == 844, sheet
        wait(browser, lambda d: in_view_above_the_sheet(d, msgid))  # a redraw makes a new box
        area = browser.switch_to.active_element
        assert area.get_attribute("id") == "t0"
        inside = "const r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom];"
        top, bottom = browser.execute_script(inside, area)
        assert sheet["top"] < top and bottom <= 844, (sheet, top, bottom)  # the box in view
        area.clear()
        area.send_keys("Gratis. Confidencial. Todo el día.", Keys.CONTROL, Keys.ENTER)
        wait(browser, lambda d: status(d) == "Page updated.")
        wait(browser, lambda d: in_view_above_the_sheet(d, msgid))  # a redraw makes a new box
        browser.find_element(By.ID, "close-editor").click()
        assert editor.value_of_css_property("position") != "fixed"
        # The file watcher's own "changed" event may redraw the page now: the box is new, and
        # focus moves to it. Read the focused text's key in the page, as often as that needs.
        focused = "return document.activeElement ? document.activeElement.dataset.key : null;"
        wait(browser, lambda d: d.execute_script(focused) == "\u0004" + msgid)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
