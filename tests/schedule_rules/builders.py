"""Submission folders made on the fly: news report, plan, summary, photos, video, manifest.

Built with python-docx the way units write them (a centred bold title, a lead that names
the date and the unit, body paragraphs, a 下一步 ending; a 情况报告 with the official
一、二、三 outline), so the tests exercise the real parser and structure analysis.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Inches, Pt
from PIL import Image, ImageDraw

if TYPE_CHECKING:
    from pathlib import Path

SummaryKind = Literal["full", "no-practices", "no-results", "bare", "inline", "phrases"]


def png(width: int = 480, height: int = 320, seed: int = 0) -> bytes:
    """A photo-like picture: big enough to count as a photo, not as an icon."""
    img = Image.new("RGB", (width, height), (90 + seed * 7 % 120, 140, 180))
    draw = ImageDraw.Draw(img)
    for i in range(0, width, 24):
        draw.rectangle((i, (i * 3 + seed) % height, i + 18, height), fill=(200, 100 + i % 90, 60))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def write_report(path: Path, title: str, lead: str, body: tuple[str, ...], ending: str) -> None:
    """A news report: title, lead, body, ending."""
    d = new_docx()
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(title)
    run.bold = True
    run.font.size = Pt(22)
    for text in (lead, *body, ending):
        para = d.add_paragraph(text)
        para.paragraph_format.first_line_indent = Pt(32)
        for r in para.runs:
            r.font.size = Pt(16)
    d.save(str(path))


def write_doc(path: Path, title: str, paragraphs: list[str], pictures: int = 0) -> None:
    """A plan or summary: a title, paragraphs (short ones are headings), embedded pictures."""
    d = new_docx()
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(title)
    r.bold = True
    r.font.size = Pt(22)
    for i, text in enumerate(paragraphs):
        para = d.add_paragraph()
        run = para.add_run(text)
        run.font.size = Pt(16)
        if len(text) <= 20:
            run.bold = True
        if i == 1:
            for n in range(pictures):
                d.add_picture(io.BytesIO(png(seed=n)), width=Inches(4))
    d.save(str(path))


_INTRO = "按照区政务公开办《关于印发〈雨花区2023年“政务公开主题日”活动计划安排表〉的通知》要求，{unit}组织开展了“政务公开主题日”活动，现将有关情况报告如下。"
_BASIC = (
    "{date_cn}，{unit}开展{topic}，邀请群众代表、企业代表等40余人参加，现场发放宣传资料200余份。"
)
_PRACTICE = "一是精心组织策划，提前制定活动方案并报备；二是创新活动形式，采取现场讲解与互动问答相结合的方式；三是强化宣传引导，通过政务新媒体同步推送活动信息。"
_RESULT = "活动现场解答群众咨询60余人次，收集意见建议12条，群众满意度达98%，进一步提升了政务公开的知晓度和参与度。"
_NEXT = "下一步，{unit}将以此次活动为契机，继续深化政务公开工作，不断丰富活动形式和内容。"


def summary_paragraphs(kind: SummaryKind, unit: str, topic: str, date_cn: str) -> list[str]:
    """The body of a 情况报告 of the given shape."""
    f = {"unit": unit, "topic": topic, "date_cn": date_cn}
    intro, basic = _INTRO.format(**f), _BASIC.format(**f)
    nxt = _NEXT.format(**f)
    if kind == "full":
        return [intro, "一、基本情况", basic, "二、主要做法", _PRACTICE, "三、取得成效", _RESULT,
                "四、下一步工作打算", nxt]  # fmt: skip
    if kind == "no-practices":
        return [intro, "一、基本情况", basic, "二、取得成效", _RESULT, "三、下一步工作措施", nxt]
    if kind == "no-results":
        return [intro, "一、基本情况", basic, "二、经验做法", _PRACTICE, "三、下一步打算", nxt]
    if kind == "inline":  # headings glued to the start of paragraphs, WPS style
        return [intro, "一、活动开展情况。" + basic, "二、工作举措。" + _PRACTICE,
                "三、工作实效。" + _RESULT, nxt]  # fmt: skip
    if kind == "phrases":  # no headings; the parts are said in running text
        return [intro, basic, "活动中，我们坚持以群众需求为导向，主要做法是：" + _PRACTICE,
                "此次活动取得了良好成效，" + _RESULT, nxt]  # fmt: skip
    return [intro, basic, nxt]  # bare


@dataclass(frozen=True, slots=True)
class Spec:
    """One submission folder."""

    unit: str  # as the report writes it
    title: str
    lead: str
    body: tuple[str, ...] = (
        "活动现场，工作人员结合典型案例逐条解读相关政策，并设置互动问答环节，现场气氛热烈。",
        "活动共发放宣传资料200余份，解答群众咨询60余人次，收集意见建议12条。",
    )
    ending: str = "下一步，该单位将以此次“政务公开主题日”活动为契机，持续深化政务公开工作。"
    manifest: dict[str, object] | None = field(default=None)
    plan: bool = True
    summary: SummaryKind | None = "full"
    summary_pictures: int = 1
    loose_photos: int = 0
    video: bool = True
    video_text: str | None = None  # a line added to the summary (a link or a mention)
    summary_name: str = "活动情况报告.docx"


def _toml_value(value: object) -> str:
    if isinstance(value, dt.date) or (isinstance(value, int) and not isinstance(value, bool)):
        return str(value)
    return '"' + str(value).replace('"', '\\"') + '"'


def write_manifest(folder: Path, values: dict[str, object]) -> Path:
    """``submission.toml`` with dates unquoted, as TOML wants them."""
    path = folder / "submission.toml"
    path.write_text(
        "".join(f"{k} = {_toml_value(v)}\n" for k, v in values.items()), encoding="utf-8"
    )
    return path


def build(root: Path, name: str, spec: Spec) -> Path:
    """Write the submission folder ``root/name`` and return it."""
    folder = root / name
    folder.mkdir(parents=True)
    write_report(folder / "新闻报道.docx", spec.title, spec.lead, spec.body, spec.ending)
    topic = spec.title
    if spec.plan:
        write_doc(folder / "活动方案.docx", f"{spec.unit}2023年“政务公开主题日”活动方案",
                  ["一、活动主题", topic, "二、活动时间和地点", "待定", "三、活动安排",
                   "现场讲解、互动问答。"])  # fmt: skip
    if spec.summary is not None:
        paragraphs = summary_paragraphs(spec.summary, spec.unit, topic, "4月18日")
        if spec.video_text:
            paragraphs.insert(-1, spec.video_text)
        write_doc(folder / spec.summary_name,
                  f"{spec.unit}关于开展2023年“政务公开主题日”活动的情况报告",
                  paragraphs, pictures=spec.summary_pictures)  # fmt: skip
    for i in range(spec.loose_photos):
        (folder / f"现场照片{i + 1}.png").write_bytes(png(seed=i + 3))
    if spec.video:
        (folder / "活动短视频.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    if spec.manifest is not None:
        write_manifest(folder, spec.manifest)
    return folder
