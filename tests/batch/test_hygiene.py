"""A killed batch leaves nothing behind that stops the next one (issue 12, case 2)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from gkcheck.batch.hygiene import UNPACK_PREFIX, clean_stale_unpacks

ROOT = Path(__file__).resolve().parents[2]


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _descendants(pid: int) -> list[int]:
    out: list[int] = []
    todo = [pid]
    while todo:
        kids = _children(todo.pop())
        out += kids
        todo += kids
    return out


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_kill_9_of_the_batch_ends_its_workers_and_the_resume_runs(tmp_path: Path) -> None:
    start = "fork"  # what the command line uses
    src = tmp_path / "in"
    for name in ("HANG-一", "HANG-二", "区教育局-0418-解读"):
        (src / name).mkdir(parents=True)
    shutil.copy(
        ROOT / "samples" / "word" / "r005-all-true-style-title.docx",
        src / "区教育局-0418-解读" / "新闻稿.docx",
    )
    for name in ("HANG-一", "HANG-二"):
        (src / name / "说明.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "out"
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from gkcheck.batch.runner import BatchOptions, run_batch
        from gkcheck.config import Config
        run_batch(BatchOptions(root=Path({str(src)!r}), out=Path({str(out)!r}),
                  config=Config(ocr=False), jobs=2, timeout=600.0, plugins=False,
                  progress=False, checker="batch.faults:check"))
        """
    )
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'tests'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        "GKCHECK_MP_START": start,
    }
    proc = subprocess.Popen([sys.executable, "-c", script], env=env)
    workers: list[int] = []
    for _ in range(600):  # both workers started and busy on the hanging submissions
        workers = _descendants(proc.pid)
        if len(workers) >= 2 and (out / ".lock").exists():
            break
        time.sleep(0.1)
    time.sleep(3.0)
    workers = _descendants(proc.pid)
    assert len(workers) >= 2, "the batch did not start its two workers"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(5.0)
    assert [w for w in workers if _alive(w)] == []  # the kernel killed them with the runner
    resume = textwrap.dedent(  # a fresh process, as a user resumes (not this test session's)
        f"""
        from pathlib import Path
        from gkcheck.batch.runner import BatchOptions, run_batch
        from gkcheck.config import Config
        r = run_batch(BatchOptions(root=Path({str(src)!r}), out=Path({str(out)!r}),
                      config=Config(ocr=False), jobs=2, timeout=60.0, plugins=False,
                      progress=False))
        print("total", r.total)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", resume], check=False, env=env, capture_output=True, text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "total 3" in done.stdout
    assert (out / "summary.xlsx").is_file() and (out / "report.html").is_file()


def test_unpack_folders_of_dead_workers_are_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    gone = tmp_path / f"{UNPACK_PREFIX}{dead.pid}-abc"
    mine = tmp_path / f"{UNPACK_PREFIX}{os.getpid()}-def"
    other = tmp_path / "gkcheck-warm-xyz"
    for d in (gone, mine, other):
        (d / "x").mkdir(parents=True)
    assert clean_stale_unpacks(tmp_path) == 1
    assert not gone.exists() and mine.exists() and other.exists()
