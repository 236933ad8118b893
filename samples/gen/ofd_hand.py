"""OFD files written by hand from GB/T 33190, for the OFD reader's tests.

Each report is laid out here the way a 公文 system would (A4, 三号 body text, 2-em first-line
indents, a centred title) and written as an OFD package: ``OFD.xml`` → ``Doc_0/Document.xml``
→ ``Pages/Page_N/Content.xml``, fonts in ``PublicRes.xml``, the photo in ``DocumentRes.xml``,
a page template carrying a running header, page numbers at the foot. The three files differ
in how they say the same things, as different writers do:

* ``hand-standard.ofd`` — the standard's namespace and ``ofd:`` prefix; one ``TextObject``
  per line with ``DeltaX`` in the ``g N d`` shorthand; a paragraph running across a page
  break; a photo with its caption; every place has the keyword.
* ``hand-ctm-blocks.ofd`` — text scaled by a ``CTM`` (``Size`` 1, coordinates in em),
  lines nested in ``PageBlock``s, a line split into two ``TextCode``s (the second without
  ``X``), the body font declared in the page's own ``PageRes``; the lead lacks the keyword.
* ``hand-default-ns.ofd`` — a default namespace (no prefix), absolute part paths
  (``/Doc_0/…``), explicit ``DeltaX`` lists, a footnote with the keyword under a rule drawn
  as a ``PathObject``; the ending lacks the keyword.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

NS = "http://www.ofdspec.org/2016"
_FIXED = (2023, 6, 18, 9, 0, 0)
PAGE_W, PAGE_H = 210.0, 297.0
LEFT, RIGHT, TOP, BOTTOM = 28.0, 26.0, 37.0, 35.0
PT = 25.4 / 72  # mm per point
TITLE, BODY, CAPTION, HEADER = 22 * PT, 16 * PT, 12 * PT, 10.5 * PT
KW = "政务公开主题日"
FOOTNOTE = f"1 {KW}活动由区政务公开办统一部署，各单位按月组织开展。"


@dataclass
class Para:
    text: str
    size: float
    font: str = "2"
    indent: bool = True
    centred: bool = False


@dataclass
class Report:
    name: str
    paras: list[Para]
    photo_after: int  # the photo comes after this paragraph (and its caption after it)
    places: dict[str, bool]
    variant: str
    extra: dict[str, Any] = field(default_factory=dict)


def _reports() -> list[Report]:
    def body(kw: bool, n: int) -> list[str]:
        out = []
        for i in range(n):
            words = (
                "活动现场设置政策咨询台和意见征集箱，工作人员向来往群众发放政策解读手册，"
                "耐心解答群众关心的燃气管道改造、老旧小区提质等问题，并逐一记录意见建议。"
            )
            if kw and i == n // 2:
                words = f"本次{KW}活动邀请人大代表、政协委员和群众代表参加，" + words
            out.append(words * 2)
        return out

    def report(name: str, variant: str, lead_kw: bool, end_kw: bool) -> Report:
        title = f"雨花区政务服务中心开展“{KW}”活动"
        lead = (
            f"2023年6月18日，雨花区政务服务中心开展“{KW}”系列活动，围绕群众关心的政策开展解读宣传。"
            if lead_kw
            else "2023年6月18日，雨花区政务服务中心开展政务公开系列活动，围绕群众关心的政策开展解读宣传。"
        )
        ending = (
            f"下一步，中心将持续深化{KW}活动成果，推动政务公开工作走深走实。"
            if end_kw
            else "下一步，中心将持续深化活动成果，推动政务公开工作走深走实。"
        )
        paras = [
            Para(title, TITLE, font="1", indent=False, centred=True),
            Para(lead, BODY),
            *[Para(t, BODY) for t in body(True, 4)],
            Para(ending, BODY),
        ]
        return Report(
            name, paras, photo_after=2,
            places={"title": True, "lead": lead_kw, "body": True, "ending": end_kw},
            variant=variant,
        )

    return [
        report("hand-standard.ofd", "standard", True, True),
        report("hand-ctm-blocks.ofd", "ctm", False, True),
        report("hand-default-ns.ofd", "default-ns", True, False),
    ]


def _width(ch: str, size: float) -> float:
    return size if ord(ch) >= 0x2E80 else 0.5 * size


def _wrap(p: Para) -> list[tuple[float, str]]:
    """Lines of a paragraph as (x offset from the left margin, text)."""
    width = PAGE_W - LEFT - RIGHT
    lines: list[tuple[float, str]] = []
    cur, used = "", 2 * p.size if p.indent else 0.0
    start = used
    for ch in p.text:
        w = _width(ch, p.size)
        if used + w > width + 1e-6:
            lines.append((start, cur))
            cur, used, start = "", 0.0, 0.0
        cur += ch
        used += w
    if cur:
        lines.append((start, cur))
    if p.centred:
        lines = [((width - sum(_width(c, p.size) for c in t)) / 2, t) for _x, t in lines]
    return lines


@dataclass
class _Out:
    variant: str
    pages: list[list[str]] = field(default_factory=lambda: [[]])
    next_id: int = 100

    def id(self) -> int:
        self.next_id += 1
        return self.next_id


def _tag(variant: str, name: str) -> str:
    return name if variant == "default-ns" else f"ofd:{name}"


def _text_object(out: _Out, x: float, y: float, text: str, size: float, font: str) -> str:
    """One line as a TextObject, written the way the variant's writer would."""
    t = lambda n: _tag(out.variant, n)  # noqa: E731
    widths = [_width(c, size) for c in text]
    w = sum(widths)
    oid = out.id()
    if out.variant == "ctm":
        # Size 1 and coordinates in em, scaled to the size by the CTM.
        em = [v / size for v in widths]
        half = len(text) // 2
        first = " ".join(f"{v:g}" for v in em[: max(half - 1, 0)])
        second = " ".join(f"{v:g}" for v in em[half:-1])
        codes = (
            f'<{t("TextCode")} X="0" Y="0.88" DeltaX="{first}">{escape(text[:half])}</{t("TextCode")}>'
            f'<{t("TextCode")} Y="0.88" DeltaX="{second}">{escape(text[half:])}</{t("TextCode")}>'
        )
        return (
            f'<{t("PageBlock")} ID="{out.id()}"><{t("TextObject")} ID="{oid}" '
            f'Boundary="{x:.3f} {y:.3f} {w:.3f} {size:.3f}" Font="{font}" Size="1" '
            f'CTM="{size:.4f} 0 0 {size:.4f} 0 0">{codes}</{t("TextObject")}></{t("PageBlock")}>'
        )
    if out.variant == "default-ns" or len(set(widths)) > 1:
        delta = " ".join(f"{v:.3f}" for v in widths[:-1])
    else:
        delta = f"g {len(text) - 1} {size:.3f}" if len(text) > 1 else ""
    return (
        f'<{t("TextObject")} ID="{oid}" Boundary="{x:.3f} {y:.3f} {w:.3f} {size:.3f}" '
        f'Font="{font}" Size="{size:.3f}"><{t("FillColor")} Value="0 0 0"/>'
        f'<{t("TextCode")} X="0" Y="{0.88 * size:.3f}" DeltaX="{delta}">{escape(text)}'
        f"</{t('TextCode')}></{t('TextObject')}>"
    )


def _layout(report: Report, out: _Out, photo: tuple[int, int]) -> None:
    y = TOP
    bottom = PAGE_H - BOTTOM
    gap = 0.5 * BODY
    for i, p in enumerate(report.paras):
        for x, text in _wrap(p):
            if y + p.size > bottom:
                out.pages.append([])
                y = TOP
            out.pages[-1].append(_text_object(out, LEFT + x, y, text, p.size, p.font))
            y += p.size * 1.5
        y += gap
        if i == report.photo_after:
            pw = 120.0
            ph = pw * photo[1] / photo[0]
            if y + ph + 2 * CAPTION > bottom:
                out.pages.append([])
                y = TOP
            px = LEFT + (PAGE_W - LEFT - RIGHT - pw) / 2
            t = _tag(out.variant, "ImageObject")
            out.pages[-1].append(
                f'<{t} ID="{out.id()}" Boundary="{px:.3f} {y:.3f} {pw:.3f} {ph:.3f}" '
                f'CTM="{pw:.3f} 0 0 {ph:.3f} 0 0" ResourceID="20"/>'
            )
            y += ph + 2
            caption = "图为活动现场，工作人员向群众讲解政策。"
            cw = sum(_width(c, CAPTION) for c in caption)
            cx = LEFT + (PAGE_W - LEFT - RIGHT - cw) / 2
            out.pages[-1].append(_text_object(out, cx, y, caption, CAPTION, "3"))
            y += CAPTION * 1.5 + gap


def _xml(variant: str, root: str, inner: str) -> bytes:
    prefixed = variant != "default-ns"
    head = f'<ofd:{root} xmlns:ofd="{NS}"' if prefixed else f'<{root} xmlns="{NS}"'
    close = root if variant == "default-ns" else f"ofd:{root}"
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{head}{inner}</{close}>'.encode()


def build(report: Report, photo_jpeg: bytes, photo_size: tuple[int, int]) -> bytes:
    """The OFD package of ``report`` as bytes."""
    v = report.variant
    t = lambda n: _tag(v, n)  # noqa: E731
    out = _Out(v)
    _layout(report, out, photo_size)
    root = "/Doc_0/" if v == "default-ns" else ""
    parts: dict[str, bytes] = {}
    parts["OFD.xml"] = _xml(
        v, "OFD",
        f' Version="1.0" DocType="OFD"><{t("DocBody")}><{t("DocInfo")}>'
        f'<{t("DocID")}>6b1f0c2e9d7a4e3f8c5b2a1d0e9f8a7b</{t("DocID")}>'
        f'<{t("Title")}>{escape(report.paras[0].text)}</{t("Title")}>'
        f'<{t("CreationDate")}>2023-06-18</{t("CreationDate")}></{t("DocInfo")}>'
        f'<{t("DocRoot")}>{root or ""}{"" if root else "Doc_0/"}Document.xml</{t("DocRoot")}>'
        f"</{t('DocBody')}>",
    )
    pages = "".join(
        f'<{t("Page")} ID="{i + 1}" BaseLoc="{root}Pages/Page_{i}/Content.xml"/>'
        for i in range(len(out.pages))
    )
    public_fonts = (
        f'<{t("Font")} ID="1" FontName="FZXiaoBiaoSong-B05S" FamilyName="方正小标宋简体"/>'
        f'<{t("Font")} ID="3" FontName="KaiTi" FamilyName="楷体"/>'
        f'<{t("Font")} ID="4" FontName="SimSun" FamilyName="宋体"/>'
    )
    if v != "ctm":
        public_fonts += f'<{t("Font")} ID="2" FontName="FangSong_GB2312" FamilyName="仿宋"/>'
    parts["Doc_0/Document.xml"] = _xml(
        v, "Document",
        f"><{t('CommonData')}><{t('MaxUnitID')}>{out.next_id + 1}</{t('MaxUnitID')}>"
        f"<{t('PageArea')}><{t('PhysicalBox')}>0 0 {PAGE_W:g} {PAGE_H:g}</{t('PhysicalBox')}>"
        f"</{t('PageArea')}><{t('PublicRes')}>{root}PublicRes.xml</{t('PublicRes')}>"
        f"<{t('DocumentRes')}>{root}DocumentRes.xml</{t('DocumentRes')}>"
        f'<{t("TemplatePage")} ID="50" BaseLoc="{root}Tpls/Tpl_0/Content.xml"/>'
        f"</{t('CommonData')}><{t('Pages')}>{pages}</{t('Pages')}>",
    )
    parts["Doc_0/PublicRes.xml"] = _xml(
        v, "Res", f' BaseLoc="Res"><{t("Fonts")}>{public_fonts}</{t("Fonts")}>'
    )
    parts["Doc_0/DocumentRes.xml"] = _xml(
        v, "Res",
        f' BaseLoc="Res"><{t("MultiMedias")}><{t("MultiMedia")} ID="20" Type="Image" Format="JPEG">'
        f"<{t('MediaFile')}>photo_20.jpg</{t('MediaFile')}></{t('MultiMedia')}></{t('MultiMedias')}>",
    )
    parts["Doc_0/Res/photo_20.jpg"] = photo_jpeg
    header = _text_object(out, LEFT, 20.0, "长沙市雨花区人民政府　政务公开", HEADER, "4")
    parts["Doc_0/Tpls/Tpl_0/Content.xml"] = _xml(
        v, "Page",
        f"><{t('Content')}><{t('Layer')} ID=\"60\" Type=\"Background\">{header}"
        f"</{t('Layer')}></{t('Content')}>",
    )
    if v == "ctm":
        parts["Doc_0/Pages/PageRes.xml"] = _xml(
            v, "Res",
            f'><{t("Fonts")}><{t("Font")} ID="2" FontName="FangSong_GB2312" FamilyName="仿宋"/>'
            f"</{t('Fonts')}>",
        )
    for i, objects in enumerate(out.pages):
        number = f"- {i + 1} -"
        nw = sum(_width(c, HEADER) for c in number)
        foot = _text_object(out, (PAGE_W - nw) / 2, PAGE_H - 22.0, number, HEADER, "4")
        page_res = f"<{t('PageRes')}>../PageRes.xml</{t('PageRes')}>" if v == "ctm" else ""
        if v == "default-ns" and i == 0:
            # a footnote under its rule (notes are not report text, keyword or not)
            y = PAGE_H - BOTTOM + 3.0
            foot += (
                f'<{t("PathObject")} ID="{out.id()}" Boundary="{LEFT:g} {y:g} 45 0.3" '
                f'LineWidth="0.25"><{t("AbbreviatedData")}>M 0 0 L 45 0</{t("AbbreviatedData")}>'
                f"</{t('PathObject')}>"
            ) + _text_object(out, LEFT, y + 2.0, FOOTNOTE, 9 * PT, "4")
        parts[f"Doc_0/Pages/Page_{i}/Content.xml"] = _xml(
            v, "Page",
            f'><{t("Template")} TemplateID="50" ZOrder="Background"/>{page_res}'
            f"<{t('Content')}><{t('Layer')} ID=\"{out.id()}\" Type=\"Body\">"
            f"{''.join(objects)}{foot}</{t('Layer')}></{t('Content')}>",
        )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(parts, key=lambda n: (n != "OFD.xml", n)):
            info = zipfile.ZipInfo(name, _FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, parts[name])
    return buf.getvalue()


def write_all(out_dir: Path) -> dict[str, Any]:
    """Write every hand-made OFD to ``out_dir``; returns their truth records by file name."""
    from gen.pdf import _jpeg, synthetic_photo

    out_dir.mkdir(parents=True, exist_ok=True)
    photo = synthetic_photo(33190, 640, 427)
    data = _jpeg(photo)
    records: dict[str, Any] = {}
    for report in _reports():
        (out_dir / report.name).write_bytes(build(report, data, photo.size))
        records[report.name] = {
            "places": report.places,
            "title": report.paras[0].text,
            "lead": report.paras[1].text,
            "ending": report.paras[-1].text,
            "photos": 1,
        }
    return records
