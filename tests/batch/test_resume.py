"""Nothing lost, nothing redone: a killed batch resumes; a re-run checks only what changed."""

from __future__ import annotations

import collections
import os
import shutil
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

from .conftest import copy_samples, read_jsonl, run_cli

if TYPE_CHECKING:
    from pathlib import Path


def _counts(out: Path) -> collections.Counter[str]:
    return collections.Counter(line["key"] for line in read_jsonl(out / "results.jsonl"))


def test_interrupted_batch_resumes_and_rechecks_only_changes(tmp_path: Path) -> None:
    src = copy_samples(tmp_path / "in")
    for extra in sorted(src.iterdir())[10:]:  # ten submissions, light: no loose photos
        extra.unlink() if extra.is_file() else shutil.rmtree(extra)
    for photo in src.rglob("*.jpg"):
        photo.unlink()
    keys = sorted(p.name for p in src.iterdir())
    assert len(keys) == 10
    out = tmp_path / "out"
    args = [
        sys.executable,
        "-m",
        "gkcheck",
        "batch",
        str(src),
        "--out",
        str(out),
        "--jobs",
        "1",
        "--no-ocr",
    ]
    proc = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and sum(_counts(out).values()) < 2:
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the batch and its worker, as a power cut would
        proc.wait(timeout=10)
    first = _counts(out)
    assert 2 <= sum(first.values()) < len(keys), "the kill came too late to test resuming"
    assert not (out / "results.json").exists()

    # resume: the rest is checked, nothing twice
    done = run_cli("batch", src, "--out", out, "--jobs", "1", "--no-ocr", "--format", "json")
    assert done.returncode == 1, done.stderr
    second = _counts(out)
    assert sorted(second) == keys
    assert set(second.values()) == {1}, second
    lines = read_jsonl(out / "results.jsonl")
    assert len({line["run"] for line in lines}) == 2
    assert all(line["checked_at"] for line in lines)

    # nothing changed: nothing re-checked (a mere touch changes no content)
    os.utime(src / keys[0], None)
    for p in (src / keys[0]).rglob("*"):
        os.utime(p, None)
    again = run_cli("batch", src, "--out", out, "--jobs", "1", "--no-ocr", "--format", "json")
    assert again.returncode == 1
    assert _counts(out) == second
    assert '"checked": 0' in again.stdout

    # one file's content changes: only its submission is re-checked
    target = next(p for p in sorted(src.iterdir()) if p.is_dir())
    toml = target / "submission.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "# 补充说明\n", encoding="utf-8")
    third = run_cli("batch", src, "--out", out, "--jobs", "1", "--no-ocr", "--format", "json")
    assert third.returncode == 1, third.stderr
    after = _counts(out)
    assert after - second == collections.Counter({target.name: 1})
    assert '"checked": 1' in third.stdout
