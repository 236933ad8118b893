"""``results.jsonl``: every check's result, written the moment it is known.

One JSON object per line, appended, flushed and fsync'd, so a batch killed at any point loses
at most the submission being checked. The same file is the batch's memory: a re-run reads it
and re-checks only what changed. Format of a line (``"v": 1``)::

    {"v": 1, "key": "区教育局-0418-小升初政策解读",   # name in the batch folder
     "hash": "…",        # content hash of the submission's files (discover.content_hash)
     "stat": "…",        # cheap stat signature, to skip re-hashing unchanged files
     "stamp": "…",       # hash of gkcheck version + Config.fingerprint() + rules
     "lang": "zh",       # the language the result's words were rendered in when checked
     "gkcheck": "0.1.0", "run": "20230601T101500-1a2b", "checked_at": "2023-06-01T10:15:03+08:00",
     "seconds": 1.73, "status": "ok" | "timeout" | "crash", "timeout": 120.0,
     "thumbs": {"photo-ref": {"file": "thumbs/ab12….jpg", "width": 240, "height": 180}},
     "result": RESULT}   # the JSON contract's RESULT object (docs/json.md)

The language is not part of the stamp: every finding carries its message key and
language-free parameters (docs/json.md), so a run with another ``--lang`` re-words the stored
results (:func:`gkcheck.batch.records.reword`) instead of checking again.

The latest line for a key wins; a line cut short by a kill is dropped (and cut off the file
before appending, so it cannot glue itself to the next line). A submission is up to date when
its latest line has the current ``hash`` and ``stamp`` (a timeout is retried when the time
limit was raised) and its thumbnails are still on disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from pathlib import Path

__all__ = ["RECORD_VERSION", "Record", "Store", "make_stamp"]

RECORD_VERSION = 1
RESULTS_JSONL = "results.jsonl"


def make_stamp(*, version: str, fingerprint: str, rules: tuple[str, ...]) -> str:
    """What, besides the files, decides a result: a change here re-checks everything.

    Not the language: results are stored as message keys and parameters, worded when shown.
    """
    text = "\n".join(
        [f"gkcheck {version}", "worded when shown", "rules " + ",".join(rules), fingerprint]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """One line of ``results.jsonl``."""

    key: str
    hash: str
    stat: str
    stamp: str
    gkcheck: str
    run: str
    checked_at: str
    seconds: float
    status: str  # ok | timeout | crash
    timeout: float
    result: Mapping[str, Any]
    thumbs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    lang: str = ""  # the language the stored words are in (re-worded for another --lang)

    def to_json(self) -> str:
        """The line, without its newline."""
        data = {
            "v": RECORD_VERSION,
            "key": self.key,
            "hash": self.hash,
            "stat": self.stat,
            "stamp": self.stamp,
            "gkcheck": self.gkcheck,
            "run": self.run,
            "checked_at": self.checked_at,
            "seconds": round(self.seconds, 3),
            "status": self.status,
            "timeout": self.timeout,
            "thumbs": dict(self.thumbs),
            "lang": self.lang,
            "result": dict(self.result),
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Record:
        """A record from a parsed line; raises ``KeyError``/``TypeError`` when malformed."""
        return cls(
            key=str(data["key"]),
            hash=str(data["hash"]),
            stat=str(data.get("stat", "")),
            stamp=str(data["stamp"]),
            gkcheck=str(data.get("gkcheck", "")),
            run=str(data.get("run", "")),
            checked_at=str(data.get("checked_at", "")),
            seconds=float(data.get("seconds", 0.0)),
            status=str(data.get("status", "ok")),
            timeout=float(data.get("timeout", 0.0)),
            result=dict(data["result"]),
            thumbs=dict(data.get("thumbs", {})),
            lang=str(data.get("lang", "")),
        )

    def is_current(self, *, content: str, stamp: str, timeout: float, out: Path) -> bool:
        """Whether this record still answers for the submission as it is now."""
        if self.hash != content or self.stamp != stamp:
            return False
        if self.status == "timeout" and timeout > self.timeout:
            return False  # given more time, it may finish
        return all((out / str(t.get("file", ""))).is_file() for t in self.thumbs.values())


class Store:
    """The append-only results file of one output folder."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out / RESULTS_JSONL
        self.latest: dict[str, Record] = {}
        self.lines = 0
        self.dropped = 0
        self._fh: IO[bytes] | None = None

    def load(self) -> None:
        """Read every complete line; cut a torn last line off the file."""
        self.latest.clear()
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        good_end = data.rfind(b"\n") + 1
        if good_end < len(data):  # a line torn by a kill: it never counted
            with self.path.open("r+b") as fh:
                fh.truncate(good_end)
            self.dropped += 1
        for raw in data[:good_end].splitlines():
            if not raw.strip():
                continue
            try:
                rec = Record.from_json(json.loads(raw))
            except (ValueError, KeyError, TypeError):
                self.dropped += 1
                continue
            self.lines += 1
            self.latest[rec.key] = rec

    def open(self) -> None:
        """Open for appending."""
        self.out.mkdir(parents=True, exist_ok=True)
        self._fh = self.path.open("ab")

    def append(self, rec: Record) -> None:
        """Write one record durably before anything else happens."""
        if self._fh is None:
            self.open()
        assert self._fh is not None
        self._fh.write(rec.to_json().encode("utf-8") + b"\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self.latest[rec.key] = rec
        self.lines += 1

    def close(self) -> None:
        """Close the file (records are already on disk)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __iter__(self) -> Iterator[Record]:
        return iter(self.latest.values())


#: Lock descriptors this process holds; a forked worker closes its copies at once
#: (:func:`drop_inherited_locks`), so only the batch's own process holds the lock and the
#: kernel releases it the moment that process dies, even by ``kill -9``.
_HELD: set[int] = set()


def drop_inherited_locks() -> None:
    """In a forked child: close the copies of the parent's lock descriptors."""
    for fd in list(_HELD):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """One batch at a time per output folder: two writers would interleave results.

    An ``flock`` on a descriptor opened ``O_CLOEXEC`` (never passed to an ``exec``) that
    forked workers close (:func:`drop_inherited_locks`): the lock lives exactly as long as
    the process that took it.
    """
    out.mkdir(parents=True, exist_ok=True)
    lock = out / ".lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    _HELD.add(fd)
    try:
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # not POSIX: no lock, as before
            pass
        except OSError as exc:
            raise BlockingIOError(f"another gkcheck batch is writing to {out}") from exc
        yield
    finally:
        _HELD.discard(fd)
        os.close(fd)
