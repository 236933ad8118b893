"""Fixtures for the batch tests: copies of the committed sample submissions and one shared run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "submissions"


def copy_samples(dest: Path, names: list[str] | None = None) -> Path:
    """A private copy of samples/submissions (or of some of its entries)."""
    dest.mkdir(parents=True, exist_ok=True)
    for entry in sorted(SAMPLES.iterdir()):
        if entry.name.startswith(".") or (names is not None and entry.name not in names):
            continue
        if entry.is_dir():
            shutil.copytree(entry, dest / entry.name)
        else:
            shutil.copy2(entry, dest / entry.name)
    return dest


def run_cli(*args: str | Path, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """``python -m gkcheck ARGS`` in a fresh process, as a user runs it."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "tests") + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    return subprocess.run(
        [sys.executable, "-m", "gkcheck", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Every complete line of a results.jsonl."""
    if not path.exists():
        return []
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


@pytest.fixture(scope="session")
def truth() -> list[dict[str, Any]]:
    """What the generator put into each sample submission."""
    data: list[dict[str, Any]] = json.loads((SAMPLES / ".truth.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One batch run over a copy of the samples (no OCR, two jobs), shared by the output tests."""
    base = tmp_path_factory.mktemp("sample-run")
    src = copy_samples(base / "in")
    out = base / "out"
    proc = run_cli("batch", src, "--out", out, "--no-ocr", "--jobs", "2", "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    yield {"in": src, "out": out, "summary": json.loads(proc.stdout), "proc": proc}
