"""The studio in a real browser: Debian's chromium, headless, driven by Selenium through
chromium-driver, against `leaflets serve` running as a person runs it."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
import tempfile
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from leaflets.i18n.po.catalog import read_catalog
from tests.conftest import copy_project, copy_scripts_project
from tests.studio.test_server import start

pytestmark = pytest.mark.browser

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)


def serving(root: Path):
    """`leaflets serve` in `root` for a module's tests: (root, url), stopped afterwards."""
    process, url = start(root)
    yield root, url
    process.terminate()
    process.wait(timeout=15)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    yield from serving(copy_project(tmp_path_factory.mktemp("browser") / "project"))


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM.exists() and DRIVER.exists()):
        pytest.fail("needs Debian's chromium and chromium-driver: `make setup` installs them")
    profile = tempfile.mkdtemp(prefix="leaflets-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def open_studio(driver, url: str, view: str = "es/card", timeout: float = 20.0) -> None:
    driver.get(f"{url}#{view}")
    wait(driver, lambda d: ready(d), timeout)


def ready(driver) -> bool:
    pages = driver.find_element(By.ID, "pages")
    return pages.get_attribute("aria-busy") == "false" and bool(
        driver.find_elements(By.CSS_SELECTOR, ".sheet img")
    )


def wait(driver, test, timeout: float = 20.0):
    try:
        # A live update redraws the page: an element found a moment ago may be gone.
        return WebDriverWait(
            driver,
            timeout,
            poll_frequency=0.05,
            ignored_exceptions=(StaleElementReferenceException,),
        ).until(test)
    except TimeoutException:
        status = driver.find_element(By.ID, "status").text
        errors = driver.find_element(By.ID, "errors").text
        pytest.fail(f"timed out; status {status!r}, errors {errors!r}")


def box(driver, msgid: str, lang: str = "es"):
    """The button over a message's text on the page (the first of its boxes, which the arrow
    keys visit; the others are for the mouse only)."""
    found = driver.execute_script(
        "return [...document.querySelectorAll(`.sheet[data-lang='${arguments[1]}'] .msg`)]"
        ".find((b) => b.dataset.key === '\\u0004' + arguments[0] && !b.ariaHidden);",
        msgid,
        lang,
    )
    assert found is not None, f"no box for {msgid!r} on the {lang} page"
    return found


def page_image(url: str, path: str) -> bytes:
    token = url.split("token=")[1]
    request = urllib.request.Request(url.split("?")[0] + path, headers={"X-Leaflets-Token": token})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.read()


def image_src(driver, lang: str = "es", page: int = 1) -> str:
    return driver.find_element(
        By.CSS_SELECTOR, f'.sheet[data-lang="{lang}"][data-page="{page}"] img'
    ).get_attribute("src")


def test_edit_a_string_on_the_spanish_wallet_card(served, browser):
    root, url = served
    open_studio(browser, url)
    before_src, before_png = image_src(browser), page_image(url, "pages/es/card/1.png")

    wait(browser, lambda d: box(d, "Need help?").click() or True)
    area = browser.find_element(By.ID, "t0")
    assert browser.switch_to.active_element == area
    assert area.get_attribute("value") == "¿Necesita ayuda?"
    assert "wallet card heading" in browser.find_element(By.ID, "m-notes").text
    area.clear()
    area.send_keys("¿Le hace falta ayuda?")
    browser.find_element(By.ID, "save").click()

    wait(browser, lambda d: image_src(d) != before_src and ready(d))
    wait(browser, lambda d: d.find_element(By.ID, "status").text == "Page updated.")
    assert page_image(url, "pages/es/card/1.png") != before_png
    po = root / "locales/es/LC_MESSAGES/messages.po"
    assert read_catalog(po).get("Need help?").string == "¿Le hace falta ayuda?"
    # The heading's box follows the new text, and still selects the same message.
    wait(browser, lambda d: box(d, "Need help?").click() or True)
    assert browser.find_element(By.ID, "t0").get_attribute("value") == "¿Le hace falta ayuda?"


def test_a_translation_with_an_error_is_refused_on_the_page(served, browser):
    root, url = served
    open_studio(browser, url)
    po = root / "locales/es/LC_MESSAGES/messages.po"
    before = po.read_bytes()
    wait(browser, lambda d: box(d, "Text “%(keyword)s” to %(number)s").click() or True)
    area = browser.find_element(By.ID, "t0")
    area.clear()
    area.send_keys("Envíe HELP al 233733")
    area.send_keys(Keys.CONTROL, Keys.ENTER)
    wait(browser, lambda d: d.find_element(By.ID, "status").text.startswith("Not saved"))
    findings = browser.find_element(By.ID, "m-findings").text
    assert "Error:" in findings and "%(keyword)s is missing" in findings
    assert po.read_bytes() == before


def focus_ring(driver) -> tuple[str, float]:
    style = driver.execute_script(
        "const s = getComputedStyle(document.activeElement);"
        "return [s.outlineStyle, parseFloat(s.outlineWidth)];"
    )
    return style[0], style[1]


def accessible_name(driver) -> str:
    return driver.execute_script(
        "const e = document.activeElement;"
        "const label = e.labels && e.labels.length ? e.labels[0].textContent : '';"
        "return (e.getAttribute('aria-label') || label || e.textContent || '').trim();"
    )


def test_it_works_from_the_keyboard_with_labels_and_visible_focus(served, browser):
    _, url = served
    open_studio(browser, url)
    unlabelled = browser.execute_script(
        "return [...document.querySelectorAll('input, select, textarea')]"
        ".filter((e) => !e.labels || !e.labels.length).map((e) => e.id);"
    )
    assert unlabelled == []
    assert browser.execute_script("return document.documentElement.lang") == "en"
    assert all(img.get_attribute("alt") for img in browser.find_elements(By.TAG_NAME, "img"))

    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    visited = []
    for _ in range(16):
        active = browser.switch_to.active_element
        outline, width = focus_ring(browser)
        name = accessible_name(browser)
        visited.append((active.tag_name, active.get_attribute("id"), active.get_attribute("class")))
        assert outline != "none" and width >= 2, f"no visible focus on {visited[-1]}"
        assert name, f"no accessible name for {visited[-1]}"
        if "msg" in (active.get_attribute("class") or ""):
            break
        active.send_keys(Keys.TAB)
    ids = [item[1] for item in visited]
    assert ids[:4] == ["", "lang", "leaflet", "english-at"]  # the skip link comes first
    assert visited[-1][2].startswith("msg"), visited
    # The page is one tab stop (small boxes in a row of tab stops fail WCAG 2.5.8): the arrow
    # keys move through its texts, and Tab leaves it.
    first = browser.switch_to.active_element
    first.send_keys(Keys.ARROW_DOWN)
    second = browser.switch_to.active_element
    assert second != first and "msg" in second.get_attribute("class")
    assert (first.get_attribute("tabindex"), second.get_attribute("tabindex")) == ("-1", "0")
    second.send_keys(Keys.ARROW_UP)
    assert browser.switch_to.active_element == first
    # The hover card shows on keyboard focus too, and Escape hides it.
    tip = browser.find_element(By.ID, "tip")
    assert tip.is_displayed() and "English" in tip.text
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert not tip.is_displayed()
    # Enter opens the message in the editor; Escape goes back to the same place on the page.
    key = browser.switch_to.active_element.get_attribute("data-key")
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "t0"
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert browser.switch_to.active_element.get_attribute("data-key") == key
    browser.switch_to.active_element.send_keys(Keys.TAB)
    assert "msg" not in (browser.switch_to.active_element.get_attribute("class") or "")


def test_the_source_sits_beside_the_translation(served, browser):
    _, url = served
    open_studio(browser, url, "ht/trifold")
    captions = [c.text for c in browser.find_elements(By.TAG_NAME, "figcaption")]
    assert captions[:2] == ["English (source), page 1 of 2", "Kreyòl ayisyen, page 1 of 2"]
    # The tri-fold is wider than tall: its English sits above it, not beside, so that at
    # 1400 px each page gets the column's width and 10 pt type is drawn 12 px high or more
    # (side by side it was about 6 px).
    drawn = browser.execute_script(
        "return [...document.querySelector('.page-row').querySelectorAll('.sheet img')]"
        ".map((i) => [i.getBoundingClientRect().left, i.getBoundingClientRect().width]);"
    )
    assert len(drawn) == 2 and drawn[0][0] == drawn[1][0], drawn
    assert min(width for _, width in drawn) / 11 * 10 / 72 >= 12, drawn  # Letter: 11 in wide
    state = browser.find_element(By.ID, "language-state").text
    total = len([m for m in read_catalog(Path(served[0]) / "locales" / "messages.pot") if m.id])
    assert state.startswith(f"Kreyòl ayisyen: draft: 0 of {total} translations approved")
    started = time.monotonic()
    browser.find_elements(By.CSS_SELECTOR, '.sheet[data-lang="en"] .msg')[0].click()
    assert browser.find_element(By.ID, "m-source").text and time.monotonic() - started < 5


def test_a_placeholder_in_the_hover_card_stays_on_one_line(served, browser):
    """The card wraps the text; "%" on one line and "(number)s" on the next would read as
    "% (number)s", and a translator copying it would break the placeholder."""
    _, url = served
    open_studio(browser, url, "es/card")
    ActionChains(browser).move_to_element(
        box(browser, "Text “%(keyword)s” to %(number)s")
    ).perform()
    tip = browser.find_element(By.ID, "tip")
    wait(browser, lambda d: tip.is_displayed())
    placeholders = browser.execute_script(
        "return [...arguments[0].querySelectorAll('.placeholder')]"
        ".map((s) => [s.textContent, s.getClientRects().length]);",
        tip,
    )
    assert ["%(number)s", 1] in placeholders
    assert all(lines == 1 for _, lines in placeholders), placeholders


@pytest.fixture(scope="module")
def served_arabic(tmp_path_factory):
    yield from serving(copy_scripts_project(tmp_path_factory.mktemp("browser-ar") / "project"))


def tab_stops(driver, lang: str, page: int) -> list[str]:
    """The msgids of a page's texts, in the order the arrow keys visit them."""
    return driver.execute_script(
        "return [...document.querySelectorAll(`.sheet[data-lang='${arguments[0]}']"
        "[data-page='${arguments[1]}'] .msg`)].filter((b) => !b.ariaHidden)"
        ".map((b) => b.dataset.key.split('\\u0004')[1]);",
        lang,
        page,
    )


def test_an_arabic_page_is_edited_right_to_left_and_tabbed_in_reading_order(served_arabic, browser):
    """The editor writes Arabic from the right (in a left-to-right box a line that starts
    with a placeholder shows it split at both ends); Tab starts where a reader does: on the
    cover of the outside (its left panel), and at the top of the inside's right column."""
    _, url = served_arabic
    open_studio(browser, url, "ar/trifold", timeout=60)  # its first rendering, and the English's
    outside, inside = tab_stops(browser, "ar", 1), tab_stops(browser, "ar", 2)
    assert outside[0] == "Human Trafficking", outside[:3]
    assert inside[0] == "What is human trafficking?", inside[:3]
    # The arrow keys follow that order; in Arabic, left is onward.
    box(browser, outside[0], "ar").send_keys(Keys.ARROW_LEFT)
    onward = browser.switch_to.active_element.get_attribute("data-key")
    assert onward.split("\u0004")[1] == outside[1], (onward, outside[:2])
    box(browser, "What is human trafficking?", "ar").click()
    area = wait(browser, lambda d: d.find_element(By.ID, "t0"))
    assert area.get_attribute("dir") == "rtl" and area.get_attribute("lang") == "ar"
    ActionChains(browser).move_to_element(
        box(browser, "In an emergency, call %(number)s.", "ar")
    ).perform()
    tip = browser.find_element(By.ID, "tip")
    wait(browser, lambda d: tip.is_displayed())
    directions = browser.execute_script(
        "return [...arguments[0].querySelectorAll('dd')].map((dd) => dd.dir);", tip
    )
    assert "rtl" in directions and directions[0] == "ltr"  # the English, then the Arabic
    # The placeholder keeps its order inside the Arabic: "%(number)s", not "s(number)%".
    placeholder = tip.find_element(By.CSS_SELECTOR, "dd[dir=rtl] .placeholder")
    assert placeholder.text == "%(number)s" and placeholder.get_attribute("dir") == "ltr"


# ---------------------------------------------------------------- reviewing (issue 21)


def edit_po(root: Path, lang: str, *changes: tuple[str, str]) -> None:
    """Change entries of the catalog on disk in one write, as another program would."""
    po = root / "locales" / lang / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    po.write_text(text, encoding="utf-8")


@contextlib.contextmanager
def announced(url: str, path: str) -> Iterator[None]:
    """Files edited in the block: it ends once the studio's file watcher has told the pages
    (a `changed` event naming `path`), so that a page opened after it hears nothing of the edit
    late and does not take it for one made while it was open."""
    token = url.split("token=")[1]
    events = url.split("?")[0].rstrip("/") + "/api/events"
    request = urllib.request.Request(events, headers={"X-Leaflets-Token": token})
    with urllib.request.urlopen(request, timeout=30) as stream:
        while b"event: hello" not in stream.readline():  # subscribed from here on
            pass
        yield
        event = b""
        for line in stream:
            if line.startswith(b"event:"):
                event = line
            elif event.startswith(b"event: changed") and path.encode() in line:
                return


def marked(driver, selector: str) -> list[str]:
    """The texts of the words a difference marks, read at once (a live update redraws them)."""
    script = "return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent);"
    return driver.execute_script(script, selector)


def status(driver) -> str:
    return driver.find_element(By.ID, "status").text


def test_a_draft_is_found_checked_and_approved_as_it_is(served, browser):
    """A fuzzy entry whose English changed: "Needs checking" finds it, the editor says why and
    shows the English before and now, Alt+A approves it unchanged and the fuzzy mark goes;
    "Has a problem" finds a warning, outlined on the page."""
    root, url = served
    free = "Free. Confidential. 24 hours."
    gratis = read_catalog(root / "locales/es/LC_MESSAGES/messages.po").get(free).string
    with announced(url, "locales/es/LC_MESSAGES/messages.po"):
        edit_po(
            root,
            "es",
            (
                f'msgid "{free}"',
                f'#, fuzzy\n#| msgid "Free and confidential. Open 24 hours."\nmsgid "{free}"',
            ),
            ('msgstr "Llame al"', 'msgstr "Llame al "'),
        )
    open_studio(browser, url)
    wait(browser, lambda d: "1 to check" in d.find_element(By.ID, "language-state").text)
    Select(browser.find_element(By.ID, "filter")).select_by_visible_text("Needs checking")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ALT, "n")
    wait(browser, lambda d: d.find_element(By.ID, "t0").get_attribute("value") == gratis)
    state = browser.find_element(By.ID, "m-state").text
    assert state.startswith("Needs checking because the English changed"), state
    removed, added = marked(browser, "#m-english-before del"), marked(browser, "#m-english-now ins")
    assert "confidential." in removed and "Confidential." in added, (removed, added)
    approve = browser.find_element(By.ID, "approve")
    assert approve.is_enabled() and approve.text == "Approve as it is"
    browser.switch_to.active_element.send_keys(Keys.ALT, "a")
    wait(browser, lambda d: d.find_element(By.ID, "m-state").text.startswith("Approved by"))
    entry = read_catalog(root / "locales/es/LC_MESSAGES/messages.po").get(free)
    assert entry.string == gratis and not entry.fuzzy and not entry.previous_id
    wait(browser, lambda d: "checked the draft" in d.find_element(By.ID, "m-history").text)
    # Its message is kept in the log when the page's update follows.
    wait(browser, lambda d: status(d) == "Page updated.")
    assert "Approved 1 translation" in browser.find_element(By.ID, "log").text

    Select(browser.find_element(By.ID, "filter")).select_by_visible_text("Has a problem")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ALT, "n")
    wait(browser, lambda d: d.find_element(By.ID, "t0").get_attribute("value") == "Llame al ")
    findings = browser.find_element(By.ID, "m-findings").text
    assert "Warning:" in findings and "ends with a space and the English does not" in findings
    # Read in the page at once: a redraw between finding the boxes and reading them would
    # leave stale elements.
    outlined = (
        "return [...document.querySelectorAll('.sheet[data-lang=\"es\"] .msg.has-warning')]"
        ".map((b) => b.dataset.key);"
    )
    wait(browser, lambda d: set(d.execute_script(outlined)) == {"phone label\u0004Call"})


def test_a_conflict_is_shown_and_resolved_both_ways(served, browser):
    root, url = served
    msgid, po = "Free. Confidential. 24 hours.", root / "locales/es/LC_MESSAGES/messages.po"
    original = read_catalog(po).get(msgid).string
    open_studio(browser, url)
    mine, theirs = "Gratis, confidencial, todo el día.", "Gratis y confidencial, día y noche."

    def conflict(start: str) -> None:
        # The page holds the catalog's text first, so that the box opens on it.
        shows = "return view.data.messages.some((m) => m.id === arguments[0] && m.string === arguments[1])"
        wait(browser, lambda d: d.execute_script(shows, msgid, start))
        wait(browser, lambda d: box(d, msgid).click() or True)
        area = browser.find_element(By.ID, "t0")
        area.clear()
        area.send_keys(mine)
        edit_po(root, "es", (f'msgstr "{start}"', f'msgstr "{theirs}"'))
        wait(browser, lambda d: d.find_element(By.ID, "m-conflict").is_displayed())
        assert browser.find_element(By.ID, "t0").get_attribute("value") == mine
        assert "noche." in marked(browser, "#m-theirs ins")
        assert not browser.find_element(By.ID, "approve").is_enabled()
        assert not browser.find_element(By.ID, "save").is_enabled()

    conflict(original)
    browser.find_element(By.ID, "keep-mine").click()
    browser.find_element(By.ID, "save").click()
    wait(browser, lambda d: status(d) == "Page updated.")
    assert read_catalog(po).get(msgid).string == mine

    conflict(mine)
    browser.find_element(By.ID, "take-theirs").click()
    assert browser.find_element(By.ID, "t0").get_attribute("value") == theirs
    browser.find_element(By.ID, "approve").click()
    wait(browser, lambda d: d.find_element(By.ID, "m-state").text.startswith("Approved by"))
    review = (root / "locales/es/review.toml").read_text(encoding="utf-8")
    assert msgid in review
    assert read_catalog(po).get(msgid).string == theirs


def test_a_comment_is_asked_marked_found_and_resolved_from_the_keyboard(served, browser):
    open_studio(browser, url=served[1])
    wait(browser, lambda d: box(d, "Need help?").click() or True)
    area = browser.find_element(By.ID, "m-comment-text")
    area.send_keys("Formal enough? <i>usted</i>")
    area.send_keys(Keys.CONTROL, Keys.ENTER)
    wait(browser, lambda d: d.find_element(By.ID, "status").text == "Comment added.")
    text = browser.find_element(By.CSS_SELECTOR, "#m-threads .comment-text")
    assert text.text == "Formal enough? <i>usted</i>"  # shown as written, never as markup
    assert not browser.find_elements(By.CSS_SELECTOR, "#m-threads i")
    marked = box(browser, "Need help?")
    assert marked.get_attribute("data-comments") == "1"
    assert marked.get_attribute("aria-label").endswith(" — 1 open comment")
    Select(browser.find_element(By.ID, "filter")).select_by_value("comments")
    other = browser.execute_script(
        "return [...document.querySelectorAll(`.sheet[data-lang='es'] .msg`)]"
        ".find((b) => b.tabIndex === 0 && !b.dataset.comments);"
    )
    other.click()
    assert browser.find_element(By.ID, "m-source").text != "Need help?"
    browser.find_element(By.ID, "t0").send_keys(Keys.ESCAPE)
    ActionChains(browser).key_down(Keys.ALT).send_keys("n").key_up(Keys.ALT).perform()
    assert browser.find_element(By.ID, "m-source").text == "Need help?"  # the one with comments
    resolve = "#m-threads .thread .reply button + button"
    wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, resolve).click() or True)
    wait(browser, lambda d: d.find_element(By.ID, "status").text == "Thread resolved.")
    assert box(browser, "Need help?").get_attribute("data-comments") is None
    assert browser.switch_to.active_element == browser.find_element(By.ID, "m-comment-text")


def test_arabic_placeholders_read_in_order_in_the_editor_and_save_as_seen(served_arabic, browser):
    """In the right-to-left box %(number)s is isolated (U+2066 … U+2069) so it shows as
    written, not as ".s(number)%"; the isolates are for display: what is saved is the text."""
    root, url = served_arabic
    msgid = "In an emergency, call %(number)s."
    open_studio(browser, url, "ar/trifold", timeout=60)
    wait(browser, lambda d: box(d, msgid, "ar").click() or True)
    area = browser.find_element(By.ID, "t0")
    shown = area.get_attribute("value")
    assert "\u2066%(number)s\u2069" in shown, ascii(shown)
    # Typing keeps each placeholder isolated, a new one too; the caret stays where it was.
    area.send_keys(Keys.END, " %(number)s")
    shown = area.get_attribute("value")
    assert shown.count("\u2066%(number)s\u2069") == 2, ascii(shown)
    # The space and the new placeholder: its isolates go with it, never deleted on their own.
    area.send_keys(Keys.BACKSPACE * 11)
    area.send_keys(" الآن")
    area.send_keys(Keys.CONTROL, Keys.ENTER)
    wait(browser, lambda d: status(d) == "Page updated.")
    saved = read_catalog(root / "locales/ar/LC_MESSAGES/messages.po").get(msgid).string
    assert saved == "في حالات الطوارئ، اتصل على %(number)s. الآن", ascii(saved)
    assert not any("\u2066" <= c <= "\u2069" for c in saved)


def test_an_organiser_orders_on_a_phone_from_the_keyboard(served, browser):
    """Issue 22: the order form at phone width, filled from the keyboard; a bad quantity is
    refused beside its field, in the command line's words, with focus on it; corrected, the
    order is sent, written as orders/<name>.toml, and listed on the Orders page; built from
    there, its zip downloads whole."""
    root, url = served
    base = url.split("?")[0]
    browser.set_window_size(390, 900)
    try:
        browser.get(base + "orders/new")
        if "not signed in" in browser.page_source:  # run alone: no earlier test signed in
            browser.get(url)
            browser.get(base + "orders/new")
        wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#editions input"))
        unlabelled = browser.execute_script(
            "return [...document.querySelectorAll('input, select, textarea')]"
            ".filter((e) => !e.labels || !e.labels.length).map((e) => e.id);"
        )
        assert unlabelled == []
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
        typed = {
            "f-name": "Harvest fair 2099",
            "f-event": "Harvest fair, Frederiksted",
            "f-event_date": "02142099",  # a date field takes the digits in the locale's order
            "f-need_by": "02072099",
            "f-requested_by.name": "Olu Adé",
            "f-requested_by.phone": "+1 340 719 0144",
        }
        for field, text in typed.items():
            browser.find_element(By.ID, field).send_keys(text)
        quantity = browser.find_element(By.ID, "f-items[0].quantity")
        quantity.send_keys("ten")
        browser.find_element(By.ID, "send").send_keys(Keys.ENTER)
        error = browser.find_element(By.ID, "e-items[0].quantity")
        wait(browser, lambda d: error.text)
        assert "expected a whole number of copies, got 'ten'" in error.text
        assert browser.switch_to.active_element.get_attribute("id") == "f-items[0].quantity"
        assert quantity.get_attribute("aria-invalid") == "true"
        assert not (root / "orders" / "harvest-fair-2099.toml").exists()
        quantity.clear()
        quantity.send_keys("25", Keys.ENTER)
        wait(browser, lambda d: d.find_elements(By.ID, "order-harvest-fair-2099"))
        state = browser.find_element(By.ID, "state-harvest-fair-2099").text
        assert state == "Submitted: waiting for a build"
        written = (root / "orders" / "harvest-fair-2099.toml").read_text(encoding="utf-8")
        assert 'event = "Harvest fair, Frederiksted"' in written and "quantity = 25" in written
        assert "need_by = 2099-02-07" in written
        # The coordinator at the keyboard builds it from the Orders page and downloads the zip.
        card = browser.find_element(By.ID, "order-harvest-fair-2099")
        card.find_element(By.XPATH, ".//button[.='Build the package']").click()
        zip_link = (
            By.XPATH,
            "//section[@id='order-harvest-fair-2099']//a[.='harvest-fair-2099.zip']",
        )
        wait(browser, lambda d: d.find_elements(*zip_link), timeout=120)
        assert browser.find_element(By.ID, "state-harvest-fair-2099").text == "Ready to download"
        check_downloaded_zip(browser, browser.find_element(*zip_link).get_attribute("href"))
    finally:
        browser.set_window_size(1400, 1000)


def check_downloaded_zip(browser, href: str) -> None:
    """The zip as the page's link serves it (with the browser's session cookie): every file
    its manifest lists, each with the manifest's SHA-256, and nothing else."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    with urllib.request.urlopen(urllib.request.Request(href, headers={"Cookie": cookies})) as got:
        archive = zipfile.ZipFile(io.BytesIO(got.read()))
    manifest = json.loads(archive.read("harvest-fair-2099/manifest.json"))
    members = {n.split("/", 1)[1] for n in archive.namelist()} - {"manifest.json"}
    assert members == {entry["path"] for entry in manifest["files"]}
    assert any(path.startswith("proofs/") for path in members) and "ticket.pdf" in members
    for entry in manifest["files"]:
        data = archive.read(f"harvest-fair-2099/{entry['path']}")
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
