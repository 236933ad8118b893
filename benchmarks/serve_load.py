"""Load benchmark for ``gkcheck serve`` (not a test): N clients uploading reports for a while.

    .venv/bin/python benchmarks/serve_load.py [--clients 20] [--seconds 60] [--workers 2]
                                              [--queue 4] [--port 8765]

Starts ``python -m gkcheck serve`` on 127.0.0.1 (only: this never sends traffic elsewhere),
waits until its workers are ready, then runs ``--clients`` threads that each upload one
sample report after another (samples/word, reports with and without photos) to
POST /api/v1/check until ``--seconds`` have passed (and at most ``--max-requests`` in all).
A 503 is an answer: the client waits its Retry-After (at most 2 s) and goes on. Prints the
requests answered by status, p50/p95 latency of the 200s and of all answers, the peak memory
of the server and its workers (RSS summed over the process tree, sampled every 0.2 s), and
the files left in the server's upload folder after the last answer and after shutdown (both
must be 0). Every 200 is checked to be the JSON contract for the file that was sent.

Measured 2026-12-02 on the shared 2-core machine (load average 22-27 from other work), 2
workers, 60 s, 20 clients: queue 4 (the default 2 x workers): 569 requests, all answered
(230 x 200, 339 x 503 with Retry-After), 3.71 checks/s, p50/p95 of the 200s 1.53/2.48 s
(all answers 0.43/2.07 s), peak RSS of server + workers 436 MiB (247 idle), 0 files left
after the last answer, 0 upload folders after shutdown. Queue 18 (every client gets a place):
241 requests, all 200, 3.58 checks/s, p50/p95 4.73/7.00 s, peak 446 MiB, 0 and 0 left.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
REPORTS = [
    "r030-all-false-big-normal.docx",  # 1 photo, LOGO found
    "r023-one-missing-softbreak.docx",  # 4 photos
    "r025-all-true-prefix.docx",
    "r011-two-missing-table-1x1.docx",  # no photo
    "r052-credit-only-table-1x1.docx",  # 4 photos, LOGO in the third
]


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
        rss[int(entry.name)] = pages * page
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def _upload_root(pid: int) -> list[Path]:
    return sorted(Path(tempfile.gettempdir()).glob(f"gkcheck-serve-{pid}-*"))


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--max-requests", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--queue", type=int, default=4)
    ap.add_argument("--port", type=int, default=8765)
    args = ap.parse_args()

    url = f"http://127.0.0.1:{args.port}"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    cmd = [
        sys.executable, "-m", "gkcheck", "serve", "--host", "127.0.0.1", "--port", str(args.port),
        "--workers", str(args.workers), "--queue", str(args.queue), "--no-plugins",
    ]  # fmt: skip
    server = subprocess.Popen(cmd, env=env, cwd=ROOT)
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss(server.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        started = time.monotonic()
        while True:
            try:
                h = httpx.get(url + "/healthz", timeout=2).json()
                if h["ready"] >= args.workers:
                    break
            except (httpx.HTTPError, ValueError):
                pass
            if server.poll() is not None or time.monotonic() - started > 180:
                print("server did not start", file=sys.stderr)
                return 2
            time.sleep(0.3)
        idle_rss = _tree_rss(server.pid)
        print(
            f"server ready in {time.monotonic() - started:.1f} s, {idle_rss / 2**20:.0f} MiB idle"
        )

        bodies = {n: (ROOT / "samples" / "word" / n).read_bytes() for n in REPORTS}
        lock = threading.Lock()
        records: list[tuple[int, float]] = []  # (status or -1 for a transport error, seconds)
        wrong: list[str] = []
        sent = [0]
        end = time.monotonic() + args.seconds

        def client(k: int) -> None:
            i = k
            with httpx.Client(base_url=url, timeout=600) as c:
                while time.monotonic() < end:
                    with lock:
                        if sent[0] >= args.max_requests:
                            return
                        sent[0] += 1
                    name = REPORTS[i % len(REPORTS)]
                    i += 1
                    t0 = time.monotonic()
                    try:
                        r = c.post("/api/v1/check", files=[("files", (name, bodies[name]))])
                        status = r.status_code
                    except httpx.HTTPError as exc:
                        status, r = -1, None
                        wrong.append(f"{name}: {type(exc).__name__}")
                    dt = time.monotonic() - t0
                    with lock:
                        records.append((status, dt))
                    if r is not None and status == 200:
                        data = r.json()
                        if [x["path"] for x in data["results"]] != [name] or data["schema"] != 1:
                            wrong.append(f"{name}: answer for {data['results'][0]['path']}")
                    elif r is not None and status == 503:
                        time.sleep(min(2.0, float(r.headers.get("Retry-After", "1"))))
                    elif r is not None:
                        wrong.append(f"{name}: HTTP {status}")

        threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
        t_start = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - t_start
        left_running = [p for root in _upload_root(server.pid) for p in root.rglob("*")]
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        stop.set()
        sampler.join()
    left_after = _upload_root(server.pid)

    def pct(values: list[float], q: float) -> float:
        if not values:
            return float("nan")
        if len(values) == 1:
            return values[0]
        return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]

    by_status: dict[str, int] = {}
    for status, _ in records:
        key = str(status) if status >= 0 else "transport-error"
        by_status[key] = by_status.get(key, 0) + 1
    ok = [d for s, d in records if s == 200]
    every = [d for s, d in records if s >= 0]
    summary = {
        "clients": args.clients,
        "workers": args.workers,
        "queue": args.queue,
        "seconds": round(wall, 1),
        "requests": len(records),
        "by_status": by_status,
        "answered": sum(v for k, v in by_status.items() if k in ("200", "503")),
        "checked_per_s": round(len(ok) / wall, 2) if wall else 0.0,
        "p50_200_s": round(pct(ok, 50), 2),
        "p95_200_s": round(pct(ok, 95), 2),
        "p50_all_s": round(pct(every, 50), 3),
        "p95_all_s": round(pct(every, 95), 3),
        "idle_rss_mib": round(idle_rss / 2**20),
        "peak_rss_mib": round(peak[0] / 2**20),
        "files_left_after_last_answer": len(left_running),
        "upload_folders_left_after_shutdown": len(left_after),
        "server_exit": server.returncode,
        "wrong_answers": wrong[:10],
    }
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    bad = (
        by_status.get("transport-error", 0)
        or any(k not in ("200", "503") for k in by_status)
        or left_running
        or left_after
        or wrong
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
