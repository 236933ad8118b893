"""Fixtures for the reviewer's workflow: a batch folder made of real samples, in tmp."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.conftest import SAMPLES

#: A real submission that fails exactly one error rule (GK104: the ending says 政务公开日).
FAILING = "区医保局-0503-走流程解难题优服务"
#: A loose news report that passes.
PASSING = "区税务分局-税费服务体验行-新闻稿.docx"


@pytest.fixture
def batch_root(tmp_path: Path) -> Path:
    """A batch folder holding the failing submission (folders only: a batch root)."""
    root = tmp_path / "报送材料"
    root.mkdir()
    shutil.copytree(SAMPLES / "submissions" / FAILING, root / FAILING)
    return root
