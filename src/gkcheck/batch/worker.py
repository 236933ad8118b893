"""What a worker process does with one submission: unpack, check, make thumbnails, report.

A worker builds one engine (and so loads each model once) and then serves tasks from the
batch runner over a pipe. Everything it sends back is plain JSON-able data: the runner writes
it to ``results.jsonl`` as it arrives, and a resumed run reads the same data back.

Folders, zips and loose files are checked by the same engine call as ``gkcheck check`` uses
(:meth:`gkcheck.engine.Engine.check`), so a batch and a single check never disagree.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import signal
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gkcheck.batch.zips import ZipLimits
from gkcheck.checks.input import UNREADABLE
from gkcheck.engine import reason_msg
from gkcheck.findings import Result
from gkcheck.rules import CheckContext

if TYPE_CHECKING:
    from collections.abc import Callable
    from multiprocessing.connection import Connection

    from gkcheck.config import Config

__all__ = ["Task", "TaskOutcome", "WorkerSetup", "check_task", "failure_result", "serve"]

THUMBS_DIR = "thumbs"
MAX_THUMBS = 24


@dataclass(frozen=True, slots=True)
class WorkerSetup:
    """What every worker needs to build its engine; pickled once per worker."""

    config: Config
    lang: str
    plugins: bool
    out: Path
    threads: int = 1
    checker: str = "gkcheck.batch.worker:check_task"
    zip_limits: ZipLimits = field(default_factory=ZipLimits)


@dataclass(frozen=True, slots=True)
class Task:
    """One submission to check."""

    key: str
    path: Path
    form: str  # folder | zip | file


@dataclass(frozen=True, slots=True)
class TaskOutcome:
    """What a worker sends back for a task."""

    key: str
    result: dict[str, Any]
    thumbs: dict[str, dict[str, Any]]
    seconds: float
    status: str = "ok"


def failure_result(
    config: Config, lang: str, path: Path, reason: str, *, detail: str = "", limit: float = 0.0
) -> Result:
    """A result holding one GK000 finding for a submission that could not be checked."""
    ctx = CheckContext(config=config, path=path, lang=lang)
    text = reason_msg(reason, context="check", limit=f"{limit:g}", detail=detail)
    finding = ctx.finding(
        UNREADABLE,
        "unreadable",
        hint_key="hint",
        reason=reason,
        reason_text=text,
        detail=detail or None,
    )
    return Result(path=path, kind="submission", findings=(finding,))


class Checker:
    """One engine per worker, and the code that checks a task with it."""

    def __init__(self, setup: WorkerSetup) -> None:
        from gkcheck.api import engine_for

        self.setup = setup
        self.engine = engine_for(setup.config, lang=setup.lang, plugins=setup.plugins)

    def check(self, task: Task) -> TaskOutcome:
        """Check one submission; never raises for anything the files contain."""
        start = time.perf_counter()
        result = self.engine.check(task.path)
        data, thumbs = result.to_dict(), self._thumbs(result)
        return TaskOutcome(task.key, data, thumbs, time.perf_counter() - start)

    def _thumbs(self, result: Result) -> dict[str, dict[str, Any]]:
        """Downscaled JPEGs of the result's photos, stored once per content in ``thumbs/``."""
        from gkcheck.writers.html import make_thumbnail

        out: dict[str, dict[str, Any]] = {}
        folder = self.setup.out / THUMBS_DIR
        for photo in result.all_photos()[:MAX_THUMBS]:
            try:
                data = photo.load()
            except (OSError, ValueError):
                continue
            digest = hashlib.sha256(data).hexdigest()[:32]
            name = f"{THUMBS_DIR}/{digest}.jpg"
            target = self.setup.out / name
            if not target.is_file():
                thumb = make_thumbnail(data)
                if thumb is None:
                    continue
                folder.mkdir(parents=True, exist_ok=True)
                part = target.with_suffix(f".{os.getpid()}.part")
                part.write_bytes(thumb)
                os.replace(part, target)
            out[photo.ref] = {"file": name}
        return out


def warm_up(engine: Any) -> None:
    """Check a tiny made-up submission so lazily loaded resources exist before workers fork.

    Word lists and tokenizers (jieba's dictionary takes seconds) are then loaded once in the
    parent and shared copy-on-write by every forked worker instead of once per worker. The
    document has no photos, so no image library or OCR model is started in the parent.
    """
    with contextlib.suppress(Exception), tempfile.TemporaryDirectory(prefix="gkcheck-warm-") as tmp:
        import docx

        folder = Path(tmp)
        d = docx.Document()
        d.add_paragraph("雨花区教育局开展2023年“政务公开主题日”小升初招生政策解读活动")
        d.add_paragraph(
            "4月18日，雨花区教育局开展2023年“政务公开主题日”活动，邀请家长代表30余人参加。"
        )
        d.add_paragraph("活动现场，工作人员围绕招生政策进行解读，并现场答疑。")
        d.add_paragraph("下一步，区教育局将以“政务公开主题日”活动为契机，持续深化政务公开。")
        d.save(str(folder / "新闻稿.docx"))
        (folder / "submission.toml").write_text(
            'activity_date = 2023-04-18\nunit = "区教育局"\n', encoding="utf-8"
        )
        engine.check_submission(folder)


def check_task(checker: Checker, task: Task) -> TaskOutcome:
    """The default task function (tests substitute their own to simulate hangs and crashes)."""
    return checker.check(task)


def _resolve(spec: str) -> Callable[[Checker, Task], TaskOutcome]:
    module, _, name = spec.partition(":")
    fn: Callable[[Checker, Task], TaskOutcome] = getattr(importlib.import_module(module), name)
    return fn


def _limit_threads(n: int) -> None:
    """Keep each worker to its share of the cores, so N workers do not fight over them."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(n)
    with contextlib.suppress(Exception):  # OpenCV is optional here
        import cv2

        cv2.setNumThreads(n)
    with contextlib.suppress(Exception):  # so is OCR; its models load later, on first use
        from gkcheck.vision import ocr

        ocr.set_threads(n)


def serve(conn: Connection, setup: WorkerSetup) -> None:
    """A worker's main loop: receive a task, send its outcome, until told to stop (``None``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the runner decides when to stop
    _limit_threads(setup.threads)
    checker = Checker(setup)
    fn = _resolve(setup.checker)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            outcome = fn(checker, task)
        except Exception as exc:  # noqa: BLE001 - report, do not die: the next task may be fine
            detail = f"{type(exc).__name__}: {exc}"
            result = failure_result(setup.config, setup.lang, task.path, "crash", detail=detail)
            tb = traceback.format_exc(limit=8)
            data = result.to_dict()
            data["batch_error"] = tb
            outcome = TaskOutcome(task.key, data, {}, 0.0, status="crash")
        conn.send(outcome)
