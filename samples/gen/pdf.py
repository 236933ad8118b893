"""Generate the PDF and image samples: Word reports as users turn them into PDFs and pictures.

Run ``python samples/gen/pdf.py`` from the repository root (needs LibreOffice ``soffice`` and
the CJK fonts of ``/usr/share/fonts``; the tests only read the committed output).

What it writes, and why each kind exists:

* ``samples/pdf/text/*.pdf`` — each ``samples/word/*.docx`` exported by LibreOffice the way
  users do (``soffice --headless --convert-to pdf``): the text-layer case.
* ``samples/pdf/wps/*.pdf`` — a subset re-laid out like a WPS/公文 export (other fonts, 三号
  body, wide margins) so line breaks, page breaks and sizes differ from the first export.
* ``samples/pdf/scan/*.pdf`` and ``samples/images/scan/*.jpg`` — a subset printed and scanned:
  rasterised at 150 dpi, turned by up to ±1.5°, noised and JPEG-compressed, packed back into an
  image-only PDF (no text layer, so only OCR can read it) and kept as loose page pictures.
* ``samples/images/web/*.jpg`` — screenshots of the report as published on a government site:
  site header, breadcrumb, title, meta line, paragraphs, inline photos and footer furniture.
* ``samples/pdf/edge/*.pdf`` — hand-made edge cases: 0 bytes, truncated, encrypted, a title
  wrapping inside the keyword, page numbers and running headers on every page with a paragraph
  across a page break, an icon beside real photos (JPEG and a PNG with transparency).

Truth: ``samples/pdf/expected.json`` and ``samples/images/expected.json`` map each file (path
relative to the file's folder) to the Word truth it derives from (``places`` title/lead/body/
ending, texts, ``photos``), so the verdict test compares like with like.

Determinism: all randomness is seeded per file; PDF producers stamp dates, a file ID and
(LibreOffice) a /DocChecksum, which :func:`normalise_pdf` overwrites in place with fixed
values of the same length (so the xref offsets stay valid); Pillow's image-only PDFs get
fixed dates. Re-running with the same LibreOffice gives byte-identical files, except
``edge/encrypted.pdf``: its keys derive from a random ID, and rewriting the ID would break
the encryption. Another LibreOffice version may lay text out differently, as expected.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

ROOT = Path(__file__).resolve().parents[2]
FONT_SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FONT_SANS_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
FONT_SERIF = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
FIXED_DATE = b"20240515080000"
KEYWORD = "政务公开主题日"

#: Word samples that also get a WPS-like export, a scan and a web screenshot: every
#: ``step``-th file of the sorted list from ``start``, at most ``count`` (spread over the set
#: so that each variant meets different features; deterministic as the Word set grows).
SUBSET_WPS = (5, 15, 4)
SUBSET_SCAN = (3, 10, 6)
SUBSET_WEB = (7, 10, 6)
SCAN_DPI = 150


# --------------------------------------------------------------------------- utilities


def _run_soffice(args: Sequence[str], cwd: Path) -> None:
    """Run LibreOffice with a private profile, so parallel runs by others do not collide."""
    profile = Path(tempfile.mkdtemp(prefix="gk-lo-profile-"))
    try:
        cmd = [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            *args,
        ]
        subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, timeout=600)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def convert_to_pdf(
    docx: Sequence[Path], out_dir: Path, filt: str = "pdf", *, normalise: bool = True
) -> list[Path]:
    """Export Word files to PDF with LibreOffice, as users do; returns the PDFs.

    ``normalise`` fixes dates, IDs and checksums (off for encrypted output, whose keys are
    derived from the file ID: that file is random by nature and stays so).
    """
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    if not docx:
        return []
    _run_soffice(
        ["--convert-to", filt, "--outdir", str(out_dir), *[str(p.resolve()) for p in docx]],
        cwd=out_dir,
    )
    pdfs = [out_dir / (p.stem + ".pdf") for p in docx]
    for pdf in pdfs:
        if not pdf.exists():
            raise RuntimeError(f"LibreOffice did not produce {pdf}")
        if normalise:
            normalise_pdf(pdf)
    return pdfs


def normalise_pdf(path: Path) -> None:
    """Overwrite creation/modification dates and the file ID with fixed same-length values.

    Same length keeps every xref offset valid, so no PDF library is needed for this.
    """
    data = path.read_bytes()

    def fix_date(m: re.Match[bytes]) -> bytes:
        body = m.group(2)
        fixed = (FIXED_DATE + b"+00'00'")[: len(body)].ljust(len(body), b"0")
        return m.group(1) + fixed + b")"

    data = re.sub(rb"(/(?:CreationDate|ModDate)\s*\(D:)([^)]*)\)", fix_date, data)

    def fix_hex(m: re.Match[bytes]) -> bytes:
        return b"<" + b"0" * len(m.group(1)) + b">"

    def fix_id(m: re.Match[bytes]) -> bytes:
        return re.sub(rb"<([0-9A-Fa-f]+)>", fix_hex, m.group(0))

    data = re.sub(rb"/ID\s*\[\s*<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*\]", fix_id, data)
    data = re.sub(
        rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)", lambda m: m.group(1) + b"0" * len(m.group(2)), data
    )
    for tag in (rb"xmp:CreateDate", rb"xmp:ModifyDate", rb"xmp:MetadataDate"):
        data = re.sub(
            rb"(<" + tag + rb">)([^<]*)(</" + tag + rb">)",
            lambda m: (
                m.group(1)
                + b"2024-05-15T08:00:00Z"[: len(m.group(2))].ljust(len(m.group(2)), b" ")
                + m.group(3)
            ),
            data,
        )
    data = re.sub(
        rb"(uuid:)([0-9a-fA-F-]{36})",
        lambda m: m.group(1) + b"00000000-0000-0000-0000-000000000000",
        data,
    )
    path.write_bytes(data)


def synthetic_photo(seed: int, width: int, height: int, *, logo: bool = False) -> Image.Image:
    """A photo-like picture (sky, ground, people-like blobs, noise): high variance, many colours.

    Real event photos cannot be shipped; the parsers only need something that looks like a
    photograph to a variance/colour test, not a real scene.
    """
    rng = np.random.default_rng(seed)
    y = np.linspace(0.0, 1.0, height)[:, None]
    x = np.linspace(0.0, 1.0, width)[None, :]
    sky = np.stack([110 + 80 * y + 0 * x, 150 + 60 * y + 0 * x, 220 - 40 * y + 0 * x], axis=-1)
    img = Image.fromarray(np.clip(sky, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(img)
    horizon = int(height * (0.45 + 0.1 * rng.random()))
    draw.rectangle([0, horizon, width, height], fill=(90, 120 + int(40 * rng.random()), 70))
    for _ in range(14):
        cx = int(rng.integers(0, width))
        cy = int(rng.integers(horizon - height // 8, height))
        r = int(rng.integers(height // 20, height // 8))
        colour = tuple(int(c) for c in rng.integers(20, 235, size=3))
        draw.ellipse([cx - r, cy - 2 * r, cx + r, cy], fill=colour)
        draw.rectangle([cx - r, cy - r // 2, cx + r, cy + 2 * r], fill=colour)
    if logo:
        # a red banner with a round emblem, as event photos often show
        bh = height // 7
        draw.rectangle(
            [width // 10, height // 10, width * 9 // 10, height // 10 + bh], fill=(200, 30, 30)
        )
        draw.ellipse(
            [width // 10 + 8, height // 10 + 4, width // 10 + bh, height // 10 + bh - 4],
            fill=(250, 210, 40),
        )
    arr = np.asarray(img).astype(np.int16)
    arr = arr + rng.normal(0, 9, arr.shape).astype(np.int16)
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
    return img.filter(ImageFilter.GaussianBlur(0.6))


def _jpeg(img: Image.Image, quality: int = 82) -> bytes:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality, optimize=True)
    return buf.getvalue()


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


# --------------------------------------------------------------------------- edge reports


@dataclass
class EdgeReport:
    """A hand-made report: paragraphs, pictures between them, furniture, and its truth."""

    stem: str
    title: str
    meta: str
    paragraphs: list[str]
    pictures: dict[int, list[tuple[bytes, float, str]]] = field(default_factory=dict)
    header: str | None = None
    footer: str | None = None  # "dash" (- 1 -) or "zh" (第 1 页 共 3 页) or "frac" (1/3)
    title_size: float = 22.0
    body_size: float = 14.0
    photos: int = 0

    def truth(self) -> dict[str, Any]:
        """The Word-style truth of this report."""
        lead = self.paragraphs[0]
        ending = self.paragraphs[-1]
        body = "".join(self.paragraphs[1:-1])
        return {
            "places": {
                "title": KEYWORD in self.title,
                "lead": KEYWORD in lead,
                "body": KEYWORD in body,
                "ending": KEYWORD in ending,
            },
            "title": self.title,
            "lead": lead,
            "ending": ending,
            "photos": self.photos,
        }


_SENTENCES = (
    (
        "活动现场，工作人员通过设置政策咨询台、发放宣传资料、现场答疑等方式，向群众详细解读"
        "与群众生活密切相关的政策法规，并就办事流程、办理时限等问题逐一作了解答。"
    ),
    (
        "随后，参加活动的群众代表走进政务服务大厅，实地体验“一件事一次办”、帮办代办等便民服务，"
        "对窗口工作人员热情周到的服务和高效便捷的办事体验给予了充分肯定。"
    ),
    (
        "座谈会上，群众代表围绕社区治理、公共服务、营商环境等方面畅所欲言，提出了许多"
        "有针对性的意见建议，相关负责同志现场进行了回应，并承诺限期办理、及时反馈。"
    ),
    (
        "据统计，本次活动共发放宣传资料八百余份，解答群众咨询一百二十余人次，收集意见建议"
        "二十三条，进一步拓宽了政民互动渠道，增强了政务公开的实效。"
    ),
    (
        "此外，工作人员还向群众演示了政府门户网站、政务新媒体的使用方法，引导群众通过线上渠道"
        "查询政策文件、办理事项、反映诉求，让群众少跑腿、好办事。"
    ),
)


#: A paragraph longer than a page (~1,300 characters): whatever the layout, a page break
#: falls inside it; numbered measures make each of its lines unique for the test.
LONG_PARAGRAPH = (
    "".join(
        f"第{n}项举措：{_SENTENCES[i % len(_SENTENCES)]}"
        for i, n in enumerate("一二三四五六七八九十", start=0)
    )
    + "以上举措得到了群众的一致好评。"
)


def _body(n: int, seed: int, keyword_at: int | None = None) -> list[str]:
    rng = random.Random(seed)
    out: list[str] = []
    for i in range(n):
        k = rng.randint(2, 3)
        sents = [_SENTENCES[(i + j + seed) % len(_SENTENCES)] for j in range(k)]
        text = "".join(sents)
        if keyword_at == i:
            text = f"本次“{KEYWORD}”活动中，" + text
        out.append(text)
    return out


def _lead(unit: str, kw: bool = True) -> str:
    name = f"“{KEYWORD}”" if kw else "“政务公开日”"
    return (
        f"为进一步深化政务公开，推动政府工作更加透明、规范、高效，5月15日上午，{unit}在"
        f"政务服务大厅开展{name}活动，邀请人大代表、政协委员、企业代表和群众代表等三十余人参加。"
    )


def _ending(unit: str, kw: bool = True) -> str:
    name = f"“{KEYWORD}”" if kw else "政务开放"
    return (
        f"下一步，{unit}将以此次{name}活动为契机，持续深化政务公开，不断创新公开方式、"
        "丰富公开内容，切实提升政务服务的质量和效率，让政务公开更好地惠及人民群众。"
    )


def edge_reports() -> list[EdgeReport]:
    """The hand-made edge cases (their PDFs go to ``samples/pdf/edge``)."""
    unit = "雨花区司法局"
    photo1 = _jpeg(synthetic_photo(11, 800, 600, logo=True))
    photo2_img = synthetic_photo(12, 640, 480).convert("RGBA")
    alpha = Image.new("L", photo2_img.size, 255)
    ImageDraw.Draw(alpha).ellipse([0, 0, 60, 60], fill=0)  # a real alpha channel -> SMask
    photo2_img.putalpha(alpha)
    photo2 = _png(photo2_img)
    icon = Image.new("RGB", (40, 40), (255, 255, 255))
    ImageDraw.Draw(icon).ellipse([4, 4, 36, 36], fill=(200, 30, 30))
    icon_png = _png(icon)

    title_break = EdgeReport(
        stem="title-wrap-keyword",
        # 22 pt Noto Sans in a 15.9 cm column holds ~20 CJK characters: the keyword wraps
        title="雨花区司法局组织干部和群众代表开展“政务公开主题日”活动",
        meta="来源：雨花区司法局　　发布时间：2024-05-15",
        paragraphs=[_lead(unit), *_body(2, 3), _ending(unit)],
        footer="zh",
        title_size=22.0,
    )
    furniture = EdgeReport(
        stem="furniture-pagebreak",
        title=f"{unit}扎实开展“{KEYWORD}”活动",
        meta="来源：雨花区司法局　　发布时间：2024-05-15",
        paragraphs=[
            _lead(unit),
            *_body(3, 5),
            LONG_PARAGRAPH,
            *_body(3, 6, keyword_at=1),
            _ending(unit),
        ],
        header="雨花区政务公开工作简报",
        footer="dash",
        body_size=16.0,
    )
    photos = EdgeReport(
        stem="icon-and-photos",
        title=f"{unit}开展“{KEYWORD}”活动",
        meta="来源：雨花区司法局　　发布时间：2024-05-15",
        paragraphs=[_lead(unit), *_body(2, 7), _ending(unit, kw=False)],
        pictures={
            0: [(icon_png, 0.9, "")],
            1: [(photo1, 12.0, "图为活动现场")],
            2: [(photo2, 10.0, "群众代表体验政务服务")],
        },
        footer="frac",
        photos=2,
    )
    no_kw = EdgeReport(
        stem="plain-no-keyword",
        title=f"{unit}开展政务开放活动",
        meta="发布时间：2024-05-15",
        paragraphs=[_lead(unit, kw=False), *_body(1, 9), _ending(unit, kw=False)],
    )
    return [title_break, furniture, photos, no_kw]


def _add_field(paragraph: Any, instr: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _set_fonts(run: Any, east_asian: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = east_asian
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:  # pragma: no cover - python-docx creates it when name is set
        return
    rfonts.set(qn("w:eastAsia"), east_asian)


def write_edge_docx(report: EdgeReport, path: Path) -> None:
    """Write one edge report as a Word file (python-docx), ready for LibreOffice."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.54)
    section.top_margin = section.bottom_margin = Cm(2.54)
    if report.header:
        hp = section.header.paragraphs[0]
        hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_fonts(hp.add_run(report.header), "Noto Sans CJK SC", 10.5)
    if report.footer:
        fp = section.footer.paragraphs[0]
        fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if report.footer == "dash":
            _set_fonts(fp.add_run("- "), "Noto Sans CJK SC", 10.5)
            _add_field(fp, "PAGE")
            _set_fonts(fp.add_run(" -"), "Noto Sans CJK SC", 10.5)
        elif report.footer == "zh":
            _set_fonts(fp.add_run("第 "), "Noto Sans CJK SC", 10.5)
            _add_field(fp, "PAGE")
            _set_fonts(fp.add_run(" 页 共 "), "Noto Sans CJK SC", 10.5)
            _add_field(fp, "NUMPAGES")
            _set_fonts(fp.add_run(" 页"), "Noto Sans CJK SC", 10.5)
        else:
            _add_field(fp, "PAGE")
            _set_fonts(fp.add_run("/"), "Noto Sans CJK SC", 10.5)
            _add_field(fp, "NUMPAGES")

    tp = doc.add_paragraph()
    tp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tp.paragraph_format.space_after = Pt(12)
    _set_fonts(tp.add_run(report.title), "Noto Sans CJK SC", report.title_size, bold=True)
    mp = doc.add_paragraph()
    mp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_fonts(mp.add_run(report.meta), "Noto Serif CJK SC", 10.5)

    def picture(data: bytes, width_cm: float, caption: str) -> None:
        pp = doc.add_paragraph()
        pp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pp.add_run().add_picture(io.BytesIO(data), width=Cm(width_cm))
        if caption:
            cp = doc.add_paragraph()
            cp.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_fonts(cp.add_run(caption), "AR PL UKai CN", report.body_size - 2)

    for i, text in enumerate(report.paragraphs):
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(report.body_size * 2)
        p.paragraph_format.line_spacing = 1.5
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        for data, width_cm, _caption in report.pictures.get(i, []):
            if width_cm < 2:  # an inline icon at the start of the paragraph
                p.add_run().add_picture(io.BytesIO(data), width=Cm(width_cm))
        _set_fonts(p.add_run(text), "AR PL UMing CN", report.body_size)
        for data, width_cm, caption in report.pictures.get(i, []):
            if width_cm >= 2:
                picture(data, width_cm, caption)
    doc.save(str(path))
    _normalise_docx(path)


def _normalise_docx(path: Path) -> None:
    """Rewrite a .docx with fixed zip timestamps and core dates (deterministic input)."""
    with zipfile.ZipFile(path) as zin:
        items = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in items:
            if name == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-05-15T08:00:00Z", data)
            info = zipfile.ZipInfo(name, date_time=(2024, 5, 15, 8, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, data)


#: How the Word set is exported: LibreOffice's defaults except pictures, which are
#: resampled to 150 dpi at JPEG quality 75 so that the committed samples stay small (the
#: photos are still several hundred pixels wide, enough for the LOGO rule).
EXPORT_FILTER = (
    'pdf:writer_pdf_Export:{"Quality":{"type":"long","value":"75"},'
    '"ReduceImageResolution":{"type":"boolean","value":"true"},'
    '"MaxImageResolution":{"type":"long","value":"150"}}'
)
ENCRYPT_FILTER = (
    'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
    '"DocumentOpenPassword":{"type":"string","value":"x"}}'
)


def generate_edge(out_dir: Path) -> dict[str, Any]:
    """Write the hand-made edge PDFs to ``out_dir``; returns their truth."""
    out_dir.mkdir(parents=True, exist_ok=True)
    truth: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        reports = edge_reports()
        docx_paths = []
        for r in reports:
            p = tmp / f"{r.stem}.docx"
            write_edge_docx(r, p)
            docx_paths.append(p)
            truth[f"{r.stem}.pdf"] = r.truth()
        convert_to_pdf(docx_paths, out_dir)
        # encrypted: the plain report, exported with an open password
        enc_src = tmp / "encrypted.docx"
        shutil.copy(docx_paths[-1], enc_src)
        enc_dir = tmp / "enc"
        convert_to_pdf([enc_src], enc_dir, ENCRYPT_FILTER, normalise=False)
        shutil.copy(enc_dir / "encrypted.pdf", out_dir / "encrypted.pdf")
    full = (out_dir / "plain-no-keyword.pdf").read_bytes()
    (out_dir / "truncated.pdf").write_bytes(full[: len(full) // 2])
    (out_dir / "empty.pdf").write_bytes(b"")
    for bad in ("encrypted.pdf", "truncated.pdf", "empty.pdf"):
        truth[bad] = {"unreadable": True}
    return truth


# --------------------------------------------------------------------------- Word set


def load_word_truth(word_dir: Path) -> dict[str, Any]:
    """The Word truth (``expected.json``), keyed by ``.docx`` file name."""
    path = word_dir / "expected.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and "files" in data:
        data = data["files"]
    if isinstance(data, list):
        data = {str(item["file"]): item for item in data if isinstance(item, dict)}
    return {
        k: {key: v[key] for key in ("places", "title", "lead", "ending", "photos") if key in v}
        for k, v in data.items()
        if k.endswith(".docx")
    }


def accept_changes(src: Path, dst: Path) -> None:
    """A copy of a Word file with tracked changes accepted (insertions kept, deletions gone).

    LibreOffice prints tracked changes as shown on screen (struck-through deletions in the
    PDF); a user sends the final text, and the Word truth counts only that, so the PDF is
    made from the accepted version.
    """
    with zipfile.ZipFile(src) as zin:
        items = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in items:
            if name.startswith("word/") and name.endswith(".xml"):
                text = data.decode("utf-8")
                for tag in ("w:del", "w:moveFrom"):
                    text = re.sub(rf"<{tag}\b[^>]*/>", "", text)
                    text = re.sub(rf"<{tag}\b[^>]*>.*?</{tag}>", "", text, flags=re.DOTALL)
                for tag in ("w:ins", "w:moveTo"):
                    text = re.sub(rf"<{tag}\b[^>]*/>", "", text)
                    text = re.sub(rf"<{tag}\b[^>]*>", "", text)
                    text = text.replace(f"</{tag}>", "")
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=(2024, 5, 15, 8, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, data)


def _wps_variant(src: Path, dst: Path) -> None:
    """A copy of a Word file laid out like a WPS 公文 export: other fonts, 三号, wide margins."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = docx.Document(str(src))
    for section in doc.sections:
        section.left_margin = Cm(2.8)
        section.right_margin = Cm(2.6)
        section.top_margin = Cm(3.7)
        section.bottom_margin = Cm(3.5)
    # scale every explicit size so the commonest (body) size becomes 三号 (16 pt): the
    # relative sizes (title > body > captions) stay as the author made them
    weights: dict[float, int] = {}
    runs = [run for par in doc.paragraphs for run in par.runs]
    for run in runs:
        if run.font.size is not None:
            pt = float(run.font.size.pt)
            weights[pt] = weights.get(pt, 0) + len(run.text)
    normal = doc.styles["Normal"].font
    base = float(normal.size.pt) if normal.size is not None else 10.5
    body = max(weights, key=lambda k: weights[k]) if weights else base
    factor = 16.0 / body
    normal.size = Pt(round(base * factor * 2) / 2)
    for run in runs:
        big = run.font.size is not None and run.font.size.pt >= body * 1.2
        run.font.name = "Noto Serif CJK SC" if big else "AR PL UKai CN"
        rpr = run._element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is not None:
            rfonts.set(qn("w:eastAsia"), run.font.name)
        if run.font.size is not None:
            run.font.size = Pt(round(float(run.font.size.pt) * factor * 2) / 2)
    doc.save(str(dst))
    _normalise_docx(dst)


def subset(files: Sequence[Path], spec: tuple[int, int, int]) -> list[Path]:
    """Every ``step``-th of ``files`` from ``start``, at most ``count`` of them."""
    start, step, count = spec
    return list(files[start::step])[:count]


def generate_pdfs(word_dir: Path, out_dir: Path) -> dict[str, Any]:
    """Convert the Word samples to PDF (plus WPS-like and scanned variants) and the edge set.

    Writes ``out_dir/{text,wps,scan,edge}`` and ``out_dir/expected.json``; returns the truth.
    """
    word_truth = load_word_truth(word_dir)
    docx_files = sorted(p for p in word_dir.glob("*.docx") if not p.name.startswith("~$"))
    truth: dict[str, Any] = {}
    text_dir = out_dir / "text"
    for old in text_dir.glob("*.pdf"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp_s:
        accepted = []
        for p in docx_files:
            dst = Path(tmp_s) / p.name
            accept_changes(p, dst)
            accepted.append(dst)
        pdfs = convert_to_pdf(accepted, text_dir, EXPORT_FILTER)
    for docx_path, pdf in zip(docx_files, pdfs, strict=True):
        t = word_truth.get(docx_path.name)
        if t is not None:
            truth[f"text/{pdf.name}"] = {**t, "source": f"word/{docx_path.name}"}
    with_truth = [p for p in docx_files if p.name in word_truth]
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        wps_src = []
        for p in subset(with_truth, SUBSET_WPS):
            dst = tmp / p.name
            accept_changes(p, tmp / f"accepted-{p.name}")
            _wps_variant(tmp / f"accepted-{p.name}", dst)
            wps_src.append(dst)
        for old in (out_dir / "wps").glob("*.pdf"):
            old.unlink()
        wps_pdfs = convert_to_pdf(wps_src, out_dir / "wps", EXPORT_FILTER)
        for src, pdf in zip(wps_src, wps_pdfs, strict=True):
            truth[f"wps/{pdf.name}"] = {**word_truth[src.name], "source": f"word/{src.name}"}
    scan_dir = out_dir / "scan"
    for old in scan_dir.glob("*.pdf"):
        old.unlink()
    for docx_path in subset(with_truth, SUBSET_SCAN):
        pdf = text_dir / (docx_path.stem + ".pdf")
        pages = scan_pages(pdf, seed=_seed(docx_path.stem))
        scan_pdf = scan_dir / pdf.name
        write_image_pdf(pages, scan_pdf)
        truth[f"scan/{pdf.name}"] = {
            **word_truth[docx_path.name],
            "source": f"word/{docx_path.name}",
        }
    truth.update({f"edge/{k}": v for k, v in generate_edge(out_dir / "edge").items()})
    for name, t in truth.items():
        if name.startswith(("text/", "wps/")) and "photos" in t:
            shown = count_pictures(out_dir / name)
            if shown != t["photos"]:
                # LibreOffice sometimes loses a floating picture of the Word file; the PDF
                # then really has fewer photos than the Word truth, and says so here
                t["photos_pdf"] = shown
    (out_dir / "expected.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return truth


def count_pictures(pdf: Path, min_side_pt: float = 56.0, min_px: int = 120) -> int:
    """Raster pictures shown at least ~2 cm wide and 120 px, counted with pdfium.

    An independent count (another PDF library, a plain size rule) of what a reader sees as
    photos, used only to record where a PDF differs from its Word file.
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    doc = pdfium.PdfDocument(str(pdf))
    n = 0
    try:
        for page in doc:
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
                x0, y0, x1, y1 = obj.get_bounds()
                w, h = obj.get_px_size()
                if min(x1 - x0, y1 - y0) >= min_side_pt and min(w, h) >= min_px:
                    n += 1
    finally:
        doc.close()
    return n


def _seed(stem: str) -> int:
    return sum((i + 1) * ord(c) for i, c in enumerate(stem)) % 100_000


# --------------------------------------------------------------------------- scans


def scan_pages(pdf: Path, *, seed: int, dpi: int = SCAN_DPI) -> list[Image.Image]:
    """Print-and-scan a PDF: rasterise, rotate slightly, add noise and a grey cast."""
    import pypdfium2 as pdfium

    rng = np.random.default_rng(seed)
    out: list[Image.Image] = []
    doc = pdfium.PdfDocument(str(pdf))
    try:
        for page in doc:
            img = page.render(scale=dpi / 72.0).to_pil().convert("RGB")
            angle = float(rng.uniform(-1.5, 1.5))
            img = img.rotate(
                angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=(250, 250, 248)
            )
            arr = np.asarray(img).astype(np.int16)
            arr = arr * 0.93 + 8 + rng.normal(0, 6, arr.shape)
            img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
            out.append(img)
    finally:
        doc.close()
    return out


def write_image_pdf(pages: Sequence[Image.Image], path: Path, quality: int = 55) -> None:
    """Pack page pictures into an image-only PDF (JPEG/DCTDecode), with fixed dates."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fixed = time.struct_time((2024, 5, 15, 8, 0, 0, 2, 136, 0))
    first, *rest = [p.convert("RGB") for p in pages]
    first.save(
        str(path),
        "PDF",
        save_all=True,
        append_images=rest,
        resolution=float(SCAN_DPI),
        quality=quality,
        creationDate=fixed,
        modDate=fixed,
        title="scan",
    )


SCAN_IMAGES = 4


def _pages(pdf: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return len(doc)
    finally:
        doc.close()


def generate_images(word_dir: Path, pdf_dir: Path, out_dir: Path) -> dict[str, Any]:
    """Scanned page pictures (.jpg) and web screenshots of the Word samples, with truth."""
    word_truth = load_word_truth(word_dir)
    docx_files = sorted(p for p in word_dir.glob("*.docx") if p.name in word_truth)
    truth: dict[str, Any] = {}
    for sub in ("scan", "web"):
        for old in (out_dir / sub).glob("*.jpg"):
            old.unlink()
    (out_dir / "scan").mkdir(parents=True, exist_ok=True)
    (out_dir / "web").mkdir(parents=True, exist_ok=True)
    # scans as loose page pictures: the single-page reports only (a multi-page report sent as
    # pictures would be several files, which the submission layer handles, not the parser)
    one_page = [p for p in docx_files if _pages(pdf_dir / "text" / (p.stem + ".pdf")) == 1]
    for docx_path in one_page[:SCAN_IMAGES]:
        pdf = pdf_dir / "text" / (docx_path.stem + ".pdf")
        pages = scan_pages(pdf, seed=_seed(docx_path.stem) + 1)
        name = f"scan/{docx_path.stem}.jpg"
        pages[0].save(out_dir / name, "JPEG", quality=60, optimize=True)
        truth[name] = {**word_truth[docx_path.name], "source": f"word/{docx_path.name}"}
    for docx_path in subset(docx_files, SUBSET_WEB):
        report = read_docx_report(docx_path, word_truth[docx_path.name]["title"])
        img = render_web_page(report, seed=_seed(docx_path.stem))
        name = f"web/{docx_path.stem}.jpg"
        img.save(out_dir / name, "JPEG", quality=72, optimize=True)
        t = {**word_truth[docx_path.name], "source": f"word/{docx_path.name}"}
        shown = sum(1 for kind, _ in report.flow if kind == "img")
        if shown != t["photos"]:
            # the page shows the pictures a CMS publishes (icons dropped): that count is
            # the truth for the screenshot; the Word count is kept for reference
            t["photos_word"], t["photos"] = t["photos"], shown
        truth[name] = t
    (out_dir / "expected.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return truth


# --------------------------------------------------------------------------- web screenshots


@dataclass
class WebReport:
    """A report's flow as a web page shows it: paragraphs and pictures in order."""

    flow: list[tuple[str, Any]]  # ("p", text) | ("img", PIL image) | ("title", text)


def read_docx_report(path: Path, title: str) -> WebReport:
    """Read a Word report's paragraphs and inline pictures in order (for the web render).

    Only what a CMS would publish: the title (from the truth: a CMS has a title field),
    then the paragraphs after the title in the Word file (its own site chrome and repeated
    title dropped) and the pictures, icons left out as a CMS would drop them.
    """
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(str(path))
    flow: list[tuple[str, Any]] = []
    rels = doc.part.rels
    body = doc.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:tbl"):
            for par in child.iter(qn("w:p")):
                _picture_and_text(par, rels, flow)
            continue
        if child.tag != qn("w:p"):
            continue
        _picture_and_text(child, rels, flow)
    flat_title = re.sub(r"\s+", "", title)
    head = re.sub(r"\s+", "", title.splitlines()[0] if title else "")
    start = 0
    for i, (kind, value) in enumerate(flow):
        dense = re.sub(r"\s+", "", str(value)) if kind == "p" else ""
        if dense and (dense == flat_title or (head and dense.startswith(head[:8]))):
            start = i + 1
            break
    rest = flow[start:]
    while rest and rest[0][0] == "p" and re.sub(r"\s+", "", str(rest[0][1])) == flat_title:
        rest = rest[1:]
    return WebReport(flow=[("title", title.replace("\n", "")), *rest])


def _picture_and_text(par: Any, rels: Any, flow: list[tuple[str, Any]]) -> None:
    """Append a paragraph's pictures (icons left out) and then its text to ``flow``."""
    from docx.oxml.ns import qn

    for blip in par.iter(qn("a:blip")):
        rid = blip.get(qn("r:embed"))
        if rid and rid in rels:
            try:
                img = Image.open(io.BytesIO(rels[rid].target_part.blob))
                img.load()
            except OSError:  # a picture the CMS could not show either
                continue
            if min(img.size) >= 120:
                flow.append(("img", img.convert("RGB")))
    text = "".join(t.text or "" for t in par.iter(qn("w:t"))).strip()
    if text:
        flow.append(("p", text))


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int, indent: int = 0) -> list[str]:
    lines: list[str] = []
    cur = ""
    limit = width - indent
    for ch in text:
        if font.getlength(cur + ch) > limit:
            lines.append(cur)
            cur = ch
            limit = width
        else:
            cur += ch
    if cur:
        lines.append(cur)
    return lines


def render_web_page(report: WebReport, *, seed: int, width: int = 1100) -> Image.Image:
    """Draw the report as a government web page screenshot (header, crumbs, text, footer)."""
    rng = random.Random(seed)
    f_site = ImageFont.truetype(FONT_SANS_BOLD, 34, index=2)
    f_nav = ImageFont.truetype(FONT_SANS, 17, index=2)
    f_title = ImageFont.truetype(FONT_SANS_BOLD, 30, index=2)
    f_meta = ImageFont.truetype(FONT_SANS, 15, index=2)
    f_body = ImageFont.truetype(FONT_SERIF if rng.random() < 0.5 else FONT_SANS, 19, index=2)
    col_x0, col_x1 = 150, width - 150
    col_w = col_x1 - col_x0
    canvas = Image.new("RGB", (width, 6000), (255, 255, 255))
    d = ImageDraw.Draw(canvas)
    # site header band
    d.rectangle([0, 0, width, 110], fill=(178, 28, 36))
    d.ellipse([60, 25, 120, 85], fill=(250, 205, 60))
    d.text((140, 34), "长沙市雨花区人民政府", font=f_site, fill=(255, 255, 255))
    d.rectangle([0, 110, width, 150], fill=(150, 20, 28))
    x = 150
    for word in ("首页", "政务公开", "政务服务", "互动交流", "走进雨花", "专题专栏"):
        d.text((x, 119), word, font=f_nav, fill=(255, 255, 255))
        x += 130
    y = 175
    d.text(
        (col_x0, y),
        "当前位置：首页 > 政务公开 > 政务公开主题日 > 活动情况",
        font=f_meta,
        fill=(90, 90, 90),
    )
    y += 45
    d.line([col_x0, y, col_x1, y], fill=(220, 220, 220), width=1)
    y += 30
    line_h = 38
    para_gap = 14
    for kind, value in report.flow:
        if kind == "title":
            for line in _wrap(str(value), f_title, col_w):
                w = f_title.getlength(line)
                d.text((col_x0 + (col_w - w) / 2, y), line, font=f_title, fill=(30, 30, 30))
                y += 48
            y += 10
            meta = "发布时间：2024-05-15 10:32　来源：雨花区人民政府　浏览次数：386　字号：大 中 小"
            w = f_meta.getlength(meta)
            d.text((col_x0 + (col_w - w) / 2, y), meta, font=f_meta, fill=(110, 110, 110))
            y += 34
            d.line([col_x0, y, col_x1, y], fill=(178, 28, 36), width=2)
            y += 30
        elif kind == "img":
            img: Image.Image = value
            scale = min(600 / img.width, 420 / img.height, 1.6)
            im = img.resize((max(1, int(img.width * scale)), max(1, int(img.height * scale))))
            canvas.paste(im, (int(col_x0 + (col_w - im.width) / 2), y))
            y += im.height + 18
        else:
            text = str(value)
            centred = len(text) < 30 and not text.endswith("。")
            indent = 0 if centred else int(f_body.getlength("中中"))
            lines = _wrap(text, f_body, col_w, indent)
            for i, line in enumerate(lines):
                if centred:
                    w = f_body.getlength(line)
                    xx = col_x0 + (col_w - w) / 2
                else:
                    xx = col_x0 + (indent if i == 0 else 0)
                d.text((xx, y), line, font=f_body, fill=(40, 40, 40))
                y += line_h
            y += para_gap
    y += 30
    d.text((col_x1 - 220, y), "【打印本页】　【关闭窗口】", font=f_meta, fill=(90, 90, 90))
    y += 50
    d.rectangle([0, y, width, y + 110], fill=(240, 240, 240))
    d.text(
        (col_x0, y + 25),
        "主办：长沙市雨花区人民政府办公室　网站标识码：4301110001",
        font=f_meta,
        fill=(100, 100, 100),
    )
    d.text(
        (col_x0, y + 60),
        "湘ICP备05001234号　湘公网安备 43011102000123号",
        font=f_meta,
        fill=(100, 100, 100),
    )
    y += 110
    return canvas.crop((0, 0, width, y))


# --------------------------------------------------------------------------- main


def main(argv: Iterable[str] | None = None) -> None:
    """Regenerate every PDF and image sample from ``samples/word``."""
    args = list(argv or [])
    word_dir = ROOT / "samples" / "word"
    pdf_dir = ROOT / "samples" / "pdf"
    img_dir = ROOT / "samples" / "images"
    if "--images-only" not in args:
        generate_pdfs(word_dir, pdf_dir)
    generate_images(word_dir, pdf_dir, img_dir)
    total = sum(f.stat().st_size for d in (pdf_dir, img_dir) for f in d.rglob("*") if f.is_file())
    print(f"wrote samples: {total / 1e6:.1f} MB")


if __name__ == "__main__":
    import sys

    os.environ.setdefault("SOURCE_DATE_EPOCH", "1715760000")
    main(sys.argv[1:])
