"""A bounded pool of worker processes for the checks, driven from the server's event loop.

Parsing, OCR and OpenCV are CPU-bound and may hang or crash on a hostile file, so they run
in ``workers`` processes, never in the server. At most ``workers + queue`` requests hold a
place at once; one more is refused at once (:class:`Busy` → HTTP 503 with Retry-After)
rather than piling up memory. A job that overruns its time limit has its worker killed and
replaced; the request gets an answer (GK000 "timeout") and the server carries on. Workers
are also replaced after ``recycle`` jobs, so memory a parser leaks cannot grow without end.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import multiprocessing as mp
import os
import signal
import time
from multiprocessing.connection import Connection
from typing import Any

from gkcheck.serve.work import Job, WorkerConfig, dispatch, warm

__all__ = ["Busy", "Outcome", "WorkerPool"]

START_TIMEOUT = 120.0  # seconds a new worker may take to import and warm up


class Busy(Exception):
    """Every worker is busy and the queue is full; ``retry_after`` is a guess in seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"busy, retry after {retry_after} s")
        self.retry_after = retry_after


Outcome = tuple[str, Any]  # ("ok", data) | ("timeout", None) | ("crash", detail)


def _limit_threads() -> None:
    """One core per worker: N workers then use at most N cores between them."""
    with contextlib.suppress(Exception):
        import cv2

        cv2.setNumThreads(1)
    with contextlib.suppress(Exception):
        from gkcheck.vision import ocr

        ocr.set_threads(1)


def _worker_main(conn: Connection, wc: WorkerConfig) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when workers stop
    _limit_threads()
    warm(wc)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            conn.send(("ok", dispatch(job, wc)))
        except Exception as exc:  # noqa: BLE001 - report; the next job may be fine
            conn.send(("crash", f"{type(exc).__name__}: {exc}"))


class _Slot:
    """One worker process and its pipe."""

    def __init__(self, ctx: Any, wc: WorkerConfig) -> None:
        parent, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, wc), daemon=True)
        self.proc.start()
        child.close()
        self.conn: Connection = parent
        self.jobs = 0

    def wait_ready(self) -> bool:
        try:
            return bool(self.conn.poll(START_TIMEOUT)) and self.conn.recv()[0] == "ready"
        except (EOFError, OSError):
            return False

    def call(self, job: Job, timeout: float) -> Outcome:
        self.jobs += 1
        try:
            self.conn.send(job)
            if not self.conn.poll(timeout):
                return ("timeout", None)
            answer: Outcome = self.conn.recv()
            return answer
        except (EOFError, OSError) as exc:
            code = self.proc.exitcode
            return ("crash", f"exit code {code}" if code is not None else type(exc).__name__)

    def stop(self, *, kill: bool = False) -> None:
        with contextlib.suppress(OSError, ValueError):
            if kill:
                self.proc.kill()
            else:
                self.conn.send(None)
        self.proc.join(timeout=0.5 if kill else 3.0)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(timeout=2.0)
        self.conn.close()


class WorkerPool:
    """``workers`` processes, ``queue`` more requests waiting, ``timeout`` seconds per job."""

    def __init__(
        self, wc: WorkerConfig, *, workers: int, queue: int, timeout: float, recycle: int = 200
    ) -> None:
        self.wc = wc
        self.workers = max(1, workers)
        self.capacity = self.workers + max(0, queue)
        self.timeout = timeout
        self.recycle = recycle
        self.in_flight = 0
        self.ready = 0
        self.answered = 0
        self._tickets = 0  # handed out in arrival order; a waiting request's place is
        self._served = 0  # its ticket minus the tickets already given a worker
        self._seconds = 5.0  # running mean of a job's time, for Retry-After
        method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
        self._ctx = mp.get_context(method)
        if method == "forkserver":
            self._ctx.set_forkserver_preload(["gkcheck.serve.work", "gkcheck.api"])
        self._idle: asyncio.Queue[_Slot] | None = None
        self._slots: set[_Slot] = set()
        self._starting: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Start the workers; returns when the first is ready (the rest follow)."""
        self._idle = asyncio.Queue()
        tasks = [asyncio.create_task(self._add()) for _ in range(self.workers)]
        self._starting.update(tasks)
        for t in tasks:
            t.add_done_callback(self._starting.discard)
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)

    async def _add(self) -> None:
        assert self._idle is not None
        slot = await asyncio.to_thread(_Slot, self._ctx, self.wc)
        self._slots.add(slot)
        if await asyncio.to_thread(slot.wait_ready):
            self.ready += 1
            self._idle.put_nowait(slot)
        else:  # it died while starting: try once more later rather than spin
            self._slots.discard(slot)
            await asyncio.to_thread(slot.stop, kill=True)
            await asyncio.sleep(5.0)
            self._spawn()

    def _spawn(self) -> None:
        task = asyncio.create_task(self._add())
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)

    async def _replace(self, slot: _Slot, *, kill: bool) -> None:
        self._slots.discard(slot)
        self.ready -= 1
        await asyncio.to_thread(slot.stop, kill=kill)
        self._spawn()

    def retry_after(self) -> int:
        """Seconds until a place is likely free: the queue's length in mean job times."""
        return max(1, math.ceil(self._seconds * self.in_flight / self.workers))

    def ahead(self, ticket: int) -> int:
        """How many requests wait before the one holding ``ticket``."""
        return max(0, ticket - self._served)

    async def run(self, job: Job, progress: dict[str, Any] | None = None) -> Outcome:
        """The outcome of ``job``; raises :class:`Busy` at once when no place is free.

        :param progress: updated as the job moves: ``{"state": "queued", "ticket": n}`` (see
            :meth:`ahead`), then ``{"state": "running", "started": monotonic time}``.
        """
        if self._idle is None:
            raise RuntimeError("pool not started")
        if self.in_flight >= self.capacity:
            raise Busy(self.retry_after())
        self.in_flight += 1
        ticket = self._tickets
        self._tickets += 1
        if progress is not None:
            progress.update(state="queued", ticket=ticket)
        try:
            try:  # a free worker, unless none could be started at all
                wait = START_TIMEOUT + self.timeout * math.ceil(self.capacity / self.workers)
                slot = await asyncio.wait_for(self._idle.get(), wait)
            except TimeoutError:
                return ("crash", "no worker available")
            finally:
                self._served = max(self._served, ticket + 1)
            start = time.monotonic()
            if progress is not None:
                progress.update(state="running", started=start)
            call = asyncio.ensure_future(asyncio.to_thread(slot.call, job, self.timeout))
            try:
                outcome: Outcome = await asyncio.shield(call)
            except asyncio.CancelledError:  # the client left: the worker finishes, then is free
                call.add_done_callback(lambda f: self._settle(slot, f.result(), start))
                raise
            self._settle(slot, outcome, start)
            self.answered += 1
            return outcome
        finally:
            self.in_flight -= 1

    def _settle(self, slot: _Slot, outcome: Outcome, start: float) -> None:
        """Give the worker back, or replace it when it hung, died or did its share."""
        assert self._idle is not None
        self._seconds = 0.8 * self._seconds + 0.2 * (time.monotonic() - start)
        if outcome[0] != "ok" or slot.jobs >= self.recycle:
            task = asyncio.get_running_loop().create_task(
                self._replace(slot, kill=outcome[0] != "ok")
            )
            self._starting.add(task)
            task.add_done_callback(self._starting.discard)
        else:
            self._idle.put_nowait(slot)

    async def close(self) -> None:
        """Stop every worker (politely, then by force)."""
        for task in list(self._starting):
            task.cancel()
        slots, self._slots = list(self._slots), set()
        await asyncio.gather(*(asyncio.to_thread(s.stop) for s in slots))
