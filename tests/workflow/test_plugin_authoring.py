"""Plugin authors: a plugin that fails to load is one line naming it; writers are plugins too."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gkcheck.config import Config
from gkcheck.plugins import Registry, get_plugin_manager
from gkcheck.writers.base import FileWriter, Writer

BROKEN = "gkcheck_broken_demo_plugin"


@pytest.fixture
def broken_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A distribution whose gkcheck entry point names a module that raises on import."""
    (tmp_path / f"{BROKEN}.py").write_text("raise ImportError('needs libfoo 2')\n", encoding="utf-8")
    info = tmp_path / "gkcheck_broken_demo-0.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: gkcheck-broken-demo\nVersion: 0.3\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[gkcheck]\nbroken = {BROKEN}\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return "broken"


@pytest.mark.parametrize(("lang", "words"), [("zh_CN.UTF-8", "加载失败，已跳过"), ("en_US.UTF-8", "failed to load")])
def test_a_plugin_that_fails_to_load_is_one_line_naming_it(
    broken_plugin: str,
    lang: str,
    words: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LANG", lang)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    pm = get_plugin_manager()
    assert pm.get_plugin(broken_plugin) is None
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if broken_plugin in line]
    assert len(lines) == 1, err
    assert "gkcheck-broken-demo 0.3" in lines[0] and "needs libfoo 2" in lines[0] and words in lines[0]
    assert "Traceback" not in err and "Warning" not in err
    sys.modules.pop(BROKEN, None)


def test_every_output_format_is_a_registered_writer() -> None:
    reg = Registry.build(Config(), load_entrypoints=False)
    text = {n for n, w in reg.writers.items() if isinstance(w, Writer)}
    files = {n for n, w in reg.writers.items() if isinstance(w, FileWriter)}
    assert {"text", "json", "sarif", "junit", "github"} <= text
    assert files == {"xlsx", "html"}
