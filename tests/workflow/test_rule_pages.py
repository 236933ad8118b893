"""Rule pages come with the package: ``gkcheck rules GK101`` prints the whole page when installed."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
from tests.conftest import ROOT

from gkcheck.cli import main
from gkcheck.config import Config
from gkcheck.plugins import Registry
from gkcheck.rulepages import rule_page

DOCS = ROOT / "docs" / "rules"


def test_every_gk_rule_has_a_page_read_through_importlib_resources() -> None:
    registry = Registry.build(Config(), load_entrypoints=False)
    for rule in registry.sorted_rules():
        page = rule_page(rule)
        assert page is not None, rule.id
        assert page == (DOCS / f"{rule.id}.md").read_text(encoding="utf-8")


def test_a_plugin_rule_carries_its_own_page(capsys: pytest.CaptureFixture[str]) -> None:
    sys.path.insert(0, str(ROOT / "plugins" / "gkcheck-example" / "src"))
    try:
        from gkcheck_example.rules import TITLE_TOO_LONG

        page = rule_page(TITLE_TOO_LONG)
    finally:
        sys.path.remove(str(ROOT / "plugins" / "gkcheck-example" / "src"))
    assert page is not None and page.startswith("# EXA101")


@pytest.mark.slow
def test_installed_wheel_prints_the_whole_page(tmp_path: Path) -> None:
    """Build the wheel, install it into a fresh venv, run ``gkcheck rules GK101`` from elsewhere.

    The venv reaches gkcheck's dependencies through a .pth file naming this interpreter's
    site-packages (no network); gkcheck itself comes only from the wheel.
    """
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(wheels), str(ROOT)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert build.returncode == 0, build.stderr
    wheel = next(wheels.glob("gkcheck-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "gkcheck/docs/rules/GK101.md" in names
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    site = Path(subprocess.check_output(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
    ).strip())
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)  # a pure wheel installs by unpacking (what pip does, minus scripts)
    (site / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        [str(py), "-m", "gkcheck", "rules", "--no-plugins", "GK101"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == (DOCS / "GK101.md").read_text(encoding="utf-8").strip()
    where = subprocess.check_output(
        [str(py), "-c", "import gkcheck; print(gkcheck.__file__)"], text=True, cwd=tmp_path, env=env
    )
    assert where.startswith(str(site))


def test_rules_command_prints_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--no-plugins", "GK101"]) == 0
    assert capsys.readouterr().out.strip() == (DOCS / "GK101.md").read_text(encoding="utf-8").strip()
