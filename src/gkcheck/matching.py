"""Which planned activity a submission reports on.

Submissions do not quote the schedule: the table says ``法治宣传进乡村``, the news says
``雨花区司法局送法下乡``. Several units run two or three activities (区教育局 two in
April, 同升街道 three), so the unit alone does not decide. The score combines three
signals, each in [0, 1]:

* **unit** - the submission's unit resolves (through :class:`UnitDirectory`) to the
  activity's unit: the strongest signal, weight 0.4;
* **month** - the activity month equals the planned month (1), is one month off (0.5,
  activities slip), or not (0): weight 0.2;
* **theme** - how much of the planned theme the title and lead cover: jieba content
  tokens (60 %) and character bigrams (40 %, robust to segmentation differences such
  as 科技工作日 vs 科技工作者日), each weighted by inverse document frequency over the
  schedule so that words every theme shares (宣传, 政策) count little. Weight 0.4.

Coverage of the theme (an overlap coefficient), not Jaccard, is used because a lead
is much longer than a theme and its extra words are no evidence against it.

Missing signals drop out and the rest are renormalised. Without a known unit the
theme must carry the decision alone, so the bar is higher (see :class:`Thresholds`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from gkcheck._jieba import load_jieba
from gkcheck.schedule import Activity, Schedule
from gkcheck.units import UnitDirectory, core_name

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = [
    "MatchResult",
    "MatchStatus",
    "Matcher",
    "Thresholds",
    "match_activity",
]

MatchStatus = Literal["matched", "ambiguous", "unmatched"]

#: Phrases every report contains; removed before tokenising so they match nothing.
STOP_PHRASES: tuple[str, ...] = (
    "湖南省",
    "长沙市",
    "雨花区",
    "政务公开主题日",
    "政务公开",
    "主题日活动",
    "2023年度",
    "2023年",
    "2023",
)
#: Tokens that carry no theme content in this campaign.
STOP_TOKENS: frozenset[str] = frozenset(
    {
        "活动", "开展", "举办", "举行", "组织", "进行", "持续", "积极", "深入",
        "主题", "主题日", "政务", "公开", "年度", "我区", "全区", "本次", "此次",
        "工作人员", "群众", "居民", "市民", "通过", "围绕", "进一步", "以及",
        "邀请", "现场", "有关", "相关", "一起", "其中", "共同", "一次", "为了",
    }
)  # fmt: skip
#: Words jieba's default dictionary splits badly in this domain.
DOMAIN_WORDS: tuple[str, ...] = (
    "小升初", "非学科类", "校外培训", "民法典", "数字经济", "数字人民币",
    "企业家沙龙", "科普日", "科技工作者", "户外招牌", "燃气管道", "暑运",
    "公租房", "非法集资", "箱涵", "林木种子", "职业病", "信访", "廉政教育",
    "社会救助", "乡村振兴", "一站式", "惠企", "纾困", "护理员", "退役士兵",
    "营商环境", "消防验收", "适应性培训", "随机查餐厅", "商事调解",
)  # fmt: skip

_CJK = re.compile(r"[\u4e00-\u9fff]+")
_CJK_OR_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9.]+")
_WORD = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9.]+$")


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Decision bars; kept together so the lead can tune them from configuration.

    ``known_unit_bar`` is reached by the unit's activity in the planned month even with
    no theme overlap (0.4 + 0.2 = 0.6 of 1.0) - one activity of the unit that month is
    what the report is about - but not by one two months away with no overlap.
    ``theme_only_bar`` and ``min_theme`` apply when the unit is unknown: then only a
    clear theme overlap is trusted, and ``evidence_weight`` (summed IDF of the theme
    tokens found, about two distinctive words) is what a full theme score needs.
    ``margin`` (``theme_only_margin`` without a unit) separates a match from a tie.
    """

    known_unit_bar: float = 0.5
    theme_only_bar: float = 0.45
    min_theme: float = 0.35
    margin: float = 0.05
    theme_only_margin: float = 0.1
    evidence_weight: float = 6.0
    max_candidates: int = 5


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The chosen activity (``None`` unless ``status == "matched"``) and the ranking.

    ``candidates`` are the best-scoring activities, best first, so an "ambiguous" or
    "unmatched" report can still show the reviewer what came close.
    """

    activity: Activity | None
    score: float
    status: MatchStatus
    candidates: tuple[tuple[Activity, float], ...]
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class _Features:
    tokens: frozenset[str]
    bigrams: frozenset[str]


@cache
def _tokenizer(vocabulary: frozenset[str]) -> Any:
    """A private jieba tokenizer whose dictionary holds only words found in ``vocabulary``.

    The schedule's themes decide which terms count, so a dictionary word that is not a
    substring of any schedule text can never be a wanted term. Keeping only the words that
    are (with their frequencies and jieba's own total, so routes score as before) segments
    every schedule text exactly as the full dictionary does, yet reads in ~0.3 s instead of
    the 1.7-4 s jieba takes to load its 350 000 words in each process. Report texts then
    split around the theme words, which is all matching looks for. The tokenizer is private
    so DOMAIN_WORDS do not leak into other modules' jieba.
    """
    jieba = load_jieba()
    longest = max((len(w) for w in DOMAIN_WORDS), default=1) + 8
    pieces: set[str] = set()
    for text in vocabulary:
        for run in _CJK_OR_WORD.findall(text):
            for i in range(len(run)):
                for j in range(i + 1, min(len(run), i + longest) + 1):
                    pieces.add(run[i:j])
    freq: dict[str, int] = {}
    total = 0
    with (Path(str(jieba.__file__)).parent / "dict.txt").open(encoding="utf-8") as fh:
        for line in fh:
            word, count, *_ = line.split(" ", 2)
            n = int(count)
            total += n
            if word in pieces:
                freq[word] = n
    tok = jieba.Tokenizer()
    for word in list(freq):
        for k in range(1, len(word)):
            freq.setdefault(word[:k], 0)
    tok.FREQ = freq
    tok.total = total
    tok.initialized = True
    for word in DOMAIN_WORDS:
        tok.add_word(word)
    return tok


def _normalise(text: str, names: Sequence[str] = ()) -> str:
    text = unicodedata.normalize("NFKC", text)
    for phrase in (*names, *STOP_PHRASES):
        text = text.replace(phrase, "|")
    return text


def _features(tokenizer: Any, text: str, names: Sequence[str] = ()) -> _Features:
    cleaned = _normalise(text, names)
    tokens = {
        t
        for t in tokenizer.lcut_for_search(cleaned)
        if len(t) >= 2 and _WORD.match(t) and t not in STOP_TOKENS
    }
    bigrams: set[str] = set()
    for run in _CJK.findall(cleaned):
        for i in range(len(run) - 1):
            pair = run[i : i + 2]
            if pair not in STOP_TOKENS:
                bigrams.add(pair)
    return _Features(frozenset(tokens), frozenset(bigrams))


def _idf(docs: Iterable[frozenset[str]]) -> dict[str, float]:
    docs = list(docs)
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc)
    n = len(docs)
    return {term: math.log(1.0 + n / count) for term, count in df.items()}


def _coverage(wanted: dict[str, float], present: frozenset[str]) -> float:
    total = sum(wanted.values())
    if total <= 0:
        return 0.0
    return sum(w for term, w in wanted.items() if term in present) / total


@dataclass(frozen=True, slots=True)
class _Profile:
    """An activity's weighted theme terms (form terms count half)."""

    tokens: dict[str, float]
    bigrams: dict[str, float]


def _weighted(
    theme: frozenset[str], form: frozenset[str], idf: dict[str, float]
) -> dict[str, float]:
    out = {t: idf.get(t, 1.0) * 0.5 for t in form}
    out.update({t: idf.get(t, 1.0) for t in theme})
    return out


@dataclass(frozen=True, slots=True)
class Matcher:
    """Scores submissions against one schedule; build once, match many."""

    schedule: Schedule
    directory: UnitDirectory = field(default_factory=UnitDirectory.default)
    thresholds: Thresholds = field(default_factory=Thresholds)
    _profiles: dict[int, _Profile] = field(init=False, repr=False, compare=False)
    _names: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _tok: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = _unit_spellings(self.directory, self.schedule)
        vocabulary = frozenset(
            _normalise(text, names) for a in self.schedule for text in (a.theme, a.form)
        )
        tok = _tokenizer(vocabulary)
        themes = {a.seq: _features(tok, a.theme, names) for a in self.schedule}
        forms = {a.seq: _features(tok, a.form, names) for a in self.schedule}
        tok_idf = _idf(themes[s].tokens | forms[s].tokens for s in themes)
        bi_idf = _idf(themes[s].bigrams | forms[s].bigrams for s in themes)
        profiles = {
            seq: _Profile(
                _weighted(themes[seq].tokens, forms[seq].tokens, tok_idf),
                _weighted(themes[seq].bigrams, forms[seq].bigrams, bi_idf),
            )
            for seq in themes
        }
        object.__setattr__(self, "_profiles", profiles)
        object.__setattr__(self, "_names", names)
        object.__setattr__(self, "_tok", tok)

    def theme_score(self, activity: Activity, texts: Sequence[str]) -> float:
        """How much of ``activity``'s theme ``texts`` cover, in [0, 1]."""
        return self._theme(activity, _features(self._tok, "\n".join(texts), self._names))

    def _theme(self, activity: Activity, feats: _Features) -> float:
        profile = self._profiles[activity.seq]
        tok = _coverage(profile.tokens, feats.tokens)
        bi = _coverage(profile.bigrams, feats.bigrams)
        return 0.6 * tok + 0.4 * bi

    def _evidence(self, activity: Activity, feats: _Features) -> float:
        """Absolute weight of the theme words found, scaled so 1.0 is "enough".

        Coverage alone over-rewards short themes: 科技活动周 is fully covered by any
        text saying 科技. Without a known unit that is no evidence, so the theme
        score is scaled down until about two distinctive words are found.
        """
        profile = self._profiles[activity.seq]
        found = sum(w for t, w in profile.tokens.items() if t in feats.tokens)
        return min(1.0, found / self.thresholds.evidence_weight)

    def match(
        self,
        *,
        unit: str | None,
        month: int | None,
        texts: Sequence[str],
    ) -> MatchResult:
        """Match a submission (its unit, activity month and title/lead texts)."""
        resolved = self._resolve(unit)
        known = resolved is not None and bool(self.schedule.by_unit(resolved))
        feats = _features(self._tok, "\n".join(texts), self._names)
        scored: list[tuple[Activity, float, float]] = []
        for activity in self.schedule:
            theme = self._theme(activity, feats)
            if not known:
                theme *= self._evidence(activity, feats)
            parts: list[tuple[float, float]] = [(0.4, theme)]
            if known:
                same = self.schedule.canonical_unit(activity.unit) == resolved
                parts.append((0.4, 1.0 if same else 0.0))
            if month is not None:
                parts.append((0.2, _month_score(activity.month, month)))
            weight = sum(w for w, _ in parts)
            score = sum(w * s for w, s in parts) / weight
            scored.append((activity, score, theme))
        scored.sort(key=lambda item: (-item[1], item[0].seq))
        th = self.thresholds
        candidates = tuple(
            (a, round(s, 4)) for a, s, _ in scored[: th.max_candidates] if s > 0
        )
        if not scored:
            return MatchResult(None, 0.0, "unmatched", (), resolved)
        best, best_score, best_theme = scored[0]
        second_score = scored[1][1] if len(scored) > 1 else 0.0
        if known:
            passes = best_score >= th.known_unit_bar
        else:
            passes = best_score >= th.theme_only_bar and best_theme >= th.min_theme
        score = round(best_score, 4)
        if not passes:
            return MatchResult(None, score, "unmatched", candidates, resolved)
        margin = th.margin if known else th.theme_only_margin
        if best_score - second_score < margin:
            return MatchResult(None, score, "ambiguous", candidates, resolved)
        return MatchResult(best, score, "matched", candidates, resolved)

    def _resolve(self, unit: str | None) -> str | None:
        if unit is None or not unit.strip():
            return None
        resolved = self.directory.resolve(unit)
        if resolved is None:
            resolved = self.schedule.canonical_unit(unit)
        return resolved


def _unit_spellings(directory: UnitDirectory, schedule: Schedule) -> tuple[str, ...]:
    """Every way a unit is written, longest first, to be removed before scoring.

    Unit names are no theme evidence: ``商务局政策宣传推广`` would otherwise match every
    report of 区商务局 because each one names its unit. The unit signal is scored
    separately.
    """
    spelled: set[str] = set()
    for unit in directory.units:
        for name in (unit.name, *unit.aliases):
            spelled.add(name)
            core = core_name(name)
            if len(core) >= 2:
                spelled.update({core, "区" + core, "雨花区" + core})
    spelled.update(schedule.units())
    return tuple(sorted(spelled, key=lambda n: (-len(n), n)))


def _month_score(planned: int, actual: int) -> float:
    gap = abs(planned - actual)
    if gap == 0:
        return 1.0
    if gap == 1:
        return 0.5
    return 0.0


@cache
def _default_matcher() -> Matcher:
    return Matcher(Schedule.load())


def match_activity(
    unit: str | None,
    month: int | None,
    texts: Sequence[str],
    *,
    schedule: Schedule | None = None,
) -> MatchResult:
    """Match against ``schedule`` (the packaged 2023 plan by default)."""
    matcher = _default_matcher() if schedule is None else Matcher(schedule)
    return matcher.match(unit=unit, month=month, texts=texts)
