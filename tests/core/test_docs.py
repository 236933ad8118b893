"""Docs stay true: every rule has a page that quotes the notice verbatim; every hook is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gkcheck import hookspecs
from gkcheck.config import Config
from gkcheck.plugins import Registry

DOCS = Path(__file__).resolve().parents[2] / "docs"
NOTICE = re.sub(r"\s+", "", (DOCS / "notice.md").read_text(encoding="utf-8"))
RULES = Registry.build(Config(), load_entrypoints=False).sorted_rules()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_has_page(rule: object) -> None:
    from gkcheck.rules import Rule

    assert isinstance(rule, Rule)
    page = DOCS / "rules" / f"{rule.id}.md"
    assert page.is_file(), f"docs/rules/{rule.id}.md is missing"
    text = page.read_text(encoding="utf-8")
    assert text.startswith(f"# {rule.id} {rule.name}\n")
    assert f"severity: {rule.severity}" in text
    for quote in re.findall(r"^> (.+)$", text, flags=re.MULTILINE):
        assert re.sub(r"\s+", "", quote) in NOTICE, f"{rule.id} misquotes the notice: {quote}"


def test_notice_is_the_seed() -> None:
    seed_dir = Path(__file__).resolve().parents[3] / "shared" / "seed"
    if not seed_dir.is_dir():
        pytest.skip("shared/seed not beside this checkout")
    for f in seed_dir.glob("*.txt"):
        assert re.sub(r"\s+", "", f.read_text(encoding="utf-8")) in NOTICE


def test_every_hook_is_documented() -> None:
    text = (DOCS / "plugins.md").read_text(encoding="utf-8")
    for name in dir(hookspecs):
        if name.startswith("gkcheck_"):
            assert f"## {name}(" in text, f"docs/plugins.md lacks a section for {name}"
