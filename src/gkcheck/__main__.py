"""``python -m gkcheck``."""

from __future__ import annotations

from gkcheck.cli import run

if __name__ == "__main__":
    run()
