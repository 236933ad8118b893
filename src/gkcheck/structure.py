"""The one structure analysis: from blocks and style hints to roles.

Every parser (Word, PDF, OCR of images) hands over blocks in reading order with hints about
how they looked; this module alone decides which block is the title, the metadata, the lead
(首段), the body (正文), the ending (结尾), a caption or a trailing credit. The rules it follows
come from how real reports are laid out (docs/structure.md): page chrome and metadata around
the title, captions anywhere (even before the lead), sub-headings inside the body, credits and
page furniture after the ending.

The analysis works in passes over a list of candidate blocks:

1. drop empty blocks and obvious page chrome;
2. find the title (style, prominence, or the first substantial short line), join a title
   wrapped over two blocks, keep a subtitle line;
3. mark metadata lines around the title;
4. mark captions, sub-headings and editor's notes wherever they are;
5. strip trailing credits and furniture from the end;
6. the first remaining paragraph is the lead, the last the ending, those between the body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gkcheck.model import Block, Document, Role

__all__ = ["Outline", "analyse", "outline"]

# ---------------------------------------------------------------------------------------------
# Patterns (compiled once). Text is matched after stripping surrounding white space.

_WS = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_END_PUNCT = "。！？!?；;…"
_OPEN = "（(【[〔［"
_CLOSE = "）)】]〕］"

_CHROME = re.compile(
    r"^(您的位置|当前位置|您当前所在位置|您现在的位置|所在位置|位置)\s*[:：]"
    r"|^首页\s*(>|＞|->|/|»|›)"
    r"|(>|＞|->|»|›)\s*(正文|详情|新闻动态|工作动态|专题|政务公开)\s*$"
    r"|简体\s*[|｜]\s*繁[體体]|无障碍|关怀版|老年人模式|^内容导航"
    r"|^(原标题)[:：]|^[（(]原标题[:：]"
    r"|^https?://\S+$"
    r"|^\S+\.(jpe?g|png|gif|bmp|webp)$"
    r"|^\d{12,}$",
    re.IGNORECASE,
)

_META_LABELS = (
    "来源|信息来源|来自|文章来源|稿件来源|发布时间|发布日期|发表时间|发表日期|更新时间|时间|日期|"
    "作者|编辑|责任编辑|责编|字号|字体|字体大小|文字大小|浏览次数|浏览量|点击|点击数|阅读|"
    "阅读量|阅读次数|访问量|被阅读|视力保护色|分享到|分享|收藏|打印|索引号|索\\s*引\\s*号|"
    "主题分类|发布机构|成文时间|成文日期|文号|文\\s*号|发文时间|效力状态|标\\s*题|供稿|来\\s*源"
)
_META = re.compile(
    rf"^[•·●\s【\[]*({_META_LABELS})\s*[:：]"
    r"|^\s*[【\[]?\s*(发布时间|来源|字号)"
    r"|^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(\s*\d{1,2}[:：]\d{2}([:：]\d{2})?)?\s*"
    r"(来源[:：]?.*)?$"
    r"|^字号[:：]?\s*[【\[]?\s*大|【\s*大\s*】\s*【\s*中\s*】"
    r"|^[\[【]?\s*字体\s*[:：]"
    r"|^[—\-－]+\s*分享\s*[—\-－]+$|^听新闻$|^时刻新闻$|^\d$"
    r"|[|｜]\s*(编辑|作者|来源|责任编辑)\s*[:：]"
    r"|(浏览次数|浏览量|点击|阅读)\s*[:：]?\s*\d*\s*次?\s*$"
    r"|(来源|作者)[:：]\S*\s*(发布|浏览|时间|日期)"
    r"|^[^。！？]{0,24}[|｜·]\s*\d{4}-\d{1,2}-\d{1,2}(\s+\d{1,2}:\d{2}(:\d{2})?)?\s*$"
    r"|^\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}"
)
_BYLINE = re.compile(
    r"^((本报|本台|全媒体|融媒体|大众网|三湘华声)?(记者|通讯员|实习生|特约通讯员|见习记者)\s*\S{1,12}\s*)+"
    r"(\S{0,12}报道)?\s*$"
    r"|^\S{2,14}(日报|晚报|新闻|客户端|融媒|在线|网)[·・\s]\S{0,10}\s+\S{2,4}$"
    r"|^通讯员\s*\S.{0,30}\d{4}-\d{2}-\d{2}"
)

_CAPTION_PREFIX = re.compile(
    r"^(图为|图片为|图\s*[:：]|图\d+\s*[:：、]?|▲|△|▼|图片说明\s*[:：]|描述\s*[:：]|圖說\s*[:：]|"
    r"图说\s*[:：]|照片\s*[:：]|【图】|（图）|\(图\))"
)
_PHOTO_CREDIT = re.compile(r"(摄|摄影|摄影报道|供图|摄影\s*[:：]\s*\S+|图片来源\s*[:：]\s*\S+)\s*[)）]?$")

_NOTE = re.compile(r"^[【\[]?\s*(编者按|编者的话|导语|导读|摘要|内容提要|提要)\s*[】\]]?\s*[:：]?")

_HEADING = re.compile(
    r"^([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+[部分章节、]"
    r"|\d{1,2}[、.．](?!\d)|[（(]\d{1,2}[)）])"
)

_CREDIT_LABELS = (
    "供稿|供\\s*稿\\s*人|撰稿|撰稿人|撰\\s*稿|摄影|摄\\s*影|图片|图文|文字|文\\s*/\\s*图|文/图|图/文|"
    "审核|审核人|审\\s*核|单位审核|初审|复审|终审|一审|二审|三审|审签|签发|编辑|责编|责任编辑|"
    "编审|校对|来源|信息来源|作者|通讯员|信息员|记者|制作|监制|出品|统筹|策划|编校|报送|投稿|"
    "联系人|联系电话|值班编辑|主编|网编"
)
_CREDIT = re.compile(
    rf"^[\[【（(]?\s*({_CREDIT_LABELS})\s*[:：|｜/]"
    rf"|^[\[【（(]?\s*({_CREDIT_LABELS})\s+\S{{1,6}}(\s+({_CREDIT_LABELS})\s*\S{{1,6}})*\s*[\]】）)]?$"
    r"|^(标签|关键词|tags?)\s*[:：]"
)
_FURNITURE = re.compile(
    r"^[①②③④⑤⑥⑦⑧⑨*＊]\s*[\u4e00-\u9fff]|^\[\d{1,2}\]\s*[\u4e00-\u9fff]|^[（(]\s*完\s*[)）]$|^[-—－]+\s*完\s*[-—－]+$|扫一扫|在手机(上)?打开|打印本页|打印此页|关闭本页|关闭窗口|【\s*(关闭|打印|纠错)\s*】|"
    r"\[\s*(关闭|打印)\s*\]|^(打印|关闭|返回|返回顶部|分享到?|收藏)\s*$|^相关(文档|附件|文章|新闻|链接|阅读)|"
    r"^附件\s*[:：]|^上一篇|^下一篇|^阅读下一篇|^返回\S*首页|版权所有|Copyright|©|ICP备|"
    r"网站标识码|^(网站)?(主办单位|承办单位|协办单位|主办|承办|技术支持)\s*[:：]|^分享\s*[:：]|免责声明|"
    r"转载请注明|^【?\s*我要纠错|"
    r"视力保护色|^字号\s*[:：]|^\s*AI\s*(摘要|总结)|^微信扫一扫|^(责任编辑|责编)\s*[:：]?\s*\S{0,10}$",
    re.IGNORECASE,
)


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _dense(text: str) -> str:
    return _WS.sub("", text)


def _wholly_parenthesised(text: str) -> bool:
    t = _dense(text)
    if len(t) < 2 or t[0] not in _OPEN or t[-1] not in _CLOSE:
        return False
    depth = 0
    for i, ch in enumerate(t):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth == 0 and i != len(t) - 1:
                return False
    return True


def _ends_sentence(text: str) -> bool:
    t = _dense(text).rstrip(_CLOSE + "”’\"'")
    return bool(t) and t[-1] in _END_PUNCT


def _cjk_len(text: str) -> int:
    return len(_dense(text))


def is_meta(text: str) -> bool:
    """A metadata or byline line (来源/发布时间/作者/字号/浏览次数, bare dates, bylines)."""
    t = _clean(text)
    if len(t) > 120:
        return False
    return bool(_META.search(t) or _BYLINE.search(t))


def is_chrome(text: str) -> bool:
    """Page chrome: breadcrumbs, site toggles, stray file names, image ids, URLs."""
    return bool(_CHROME.search(_clean(text)))


def is_caption(text: str) -> bool:
    """A caption by its form alone (prefix, parentheses, photographer credit)."""
    t = _clean(text)
    if _CAPTION_PREFIX.search(t):
        return True
    if _wholly_parenthesised(t) and not _CREDIT.search(t.strip("()（）【】[] ")):
        return True
    return bool(len(_dense(t)) <= 80 and _PHOTO_CREDIT.search(t) and not _CREDIT.search(t))


def is_trailing(text: str) -> bool:
    """A credit line or page furniture that follows the report."""
    t = _clean(text)
    if _FURNITURE.search(t):
        return True
    if _CREDIT.search(t):
        return (len(_dense(t)) <= 120 and not _ends_sentence(t)) or len(_dense(t)) <= 40
    if _wholly_parenthesised(t):
        return True
    return bool(len(_dense(t)) <= 40 and _PHOTO_CREDIT.search(t))


def _is_heading(block: Block) -> bool:
    t = _clean(block.text)
    n = _cjk_len(t)
    if n == 0 or n > 40 or _ends_sentence(t):
        return False
    if _HEADING.search(t):
        return True
    return bool(block.style.outline_level is not None and block.style.outline_level >= 1)


# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outline:
    """The four places the notice names, as blocks."""

    title: tuple[Block, ...]
    lead: Block | None
    body: tuple[Block, ...]
    ending: Block | None

    @property
    def title_text(self) -> str | None:
        """The title as one string (a wrapped title's lines joined)."""
        return "".join(b.text for b in self.title) if self.title else None


def outline(doc: Document) -> Outline:
    """The title, lead, body and ending of an analysed document.

    A one-paragraph report has its lead also as its ending (the notice's four places then
    collapse into one paragraph, which must contain the keyword for both). Sub-headings between
    the lead and the ending are part of the body.
    """
    title = tuple(doc.by_role(Role.TITLE))
    lead = doc.first(Role.LEAD)
    last = doc.first(Role.ENDING)
    body: tuple[Block, ...] = ()
    if lead is not None and last is not None:
        body = tuple(
            b
            for b in doc.blocks
            if b.role in (Role.BODY, Role.HEADING) and lead.index < b.index < last.index
        )
    return Outline(title, lead, body, last or lead)


def analyse(doc: Document) -> Document:
    """``doc`` with a role on every block."""
    blocks = list(doc.blocks)
    roles: dict[int, Role] = {}
    live = [b for b in blocks if _dense(b.text)]

    # 1. chrome before the title; image placeholders anywhere
    for b in live:
        if is_chrome(b.text):
            roles[b.index] = Role.CHROME

    # 2. title
    candidates = [b for b in live if b.index not in roles]
    title_pos = _find_title(candidates)
    title_blocks: list[Block] = []
    if title_pos is not None:
        first = candidates[title_pos]
        title_blocks.append(first)
        for b in candidates[:title_pos]:
            roles.setdefault(b.index, Role.META if is_meta(b.text) else Role.CHROME)
        nxt = title_pos + 1
        while nxt < len(candidates) and _continues_title(title_blocks, candidates[nxt]):
            title_blocks.append(candidates[nxt])
            nxt += 1
        for b in title_blocks:
            roles[b.index] = Role.TITLE
        # a repeated title (page <title> + h1) or a deck line under it
        title_dense = _dense("".join(b.text for b in title_blocks))
        for b in candidates[nxt : nxt + 4]:
            d = _dense(b.text)
            if d and _same_title(d, title_dense):
                roles[b.index] = Role.CHROME
    rest = [b for b in candidates if b.index not in roles]

    # 3. metadata right after the title (and stray meta lines before the lead)
    for b in rest:
        if b.index in roles:
            continue
        if is_meta(b.text) or (is_chrome(b.text)):
            roles[b.index] = Role.META
            continue
        if is_caption(b.text) or _short_fragment(b):
            continue  # captions may sit between title and lead
        break

    # 4. captions, notes, headings, anywhere
    body_size = _body_size(rest)
    centred_body = _mostly_centred(rest)
    body_like: list[Block] = []
    for b in rest:
        if b.index in roles:
            continue
        if _numbered_heading(b) and not is_caption(b.text):
            roles[b.index] = Role.HEADING
        elif is_caption(b.text) or _caption_by_position(b, body_size, centred_body):
            roles[b.index] = Role.CAPTION
        elif _NOTE.search(_clean(b.text)) and not any(_cjk_len(x.text) >= 50 for x in body_like):
            roles[b.index] = Role.NOTE
        elif _is_heading(b):
            roles[b.index] = Role.HEADING
        else:
            body_like.append(b)

    # 5. trailing credits and furniture, from the end
    tail = _strip_trailing(body_like, roles)
    paragraphs = [b for b in body_like if b.index not in roles]

    # deck lines, short captions and notes before the lead; caption-like lines after the end
    body_size = _body_size(paragraphs)
    centred_body = _mostly_centred(paragraphs)
    while len(paragraphs) > 1 and _front_matter(paragraphs[0], body_size, centred_body):
        b = paragraphs.pop(0)
        roles[b.index] = Role.CAPTION if _short_fragment(b) or b.after_photo else Role.NOTE
    while len(paragraphs) >= 3 and _back_matter(paragraphs[-1], paragraphs[-2], body_size, centred_body):
        roles[paragraphs.pop().index] = Role.CAPTION

    # 6. lead, body, ending
    if paragraphs:
        roles[paragraphs[0].index] = Role.LEAD
        if len(paragraphs) > 1:
            roles[paragraphs[-1].index] = Role.ENDING
        for b in paragraphs[1:-1]:
            roles[b.index] = Role.BODY
    del tail

    # headings before the lead or after the ending are not body
    lead = paragraphs[0].index if paragraphs else None
    end = paragraphs[-1].index if paragraphs else None
    for b in live:
        if roles.get(b.index) is Role.HEADING and (
            lead is None or end is None or not lead < b.index < end
        ):
            roles[b.index] = Role.CAPTION if lead is not None and b.index > (end or 0) else (
                Role.META if lead is not None and b.index < lead else Role.HEADING
            )

    out = [b.with_role(roles.get(b.index, Role.UNKNOWN)) for b in blocks]
    return doc.with_blocks(out)


_TITLE_STYLE = re.compile(r"^(title|标题|heading ?1|标题 ?1|1)$", re.IGNORECASE)


def _prominence(b: Block, sizes: Sequence[float]) -> float:
    s = b.style
    score = 0.0
    if s.outline_level == 0 or (s.style and _TITLE_STYLE.search(s.style)):
        score += 3.0
    if s.size is not None and sizes:
        typical = sorted(sizes)[len(sizes) // 2]
        if typical > 0 and s.size >= typical * 1.18:
            score += 2.0 + min(2.0, (s.size / typical - 1.0) * 2)
    if s.bold:
        score += 1.0
    if s.centered:
        score += 1.0
    return score


def _find_title(candidates: Sequence[Block]) -> int | None:
    """Index in ``candidates`` of the title's first block."""
    if not candidates:
        return None
    window = candidates[: min(len(candidates), 12)]
    sizes = [b.style.size for b in candidates if b.style.size is not None]
    best: tuple[float, int] | None = None
    for i, b in enumerate(window):
        n = _cjk_len(b.text)
        if n < 4 or n > 90 or is_meta(b.text) or is_caption(b.text) or is_trailing(b.text):
            continue
        if _NOTE.search(_clean(b.text)):
            continue
        score = _prominence(b, sizes)
        if score >= 2.0 and (best is None or score > best[0] + 0.5):
            best = (score, i)
        if n >= 60 and _ends_sentence(b.text):
            break  # past the first real paragraph: the title must come before it
    if best is not None:
        return best[1]
    # no style evidence: the first substantial line that does not read as a sentence
    for i, b in enumerate(window):
        n = _cjk_len(b.text)
        if n < 4 or is_meta(b.text) or is_caption(b.text) or _NOTE.search(_clean(b.text)):
            continue
        if n <= 60 and not _dense(b.text).endswith("。"):
            return i
        if n > 60:
            break
    return 0 if _cjk_len(candidates[0].text) <= 60 else None


def _continues_title(title: Sequence[Block], b: Block) -> bool:
    """Whether ``b`` is the second line of a wrapped title or a dash subtitle."""
    t = _clean(b.text)
    n = _cjk_len(t)
    if n == 0 or n > 60 or is_meta(t) or is_caption(t) or _ends_sentence(t):
        return False
    if re.match(r"^(——|—|──|－－|--)", t):
        return True
    last = title[-1]
    if len(title) >= 2 or _same_title(_dense(t), _dense(last.text)):
        return False
    same_look = (
        last.style.size is not None
        and b.style.size is not None
        and abs(last.style.size - b.style.size) < 0.6
        and (last.style.bold == b.style.bold)
        and (last.style.centered == b.style.centered)
        and (last.style.centered or last.style.bold or (last.style.style or "") == (b.style.style or ""))
    )
    styled = (
        last.style.style is not None
        and b.style.style == last.style.style
        and re.search(r"title|标题|heading", last.style.style, re.IGNORECASE) is not None
    )
    # a PDF/OCR line break: the first line filled the width, the second continues it
    return bool((same_look or styled) and (last.style.size or 0) >= 0 and not _ends_sentence(last.text))


def _same_title(a: str, b: str) -> bool:
    """Whether line ``a`` *is* title ``b`` again (or nearly: other quotes, a prefix or suffix).

    A paragraph that merely contains the title — a lead restating the headline, ``5月29日，
    ××局召开“政务公开主题日”座谈会，…`` — is not a repeated title: one text may hold the other
    only with a few characters to spare.
    """
    norm = re.compile(r"[\"'“”‘’「」『』【】\[\]()（）\s]")
    x, y = norm.sub("", a), norm.sub("", b)
    if not x or not y:
        return False
    if x == y:
        return True
    short, long_ = sorted((x, y), key=len)
    spare = len(long_) - len(short)
    return len(short) > 8 and short in long_ and spare <= max(4, len(long_) // 5)


def _short_fragment(b: Block) -> bool:
    """A short line with no sentence end: a caption or label, not a paragraph."""
    t = _clean(b.text)
    n = _cjk_len(t)
    return 0 < n <= 40 and not _ends_sentence(t) and not _HEADING.search(t)


def _numbered_heading(b: Block) -> bool:
    """一、… / （二）… / 1.… on a short line of its own: a sub-heading wherever it stands."""
    t = _clean(b.text)
    return 0 < _cjk_len(t) <= 40 and bool(_HEADING.search(t)) and not _ends_sentence(t)


def _caption_by_position(b: Block, body_size: float | None, centred_body: bool) -> bool:
    """A short line right under (or right above) a photo.

    Set apart from the body (centred, another size) it is a caption up to 60 characters; set
    like the body, only a short one under a photo is (a paragraph may well start right under
    a photo). Anywhere, a short line set smaller than the body and not bold is a caption.
    """
    t = _clean(b.text)
    n = _cjk_len(t)
    if n == 0 or n > 60:
        return False
    apart = _looks_apart(b, body_size, centred_body)
    smaller = bool(body_size and b.style.size and b.style.size <= body_size - 1.0)
    if smaller and not b.style.bold and n <= 40:
        return True
    if b.before_photo and apart and n <= 40:
        return True
    if not b.after_photo:
        return False
    if apart:
        return True
    return n <= 20 or (n <= 30 and not _ends_sentence(t))


def _body_size(paragraphs: Sequence[Block]) -> float | None:
    """The usual text size of real paragraphs (≥ 50 characters)."""
    sizes = sorted(b.style.size for b in paragraphs if b.style.size and _cjk_len(b.text) >= 50)
    return sizes[len(sizes) // 2] if sizes else None


def _mostly_centred(paragraphs: Sequence[Block]) -> bool:
    long = [b for b in paragraphs if _cjk_len(b.text) >= 50]
    return bool(long) and sum(bool(b.style.centered) for b in long) * 2 > len(long)


def _looks_apart(b: Block, body_size: float | None, centred_body: bool) -> bool:
    """Set in another size, or centred among left-aligned paragraphs: not body text."""
    if b.style.centered and not centred_body:
        return True
    return bool(body_size and b.style.size and abs(b.style.size - body_size) >= 1.0)


def _front_matter(b: Block, body_size: float | None, centred_body: bool) -> bool:
    """A deck line, editor's note or caption before the real first paragraph."""
    t = _clean(b.text)
    n = _cjk_len(t)
    if _NOTE.search(t) or _short_fragment(b) or is_meta(t):
        return True
    return n < 50 and (_looks_apart(b, body_size, centred_body) or b.after_photo)


def _back_matter(
    last: Block, previous: Block, body_size: float | None, centred_body: bool
) -> bool:
    """A short caption-like line placed after the real ending (e.g. 某某参加启动仪式。).

    Real reports put such a line between the last paragraph and the credits; it reads like a
    sentence but says what a photo shows, not how the report ends. Endings announce what comes
    next or evaluate (下一步/今后/此次/通过…), so a short line without those words after a much
    longer paragraph is taken for a caption.
    """
    t = _clean(last.text)
    n = _cjk_len(t)
    prev = _cjk_len(previous.text)
    if n > 40 or _OUTLOOK.search(t):
        return _looks_apart(last, body_size, centred_body) and n <= 40 and prev >= n
    if _looks_apart(last, body_size, centred_body) and prev >= n:
        return True
    if _NARRATIVE.search(t):
        return False  # 活动最后/会后…: the last step of the story, a paragraph
    if _ENDING_MARK.search(_clean(previous.text)):
        return True  # the paragraph before already reads as the ending
    if prev < n:
        return False
    if not _ends_sentence(t) or (last.after_photo and n <= 20):
        return True
    return n <= 34 and prev >= max(2 * n, 40)


_ENDING_MARK = re.compile(
    r"^(下一步|今后|在今后的工作中|下阶段|接下来|未来|通过此次|通过本次|此次|本次)|为契机"
)
_NARRATIVE = re.compile(r"^(活动最后|最后|会后|活动结束|活动尾声|随后|此外|同时|据悉|据了解|据统计)")

_OUTLOOK = re.compile(
    r"下一步|今后|未来|将(继续|进一步|持续|以|不断|坚持|切实|全力|着力)|进一步|此次|本次|这次|通过|"
    r"为契机|表示|总之|综上|下阶段|接下来"
)


_SIGNATURE = re.compile(
    r"(\d{4}年\d{1,2}月\d{1,2}日|街道|局|镇|中心|办|委|社区|室|府|会|所|队|院|站|组|处|科|公司)"
    r"(办公室|办事处|人民政府)?\s*$"
)
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$|^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$")

_SECTION_CUT = re.compile(
    r"^[【\[]?\s*(相关(文章|阅读|新闻|链接|文档|附件|推荐)|推荐阅读|延伸阅读|热门(文章|推荐)|"
    r"上一篇|下一篇|阅读下一篇|猜你喜欢|更多(新闻|资讯))"
)


def _strip_trailing(body_like: list[Block], roles: dict[int, Role]) -> list[Block]:
    """Mark credits and furniture at the end as trailing; return them.

    A "related articles" or "previous/next" section cuts the report off: everything after it
    is page furniture, however long its lines are.
    """
    stripped: list[Block] = []
    for pos, b in enumerate(body_like):
        if pos >= 2 and _SECTION_CUT.search(_clean(b.text)):
            for later in body_like[pos:]:
                roles[later.index] = Role.TRAILING
                stripped.append(later)
            body_like = body_like[:pos]
            break
    for b in reversed(body_like):
        t = _clean(b.text)
        if is_trailing(t) or is_chrome(t) or (is_meta(t) and _cjk_len(t) <= 60):
            roles[b.index] = Role.TRAILING
            stripped.append(b)
            continue
        signature = (
            _short_fragment(b)
            and len(body_like) - len(stripped) > 1
            and (not stripped or _DATE_LINE.search(_clean(stripped[-1].text)))
            and _SIGNATURE.search(t)
        )
        if signature:  # a unit name (over a date line) or a date after the text
            roles[b.index] = Role.TRAILING
            stripped.append(b)
            continue
        break
    return stripped
