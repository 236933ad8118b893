"""Shared fixtures: the committed samples and a default engine."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # so tests can import samples.gen generators


_CACHE: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    """The suite's own cache directory (the LOGO detector's clutter store,
    ``vision/logo/clutter_store.py``), for this process and the commands it runs: a test
    never writes to, nor reads from, the user's ``~/.cache``."""
    _CACHE.append(tempfile.mkdtemp(prefix="gkcheck-test-cache-"))
    os.environ["GKCHECK_CACHE_DIR"] = _CACHE[0]


def pytest_unconfigure(config: pytest.Config) -> None:
    for d in _CACHE:
        shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="session")
def samples() -> Path:
    """The committed samples folder."""
    return SAMPLES


@pytest.fixture(scope="session")
def engine():  # type: ignore[no-untyped-def]
    """An engine with the notice's defaults and no third-party plugins."""
    from gkcheck.api import engine_for
    from gkcheck.config import Config

    return engine_for(Config(), lang="zh", plugins=False)
