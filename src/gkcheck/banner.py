"""The banner (会标) grammar of attachment 2, clause 二, in one place.

The notice allows exactly two banner texts::

    ××××单位 2023 年“政务公开主题日”活动
    ××××单位 2023 年“政务公开主题日”活动暨××××

:class:`BannerGrammar` checks a banner text against these forms and says *what* is
wrong as stable fault codes with parameters, never prose: the lead's zh/en message
catalogues turn codes into sentences, and rules, reports and tests compare codes.

Tolerance follows what a careful human reviewer accepts and no more:

* White space anywhere (including line breaks of a two-line banner), full- and
  half-width forms (``２０２３``), 曁 for 暨, and the region prefixes of unit names
  (长沙市雨花区/雨花区/区, resolved by :class:`gkcheck.units.UnitDirectory`) are not faults.
* Traditional characters in the fixed words (政務公開主題日, 活動) are folded so the rest
  of the banner can still be checked, and reported as ``traditional-script``: official
  signage must use standard simplified characters (国家通用语言文字法), and the notice
  asks for the keyword verbatim. Traditional characters inside a unit name are folded
  silently; the unit is still identified.
* ``source="ocr"``: text read from a photo. The recogniser confuses quote glyphs
  (“ read as ", 「, ' …), so any quote-like glyph counts as a quote, ``quotes-wrong-kind``
  is never reported, and ``quotes-missing`` only when neither side has a quote nor a
  gap inside the OCR line where a quote would stand (a thin glyph the recogniser
  dropped; a line break does not count, so a two-line banner broken right before a
  quote-less keyword is still reported). A few
  glyph misreads that cannot be a person's wording (曰/目 for 日, 话 for 活, O/l for 0/1 in
  the year) are corrected, and a one-character substitution inside the keyword by a
  character that is not a meaningful alternative (月, 周, 府, 放 …) counts as a misread
  rather than a near miss. Typed text gets none of these allowances.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from gkcheck.config import DEFAULT_NEAR_MISSES
from gkcheck.units import UnitDirectory

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "FAULT_CODES",
    "NEAR_MISSES",
    "NOTE_CODES",
    "BannerFault",
    "BannerGrammar",
    "BannerVerdict",
    "KeywordHit",
    "Source",
    "banner_like",
    "banner_parts",
    "default_grammar",
    "parse_banner",
]

Source = Literal["typed", "ocr"]
Form = Literal["plain", "ji"]
ParamValue = str | int

#: Every fault code :meth:`BannerGrammar.parse` can report, with its parameters.
FAULT_CODES: dict[str, tuple[str, ...]] = {
    "empty": (),
    "unit-missing": (),
    "unit-unknown": ("found", "level", "district"),
    "unit-misplaced": ("found",),
    "year-missing": ("expected",),
    "year-wrong": ("found", "expected"),
    "year-malformed": ("found", "expected"),
    "quotes-missing": (),
    "quotes-wrong-kind": ("open", "close", "kind"),
    "keyword-missing": ("found", "expected"),
    "keyword-near-miss": ("found", "expected"),
    "traditional-script": ("found",),
    "activity-missing": ("found",),
    "ji-empty": (),
    "extra-text": ("where", "found"),
}

#: Observations that are not faults (the banner is still valid), for display only.
NOTE_CODES: dict[str, tuple[str, ...]] = {
    "year-chinese-numerals": ("found",),
    "ocr-corrected": ("found", "read_as"),
}

#: The near misses a banner is read against by default: the configuration's one list
#: (``config.DEFAULT_NEAR_MISSES``, ``near-misses`` in gkcheck.toml). A banner that stops one
#: character short of the keyword (政务公开主题 without 日) is a near miss too; that is derived
#: from the keyword (``BannerGrammar``), not listed, since in a report's prose the same
#: characters are an ordinary phrase.
NEAR_MISSES: tuple[str, ...] = DEFAULT_NEAR_MISSES

#: Characters that, substituted into the keyword, make a different but meaningful
#: wording (a real near miss) rather than an OCR misread.
_MEANINGFUL_SUBSTITUTES = frozenset("月周年府放活动宣传专体务服开公主题政日")

#: Traditional forms of the characters that occur in banners, folded to simplified.
_TRAD_PAIRS = (
    "務务開开題题動动區区長长鎮镇農农業业衛卫發发統统計计監监場场徵征辦办聯联殘残綜综"
    "園园體体醫医療疗護护關关會会勞劳環环稅税運运輸输設设濟济經经資资訊讯傳传議议與与"
    "應应險险檢检協协術术員员財财築筑態态導导團团黨党權权審审廳厅縣县鄉乡車车貿贸電电"
    "學学習习國国際际歡欢為为個个這这題题"
)
_TRAD = {_TRAD_PAIRS[i]: _TRAD_PAIRS[i + 1] for i in range(0, len(_TRAD_PAIRS), 2)}
_TRAD_TABLE = str.maketrans(_TRAD)

#: Glyph variants that are the same character to any reader.
_VARIANTS = str.maketrans({"曁": "暨", "○": "〇"})

#: OCR misreads that no person would write, corrected only for ``source="ocr"``.
_OCR_FIXUPS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"主题[曰目]"), "主题日"),
    (re.compile(r"公开主题[曰目]"), "公开主题日"),
    (re.compile(r"[话括]动"), "活动"),
    (re.compile(r"活[劫幼]"), "活动"),
    (re.compile(r"政务公[幵并]"), "政务公开"),
    (re.compile(r"(?<=[0-9])[午牛]"), "年"),
    (re.compile(r"(?<=活动)[盟既噬暨墅登]"), "暨"),
    (re.compile(r"[南而面]花区"), "雨花区"),
    (re.compile(r"雨[化华]区"), "雨花区"),
)
_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "D": "0", "l": "1", "I": "1",
                             "|": "1", "Z": "2", "z": "2"})

_OCR_YEAR = re.compile(r"(?<![0-9A-Za-z])[0-9OoDlIZz|]{4}(?=年)")

#: Every glyph a reader (or OCR) may use as a quotation mark.
_QUOTE_LIKE = frozenset("\"'“”‘’「」『』《》〈〉〝〞〟„‟″′‵`´«»‹›()（）")
_SPACE = re.compile(r"\s+")
_YEAR = re.compile(r"([0-9]{4}|[0-9]{2}|[〇零一二三四五六七八九]{4})(年)?")
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}


@dataclass(frozen=True, slots=True)
class BannerFault:
    """One deviation from the approved forms: a stable code and its parameters.

    Parameters are kept as an ordered tuple of pairs so the fault stays hashable and
    comparable; :meth:`get` and :meth:`as_dict` read them.
    """

    code: str
    params: tuple[tuple[str, ParamValue], ...] = ()

    def get(self, name: str, default: ParamValue | None = None) -> ParamValue | None:
        """The value of parameter ``name``."""
        for key, value in self.params:
            if key == name:
                return value
        return default

    def as_dict(self) -> dict[str, ParamValue]:
        """Parameters as a dict, for message formatting and JSON."""
        return dict(self.params)


def _fault(code: str, **params: ParamValue) -> BannerFault:
    return BannerFault(code, tuple(params.items()))


@dataclass(frozen=True, slots=True)
class BannerVerdict:
    """What a banner text says and how it deviates from the approved forms.

    ``unit`` is the schedule name the unit resolves to; ``unit_text`` the unit as
    written (widths folded, spaces removed). ``expected`` is the approved form filled
    with the unit as written and the configured year, for "should read" messages.
    """

    text: str
    valid: bool
    unit: str | None
    unit_text: str
    year: int | None
    suffix: str | None
    form: Form | None
    faults: tuple[BannerFault, ...]
    expected: str
    source: Source = "typed"
    notes: tuple[BannerFault, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        """The fault codes, in the order found."""
        return tuple(f.code for f in self.faults)

    def fault(self, code: str) -> BannerFault | None:
        """The first fault with ``code``, or ``None``."""
        for f in self.faults:
            if f.code == code:
                return f
        return None


KeywordHit = Literal["keyword", "near-miss", "activity"]


@dataclass(frozen=True, slots=True)
class _KeywordSpan:
    start: int
    end: int
    kind: Literal["keyword", "near-miss"]
    found: str
    corrected_from: str | None = None


@dataclass(frozen=True)
class BannerGrammar:
    """The approved banner forms for one campaign, built from configuration values.

    ``year``, ``keyword`` and ``units`` come from config so next year's campaign (or
    another district) needs no code change.
    """

    year: int = 2023
    keyword: str = "政务公开主题日"
    units: UnitDirectory = field(default_factory=UnitDirectory.default)
    activity: str = "活动"
    ji: str = "暨"
    near_misses: tuple[str, ...] = NEAR_MISSES
    placeholder_unit: str = "××××单位"
    placeholder_suffix: str = "××××"

    # ------------------------------------------------------------------ helpers
    def expected(self, unit_text: str | None = None, suffix: str | None = None,
                 *, form: Form | None = None) -> str:
        """The approved form filled with ``unit_text`` and the configured year."""
        unit = unit_text or self.placeholder_unit
        text = f"{unit}{self.year}年“{self.keyword}”{self.activity}"
        if form == "ji" or suffix:
            text += self.ji + (suffix or self.placeholder_suffix)
        return text

    def normalise(self, text: str, source: Source = "typed") -> str:
        """Fold what readers ignore: widths, white space, glyph variants, OCR misreads."""
        return self._normalise(text, source)[0]

    def _normalise(self, text: str, source: Source) -> tuple[str, frozenset[int]]:
        """Normalised text and the indices where an in-line gap was removed.

        A gap inside one OCR line (the row joiner writes a space for it) is where a
        thin glyph such as a quotation mark may have been lost; line breaks are not
        gaps. Every OCR fix-up below keeps the length, so the indices stay valid.
        """
        nfkc = unicodedata.normalize("NFKC", text)
        chars: list[str] = []
        gaps: set[int] = set()
        for ch in nfkc:
            if ch.isspace():
                if ch not in "\r\n":
                    gaps.add(len(chars))
                continue
            chars.append(ch)
        out = "".join(chars).translate(_VARIANTS)
        if source == "ocr":
            for pattern, repl in _OCR_FIXUPS:
                out = pattern.sub(repl, out)
            out = _OCR_YEAR.sub(lambda m: m.group(0).translate(_OCR_DIGITS), out)
        return out, frozenset(gaps)

    def hit(self, text: str, source: Source = "ocr") -> KeywordHit | None:
        """How strongly ``text`` looks like a banner: keyword, near miss, 活动, or not.

        The banner reader uses this to pick the banner line among all the text in a
        photo, so that the same wording knowledge decides both reading and checking.
        """
        norm = self.normalise(text, source).translate(_TRAD_TABLE)
        span = self._find_keyword(norm, source)
        if span is not None:
            return span.kind
        # 活动 alone is any poster ("志愿服务活动"); a banner also names a unit or year.
        if self.activity in norm and (
            _last_year(norm) is not None or self.units.find_in(norm)
        ):
            return "activity"
        return None

    def _find_keyword(self, text: str, source: Source) -> _KeywordSpan | None:
        k = self.keyword
        pos = text.find(k)
        if pos >= 0:
            return _KeywordSpan(pos, pos + len(k), "keyword", k)
        if source == "ocr":
            # The detector clipped the first character at a line start.
            pos = text.find(k[1:])
            if len(k) > 4 and pos >= 0 and (pos == 0 or text[pos - 1] != k[0]):
                return _KeywordSpan(pos, pos + len(k) - 1, "keyword", k, k[1:])
            # One substituted character that is no meaningful alternative: a misread.
            for i in range(max(0, len(text) - len(k) + 1)):
                window = text[i : i + len(k)]
                diffs = [j for j in range(len(k)) if window[j] != k[j]]
                if (
                    len(diffs) == 1
                    and 0 < diffs[0] < len(k) - 1
                    and window[diffs[0]] not in _MEANINGFUL_SUBSTITUTES
                    and window[diffs[0]] not in _QUOTE_LIKE
                ):
                    return _KeywordSpan(i, i + len(k), "keyword", k, window)
        short = {k[:-1]} if len(k) > 4 else set()  # the keyword stopped one character early
        for near in sorted({*self.near_misses, *short}, key=len, reverse=True):
            pos = text.find(near)
            if pos >= 0:
                return _KeywordSpan(pos, pos + len(near), "near-miss", near)
        fuzzy = _approx_find(text, k, max_dist=2)
        if fuzzy is not None:
            start, end = fuzzy
            found = text[start:end]
            if len(found) >= 4 and found[0] == k[0]:
                return _KeywordSpan(start, end, "near-miss", found)
        return None

    # -------------------------------------------------------------------- parse
    def parse(self, text: str, *, source: Source = "typed") -> BannerVerdict:
        """Check one banner text (one or more lines) against the approved forms."""
        norm, gaps = self._normalise(text, source)
        if not norm:
            return BannerVerdict(
                text, False, None, "", None, None, None, (_fault("empty"),),
                self.expected(), source,
            )
        faults: list[BannerFault] = []
        notes: list[BannerFault] = []
        simplified = norm.translate(_TRAD_TABLE)

        span = self._find_keyword(simplified, source)
        if span is not None and span.corrected_from is not None:
            notes.append(_fault("ocr-corrected", found=span.found,
                                read_as=span.corrected_from))
        if span is not None:
            written_kw = norm[span.start : span.end]
            if written_kw != simplified[span.start : span.end]:
                faults.append(_fault("traditional-script", found=written_kw))
            prefix = simplified[: span.start]
            after = simplified[span.end :]
        else:
            prefix, after = self._split_without_keyword(simplified)

        # --- quotes around the keyword
        prefix, open_q = _strip_quotes(prefix, trailing=True)
        after, close_q = _strip_quotes(after, trailing=False)
        act = self.activity
        misplaced_close = ""
        if not close_q and after.startswith(act):
            rest, q = _strip_quotes(after[len(act) :], trailing=False)
            if q:
                misplaced_close = q
                after = act + rest
        if span is not None:
            if source == "ocr" and not open_q and not close_q and (
                span.start in gaps or span.end in gaps
            ):
                open_q = "\u2423"  # a gap where the quote stands: likely not read
            faults.extend(self._quote_faults(open_q, close_q or misplaced_close,
                                             bool(misplaced_close), source))

        # --- year and unit, in the text before the keyword
        unit_part, year, year_faults, between, year_notes = self._parse_year(prefix)
        notes.extend(year_notes)
        unit, unit_text, unit_faults = self._parse_unit(unit_part, source)
        if unit is None and not unit_text and between:
            # 2023年雨花区教育局“…”: the unit is there, after the year.
            moved = self.units.find_prefix(between)
            if moved is not None and moved[1] == len(between):
                unit, unit_text = moved[0], between
                unit_faults = [_fault("unit-misplaced", found=between)]
                between = ""
        faults[:0] = unit_faults + year_faults
        if between:
            faults.append(_fault("extra-text", where="after-year", found=between))

        # --- the keyword itself
        if span is None:
            faults.append(_fault("keyword-missing", found=self._slot(after),
                                 expected=self.keyword))
        elif span.kind == "near-miss":
            faults.append(_fault("keyword-near-miss", found=span.found,
                                 expected=self.keyword))

        # --- 活动 and the 暨 part
        suffix: str | None = None
        form: Form | None = None
        if after.startswith(act):
            rest = after[len(act) :]
            form = "plain"
        else:
            idx = after.find(act)
            ji_idx = after.find(self.ji)
            if idx >= 0 and (ji_idx < 0 or idx < ji_idx):
                if span is not None:
                    faults.append(_fault("extra-text", where="before-activity",
                                         found=after[:idx]))
                rest = after[idx + len(act) :]
                form = "plain"
            else:
                if span is not None or ji_idx >= 0 or after:
                    faults.append(_fault(
                        "activity-missing",
                        found=after if ji_idx < 0 else after[:ji_idx],
                    ))
                rest = after[ji_idx:] if ji_idx >= 0 else ""
        if "活動" in norm and not any(f.code == "traditional-script" for f in faults):
            faults.append(_fault("traditional-script", found="活動"))
        if rest.startswith(self.ji):
            form = "ji"
            suffix_text = rest[len(self.ji) :].strip("，,：:—-")
            if suffix_text:
                suffix = suffix_text
            else:
                faults.append(_fault("ji-empty"))
        elif rest:
            ji_pos = rest.find(self.ji)
            found = rest if ji_pos < 0 else rest[:ji_pos]
            faults.append(_fault("extra-text", where="after-activity", found=found))
            if ji_pos >= 0:
                form = "ji"
                suffix = rest[ji_pos + len(self.ji) :] or None
                if suffix is None:
                    faults.append(_fault("ji-empty"))

        if year is None:
            faults.append(_fault("year-missing", expected=self.year))
        faults = _dedupe(faults)
        return BannerVerdict(
            text=text,
            valid=not faults,
            unit=unit,
            unit_text=unit_text,
            year=year,
            suffix=suffix,
            form=form,
            faults=tuple(faults),
            expected=self.expected(unit_text or None, suffix, form=form),
            source=source,
            notes=tuple(notes),
        )

    # ---------------------------------------------------------------- internals
    def _split_without_keyword(self, text: str) -> tuple[str, str]:
        """Split at the year (or after a leading unit) when there is no keyword."""
        m = _last_year(text, before=text.find(self.activity))
        if m is not None:
            end = m.end()
            while end < len(text) and text[end] in _QUOTE_LIKE:
                end += 1
            return text[:end], text[end:]
        found = self.units.find_prefix(text)
        if found is not None:
            return text[: found[1]], text[found[1] :]
        return "", text

    def _slot(self, after: str) -> str:
        """What stands where the keyword should, for ``keyword-missing``."""
        idx = after.find(self.activity)
        slot = after[:idx] if idx >= 0 else after
        return "".join(c for c in slot if c not in _QUOTE_LIKE)

    def _quote_faults(
        self, open_q: str, close_q: str, misplaced: bool, source: Source
    ) -> list[BannerFault]:
        if not open_q and not close_q:
            return [_fault("quotes-missing")]
        if source == "ocr":
            return []
        if misplaced:
            return [_fault("quotes-wrong-kind", open=open_q, close=close_q,
                           kind="misplaced")]
        if open_q == "“" and close_q == "”":
            return []
        return [_fault("quotes-wrong-kind", open=open_q, close=close_q,
                       kind=_quote_kind(open_q, close_q))]

    def _parse_year(
        self, prefix: str
    ) -> tuple[str, int | None, list[BannerFault], str, list[BannerFault]]:
        """Split ``unit year 年 between`` and judge the year."""
        m = _last_year(prefix)
        if m is None:
            return prefix, None, [], "", []
        raw, nian = m.group(1), m.group(2)
        notes: list[BannerFault] = []
        if raw[0] in _CN_DIGITS:
            year = int("".join(_CN_DIGITS[c] for c in raw))
            notes.append(_fault("year-chinese-numerals", found=raw + (nian or "")))
        else:
            year = int(raw)
        faults: list[BannerFault] = []
        if len(raw) == 2:
            year += 2000
        if year != self.year:
            faults.append(_fault("year-wrong", found=year, expected=self.year))
        elif len(raw) == 2 or not nian:
            faults.append(_fault("year-malformed", found=raw + (nian or ""),
                                 expected=f"{self.year}年"))
        return prefix[: m.start()], year, faults, prefix[m.end() :], notes

    def _parse_unit(
        self, unit_part: str, source: Source
    ) -> tuple[str | None, str, list[BannerFault]]:
        """Resolve the unit written before the year."""
        text = unit_part.strip("，,。.:：;；!！·•、-—_")
        if source == "ocr":
            text = text.lstrip("0123456789口■□●◆◇*#")
        if not text:
            return None, "", [_fault("unit-missing")]
        name = self.units.resolve(text)
        if name is not None:
            return name, text, []
        for start in range(len(text) - 1):
            if start > 0 and not _unit_may_start(text, start):
                continue
            found = self.units.find_prefix(text[start:])
            if found is None:
                continue
            unit, used = found
            unit_text = text[start : start + used]
            faults: list[BannerFault] = []
            if start > 0:
                faults.append(_fault("extra-text", where="before-unit",
                                     found=text[:start]))
            if start + used < len(text):
                faults.append(_fault("extra-text", where="after-unit",
                                     found=text[start + used :]))
            return unit, unit_text, faults
        place = self.units.foreign(text)
        if place is not None:  # a unit of the city, the province or another district
            return None, text, [_fault("unit-unknown", found=text, level=place.level,
                                       district=place.district or "")]
        return None, text, [_fault("unit-unknown", found=text)]


#: Only the home district's name may stand before a unit found inside longer text: after
#: 长沙市 or 湖南省 alone the unit is the city's or the province's (长沙市教育局).
_REGION_ENDINGS = ("雨花区",)


def _unit_may_start(text: str, start: int) -> bool:
    """Whether a unit name can begin at ``start`` inside longer text.

    ``长沙市天心区教育局`` contains ``区教育局``, but that 区 is 天心区's, and ``长沙市教育局``
    contains ``教育局``, but that is the city's: a unit found after another place name (…区,
    …市, …县, …省) is that place's unit, not ours, unless the place is our own district.
    """
    if text[start] == "区":
        return False
    if text[start - 1] in "区市县省镇":
        return text[:start].endswith(_REGION_ENDINGS)
    return True


def _last_year(text: str, before: int = -1) -> re.Match[str] | None:
    """The last year-like token in ``text`` (before index ``before`` if given)."""
    limit = len(text) if before < 0 else before
    found: re.Match[str] | None = None
    for m in _YEAR.finditer(text, 0, limit):
        # A run of digits longer than a year is a number, not a year.
        s, e = m.start(), m.end(1)
        if (s > 0 and text[s - 1].isdigit()) or (e < len(text) and text[e].isdigit()):
            continue
        found = m
    return found


def _strip_quotes(text: str, *, trailing: bool) -> tuple[str, str]:
    """Remove quote glyphs from one end of ``text``; return (rest, quotes removed)."""
    i = 0
    if trailing:
        while i < len(text) and text[len(text) - 1 - i] in _QUOTE_LIKE:
            i += 1
        return text[: len(text) - i], text[len(text) - i :]
    while i < len(text) and text[i] in _QUOTE_LIKE:
        i += 1
    return text[i:], text[:i]


def _quote_kind(open_q: str, close_q: str) -> str:
    """Classify a wrong quotation: which family, or unbalanced/reversed."""
    if not open_q or not close_q:
        return "unbalanced"
    both = open_q + close_q
    if all(c in "“”" for c in both):
        return "reversed"
    if all(c in "\"" for c in both):
        return "ascii"
    if all(c in "'‘’′`´" for c in both):
        return "single"
    if all(c in "「」『』" for c in both):
        return "corner"
    if all(c in "《》〈〉«»‹›" for c in both):
        return "angle"
    if all(c in "()" for c in both):
        return "bracket"
    return "other"


def _approx_find(text: str, pattern: str, max_dist: int) -> tuple[int, int] | None:
    """Best approximate occurrence of ``pattern`` in ``text`` (Sellers' algorithm).

    Returns the span with the smallest edit distance if it is at most ``max_dist``.
    Text lengths here are a banner line, so the O(n·m) table is cheap.
    """
    m, n = len(pattern), len(text)
    if n == 0:
        return None
    # dist[i][j]: cost of matching pattern[:i] ending at text[:j]; start[i][j]: span start
    prev = [0] * (n + 1)
    prev_start = list(range(n + 1))
    for i in range(1, m + 1):
        cur = [i] + [0] * n
        cur_start = [0] * (n + 1)
        for j in range(1, n + 1):
            sub = prev[j - 1] + (pattern[i - 1] != text[j - 1])
            dele = prev[j] + 1
            ins = cur[j - 1] + 1
            best = min(sub, dele, ins)
            cur[j] = best
            if best == sub:
                cur_start[j] = prev_start[j - 1]
            elif best == dele:
                cur_start[j] = prev_start[j]
            else:
                cur_start[j] = cur_start[j - 1]
        prev, prev_start = cur, cur_start
    best_j = min(range(1, n + 1), key=lambda j: (prev[j], -(j - prev_start[j])))
    if prev[best_j] > max_dist:
        return None
    return prev_start[best_j], best_j


def _dedupe(faults: Iterable[BannerFault]) -> list[BannerFault]:
    return list(dict.fromkeys(faults))


#: How the names of public bodies end; an unknown "unit" that does not is not one.
_ORG_NAME = re.compile(
    r"[\u4e00-\u9fff]{1,}(局|街道|镇|乡|办|委|院|馆|中心|所|站|队|部|会|厅|处|室|社区|村|"
    r"公司|学校|小学|中学|政府|集团|银行)$"
)


def banner_parts(verdict: BannerVerdict) -> int:
    """How many of unit, year and 活动 a text names (0-3), right or wrong.

    An unknown unit counts only when it reads like the name of a body (雨花区财政局): OCR
    of a poster's squiggles once gave "三二11十1 十 政务公开主题日", whose "unit" 三二 and
    "year" 11 made it a banner and hid the real one in the next photo.
    """
    codes = set(verdict.codes)
    unit = "unit-missing" not in codes
    unknown = verdict.fault("unit-unknown")
    if unit and verdict.unit is None and unknown is not None:
        found = str(unknown.get("found") or "")
        unit = bool(_ORG_NAME.search(found.strip()))
    return int(unit) + sum(c not in codes for c in ("year-missing", "activity-missing"))


def banner_like(verdict: BannerVerdict) -> bool:
    """Whether a text read from a photo is a banner at all, right or wrong.

    The campaign LOGO carries the words 政务公开主题日 itself, and posters say 活动: a banner
    names at least two of unit, year and 活动 besides (or instead of) the keyword.
    """
    return banner_parts(verdict) >= 2


_DEFAULT: BannerGrammar | None = None


def default_grammar() -> BannerGrammar:
    """The 2023 雨花区 grammar (year 2023, keyword 政务公开主题日, the notice's units)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = BannerGrammar()
    return _DEFAULT


def parse_banner(
    text: str, *, source: Source = "typed", grammar: BannerGrammar | None = None
) -> BannerVerdict:
    """Check ``text`` against the approved banner forms (default 2023 grammar)."""
    return (grammar or default_grammar()).parse(text, source=source)
