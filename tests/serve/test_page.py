"""The page in a real browser (Debian's chromium through /usr/bin/chromedriver).

Uploads a failing report and sees the missing places and the LOGO box; uploads a whole
submission (the real pipeline, OCR of the banner included) and sees the banner read; uses the
banner box; switches language; fits a phone-width screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.browser import chromium

from .conftest import ROOT, Running

WORD = ROOT / "samples" / "word"
SUBMISSION = ROOT / "samples" / "submissions" / "区交通运输局-0505-源头企业安全监管座谈"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium("--window-size=1100,900") as driver:
        yield driver


def _upload(browser: Any, server: Running, paths: list[Path], name: str = "") -> Any:
    """Choose ``paths`` in the page's file box, press 检查, wait for the verdict card."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server.url + "/?lang=zh")
    browser.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in paths))
    if name:
        browser.find_element(By.ID, "sub-name").send_keys(name)
    browser.find_element(By.ID, "check-button").click()
    # the progress line shows while the upload and the checks run
    assert browser.find_element(By.ID, "progress").is_displayed() or browser.find_elements(
        By.CSS_SELECTOR, "#result .verdict"
    )
    return WebDriverWait(browser, 600).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "#result .verdict"))
    )


def test_failing_report_shows_missing_places_and_logo_box(browser: Any, server: Running) -> None:
    from selenium.webdriver.common.by import By

    card = _upload(browser, server, [WORD / "r030-all-false-big-normal.docx"])
    assert "fail" in card.get_attribute("class")
    assert card.find_element(By.TAG_NAME, "h2").text.startswith("r030-all-false-big-normal.docx")
    missing = [
        e.get_attribute("class") for e in card.find_elements(By.CSS_SELECTOR, "dd.place.missing")
    ]
    assert sorted(c.split()[1] for c in missing) == [
        "place-body",
        "place-ending",
        "place-lead",
        "place-title",
    ]
    assert "缺少关键字“政务公开主题日”" in card.find_element(By.CSS_SELECTOR, "dd.place-title").text
    rules = [
        li.get_attribute("data-rule")
        for li in card.find_elements(By.CSS_SELECTOR, "ul.findings li")
    ]
    assert rules == ["GK101", "GK102", "GK103", "GK104"]
    first = card.find_element(By.CSS_SELECTOR, "ul.findings li")
    assert "建议：" in first.text
    link = first.find_element(By.CSS_SELECTOR, "a.rule-link").get_attribute("href")
    assert link.startswith(server.url + "/rules/GK101")
    box = card.find_element(By.CSS_SELECTOR, ".ph .logo-box")
    img = card.find_element(By.CSS_SELECTOR, ".ph img")
    assert box.size["width"] > 2 and box.size["height"] > 2
    assert box.location["x"] >= img.location["x"] - 2
    assert box.location["x"] + box.size["width"] <= img.location["x"] + img.size["width"] + 2
    assert "含LOGO" in card.find_element(By.CSS_SELECTOR, "figcaption").text
    # nothing is loaded from elsewhere
    assert (
        browser.execute_script(
            "return Array.from(document.querySelectorAll('[src],[href]'))"
            ".filter(e => /^(https?:)?\\/\\//.test(e.getAttribute('src') || e.getAttribute('href'))"
            " && !(e.getAttribute('src') || e.getAttribute('href')).startsWith(location.origin)).length"
        )
        == 0
    )
    # the rule page opens locally
    browser.get(link)
    assert "GK101" in browser.find_element(By.TAG_NAME, "h2").text
    assert server.leftovers() == []


def test_whole_submission_through_ocr_shows_banner_and_deadlines(
    browser: Any, server: Running
) -> None:
    from selenium.webdriver.common.by import By

    files = sorted(p for p in SUBMISSION.iterdir() if p.is_file())
    card = _upload(browser, server, files, name=SUBMISSION.name)
    assert card.get_attribute("data-name") == SUBMISSION.name
    read = card.find_element(By.CSS_SELECTOR, "dd.banner-read").text
    assert "政务公开主题日" in read and "符合规定格式" in read
    assert card.find_elements(By.CSS_SELECTOR, "dl.dates dd")
    missing = {
        e.get_attribute("class").split()[1]
        for e in card.find_elements(By.CSS_SELECTOR, "dd.place.missing")
    }
    assert {"place-lead", "place-body", "place-ending"} <= missing
    assert card.find_elements(By.CSS_SELECTOR, ".ph .logo-box")
    assert server.leftovers() == []


def test_banner_box_gives_the_corrected_text(browser: Any, server: Running) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server.url + "/?lang=zh")
    box = browser.find_element(By.ID, "banner-text")
    box.send_keys("区教育局2022年政务公开主题日活动")
    browser.find_element(By.ID, "banner-button").click()
    fixed = WebDriverWait(browser, 60).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#banner-result .banner-expected")
    )
    assert fixed[0].text == "应为：区教育局2023年“政务公开主题日”活动"
    assert (
        browser.find_element(By.CSS_SELECTOR, "#banner-result .banner-bad").text == "不符合规定格式"
    )
    box.clear()
    box.send_keys("区教育局2023年“政务公开主题日”活动")
    browser.find_element(By.ID, "banner-button").click()
    ok = WebDriverWait(browser, 60).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#banner-result .banner-ok")
    )
    assert ok[0].text == "符合规定格式"


def test_english_switch_and_phone_width(browser: Any, server: Running) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    browser.find_element(By.ID, "lang-switch").click()
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert browser.find_element(By.ID, "check-button").text == "Check"
    browser.get(server.url + "/")  # the choice is remembered
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    browser.get(server.url + "/?lang=zh")
    browser.set_window_size(390, 844)
    try:
        card = _upload(browser, server, [WORD / "r030-all-false-big-normal.docx"])
        assert card.is_displayed()
        width = browser.execute_script("return document.documentElement.scrollWidth")
        inner = browser.execute_script("return window.innerWidth")
        assert width <= inner, f"the page is {width}px wide on a {inner}px screen"
    finally:
        browser.set_window_size(1100, 900)
