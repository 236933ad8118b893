"""One check in a child process with a deadline: the bound a caller of the API can rely on.

Parsers bound what they can (bytes read, page content inflation, a per-file time budget
checked between pages), but a single library call — pdfminer tokenising a page, a decoder on
a hostile picture — cannot be interrupted from inside Python. A child process can: it is
killed at the deadline and the caller gets a :class:`~gkcheck.findings.Result` holding a
GK000 "timeout" finding instead of waiting. Used by ``gkcheck.check(path, timeout=...)``.
"""

from __future__ import annotations

import contextlib
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from gkcheck.config import Config
    from gkcheck.findings import Result

__all__ = ["check_isolated"]


def _child(conn: Connection, path: Path, config: Config, lang: str) -> None:
    from gkcheck.api import engine_for
    from gkcheck.batch.hygiene import die_with_parent
    from gkcheck.safeio import input_root

    die_with_parent(None)
    try:
        with input_root(path if path.is_dir() else path.parent):
            result = engine_for(config, lang=lang).check(path)
        conn.send(("ok", result))
    except BaseException as exc:  # noqa: BLE001 - anything the parent must know about
        conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=6)}"))
    finally:
        conn.close()


def check_isolated(path: Path, config: Config, lang: str, timeout: float) -> Result:
    """The result of checking ``path`` in a child process, or a GK000 when it overran.

    A child that dies (killed for memory, a crash in a C library) also gives a GK000, so the
    result never claims more than was checked.
    """
    from gkcheck.batch.runner import _mp_context
    from gkcheck.batch.worker import failure_result

    ctx = _mp_context()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, path, config, lang), daemon=True)
    proc.start()
    child.close()
    outcome: tuple[str, Any] | None = None
    timed_out = False
    try:
        timed_out = not parent.poll(timeout)
        if not timed_out:
            with contextlib.suppress(EOFError, OSError):
                outcome = parent.recv()
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5.0)
        parent.close()
    if outcome is None:
        if timed_out:
            return failure_result(config, lang, path, "timeout", limit=timeout)
        return failure_result(config, lang, path, "crash", detail=f"exit code {proc.exitcode}")
    kind, value = outcome
    if kind == "ok":
        result: Result = value
        return result
    return failure_result(config, lang, path, "crash", detail=str(value).splitlines()[0])
