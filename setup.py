"""Copies the rule pages (docs/rules/*.md, their one source) into the built package.

Everything else is declared in pyproject.toml. ``gkcheck rules GK101`` reads the pages with
importlib.resources (``gkcheck/docs/rules/``), so an installed wheel prints the whole page;
a checkout without a build reads docs/rules/ itself (see gkcheck.rulepages).
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithRulePages(build_py):
    """build_py, plus the rule pages as package data."""

    def run(self) -> None:
        super().run()
        source = Path(__file__).resolve().parent / "docs" / "rules"
        target = Path(self.build_lib) / "gkcheck" / "docs" / "rules"
        target.mkdir(parents=True, exist_ok=True)
        for page in sorted(source.glob("*.md")):
            (target / page.name).write_bytes(page.read_bytes())


setup(cmdclass={"build_py": BuildWithRulePages})
