"""Plugins: built-ins use the same hooks; the example plugin's rule runs once installed."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from gkcheck import Document, Finding, Rule, Severity, hookimpl
from gkcheck.config import Config
from gkcheck.errors import PluginError
from gkcheck.plugins import BUILTIN_PLUGINS, Registry, get_plugin_manager
from gkcheck.rules import CheckContext, check_function, selected


def test_builtins_register_through_hooks() -> None:
    reg = Registry.build(Config(), load_entrypoints=False)
    assert {"GK101", "GK102", "GK103", "GK104", "GK000", "GK001"} <= set(reg.rules)
    assert all(reg.rule_plugin[r].startswith("gkcheck.") for r in reg.rules)
    assert {"docx"} <= {p.kind for p in reg.parsers}
    assert {"text", "json"} <= set(reg.writers)


def test_every_builtin_module_is_a_plugin() -> None:
    pm = get_plugin_manager(load_entrypoints=False)
    registered = {pm.get_name(p) for p in pm.get_plugins()}
    import importlib.util

    shipped = {m for m in BUILTIN_PLUGINS if importlib.util.find_spec(m) is not None}
    assert shipped <= registered


def test_example_plugin_is_installed() -> None:
    names = {ep.name for ep in entry_points(group="gkcheck")}
    assert "example" in names, (
        "the example plugin is not installed: run `pip install -e plugins/gkcheck-example` "
        "(scripts/setup.sh does)"
    )


def test_example_rule_listed_and_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from gkcheck.cli import main

    assert main(["rules"]) == 0
    assert "EXA101" in capsys.readouterr().out
    import docx

    d = docx.Document()
    d.add_heading("雨花区教育局开展2023年“政务公开主题日”小升初招生政策解读暨家长开放体验与现场答疑系列活动", 0)
    d.add_paragraph("4月18日，雨花区教育局开展“政务公开主题日”活动。")
    d.add_paragraph("下一步，将继续开展“政务公开主题日”活动。")
    path = tmp_path / "long-title.docx"
    d.save(str(path))
    main(["check", str(path)])
    assert "EXA101" in capsys.readouterr().out
    main(["check", "--no-plugins", str(path)])
    assert "EXA101" not in capsys.readouterr().out


RULE = Rule(id="TST101", name="always", severity=Severity.WARNING, summary={"en": "always fires"})


@check_function(RULE)
def _always(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    yield ctx.finding(RULE, "hello")


class _Inline:
    @hookimpl
    def gkcheck_register_checks(self) -> list[object]:
        return [_always]


def test_inline_plugin_registered_and_unregistered() -> None:
    pm = get_plugin_manager(load_entrypoints=False)
    plugin = _Inline()
    pm.register(plugin, name="inline")
    try:
        reg = Registry.build(Config(), pm=pm)
        assert reg.rule_plugin["TST101"] == "inline"
    finally:
        pm.unregister(name="inline")
    assert "TST101" not in Registry.build(Config(), pm=pm).rules


def test_plugin_may_not_claim_gk_ids() -> None:
    bad = Rule(id="GK999", name="sneaky", severity=Severity.INFO, summary={"en": "x"})

    class P:
        @hookimpl
        def gkcheck_register_checks(self) -> list[object]:
            return [check_function(bad)(lambda d, c: ())]

    pm = get_plugin_manager(load_entrypoints=False)
    pm.register(P(), name="sneaky")
    with pytest.raises(PluginError, match="GK999"):
        Registry.build(Config(), pm=pm)


def test_duplicate_rule_is_an_error() -> None:
    class P:
        @hookimpl
        def gkcheck_register_checks(self) -> list[object]:
            return [_always]

    class Q:
        @hookimpl
        def gkcheck_register_checks(self) -> list[object]:
            dup = Rule(id="TST101", name="again", severity=Severity.INFO, summary={"en": "x"})
            return [check_function(dup)(lambda d, c: ())]

    pm = get_plugin_manager(load_entrypoints=False)
    pm.register(P(), name="p")
    pm.register(Q(), name="q")
    with pytest.raises(PluginError, match="TST101"):
        Registry.build(Config(), pm=pm)


def test_rule_ids_are_validated() -> None:
    with pytest.raises(ValueError, match="does not match"):
        Rule(id="gk1", name="x", severity=Severity.INFO, summary={})


@pytest.mark.parametrize(
    ("select", "ignore", "runs"),
    [
        ((), (), True),
        (("GK1",), (), True),
        (("GK2",), (), False),
        (("GK1",), ("GK101",), False),
        (("GK101",), ("GK1",), True),
        ((), ("title-without-keyword",), False),
        (("ALL",), (), True),
    ],
)
def test_selection(select: tuple[str, ...], ignore: tuple[str, ...], runs: bool) -> None:
    from gkcheck.checks.keyword_placement import TITLE

    assert selected(TITLE, select, ignore) is runs
