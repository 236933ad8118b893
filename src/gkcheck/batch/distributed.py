"""``gkcheck batch --scheduler tcp://HOST:PORT``: the same batch, its checks run on a Dask cluster.

The client (this process) keeps everything that makes a batch a batch: discovery, the state
file, resume, progress and the outputs (:mod:`gkcheck.batch.runner` calls :func:`run_on_dask`
instead of its process pool, with the same two callbacks). Only the checks move: each
submission becomes one Dask task.

No shared filesystem is assumed. The client ships each submission's bytes with its task (a
folder as an uncompressed tar made in memory, a zip or loose file as it is), at most
``ship_limit`` bytes (a larger one gets a GK000 ``ship-too-large`` finding and never leaves the
client), and only a bounded window of tasks is in flight, so client memory stays bounded. The
worker unpacks into a private temporary folder under the submission's own name, checks it with
:meth:`gkcheck.engine.Engine.check` and rewrites that folder's path in the result to the
client's path, so the result is the one a local run gives. Thumbnails come back as bytes and
the client stores them. ``shared_fs`` skips all of this when every worker sees the client's
paths.

On each Dask worker the check runs in a child process that loads the engine (and the OCR
models) once and serves that worker's tasks one at a time, single-threaded, exactly like a
local batch worker (:func:`gkcheck.batch.worker.serve`). Keeping the check out of the Dask
worker process is what lets the per-submission time limit hold: a check past its limit is
killed with its child (``timeout`` finding), a child that dies is a ``crash`` finding, and the
Dask worker itself stays healthy. A Dask worker that dies mid-task (machine lost, killed) is
the scheduler's business: it reruns the task elsewhere up to its ``allowed-failures``, after
which the client records a GK000 ``worker-lost`` finding.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import logging
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import warnings
from concurrent.futures import CancelledError
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gkcheck import __version__
from gkcheck.batch.worker import (
    Task,
    TaskOutcome,
    WorkerSetup,
    _limit_threads,
    serve,
    warm_up,
)
from gkcheck.errors import GkcheckError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

__all__ = [
    "DEFAULT_SHIP_LIMIT",
    "DaskOptions",
    "Shipment",
    "check_shipped",
    "dask_missing",
    "run_on_dask",
]

#: The most bytes one submission may ship by default: a dozen phone photos, a report, a plan.
DEFAULT_SHIP_LIMIT = 256 * 1024 * 1024

#: ``WorkerSetup.out`` of a batch without a shared filesystem: each checking process writes
#: thumbnails into a private folder and they travel back as bytes.
_NO_OUT = Path()

#: What to tell a user whose Python has no Dask.
INSTALL_HINT = GkcheckError(msg="dask_missing")  #: why --scheduler cannot work here


@dataclass(frozen=True, slots=True, kw_only=True)
class DaskOptions:
    """Where the cluster is and how submissions reach it."""

    scheduler: str  # tcp://HOST:PORT
    shared_fs: bool = False  # workers read the client's paths and write thumbnails into --out
    ship_limit: int = DEFAULT_SHIP_LIMIT  # bytes per submission
    connect_timeout: float = 30.0  # seconds to reach (or get back) the scheduler


@dataclass(frozen=True, slots=True)
class Shipment:
    """One submission as a worker receives it."""

    task: Task  # the client's key, path and form
    name: str  # the file or folder name the worker unpacks it under
    payload: bytes | None  # tar (folder) or the file's bytes; None with a shared filesystem
    version: str = __version__


@dataclass(frozen=True, slots=True)
class Shipped:
    """What a worker sends back: the outcome (or why there is none) and the thumbnails."""

    status: str  # ok | timeout | crash
    outcome: TaskOutcome | None
    detail: str = ""
    thumbs: dict[str, bytes] | None = None  # "thumbs/…jpg" -> bytes (not with a shared fs)
    worker: str = ""


def dask_missing() -> GkcheckError | None:
    """Why ``--scheduler`` cannot work here (Dask not installed), or ``None``."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        return INSTALL_HINT
    return None


# -- the client ---------------------------------------------------------------------------------


class ShipTooLarge(Exception):
    """A submission holds more bytes than may be shipped."""


def _size(path: Path) -> int:
    """Bytes the submission's regular files hold (symlinks are not followed)."""
    st = path.lstat()
    if not stat.S_ISDIR(st.st_mode):
        return st.st_size if stat.S_ISREG(st.st_mode) else 0
    total = 0
    for root, _dirs, files in os.walk(path, followlinks=False):
        for f in files:
            with contextlib.suppress(OSError):
                fst = os.lstat(os.path.join(root, f))
                if stat.S_ISREG(fst.st_mode):
                    total += fst.st_size
    return total


def pack(task: Task, limit: int) -> Shipment:
    """The submission's bytes, ready to send; raises :class:`ShipTooLarge` over ``limit``."""
    size = _size(task.path)
    if size > limit:
        raise ShipTooLarge(f"{size} bytes > {limit}")
    name = task.path.name
    if task.form != "folder":
        return Shipment(task, name, task.path.read_bytes())
    buf = io.BytesIO()
    # GNU format with the filesystem encoding: names travel as their raw bytes, so a GBK name
    # reaches the engine exactly as it lies on the client's disk
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        tar.add(str(task.path), arcname=name, recursive=True)
    return Shipment(task, name, buf.getvalue())


def run_on_dask(
    tasks: Sequence[tuple[Task, float]],
    setup: WorkerSetup,
    opts: DaskOptions,
    on_outcome: Callable[[Task, TaskOutcome], None],
    on_failure: Callable[[Task, str, str], None],
) -> None:
    """Run ``tasks`` as Dask tasks, calling the runner's callbacks as results arrive.

    Raises :class:`gkcheck.batch.runner.BatchError` when Dask is missing, the scheduler cannot
    be reached or goes away; every result that arrived before is already recorded.
    """
    from gkcheck.batch.runner import BatchError

    if dask_missing() is not None:
        raise BatchError(msg="dask_missing")
    dist: Any = importlib.import_module("distributed")  # untyped: kept behind Any
    # Dask logs its reconnection attempts as tracebacks; the user gets one clear line instead
    names = ["distributed", "distributed.client", "distributed.utils", "distributed.comm"]
    names += [n for n in logging.root.manager.loggerDict if n.startswith("distributed.")]
    quiet = {n: logging.getLogger(n) for n in names}
    levels = {n: lg.level for n, lg in quiet.items()}
    for lg in quiet.values():
        lg.setLevel(logging.CRITICAL)
    try:
        _run(dist, tasks, setup, opts, on_outcome, on_failure)
    finally:
        for n, lg in quiet.items():
            lg.setLevel(levels[n])


def _run(
    dist: Any,
    tasks: Sequence[tuple[Task, float]],
    setup: WorkerSetup,
    opts: DaskOptions,
    on_outcome: Callable[[Task, TaskOutcome], None],
    on_failure: Callable[[Task, str, str], None],
) -> None:
    from gkcheck.batch.runner import BatchError

    try:
        client = dist.Client(opts.scheduler, timeout=opts.connect_timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise BatchError(msg="dask_unreachable", where=opts.scheduler, detail=str(exc)) from exc
    remote = replace(setup, threads=1, out=setup.out if opts.shared_fs else _NO_OUT)
    pending = list(reversed(tasks))  # popped from the end: submitted in discovery order
    running: dict[Any, tuple[Task, float]] = {}
    done = dist.as_completed(loop=client.loop, with_results=False)
    window = _window(client)
    checked_window = time.monotonic()
    try:

        def submit_more() -> None:
            while pending and len(running) < window:
                task, budget = pending.pop()
                if opts.shared_fs:
                    shipment = Shipment(task, task.path.name, None)
                else:
                    try:
                        shipment = pack(task, opts.ship_limit)
                    except ShipTooLarge as exc:
                        on_failure(task, "ship-too-large", str(exc))
                        continue
                    except OSError as exc:  # vanished or unreadable since discovery
                        on_failure(task, "unreadable", f"{type(exc).__name__}: {exc}")
                        continue
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # "large object in task graph": by design
                    fut = client.submit(
                        check_shipped, shipment, remote, budget, pure=False, retries=0
                    )
                running[fut] = (task, budget)
                done.add(fut)

        submit_more()
        for fut in done:
            task, _budget = running.pop(fut)
            _settle(fut, task, on_outcome, on_failure, setup.out, dist)
            if time.monotonic() - checked_window > 5.0:
                window, checked_window = _window(client, window), time.monotonic()
            submit_more()
    except _SchedulerGone as exc:
        raise BatchError(msg="dask_lost", where=opts.scheduler, detail=str(exc)) from exc
    finally:
        with contextlib.suppress(Exception):
            client.cancel(list(running))
        with contextlib.suppress(Exception):
            client.close(timeout=5)


class _SchedulerGone(Exception):
    """The client lost its scheduler: the futures it held were cancelled under it."""


def _window(client: Any, default: int = 4) -> int:
    """Tasks in flight: two per worker thread, so no worker waits for the client."""
    try:
        threads = sum(client.nthreads().values())
    except Exception:  # noqa: BLE001 - keep the old window while the scheduler is busy
        return default
    return max(4, 2 * int(threads))


def _lost(text: str) -> str:
    """Dask's long KilledWorker message, cut to how many workers died and the last one."""
    tried = re.search(r"on (\d+) different workers", text)
    last = re.search(r"(tcp://[^\s.]+(?:\.[^\s.]+)*?)\.?(?:\s|$)", text)
    parts = [f"{tried.group(1)} workers died running it" if tried else text[:200]]
    if last:
        parts.append(f"last {last.group(1)}")
    return "; ".join(parts)


def _settle(
    fut: Any,
    task: Task,
    on_outcome: Callable[[Task, TaskOutcome], None],
    on_failure: Callable[[Task, str, str], None],
    out: Path,
    dist: Any,
) -> None:
    """Record one finished future through the runner's callbacks."""
    if fut.status == "cancelled":
        raise _SchedulerGone("its tasks were cancelled")
    try:
        shipped: Shipped = fut.result()
    except dist.KilledWorker as exc:
        on_failure(task, "worker-lost", _lost(str(exc)))
        return
    except CancelledError as exc:
        raise _SchedulerGone(str(exc)) from exc
    except Exception as exc:  # noqa: BLE001 - any task error is that submission's finding
        on_failure(task, "crash", f"{type(exc).__name__}: {exc}"[:300])
        return
    if shipped.outcome is None:
        on_failure(task, shipped.status, shipped.detail)
        return
    for name, data in (shipped.thumbs or {}).items():
        target = out / name
        if not target.is_file() and name.startswith("thumbs/") and "/" not in name[7:]:
            target.parent.mkdir(parents=True, exist_ok=True)
            part = target.with_name(target.name + ".part")
            part.write_bytes(data)
            os.replace(part, target)
    on_outcome(task, shipped.outcome)


# -- the worker ---------------------------------------------------------------------------------


class _Child:
    """A checking process owned by a Dask worker: one engine, one task at a time."""

    def __init__(self, setup: WorkerSetup) -> None:
        shipped = setup.out == _NO_OUT
        self.thumbs = (
            Path(tempfile.mkdtemp(prefix="gkcheck-thumbs-", dir=_scratch())) if shipped else None
        )
        self.setup = setup if self.thumbs is None else replace(setup, out=self.thumbs)
        ours, theirs = socket.socketpair()
        fd = theirs.fileno()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from gkcheck.batch.distributed import _child; _child()",
                str(fd),
            ],
            pass_fds=(fd,),
            env=_child_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        theirs.close()
        self.conn = Connection(ours.detach())
        self.conn.send(self.setup)
        limit = max(120.0, setup.config.timeout)
        if not self.conn.poll(limit):
            self.close(kill=True)
            raise OSError(f"checking process did not start within {limit:g} s")
        self.conn.recv()  # ("ready", pid)

    def run(self, task: Task, budget: float) -> tuple[str, TaskOutcome | None, str]:
        """``(status, outcome, detail)``: ``timeout`` or ``crash`` leave this child dead."""
        try:
            self.conn.send(task)
            if not self.conn.poll(budget):
                self.close(kill=True)
                return "timeout", None, ""
            outcome = self.conn.recv()
        except (EOFError, OSError):
            self.close(kill=True)
            return "crash", None, f"exit code {self.proc.returncode}"
        assert isinstance(outcome, TaskOutcome)
        return outcome.status, outcome, ""

    def close(self, *, kill: bool = False) -> None:
        with contextlib.suppress(OSError):
            if kill:
                self.proc.kill()
            self.conn.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        if self.thumbs is not None:
            shutil.rmtree(self.thumbs, ignore_errors=True)


def _child_env() -> dict[str, str]:
    """The worker's environment without Dask's ``MALLOC_TRIM_THRESHOLD_=65536``.

    The nanny sets it to give memory back to the OS sooner; inherited by a checking process it
    made every image allocation a fresh mmap: the same 42 submissions with OCR took 2.4x the
    CPU (155.6 s wall vs 71.4 s for a local ``--jobs 2``).
    """
    return {k: v for k, v in os.environ.items() if k != "MALLOC_TRIM_THRESHOLD_"}


def _child() -> None:
    """Entry point of a checking process: the setup comes first over the socket, then tasks."""
    from gkcheck.api import engine_for

    conn = Connection(int(sys.argv[1]))
    setup = conn.recv()
    # one thread first (as serve() does), or the warm-up would build OCR and OpenCV with a
    # thread per core: measured 2.2x slower with OCR on 2 cores; then load the word lists
    # before the first clock starts, as a local batch's parent does before it forks
    _limit_threads(setup.threads)
    warm_up(engine_for(setup.config, lang=setup.lang, plugins=setup.plugins))
    serve(conn, setup)


_IDLE: dict[bytes, list[_Child]] = {}
_LOCK = threading.Lock()


@contextlib.contextmanager
def _borrow(setup: WorkerSetup) -> Iterator[_Child]:
    """An idle child for this setup (one per busy Dask thread), started on first use.

    Children of another setup (an earlier batch with another configuration) are closed: a
    worker serves one batch's configuration at a time, so only one set of engines stays loaded.
    """
    import pickle

    key = pickle.dumps(setup)
    stale: list[_Child] = []
    with _LOCK:
        for other in [k for k in _IDLE if k != key]:  # another batch's: free its memory
            stale += _IDLE.pop(other)
        idle = _IDLE.setdefault(key, [])
        child = idle.pop() if idle else None
    for old in stale:
        old.close()
    if child is None:
        child = _Child(setup)
    try:
        yield child
    finally:
        if child.proc.poll() is None:
            with _LOCK:
                _IDLE.setdefault(key, []).append(child)


def check_shipped(shipment: Shipment, setup: WorkerSetup, budget: float) -> Shipped:
    """The Dask task: unpack, check in this worker's child process, name the client's paths."""
    worker = _worker()
    where = "" if worker is None else str(worker.address)
    if shipment.version != __version__:
        detail = f"gkcheck {__version__} on worker {where}, {shipment.version} on the client"
        return Shipped("crash", None, detail, worker=where)
    task = shipment.task
    if shipment.payload is None:  # shared filesystem
        with _borrow(setup) as child:
            status, outcome, detail = child.run(task, budget)
        return Shipped(status, outcome, detail, worker=where)
    tmp = Path(tempfile.mkdtemp(prefix="gkcheck-ship-", dir=_scratch()))
    try:
        local = tmp / shipment.name
        if task.form == "folder":
            _untar(shipment.payload, tmp)
            local.mkdir(exist_ok=True)
        else:
            local.write_bytes(shipment.payload)
        with _borrow(setup) as child:
            status, outcome, detail = child.run(Task(task.key, local, task.form), budget)
            thumbs = _take_thumbs(child, outcome)
        if outcome is not None:
            outcome = _renamed(outcome, str(local), str(task.path))
        return Shipped(status, outcome, detail, thumbs, worker=where)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _worker() -> Any | None:
    """The Dask worker running this task, None outside one."""
    with contextlib.suppress(Exception):
        from distributed import get_worker

        return get_worker()
    return None


def _scratch() -> str | None:
    """The Dask worker's own directory, or the system's temporary one (None) outside a worker.

    Our temporary files live there because Dask removes it when the worker closes and purges
    a killed worker's at the next worker's start: idle children (and their thumbnail folders)
    are never closed at a worker's exit, and a killed worker runs no ``finally``, so in the
    system's temporary folder each test run left six ``gkcheck-*`` folders behind.
    """
    worker = _worker()
    return None if worker is None else str(worker.local_directory)


def _untar(payload: bytes, dest: Path) -> None:
    """Unpack what is safe: the stdlib's ``data`` filter refuses links and paths leaving ``dest``."""
    with tarfile.open(fileobj=io.BytesIO(payload), mode="r:") as tar:
        for member in tar:
            with contextlib.suppress(tarfile.TarError, OSError):
                tar.extract(member, dest, filter="data")


def _take_thumbs(child: _Child, outcome: TaskOutcome | None) -> dict[str, bytes]:
    """The thumbnails the child wrote for this outcome, read and removed."""
    out: dict[str, bytes] = {}
    if outcome is None or child.thumbs is None:
        return out
    for meta in outcome.thumbs.values():
        name = str(meta.get("file", ""))
        path = child.thumbs / name
        with contextlib.suppress(OSError):
            out[name] = path.read_bytes()
            path.unlink()
    return out


def _renamed(outcome: TaskOutcome, worker_path: str, client_path: str) -> TaskOutcome:
    """The outcome with the worker's temporary path replaced by the client's everywhere."""

    def fix(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace(worker_path, client_path) if worker_path in value else value
        if isinstance(value, dict):
            return {fix(k): fix(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value

    return replace(outcome, result=fix(outcome.result), thumbs=fix(outcome.thumbs))
