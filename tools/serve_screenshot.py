"""Take docs/img/serve-page.png: the page after checking a failing sample, in headless chromium.

    python tools/serve_screenshot.py [--width 1000] [--out docs/img/serve-page.png]

Starts a server on 127.0.0.1 (a free port), uploads samples/word/r030-all-false-big-normal.docx,
checks a wrong banner text in the banner box, and saves a full-page screenshot.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--width", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "serve-page.png")
    parser.add_argument(
        "--sample", type=Path, default=ROOT / "samples/word/r030-all-false-big-normal.docx"
    )
    args = parser.parse_args()

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait
    from tests.serve.conftest import running

    from gkcheck.serve.settings import Settings

    profile = tempfile.mkdtemp(prefix="gkcheck-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or "chromium"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
    ):
        opts.add_argument(flag)
    driver = webdriver.Chrome(
        service=Service(executable_path="/usr/bin/chromedriver"), options=opts
    )
    try:
        with running(Settings(workers=1, queue=1, plugins=False)) as server:
            driver.set_window_size(args.width, 900)
            driver.get(server.url + "/?lang=zh")
            driver.find_element(By.ID, "banner-text").send_keys("区教育局2022年政务公开主题日活动")
            driver.find_element(By.ID, "banner-button").click()
            WebDriverWait(driver, 60).until(
                ec.presence_of_element_located((By.CSS_SELECTOR, "#banner-result .banner-expected"))
            )
            driver.find_element(By.ID, "files").send_keys(str(args.sample.resolve()))
            driver.find_element(By.ID, "check-button").click()
            WebDriverWait(driver, 600).until(
                ec.presence_of_element_located((By.CSS_SELECTOR, "#result .verdict"))
            )
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(args.width, int(height) + 20)
            driver.execute_script("window.scrollTo(0, 0)")
            args.out.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(args.out))
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
