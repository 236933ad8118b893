"""The page's words in Chinese (the default) and English: the catalogues' ``[page]`` table."""

from __future__ import annotations

from typing import Any

from gkcheck.catalogue import LANGS, messages

__all__ = ["LANGS", "words"]


def words(lang: str) -> dict[str, Any]:
    """The page's words for ``lang`` (Chinese for anything else)."""
    return dict(messages("en" if lang == "en" else "zh")["page"])
