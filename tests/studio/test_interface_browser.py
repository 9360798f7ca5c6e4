"""The studio's interface in the reviewer's language, in a real browser: choosing Spanish in the
header shows the pages and the scripts' words in Spanish, and the choice is remembered."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.studio.test_browser import browser, open_studio, served, wait  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_a_reviewer_chooses_spanish_and_the_studio_speaks_it(served, browser):  # noqa: F811
    _, url = served
    open_studio(browser, url)
    html = browser.find_element(By.TAG_NAME, "html")
    assert html.get_attribute("lang") == "en"
    assert browser.find_elements(By.CLASS_NAME, "ui-draft") == []
    Select(browser.find_element(By.ID, "ui-lang")).select_by_value("es")
    wait(browser, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es")
    wait(browser, lambda d: "borrador:" in d.find_element(By.ID, "language-state").text)
    assert browser.find_element(By.CSS_SELECTOR, "label[for=ui-lang]").text == "Idioma del estudio"
    assert browser.find_element(By.ID, "save").get_attribute("textContent") == "Guardar"
    filters = [o.text for o in Select(browser.find_element(By.ID, "filter")).options]
    assert "Todos los textos" in filters  # a script's words, from the page's message table
    note = browser.find_element(By.CLASS_NAME, "ui-draft").text
    assert note == "Traducción de la interfaz: borrador, pendiente de revisión"
    # Remembered: the Orders page opens in Spanish too; then back to English for what follows.
    browser.get(url.split("?")[0] + "orders")
    wait(browser, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Pedidos")
    Select(browser.find_element(By.ID, "ui-lang")).select_by_value("en")
    wait(browser, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
