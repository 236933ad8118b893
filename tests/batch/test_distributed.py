"""``gkcheck batch --scheduler``: the same results as a local batch, on a real Dask cluster.

One ``LocalCluster`` (2 worker processes, 1 thread each, 127.0.0.1 only) serves every test.
The submissions travel as bytes (no shared filesystem), so every result must name the
client's paths exactly as a local run does.
"""

from __future__ import annotations

import collections
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from gkcheck.batch.runner import BatchError, BatchOptions, run_batch
from gkcheck.config import Config

from .conftest import ROOT, copy_samples, read_jsonl, run_cli

if TYPE_CHECKING:
    from collections.abc import Iterator

distributed = pytest.importorskip("distributed")

from gkcheck.batch.distributed import DaskOptions  # noqa: E402


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Two worker processes; a task whose worker dies twice is given up (allowed-failures 1).

    The workers (and those their nannies start after a kill) get a temporary folder of their
    own: when the cluster has closed, no ``gkcheck-*`` folder may be left in it.
    """
    import dask

    workers_tmp = tmp_path_factory.mktemp("workers-tmp")
    settings = {
        "distributed.scheduler.allowed-failures": 1,
        "distributed.nanny.pre-spawn-environ.TMPDIR": str(workers_tmp),
    }
    old = os.environ.get("PYTHONPATH", "")
    # the workers' checking processes import the fault helpers from tests/
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "tests"), old) if p)
    try:
        with dask.config.set(settings):
            lc = distributed.LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
        with lc:
            yield lc
    finally:
        os.environ["PYTHONPATH"] = old
    left = sorted(str(p.relative_to(workers_tmp)) for p in workers_tmp.rglob("gkcheck-*"))
    assert not left, f"the workers left temporary folders behind: {left}"


def _results(out: Path) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((out / "results.json").read_text(encoding="utf-8"))[
        "results"
    ]
    return data


def _verdicts(out: Path) -> dict[str, bool]:
    return {Path(r["path"]).name: bool(r["ok"]) for r in _results(out)}


def test_same_results_as_a_local_batch(cluster: Any, sample_run: dict[str, Any]) -> None:
    out = sample_run["out"].parent / "out-dask"
    proc = run_cli(
        "batch", sample_run["in"], "--out", out, "--no-ocr", "--format", "json",
        "--scheduler", cluster.scheduler_address,
    )  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr
    local, remote = _results(sample_run["out"]), _results(out)
    assert len(remote) == len(local) == sample_run["summary"]["total"]
    for a, b in zip(local, remote, strict=True):
        assert a == b, a["path"]  # field by field: paths name the client's files
    # the thumbnails came back as bytes and are where the records say
    for rec in read_jsonl(out / "results.jsonl"):
        for meta in rec["thumbs"].values():
            assert (out / meta["file"]).is_file()
    summary = json.loads(proc.stdout)
    assert summary["passed"] == sample_run["summary"]["passed"]
    # a re-run reuses every result, as locally
    again = run_cli(
        "batch", sample_run["in"], "--out", out, "--no-ocr", "--format", "json",
        "--scheduler", cluster.scheduler_address,
    )  # fmt: skip
    assert json.loads(again.stdout)["reused"] == len(local)


def test_a_worker_killed_mid_run_costs_nothing(
    cluster: Any, sample_run: dict[str, Any], tmp_path: Path
) -> None:
    client = distributed.Client(cluster.scheduler_address, set_as_default=False)
    out = tmp_path / "out"
    env = {**os.environ, "GKCHECK_SCHEDULER": cluster.scheduler_address}
    args = [sys.executable, "-m", "gkcheck", "batch", str(sample_run["in"]), "--out", str(out)]
    proc = subprocess.Popen(
        [*args, "--no-ocr", "--no-progress"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(read_jsonl(out / "results.jsonl")) < 2:
            time.sleep(0.05)
        at_kill = len(read_jsonl(out / "results.jsonl"))
        victim = next(iter(client.run(os.getpid).values()))
        os.kill(victim, signal.SIGKILL)  # mid-run: other submissions are on it or queued
        _, err = proc.communicate(timeout=240)
    finally:
        proc.kill()
        client.close()
    assert proc.returncode in (0, 1), err
    assert 2 <= at_kill < sample_run["summary"]["total"], "the kill came too late to test it"
    assert len(read_jsonl(out / "results.jsonl")) == sample_run["summary"]["total"]
    assert _verdicts(out) == _verdicts(sample_run["out"])


def test_an_interrupted_client_resumes(cluster: Any, tmp_path: Path) -> None:
    src = copy_samples(tmp_path / "in")
    out = tmp_path / "out"
    cmd = ["batch", str(src), "--out", str(out), "--no-ocr", "--scheduler"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "gkcheck", *cmd, cluster.scheduler_address],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(read_jsonl(out / "results.jsonl")) < 2:
            time.sleep(0.05)
    finally:
        proc.kill()  # the client only: the cluster goes on
        proc.wait(timeout=10)
    first = collections.Counter(r["key"] for r in read_jsonl(out / "results.jsonl"))
    total = len([p for p in src.iterdir() if not p.name.startswith(".")])
    assert 2 <= sum(first.values()) < total, "the kill came too late to test resuming"
    done = run_cli(*cmd, cluster.scheduler_address, "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    summary = json.loads(done.stdout)
    assert (summary["total"], summary["reused"]) == (total, len(first))
    counts = collections.Counter(r["key"] for r in read_jsonl(out / "results.jsonl"))
    assert set(counts) == {p.name for p in src.iterdir() if not p.name.startswith(".")}
    assert max(counts.values()) == 1  # nothing checked twice


def test_timeout_worker_lost_and_too_large_are_findings(cluster: Any, tmp_path: Path) -> None:
    src = tmp_path / "in"
    good = "区教育局-0418-小升初招生政策解读"
    (src / good).mkdir(parents=True)
    shutil.copy(
        ROOT / "samples" / "word" / "r005-all-true-style-title.docx", src / good / "新闻稿.docx"
    )
    for name in ("HANG-卡住", "KILLWORKER-失联", "CRASH-崩溃"):
        (src / name).mkdir()
        (src / name / "说明.txt").write_text("x", encoding="utf-8")
    killer = tmp_path / "killer"
    killer.mkdir()
    shutil.move(src / "KILLWORKER-失联", killer)

    def run(root: Path, out: Path, ship_limit: int = 64 * 1024 * 1024) -> dict[str, list[str]]:
        opts = BatchOptions(
            root=root,
            out=out,
            config=Config(ocr=False),
            timeout=10.0,  # a hang costs this; a real check takes well under it
            plugins=False,
            progress=False,
            checker="batch.dask_faults:check",
            dask=DaskOptions(scheduler=cluster.scheduler_address, ship_limit=ship_limit),
        )
        run_batch(opts)
        return {
            Path(r["path"]).name: [
                f["evidence"].get("reason") for f in r["findings"] if f["rule"] == "GK000"
            ]
            for r in _results(out)
        }

    reasons = run(src, tmp_path / "out")
    assert reasons["HANG-卡住"] == ["timeout"]  # the limit holds on the worker
    assert reasons["CRASH-崩溃"] == ["crash"]
    assert reasons[good] == []
    # alone, so that no other task shares the workers it takes down: retried once, given up
    assert run(killer, tmp_path / "out-killer") == {"KILLWORKER-失联": ["worker-lost"]}
    # a submission over the ship limit never leaves the client
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copytree(src / good, alone / good)
    assert run(alone, tmp_path / "out-small", ship_limit=1000) == {good: ["ship-too-large"]}


def test_no_scheduler_is_a_clear_error_and_the_state_is_kept(tmp_path: Path) -> None:
    src = copy_samples(tmp_path / "in", ["区科技局-0625-科技活动周"])
    out = tmp_path / "out"
    opts = BatchOptions(
        root=src,
        out=out,
        config=Config(ocr=False),
        plugins=False,
        progress=False,
        dask=DaskOptions(scheduler="tcp://127.0.0.1:9", connect_timeout=2.0),
    )
    with pytest.raises(BatchError, match="cannot reach the Dask scheduler"):
        run_batch(opts)
    assert (out / "results.jsonl").exists()


def test_without_dask_the_option_says_how_to_get_it(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['distributed'] = None; from gkcheck.cli import main;"
        f" sys.exit(main(['batch', {str(tmp_path)!r}, '--out', {str(tmp_path / 'o')!r},"
        " '--scheduler', 'tcp://127.0.0.1:9']))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert proc.returncode == 2
    assert 'pip install "gkcheck[dask]"' in proc.stderr
