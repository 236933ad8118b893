"""EXA101 through gkcheck's public testing helpers."""

from __future__ import annotations

from gkcheck_example.rules import title_too_long

from gkcheck import Config
from gkcheck.testing import document_from_lines, registered_rule_ids, run_check

LONG = "雨花区教育局开展2023年“政务公开主题日”小升初招生政策解读暨家长开放体验与现场答疑系列活动圆满举行"
SHORT = "雨花区教育局开展“政务公开主题日”活动"
BODY = ["4月18日，雨花区教育局开展“政务公开主题日”活动，解读招生政策。", "下一步，将持续开展“政务公开主题日”活动。"]


def test_long_title_warns() -> None:
    findings = run_check(title_too_long, document_from_lines([LONG, *BODY]))
    assert [f.rule for f in findings] == ["EXA101"]
    assert findings[0].evidence["limit"] == 40


def test_short_title_passes() -> None:
    assert run_check(title_too_long, document_from_lines([SHORT, *BODY])) == []


def test_limit_from_config() -> None:
    config = Config(plugins={"example": {"max-title": 10}})
    assert run_check(title_too_long, document_from_lines([SHORT, *BODY]), config)


def test_entry_point_registers_rule() -> None:
    assert "EXA101" in registered_rule_ids()
