"""Benchmark ``gkcheck batch``: 200 generated submissions, 1 job vs 2 jobs, in one run.

    .venv/bin/python benchmarks/batch.py [--count 200] [--seed 3] [--ocr] [--work /tmp/gkcheck-bench-batch]

Generates the submissions once (kept in ``--work`` and reused while count and seed match),
then runs ``python -m gkcheck batch`` into a fresh output folder with ``--jobs 1`` and with
``--jobs 2``, prints both wall times and the speed-up, and confirms that every submission is
accounted for in results.jsonl, results.json, summary.xlsx and report.html of both runs.
``--scheduler`` instead compares local ``--jobs 2`` with ``--scheduler`` on a ``LocalCluster`` of 2
single-threaded worker processes on the same cores (the overhead ratio; target <= 1.5x), checks
that every verdict is the same, and prints the bytes each submission ships.
OCR is off unless ``--ocr`` (the generated reports are Word files; OCR would only read banners
in photos). Target: a speed-up of at least 1.7 with 2 jobs on 2 cores.

``--scheduler --count 100`` on the 2 shared cores (load average 13-17, OCR off): local
``--jobs 2`` 31.4 s vs LocalCluster 2 workers 40.8 s = 1.30x, same verdicts, 0.22 MB shipped
per submission on average (max 0.31 MB).

Measured on an idle 2-core machine: 200 submissions 75.6 s (1 job) vs 39.8 s (2 jobs) = 1.90x
(earlier runs 1.76x, 1.78x); with ``--ocr``, 30 submissions 148.4 s vs 82.1 s = 1.81x. Before
each worker's OCR was held to one thread, that ``--ocr`` run gave 0.96x (109.9 s vs 115.0 s):
onnxruntime's default thread pool in each of 2 workers oversubscribed the cores.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "samples"))


def _generate(work: Path, count: int, seed: int) -> Path:
    from gen.submissions import TRUTH, generate_submissions

    src = work / "in"
    stamp = work / "generated.json"
    want = {"count": count, "seed": seed}
    if src.is_dir() and stamp.is_file() and json.loads(stamp.read_text()) == want:
        print(f"reusing {count} submissions in {src}")
        return src
    t0 = time.perf_counter()
    generate_submissions(src, seed=seed, count=count)
    stamp.write_text(json.dumps(want))
    n = len(json.loads((src / TRUTH).read_text(encoding="utf-8")))
    print(f"generated {n} submissions in {src} ({time.perf_counter() - t0:.0f} s)")
    return src


def _run(
    src: Path, out: Path, jobs: int, ocr: bool, scheduler: str | None = None
) -> tuple[float, dict[str, Any]]:
    if out.exists():
        shutil.rmtree(out)
    cmd = [
        sys.executable,
        "-m",
        "gkcheck",
        "batch",
        str(src),
        "--out",
        str(out),
        "--jobs",
        str(jobs),
        "--format",
        "json",
        "--no-progress",
    ]
    if not ocr:
        cmd.append("--no-ocr")
    if scheduler:
        cmd += ["--scheduler", scheduler]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"gkcheck batch failed ({proc.returncode}):\n{proc.stderr}")
    return wall, json.loads(proc.stdout)


def _accounted(src: Path, out: Path) -> list[str]:
    """Problems with the outputs: every submission must appear in each of them exactly once."""
    from openpyxl import load_workbook

    names = sorted(p.name for p in src.iterdir() if not p.name.startswith("."))
    problems: list[str] = []
    lines = [
        json.loads(x)
        for x in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
        if x.strip()
    ]
    keys = [x["key"] for x in lines]
    if sorted(keys) != names:
        problems.append(f"results.jsonl: {len(keys)} lines for {len(names)} submissions")
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    got = sorted(Path(r["path"]).name for r in data["results"])
    if got != names:
        problems.append(f"results.json: {len(got)} results for {len(names)} submissions")
    ws = load_workbook(out / "summary.xlsx", read_only=True).worksheets[0]
    rows = sorted(str(r[2]) for r in ws.iter_rows(min_row=2, values_only=True))
    if rows != names:
        problems.append(f"summary.xlsx: {len(rows)} rows for {len(names)} submissions")
    html = (out / "report.html").read_text(encoding="utf-8")
    if html.count('<tr data-n="') != len(names) or html.count('<section class="sub"') != len(names):
        problems.append("report.html: rows or cards missing")
    return problems


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--count", type=int, default=200)
    p.add_argument("--seed", type=int, default=3)
    p.add_argument("--ocr", action="store_true", help="leave OCR on (slower)")
    p.add_argument("--work", type=Path, default=Path("/tmp/gkcheck-bench-batch"))
    p.add_argument(
        "--scheduler",
        action="store_true",
        help="local --jobs 2 vs a LocalCluster of 2 single-threaded workers (needs gkcheck[dask])",
    )
    args = p.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    src = _generate(args.work, args.count, args.seed)
    print(f"cores: {os.cpu_count()}  load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.scheduler:
        return _versus_dask(src, args.work, args.ocr)
    walls: dict[int, float] = {}
    for jobs in (1, 2):
        out = args.work / f"out-{jobs}"
        wall, summary = _run(src, out, jobs, args.ocr)
        walls[jobs] = wall
        per = [
            json.loads(x)["seconds"]
            for x in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
            if x.strip()
        ]
        problems = _accounted(src, out)
        print(
            f"--jobs {jobs}: {wall:6.1f} s wall, {summary['total']} submissions "
            f"({summary['passed']} pass, {summary['failed']} fail, {summary['timeouts']} timeouts, {summary['crashes']} crashes), "
            f"mean {sum(per) / max(1, len(per)):.2f} s per submission in a worker; "
            + (
                "all accounted for in every output"
                if not problems
                else "PROBLEMS: " + "; ".join(problems)
            )
        )
        if problems:
            return 1
    speedup = walls[1] / walls[2]
    print(f"speed-up with 2 jobs: {speedup:.2f}x (target >= 1.7x)")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


def _verdicts(out: Path) -> dict[str, bool]:
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return {Path(r["path"]).name: bool(r["ok"]) for r in data["results"]}


def _versus_dask(src: Path, work: Path, ocr: bool) -> int:
    """Local ``--jobs 2`` vs ``--scheduler`` on a LocalCluster of 2 workers, same 2 cores."""
    import distributed

    from gkcheck.batch.discover import discover
    from gkcheck.batch.distributed import DEFAULT_SHIP_LIMIT, pack
    from gkcheck.batch.worker import Task

    shipped = [
        len(pack(Task(r.key, r.path, r.form), DEFAULT_SHIP_LIMIT).payload or b"")
        for r in discover(src)
    ]
    mean = sum(shipped) / max(1, len(shipped))
    print(
        f"bytes shipped per submission: mean {mean / 1e6:.2f} MB, max {max(shipped) / 1e6:.2f} MB"
        f" ({len(shipped)} submissions, {sum(shipped) / 1e6:.0f} MB in all)"
    )
    local_wall, local = _run(src, work / "out-local-2", 2, ocr)
    print(f"local --jobs 2:      {local_wall:6.1f} s wall ({local['passed']} pass)")
    t0 = time.perf_counter()
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        started = time.perf_counter() - t0
        dask_wall, remote = _run(src, work / "out-dask-2", 2, ocr, cluster.scheduler_address)
    print(
        f"--scheduler (2 workers): {dask_wall:6.1f} s wall ({remote['passed']} pass);"
        f" cluster start {started:.1f} s not included"
    )
    same = _verdicts(work / "out-local-2") == _verdicts(work / "out-dask-2")
    problems = _accounted(src, work / "out-dask-2")
    print(f"same verdict for every submission: {same}; outputs: {problems or 'all accounted for'}")
    print(f"overhead ratio (scheduler / local): {dask_wall / local_wall:.2f}x (target <= 1.5x)")
    rate = mean / max(dask_wall / len(shipped), 1e-9) / 1e6
    print(f"client upload at this rate: {rate:.2f} MB/s ({rate * 8:.1f} Mbit/s)")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0 if same and not problems else 1


if __name__ == "__main__":
    raise SystemExit(main())
