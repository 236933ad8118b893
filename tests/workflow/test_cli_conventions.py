"""Linter conventions on the command line: --fail-level said aloud, progress on stderr only."""

from __future__ import annotations

import io
import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import ROOT, SAMPLES
from tests.workflow.conftest import FAILING

from gkcheck.cli import main
from gkcheck.cli.output import Progress


def test_fail_level_warning_says_why_the_status_is_1(capsys: pytest.CaptureFixture[str]) -> None:
    sub = str(SAMPLES / "submissions" / FAILING)
    args = ["check", "--no-ocr", "--no-plugins", "--ignore", "GK104", sub]
    assert main(args) == 0  # only a warning (GK502) is left
    assert "0 份未通过" in capsys.readouterr().out
    assert main([*args, "--fail-level", "warning"]) == 1
    captured = capsys.readouterr()
    assert "0 份未通过" in captured.out  # the verdicts do not change ...
    assert "--fail-level warning" in captured.err and "退出状态为 1" in captured.err  # ... the status is explained
    assert main([*args, "--fail-level", "warning", "-q"]) == 1
    captured = capsys.readouterr()
    assert captured.err == "" and "GK502" in captured.out  # quiet: findings only


def test_progress_names_each_input_on_its_stream_and_clears_the_line() -> None:
    stream = io.StringIO()
    progress = Progress(2, lang="zh", enabled=True, stream=stream)
    for name in ("甲.docx", "乙.docx"):
        progress.start(Path(name))
        progress.advance()
    progress.close()
    text = stream.getvalue()
    assert "检查中 1/2 甲.docx" in text and "检查中 2/2 乙.docx" in text
    assert text.endswith("\r\033[K")
    silent = io.StringIO()
    off = Progress(5, lang="zh", enabled=False, stream=silent)
    off.start(Path("x"))
    off.close()
    assert silent.getvalue() == ""


def test_check_is_silent_on_stderr_when_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    docs = [str(SAMPLES / "word" / n) for n in ("r001-inserted-only-twice.docx", "r005-all-true-style-title.docx")]
    main(["check", "--no-ocr", "--no-plugins", *docs])
    assert "检查中" not in capsys.readouterr().err


@pytest.mark.parametrize(("given", "seen"), [(None, "1"), ("3", "3")])
def test_the_program_starts_numpy_with_one_blas_thread_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch, given: str | None, seen: str
) -> None:
    """``run`` keeps OpenBLAS to one thread before anything imports NumPy (its pool of one
    thread per core, started and torn down again, cost every one-photo ``gkcheck logo`` tens
    of ms); a caller's own setting wins."""
    import gc
    import os

    from gkcheck import cli

    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    monkeypatch.setattr(os, "environ", env)
    monkeypatch.setattr(gc, "freeze", lambda: None)  # not the test process's objects
    got: list[str | None] = []

    def seen_by_main() -> int:
        got.append(os.environ.get("OPENBLAS_NUM_THREADS"))
        return 0

    monkeypatch.setattr(cli, "main", seen_by_main)
    with pytest.raises(SystemExit) as exc:
        cli.run()
    assert exc.value.code == 0 and got == [seen]


@pytest.mark.parametrize(
    ("argv", "kept"), [(["logo", "a.jpg"], 1), (["serve"], 0), (["check", "a"], 0)]
)
def test_the_program_keeps_freed_memory_for_a_logo_process_only(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], kept: int
) -> None:
    """``run`` sets the C heap to keep freed memory (``cli/heap.py``) in a ``gkcheck logo``
    process, before ``main`` starts any thread, and ends that process once ``main`` returned
    (``_leave_now``, with ``main``'s status); a server, and every other command, keeps the
    allocator's defaults and the usual exit."""
    import gc

    from gkcheck import cli
    from gkcheck.cli import heap

    calls: list[int] = []
    left: list[int] = []
    monkeypatch.setattr(heap, "keep_freed_memory", lambda: calls.append(1) is None)
    monkeypatch.setattr(gc, "freeze", lambda: None)  # not the test process's objects
    monkeypatch.setattr(cli, "_leave_now", left.append)  # it would end the test process
    monkeypatch.setattr(sys, "argv", ["gkcheck", *argv])
    monkeypatch.setattr(cli, "main", lambda: len(calls))  # what it had been called by then
    with pytest.raises(SystemExit) as exc:
        cli.run()
    assert exc.value.code == kept and calls == [1] * kept and left == [kept] * kept


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's malloc only")
def test_memory_freed_in_a_logo_process_is_used_again_without_page_faults() -> None:
    """With ``keep_freed_memory`` a freed 3 MB array's pages serve the next one: no fresh
    pages from the kernel (glibc's defaults give such a block back and fault ~770 pages in
    again). In a process of its own: the setting is the whole process's."""
    import resource

    code = (
        "import resource, numpy as np\n"
        "from gkcheck.cli.heap import keep_freed_memory\n"
        "kept = keep_freed_memory()\n"
        "def faults(): return resource.getrusage(resource.RUSAGE_SELF).ru_minflt\n"
        "a = np.ones(3 << 20, np.uint8); del a\n"
        "before = faults()\n"
        "b = np.ones(3 << 20, np.uint8); del b\n"
        "print(kept, faults() - before)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    ).stdout.split()  # fmt: skip
    pages = (3 << 20) // resource.getpagesize()
    assert out[0] == "True" and int(out[1]) < pages // 10, out
