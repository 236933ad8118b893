"""``--lang`` re-words a stored batch: the reports change language, nothing is checked again."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .conftest import copy_samples, read_jsonl, run_cli

if TYPE_CHECKING:
    from pathlib import Path

NAMES = [
    "区交通运输局-0505-源头企业安全监管座谈",
    "区信访局-0623-信访工作条例宣传.zip",
    "区教育局-0420-非学科类校外培训中心",
]


def _messages(out: Path) -> list[tuple[str, str, str, str | None]]:
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return [
        (r["path"].rsplit("/", 1)[-1], f["rule"], f["message"], f.get("hint"))
        for r in data["results"]
        for f in r["findings"]
    ]


def test_changing_only_the_language_rewords_the_stored_results(tmp_path: Path) -> None:
    src = copy_samples(tmp_path / "in", NAMES)
    out = tmp_path / "out"
    first = run_cli("batch", src, "--out", out, "--jobs", "1", "--no-ocr", "--format", "json")
    assert first.returncode in (0, 1), first.stderr
    assert json.loads(first.stdout)["checked"] == len(NAMES)
    stored = read_jsonl(out / "results.jsonl")
    assert len(stored) == len(NAMES) and {r["lang"] for r in stored} == {"zh"}
    zh = _messages(out)
    assert len(zh) >= 5 and all(f["key"] for r in stored for f in r["result"]["findings"])

    again = run_cli(
        "batch", src, "--out", out, "--jobs", "1", "--no-ocr", "--lang", "en", "--format", "json"
    )
    assert again.returncode == first.returncode, again.stderr
    summary = json.loads(again.stdout)
    assert (summary["checked"], summary["reused"], summary["reworded"]) == (0, len(NAMES), len(NAMES))
    assert read_jsonl(out / "results.jsonl") == stored  # not one check ran: no record appended
    en = _messages(out)
    assert [m[:2] for m in en] == [m[:2] for m in zh] and en != zh

    # the words are those a fresh English check gives
    fresh = tmp_path / "fresh"
    run_cli("batch", src, "--out", fresh, "--jobs", "1", "--no-ocr", "--lang", "en", "--force")
    assert en == _messages(fresh)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert en[0][2].split("“")[0][:20] in html

    text = run_cli("batch", src, "--out", out, "--jobs", "1", "--no-ocr")  # back in Chinese
    assert "本次检查 0 份" in text.stdout and _messages(out) == zh
    assert "未重新检查" not in text.stdout  # the stored words are Chinese: nothing re-worded
    assert read_jsonl(out / "results.jsonl") == stored
