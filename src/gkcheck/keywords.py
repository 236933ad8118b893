"""Finding the campaign keyword the way a careful reader does.

A reader accepts 政务公开主题日 written with spaces or a line break inside it, in full-width
or half-width forms, with quote marks around or inside it (政务公开“主题日”) and in
traditional characters (政務公開主題日). A reader does **not** accept another campaign's name
(政务公开日, 政府开放日, 政务公开主题活动 …): those are near misses, reported as hints so the
unit knows what to fix. Matches keep their position in the original text so output can
highlight them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from gkcheck._jieba import load_jieba
from gkcheck.package_data import package_file

__all__ = ["KeywordMatcher", "Match", "NearMiss", "normalise"]

#: Characters a reader skips when reading the keyword: white space, zero-width marks, quotes.
_SKIPPED = frozenset(
    " \t\r\n\v\f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u200b\u200c\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff"
    "\"'“”‘’„‟＂＇「」『』〝〞〟‹›«»"
)

#: Endings that make a phrase a campaign name (…日, …月, …活动, …周).
_NAME_TAIL = re.compile(r"(日|月|周|活动)$")


@lru_cache(maxsize=1)
def _t2s() -> dict[str, str]:
    """Traditional → simplified, one character each (data/t2s.txt, built by tools/make_t2s.py)."""
    text = package_file("data", "t2s.txt").read_text(encoding="utf-8")
    return {line[0]: line[1] for line in text.splitlines() if len(line) == 2}


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    """One character folded: NFKC width folding, then traditional → simplified."""
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) == 1 and "\u3400" <= folded <= "\u9fff":
        return _t2s().get(folded, folded)
    return folded


def normalise(text: str) -> tuple[str, list[int]]:
    """``text`` folded for matching, and for each kept character its index in ``text``.

    Skipped characters (space, quotes) are dropped; each remaining character is width-folded
    and simplified. The index list maps matches back to the original for highlighting.
    """
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch in _SKIPPED:
            continue
        folded = _fold_char(ch)
        for part in folded:
            if part in _SKIPPED or part.isspace():
                continue
            out.append(part)
            where.append(i)
    return "".join(out), where


@dataclass(frozen=True, slots=True)
class Match:
    """An occurrence of the keyword: its span in the original text and what was written."""

    start: int
    end: int  # exclusive
    written: str  # the original text of the span, e.g. '政务公开“主题日'


@dataclass(frozen=True, slots=True)
class NearMiss:
    """A phrase that looks like the keyword but is not it."""

    start: int
    end: int
    written: str
    similarity: float  # share of the keyword's characters it has, in order


class KeywordMatcher:
    """Finds a keyword and its near misses in text. Built once per config."""

    def __init__(self, keyword: str, near_misses: Sequence[str] = ()) -> None:
        self.keyword = keyword
        self._key, _ = normalise(keyword)
        if not self._key:
            raise ValueError("keyword is empty after normalisation")
        self._near = tuple(
            sorted({normalise(n)[0] for n in near_misses} - {""}, key=len, reverse=True)
        )

    def find(self, text: str) -> list[Match]:
        """Every occurrence of the keyword in ``text``."""
        folded, where = normalise(text)
        matches: list[Match] = []
        start = folded.find(self._key)
        while start >= 0:
            end_fold = start + len(self._key) - 1
            s, e = where[start], where[end_fold] + 1
            matches.append(Match(s, e, text[s:e]))
            start = folded.find(self._key, start + len(self._key))
        return matches

    def contains(self, text: str) -> bool:
        """Whether the keyword occurs in ``text``."""
        return self._key in normalise(text)[0]

    def contains_any(self, texts: Iterable[str]) -> bool:
        """Whether the keyword occurs in any of ``texts`` (each read on its own)."""
        return any(self.contains(t) for t in texts)

    def near_misses(self, text: str) -> list[NearMiss]:
        """Phrases in ``text`` that a hurried writer uses instead of the keyword.

        Two sources: the configured list of other campaigns' names, and a jieba segmentation
        that finds runs of words sharing most of the keyword's characters in order and ending
        like a campaign name (日/月/周/活动), e.g. 政务公开主题活动 or 政务公开宣传日. Exact
        keyword occurrences are never reported as near misses.
        """
        folded, where = normalise(text)
        taken = [False] * len(folded)
        start = folded.find(self._key)
        while start >= 0:
            for i in range(start, start + len(self._key)):
                taken[i] = True
            start = folded.find(self._key, start + 1)
        found: list[NearMiss] = []

        def add(fs: int, fe: int) -> None:
            if fe <= fs or any(taken[fs:fe]):
                return
            for i in range(fs, fe):
                taken[i] = True
            s, e = where[fs], where[fe - 1] + 1
            piece = folded[fs:fe]
            found.append(NearMiss(s, e, text[s:e], round(_lcs(piece, self._key) / len(self._key), 3)))

        for phrase in self._near:
            pos = folded.find(phrase)
            while pos >= 0:
                add(pos, pos + len(phrase))
                pos = folded.find(phrase, pos + len(phrase))
        for fs, fe in _jieba_candidates(folded, self._key):
            add(fs, fe)
        found.sort(key=lambda n: n.start)
        return found


#: Word starts that a near miss of the keyword begins with; jieba only looks near them.
_ANCHORS = re.compile(r"政务|政府|公开|开放|主题|公众")


def _jieba_candidates(folded: str, key: str) -> list[tuple[int, int]]:
    """Spans of up to four consecutive jieba words that resemble ``key``.

    Segmenting whole reports is slow, so only short windows around anchor words
    (政务/政府/公开/开放/主题) are segmented.
    """
    windows: list[tuple[int, int]] = []
    for hit in _ANCHORS.finditer(folded):
        lo, hi = max(0, hit.start() - 4), min(len(folded), hit.start() + len(key) + 6)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
    if not windows:
        return []
    tokenizer = _tokenizer()
    spans: list[tuple[int, int]] = []
    need = max(3, int(len(key) * 0.55 + 0.5))
    for lo, hi in windows:
        tokens = [(w, s + lo, e + lo) for w, s, e in tokenizer.tokenize(folded[lo:hi])]
        for i in range(len(tokens)):
            if not _ANCHORS.match(tokens[i][0]):
                continue
            for j in range(i, min(i + 4, len(tokens))):
                fs, fe = tokens[i][1], tokens[j][2]
                piece = folded[fs:fe]
                if len(piece) > len(key) + 3:
                    break
                if _NAME_TAIL.search(piece) and _lcs(piece, key) >= need and piece != key:
                    spans.append((fs, fe))
                    break
    return spans


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """A jieba tokenizer over a small dictionary of campaign words.

    jieba's full dictionary takes 1–4 s to load per process; segmenting a dozen characters
    around 政务/政府/公开 needs only the words campaign names are made of, so gkcheck ships
    those (data/campaign-words.txt) and loads them in milliseconds.
    """
    jieba = load_jieba()
    tk = jieba.Tokenizer(dictionary=str(package_file("data", "campaign-words.txt")))
    tk.tmp_dir = None
    tk.cache_file = None
    tk.initialize()
    return tk


def _lcs(a: str, b: str) -> int:
    """Length of the longest common subsequence (both strings are short)."""
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]
