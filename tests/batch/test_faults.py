"""A hang or a crash in one submission costs that submission a GK000, never the batch."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from gkcheck.batch.runner import BatchOptions, BatchReport, run_batch
from gkcheck.config import Config


def test_hang_crash_and_raise_become_findings(tmp_path: Path) -> None:
    src = tmp_path / "in"
    good = "区教育局-0418-小升初招生政策解读"
    (src / good).mkdir(parents=True)
    shutil.copy(
        Path(__file__).parents[2] / "samples" / "word" / "r005-all-true-style-title.docx",
        src / good / "新闻稿.docx",
    )
    for name in ("HANG-卡住", "CRASH-崩溃", "RAISE-出错"):
        (src / name).mkdir()
        (src / name / "说明.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "out"

    def run(jobs: int) -> BatchReport:
        opts = BatchOptions(
            root=src,
            out=out,
            config=Config(ocr=False),
            jobs=jobs,
            timeout=30.0,
            plugins=False,
            progress=False,
            checker="batch.faults:check",
        )
        return run_batch(opts)

    start = time.monotonic()
    report = run(2)
    took = time.monotonic() - start
    log = (out / "batch.log").read_text(encoding="utf-8", errors="replace")[-3000:]
    assert took < 150, (took, log)  # the hang is cut at its deadline, not waited out
    assert (report.total, report.timeouts, report.crashes) == (4, 1, 2), (report, log)
    results = {
        Path(r["path"]).name: r
        for r in json.loads((out / "results.json").read_text(encoding="utf-8"))["results"]
    }
    reason = {
        k: [f["evidence"].get("reason") for f in r["findings"] if f["rule"] == "GK000"]
        for k, r in results.items()
    }
    assert reason["HANG-卡住"] == ["timeout"]
    assert reason["CRASH-崩溃"] == ["crash"]
    assert reason["RAISE-出错"] == ["crash"]
    assert "超时" in results["HANG-卡住"]["findings"][0]["message"]
    assert "GK101" not in {f["rule"] for f in results[good]["findings"]}  # the batch went on
    # a timeout is retried when the limit is raised, not otherwise
    again = run(1)
    assert again.checked == 0
