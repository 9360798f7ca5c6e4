"""How the studio shows the pages (issue 21, point 5), in a real browser: zoom with a sharper
image and the boxes on their text, one page at a time, and where the English sits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.studio.test_axe import viewport
from tests.studio.test_browser import (  # noqa: F401 (browser, served: fixtures)
    browser,
    ready,
    served,
    wait,
)

pytestmark = pytest.mark.browser

# Where a text's box sits on its page's image, as fractions of the image, and the image's
# drawn and natural widths; read in the page, as a redraw may replace both at any time.
WHERE = """
const b = [...document.querySelectorAll(`.sheet[data-lang='es'] .msg`)]
  .find((b) => b.dataset.key === '\\u0004' + arguments[0] && !b.ariaHidden);
const img = b && b.closest('.sheet').querySelector('img');
if (!b || !img.complete || !img.naturalWidth) return null;
const r = b.getBoundingClientRect(), i = img.getBoundingClientRect();
return {x: (r.left - i.left) / i.width, y: (r.top - i.top) / i.height, w: r.width / i.width,
        width: i.width, natural: img.naturalWidth, boxWidth: r.width};
"""
SHOWN = """
return [...document.querySelectorAll('#pages > .page-row')].filter((r) => !r.hidden)
  .map((r) => r.querySelector('.sheet:not([data-lang="en"])').dataset.page);
"""
PLACES = """
const place = (lang) => {
  const s = document.querySelector(`.sheet[data-lang='${lang}'][data-page='1']`);
  return s ? (({top, bottom, left, right}) => ({top, bottom, left, right}))(s.getBoundingClientRect()) : null;
};
return {en: place('en'), es: place('es'), choice: document.getElementById('english-at').value};
"""


@contextmanager
def fresh(driver, url: str, view: str, size: tuple[int, int, bool]) -> Iterator[None]:
    """The studio at this viewport with nothing remembered from another test, and afterwards
    with nothing remembered from this one."""
    try:
        viewport(driver, *size)
        driver.get(f"{url}#{view}")
        driver.execute_script("localStorage.clear();")
        driver.refresh()
        wait(driver, ready, 60)  # the first test renders the leaflet: on a busy machine, slowly
        yield
    finally:
        driver.execute_script("localStorage.clear();")
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def alt(driver, key: str) -> None:
    ActionChains(driver).key_down(Keys.ALT).send_keys(key).key_up(Keys.ALT).perform()


def test_zoom_draws_a_sharper_image_and_the_boxes_stay_on_their_text(served, browser):  # noqa: F811
    _, url = served
    msgid = "Where to get help"
    with fresh(browser, url, "es/trifold", (1400, 900, False)):
        before = wait(browser, lambda d: d.execute_script(WHERE, msgid))
        browser.find_element(By.ID, "zoom-in").click()
        browser.find_element(By.ID, "zoom-in").click()
        assert browser.find_element(By.ID, "zoom-at").text == "200%"
        # A 200% page is wider than the 1,600 px image: a twice larger one replaces it.
        after = wait(
            browser,
            lambda d: (
                (w := d.execute_script(WHERE, msgid)) and w["natural"] > before["natural"] and w
            ),
        )
        assert after["natural"] >= 2 * before["natural"] - 2, (before, after)
        assert abs(after["width"] / before["width"] - 2) < 0.01, (before, after)
        assert abs(after["boxWidth"] / before["boxWidth"] - 2) < 0.02, (before, after)
        for side in ("x", "y", "w"):
            assert abs(after[side] - before[side]) < 0.002, (side, before, after)
        # The column scrolls sideways, not the whole page.
        assert browser.execute_script(
            "return document.documentElement.scrollWidth <= innerWidth"
            " && document.getElementById('pages').scrollWidth > innerWidth;"
        )
        alt(browser, "0")  # fit
        wait(browser, lambda d: d.find_element(By.ID, "zoom-at").text == "100%")
        fitted = wait(browser, lambda d: d.execute_script(WHERE, msgid))
        assert abs(fitted["width"] - before["width"]) < 1, (before, fitted)


def test_one_page_at_a_time_is_the_phones_default_and_turns_pages(served, browser):  # noqa: F811
    _, url = served
    with fresh(browser, url, "es/card", (390, 844, True)):
        assert browser.find_element(By.ID, "one-page").is_selected()
        wait(browser, lambda d: d.execute_script(SHOWN) == ["1"])
        assert browser.find_element(By.ID, "page-at").text == "Page 1 of 2"
        browser.find_element(By.ID, "page-next").click()
        wait(browser, lambda d: d.execute_script(SHOWN) == ["2"])
        assert browser.find_element(By.ID, "page-at").text == "Page 2 of 2"
        alt(browser, Keys.PAGE_UP)
        wait(browser, lambda d: d.execute_script(SHOWN) == ["1"])
        # Choosing a text of the other page in the list of texts turns to it.
        browser.find_element(By.CSS_SELECTOR, "#all-texts summary").click()
        browser.find_element(By.XPATH, "//section[h3='Page 2']//button").click()
        wait(browser, lambda d: d.execute_script(SHOWN) == ["2"])
        browser.find_element(By.ID, "close-editor").click()
        browser.find_element(By.ID, "one-page").click()  # all pages again
        wait(browser, lambda d: d.execute_script(SHOWN) == ["1", "2"])
        assert not browser.find_element(By.ID, "page-steps").is_displayed()


def test_the_english_sits_where_chosen_and_stays_there_after_a_reload(served, browser):  # noqa: F811
    _, url = served
    with fresh(browser, url, "es/trifold", (1400, 900, False)):
        # The tri-fold is wide: by default its English is above it, both the column's width.
        wait(browser, lambda d: d.execute_script(PLACES)["en"])
        places = browser.execute_script(PLACES)
        assert places["en"]["bottom"] <= places["es"]["top"], places
        assert places["en"]["left"] == places["es"]["left"], places
        choose = "const s = document.getElementById('english-at'); s.value = arguments[0];"
        choose += "s.dispatchEvent(new Event('change'));"
        checks = {
            "below": lambda p: p["es"]["bottom"] <= p["en"]["top"],
            "beside": lambda p: (
                p["en"]["right"] <= p["es"]["left"] and p["en"]["top"] == p["es"]["top"]
            ),
            "hidden": lambda p: p["en"] is None,
        }
        for choice, check in checks.items():
            browser.execute_script(choose, choice)
            wait(browser, lambda d, check=check: (p := d.execute_script(PLACES))["es"] and check(p))
        browser.refresh()
        wait(browser, ready)
        places = browser.execute_script(PLACES)
        assert places["choice"] == "hidden" and places["en"] is None, places
