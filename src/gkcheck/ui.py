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

from gkcheck.rules import messages

__all__ = ["detail_text", "env_lang", "lang_from_argv", "localise", "say"]


def env_lang() -> str:
    """The interface language the environment asks for ("zh" when it says nothing)."""
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
    """The interface text ``key`` in ``lang`` (English when missing), filled."""
    table = messages(lang).get("cli", {})
    template = table.get(key) or messages("en").get("cli", {}).get(key) or key
    try:
        return template.format(**fill)
    except (KeyError, IndexError):
        return template


#: English fragments of configuration and usage errors, and the catalogue key that words each.
_FRAGMENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("err_unknown_rule", re.compile(r"unknown rule (?P<rule>'[^']*')(?:; did you mean (?P<close>[^?]+)\?)?")),
    ("err_non_empty", re.compile(r"must be a non-empty string")),
    ("err_year", re.compile(r"must be a year such as (?P<year>\d+)")),
    ("err_lang", re.compile(r'must be "zh" or "en"')),
    ("err_strings", re.compile(r"must be a list of strings")),
    ("err_severity", re.compile(r"must be error, warning or info")),
    ("err_table", re.compile(r"must be a table")),
    ("err_number", re.compile(r"must be a number")),
    ("err_between", re.compile(r"must be between (?P<low>\S+) and (?P<high>\S+)")),
    ("err_bool", re.compile(r"must be true or false")),
    ("err_date", re.compile(r"must be a date")),
    ("err_choice", re.compile(r"must be (?P<choices>\"[^\n]+\")")),
    ("err_unknown_key", re.compile(r"unknown key")),
    ("err_toml", re.compile(r"not valid TOML: (?P<detail>.+)")),
    ("err_utf8", re.compile(r"not UTF-8 text")),
    ("err_waivers", re.compile(r"cannot read waivers: (?P<detail>.+)")),
    ("err_read", re.compile(r"cannot read: (?P<detail>.+)")),
    ("err_no_file", re.compile(r"no such file: (?P<path>.+)")),
    ("err_not_text", re.compile(r"missing or not a text")),
    ("err_not_folder", re.compile(r"not a folder: (?P<path>.+)")),
)


def localise(message: str, lang: str) -> str:
    """An error message (``source: key: problem``) with its English problem in ``lang``."""
    if lang == "en":
        return message
    for key, pattern in _FRAGMENTS:
        m = pattern.search(message)
        if m:
            fill = {k: (v or "") for k, v in m.groupdict().items()}
            if key == "err_unknown_rule" and fill.get("close"):
                fill["close"] = say("err_did_you_mean", lang, close=fill["close"])
            return message[: m.start()] + say(key, lang, **fill) + message[m.end() :]
    return message


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
