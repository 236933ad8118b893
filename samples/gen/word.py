"""Deterministic Word (.docx) news reports with ground truth.

Each report is first composed as a list of :class:`Block` objects (one per
visible line or paragraph, each made of :class:`Seg` text segments that know
whether they are ordinary, inserted, deleted, hyperlinked or a soft break).
The truth record is computed from that model, and checked against the
generator's own plan, before the model is rendered to WordprocessingML.
Rendering writes the XML that python-docx does not offer itself: text boxes
(``mc:AlternateContent`` with a ``wps:wsp`` choice and a VML fallback),
floating pictures (``wp:anchor``), tracked changes, hyperlinks, footnotes and
comments.

Layouts follow shared/design/real-reports.md; units and themes come from the
雨花区 2023 notice (shared/seed).  ``generate_reports`` is the entry point.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import random
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from . import texts as T
from .photos import LOGO_PATH, decorative_png, event_photo

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.oxml.xmlchemy import BaseOxmlElement

__all__ = [
    "KEYWORD",
    "generate_perf_sample",
    "generate_reports",
    "has_keyword",
    "write_expected",
]

KEYWORD = "政务公开主题日"
FIXED_TIME = dt.datetime(2023, 6, 30, 9, 0, 0, tzinfo=dt.UTC)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
REVISION_DATE = "2023-06-16T10:20:00Z"

_NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "wp14": "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "w10": "urn:schemas-microsoft-com:office:word",
}
_NSDECL = " ".join(f'xmlns:{k}="{v}"' for k, v in _NS.items())

# ---------------------------------------------------------------------------
# Keyword reference matcher (used to double-check the generator's own plan)
# ---------------------------------------------------------------------------

_TRAD = str.maketrans({"務": "务", "開": "开", "題": "题", "専": "专"})
_STRIP = re.compile(r"[\s\u3000\u00a0\u200b“”‘’\"'＂＇「」『』]")


def has_keyword(text: str) -> bool:
    """The reviewer's reading: exact keyword, tolerant of spaces, quotes, width, 繁体."""
    t = unicodedata.normalize("NFKC", text).translate(_TRAD)
    return KEYWORD in _STRIP.sub("", t)


# ---------------------------------------------------------------------------
# Report model
# ---------------------------------------------------------------------------


@dataclass
class Seg:
    """A piece of paragraph text.

    ``kind``: ``t`` plain, ``ins`` tracked insertion, ``del`` tracked deletion,
    ``link`` hyperlink text, ``br`` soft line break.  ``kw`` marks the
    activity name, which later random edits must leave alone.
    """

    text: str = ""
    kind: str = "t"
    fmt: dict[str, Any] = field(default_factory=dict)
    kw: bool = False


@dataclass
class Block:
    """One visible line, paragraph, table or picture of the report."""

    role: str
    segs: list[Seg] = field(default_factory=list)
    layout: str = "p"
    ppr: dict[str, Any] = field(default_factory=dict)
    photos: list[tuple[bytes, int, int]] = field(default_factory=list)
    captions: list[list[Seg]] = field(default_factory=list)
    anchor_photo: tuple[bytes, int, int] | None = None
    footnote: str | None = None
    comment: str | None = None
    decor: str | None = None  # "icon" placed in front of the text


def visible(segs: list[Seg]) -> str:
    """Text as a person reads it in Word: insertions in, deletions out, breaks as \\n."""
    out = []
    for s in segs:
        if s.kind == "br":
            out.append("\n")
        elif s.kind != "del":
            out.append(s.text)
    return "".join(out)


class _Deck:
    """Draws options in shuffled rounds so every option shows up regularly."""

    def __init__(self, rng: random.Random, options: list[Any]) -> None:
        self._rng = rng
        self._options = list(options)
        self._pile: list[Any] = []

    def draw(self) -> Any:
        if not self._pile:
            self._pile = list(self._options)
            self._rng.shuffle(self._pile)
        return self._pile.pop()


class _Slots(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        raise KeyError(key)


# ---------------------------------------------------------------------------
# Composition
# ---------------------------------------------------------------------------

_PLACES = ("title", "lead", "body", "ending")

_SCENARIOS = (
    ["all-true"] * 5
    + ["one-missing"] * 3
    + ["two-missing"] * 2
    + [
        "all-false",
        "mixed-names",
        "caption-only",
        "credit-only",
        "chrome-only",
        "deleted-only",
        "inserted-only",
        "del-trap",
    ]
)

_KW_VARIANTS = [
    "cn",
    "cn",
    "cn",
    "bare",
    "ascii",
    "split-quotes",
    "traditional",
    "space",
    "ideo-space",
    "nbsp",
    "break",
    "split-runs",
    "fullwidth",
    "link",
    "year",
    "ins-del-fix",
]
_TITLE_FORMS = [
    "style-title",
    "style-heading1",
    "big-normal",
    "table-1x1",
    "table-1x2",
    "textbox",
    "softbreak",
    "prefix",
    "twice",
    "big-normal-outline",
]
_META_FORMS = [
    "none",
    "none",
    "single",
    "pipes",
    "split",
    "bracketed",
    "byline",
    "news",
    "empty-values",
]
_CHROME_FORMS = ["none", "none", "none", "breadcrumb", "site", "file", "gkml"]
_LEAD_FORMS = ["purpose", "purpose", "date", "occasion", "recently", "dateline", "quote"]
_ENDING_FORMS = ["next", "next", "future", "evaluation", "quoted", "plain"]
_TRAIL_FORMS = [
    "none",
    "per-line",
    "one-line",
    "parens",
    "brackets",
    "photo-credit",
    "furniture",
    "credits+furniture",
]
_PHOTO_FORMS = [
    "none",
    "none",
    "inline",
    "inline2",
    "anchor",
    "table-2x2",
    "textbox",
    "before-lead",
    "anchor+inline",
    "inline3",
]
_PAR_COUNTS = [1, 2, 3, 4, 4, 5, 5, 6, 6, 7, 8, 9, 10]
_INDENTS = ["ideo", "ideo", "ascii", "nbsp", "first-line", "none"]
_FONTS = ["仿宋_GB2312", "仿宋", "宋体", "微软雅黑", "楷体_GB2312"]
_TITLE_FONTS = ["方正小标宋简体", "黑体", "方正小标宋_GBK", "宋体"]


@dataclass
class Report:
    name: str
    blocks: list[Block]
    features: set[str]
    plan: dict[str, bool]
    body_count: int
    header: str | None = None
    footer: str | None = None
    font: str = "仿宋_GB2312"
    size: float = 16
    run_split: bool = False
    author: str = ""


class _Composer:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        m = random.Random(seed)
        self.d_scenario = _Deck(m, _SCENARIOS)
        self.d_kw = _Deck(m, _KW_VARIANTS)
        self.d_title = _Deck(m, _TITLE_FORMS)
        self.d_meta = _Deck(m, _META_FORMS)
        self.d_chrome = _Deck(m, _CHROME_FORMS)
        self.d_lead = _Deck(m, _LEAD_FORMS)
        self.d_ending = _Deck(m, _ENDING_FORMS)
        self.d_trail = _Deck(m, _TRAIL_FORMS)
        self.d_photo = _Deck(m, _PHOTO_FORMS)
        self.d_pars = _Deck(m, _PAR_COUNTS)
        self.d_indent = _Deck(m, _INDENTS)
        self.d_activity = _Deck(m, list(range(len(T.ACTIVITIES))))
        self.d_caption = _Deck(m, list(range(len(T.CAPTION_FORMS))))
        self.d_near = _Deck(m, T.NEAR_MISS_NAMES)
        self.d_subhead = _Deck(m, ["none", "none", "numbered", "slogan"])
        self.d_special_place = _Deck(m, list(_PLACES))
        self.d_decor = _Deck(m, ["none", "none", "none", "icon", "line", "icon+line"])
        self.d_quirks = {
            name: _Deck(m, [True] + [False] * (n - 1))
            for name, n in {
                "run-split": 3,
                "hyperlink": 4,
                "tracked-edit": 5,
                "header-footer": 4,
                "footnote": 6,
                "comment": 6,
                "empty-paragraphs": 3,
                "space-paragraphs": 5,
                "editor-note": 6,
                "inline-credit": 3,
                "post-ending-line": 5,
                "subtitle": 6,
                "deck": 8,
                "enumeration": 3,
                "long-paragraph": 4,
            }.items()
        }

    # -- helpers -----------------------------------------------------------

    def _q(self, name: str) -> bool:
        return bool(self.d_quirks[name].draw())

    def _kw_segs(self, variant: str) -> list[Seg]:
        rng = self.rng
        k = KEYWORD
        if variant == "cn":
            segs = [Seg(f"“{k}”")]
        elif variant == "bare":
            segs = [Seg(k)]
        elif variant == "ascii":
            segs = [Seg(f'"{k}"')]
        elif variant == "split-quotes":
            segs = [Seg("政务公开“主题日”")]
        elif variant == "traditional":
            segs = [Seg(rng.choice(["「政務公開主題日」", "“政務公開主題日”", "政務公開主題日"]))]
        elif variant == "space":
            segs = [Seg(rng.choice(["“政务公开 主题日”", "政务公开 主题日", "“政务 公开主题日”"]))]
        elif variant == "ideo-space":
            segs = [Seg("“政务公开\u3000主题日”")]
        elif variant == "nbsp":
            segs = [Seg("“政务公开\u00a0主题日”")]
        elif variant == "break":
            cut = rng.choice([4, 4, 2, 6])
            segs = [Seg("“" + k[:cut]), Seg(kind="br"), Seg(k[cut:] + "”")]
        elif variant == "split-runs":
            cut = rng.choice([2, 4, 5])
            segs = [
                Seg("“" + k[:cut], fmt={"bold": True}),
                Seg(
                    k[cut:] + "”",
                    fmt=rng.choice([{"color": "C00000"}, {"italic": True}, {"size": 1.0}]),
                ),
            ]
        elif variant == "fullwidth":
            segs = [Seg(rng.choice(["＂政务公开主题日＂", "＂政务公开　主题日＂"]))]
        elif variant == "link":
            if rng.random() < 0.5:
                segs = [Seg("“政务公开"), Seg("主题日", kind="link"), Seg("”")]
            else:
                segs = [Seg("“"), Seg(k, kind="link"), Seg("”")]
        elif variant == "year":
            segs = [Seg(f"2023年“{k}”")]
        elif variant == "ins-del-fix":
            segs = [Seg("“政务公开"), Seg("日", kind="del"), Seg("主题日", kind="ins"), Seg("”")]
        elif variant == "ins-only":
            segs = [Seg(f"“{k}”", kind="ins")]
        else:
            raise ValueError(variant)
        for s in segs:
            s.kw = True
        return segs

    def _act(
        self, place: str, truth: bool, *, special: str | None = None, near: str | None = None
    ) -> list[Seg]:
        """The activity name for one place, with or without the keyword."""
        rng = self.rng
        if truth:
            variant = special or self.d_kw.draw()
            if place == "title" and variant == "break":
                self.features.add("title:break-inside-keyword")
            self.features.add(f"kw:{variant}")
            segs = self._kw_segs(variant)
            if variant not in ("year",) and rng.random() < 0.25:
                segs.insert(0, Seg("2023年", kw=True))
            segs.append(Seg(rng.choice(["活动", "活动", "活动", "系列活动"]), kw=True))
            return segs
        if special == "del-only":
            self.features.add(f"truth:{place}-keyword-only-deleted")
            nm = near or self.d_near.draw()
            return [
                Seg(f"“{KEYWORD}”", kind="del", kw=True),
                Seg(nm, kind="ins", kw=True),
                Seg("活动", kw=True),
            ]
        if special == "del-trap":
            self.features.add(f"truth:{place}-deletion-leaves-near-miss")
            return [
                Seg("“政务公开", kw=True),
                Seg("主题", kind="del", kw=True),
                Seg("日”活动", kw=True),
            ]
        if near is None and rng.random() < 0.2:
            self.features.add(f"near-miss:{place}-generic")
            return [Seg(rng.choice(T.GENERIC_ACTS), kw=True)]
        nm = near or self.d_near.draw()
        self.features.add(f"near-miss:{place}")
        pre = "2023年" if rng.random() < 0.2 and nm.startswith("“") else ""
        suffix = "活动" if not nm.endswith("活动") else ""
        if nm == "“政务公开日”" and rng.random() < 0.4:
            suffix = "主题活动"
        return [Seg(pre + nm + suffix, kw=True)]

    def _fill(self, template: str, act: list[Seg] | None = None, **extra: Any) -> list[Seg]:
        slots = _Slots(self.slots)
        slots.update(extra)
        slots["act"] = "\x00"
        text = template.format_map(slots)
        if "\x00" not in text:
            if act is not None and any(s.kw and has_keyword(visible([s])) for s in act):
                raise AssertionError(f"template without {{act}}: {template}")
            return [Seg(text)]
        before, after = text.split("\x00", 1)
        segs = [Seg(before)] if before else []
        segs.extend(copy.deepcopy(act or [Seg("活动")]))
        if after:
            segs.append(Seg(after))
        return segs

    def _indent(self, segs: list[Seg], ppr: dict[str, Any]) -> list[Seg]:
        ind = self.indent
        if ind == "ideo":
            return [Seg("\u3000\u3000"), *segs]
        if ind == "ascii":
            return [Seg("    "), *segs]
        if ind == "nbsp":
            return [Seg("\u00a0\u00a0\u00a0\u00a0"), *segs]
        if ind == "first-line":
            ppr["first_line"] = True
        return segs

    def _para(self, role: str, segs: list[Seg], **ppr: Any) -> Block:
        ppr.setdefault("align", "both")
        return Block(role, self._indent(segs, ppr), ppr=ppr)

    def _photo(
        self, w: int = 800, h: int = 600, logo: bool | None = None
    ) -> tuple[bytes, int, int]:
        rng = self.rng
        if logo is None:
            logo = rng.random() < 0.6
        if logo and LOGO_PATH.exists():
            self.features.add("photo:logo")
        self.n_photos += 1
        w, h = (
            rng.choice([(w, h), (640, 480), (800, 600), (768, 576), (1024, 768)])
            if w == 800
            else (w, h)
        )
        if rng.random() < 0.2:
            w, h = h, w  # portrait
            self.features.add("photo:portrait")
        return (event_photo(rng, w, h, logo=logo), w, h)

    def _caption(self, *, act: list[Seg] | None = None) -> Block:
        rng = self.rng
        if act is not None:
            form = rng.choice(T.CAPTIONS_ACT)
            segs = self._fill(form, act)
            self.features.add("caption:keyword")
        else:
            i = self.d_caption.draw()
            form = T.CAPTION_FORMS[i]
            segs = [Seg(form.format_map(_Slots(self.slots, c=rng.choice(T.CAPTIONS))))]
            self.features.add(
                f"caption:{['tu-wei', 'tu-colon', 'triangle', 'label', 'parens', 'short', 'reporter-photo', 'reporter-photo', 'description'][i]}"
            )
        ppr: dict[str, Any] = {"align": "center"}
        style = rng.random()
        if style < 0.3:
            ppr["style"] = "Caption"
        else:
            ppr["size"] = self.size - rng.choice([1, 2, 3])
            ppr["font"] = rng.choice(["楷体_GB2312", "楷体", self.font])
        return Block("caption", segs, ppr=ppr)

    # -- the report ----------------------------------------------------------

    def compose(self, index: int) -> Report:
        self.rng = rng = random.Random(f"gkcheck-word-{self.seed}-{index}")
        self.features: set[str] = set()
        self.n_photos = 0
        self.indent = self.d_indent.draw()
        self.features.add(f"indent:{self.indent}")
        self.font = rng.choice(_FONTS)
        self.size = rng.choice([16, 16, 14, 12, 15])
        self._make_slots()

        scenario = self.d_scenario.draw()
        n_pars = self.d_pars.draw()
        self.features.add(f"truth:{scenario}")
        if n_pars <= 2:
            self.features.add(f"short:{n_pars}-paragraph")
        n_body = max(0, n_pars - 2)
        plan, special = self._plan(scenario, n_body)
        if n_pars == 1:
            plan["ending"] = plan["lead"]
            special.pop("ending", None)

        blocks: list[Block] = []
        header = footer = None
        if self._q("header-footer"):
            header = rng.choice(T.HEADER_TEXTS)
            footer = rng.choice(T.FOOTER_TEXTS).format_map(_Slots(self.slots))
            self.features.add("decoy:header-footer-keyword")

        # -- page chrome --------------------------------------------------
        chrome = self.d_chrome.draw()
        if scenario == "chrome-only":
            chrome = "breadcrumb-keyword"
        self.features.add(f"chrome:{chrome}")
        if chrome == "breadcrumb":
            blocks.append(
                Block("chrome", [Seg(rng.choice(T.CHROME["breadcrumb"]))], ppr={"size": 10.5})
            )
        elif chrome == "breadcrumb-keyword":
            blocks.append(Block("chrome", [Seg(rng.choice(T.CHROME_KEYWORD))], ppr={"size": 10.5}))
            self.features.add("decoy:chrome-keyword")
        elif chrome == "site":
            blocks.append(Block("chrome", [Seg(T.CHROME["site"][0])], ppr={"size": 9}))
            blocks.append(
                Block("chrome", [Seg(rng.choice(T.CHROME["breadcrumb"]))], ppr={"size": 10.5})
            )
        elif chrome == "file":
            blocks.append(Block("chrome", [Seg(rng.choice(T.CHROME["file"]))], ppr={"size": 10.5}))
        elif chrome == "gkml":
            for line in [
                "• 索 引 号：430111-00123-2023-00" + str(rng.randint(100, 999)),
                "• 主题分类：政务公开",
                f"• 发布机构：{self.slots['unit']}",
                f"• 发文时间：{self.slots['ymd']}",
                "• 效力状态：有效",
            ]:
                blocks.append(Block("chrome", [Seg(line)], ppr={"size": 10.5}))

        # -- title ----------------------------------------------------------
        decor = self.d_decor.draw()
        self.features.add(f"decor:{decor}")
        title_block, title_extra = self._title(plan["title"], special.get("title"), decor)
        blocks.append(title_block)
        blocks.extend(title_extra)
        if self._q("subtitle"):
            blocks.append(
                Block(
                    "subtitle",
                    [Seg(rng.choice(T.SUBTITLES).format_map(_Slots(self.slots)))],
                    ppr={
                        "align": "center",
                        "style": "Subtitle" if rng.random() < 0.4 else None,
                        "size": self.size,
                    },
                )
            )
            self.features.add("title:subtitle")
        if self._q("deck"):
            blocks.append(
                Block(
                    "deck",
                    [Seg(rng.choice(T.DECKS).format_map(_Slots(self.slots)))],
                    ppr={"align": "left", "size": self.size - 2, "font": "楷体_GB2312"},
                )
            )
            self.features.add("title:deck")
        if "line" in decor:
            blocks.append(Block("decor", layout="line"))

        # -- metadata -------------------------------------------------------
        meta = self.d_meta.draw()
        if scenario == "chrome-only" and meta == "none":
            meta = "single"
        self.features.add(f"meta:{meta}")
        for line in self._meta_lines(meta, keyword=scenario == "chrome-only"):
            blocks.append(
                Block("meta", [Seg(line)], ppr={"align": "center", "size": 10.5, "color": "666666"})
            )

        # -- photos plan ----------------------------------------------------
        photo_form = self.d_photo.draw()
        if scenario == "caption-only" and photo_form == "none":
            photo_form = "inline"
        self.features.add(f"photos:{photo_form}")
        caption_kw_at = None
        if scenario == "caption-only":
            caption_kw_at = "before-lead" if photo_form == "before-lead" else "first"
            self.features.add("truth:keyword-only-in-caption")

        if photo_form == "before-lead":
            blocks.append(
                Block("photo", layout="inline", photos=[self._photo()], ppr={"align": "center"})
            )
            blocks.append(self._caption(act=self._act("caption", True) if caption_kw_at else None))
            self.features.add("caption:before-lead")
            caption_kw_at = None

        if self._q("editor-note"):
            blocks.append(
                Block(
                    "note",
                    [Seg(rng.choice(T.EDITOR_NOTES))],
                    ppr={"align": "both", "font": "楷体_GB2312"},
                )
            )
            self.features.add("lead:editor-note")

        # -- lead, body, ending ------------------------------------------------
        lead_form = self.d_lead.draw()
        self.features.add(f"lead:{lead_form}")
        near_for = special.get("near", {})
        lead_act = self._act(
            "lead", plan["lead"], special=special.get("lead"), near=near_for.get("lead")
        )
        lead_segs = self._fill(rng.choice(T.LEADS[lead_form]), lead_act)
        ending_form = self.d_ending.draw()

        if n_pars == 1:
            self.features.add(f"ending:{ending_form}")
            end_act = (
                self._act("ending", plan["ending"], near=near_for.get("ending"))
                if not plan["ending"]
                else [Seg(rng.choice(T.GENERIC_ACTS), kw=True)]
            )
            mid = self._fill(rng.choice(T.BODY_PLAIN)[1])
            segs = lead_segs + mid + self._fill(rng.choice(T.ENDINGS[ending_form]), end_act)
            lead_block = self._para("lead", segs)
            blocks.append(lead_block)
            ending_block = lead_block
            body_blocks: list[Block] = []
            self._interleave(blocks, [], photo_form, caption_kw_at, anchor_to=lead_block)
        else:
            lead_block = self._para("lead", lead_segs)
            blocks.append(lead_block)
            body_blocks = self._body(
                n_body, plan["body"], near_for.get("body"), special.get("body")
            )
            self._interleave(blocks, body_blocks, photo_form, caption_kw_at, anchor_to=lead_block)
            self.features.add(f"ending:{ending_form}")
            end_act = self._act(
                "ending", plan["ending"], special=special.get("ending"), near=near_for.get("ending")
            )
            end_segs = self._fill(rng.choice(T.ENDINGS[ending_form]), end_act)
            if self._q("inline-credit"):
                credit = rng.choice(T.INLINE_CREDITS).format_map(_Slots(self.slots))
                end_segs.append(Seg(credit))
                self.features.add("ending:inline-credit")
            ending_block = self._para("ending", end_segs)
            blocks.append(ending_block)
        if self._q("post-ending-line"):
            if rng.random() < 0.5:
                blocks.append(
                    Block("photo", layout="inline", photos=[self._photo()], ppr={"align": "center"})
                )
            blocks.append(
                Block("caption", [Seg(rng.choice(T.POST_ENDING_LINES))], ppr={"align": "center"})
            )
            self.features.add("ending:caption-line-after")

        # -- trailing lines --------------------------------------------------
        trail = self.d_trail.draw()
        if scenario == "credit-only":
            trail = "credit-keyword"
        self.features.add(f"trail:{trail}")
        for line in self._trail_lines(trail):
            blocks.append(
                Block("trail", [Seg(line)], ppr={"align": rng.choice(["right", "left", "left"])})
            )

        # -- quirks ------------------------------------------------------------
        text_blocks = [b for b in blocks if b.role in ("lead", "body", "ending")]
        if self._q("hyperlink"):
            self._add_hyperlink(text_blocks)
        if self._q("tracked-edit"):
            self._add_tracked_edit(text_blocks)
        if self._q("footnote") and body_blocks:
            rng.choice(body_blocks).footnote = rng.choice(T.FOOTNOTE_TEXTS)
            self.features.add("decoy:footnote-keyword")
        if self._q("comment"):
            target = rng.choice([lead_block, ending_block, title_block])
            if target.layout == "p":
                target.comment = rng.choice(T.COMMENT_TEXTS)
                self.features.add("decoy:comment-keyword")
        if self._q("empty-paragraphs"):
            for _ in range(rng.randint(1, 4)):
                blocks.insert(rng.randint(1, len(blocks)), Block("blank"))
            self.features.add("quirk:empty-paragraphs")
        if self._q("space-paragraphs"):
            for _ in range(rng.randint(1, 2)):
                blocks.insert(
                    rng.randint(1, len(blocks)),
                    Block(
                        "blank", [Seg(rng.choice(["\u3000\u3000", "   ", "\u00a0", " \u3000 "]))]
                    ),
                )
            self.features.add("quirk:space-paragraphs")
        run_split = self._q("run-split")
        if run_split:
            self.features.add("quirk:many-runs")

        plan_body = plan["body"] if n_body > 0 else False
        plan["body"] = plan_body
        name = f"r{index + 1:03d}-{scenario}-{title_block.ppr.get('form', 'title')}.docx"
        return Report(
            name,
            blocks,
            self.features,
            plan,
            n_body,
            header,
            footer,
            self.font,
            self.size,
            run_split,
            rng.choice(T.PEOPLE),
        )

    def _make_slots(self) -> None:
        rng = self.rng
        unit, short, kind, theme, form, month = T.ACTIVITIES[self.d_activity.draw()]
        theme = theme.replace("“", "‘").replace("”", "’")  # nested inside “…” in the templates
        day = rng.randint(3, 28)
        ampm = rng.choice(["", "", "上午", "下午"])
        p = rng.sample(T.PEOPLE, 4)
        n1 = rng.choice([20, 30, 40, 50, 60, 80, 100, 120])
        who = rng.choice(T.INVITEES).format(n1=n1)
        enum = rng.sample(T.ENUM_ITEMS, 4)
        pub_day = min(day + rng.randint(0, 3), 30)
        self.slots: dict[str, Any] = {
            "unit": unit,
            "short": short,
            "theme": theme,
            "form": form,
            "month": month,
            "date": f"{month}月{day}日{ampm}",
            "place": rng.choice(T.PLACES[kind]),
            "place2": rng.choice(T.PLACES2),
            "invite": rng.choice(T.INVITE_PHRASES).format(who=who),
            "purpose": rng.choice(T.PURPOSES),
            "occasion": rng.choice(T.OCCASIONS),
            "dateline": rng.choice(T.MEDIA_DATELINES).format(m=month, d=day),
            "byline": rng.choice(T.BYLINES),
            "quote": rng.choice(T.QUOTES),
            "resident": rng.choice(T.RESIDENTS),
            "staff": rng.choice(T.STAFF),
            "aspects": rng.choice(T.ASPECTS),
            "topic": rng.choice(T.TOPICS),
            "n1": n1,
            "n2": rng.choice([200, 300, 500, 800, 1200]),
            "n3": rng.choice([50, 80, 120, 150, 260]),
            "n4": rng.randint(5, 30),
            "e1": enum[0],
            "e2": enum[1],
            "e3": enum[2],
            "e4": enum[3],
            "p1": p[0],
            "p2": p[1],
            "p3": p[2],
            "p4": p[3],
            "ymd": f"2023-{month:02d}-{pub_day:02d}",
            "hm": f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}",
            "hms": f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
            "ymd_cn": f"2023年{month:02d}月{pub_day:02d}日",
            "views": rng.randint(80, 2400),
            "kind": kind,
        }

    def _plan(self, scenario: str, n_body: int) -> tuple[dict[str, bool], dict[str, Any]]:
        rng = self.rng
        places = [p for p in _PLACES if p != "body" or n_body > 0]
        plan = dict.fromkeys(_PLACES, True)
        special: dict[str, Any] = {}
        if scenario == "one-missing":
            plan[rng.choice(places)] = False
        elif scenario == "two-missing":
            for p in rng.sample(places, 2):
                plan[p] = False
        elif scenario in ("all-false", "caption-only", "credit-only", "chrome-only"):
            plan = dict.fromkeys(_PLACES, False)
        elif scenario == "mixed-names":
            plan.update(lead=False, body=False, ending=False)
            special["near"] = {
                "lead": "“政务公开日”",
                "body": "“政府开放日”",
                "ending": "“政务开放日”",
            }
        elif scenario in ("deleted-only", "del-trap"):
            p = self._special_place(places)
            plan[p] = False
            special[p] = "del-only" if scenario == "deleted-only" else "del-trap"
        elif scenario == "inserted-only":
            p = self._special_place(places)
            special[p] = "ins-only"
            self.features.add(f"truth:{p}-keyword-only-inserted")
        return plan, special

    def _special_place(self, places: list[str]) -> str:
        for _ in range(8):
            p = str(self.d_special_place.draw())
            if p in places:
                return p
        return self.rng.choice(places)

    def _title(self, truth: bool, special: str | None, decor: str) -> tuple[Block, list[Block]]:
        rng = self.rng
        form = self.d_title.draw()
        self.features.add(f"title:{form}")
        extra: list[Block] = []
        if truth or special:
            act = self._act("title", truth, special=special)
            segs = self._fill(rng.choice(T.TITLE_TEMPLATES), act)
        elif rng.random() < 0.3:
            segs = [Seg(rng.choice(T.HEADLINES_TOPIC))]
            self.features.add("title:topic-headline")
            self.features.add("near-miss:title-generic")
        else:
            segs = self._fill(rng.choice(T.TITLE_TEMPLATES), self._act("title", False))
        ppr: dict[str, Any] = {"align": "center", "form": form}
        layout = "p"
        if form == "style-title":
            ppr["style"] = "Title"
        elif form == "style-heading1":
            ppr["style"] = "Heading1"
        elif form in (
            "big-normal",
            "big-normal-outline",
            "softbreak",
            "prefix",
            "twice",
            "table-1x1",
            "table-1x2",
            "textbox",
        ):
            ppr.update(bold=True, size=rng.choice([22, 22, 20, 18]), font=rng.choice(_TITLE_FONTS))
            if form == "big-normal-outline":
                ppr["outline"] = 0
        if form == "softbreak":
            kw_idx = [
                i
                for i, s in enumerate(segs)
                if s.kw and s.kind != "del" and KEYWORD[:4] in s.text and KEYWORD[4:] in s.text
            ]
            if any(s.kind == "br" for s in segs):
                pass  # the keyword itself already wraps
            elif kw_idx and rng.random() < 0.85:
                i = kw_idx[0]
                s = segs[i]
                pos = s.text.index(KEYWORD[:4]) + rng.choice([2, 4, 4, 5])
                segs[i : i + 1] = [
                    Seg(s.text[:pos], s.kind, s.fmt, True),
                    Seg(kind="br", kw=True),
                    Seg(s.text[pos:], s.kind, s.fmt, True),
                ]
                self.features.add("title:break-inside-keyword")
            else:
                first = segs[0]
                unit = self.slots["unit"]
                pos = len(unit) if first.text.startswith(unit) else len(first.text) // 2
                pos = max(2, min(len(first.text) - 1, pos))
                if first.text[pos : pos + 1] in "：:，":
                    pos += 1
                if len(first.text) > 3 and first.kind == "t":
                    segs[0:1] = [
                        Seg(first.text[:pos], fmt=first.fmt),
                        Seg(kind="br"),
                        Seg(first.text[pos:], fmt=first.fmt),
                    ]
                else:
                    segs.insert(1, Seg(kind="br"))
        elif form == "prefix":
            segs.insert(
                0,
                Seg(
                    rng.choice(
                        ["【线下宣讲】", "【活动公告】", "【今天】", "[雨花区]", "【政务动态】"]
                    )
                ),
            )
        elif form == "twice":
            again = visible(segs)
            if rng.random() < 0.5:
                again = again.replace("“", '"').replace("”", '"')
            extra.append(
                Block(
                    "title-repeat",
                    [Seg(again)],
                    ppr={
                        "align": "center",
                        "bold": True,
                        "size": ppr.get("size", 22),
                        "font": ppr.get("font"),
                    },
                )
            )
        if form in ("table-1x1", "table-1x2"):
            layout = form
        elif form == "textbox":
            layout = "textbox"
        block = Block("title", segs, layout=layout, ppr=ppr)
        if "icon" in decor and layout in ("p", "table-1x2"):
            block.decor = "icon"
        return block, extra

    def _meta_lines(self, form: str, *, keyword: bool) -> list[str]:
        rng = self.rng
        s = _Slots(self.slots)
        if keyword:
            self.features.add("decoy:meta-keyword")
            return [rng.choice(T.META_KEYWORD).format_map(s)]
        if form == "single":
            return [rng.choice(T.META_SINGLE[1:]).format_map(s)]
        if form == "empty-values":
            return [
                rng.choice([T.META_SINGLE[0], T.META_SINGLE[4], T.META_SINGLE[5]]).format_map(s)
            ]
        if form == "pipes":
            return [rng.choice(T.META_PIPES).format_map(s)]
        if form == "split":
            return [x.format_map(s) for x in rng.choice(T.META_SPLIT)]
        if form == "bracketed":
            return [x.format_map(s) for x in rng.choice(T.META_BRACKETED)]
        if form == "byline":
            return [rng.choice(T.META_BYLINE).format_map(s)]
        if form == "news":
            return [x.format_map(s) for x in rng.choice(T.META_NEWS)]
        return []

    def _body(self, n: int, truth: bool, near: str | None, special: str | None) -> list[Block]:
        rng = self.rng
        if n == 0:
            return []
        act_at = set()
        if truth or special:
            act_at.add(rng.randrange(n))
            if truth and n >= 4 and rng.random() < 0.3:
                act_at.add(rng.randrange(n))
        elif rng.random() < 0.6 or near:
            act_at.add(rng.randrange(n))
        enum_at = rng.randrange(n) if self._q("enumeration") else -1
        long_at = rng.randrange(n) if self._q("long-paragraph") else -1
        plain = rng.sample(T.BODY_PLAIN, len(T.BODY_PLAIN))
        ranked: list[tuple[int, list[Seg]]] = []
        used_special = False
        for i in range(n):
            if i in act_at:
                act = self._act("body", truth, special=None if used_special else special, near=near)
                used_special = True
                if i == enum_at:
                    rank, segs = 1, self._fill(rng.choice(T.BODY_ENUM_ACT), act)
                    self.features.add("body:enumeration")
                else:
                    rank, template = rng.choice(T.BODY_ACT)
                    segs = self._fill(template, act)
            elif i == enum_at:
                rank, segs = 1, self._fill(rng.choice(T.BODY_ENUM))
                self.features.add("body:enumeration")
            else:
                rank, template = plain[i % len(plain)]
                segs = self._fill(template)
            if i == long_at:
                for k in (5, 7):
                    segs += self._fill(plain[(i + k) % len(plain)][1])
                self.features.add("body:long-paragraph")
            ranked.append((rank, segs))
        ranked.sort(key=lambda x: x[0])  # stable: 首先/活动中 … 会后/此外
        return [self._para("body", segs) for _, segs in ranked]

    def _interleave(
        self,
        blocks: list[Block],
        body: list[Block],
        photo_form: str,
        caption_kw_at: str | None,
        *,
        anchor_to: Block,
    ) -> None:
        rng = self.rng
        sub = self.d_subhead.draw() if len(body) >= 3 else "none"
        items: list[Block] = []
        heads: list[str] = []
        if sub == "numbered":
            g = rng.randrange(3) * 3
            heads = T.SUBHEADS_NUMBERED[g : g + 3]
        elif sub == "slogan":
            heads = rng.sample(T.SUBHEADS_SLOGAN, 3)
        if heads:
            self.features.add(f"body:subheadings-{sub}")
        head_at = {0: 0, len(body) // 3 + 1: 1, (2 * len(body)) // 3 + 1: 2} if heads else {}
        for i, b in enumerate(body):
            if i in head_at and head_at[i] < len(heads):
                style = "Heading2" if rng.random() < 0.25 else None
                items.append(
                    Block(
                        "subhead",
                        [Seg(heads[head_at[i]])],
                        ppr={"bold": True, "style": style, "align": "left", "font": "黑体"},
                    )
                )
            items.append(b)
        # photos among the body
        slots = [i + 1 for i, b in enumerate(items) if b.role == "body"]
        slots = [0, *slots]  # 0: right after the lead

        def put(blks: list[Block]) -> None:
            at = rng.choice(slots)
            for k, blk in enumerate(blks):
                items.insert(at + k, blk)
            slots[:] = [s if s < at else s + len(blks) for s in slots]

        def photo_with_caption(kw: bool = False) -> list[Block]:
            blk = [Block("photo", layout="inline", photos=[self._photo()], ppr={"align": "center"})]
            if kw or rng.random() < 0.8:
                blk.append(self._caption(act=self._act("caption", True) if kw else None))
            return blk

        kw_pending = caption_kw_at == "first"
        if photo_form in ("inline", "inline2", "inline3", "anchor+inline"):
            k = {"inline": 1, "inline2": 2, "inline3": 3, "anchor+inline": 1}[photo_form]
            for _ in range(k):
                put(photo_with_caption(kw_pending))
                kw_pending = False
        if photo_form in ("anchor", "anchor+inline"):
            target = rng.choice(body) if body else anchor_to
            target.anchor_photo = self._photo()
            self.features.add("photos:floating")
        if photo_form == "table-2x2":
            caps = [[Seg(rng.choice(T.CAPTIONS))] for _ in range(4)]
            if kw_pending:
                caps[rng.randrange(4)] = self._fill(
                    rng.choice(T.CAPTIONS_ACT), self._act("caption", True)
                )
                self.features.add("caption:keyword")
                kw_pending = False
            photos = [self._photo(480, 360) for _ in range(4)]
            put([Block("photo", layout="table-2x2", photos=photos, captions=caps)])
        if photo_form == "textbox":
            cap = (
                self._fill(rng.choice(T.CAPTIONS_ACT), self._act("caption", True))
                if kw_pending
                else [Seg(rng.choice(T.CAPTIONS))]
            )
            if kw_pending:
                self.features.add("caption:keyword")
            kw_pending = False
            put([Block("photo", layout="textbox", photos=[self._photo(640, 480)], captions=[cap])])
        if kw_pending:
            put(photo_with_caption(True))
        blocks.extend(items)

    def _trail_lines(self, form: str) -> list[str]:
        rng = self.rng
        s = _Slots(self.slots)
        if form == "credit-keyword":
            self.features.add("truth:keyword-only-in-credit")
            line = rng.choice(
                [
                    "供稿：{short}“政务公开主题日”工作专班",
                    "来源：雨花区“政务公开主题日”专栏",
                    "（供稿：{short}政务公开主题日活动组）",
                ]
            ).format_map(s)
            return [line, rng.choice(T.TRAILING_ONE_LINE).format_map(s)]
        if form == "per-line":
            return [x.format_map(s) for x in rng.choice(T.TRAILING_ONE_PER_LINE)]
        if form == "one-line":
            return [rng.choice(T.TRAILING_ONE_LINE).format_map(s)]
        if form == "parens":
            return [rng.choice(T.TRAILING_PARENS).format_map(s)]
        if form == "brackets":
            return [rng.choice(T.TRAILING_BRACKETS).format_map(s)]
        if form == "photo-credit":
            return [x.format_map(s) for x in rng.choice(T.TRAILING_PHOTO_CREDITS)]
        if form == "furniture":
            return [x.format_map(s) for x in rng.choice(T.FURNITURE)]
        if form == "credits+furniture":
            return [x.format_map(s) for x in rng.choice(T.TRAILING_ONE_PER_LINE)] + [
                x.format_map(s) for x in rng.choice(T.FURNITURE)
            ]
        return []

    def _plain_spans(self, blocks: list[Block], min_len: int) -> list[tuple[Block, int]]:
        return [
            (b, i)
            for b in blocks
            for i, s in enumerate(b.segs)
            if s.kind == "t" and not s.kw and len(s.text.strip()) >= min_len
        ]

    def _add_hyperlink(self, blocks: list[Block]) -> None:
        rng = self.rng
        spans = self._plain_spans(blocks, 14)
        if not spans:
            return
        b, i = rng.choice(spans)
        s = b.segs[i]
        a = rng.randint(1, len(s.text) - 10)
        e = a + rng.randint(5, 9)
        b.segs[i : i + 1] = [
            Seg(s.text[:a], fmt=s.fmt),
            Seg(s.text[a:e], kind="link", fmt=s.fmt),
            Seg(s.text[e:], fmt=s.fmt),
        ]
        self.features.add("quirk:hyperlink")

    def _add_tracked_edit(self, blocks: list[Block]) -> None:
        """Swap a word or two as a reviewer would: tracked deletion plus insertion."""
        rng = self.rng
        done = 0
        for _ in range(2):
            options = [
                (b, i, old, new)
                for b, i in self._plain_spans(blocks, 4)
                for old, new in T.TRACKED_SWAPS
                if old in b.segs[i].text
            ]
            if not options:
                break
            b, i, old, new = rng.choice(options)
            s = b.segs[i]
            a = s.text.index(old)
            e = a + len(old)
            b.segs[i : i + 1] = [
                Seg(s.text[:a]),
                Seg(old, kind="del", kw=True),
                Seg(new, kind="ins", kw=True),
                Seg(s.text[e:]),
            ]
            done += 1
        if done:
            self.features.add("quirk:tracked-changes")


# ---------------------------------------------------------------------------
# Truth
# ---------------------------------------------------------------------------


def _truth(report: Report) -> dict[str, Any]:
    blocks = report.blocks
    title = next(b for b in blocks if b.role == "title")
    lead = next(b for b in blocks if b.role == "lead")
    ending = next((b for b in blocks if b.role == "ending"), lead)
    body = [b for b in blocks if b.role == "body"]
    places = {
        "title": has_keyword(visible(title.segs)),
        "lead": has_keyword(visible(lead.segs)),
        "body": any(has_keyword(visible(b.segs)) for b in body) if len(body) >= 1 else False,
        "ending": has_keyword(visible(ending.segs)),
    }
    if places != report.plan:
        raise AssertionError(f"{report.name}: plan {report.plan} but text says {places}")
    photos = 0
    for b in blocks:
        photos += len(b.photos) + (1 if b.anchor_photo else 0)
    return {
        "file": report.name,
        "features": sorted(report.features),
        "title": visible(title.segs).strip(),
        "lead": visible(lead.segs).strip(),
        "ending": visible(ending.segs).strip(),
        "body_count": report.body_count,
        "places": places,
        "photos": photos,
    }


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------

_EMU_PER_CM = 360000


class _Renderer:
    def __init__(self, report: Report, rng: random.Random) -> None:
        self.report = report
        self.rng = rng
        self.doc: DocxDocument = Document()
        self.part = self.doc.part
        self.body = self.doc.element.body
        self._id = 0
        self._rev = 100
        self._link_rid: str | None = None
        self._footnotes: Any = None
        self._bookmark = False
        self._setup()

    # -- ids --
    def _next_id(self) -> int:
        self._id += 1
        return self._id

    def _next_rev(self) -> int:
        self._rev += 1
        return self._rev

    def _setup(self) -> None:
        r = self.report
        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
        sec.left_margin = sec.right_margin = Cm(2.7 if r.size >= 15 else 2.5)
        sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(r.size)
        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = parse_xml(f"<w:rFonts {_NSDECL}/>")
            rpr.insert(0, fonts)
        fonts.set(qn("w:eastAsia"), r.font)
        if r.header:
            sec.header.paragraphs[0].text = r.header
        if r.footer:
            sec.footer.paragraphs[0].text = r.footer
        cp = self.doc.core_properties
        cp.created = cp.modified = cp.last_printed = FIXED_TIME.replace(tzinfo=None)
        cp.author = cp.last_modified_by = r.author
        cp.revision = 1
        cp.title = ""
        cp.comments = ""

    # -- runs --
    def _rpr(self, fmt: dict[str, Any], base: dict[str, Any]) -> str:
        parts = []
        font = fmt.get("font") or base.get("font")
        if font:
            parts.append(
                f'<w:rFonts w:hint="eastAsia" w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>'
            )
        if fmt.get("bold", base.get("bold")):
            parts.append("<w:b/><w:bCs/>")
        if fmt.get("italic"):
            parts.append("<w:i/>")
        color = fmt.get("color") or base.get("color")
        if color:
            parts.append(f'<w:color w:val="{color}"/>')
        size = base.get("size")
        if fmt.get("size") and size:
            size = size + fmt["size"]
        if size:
            parts.append(f'<w:sz w:val="{int(size * 2)}"/><w:szCs w:val="{int(size * 2)}"/>')
        if fmt.get("underline"):
            parts.append('<w:u w:val="single"/>')
        if fmt.get("vert"):
            parts.append(f'<w:vertAlign w:val="{fmt["vert"]}"/>')
        if self.report.run_split and self.rng.random() < 0.5:
            parts.append('<w:lang w:val="en-US" w:eastAsia="zh-CN"/>')
        return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""

    @staticmethod
    def _esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def _run_xml(
        self, text: str, fmt: dict[str, Any], base: dict[str, Any], *, deleted: bool = False
    ) -> str:
        tag = "w:delText" if deleted else "w:t"
        rsid = ""
        if self.report.run_split:
            rsid = f' w:rsidR="00{self.rng.randint(0x100000, 0xFFFFFF):06X}"'
        return f'<w:r{rsid}>{self._rpr(fmt, base)}<{tag} xml:space="preserve">{self._esc(text)}</{tag}></w:r>'

    def _chunks(self, text: str) -> list[str]:
        if not self.report.run_split or len(text) < 3:
            return [text]
        out, i = [], 0
        while i < len(text):
            n = self.rng.randint(1, 7)
            out.append(text[i : i + n])
            i += n
        return out

    def _seg_xml(self, seg: Seg, base: dict[str, Any]) -> str:
        if seg.kind == "br":
            return f"<w:r>{self._rpr(seg.fmt, base)}<w:br/></w:r>"
        if not seg.text:
            return ""
        runs = []
        for chunk in self._chunks(seg.text):
            runs.append(self._run_xml(chunk, seg.fmt, base, deleted=seg.kind == "del"))
            if self.report.run_split and self.rng.random() < 0.08:
                runs.append(
                    '<w:proofErr w:type="spellStart"/>'
                    if self.rng.random() < 0.5
                    else '<w:proofErr w:type="gramEnd"/>'
                )
        xml = "".join(runs)
        if seg.kind == "ins":
            return f'<w:ins w:id="{self._next_rev()}" w:author="审核员" w:date="{REVISION_DATE}">{xml}</w:ins>'
        if seg.kind == "del":
            return f'<w:del w:id="{self._next_rev()}" w:author="审核员" w:date="{REVISION_DATE}">{xml}</w:del>'
        if seg.kind == "link":
            if self._link_rid is None:
                self._link_rid = self.part.relate_to(
                    "https://www.yuhua.gov.cn/zwgk/ztzl/", RT.HYPERLINK, is_external=True
                )
            link_fmt = dict(seg.fmt, color="0563C1", underline=True)
            xml = "".join(self._run_xml(c, link_fmt, base) for c in self._chunks(seg.text))
            return f'<w:hyperlink r:id="{self._link_rid}" w:history="1">{xml}</w:hyperlink>'
        return xml

    def _p(self, block: Block, *, extra_runs: str = "") -> BaseOxmlElement:
        ppr = block.ppr
        base = {k: ppr.get(k) for k in ("font", "size", "bold", "color")}
        # children in the schema's order: pStyle, spacing, ind, jc, outlineLvl
        p_parts = []
        if ppr.get("style"):
            p_parts.append(f'<w:pStyle w:val="{ppr["style"]}"/>')
        if ppr.get("first_line"):
            p_parts.append('<w:ind w:firstLineChars="200" w:firstLine="640"/>')
        if ppr.get("align"):
            p_parts.append(f'<w:jc w:val="{ppr["align"]}"/>')
        if ppr.get("outline") is not None:
            p_parts.append(f'<w:outlineLvl w:val="{ppr["outline"]}"/>')
        ppr_xml = f"<w:pPr>{''.join(p_parts)}</w:pPr>" if p_parts else ""
        runs = extra_runs
        if (
            self.report.run_split
            and not self._bookmark
            and block.role in ("lead", "body", "ending")
            and self.rng.random() < 0.3
        ):
            runs += '<w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/>'
            self._bookmark = True
        runs += "".join(self._seg_xml(s, base) for s in block.segs)
        if block.footnote:
            runs += self._footnote_ref(block.footnote)
        return parse_xml(f"<w:p {_NSDECL}>{ppr_xml}{runs}</w:p>")

    def _append(self, el: BaseOxmlElement) -> None:
        self.body.sectPr.addprevious(el)

    # -- pictures --
    def _image_rid(self, data: bytes) -> str:
        rid, _ = self.part.get_or_add_image(io.BytesIO(data))
        return rid

    def _pic_xml(self, rid: str, cx: int, cy: int, pid: int, name: str) -> str:
        return (
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:pic><pic:nvPicPr><pic:cNvPr id="{pid}" name="{name}"/><pic:cNvPicPr>'
            '<a:picLocks noChangeAspect="1" noChangeArrowheads="1"/></pic:cNvPicPr></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="{rid}"/><a:srcRect/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr bwMode="auto"><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></pic:spPr></pic:pic>'
            "</a:graphicData></a:graphic>"
        )

    def _inline_xml(self, data: bytes, width_cm: float, px_w: int, px_h: int) -> str:
        rid = self._image_rid(data)
        cx = int(width_cm * _EMU_PER_CM)
        cy = int(cx * px_h / px_w)
        pid = self._next_id()
        name = f"图片 {pid}"
        return (
            f'<w:r><w:rPr><w:noProof/></w:rPr><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:docPr id="{pid}" name="{name}" descr="{name}"/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            f"{self._pic_xml(rid, cx, cy, 0, name)}</wp:inline></w:drawing></w:r>"
        )

    def _anchor_xml(self, data: bytes, width_cm: float, px_w: int, px_h: int) -> str:
        rid = self._image_rid(data)
        cx = int(width_cm * _EMU_PER_CM)
        cy = int(cx * px_h / px_w)
        pid = self._next_id()
        name = f"图片 {pid}"
        wrap = self.rng.choice(["<wp:wrapTopAndBottom/>", '<wp:wrapSquare wrapText="bothSides"/>'])
        pos_h = self.rng.choice(
            [
                "<wp:align>center</wp:align>",
                "<wp:align>right</wp:align>",
                "<wp:posOffset>0</wp:posOffset>",
            ]
        )
        return (
            f'<w:r><w:rPr><w:noProof/></w:rPr><w:drawing><wp:anchor distT="0" distB="0" distL="114300" '
            f'distR="114300" simplePos="0" relativeHeight="{251658240 + pid}" behindDoc="0" locked="0" '
            'layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            f'<wp:positionH relativeFrom="margin">{pos_h}</wp:positionH>'
            '<wp:positionV relativeFrom="paragraph"><wp:posOffset>360000</wp:posOffset></wp:positionV>'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>{wrap}'
            f'<wp:docPr id="{pid}" name="{name}"/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            f"{self._pic_xml(rid, cx, cy, 0, name)}</wp:anchor></w:drawing></w:r>"
        )

    def _textbox_run(
        self, inner_ps: list[BaseOxmlElement], width_cm: float, height_cm: float
    ) -> str:
        """A Word 2010+ text box: DrawingML choice plus VML fallback with the same content."""
        pid = self._next_id()
        cx, cy = int(width_cm * _EMU_PER_CM), int(height_cm * _EMU_PER_CM)
        from lxml import etree

        def content() -> str:
            return "".join(etree.tostring(p, encoding="unicode") for p in inner_ps)

        choice_content = content()
        # Word writes the same paragraphs again in the fallback; nested drawings get new ids
        fallback_content = re.sub(
            r'(<wp:docPr id=")(\d+)', lambda m: m.group(1) + str(self._next_id()), content()
        )
        fill = self.rng.choice(
            ["<a:noFill/>", '<a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>']
        )
        line = self.rng.choice(
            [
                '<a:ln w="6350"><a:noFill/></a:ln>',
                '<a:ln w="9525"><a:solidFill><a:srgbClr val="C00000"/></a:solidFill></a:ln>',
            ]
        )
        stroked = 'stroked="f"' if "noFill/></a:ln" in line else 'strokecolor="#c00000"'
        w_pt, h_pt = width_cm * 28.3465, height_cm * 28.3465
        return (
            '<w:r><w:rPr><w:noProof/></w:rPr><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
            f'<wp:anchor distT="45720" distB="45720" distL="114300" distR="114300" simplePos="0" '
            f'relativeHeight="{251659264 + pid}" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
            '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>'
            '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
            f'<wp:docPr id="{pid}" name="文本框 {pid}"/><wp:cNvGraphicFramePr/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
            f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{fill}{line}</wps:spPr>'
            f"<wps:txbx><w:txbxContent>{choice_content}</w:txbxContent></wps:txbx>"
            '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440" bIns="45720" '
            'anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic>'
            f'<wp14:sizeRelH relativeFrom="margin"><wp14:pctWidth>0</wp14:pctWidth></wp14:sizeRelH>'
            f'<wp14:sizeRelV relativeFrom="margin"><wp14:pctHeight>0</wp14:pctHeight></wp14:sizeRelV>'
            "</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>"
            '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
            '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
            f'<v:shape id="文本框 {pid}" o:spid="_x0000_s{1025 + pid}" type="#_x0000_t202" '
            f'style="position:absolute;margin-left:0;margin-top:0;width:{w_pt:.1f}pt;height:{h_pt:.1f}pt;'
            f"z-index:{251659264 + pid};visibility:visible;mso-wrap-style:square;mso-position-horizontal:center;"
            f'mso-position-horizontal-relative:margin" {stroked}>'
            f"<v:textbox><w:txbxContent>{fallback_content}</w:txbxContent></v:textbox>"
            '<w10:wrap type="topAndBottom" anchorx="margin"/></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>'
        )

    # -- footnotes and comments --
    def _footnote_ref(self, text: str) -> str:
        if self._footnotes is None:
            xml = (
                f"<w:footnotes {_NSDECL}>"
                '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
                'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
                '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
                'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
                "</w:footnotes>"
            )
            self._footnotes = parse_xml(xml)
            part = XmlPart(
                PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, self._footnotes, self.part.package
            )
            self.part.relate_to(part, RT.FOOTNOTES)
        fid = len(self._footnotes) - 1
        self._footnotes.append(
            parse_xml(
                f'<w:footnote {_NSDECL} w:id="{fid}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                f'<w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {self._esc(text)}</w:t></w:r></w:p></w:footnote>'
            )
        )
        return (
            f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:footnoteReference w:id="{fid}"/></w:r>'
        )

    def _comment(self, p: BaseOxmlElement, text: str) -> None:
        runs = [r for r in p.findall(qn("w:r")) if r.find(qn("w:t")) is not None]
        if not runs:
            return
        para = Paragraph(p, self.doc._body)
        first, last = Run(runs[0], para), Run(runs[-1], para)
        comment = self.doc.add_comment(
            [first, last], text=text, author="区政务公开办", initials="GK"
        )
        comment._comment_elm.date = FIXED_TIME.replace(tzinfo=None)

    # -- blocks --
    def render(self) -> bytes:
        for b in self.report.blocks:
            self._block(b)
        buf = io.BytesIO()
        self.doc.save(buf)
        return _normalise_zip(buf.getvalue())

    def _block(self, b: Block) -> None:
        rng = self.rng
        if b.role == "blank":
            self._append(self._p(b))
            return
        if b.layout == "line":
            data = decorative_png("line")
            self._append(
                parse_xml(
                    f'<w:p {_NSDECL}><w:pPr><w:jc w:val="center"/></w:pPr>'
                    f"{self._inline_xml(data, 15.0, 600, 4)}</w:p>"
                )
            )
            return
        if b.layout == "inline":
            data, w, h = b.photos[0]
            width = rng.choice([12.0, 13.5, 14.5]) if w >= h else rng.choice([8.0, 9.0])
            self._append(
                parse_xml(
                    f'<w:p {_NSDECL}><w:pPr><w:jc w:val="center"/></w:pPr>'
                    f"{self._inline_xml(data, width, w, h)}</w:p>"
                )
            )
            return
        if b.layout == "table-2x2":
            table = self.doc.add_table(rows=2, cols=2)
            if rng.random() < 0.5:
                table.style = self.doc.styles["Table Grid"]
            for k, cell in enumerate(c for row in table.rows for c in row.cells):
                data, w, h = b.photos[k]
                tc = cell._tc
                for old in tc.findall(qn("w:p")):
                    tc.remove(old)
                tc.append(
                    parse_xml(
                        f'<w:p {_NSDECL}><w:pPr><w:jc w:val="center"/></w:pPr>'
                        f"{self._inline_xml(data, 7.0, w, h)}</w:p>"
                    )
                )
                tc.append(
                    self._p(
                        Block(
                            "caption",
                            b.captions[k],
                            ppr={"align": "center", "size": self.report.size - 3},
                        )
                    )
                )
            return
        if b.layout == "textbox" and b.role == "title":
            inner = [self._p(b)]
            text = visible(b.segs)
            lines = text.count("\n") + 1 + len(text) // 20
            run = self._textbox_run(inner, 15.5, 1.3 * lines + 0.6)
            self._append(parse_xml(f"<w:p {_NSDECL}>{run}</w:p>"))
            return
        if b.layout == "textbox":
            data, w, h = b.photos[0]
            inner = [
                parse_xml(
                    f'<w:p {_NSDECL}><w:pPr><w:jc w:val="center"/></w:pPr>{self._inline_xml(data, 11.0, w, h)}</w:p>'
                ),
                self._p(
                    Block(
                        "caption",
                        b.captions[0],
                        ppr={"align": "center", "size": self.report.size - 2},
                    )
                ),
            ]
            run = self._textbox_run(inner, 11.6, 11.0 * h / w + 1.6)
            self._append(parse_xml(f"<w:p {_NSDECL}>{run}</w:p>"))
            return
        if b.layout in ("table-1x1", "table-1x2"):
            cols = 1 if b.layout == "table-1x1" else 2
            table = self.doc.add_table(rows=1, cols=cols)
            if rng.random() < 0.5:
                table.style = self.doc.styles["Table Grid"]
            cells = table.rows[0].cells
            cell = cells[-1]
            tc = cell._tc
            for old in tc.findall(qn("w:p")):
                tc.remove(old)
            tc.append(self._p(b))
            if cols == 2:
                left = cells[0]._tc
                for old in left.findall(qn("w:p")):
                    left.remove(old)
                icon = self._inline_xml(decorative_png("icon"), 0.42, 16, 16) if b.decor else ""
                label = (
                    ""
                    if b.decor
                    else (
                        '<w:r><w:rPr><w:color w:val="C00000"/><w:sz w:val="21"/></w:rPr>'
                        "<w:t>政务动态</w:t></w:r>"
                    )
                )
                left.append(
                    parse_xml(
                        f'<w:p {_NSDECL}><w:pPr><w:jc w:val="center"/></w:pPr>{icon}{label}</w:p>'
                    )
                )
                table.autofit = False
                for col, width in zip(table.columns, (Cm(2.2), Cm(13.2)), strict=True):
                    col.width = width
                    for c in col.cells:
                        c.width = width
            return
        if b.role == "title" and b.layout == "p":
            extra = self._inline_xml(decorative_png("icon"), 0.42, 16, 16) if b.decor else ""
            p = self._p(b, extra_runs=extra)
        elif b.anchor_photo is not None:
            data, w, h = b.anchor_photo
            p = self._p(b, extra_runs=self._anchor_xml(data, rng.choice([7.0, 8.0, 14.0]), w, h))
        else:
            p = self._p(b)
        self._append(p)
        if b.comment:
            self._comment(p, b.comment)


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed entry times and a stable order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    order = ["[Content_Types].xml"] + [n for n in names if n != "[Content_Types].xml"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in order:
            info = zipfile.ZipInfo(n, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            z.writestr(info, src.read(n))
    return out.getvalue()


def _render(report: Report, seed: int, index: int) -> bytes:
    return _Renderer(report, random.Random(f"gkcheck-word-render-{seed}-{index}")).render()


# ---------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------


def write_expected(out_dir: Path, records: list[dict[str, Any]]) -> Path:
    """Write ``expected.json`` (sorted keys, UTF-8, stable layout)."""
    path = Path(out_dir) / "expected.json"
    path.write_text(
        json.dumps(records, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return path


def generate_reports(out_dir: Path, *, seed: int, count: int) -> list[dict[str, Any]]:
    """Write ``count`` reports to ``out_dir`` and return (and save) their truth records."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("r[0-9][0-9][0-9]-*.docx"):
        old.unlink()
    composer = _Composer(seed)
    records = []
    for i in range(count):
        report = composer.compose(i)
        record = _truth(report)
        (out_dir / report.name).write_bytes(_render(report, seed, i))
        records.append(record)
    write_expected(out_dir, records)
    return records


def generate_perf_sample(out_dir: Path, *, seed: int = 1) -> dict[str, Any]:
    """``perf-20para-4photos.docx``: 20 paragraphs, four ~2-megapixel photos, all places pass."""
    out_dir = Path(out_dir)
    composer = _Composer(seed + 1000)
    rng = composer.rng = random.Random(f"gkcheck-word-perf-{seed}")
    composer.features = {
        "perf:20-paragraphs",
        "perf:4-large-photos",
        "title:style-title",
        "lead:purpose",
        "ending:next",
        "meta:single",
        "trail:one-line",
        "photos:inline4",
    }
    if LOGO_PATH.exists():
        composer.features.add("photo:logo")
    composer.n_photos = 0
    composer.indent = "ideo"
    composer.font, composer.size = "仿宋_GB2312", 16
    composer._make_slots()
    title = Block(
        "title",
        composer._fill("{unit}开展{act}", composer._act("title", True, special="cn")),
        ppr={"align": "center", "style": "Title", "form": "style-title"},
    )
    lead = composer._para(
        "lead", composer._fill(T.LEADS["purpose"][0], composer._act("lead", True, special="cn"))
    )
    body = composer._body(18, True, None, None)
    ending = composer._para(
        "ending", composer._fill(T.ENDINGS["next"][0], composer._act("ending", True, special="cn"))
    )
    blocks = [
        title,
        Block(
            "meta",
            [Seg(f"发布时间：{composer.slots['ymd']} 来源：{composer.slots['short']}")],
            ppr={"align": "center", "size": 10.5},
        ),
        lead,
    ]
    for i, b in enumerate(body):
        blocks.append(b)
        if i in (2, 7, 12, 16):
            blocks.append(
                Block(
                    "photo",
                    layout="inline",
                    ppr={"align": "center"},
                    photos=[
                        (event_photo(rng, 1632, 1224, logo=True, quality=88, noise=5.0), 1632, 1224)
                    ],
                )
            )
            blocks.append(
                Block(
                    "caption",
                    [Seg(rng.choice(T.CAPTION_FORMS[:3]).format(c=rng.choice(T.CAPTIONS)))],
                    ppr={"align": "center"},
                )
            )
    blocks.append(ending)
    blocks.append(Block("trail", [Seg(f"供稿：{composer.slots['short']}")], ppr={"align": "right"}))
    report = Report(
        "perf-20para-4photos.docx",
        blocks,
        composer.features,
        dict.fromkeys(_PLACES, True),
        18,
        font="仿宋_GB2312",
        size=16,
        author="雨花区政务公开办",
    )
    record = _truth(report)
    assert record["photos"] == 4
    (out_dir / report.name).write_bytes(_render(report, seed, 9999))
    return record
