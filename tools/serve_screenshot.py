"""Take docs/img/serve-page.png: the page after checking a failing sample, in headless chromium.

    python tools/serve_screenshot.py [--width 1000] [--out docs/img/serve-page.png]

Starts a server on 127.0.0.1 (a free port), uploads samples/word/r030-all-false-big-normal.docx,
checks a wrong banner text in the banner box, and saves a full-page screenshot (256 colours).
"""

from __future__ import annotations

import argparse
import sys
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

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait
    from tests.browser import chromium
    from tests.serve.conftest import running

    from gkcheck.serve.settings import Settings

    with (
        chromium("--hide-scrollbars") as driver,
        running(Settings(workers=1, queue=1, plugins=False)) as server,
    ):
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
    from PIL import Image  # 256 colours keep the PNG small enough to commit

    with Image.open(args.out) as im:
        small = im.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    small.save(args.out, optimize=True)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
