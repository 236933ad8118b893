"""Debian's headless chromium driven through /usr/bin/chromedriver, for the page tests.

Never lets selenium-manager download a browser (no network beyond the registries); skips the
calling test when chromium or chromedriver is not installed (scripts/install-browser.sh).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMEDRIVER = "/usr/bin/chromedriver"


@contextlib.contextmanager
def chromium(*flags: str) -> Iterator[Any]:
    """A headless chromium with a private profile, quit and removed afterwards."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None or not Path(CHROMEDRIVER).exists():
        pytest.skip("chromium/chromedriver not installed (run scripts/install-browser.sh)")
    profile = tempfile.mkdtemp(prefix="gkcheck-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        f"--user-data-dir={profile}",
        *flags,
    ):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
