"""The browse page in a real browser: headless Chromium from Debian's packages, driven through chromedriver.

`make test` installs chromium and chromium-driver when they are missing and it runs as root (as on CI). Without
them the tests are skipped, except on CI (CI=true), where a missing browser is a failure.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

from pipeline.search import fts_query, matches
from tests.test_browse_page import INJECTION, MEETINGS, SYNTHETIC_ROWS, synthetic_schema

pytestmark = pytest.mark.slow  # drives headless Chromium

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
WINDOW_SIZE = (1280, 900)
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size={},{}".format(*WINDOW_SIZE)]


def norm(text: str) -> str:
    """What the page searches: lower case, ё read as е."""
    return text.lower().replace("ё", "е")


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    if not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()):
        message = f"needs {CHROMIUM} and {CHROMEDRIVER} (Debian's chromium and chromium-driver: `make browser` as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    # An explicit driver path: Selenium Manager is never asked to find or download anything.
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    browser.set_page_load_timeout(30)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def release_page(release_zip):
    folder = release_zip.with_suffix("")
    rows = json.loads((folder / "recommendations.json").read_text(encoding="utf-8"))
    return (folder / "index.html").as_uri(), rows


def open_page(driver, url: str):
    driver.get("about:blank")  # a real navigation every time, even when only the fragment differs
    driver.get(url)
    driver.find_element("id", "count")


def visible_ids(driver) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('article.rec')).filter(e => !e.hidden).map(e => e.id);")


def count_text(driver) -> str:
    return driver.find_element("id", "count").text


def click_filter(driver, column: str, value: str):
    button = driver.find_element("css selector", f'fieldset[data-column="{column}"] button[data-value="{value}"]')
    button.click()
    assert button.get_attribute("aria-pressed") == "true"


def search(driver, text: str):
    box = driver.find_element("id", "q")
    box.send_keys(text)


def test_page_lists_every_recommendation_with_its_meeting_and_id(driver, release_page):
    url, rows = release_page
    open_page(driver, url)
    assert count_text(driver) == f"Showing {len(rows)} of {len(rows)} units"
    assert visible_ids(driver) == [row["id"] for row in rows]
    first = driver.find_element("id", "1.1")
    assert first.find_element("css selector", "a.pid").text == "1.1"
    assert "meeting I · 2012" in first.text
    assert driver.find_element("id", "5.2.g").find_element("css selector", "a.up").text == "part of 5.2"


def test_search_ignores_case_and_reads_yo_as_ye_and_highlights_matches(driver, release_page):
    url, rows = release_page
    open_page(driver, url)
    search(driver, "С УЧЁТОМ")  # the text writes «с учетом»
    expected = [row["id"] for row in rows if matches(row["text"], "С УЧЁТОМ")]
    assert len(expected) >= 3
    assert visible_ids(driver) == expected
    assert count_text(driver) == f"Showing {len(expected)} of {len(rows)} units"
    marks = driver.find_elements("css selector", f'article[id="{expected[0]}"] mark')
    assert any(norm(mark.text) == "учетом" for mark in marks)


def test_filters_by_meeting_and_kind_combine_with_the_search(driver, release_page):
    url, rows = release_page
    open_page(driver, url)
    click_filter(driver, "meeting", "5")
    click_filter(driver, "kind", "subparagraph")
    in_filter = [row for row in rows if row["meeting"] == 5 and row["kind"] == "subparagraph"]
    assert visible_ids(driver) == [row["id"] for row in in_filter]
    assert count_text(driver) == f"Showing {len(in_filter)} of {len(rows)} units"
    search(driver, "протокол")
    expected = [row["id"] for row in in_filter if matches(row["text"], "протокол")]
    assert 0 < len(expected) < len(in_filter)
    assert visible_ids(driver) == expected
    assert count_text(driver) == f"Showing {len(expected)} of {len(rows)} units"
    driver.find_element("id", "clear").click()
    assert count_text(driver) == f"Showing {len(rows)} of {len(rows)} units"


def test_permalink_scrolls_to_the_recommendation_and_highlights_it(driver, release_page, tmp_path_factory):
    url, rows = release_page
    open_page(driver, url + "#5.2.g")
    target = driver.find_element("id", "5.2.g")
    assert "target" in target.get_attribute("class").split()
    # in the viewport, and below the sticky search bar rather than under it
    assert driver.execute_script(
        "const r = arguments[0].getBoundingClientRect(), bar = document.querySelector('.controls');"
        "return r.top >= bar.getBoundingClientRect().bottom && r.bottom <= window.innerHeight;", target)
    assert driver.execute_script("return window.scrollY") > 0
    assert driver.find_elements("css selector", "article.target") == [target]
    screenshot = tmp_path_factory.mktemp("screenshots") / "browse-permalink-5.2.g.png"
    assert driver.save_screenshot(str(screenshot))
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"screenshot: {screenshot}")


def test_permalink_to_a_row_hidden_by_the_search_clears_the_search_and_moves_the_highlight(driver, release_page):
    url, rows = release_page
    open_page(driver, url + "#1.1")
    search(driver, "секретариат")
    assert "5.2.g" not in visible_ids(driver)
    assert not driver.find_element("id", "5.2.g").is_displayed()
    driver.execute_script("location.hash = '#5.2.g';")
    target = driver.find_element("id", "5.2.g")
    assert target.is_displayed() and "target" in target.get_attribute("class").split()
    assert "target" not in driver.find_element("id", "1.1").get_attribute("class").split()
    assert driver.find_element("id", "q").get_attribute("value") == ""
    assert count_text(driver) == f"Showing {len(rows)} of {len(rows)} units"


def test_enum_columns_added_later_get_working_filters_and_text_is_never_markup(driver, tmp_path):
    from pipeline.release.browse import render_page

    page = tmp_path / "index.html"
    page.write_text(render_page(synthetic_schema(True), SYNTHETIC_ROWS, MEETINGS, title="Synthetic"), encoding="utf-8")
    open_page(driver, page.as_uri())
    assert [e.get_attribute("data-column") for e in driver.find_elements("css selector", "fieldset.filter")] == [
        "meeting", "kind", "addressee", "modality"]
    click_filter(driver, "addressee", "secretariat")
    assert visible_ids(driver) == ["1.2", "1.2.a"]
    click_filter(driver, "modality", "should")
    assert visible_ids(driver) == ["1.2", "1.2.a"]
    click_filter(driver, "addressee", "states_parties")
    assert visible_ids(driver) == ["1.1", "1.2", "1.2.a"]
    assert count_text(driver) == "Showing 3 of 4 units"
    assert driver.find_element("css selector", 'article[id="1.2.a"] p.text').text == INJECTION
    assert driver.execute_script("return window.injected === undefined")
    assert driver.find_elements("css selector", "img, b") == []
    search(driver, "всё")
    assert visible_ids(driver) == ["1.1"]
    driver.find_element("id", "clear").click()
    search(driver, "ВСЁ")
    assert visible_ids(driver) == ["1.1"]


def test_theme_filter_shows_the_units_with_any_selected_theme_and_each_unit_shows_its_themes(driver, release_page):
    url, rows = release_page
    open_page(driver, url)
    click_filter(driver, "themes", "smuggling_by_sea")
    at_sea = [row["id"] for row in rows if "smuggling_by_sea" in row["themes"]]
    assert len(at_sea) >= 5 and visible_ids(driver) == at_sea
    click_filter(driver, "themes", "return")
    either = [row["id"] for row in rows if {"smuggling_by_sea", "return"} & set(row["themes"])]
    assert visible_ids(driver) == either
    assert count_text(driver) == f"Showing {len(either)} of {len(rows)} units"
    assert "Smuggling by sea" in driver.find_element("id", "2.8.d").find_element("css selector", ".meta").text


# One search: the page finds what the database finds


def database_ids(built, query: str) -> list[str]:
    import sqlite3

    with sqlite3.connect(built / "wg-som-recommendations.sqlite") as db:
        return [rid for (rid,) in db.execute(
            "SELECT r.id FROM recommendations_fts AS f JOIN recommendations AS r ON r.rowid = f.rowid "
            "WHERE recommendations_fts MATCH ? ORDER BY r.seq", [fts_query(query)])]


def test_for_russian_words_the_page_finds_the_units_the_database_finds(driver, release_page, built):
    url, rows = release_page
    open_page(driver, url)
    words = sorted({word for row in rows for word in row["text"].lower().split() if word.isalpha()})
    queries = ["жертва", "права мигрантов", "прав мигрантов", "мигрантами", "С УЧЁТОМ", "морем", "ещё",
               "незаконного ввоза", *words[::97]]
    for query in queries:
        driver.find_element("id", "clear").click()
        search(driver, query)
        expected = database_ids(built, query)
        assert visible_ids(driver) == expected, query
        assert expected == [row["id"] for row in rows if matches(row["text"], query)], query
    driver.find_element("id", "clear").click()
    search(driver, "прав мигрантов")
    assert not any("правоохранит" in norm(mark.text) for mark in driver.find_elements("css selector", "mark"))


def test_a_search_that_finds_nothing_says_the_texts_are_russian_and_offers_the_english_labels(driver, release_page):
    url, rows = release_page
    open_page(driver, url)
    search(driver, "smuggling by sea")
    assert visible_ids(driver) == []
    note = driver.find_element("id", "russian")
    assert note.is_displayed() and "The texts are in Russian" in note.text
    driver.find_element("id", "labelsearch").click()
    at_sea = [row["id"] for row in rows if "smuggling_by_sea" in row["themes"]]
    assert visible_ids(driver) == at_sea and at_sea
    assert count_text(driver).startswith(f"Showing {len(at_sea)} of {len(rows)} units whose English labels have")


def test_filter_counts_follow_the_search(driver, release_page):
    url, rows = release_page
    open_page(driver, url)
    search(driver, "мигрант")
    found = [row for row in rows if matches(row["text"], "мигрант")]
    button = driver.find_element("css selector", 'fieldset[data-column="meeting"] button[data-value="1"] .n')
    assert button.text == str(sum(row["meeting"] == 1 for row in found)) != str(sum(r["meeting"] == 1 for r in rows))


# Layout on a phone and on a wide screen


@pytest.fixture
def window(driver):
    """Resize the browser window for one test, and give the shared driver back at its usual size."""

    def resize(width: int, height: int):
        driver.set_window_size(width, height)
        assert driver.execute_script("return window.innerWidth") == width

    yield resize
    driver.set_window_size(*WINDOW_SIZE)


def viewport_box(driver, element) -> dict:
    """The element's box, the viewport's size and whether the box lies wholly inside the viewport."""
    return driver.execute_script(
        "const r = arguments[0].getBoundingClientRect(), w = window.innerWidth, h = window.innerHeight;"
        "return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: w, height: h,"
        "        inside: r.top >= 0 && r.left >= 0 && r.bottom <= h && r.right <= w && r.height > 0};", element)


def screenshot(driver, tmp_path_factory, name: str):
    path = tmp_path_factory.mktemp("screenshots") / name
    assert driver.save_screenshot(str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"screenshot: {path}")


def filter_button(driver, column: str, value: str):
    return driver.find_element("css selector", f'fieldset[data-column="{column}"] button[data-value="{value}"]')


def test_on_a_phone_the_first_recommendation_and_the_search_box_show_above_the_fold_and_filters_fold_away(
        driver, release_page, window, tmp_path_factory):
    url, rows = release_page
    window(390, 844)
    open_page(driver, url)
    screenshot(driver, tmp_path_factory, "browse-390.png")
    first_text = driver.find_element("css selector", "article.rec p.text")
    assert first_text.text == rows[0]["text"]
    assert viewport_box(driver, first_text)["inside"], viewport_box(driver, first_text)
    search_box = driver.find_element("id", "q")
    assert search_box.is_displayed() and viewport_box(driver, search_box)["inside"]
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 390
    filters = driver.find_element("id", "filterbox")
    assert filters.get_attribute("open") is None
    assert not filter_button(driver, "addressee", "secretariat").is_displayed()
    toggle = driver.find_element("css selector", "#filterbox > summary")
    assert toggle.is_displayed() and viewport_box(driver, toggle)["inside"]
    toggle.click()
    assert filters.get_attribute("open") is not None
    button = filter_button(driver, "addressee", "secretariat")
    assert button.is_displayed()
    button.click()
    expected = [row["id"] for row in rows if row["addressee"] == "secretariat"]
    assert visible_ids(driver) == expected
    assert toggle.text == "Filters (1 selected)"
    screenshot(driver, tmp_path_factory, "browse-390-filters-open.png")
    toggle.click()
    assert filters.get_attribute("open") is None and not button.is_displayed()
    assert visible_ids(driver) == expected


def test_on_a_wide_screen_the_filters_stand_open_beside_the_list(driver, release_page, window, tmp_path_factory):
    url, rows = release_page
    window(1280, 900)
    open_page(driver, url)
    screenshot(driver, tmp_path_factory, "browse-1280.png")
    assert driver.find_element("id", "filterbox").get_attribute("open") is not None
    first_meeting = filter_button(driver, "meeting", "1")
    assert first_meeting.is_displayed() and viewport_box(driver, first_meeting)["inside"]
    first_text = driver.find_element("css selector", "article.rec p.text")
    assert viewport_box(driver, first_text)["inside"]
    assert viewport_box(driver, driver.find_element("id", "q"))["inside"]
    aside, main = (driver.find_element("css selector", selector) for selector in ("aside.filters", "main"))
    assert viewport_box(driver, aside)["right"] <= viewport_box(driver, main)["left"]


def test_filter_buttons_and_tags_show_words_with_the_code_in_their_title(driver, release_page, rules):

    url, rows = release_page
    open_page(driver, url)
    for label in rules.labels:
        button = filter_button(driver, label.field, label.label)
        assert button.text.rsplit(" ", 1)[0] == label.short
        assert button.get_attribute("title") == f"{label.label}: {label.meaning}"
    shorts = {(label.field, label.label): label.short for label in rules.labels}
    tags = {tag.text: tag.get_attribute("title")
            for tag in driver.find_element("id", rows[0]["id"]).find_elements("css selector", ".tag")}
    for field in ("addressee", "modality"):
        code = rows[0][field]
        assert tags[shorts[field, code]].startswith(f"{field.capitalize()}: {code}: ")
    assert tags["Paragraph"] == "Kind: paragraph: A numbered paragraph without subparagraphs"
