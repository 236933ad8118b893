"""An engine running only the schedule rules (GK4xx–GK6xx), OCR off: fast and deterministic."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from gkcheck.api import engine_for
from gkcheck.config import Config

if TYPE_CHECKING:
    from gkcheck.engine import Engine

SELECT = ("GK4", "GK5", "GK6")


def schedule_config(**changes: object) -> Config:
    """The notice's defaults, only the schedule rules, no OCR."""
    return Config(select=SELECT, ocr=False).replace(**changes)


@pytest.fixture(scope="session")
def sched_engine() -> Engine:
    """Engine for the schedule rules, Chinese messages."""
    return engine_for(schedule_config(), lang="zh", plugins=False)
