"""The batch: find submissions, check the changed ones in worker processes, write the outputs.

Workers are plain :mod:`multiprocessing` processes, each with its own pipe, so the runner
always knows which submission each one holds and since when. A worker past its deadline is
killed and replaced, a worker that dies is replaced; either way the submission gets a GK000
finding (``reason`` ``timeout`` or ``crash``) and the batch goes on. Results are appended to
``results.jsonl`` as they arrive (see :mod:`gkcheck.batch.state`), which is also what makes an
interrupted batch resume and a re-run check only what changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import multiprocessing as mp
import os
import sys
import time
import zipfile
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import IO, TYPE_CHECKING, Any, cast

from gkcheck import __version__
from gkcheck.batch.discover import SubmissionRef, clean_json, content_hash, discover, stat_signature
from gkcheck.batch.hygiene import clean_stale_unpacks
from gkcheck.batch.records import result_from_dict, reword
from gkcheck.batch.state import Record, Store, locked, make_stamp
from gkcheck.batch.worker import Task, TaskOutcome, WorkerSetup, failure_result, serve, warm_up
from gkcheck.batch.zips import ZipLimits
from gkcheck.errors import GkcheckError
from gkcheck.findings import SCHEMA, Result
from gkcheck.rules import Rule, selected
from gkcheck.submission import IGNORED_NAMES, MANIFEST, VIDEO_SUFFIXES
from gkcheck.ui import say
from gkcheck.writers.base import FileWriter

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from pathlib import Path

    from gkcheck.batch.distributed import DaskOptions
    from gkcheck.config import Config

__all__ = ["BatchError", "BatchOptions", "BatchReport", "run_batch"]


class BatchError(GkcheckError):
    """The batch cannot run at all (bad folder, output locked, workers cannot start)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchOptions:
    """Everything ``gkcheck batch`` was asked to do."""

    root: Path
    out: Path
    config: Config
    lang: str = "zh"
    jobs: int = 0  # 0: one per core
    timeout: float | None = None  # seconds per file; None: config.timeout
    plugins: bool = True
    force: bool = False
    as_of: dt.date | None = None
    progress: bool | None = None  # None: when stderr is a terminal
    checker: str = "gkcheck.batch.worker:check_task"
    zip_limits: ZipLimits = field(default_factory=ZipLimits)
    outputs: tuple[str, ...] = ("json", "xlsx", "html")
    waivers: Path | None = None  # None: waivers.toml in the batch folder
    dask: DaskOptions | None = None  # run the checks on a Dask cluster (batch/distributed.py)


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchReport:
    """What a batch did, for the console summary and the exit status."""

    total: int
    checked: int
    reused: int
    passed: int
    failed: int
    timeouts: int
    crashes: int
    errors: int
    warnings: int
    seconds: float
    run: str
    rules: tuple[str, ...]
    by_rule: Mapping[str, int]
    outputs: Mapping[str, str]
    coverage: bool
    keys_checked: tuple[str, ...] = ()
    waived: int = 0  # findings a reviewer waived (they count for nothing)
    reworded: int = 0  # stored results shown in another language than they were checked in

    def to_json(self) -> dict[str, Any]:
        """The ``--format json`` console summary."""
        return {
            "schema": SCHEMA,
            "gkcheck": __version__,
            "run": self.run,
            "total": self.total,
            "checked": self.checked,
            "reused": self.reused,
            "passed": self.passed,
            "failed": self.failed,
            "timeouts": self.timeouts,
            "crashes": self.crashes,
            "errors": self.errors,
            "warnings": self.warnings,
            "seconds": round(self.seconds, 2),
            "by_rule": dict(self.by_rule),
            "outputs": dict(self.outputs),
            "coverage": self.coverage,
            "waived": self.waived,
            "reworded": self.reworded,
        }


# -- progress ---------------------------------------------------------------------------------


class Progress:
    """A one-line progress bar on stderr: counts, pass/fail and an ETA. Silent when off."""

    def __init__(
        self, total: int, *, enabled: bool, lang: str, stream: IO[str] | None = None
    ) -> None:
        self.total = total
        self.enabled = enabled and total > 0
        self.lang = lang
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.done = self.passed = self.failed = 0
        self._last = 0.0
        self._width = 0

    def advance(self, ok: bool) -> None:
        """One more submission finished."""
        self.done += 1
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        self.draw()

    def draw(self, force: bool = False) -> None:
        """Redraw at most ten times a second."""
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.1 and self.done < self.total:
            return
        self._last = now
        elapsed = now - self.start
        frac = self.done / self.total if self.total else 1.0
        width = 24
        filled = int(frac * width)
        bar = "█" * filled + "░" * (width - filled)
        eta = (elapsed / self.done) * (self.total - self.done) if self.done else None
        eta_s = _clock(eta) if eta is not None else "--:--"
        line = say(
            "batch_progress",
            self.lang,
            bar=bar,
            done=self.done,
            total=self.total,
            passed=self.passed,
            failed=self.failed,
            elapsed=_clock(elapsed),
            eta=eta_s,
        )
        pad = max(0, self._width - len(line))
        self._width = len(line)
        self.stream.write("\r" + line + " " * pad)
        self.stream.flush()

    def close(self) -> None:
        """Finish the line."""
        if self.enabled:
            self.draw(force=True)
            self.stream.write("\n")
            self.stream.flush()


def _clock(seconds: float) -> str:
    s = int(seconds + 0.5)
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


# -- the pool ---------------------------------------------------------------------------------


class _Slot:
    """One worker process and the task it holds."""

    def __init__(self, ctx: Any, setup: WorkerSetup, log: IO[bytes] | None) -> None:
        parent, child = ctx.Pipe()
        self.proc = ctx.Process(
            target=_worker_main,
            # forked workers are the runner's children; under forkserver/spawn their parent
            # is the server process, which watches the runner itself
            args=(
                child,
                setup,
                log.fileno() if log else None,
                os.getpid() if ctx.get_start_method() == "fork" else None,
            ),
            daemon=True,
        )
        self.proc.start()
        child.close()
        self.conn: Connection = parent
        self.ready = False
        self.born = time.monotonic()
        self.task: Task | None = None
        self.sent = 0.0
        self.deadline = float("inf")

    def give(self, task: Task, budget: float) -> None:
        self.task = task
        self.sent = time.monotonic()
        self.deadline = self.sent + budget
        self.conn.send(task)

    def stop(self, *, kill: bool = False) -> None:
        try:
            if kill:
                self.proc.kill()
            else:
                with contextlib.suppress(OSError, ValueError):
                    self.conn.send(None)
            self.proc.join(timeout=0.5 if kill else 2.0)
            if self.proc.is_alive():
                self.proc.kill()
                self.proc.join(timeout=1.0)
        finally:
            self.conn.close()


def _worker_main(
    conn: Connection, setup: WorkerSetup, log_fd: int | None, parent: int | None = None
) -> None:
    """Entry point of a worker process: tie its life to the runner's, quiet it, then serve."""
    from gkcheck.batch.hygiene import die_with_parent
    from gkcheck.batch.state import drop_inherited_locks

    drop_inherited_locks()
    die_with_parent(parent)
    if log_fd is not None:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(log_fd, 1)
            os.dup2(log_fd, 2)
        except OSError:
            pass
    serve(conn, setup)


#: Native libraries that run thread pools: forking a process that has used them can leave a
#: child waiting forever on a lock some pool thread held at the fork.
_THREADED_NATIVE = ("onnxruntime", "rapidocr_onnxruntime", "pypdfium2", "torch")


def _mp_context() -> Any:
    """``fork`` where it is safe: workers start in milliseconds with gkcheck already imported.

    The command-line parent never runs OCR or image code before forking, so ``fork`` is safe
    there. A long-lived host (a CMS, a test session) that already ran OCR or decoded photos
    (OpenCV's thread pool: a forked child deadlocked in ``cv2.setNumThreads``) gets
    ``forkserver`` (``spawn`` where that does not exist). ``GKCHECK_MP_START`` overrides.
    """
    method = os.environ.get("GKCHECK_MP_START")
    if method is None:
        methods = mp.get_all_start_methods()
        imageio = sys.modules.get("gkcheck.vision.imageio")
        risky = any(name in sys.modules for name in _THREADED_NATIVE) or bool(
            getattr(imageio, "pixels_touched", False)
        )
        if "fork" in methods and sys.platform != "darwin" and not risky:
            method = "fork"
        else:
            method = "forkserver" if "forkserver" in methods else "spawn"
    return mp.get_context(method)


def threads_per_worker(jobs: int, tasks: int, cores: int) -> int:
    """Threads each worker may use: ``--jobs N`` uses at most N cores in all.

    One thread per worker, more only when there are fewer submissions than jobs. Measured
    with OCR on 2 cores: 2 workers whose onnxruntime pools each took both cores were no
    faster than 1 worker (0.96x); one thread each made them 1.81x faster.
    """
    workers = max(1, min(jobs, tasks))
    return max(1, min(jobs, cores) // workers)


def _budget(ref: SubmissionRef, timeout: float) -> float:
    """Seconds a submission may take: the per-file limit times the files to check."""
    n = 1
    try:
        if ref.form == "folder":
            n = 0
            for _root, dirs, files in os.walk(ref.path, followlinks=False):
                dirs[:] = [d for d in dirs if not IGNORED_NAMES.match(d)]
                n += sum(
                    1
                    for f in files
                    if not IGNORED_NAMES.match(f)
                    and f != MANIFEST
                    and not f.lower().endswith(VIDEO_SUFFIXES)
                )
        elif ref.form == "zip":
            with zipfile.ZipFile(ref.path) as zf:
                n = sum(1 for i in zf.infolist() if not i.is_dir())
    except Exception:  # noqa: BLE001 - a broken zip fails fast in the worker anyway
        n = 1
    return timeout * max(1, min(n, 50))


def _run_pool(
    tasks: Sequence[tuple[Task, float]],
    setup: WorkerSetup,
    jobs: int,
    on_outcome: Callable[[Task, TaskOutcome], None],
    on_failure: Callable[[Task, str, str], None],
    log: IO[bytes] | None,
    tick: Callable[[], None] = lambda: None,
) -> None:
    """Run ``tasks`` on ``jobs`` workers, replacing any that hang or die.

    ``tick`` is called at least twice a second (the progress line's clock keeps running
    while every worker is busy with a long submission).
    """
    ctx = _mp_context()
    pending = deque(tasks)
    slots = [_Slot(ctx, setup, log) for _ in range(min(jobs, len(tasks)))]
    startup_failures = 0
    start_limit = max(120.0, setup.config.timeout)
    try:
        while pending or any(s.task is not None for s in slots):
            for s in slots:
                if s.ready and s.task is None and pending:
                    task, budget = pending.popleft()
                    s.give(task, budget)
            now = time.monotonic()
            busy = [s.deadline - now for s in slots if s.task is not None]
            wait_for = max(0.0, min([0.5, *busy]))
            waitables: list[Any] = [s.conn for s in slots] + [s.proc.sentinel for s in slots]
            ready = set(wait(waitables, timeout=wait_for))
            tick()
            now = time.monotonic()
            for i, s in enumerate(slots):
                died = False
                if s.conn in ready or s.proc.sentinel in ready:
                    try:
                        while s.conn.poll():
                            msg = s.conn.recv()
                            if isinstance(msg, tuple) and msg and msg[0] == "ready":
                                s.ready = True
                            elif isinstance(msg, TaskOutcome) and s.task is not None:
                                task, s.task = s.task, None
                                on_outcome(task, msg)
                    except (EOFError, OSError):
                        died = True
                    if not died and s.proc.sentinel in ready and not s.proc.is_alive():
                        died = True
                if died:
                    code = s.proc.exitcode
                    s.stop(kill=True)
                    if s.task is not None:
                        task, s.task = s.task, None
                        on_failure(task, "crash", f"exit code {code}")
                    elif not s.ready:
                        startup_failures += 1
                        if startup_failures >= 3:
                            raise BatchError(msg="workers_fail", code=code)
                    slots[i] = _Slot(ctx, setup, log)
                elif s.task is not None and now > s.deadline:
                    task, s.task = s.task, None
                    s.stop(kill=True)
                    on_failure(task, "timeout", "")
                    slots[i] = _Slot(ctx, setup, log)
                elif not s.ready and now - s.born > start_limit:
                    s.stop(kill=True)
                    startup_failures += 1
                    if startup_failures >= 3:
                        raise BatchError(msg="workers_slow")
                    slots[i] = _Slot(ctx, setup, log)
    finally:
        for s in slots:
            s.stop(kill=s.task is not None)


# -- the batch --------------------------------------------------------------------------------


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def run_batch(opts: BatchOptions) -> BatchReport:
    """Check every submission in ``opts.root`` that needs it and write the outputs."""
    t0 = time.monotonic()
    root, out = opts.root, opts.out
    if not root.is_dir():
        raise BatchError(msg="not_a_folder", path=str(root))
    if out.resolve() == root.resolve() or _inside(root, out):
        raise BatchError(msg="out_inside", path=str(out))
    from gkcheck.api import engine_for

    cfg = opts.config
    timeout = float(opts.timeout if opts.timeout is not None else cfg.timeout)
    registry = engine_for(cfg, lang=opts.lang, plugins=opts.plugins).registry
    rule_objs = tuple(r for r in registry.sorted_rules() if selected(r, cfg.select, cfg.ignore))
    rules = tuple(r.id for r in rule_objs)
    stamp = make_stamp(version=__version__, fingerprint=cfg.fingerprint(), rules=rules)
    run_id = dt.datetime.now().strftime("%Y%m%dT%H%M%S") + f"-{os.getpid():x}"
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(locked(out))
        except BlockingIOError as exc:
            raise BatchError(msg="batch_locked", path=str(out)) from exc
        except OSError as exc:  # not a folder, read-only, no space: the user's to fix
            raise BatchError(msg="out_unwritable", path=str(out), detail=str(exc.strerror or exc)) from exc
        clean_stale_unpacks()
        store = Store(out)
        store.load()
        refs = discover(root, exclude=(out,))
        tasks: list[tuple[Task, float]] = []
        facts: dict[str, tuple[str, str]] = {}  # key -> (stat signature, content hash)
        reused = 0
        for ref in refs:
            rec = store.latest.get(ref.key)
            sig = stat_signature(ref)
            content = rec.hash if rec is not None and rec.stat == sig else content_hash(ref)
            facts[ref.key] = (sig, content)
            if (
                not opts.force
                and rec is not None
                and rec.is_current(content=content, stamp=stamp, timeout=timeout, out=out)
            ):
                reused += 1
                continue
            tasks.append((Task(ref.key, ref.path, ref.form), _budget(ref, timeout)))
        jobs = opts.jobs if opts.jobs > 0 else (os.cpu_count() or 1)
        show = opts.progress if opts.progress is not None else sys.stderr.isatty()
        progress = Progress(len(tasks), enabled=bool(show), lang=opts.lang)
        checked: list[str] = []
        counts = {"timeout": 0, "crash": 0}

        def record(
            task: Task, data: dict[str, Any], thumbs: dict[str, Any], seconds: float, status: str
        ) -> None:
            sig, content = facts[task.key]
            data = cast("dict[str, Any]", clean_json(data))
            thumbs = cast("dict[str, Any]", clean_json(thumbs))
            rec = Record(
                key=task.key,
                hash=content,
                stat=sig,
                stamp=stamp,
                gkcheck=__version__,
                run=run_id,
                checked_at=_now(),
                seconds=seconds,
                status=status,
                timeout=timeout,
                result=data,
                thumbs=thumbs,
                lang=opts.lang,
            )
            store.append(rec)
            checked.append(task.key)
            if status in counts:
                counts[status] += 1
            progress.advance(bool(data.get("ok", False)))

        def on_outcome(task: Task, outcome: TaskOutcome) -> None:
            record(task, outcome.result, outcome.thumbs, outcome.seconds, outcome.status)

        def on_failure(task: Task, reason: str, detail: str) -> None:
            budget = next((b for t, b in tasks if t.key == task.key), timeout)
            res = failure_result(cfg, opts.lang, task.path, reason, detail=detail, limit=budget)
            record(task, res.to_dict(), {}, budget if reason == "timeout" else 0.0, reason)

        setup = WorkerSetup(
            config=cfg,
            lang=opts.lang,
            plugins=opts.plugins,
            out=out,
            threads=threads_per_worker(jobs, len(tasks), os.cpu_count() or 1),
            checker=opts.checker,
            zip_limits=opts.zip_limits,
        )
        store.open()
        log = (out / "batch.log").open("ab") if tasks else None
        try:
            if tasks:
                progress.draw(force=True)
                if opts.dask is not None:
                    from gkcheck.batch.distributed import run_on_dask

                    run_on_dask(tasks, setup, opts.dask, on_outcome, on_failure)
                else:
                    if _mp_context().get_start_method() == "fork":
                        warm_up(engine_for(cfg, lang=opts.lang, plugins=opts.plugins))
                    _run_pool(tasks, setup, jobs, on_outcome, on_failure, log, progress.draw)
        finally:
            progress.close()
            store.close()
            if log is not None:
                log.close()
        records = [store.latest[r.key] for r in refs if r.key in store.latest]
        results = _final_results(records, opts, registry.rules)
        reworded = sum(1 for r in records if r.key not in checked and r.lang != opts.lang)
        outputs, coverage = _write_outputs(records, results, opts, rule_objs, registry.writers)
    by_rule: dict[str, int] = {}
    errors = warnings = waived = 0
    for res in results:
        for f in res.get("findings", []):
            if "waived" in f:
                waived += 1
                continue
            by_rule[f.get("rule", "?")] = by_rule.get(f.get("rule", "?"), 0) + 1
            errors += f.get("severity") == "error"
            warnings += f.get("severity") == "warning"
    passed = sum(1 for r in results if r.get("ok"))
    return BatchReport(
        total=len(records),
        checked=len(checked),
        reused=reused,
        passed=passed,
        failed=len(records) - passed,
        timeouts=counts["timeout"],
        crashes=counts["crash"],
        errors=errors,
        warnings=warnings,
        seconds=time.monotonic() - t0,
        run=run_id,
        rules=rules,
        by_rule=dict(sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))),
        outputs=outputs,
        coverage=coverage,
        keys_checked=tuple(checked),
        waived=waived,
        reworded=reworded,
    )


def _atomic_write(path: Path, data: bytes) -> None:
    part = path.with_name(path.name + ".part")
    part.write_bytes(data)
    os.replace(part, path)


def load_coverage(results: Sequence[Result], config: Config, as_of: dt.date) -> list[Any]:
    """Rows of the plan-coverage view, over the one schedule every command loads."""
    from gkcheck.coverage import build_coverage
    from gkcheck.submission.resources import load_schedule

    return list(build_coverage(results, schedule=load_schedule(config), as_of=as_of))


def _final_results(
    records: Sequence[Record], opts: BatchOptions, rules: Mapping[str, Rule]
) -> list[dict[str, Any]]:
    """The stored results worded in ``opts.lang``, the reviewers' waivers laid over them.

    Nothing is re-checked: the words come from each finding's message key and parameters
    (a result checked with another ``--lang`` is simply worded again), and waivers are applied
    here, when the outputs are rendered, so a waiver given after the run changes the next
    run's outputs without re-checking.
    """
    from gkcheck.waivers import waivers_for

    waivers = waivers_for(opts.root, opts.waivers, is_root=True)
    context = opts.config.message_context()
    out: list[dict[str, Any]] = []
    for r in records:
        result = reword(result_from_dict(r.result), opts.lang, rules, context)
        if waivers:
            result = waivers.apply(result, r.key, r.hash)
        out.append(result.to_dict())
    return out


def _write_outputs(
    records: Sequence[Record],
    final: Sequence[Mapping[str, Any]],
    opts: BatchOptions,
    rules: Sequence[Rule],
    writers: Mapping[str, object],
) -> tuple[dict[str, str], bool]:
    out = opts.out
    written: dict[str, str] = {}
    envelope = {
        "schema": SCHEMA,
        "gkcheck": __version__,
        "results": [dict(r) for r in final],
    }
    if "json" in opts.outputs:
        path = out / "results.json"
        _atomic_write(
            path, (json.dumps(envelope, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        )
        written["json"] = str(path)
    results = [result_from_dict(r) for r in final]
    coverage: list[Any] | None = None
    try:
        coverage = load_coverage(results, opts.config, opts.as_of or dt.date.today())
    except Exception as exc:  # noqa: BLE001 - a broken optional view must not cost the reports
        skipped = say("coverage_skipped", opts.lang, detail=f"{type(exc).__name__}: {exc}")
        print(f"gkcheck: {skipped}", file=sys.stderr)
        coverage = None
    thumbs: dict[str, dict[str, bytes]] = {}
    if "html" in opts.outputs:
        for rec in records:
            per: dict[str, bytes] = {}
            for ref, meta in rec.thumbs.items():
                try:
                    per[ref] = (out / str(meta.get("file", ""))).read_bytes()
                except OSError:
                    continue
            thumbs[str(rec.result.get("path", ""))] = per
    for name, file_name in (("xlsx", "summary.xlsx"), ("html", "report.html")):
        writer = writers.get(name)
        if name not in opts.outputs or not isinstance(writer, FileWriter):
            continue
        path = writer.write_file(
            results,
            out / file_name,
            lang=opts.lang,
            rules=rules,
            config=opts.config,
            coverage=coverage,
            thumbnails=thumbs,
        )
        written[name] = str(path)
    written["jsonl"] = str(out / "results.jsonl")
    return written, coverage is not None
