"""The progress line: counts, pass/fail and an ETA on a terminal; nothing otherwise."""

from __future__ import annotations

import io

from gkcheck.batch.runner import Progress


def test_progress_line_counts_and_eta() -> None:
    out = io.StringIO()
    p = Progress(4, enabled=True, lang="zh", stream=out)
    p.advance(True)
    p.advance(False)
    p.draw(force=True)
    p.close()
    text = out.getvalue()
    last = text.rstrip("\n").split("\r")[-1]
    assert "2/4" in last and "通过 1" in last and "未通过 1" in last and "剩余" in last
    assert text.endswith("\n")


def test_progress_is_silent_when_disabled() -> None:
    out = io.StringIO()
    p = Progress(3, enabled=False, lang="en", stream=out)
    p.advance(True)
    p.close()
    assert out.getvalue() == ""
