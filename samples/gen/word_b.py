"""An independent Word report generator ("B"), to measure how the structure analysis generalises.

Written without looking at ``gen/word.py`` / ``gen/texts.py``: different code (raw OOXML written
by hand, no python-docx), different phrase banks and different layout habits — the ones units in
长沙市雨花区 have when they write a report in Word or WPS: the whole report in a layout table,
a photo beside the text, official-document formatting (仿宋_GB2312 三号, 28 pt fixed line
spacing, ``firstLineChars="200"``), 黑体 sub-headings, a title in a VML text box, a metadata
table, signature blocks, tracked changes, floating photos, empty paragraphs, section breaks.

Every document is built from a *plan* (a list of paragraphs and tables whose paragraphs carry a
role); the truth record is derived from the plan, and checked against a small reference
matcher before anything is written.

Usage::

    from gen.word_b import generate_reports_b
    generate_reports_b(Path("/tmp/gkb"), seed=101, count=80)
"""

from __future__ import annotations

import io
import json
import math
import random
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw

from .photos import event_photo

__all__ = ["KEYWORD", "generate_reports_b", "reviewer_has_keyword", "visible"]

KEYWORD = "政务公开主题日"

# ---------------------------------------------------------------------------------------------
# Inline markup inside plan texts (private-use characters, never in real text)
BR = "\ue000"  # soft line break (w:br)
INS_A, INS_B = "\ue001", "\ue002"  # tracked insertion
DEL_A, DEL_B = "\ue003", "\ue004"  # tracked deletion


def ins(s: str) -> str:
    return f"{INS_A}{s}{INS_B}"


def dele(s: str) -> str:
    return f"{DEL_A}{s}{DEL_B}"


def visible(markup: str) -> str:
    """What Word shows with "No Markup": insertions in, deletions out, soft breaks as \\n."""
    out = re.sub(f"{DEL_A}.*?{DEL_B}", "", markup, flags=re.DOTALL)
    return out.replace(INS_A, "").replace(INS_B, "").replace(BR, "\n")


_QUOTES = "“”‘’\"'＂＇「」『』"
_TRAD = str.maketrans({"務": "务", "開": "开", "題": "题"})


def reviewer_has_keyword(text: str) -> bool:
    """Reference matcher: what a careful human reviewer accepts as the keyword."""
    t = unicodedata.normalize("NFKC", text).translate(_TRAD)
    t = "".join(ch for ch in t if not ch.isspace() and ch not in _QUOTES)
    return KEYWORD in t


# ---------------------------------------------------------------------------------------------
# Phrase banks (雨花区 units, themes, places, people)

UNITS = [  # (full name, short name used inside sentences)
    ("雨花区医疗保障局", "区医保局"),
    ("雨花区人力资源和社会保障局", "区人社局"),
    ("雨花区市场监督管理局", "区市场监管局"),
    ("雨花区城市管理和综合执法局", "区城管执法局"),
    ("雨花区司法局", "区司法局"),
    ("雨花区卫生健康局", "区卫健局"),
    ("雨花区住房和城乡建设局", "区住建局"),
    ("雨花区教育局", "区教育局"),
    ("雨花区民政局", "区民政局"),
    ("雨花区政务服务中心", "区政务服务中心"),
    ("雨花区退役军人事务局", "区退役军人事务局"),
    ("雨花区应急管理局", "区应急管理局"),
    ("雨花区发展和改革局", "区发改局"),
    ("雨花区砂子塘街道办事处", "砂子塘街道"),
    ("雨花区东塘街道办事处", "东塘街道"),
    ("雨花区洞井街道办事处", "洞井街道"),
    ("雨花区圭塘街道办事处", "圭塘街道"),
    ("雨花区高桥街道办事处", "高桥街道"),
    ("雨花区黎托街道办事处", "黎托街道"),
    ("雨花区井湾子街道办事处", "井湾子街道"),
    ("雨花区同升街道办事处", "同升街道"),
    ("雨花区左家塘街道办事处", "左家塘街道"),
    ("雨花区跳马镇人民政府", "跳马镇"),
]

THEMES = [
    "政策进万家 服务零距离",
    "走进政务大厅 体验一窗通办",
    "医保政策面对面",
    "阳光城管 你我共建",
    "法治护航 公开同行",
    "就业政策进社区",
    "开门问需 共商发展",
    "民生实事 我来参与",
    "透明政府 便民服务",
    "安全生产 公开先行",
    "教育惠民 阳光招生",
    "老有所养 政策暖心",
]

COMMUNITIES = ["桂花坪", "圭白路", "井湾子", "洞井", "劳动东路", "砂子塘", "东塘", "韶光",
               "鄂尔多斯", "自然岭", "石门", "新兴", "花侯路", "川河"]

VENUES = [
    "{c}社区党群服务中心",
    "{c}社区新时代文明实践站",
    "区政务服务中心一楼大厅",
    "{c}社区文化广场",
    "单位三楼会议室",
    "{c}社区居民议事厅",
    "区市民之家",
]

GUESTS = [
    "人大代表、政协委员、居民代表",
    "企业代表、群众代表和新闻媒体记者",
    "“两代表一委员”、网格员和辖区居民",
    "社区志愿者、退休老党员和居民群众",
    "辖区商户代表、物业代表和居民代表",
    "特邀监督员、企业代表及群众代表",
]

SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉宇浩凯健俊帆琳雪梅晨曦婷倩颖佳楠欣怡思远志鸿博文昊然诗涵"


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))


# The activity-name slot {N}: keyword spellings (count), near misses and generic names (don't).
KW_FORMS = {
    "cn": "“政务公开主题日”",
    "bare": "政务公开主题日",
    "ascii": '"政务公开主题日"',
    "fullwidth": "＂政务公开主题日＂",
    "split-quotes": "政务公开“主题日”",
    "traditional": "“政務公開主題日”",
    "year": "2023年“政务公开主题日”",
    "edition": "第二届“政务公开主题日”",
    "space": "“政务公开 主题日”",
    "ideo-space": "“政务公开\u3000主题日”",
    "softbreak": f"“政务公开{BR}主题日”",
    "ins-whole": ins("“政务公开主题日”"),
    "ins-fix": f"“政务公开{dele('日')}{ins('主题日')}”",
    "ins-month-fix": f"“政务公开主题{dele('月')}{ins('日')}”",
}
NEAR_FORMS = {
    "政务公开日": "“政务公开日”",
    "政府开放日": "“政府开放日”",
    "政务开放日": "“政务开放日”",
    "政务公开主题活动": "政务公开主题",  # "开展政务公开主题活动"
    "政务公开主题月": "“政务公开主题月”",
    "政务宣传日": "“政务宣传日”",
    "政府公开日": "“政府公开日”",
}
DEL_TRAPS = {  # deletions that leave a near miss
    "del-whole": f"“{dele('政务公开主题日')}{ins('政务开放日')}”",
    "del-theme": f"“政务公开{dele('主题')}日”",
    "del-to-month": f"“政务公开主题{dele('日')}{ins('月')}”",
}
GENERIC_FORMS = ["政务公开", "“{T}”主题", "“{T}”政务公开"]


@dataclass
class Slot:
    """What fills the activity-name slot of one place."""

    markup: str
    has_kw: bool
    tag: str  # "kw:cn", "near:政务开放日", "generic", "del:del-theme" …


def kw_slot(rng: random.Random, allowed: list[str] | None = None) -> Slot:
    keys = allowed or list(KW_FORMS)
    k = rng.choice(keys)
    return Slot(KW_FORMS[k], True, f"kw:{k}")


def near_slot(rng: random.Random, name: str | None = None) -> Slot:
    n = name or rng.choice(list(NEAR_FORMS))
    return Slot(NEAR_FORMS[n], False, f"near:{n}")


def generic_slot(rng: random.Random, theme: str) -> Slot:
    return Slot(rng.choice(GENERIC_FORMS).replace("{T}", theme), False, "generic")


# ---------------------------------------------------------------------------------------------
# Plan


@dataclass
class Fmt:
    font: str = "宋体"
    size: float = 12.0
    bold: bool = False
    align: str | None = None  # "center" "right" "both" "left"
    indent: str = "none"  # "chars" (firstLineChars=200), "ideo" (　　 in text), "none"
    exact_line: int | None = None  # twips (560 = 28 pt)
    style: str | None = None  # styleId
    outline: int | None = None
    italic: bool = False


@dataclass
class Photo:
    width: int
    height: int
    kind: str = "photo"  # "photo" | "icon" | "line" | "bullet"
    anchor: bool = False
    display_cm: float = 12.0
    logo: bool = False


@dataclass
class Para:
    role: str  # title subtitle meta lead body heading ending single caption trail signature empty
    #            photo decor chrome pagebreak
    text: str = ""  # markup
    fmt: Fmt = field(default_factory=Fmt)
    photos: list[Photo] = field(default_factory=list)  # drawings in the paragraph
    photo_at_end: bool = False  # drawing after the text instead of before
    textbox: list[Para] | None = None  # VML text box content anchored in this paragraph
    page_break: bool = False  # a w:br type=page run at the start
    sect_break: str | None = None  # "continuous" / "nextPage": this paragraph ends a section
    split_runs: bool = False


@dataclass
class Table:
    rows: list[list[list[Para]]]
    widths: list[int]
    borders: bool = False


Item = Para | Table


def iter_paras(items: list[Item]):
    for it in items:
        if isinstance(it, Table):
            for row in it.rows:
                for cell in row:
                    yield from iter_paras(cell)
        else:
            if it.textbox:
                yield from iter_paras(it.textbox)
            yield it


# ---------------------------------------------------------------------------------------------
# Text builders


@dataclass
class Ctx:
    rng: random.Random
    unit: str
    short: str
    theme: str
    month: int
    day: int
    venue: str
    guests: str
    reporter: str
    reporter2: str
    editor: str
    n_people: int

    def date(self, half: bool = True) -> str:
        return f"{self.month}月{self.day}日" + (self.rng.choice(["上午", "下午"]) if half else "")

    def fill(self, tpl: str, slot: Slot | None = None) -> str:
        vals = {"U": self.short, "UF": self.unit, "T": self.theme, "V": self.venue, "G": self.guests,
                "R": self.reporter, "R2": self.reporter2, "P": str(self.n_people),
                "P2": str(self.rng.randint(5, 30)), "D": self.date(False)}
        s = re.sub(r"\{(UF|U|T|V|G|R2|R|P2|P|D)\}", lambda m: vals[m.group(1)], tpl)
        if slot is not None:
            s = s.replace("{N}", slot.markup)
        assert "{" not in s.replace("{N}", ""), s
        return s


TITLE_TPLS = [
    "{U}开展{N}活动",
    "{U}积极开展{N}活动",
    "{U}扎实开展{N}暨“{T}”活动",
    "{U}举办{N}活动 邀群众走进机关",
    "打开大门听民意 {U}开展{N}活动",
    "{U}：以{N}为契机 推动政务公开提质增效",
]
TOPIC_TITLES = [
    "把政策讲到群众心坎上",
    "让权力在阳光下运行",
    "政务服务“零距离” 群众办事更舒心",
    "打开机关大门 倾听百姓心声",
]
SUBTITLE_TPLS = ["——{U}开展{N}活动", "——{UF}举办{N}活动侧记"]
TWO_LINE_TITLES = [  # (line 1, line 2); the slot is in line 2
    ("“{T}”", "——{U}开展{N}活动"),
    ("{U}以“{T}”为主题", "开展{N}活动"),
    ("{U}邀请{G}", "参加{N}活动"),
]


def lead_text(c: Ctx, form: str, slot: Slot) -> str:
    rng = c.rng
    d = c.date(True)
    if form == "benbao":
        head = f"本报讯（通讯员 {c.reporter}）"
        body = f"{d}，{c.short}在{c.venue}开展以“{c.theme}”为主题的{slot.markup}活动，{c.guests}等{c.n_people}余人走进现场，零距离感受政务公开成效。"
        return head + body
    if form == "rongmeiti":
        head = f"雨花区融媒体中心讯（记者 {c.reporter2} 通讯员 {c.reporter}）"
        body = f"{d}，{c.short}{slot.markup}活动在{c.venue}举行，{c.guests}受邀参加，围绕“{c.theme}”与工作人员面对面交流。"
        return head + body
    if form == "quote":
        q = rng.choice([
            "以前办个证要跑好几趟，现在在家门口就能办好，政府的服务越来越贴心了！",
            "今天来了才知道，原来这么多政策都能在网上查到，真是方便！",
            "把政策讲透、把流程讲清，我们老百姓心里就踏实了。",
        ])
        return f"“{q}”{d}，在{c.short}举办的{slot.markup}活动现场，居民{person(rng)}由衷感叹。当天，{c.guests}等{c.n_people}余人参加了活动。"
    if form == "long":
        return (
            "为深入落实全省政务公开工作部署，进一步拓宽群众参与政务公开的渠道，"
            "推动政务公开从“政府端菜”向“群众点菜”转变，切实增强政策透明度和群众获得感，"
            f"{d}，{c.short}精心组织、周密部署，在{c.venue}开展以“{c.theme}”为主题的{slot.markup}活动，"
            f"邀请{c.guests}等{c.n_people}余人走进现场，通过参观服务窗口、观看宣传视频、现场政策解读和互动问答等多种形式，"
            "面对面倾听群众意见建议、实打实回应群众关心关注的热点难点问题。"
        )
    if form == "date-only":
        return f"{c.month}月{c.day}日上午，{c.short}在{c.venue}开展{slot.markup}活动，{c.guests}等{c.n_people}余人参加。"
    # purpose
    opener = rng.choice([
        "为进一步推进政务公开工作，增强群众对政府工作的认同和支持",
        "为切实提升政务公开的透明度和群众参与度",
        "为让群众更好地了解、监督和参与政府工作",
    ])
    return f"{opener}，{d}，{c.short}在{c.venue}开展{slot.markup}活动，邀请{c.guests}等{c.n_people}余人参加。"


BODY_PLAIN = [
    "活动现场，工作人员带领参观代表依次走进综合受理窗口、自助服务区和“办不成事”反映窗口，详细介绍了“一件事一次办”改革的推进情况，并现场演示了“湘易办”手机端办理社保、医保等高频事项的操作流程。",
    "座谈会上，{U}主要负责人围绕年度重点工作、重大民生项目进展等情况作了通报，并就群众关心的老旧小区改造、停车难、学位供给等问题逐一作了解答。参会代表纷纷表示，此次活动形式新颖、内容实在，拉近了政府与群众的距离。",
    "随后，{G}来到政策咨询台，工作人员结合典型案例，用通俗易懂的语言解读了最新出台的惠民惠企政策，并发放了政策“明白卡”。",
    "据统计，活动当天共发放宣传资料{P}0余份，解答群众咨询{P}余人次，收集意见建议{P2}条，均已建立台账，明确责任科室限期办理。",
    "此外，{U}还通过微信公众号同步开展线上直播，邀请业务骨干在线答疑，累计观看人数超过3000人次，进一步扩大了政务公开的覆盖面和影响力。",
    "活动中，大家还参观了政务公开专区，现场查阅了政府信息公开指南、政策文件汇编等资料，了解了依申请公开的办理流程和渠道。",
    "一是开门听意见。通过召开座谈会、设置意见箱等方式，广泛收集群众意见建议。二是上门讲政策。组织党员干部深入小区、企业，面对面宣讲惠民政策。三是线上解难题。依托政务新媒体平台，及时回应群众关切。",
    "（一）突出重点内容公开。围绕财政预决算、重大建设项目、民生实事等重点领域，及时准确公开相关信息。（二）创新公开方式。通过“政策讲堂”“公开进社区”等形式，让政策看得见、听得懂、用得上。",
    "会后，代表们填写了满意度调查问卷，对{U}的政务公开工作给予了充分肯定，满意率达到98%以上。",
]
BODY_SLOT = [
    "本次{N}活动以“{T}”为主题，采取“参观+讲解+座谈”的方式进行，让群众零距离感受政务服务的便捷高效。",
    "活动现场，工作人员向{G}介绍了{N}活动的由来和意义，并邀请大家为进一步做好政务公开工作建言献策。",
    "据悉，{N}活动是我省推进基层政务公开标准化规范化建设的重要举措，{U}将把活动开展情况纳入年度政务公开工作考核。",
    "为确保{N}活动取得实效，{U}提前制定活动方案，明确责任分工，通过社区公告栏、微信群等渠道广泛发布活动预告。",
]
HEADINGS = {
    "cn1": ["一、精心组织，确保活动有序开展", "二、创新形式，让政策“看得见”", "三、回应关切，把好事办实办好", "四、建章立制，推动公开常态长效"],
    "cn2": ["（一）走进服务窗口", "（二）面对面解读政策", "（三）现场收集民意", "（四）线上同步直播"],
    "arab": ["1.开门迎客，体验办事流程", "2.讲透政策，答疑解惑", "3.倾听民声，汇聚民智", "4.跟踪督办，件件有回音"],
}
HEADING_SLOT = ["一、聚焦{N}，打开机关大门", "（一）以{N}为抓手推动公开", "1.办好{N}系列活动"]

ENDING_TPLS = {
    "next": [
        "下一步，{U}将以此次{N}活动为契机，持续深化政务公开，进一步畅通政民互动渠道，不断提升群众的获得感和满意度。",
        "下一步，{U}将认真梳理本次{N}活动中收集到的意见建议，建立问题清单，逐项研究落实，切实做到件件有着落、事事有回音。",
    ],
    "short": ["下一步，我们将持续办好{N}活动。", "下一步，{U}将常态化开展{N}活动。"],
    "future": ["今后，{U}将把{N}活动作为常态化工作抓实抓细，以公开促落实、以公开优服务，推动政务公开工作再上新台阶。"],
    "evaluation": ["此次{N}活动的开展，进一步增进了群众对政府工作的了解和支持，营造了全社会关心、支持、参与政务公开的良好氛围。"],
    "quoted": ["{U}相关负责人表示，下一步将以{N}活动为抓手，持续推进决策、执行、管理、服务、结果“五公开”，让政务公开成为惠民的“直通车”。"],
}
ENDING_SHORT_NOSLOT = ["下一步，我们将持续做好政务公开工作。", "下一步，{U}将继续做好政务公开各项工作。"]

CAPTIONS = [
    "工作人员为群众讲解医保政策",
    "活动现场",
    "居民代表参观政务服务大厅",
    "与会代表座谈交流",
    "志愿者向群众发放宣传资料",
    "工作人员现场演示“湘易办”操作流程",
    "群众在政务公开专区查阅资料",
]
CAPTION_SLOT = ["居民积极参与{N}活动", "{U}{N}活动现场"]


# ---------------------------------------------------------------------------------------------
# Layout choices


def deck(rng: random.Random, options: list, count: int) -> list:
    """Balanced random choices: every option occurs about count/len(options) times."""
    out = (options * math.ceil(count / len(options)))[:count]
    rng.shuffle(out)
    return out


BODY_STYLES = {
    # name: (font, size, indent mode, exact line twips)
    "official": ("仿宋_GB2312", 16.0, "chars", 560),
    "song12": ("宋体", 12.0, "ideo", None),
    "fangsong14-wps": ("仿宋", 14.0, "chars", None),
    "yahei": ("微软雅黑", 10.5, "none", None),
}


def _slots_for(rng: random.Random, scenario: str, c: Ctx):
    """Slot per place (title, lead, body, ending) plus extra slots (caption/signature/subtitle)."""
    def miss(name=None):
        return near_slot(rng, name) if rng.random() < 0.75 else generic_slot(rng, c.theme)

    places = ["title", "lead", "body", "ending"]
    s: dict[str, Slot] = {}
    extra: dict[str, Slot] = {}
    if scenario == "all-true":
        for p in places:
            s[p] = kw_slot(rng)
    elif scenario == "mixed-names":
        s["title"] = kw_slot(rng, ["cn", "bare", "year"])
        s["lead"] = near_slot(rng, "政务公开日")
        s["body"] = near_slot(rng, "政府开放日")
        s["ending"] = near_slot(rng, "政务开放日")
    elif scenario in ("one-missing", "two-missing"):
        k = 1 if scenario == "one-missing" else 2
        missing = rng.sample(places, k)
        for p in places:
            s[p] = miss() if p in missing else kw_slot(rng)
    elif scenario == "all-false":
        for p in places:
            s[p] = miss()
    elif scenario == "caption-only":
        for p in places:
            s[p] = miss()
        extra["caption"] = kw_slot(rng, ["cn", "bare"])
    elif scenario == "signature-only":
        for p in places:
            s[p] = miss()
        extra["signature"] = kw_slot(rng, ["bare", "year"])
    elif scenario == "subtitle-only":
        for p in places:
            s[p] = miss()
        extra["subtitle"] = kw_slot(rng, ["cn", "bare", "year"])
    elif scenario == "ins-del":
        for p in places:
            r = rng.random()
            if r < 0.4:
                s[p] = kw_slot(rng, ["ins-whole", "ins-fix", "ins-month-fix"])
            elif r < 0.8:
                k = rng.choice(list(DEL_TRAPS))
                s[p] = Slot(DEL_TRAPS[k], False, f"del:{k}")
            else:
                s[p] = kw_slot(rng, ["cn"])
    elif scenario == "heading-only-body":
        for p in places:
            s[p] = kw_slot(rng, ["cn", "bare"])
        extra["heading"] = s["body"]
    else:  # pragma: no cover
        raise ValueError(scenario)
    return s, extra


@dataclass
class Report:
    items: list[Item]
    features: list[str]
    photos: int
    header_text: str | None = None
    app: str = "Microsoft Office Word"
    heading_ids: tuple[str, str] = ("Heading1", "Heading2")
    intent: dict = field(default_factory=dict)


def plan_report(rng: random.Random, choice: dict, idx: int) -> Report:
    feats: set[str] = set()
    unit, short = rng.choice(UNITS)
    comm = rng.choice(COMMUNITIES)
    c = Ctx(
        rng=rng, unit=unit, short=short, theme=rng.choice(THEMES), month=rng.randint(4, 10),
        day=rng.randint(1, 28), venue=rng.choice(VENUES).format(c=comm), guests=rng.choice(GUESTS),
        reporter=person(rng), reporter2=person(rng), editor=person(rng), n_people=rng.choice([20, 30, 40, 50, 60, 80]),
    )
    scenario = choice["scenario"]
    feats.add(f"truth:{scenario}")
    slots, extra = _slots_for(rng, scenario, c)
    n_paras = choice["length"]  # 1, 2 or 3..7 real paragraphs
    if n_paras < 3 and scenario == "heading-only-body":
        n_paras = 4
    if n_paras < 3:
        feats.add(f"short:{n_paras}-paragraph")
    style_name = choice["body_style"]
    feats.add(f"style:{style_name}")
    font, size, indent, exact = BODY_STYLES[style_name]
    body_fmt = Fmt(font=font, size=size, indent=indent, exact_line=exact, align="both")
    cap_size = {16.0: 14.0, 12.0: 10.5, 14.0: 12.0, 10.5: 9.0}[size]
    cap_font = "楷体_GB2312" if rng.random() < 0.6 else "楷体"
    cap_fmt = Fmt(font=cap_font, size=cap_size, align="center", exact_line=None)
    report_app = "WPS Office" if rng.random() < 0.5 else "Microsoft Office Word"
    heading_ids = ("1", "2") if rng.random() < 0.5 else ("Heading1", "Heading2")

    def P(role, text="", fmt=None, **kw) -> Para:
        return Para(role=role, text=text, fmt=fmt or body_fmt, **kw)

    def fill(tpl: str, slot: Slot | None = None) -> str:
        return c.fill(tpl, slot)

    n_photos_real = 0

    def photo_para(anchor=False, large=False, logo=False, cm=None) -> Para:
        nonlocal n_photos_real
        n_photos_real += 1
        w, h = (1600, 1200) if large else rng.choice([(640, 480), (800, 600), (1024, 768), (960, 640), (768, 1024)])
        ph = Photo(w, h, anchor=anchor, display_cm=cm or rng.choice([12.0, 13.5, 14.6]), logo=logo)
        return P("photo", "", Fmt(font=font, size=size, align="center"), photos=[ph])

    def caption(slot: Slot | None = None, punct: str | None = None) -> Para:
        t = fill(rng.choice(CAPTION_SLOT), slot) if slot is not None else rng.choice(CAPTIONS)
        punct = punct or rng.choice(["none", "none", "full-stop", "tu-wei"])
        if punct == "full-stop":
            t += "。"
        elif punct == "tu-wei":
            t = "图为" + t + "。"
        feats.add(f"caption:{punct}")
        return P("caption", t, Fmt(font=cap_fmt.font, size=cap_fmt.size, align="center"))

    # ---------------- title
    title_kind = choice["title"]
    feats.add(f"title:{title_kind}")
    t_slot = slots["title"]
    title_paras: list[Para] = []
    if title_kind == "two-lines":
        l1, l2 = rng.choice(TWO_LINE_TITLES)
        big = Fmt(font="方正小标宋简体", size=22.0, align="center")
        title_paras = [P("title", fill(l1), big), P("title", fill(l2, t_slot), Fmt(**vars(big)))]
    elif title_kind == "two-lines-split-keyword" and t_slot.has_kw and t_slot.tag in ("kw:cn", "kw:bare", "kw:year"):
        full = fill("{U}开展{N}活动", t_slot)
        cut = full.index("公开") + 2
        big = Fmt(font="黑体", size=22.0, align="center")
        title_paras = [P("title", full[:cut], big), P("title", full[cut:], Fmt(**vars(big)))]
    else:
        if title_kind == "two-lines-split-keyword":
            title_kind = "fzxbs-22"
            feats.discard("title:two-lines-split-keyword")
            feats.add("title:fzxbs-22")
        tpl = rng.choice(TITLE_TPLS)
        if "subtitle" in extra:
            tpl = rng.choice(TOPIC_TITLES)
        text = fill(tpl, t_slot)
        if rng.random() < 0.12 and t_slot.tag in ("kw:cn", "kw:bare"):
            text = text.replace("政务公开", "政务公开" + BR, 1)
            feats.add("title:softbreak-in-keyword")
        if title_kind == "fzxbs-22":
            f = Fmt(font="方正小标宋简体", size=22.0, align="center")
        elif title_kind == "heiti-22":
            f = Fmt(font="黑体", size=22.0, align="center", bold=rng.random() < 0.5)
        elif title_kind == "left-bold-16":
            f = Fmt(font=rng.choice(["宋体", "黑体", font]), size=16.0, bold=True, align="left")
        elif title_kind == "heading2":
            f = Fmt(font="黑体", size=16.0, bold=True, style=heading_ids[1], align=rng.choice([None, "center"]))
        elif title_kind == "vml-textbox":
            f = Fmt(font="方正小标宋简体", size=rng.choice([20.0, 22.0]), align="center")
        else:
            raise ValueError(title_kind)
        title_paras = [P("title", text, f)]
    sf = Fmt(font="楷体_GB2312", size=16.0, align="center")
    if "subtitle" in extra:
        feats.add("title:keyword-in-subtitle")
        title_paras.append(P("subtitle", fill(rng.choice(SUBTITLE_TPLS), extra["subtitle"]), sf))
    elif rng.random() < 0.15 and title_kind not in ("two-lines", "two-lines-split-keyword"):
        feats.add("title:subtitle")
        title_paras.append(P("subtitle", fill(rng.choice(["——{U}“{T}”活动侧记", "——{UF}开门问政走笔"])), sf))
    if title_kind == "vml-textbox":
        tb = title_paras
        title_paras = [P("textbox-anchor", "", Fmt(font=font, size=size), textbox=tb)]

    # ---------------- metadata
    meta_kind = choice["meta"]
    feats.add(f"meta:{meta_kind}")
    pub = f"2023-{c.month:02d}-{min(c.day + rng.randint(0, 2), 28):02d}"
    meta_items: list[Item] = []
    small = Fmt(font="宋体", size=10.5, align="center")
    if meta_kind == "line":
        meta_items.append(P("meta", f"发布时间：{pub}  来源：{unit}  浏览次数：{rng.randint(30, 900)}", small))
    elif meta_kind == "table":
        cells = [[P("meta", f"来源：{unit}", Fmt(**vars(small)))],
                 [P("meta", f"发布时间：{pub} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}", Fmt(**vars(small)))],
                 [P("meta", f"浏览次数：{rng.randint(30, 900)}", Fmt(**vars(small)))]]
        meta_items.append(Table([cells], [3400, 3000, 1906], borders=rng.random() < 0.5))
    elif meta_kind == "table-2rows":
        labels = [[P("meta", x, Fmt(**vars(small)))] for x in ("来源", "发布时间", "浏览次数")]
        values = [[P("meta", x, Fmt(**vars(small)))] for x in (unit, pub, str(rng.randint(30, 900)))]
        meta_items.append(Table([labels, values], [3400, 3000, 1906], borders=True))

    # ---------------- paragraphs
    lead_form = choice["lead"]
    feats.add(f"lead:{lead_form}")
    lead_t = lead_text(c, lead_form, slots["lead"])
    end_form = choice["ending"]
    feats.add(f"ending:{end_form}")
    e_slot = slots["ending"]
    if end_form == "short":
        if e_slot.has_kw or e_slot.tag.startswith("del"):
            end_t = fill(rng.choice(ENDING_TPLS["short"]), e_slot)
        else:
            end_t = fill(rng.choice(ENDING_SHORT_NOSLOT))
    else:
        end_t = fill(rng.choice(ENDING_TPLS[end_form if end_form in ENDING_TPLS else "next"]), e_slot)

    structure = choice["body"]
    paras: list[Para] = []
    if n_paras == 1:
        # the one paragraph must carry what both the lead and ending slots say
        one = lead_t
        if slots["ending"].has_kw != slots["lead"].has_kw:
            # keep the truth simple: the single paragraph uses the lead slot, ending follows
            pass
        paras = [P("single", one)]
    elif n_paras == 2:
        paras = [P("lead", lead_t), P("ending", end_t)]
    else:
        n_body = n_paras - 2
        feats.add(f"body:{structure}")
        b_slot = slots["body"]
        enum = [p for p in BODY_PLAIN if p.startswith(("一是", "（一）"))]
        others = [p for p in BODY_PLAIN if p not in enum]
        if structure == "enum-inline":
            plain = [*rng.sample(others, n_body - 1), rng.choice(enum)]
            rng.shuffle(plain)
        else:
            plain = rng.sample(others, n_body)
        body_texts = [fill(t) for t in plain[:n_body]]
        if scenario == "heading-only-body":
            pass  # keyword goes into a sub-heading below
        elif b_slot.has_kw or b_slot.tag != "generic":
            k = rng.randrange(len(body_texts))
            body_texts[k] = fill(rng.choice(BODY_SLOT), b_slot)
        body_paras = [P("body", t) for t in body_texts]
        if structure == "subheadings" or scenario == "heading-only-body":
            feats.add("body:subheadings")
            kind = rng.choice(list(HEADINGS))
            feats.add(f"heading:{kind}")
            hfont = {"cn1": "黑体", "cn2": "楷体_GB2312", "arab": font}[kind]
            hf = Fmt(font=hfont, size=size, bold=kind != "cn1", indent=indent if rng.random() < 0.5 else "none",
                     exact_line=exact)
            heads = list(HEADINGS[kind])
            if scenario == "heading-only-body":
                feats.add("kw:in-subheading")
                heads[0] = fill(rng.choice(HEADING_SLOT), extra["heading"])
            mixed: list[Para] = []
            for i, bp in enumerate(body_paras):
                if i < len(heads) and (i == 0 or rng.random() < 0.8):
                    mixed.append(P("heading", heads[i], Fmt(**vars(hf))))
                mixed.append(bp)
            body_paras = mixed
        paras = [P("lead", lead_t), *body_paras, P("ending", end_t)]

    # ---------------- photos, captions
    ph_kind = choice["photos"]
    feats.add(f"photos:{ph_kind}")
    cap_slot = extra.get("caption")
    if cap_slot is not None:
        feats.add("caption:keyword")
    cap_used = False

    def next_caption(**kw) -> Para:
        nonlocal cap_used
        if cap_slot is not None and not cap_used:
            cap_used = True
            return caption(cap_slot, **kw)
        return caption(**kw)

    content: list[Item] = list(paras)  # reading order of the text part

    def insert_after(role_pred, items: list[Item]) -> None:
        for i, it in enumerate(content):
            if isinstance(it, Para) and role_pred(it):
                content[i + 1:i + 1] = items
                return
        content.extend(items)

    first_para = content[0]
    if ph_kind == "below-captions":
        k = rng.randint(1, 3)
        for _ in range(k):
            idx_p = rng.randrange(len(content))
            while isinstance(content[idx_p], Para) and content[idx_p].role in ("heading",):
                idx_p = (idx_p + 1) % len(content)
            content[idx_p + 1:idx_p + 1] = [photo_para(), next_caption()]
    elif ph_kind == "caption-above":
        insert_after(lambda p: p is first_para, [next_caption(), photo_para()])
    elif ph_kind == "table-1x1":
        tp = [photo_para(cm=12.0), next_caption()]
        insert_after(lambda p: p is first_para, [Table([[tp]], [8306], borders=rng.random() < 0.5)])
    elif ph_kind == "table-2x1":
        rows = [[[photo_para(cm=7.0)], [photo_para(cm=7.0)]], [[next_caption()], [next_caption()]]]
        insert_after(lambda p: p is first_para, [Table(rows, [4153, 4153], borders=False)])
    elif ph_kind == "anchor":
        pp = photo_para(anchor=True)
        pp.role = "photo"
        insert_after(lambda p: p is first_para, [pp, next_caption()])
    elif ph_kind == "anchor-in-text":
        # floating photo anchored inside the lead paragraph (wrap square), no caption
        first_para.photos = photo_para(anchor=True, cm=7.0).photos
    elif ph_kind == "large-inline":
        insert_after(lambda p: p is first_para, [photo_para(large=True), next_caption()])
        insert_after(lambda p: p.role == "ending" or p.role == "single",
                     [photo_para(large=True), next_caption()])
        feats.add("photo:large")
    elif ph_kind == "at-end":
        # Word habit: text first, then the photos with captions under the ending
        tail = []
        for _ in range(rng.randint(1, 3)):
            tail += [photo_para(), next_caption()]
        insert_after(lambda p: p.role in ("ending", "single"), tail)
    elif ph_kind == "before-lead":
        content[0:0] = [photo_para(logo=True), next_caption()]
    elif ph_kind == "none":
        pass
    if cap_slot is not None and not cap_used:  # scenario needs the caption somewhere
        insert_after(lambda p: p is first_para, [photo_para(), caption(cap_slot)])

    # decorative images that are not photos
    decor = choice["decor"]

    # ---------------- container
    container = choice["container"]
    if container == "table-2col" and len(paras) < 2:
        container = "none"
    feats.add(f"layout:{container}")
    if container == "table-2col":
        # text cell + photo cell; the ending (and any other photos) stay below the table
        text_part = [it for it in content if isinstance(it, Para) and it.role not in ("ending", "photo", "caption")]
        side = [photo_para(cm=6.0), next_caption()]
        if rng.random() < 0.3:
            side += [photo_para(cm=6.0), next_caption()]
        photo_left = rng.random() < 0.35
        if photo_left:
            feats.add("layout:photo-left")
        row = [side, text_part] if photo_left else [text_part, side]
        widths = [3100, 5206] if photo_left else [5206, 3100]
        ids = {id(x) for x in text_part}
        rest = [it for it in content if id(it) not in ids]
        content = [Table([row], widths, borders=rng.random() < 0.3), *rest]

    # ---------------- ending trail
    trail_kind = choice["trail"]
    feats.add(f"trail:{trail_kind}")
    right = Fmt(font=font, size=size, align="right")
    trail: list[Para] = []
    sig_slot = extra.get("signature")
    if sig_slot is not None:
        trail_kind = "signature"
        feats.add("trail:signature")
    if trail_kind == "signature":
        name = unit if sig_slot is None else fill("雨花区{N}活动领导小组办公室", sig_slot)
        trail = [P("empty", "", right), P("signature", name, Fmt(**vars(right))),
                 P("signature", f"2023年{c.month}月{min(c.day + 2, 28)}日", Fmt(**vars(right)))]
    elif trail_kind == "reporter":
        trail = [P("trail", rng.choice([f"（通讯员 {c.reporter} {c.reporter2}）", f"通讯员：{c.reporter}",
                                         f"通讯员 {c.reporter} 摄影 {c.reporter2}"]), Fmt(**vars(right)))]
    elif trail_kind == "wan":
        trail = [P("trail", "（完）", Fmt(font=font, size=size, align=rng.choice(["right", None])))]
    elif trail_kind == "editor":
        trail = [P("trail", f"【责任编辑：{c.editor}】", Fmt(font="宋体", size=10.5, align="right"))]
    elif trail_kind == "review3":
        trail = [P("trail", f"撰稿：{c.reporter}  摄影：{c.reporter2}", Fmt(font=font, size=size)),
                 P("trail", f"一审：{c.editor}  二审：{person(rng)}  三审：{person(rng)}", Fmt(font=font, size=size))]
    elif trail_kind == "caption-line-after":
        trail = [P("caption", rng.choice([
            f"{c.short}负责人为参观代表讲解“一件事一次办”改革成效。",
            "工作人员耐心解答群众咨询。",
            "居民代表在意见簿上留言",
        ]), Fmt(font=font, size=size, indent=indent, exact_line=exact, align="both"))]
        if rng.random() < 0.5:
            trail.append(P("trail", f"（通讯员 {c.reporter}）", Fmt(font=font, size=size, align="right")))
    content.extend(trail)

    # ---------------- assemble
    head: list[Item] = []
    if decor in ("icon-title", "icon+line"):
        title_paras[0].photos = [Photo(16, 16, kind="icon"), *title_paras[0].photos]
    if decor == "line" or decor == "icon+line":
        head_line = P("decor", "", Fmt(align="center"), photos=[Photo(600, 6, kind="line")])
    else:
        head_line = None
    if decor == "bullet-headings":
        heads_ = [p for p in iter_paras(content) if p.role == "heading"]
        for p in heads_:
            p.photos = [Photo(12, 12, kind="bullet")]
        if not heads_:
            decor = "none"
    feats.add(f"decor:{decor}")
    head.extend(title_paras)
    if head_line is not None:
        head.append(head_line)
    head.extend(meta_items)
    items: list[Item] = head + content
    if title_kind == "vml-textbox" and rng.random() < 0.4:
        # Word anchors a text box to whatever paragraph it was dropped on: here the next
        # paragraph (the metadata line or the lead), so the box's XML sits inside that paragraph
        anchor_p = title_paras[0]
        pos = items.index(anchor_p)
        nxt = next((it for it in items[pos + 1:] if isinstance(it, Para) and it.text), None)
        if nxt is not None and not anchor_p.photos:
            nxt.textbox, anchor_p.textbox = anchor_p.textbox, None
            items.remove(anchor_p)
            title_paras = []
            feats.add(f"title:vml-anchored-in-{nxt.role}")

    # container: the whole report inside a one-column layout table
    if container == "table-1col":
        if rng.random() < 0.5:
            # WPS habit: title row + content row; nested tables flattened into the cell
            feats.add("layout:table-1col-rows")
            rest = items[len(title_paras):]
            cell_paras: list[Item] = []
            for it in rest:
                cell_paras.extend(iter_paras([it]) if isinstance(it, Table) else [it])
            rows_ = ([[[*title_paras]]] if title_paras else []) + [[cell_paras]]
            items = [Table(rows_, [8306], borders=rng.random() < 0.5)]
        else:
            # everything in one cell; a meta or photo table stays nested inside it
            feats.add("layout:table-1col-cell")
            items = [Table([[items]], [8306], borders=rng.random() < 0.5)]

    # ---------------- quirks: empty paragraphs, page/section breaks
    q = choice["quirk"]
    feats.add(f"quirk:{q}")
    if q == "empty-paras":
        def pad(seq: list[Item]) -> list[Item]:
            out: list[Item] = []
            for it in seq:
                out.append(it)
                if isinstance(it, Table):
                    for row in it.rows:
                        for i, cell in enumerate(row):
                            row[i] = pad(cell)  # type: ignore[assignment]
                elif it.textbox is None:
                    for _ in range(rng.choice([1, 1, 2])):
                        out.append(P("empty", "", Fmt(**vars(it.fmt))))
            return out
        items = pad(items)
    elif q == "page-break":
        target_p = next(p for p in iter_paras(items) if p.role in ("ending", "single"))
        if rng.random() < 0.5:
            bodies = [p for p in iter_paras(items) if p.role == "body"]
            target_p = bodies[-1] if bodies else target_p
        target_p.page_break = True
    elif q == "section-break":
        # a section ends after the metadata (or the title), as when a cover block is set apart
        idx_s = max(0, len(title_paras) + len(meta_items) - 1)
        target = items[min(idx_s, len(items) - 1)]
        if isinstance(target, Para) and target.textbox is None:
            target.sect_break = rng.choice(["continuous", "nextPage"])
        else:
            items.insert(min(idx_s + 1, len(items)), P("empty", "", sect_break="continuous"))
    elif q == "many-runs":
        for p in iter_paras(items):
            p.split_runs = True

    header = None
    if choice.get("header"):
        header = rng.choice(["雨花区政务公开主题日活动专刊", "雨花区2023年政务公开主题日 工作简报"])
        feats.add("decoy:header-keyword")

    has_body = n_paras >= 3
    intent = {
        "title": slots["title"].has_kw or "subtitle" in extra,
        "lead": slots["lead"].has_kw,
        "body": has_body and (slots["body"].has_kw or "heading" in extra),
        "ending": slots["lead" if n_paras == 1 else "ending"].has_kw,
    }
    for place, sl in slots.items():
        if place != "body" or has_body:
            feats.add(f"slot:{place}:{sl.tag}")
    return Report(items=items, features=sorted(feats), photos=n_photos_real, header_text=header,
                  app=report_app, heading_ids=heading_ids, intent=intent)


def truth_of(rep: Report, idx: int, name: str) -> dict:
    paras = list(iter_paras(rep.items))
    # reading order as a person reads the page: text box content at its anchor (top)
    by_role: dict[str, list[Para]] = {}
    for p in paras:
        by_role.setdefault(p.role, []).append(p)

    def txt(p: Para) -> str:
        return visible(p.text).strip(" \u3000\u00a0\t")

    title = "\n".join(txt(p) for p in by_role.get("title", []))
    title_kw = any(reviewer_has_keyword(visible(p.text)) for p in by_role.get("title", []) + by_role.get("subtitle", []))
    # a title split over two paragraphs: the keyword may straddle them
    title_kw = title_kw or reviewer_has_keyword("".join(visible(p.text) for p in by_role.get("title", [])))
    single = by_role.get("single")
    if single:
        lead = ending = single[0]
        body_ps: list[Para] = []
    else:
        lead, ending = by_role["lead"][0], by_role["ending"][0]
        order = paras
        # body: body + heading paragraphs in document order (they are all between lead and ending)
        body_ps = [p for p in order if p.role in ("body", "heading")]
    n_body = sum(1 for p in body_ps if p.role == "body")
    return {
        "file": name,
        "features": rep.features,
        "title": title,
        "lead": txt(lead),
        "ending": txt(ending),
        "body_count": n_body,
        "places": {
            "title": title_kw,
            "lead": reviewer_has_keyword(visible(lead.text)),
            "body": n_body > 0 and any(reviewer_has_keyword(visible(p.text)) for p in body_ps),
            "ending": reviewer_has_keyword(visible(ending.text)),
        },
        "photos": rep.photos,
        # extras for diagnosis: the subtitle (gkcheck joins it to the title) and every
        # non-empty paragraph in reading order with the role the plan gave it
        "subtitle": "\n".join(txt(p) for p in by_role.get("subtitle", [])),
        "paragraphs": _para_list(rep.items),
    }


def _para_list(items: list[Item]) -> list[list[str]]:
    """[role, text, context] for every non-empty paragraph in reading order; context says what
    came right before it (a photo, an icon) and whether it sits in a table cell or text box."""
    out: list[list[str]] = []
    prev = "start"

    def walk(seq: list[Item], where: str) -> None:
        nonlocal prev
        for it in seq:
            if isinstance(it, Table):
                for row in it.rows:
                    for cell in row:
                        prev = "cell-start"
                        walk(cell, f"table{len(it.rows)}x{len(it.widths)}")
                continue
            if it.textbox:
                walk(it.textbox, "textbox")
            t = visible(it.text).strip(" \u3000\u00a0\t")
            kinds = {ph.kind for ph in it.photos}
            if t:
                ctx = [f"prev={prev}", where]
                if kinds - {"photo"}:
                    ctx.append("icon-in-para")
                if "photo" in kinds:
                    ctx.append("photo-in-para")
                out.append([it.role, t, " ".join(ctx)])
                prev = it.role
            elif "photo" in kinds:
                prev = "photo"
            elif kinds:
                prev = "decor-image"
            # empty paragraphs leave prev unchanged (a reader skips them)

    walk(items, "body")
    return out


# ---------------------------------------------------------------------------------------------
# OOXML writer

NS = (
    'xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
)
EMU_PER_CM = 360000


class Writer:
    def __init__(self, rng: random.Random, seed_key: str, rep: Report):
        self.rng = rng
        self.key = seed_key
        self.rep = rep
        self.media: list[tuple[str, bytes, str]] = []  # (name, bytes, rId)
        self.doc_pr = 0
        self.rev = 0
        self.shape = 1025
        self.photo_no = 0

    # -- images
    def _image(self, ph: Photo) -> tuple[str, int, int]:
        n = len(self.media) + 1
        if ph.kind == "photo":
            self.photo_no += 1
            prng = random.Random(f"{self.key}-photo-{self.photo_no}")
            data = event_photo(prng, ph.width, ph.height, logo=ph.logo, quality=70)
            name = f"image{n}.jpeg"
        else:
            img = Image.new("RGBA", (ph.width, ph.height), (0, 0, 0, 0))
            d = ImageDraw.Draw(img)
            if ph.kind == "line":
                d.rectangle([0, 0, ph.width, ph.height], fill=(200, 16, 30, 255))
            elif ph.kind == "icon":
                d.rectangle([2, 2, ph.width - 3, ph.height - 3], fill=(210, 30, 30, 255))
                d.rectangle([ph.width // 2 - 1, 4, ph.width // 2, ph.height - 5], fill=(255, 230, 0, 255))
            else:
                d.ellipse([1, 1, ph.width - 2, ph.height - 2], fill=(20, 80, 160, 255))
            buf = io.BytesIO()
            img.save(buf, format="PNG")
            data = buf.getvalue()
            name = f"image{n}.png"
        rid = f"rId{100 + n}"
        self.media.append((name, data, rid))
        if ph.kind == "photo":
            cx = int(ph.display_cm * EMU_PER_CM)
            cy = int(cx * ph.height / ph.width)
        elif ph.kind == "line":
            cx, cy = int(14.6 * EMU_PER_CM), int(0.1 * EMU_PER_CM)
        else:
            cx = cy = int(0.45 * EMU_PER_CM)
        return rid, cx, cy

    def drawing(self, ph: Photo) -> str:
        rid, cx, cy = self._image(ph)
        self.doc_pr += 1
        i = self.doc_pr
        graphic = (
            f'<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:pic><pic:nvPicPr><pic:cNvPr id="{i}" name="图片 {i}"/><pic:cNvPicPr>'
            f'<a:picLocks noChangeAspect="1"/></pic:cNvPicPr></pic:nvPicPr><pic:blipFill>'
            f'<a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        )
        if ph.anchor:
            wrap = self.rng.choice(['<wp:wrapTopAndBottom/>', '<wp:wrapSquare wrapText="bothSides"/>'])
            body = (
                f'<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" '
                f'relativeHeight="{251658240 + i}" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
                f'<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:align>center</wp:align>'
                f'</wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>{self.rng.randint(0, 200000)}'
                f'</wp:posOffset></wp:positionV><wp:extent cx="{cx}" cy="{cy}"/>'
                f'<wp:effectExtent l="0" t="0" r="0" b="0"/>'
                f'{wrap}'
                f'<wp:docPr id="{i}" name="图片 {i}"/><wp:cNvGraphicFramePr/>{graphic}</wp:anchor>'
            )
        else:
            body = (
                f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
                f'<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{i}" name="图片 {i}"/>'
                f'<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
                f'{graphic}</wp:inline>'
            )
        return f"<w:r><w:rPr><w:noProof/></w:rPr><w:drawing>{body}</w:drawing></w:r>"

    # -- text
    @staticmethod
    def rpr(f: Fmt) -> str:
        fonts = (f'<w:rFonts w:ascii="{f.font}" w:hAnsi="{f.font}" w:eastAsia="{f.font}" '
                 f'w:cs="{f.font}" w:hint="eastAsia"/>')
        b = "<w:b/><w:bCs/>" if f.bold else ""
        sz = round(f.size * 2)
        return f"<w:rPr>{fonts}{b}<w:sz w:val=\"{sz}\"/><w:szCs w:val=\"{sz}\"/></w:rPr>"

    def ppr(self, p: Para, sect: str = "") -> str:
        f = p.fmt
        parts = []
        if f.style:
            parts.append(f'<w:pStyle w:val="{f.style}"/>')
        if f.exact_line:
            parts.append(f'<w:spacing w:line="{f.exact_line}" w:lineRule="exact"/>')
        elif f.style is None and f.size >= 20:
            parts.append('<w:spacing w:before="156" w:after="156" w:line="360" w:lineRule="auto"/>')
        indented = p.role in ("lead", "body", "ending", "single", "caption", "heading", "trail")
        if f.indent == "chars" and indented and not (p.role == "caption" and f.align == "center"):
            first = int(f.size * 2 * 20)
            parts.append(f'<w:ind w:firstLineChars="200" w:firstLine="{first}"/>')
        if f.align:
            parts.append(f'<w:jc w:val="{f.align}"/>')
        if f.outline is not None:
            parts.append(f'<w:outlineLvl w:val="{f.outline}"/>')
        parts.append(self.rpr(f))
        if sect:
            parts.append(sect)
        return "<w:pPr>" + "".join(parts) + "</w:pPr>"

    def runs(self, p: Para) -> str:
        f = p.fmt
        rpr = self.rpr(f)
        text = p.text
        if f.indent == "ideo" and p.role in ("lead", "body", "ending", "single") and text:
            text = "\u3000\u3000" + text
        out = []
        # tokenise markup
        pos = 0
        tokens: list[tuple[str, str]] = []
        pat = re.compile(f"{INS_A}(.*?){INS_B}|{DEL_A}(.*?){DEL_B}|{BR}", re.DOTALL)
        for m in pat.finditer(text):
            if m.start() > pos:
                tokens.append(("t", text[pos:m.start()]))
            if m.group(0) == BR:
                tokens.append(("br", ""))
            elif m.group(1) is not None:
                tokens.append(("ins", m.group(1)))
            else:
                tokens.append(("del", m.group(2)))
            pos = m.end()
        if pos < len(text):
            tokens.append(("t", text[pos:]))
        date = "2023-04-19T09:30:00Z"
        for kind, s in tokens:
            if kind == "br":
                out.append(f"<w:r>{rpr}<w:br/></w:r>")
            elif kind == "ins":
                self.rev += 1
                out.append(f'<w:ins w:id="{self.rev}" w:author="Administrator" w:date="{date}"><w:r>{rpr}'
                           f'<w:t xml:space="preserve">{escape(s)}</w:t></w:r></w:ins>')
            elif kind == "del":
                self.rev += 1
                out.append(f'<w:del w:id="{self.rev}" w:author="Administrator" w:date="{date}"><w:r>{rpr}'
                           f'<w:delText xml:space="preserve">{escape(s)}</w:delText></w:r></w:del>')
            else:
                pieces = [s]
                if p.split_runs and len(s) > 4:
                    pieces, i = [], 0
                    while i < len(s):
                        k = self.rng.randint(1, 9)
                        pieces.append(s[i:i + k])
                        i += k
                for piece in pieces:
                    out.append(f'<w:r>{rpr}<w:t xml:space="preserve">{escape(piece)}</w:t></w:r>')
        return "".join(out)

    def textbox(self, inner: list[Para]) -> str:
        self.shape += 1
        content = "".join(self.para(q) for q in inner)
        lines = sum(max(1, math.ceil(len(visible(q.text)) * q.fmt.size / 400)) for q in inner)
        h = 24 + 34 * lines
        return (
            '<w:r><w:rPr><w:noProof/></w:rPr><w:pict>'
            '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
            '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
            f'<v:shape id="_x0000_s{self.shape}" o:spid="_x0000_s{self.shape}" type="#_x0000_t202" '
            f'style="position:absolute;left:0;text-align:left;margin-left:0;margin-top:0;width:415.3pt;'
            f'height:{h}pt;z-index:251659264;mso-position-horizontal:center;mso-position-horizontal-relative:margin" '
            'fillcolor="#FFFFFF" stroked="f"><v:textbox><w:txbxContent>'
            f'{content}</w:txbxContent></v:textbox><w10:wrap type="topAndBottom"/></v:shape></w:pict></w:r>'
        )

    def sect(self, kind: str | None, final: bool) -> str:
        hdr = '<w:headerReference w:type="default" r:id="rId90"/>' if self.rep.header_text else ""
        typ = f'<w:type w:val="{kind}"/>' if kind else ""
        return (
            f"<w:sectPr>{hdr}{typ}<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
            '<w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800" w:header="851" '
            'w:footer="992" w:gutter="0"/><w:cols w:space="425"/>'
            '<w:docGrid w:type="lines" w:linePitch="312"/></w:sectPr>'
        )

    def para(self, p: Para) -> str:
        sect = self.sect(p.sect_break, False) if p.sect_break else ""
        out = ["<w:p>", self.ppr(p, sect)]
        if p.page_break:
            out.append('<w:r><w:br w:type="page"/></w:r>')
        if p.textbox:
            out.append(self.textbox(p.textbox))
        if not p.photo_at_end:
            out.extend(self.drawing(ph) for ph in p.photos)
        out.append(self.runs(p))
        if p.photo_at_end:
            out.extend(self.drawing(ph) for ph in p.photos)
        out.append("</w:p>")
        return "".join(out)

    def table(self, t: Table) -> str:
        b = "single" if t.borders else "none"
        sz = ' w:sz="4" w:space="0" w:color="auto"' if t.borders else ' w:sz="0" w:space="0" w:color="auto"'
        borders = "".join(f'<w:{e} w:val="{b}"{sz}/>' for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
        out = [
            (f'<w:tbl><w:tblPr><w:tblW w:w="{sum(t.widths)}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
            'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>'),
            "".join(f'<w:gridCol w:w="{w}"/>' for w in t.widths), "</w:tblGrid>",
        ]
        for row in t.rows:
            out.append("<w:tr>")
            for ci, cell in enumerate(row):
                w = t.widths[ci] if len(row) == len(t.widths) else sum(t.widths)
                span = f'<w:gridSpan w:val="{len(t.widths)}"/>' if len(row) != len(t.widths) else ""
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{span}<w:vAlign w:val="center"/></w:tcPr>')
                body = "".join(self.table(x) if isinstance(x, Table) else self.para(x) for x in cell)
                if not cell or isinstance(cell[-1], Table):
                    body += "<w:p/>"
                out.append(body + "</w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out)

    def document(self) -> str:
        body = []
        items = self.rep.items
        for i, it in enumerate(items):
            body.append(self.table(it) if isinstance(it, Table) else self.para(it))
            if isinstance(it, Table) and (i + 1 == len(items) or isinstance(items[i + 1], Table)):
                body.append("<w:p/>")
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f"<w:document {NS}><w:body>{''.join(body)}{self.sect(None, True)}</w:body></w:document>"
        )


def styles_xml(h1: str, h2: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" '
        'w:eastAsia="宋体" w:cs="Times New Roman"/><w:kern w:val="2"/><w:sz w:val="21"/><w:szCs w:val="24"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault/></w:docDefaults>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/><w:qFormat/>'
        '<w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:style>'
        f'<w:style w:type="paragraph" w:styleId="{h1}"><w:name w:val="heading 1"/><w:basedOn w:val="a"/>'
        '<w:next w:val="a"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="340" '
        'w:after="330" w:line="578" w:lineRule="auto"/><w:outlineLvl w:val="0"/></w:pPr>'
        '<w:rPr><w:b/><w:bCs/><w:kern w:val="44"/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>'
        f'<w:style w:type="paragraph" w:styleId="{h2}"><w:name w:val="heading 2"/><w:basedOn w:val="a"/>'
        '<w:next w:val="a"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/>'
        '<w:spacing w:before="260" w:after="260" w:line="416" w:lineRule="auto"/><w:outlineLvl w:val="1"/>'
        '</w:pPr><w:rPr><w:rFonts w:asciiTheme="majorHAnsi" w:eastAsiaTheme="majorEastAsia" '
        'w:hAnsiTheme="majorHAnsi"/><w:b/><w:bCs/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>'
        '<w:style w:type="character" w:default="1" w:styleId="a0"><w:name w:val="Default Paragraph Font"/>'
        '<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="a1"><w:name w:val="Normal Table"/>'
        '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        '</w:tblCellMar></w:tblPr></w:style>'
        '</w:styles>'
    )


def package(w: Writer, rep: Report) -> bytes:
    doc = w.document()
    h1, h2 = rep.heading_ids
    ct = [
        ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="jpeg" ContentType="image/jpeg"/>'
        '<Default Extension="png" ContentType="image/png"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
        '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>')
    ]
    if rep.header_text:
        ct.append('<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>')
    ct.append("</Types>")
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
        '</Relationships>'
    )
    drels = [
        ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>')
    ]
    if rep.header_text:
        drels.append('<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>')
    for name, _, rid in w.media:
        drels.append(f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/{name}"/>')
    drels.append("</Relationships>")
    settings = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/><w:drawingGridVerticalSpacing w:val="156"/>'
        '<w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:spaceForUL/>'
        '<w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/><w:ulTrailSpace/>'
        '<w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/><w:useFELayout/></w:compat>'
        '</w:settings>'
    )
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<dc:title></dc:title><dc:creator>Administrator</dc:creator><cp:lastModifiedBy>Administrator</cp:lastModifiedBy>'
        '<cp:revision>3</cp:revision>'
        '<dcterms:created xsi:type="dcterms:W3CDTF">2023-04-18T02:00:00Z</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2023-04-19T09:30:00Z</dcterms:modified>'
        '</cp:coreProperties>'
    )
    app = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f'<Template>Normal.dotm</Template><Application>{rep.app}</Application><DocSecurity>0</DocSecurity>'
        '</Properties>'
    )
    entries: list[tuple[str, bytes]] = [
        ("[Content_Types].xml", "".join(ct).encode()),
        ("_rels/.rels", rels.encode()),
        ("word/document.xml", doc.encode()),
        ("word/_rels/document.xml.rels", "".join(drels).encode()),
        ("word/styles.xml", styles_xml(h1, h2).encode()),
        ("word/settings.xml", settings.encode()),
    ]
    if rep.header_text:
        hdr = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>{escape(rep.header_text)}</w:t></w:r></w:p></w:hdr>'
        )
        entries.append(("word/header1.xml", hdr.encode()))
    entries += [(f"word/media/{name}", data) for name, data, _ in w.media]
    entries += [("docProps/core.xml", core.encode()), ("docProps/app.xml", app.encode())]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries:
            zi = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_STORED if name.endswith((".jpeg", ".png")) else zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------

SCENARIOS = ["all-true"] * 5 + ["mixed-names", "one-missing", "one-missing", "two-missing", "all-false",
                                 "caption-only", "signature-only", "subtitle-only", "ins-del", "ins-del",
                                 "heading-only-body"]
TITLES = ["fzxbs-22", "heiti-22", "left-bold-16", "heading2", "two-lines", "two-lines-split-keyword",
          "vml-textbox"]
METAS = ["none", "line", "table", "table-2rows"]
LEADS = ["purpose", "benbao", "rongmeiti", "quote", "long", "date-only"]
ENDINGS = ["next", "next", "short", "future", "evaluation", "quoted"]
TRAILS = ["none", "signature", "reporter", "wan", "editor", "review3", "caption-line-after"]
PHOTOS = ["none", "below-captions", "below-captions", "caption-above", "table-1x1", "table-2x1", "anchor",
          "anchor-in-text", "large-inline", "at-end", "before-lead"]
CONTAINERS = ["none", "none", "none", "table-1col", "table-2col"]
BODIES = ["plain", "enum-inline", "subheadings", "subheadings"]
QUIRKS = ["none", "empty-paras", "empty-paras", "page-break", "section-break", "many-runs"]
DECORS = ["none", "none", "icon-title", "line", "icon+line", "bullet-headings"]
LENGTHS = [1, 2] + [3, 4, 4, 5, 5, 6, 7] * 2


def generate_reports_b(out_dir: Path, *, seed: int, count: int) -> list[dict]:
    """Write ``count`` reports and ``expected.json`` into ``out_dir``; return the records."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    decks = {
        "scenario": deck(rng, SCENARIOS, count),
        "title": deck(rng, TITLES, count),
        "meta": deck(rng, METAS, count),
        "lead": deck(rng, LEADS, count),
        "ending": deck(rng, ENDINGS, count),
        "trail": deck(rng, TRAILS, count),
        "photos": deck(rng, PHOTOS, count),
        "container": deck(rng, CONTAINERS, count),
        "body": deck(rng, BODIES, count),
        "body_style": deck(rng, list(BODY_STYLES), count),
        "quirk": deck(rng, QUIRKS, count),
        "decor": deck(rng, DECORS, count),
        "length": deck(rng, LENGTHS, count),
        "header": deck(rng, [True] + [False] * 9, count),
    }
    records = []
    for i in range(count):
        choice = {k: v[i] for k, v in decks.items()}
        prng = random.Random(f"{seed}-{i}")
        rep = plan_report(prng, choice, i)
        name = f"b{i + 1:03d}-{choice['scenario']}-{choice['title']}.docx"
        rec = truth_of(rep, i, name)
        _self_check(rep, rec)
        w = Writer(random.Random(f"{seed}-{i}-xml"), f"{seed}-{i}", rep)
        (out_dir / name).write_bytes(package(w, rep))
        records.append(rec)
    (out_dir / "expected.json").write_text(
        json.dumps(records, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return records


def _self_check(rep: Report, rec: dict) -> None:
    """The plan's intent and the reference matcher must agree on things the plan fixes."""
    feats = set(rep.features)
    p = rec["places"]
    assert p == rep.intent, (rec["file"], p, rep.intent)
    if "truth:all-true" in feats:
        assert p["title"] and p["lead"] and p["ending"], rec
        assert p["body"] == (rec["body_count"] > 0), rec
    if feats & {"truth:caption-only", "truth:signature-only", "truth:all-false"}:
        assert not any(p.values()), rec
    if "truth:subtitle-only" in feats:
        assert p["title"] and not (p["lead"] or p["body"] or p["ending"]), rec
    if "truth:mixed-names" in feats:
        assert p["title"] and not (p["lead"] or p["body"] or p["ending"]), rec
    # the keyword must never appear by accident outside its slots
    for para in iter_paras(rep.items):
        if para.role in ("meta", "trail", "chrome", "decor", "photo", "empty"):
            assert not reviewer_has_keyword(visible(para.text)), para
    lead = rec["lead"]
    assert lead and rec["ending"], rec


if __name__ == "__main__":  # pragma: no cover
    import sys

    generate_reports_b(Path(sys.argv[1]), seed=int(sys.argv[2]), count=int(sys.argv[3]))
