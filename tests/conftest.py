"""Shared fixtures: the committed samples and a default engine."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # so tests can import samples.gen generators


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
