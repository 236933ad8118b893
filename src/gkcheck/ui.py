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
import re
from collections.abc import Sequence
from typing import Any

from gkcheck.catalogue import Msg, messages

__all__ = ["detail_text", "env_lang", "lang_from_argv", "say"]


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


#: A parser's English detail of why a file could not be read, and the catalogue key wording it.
_DETAILS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("inflates", re.compile(r"(?P<what>.+?) inflates to (?P<n>\d+) bytes")),
    ("not_zip", re.compile(r"not a valid zip archive \(.*\)")),
    ("word_password", re.compile(r"password-protected Word document")),
    ("pdf_password", re.compile(r"(?P<name>.+): the PDF is password-protected")),
    ("archive_encrypted", re.compile(r"the archive is encrypted")),
    ("dtd", re.compile(r"(?P<what>.+?) declares a DTD or entities")),
    ("not_xml", re.compile(r"(?P<what>.+?) is not well-formed XML")),
    ("missing_part", re.compile(r"missing part (?P<name>.+)")),
    ("no_word_part", re.compile(r"no Word document part in the archive")),
    ("no_body", re.compile(r"(?P<what>.+?) has no document body")),
    ("not_word", re.compile(r"an Office compound file that is not a Word document")),
    ("doc97", re.compile(r"Word 97-2003 \.doc; save it as \.docx")),
    ("no_pdf_header", re.compile(r"(?P<name>.+): no PDF header")),
    ("no_pages", re.compile(r"(?P<name>.+): no pages?( could be read)?")),
    ("looks_text", re.compile(r"looks like plain text")),
    ("looks_like", re.compile(r"looks like (?P<what>\w+)")),
    ("binary", re.compile(r"unknown binary content")),
    ("nesting", re.compile(r"nesting too deep")),
)


def detail_text(detail: str, lang: str) -> str:
    """A parser's detail in ``lang`` (the JSON evidence keeps the original words)."""
    if lang == "en":
        return detail
    for key, pattern in _DETAILS:
        m = pattern.fullmatch(detail)
        if m:
            fill = {k: (v or "") for k, v in m.groupdict().items()}
            return str(messages(lang).get("details", {}).get(key, detail)).format(**fill)
    return detail
