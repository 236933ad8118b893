"""The language of gkcheck's own interface (help, errors, notes) and its words.

Findings are rendered in the review's language (``--lang`` or ``lang`` in gkcheck.toml); the
interface around them follows ``--lang`` too, else the environment (``LC_ALL``,
``LC_MESSAGES``, ``LANG``: ``zh_CN.UTF-8`` → zh, ``en_US.UTF-8`` → en; ``C`` chooses
nothing), else Chinese.
The words live in the message catalogues' ``[cli]`` tables (src/gkcheck/i18n/*.toml), one
place for both languages; a test fails when a key exists in one language only.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from gkcheck.catalogue import Msg

__all__ = ["env_lang", "lang_from_argv", "say"]


def env_lang() -> str:
    """The interface language the environment asks for ("zh" when it says nothing).

    ``GKCHECK_LANG`` (zh or en) first, for a reviewer whose desktop speaks another language.
    """
    own = os.environ.get("GKCHECK_LANG", "").strip().lower()
    if own in ("zh", "en"):
        return own
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if not value:
            continue
        low = value.lower()
        if low.startswith("zh"):
            return "zh"
        if low.startswith("en"):
            return "en"
        if low in ("c", "posix") or low.startswith("c."):
            continue  # no language chosen (containers, cron): Chinese, the reviewers' language
        return "zh"
    return "zh"


def lang_from_argv(argv: Sequence[str]) -> str:
    """``--lang`` from a command line before it is parsed (help texts need it), else the env."""
    args = list(argv)
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args) and args[i + 1] in ("zh", "en"):
            return args[i + 1]
        if arg.startswith("--lang=") and arg[7:] in ("zh", "en"):
            return arg[7:]
    return env_lang()


def say(key: str, lang: str, **fill: Any) -> str:
    """The interface text ``key`` of the ``[cli]`` table in ``lang`` (English when missing)."""
    return Msg("cli", key, fill).text(lang)
