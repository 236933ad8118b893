"""Files shipped inside the gkcheck package: catalogues, tables, networks, the demo LOGO.

They are found next to this module rather than through ``importlib.resources``. gkcheck is
always installed as files -- the configuration names the demo LOGO by path, and a template
is read by path --, so both give the same file; but importing ``importlib.resources`` (with
the ``tempfile``, ``shutil``, ``random``, ``zipfile`` and compression modules it brings) was
most of 3-4 ms of a one-photo ``gkcheck logo`` process (paired over 53 photos, with
``tempfile`` imported only by a process that writes to a store), which a CMS hook pays for
every photo (fifty-fifth session, docs/vision/logo.md). Plugins' own rule pages are still found through
``importlib.resources`` (``rulepages``): another package may be installed otherwise.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["package_file"]

_ROOT = Path(__file__).parent


def package_file(*parts: str) -> Path:
    """The path of the shipped file ``parts`` (e.g. ``"data", "logo", "sample-logo.png"``)."""
    return _ROOT.joinpath(*parts)
