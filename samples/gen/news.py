"""Public-news-style reports (issue 14): Word files, their LibreOffice PDFs and page scans.

Real 政务公开 news pages (shared/design/real-reports.md) differ from the office-style reports of
``gen/word_b.py`` in ways that trip a structure analysis:

* the lead restates the headline (``5月29日，区医保局召开“政务公开主题日”座谈会，…``);
* the ending names the organisers (``本次活动主办单位包括…``);
* captions sit at body size under photos (centred, short, no final 。);
* a ``（原标题：…）`` line or a ``——`` subtitle follows the title;
* photos float beside the text (Word's square/tight wrapping, left or right), so in a PDF or a
  scan a paragraph's lines are cut short at the picture;
* reports run over two pages, so paragraphs continue across the page break.

Each report is a plan of ``gen.word_b`` paragraphs (that module's OOXML writer and truth
derivation are reused); only the phrase banks, the layout choices and the floating-picture
placement are new. ``export_pdf`` runs LibreOffice headless; ``scan_pdf`` renders the pages
with pypdfium2, stacks them into one long JPEG and adds mild rotation, blur and noise.

Usage (from ``samples/``)::

    python -m gen.news OUT SEED COUNT [--pdf] [--scan N]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .word_b import (
    COMMUNITIES,
    GUESTS,
    THEMES,
    UNITS,
    VENUES,
    Ctx,
    Fmt,
    Para,
    Photo,
    Report,
    Slot,
    Writer,
    deck,
    kw_slot,
    near_slot,
    package,
    person,
    truth_of,
)

__all__ = ["export_pdf", "generate_news", "scan_pdf"]

# ---------------------------------------------------------------------------------------------
# Phrase banks (news style)

EVENTS = ["座谈会", "开放日活动", "政策宣讲会", "集中宣传活动", "走进机关活动", "进社区活动"]
VERBS = ["召开", "举办", "开展", "组织开展"]
LEAD_TAILS = [
    "邀请{G}等{P}余人参加，面对面听取群众对政务公开工作的意见建议。",
    "{G}等{P}余人走进机关，零距离感受政务公开工作成效。",
    "通过政策解读、现场参观和座谈交流等形式，让群众看得见、听得懂、能监督。",
]
BODY = [
    "活动现场，工作人员带领参观代表依次走进综合受理窗口、自助服务区和“办不成事”反映窗口，详细介绍了“一件事一次办”改革的推进情况，并现场演示了“湘易办”手机端办理社保、医保等高频事项的操作流程，引导群众体验线上办事的便捷。",
    "座谈会上，{U}主要负责人围绕年度重点工作、重大民生项目进展等情况作了通报，并就群众关心的老旧小区改造、停车难、学位供给等问题逐一作了解答。参会代表纷纷表示，这样的活动形式新颖、内容实在，拉近了政府与群众的距离。",
    "随后，{G}来到政策咨询台，工作人员结合典型案例，用通俗易懂的语言解读了最新出台的惠民惠企政策，并发放了政策“明白卡”，现场气氛热烈，不少群众拿出手机扫码关注了政务新媒体账号。",
    "据统计，活动当天共发放宣传资料{P}0余份，解答群众咨询{P}余人次，收集意见建议{P2}条，均已建立台账，明确责任科室限期办理并及时向群众反馈办理结果，做到件件有回音。",
    "此外，{U}还通过微信公众号同步开展线上直播，邀请业务骨干在线答疑，累计观看人数超过3000人次，进一步扩大了政务公开的覆盖面和影响力，让更多群众足不出户就能了解政策。",
    "活动中，大家还参观了政务公开专区，现场查阅了政府信息公开指南、政策文件汇编等资料，了解了依申请公开的办理流程和渠道，并就政府网站栏目设置提出了意见建议。",
]
BODY_SLOT = [
    "本次{N}活动以“{T}”为主题，采取“参观+讲解+座谈”的方式进行，让群众零距离感受政务服务的便捷高效，进一步增强了群众对政府工作的理解和支持。",
    "活动现场，工作人员向{G}介绍了{N}活动的由来和意义，并邀请大家为进一步做好政务公开工作建言献策，现场收集到意见建议十余条。",
    "据悉，{N}活动是我省推进基层政务公开标准化规范化建设的重要举措，{U}将把活动开展情况纳入年度政务公开工作考核，推动活动常态长效。",
]
ENDINGS = {
    "organisers": [
        "本次活动主办单位包括{U}、区政务公开办，承办单位为{C}社区居委会。下一步，{U}将以{N}活动为契机，持续深化政务公开。",
        "下一步，{U}将认真梳理本次{N}活动中收集的意见建议，逐项研究落实。本次活动主办单位包括{U}和区数据资源局，协办单位为{C}社区。",
        "据了解，本次{N}活动由{U}主办、{C}社区承办，区政务公开办给予指导，活动还得到了辖区多家单位的大力支持。",
    ],
    "next": [
        "下一步，{U}将以此次{N}活动为契机，持续深化政务公开，进一步畅通政民互动渠道，不断提升群众的获得感和满意度。",
        "下一步，{U}将常态化开展{N}活动，以公开促落实、以公开优服务，推动政务公开工作再上新台阶。",
    ],
    "evaluation": [
        "此次{N}活动的开展，进一步增进了群众对政府工作的了解和支持，营造了全社会关心、支持、参与政务公开的良好氛围。",
    ],
}
CAPTIONS = [
    "工作人员为群众讲解医保政策",
    "居民代表参观政务服务大厅",
    "与会代表座谈交流",
    "志愿者向群众发放宣传资料",
    "工作人员现场演示“湘易办”操作流程",
    "群众在政务公开专区查阅资料",
]
CAPTION_SLOT = ["居民积极参与{N}活动", "{U}{N}活动现场"]
TRAILS = [
    ["（责任编辑：{R}）"],
    ["责编：{R}", "一审：{R2}", "二审：{E}", "三审：{R}"],
    ["来源：雨花区融媒体中心", "编辑：{R2}"],
    [],
]

#: body styles: (font, size, indent mode, exact line spacing in twips)
STYLES = [
    ("仿宋_GB2312", 16.0, "chars", 560),
    ("宋体", 14.0, "chars", None),
    ("宋体", 12.0, "ideo", None),
]

# layout decks (balanced over a set)
FLOATS = ["none", "square-left", "square-right", "tight-left", "tight-right",
          "square-right", "tight-left", "square-left"]
FLOAT_AT = ["lead", "body", "body"]
LEAD_FORMS = ["restate", "restate", "restate", "purpose", "dateline"]
END_FORMS = ["organisers", "organisers", "next", "evaluation"]
TOPS = ["plain", "origin", "subtitle", "origin+subtitle"]
CAPTION_FORMS = ["none", "body-size", "body-size", "body-size-kw"]
LENGTHS = [3, 4, 5, 5, 6, 7]
SCENARIOS = ["all-true", "all-true", "all-true", "one-missing", "one-missing", "two-missing",
             "all-false"]

_WRAPS = {
    "square": '<wp:wrapSquare wrapText="bothSides"/>',
    "tight": (
        '<wp:wrapTight wrapText="bothSides"><wp:wrapPolygon edited="0"><wp:start x="0" y="0"/>'
        '<wp:lineTo x="0" y="21600"/><wp:lineTo x="21600" y="21600"/><wp:lineTo x="21600" y="0"/>'
        '<wp:lineTo x="0" y="0"/></wp:wrapPolygon></wp:wrapTight>'
    ),
}


@dataclass
class FloatPhoto(Photo):
    """A photo floating beside the text: Word's square or tight wrapping, on the left or right."""

    wrap: str = "square"
    side: str = "right"


class NewsWriter(Writer):
    """word_b's writer, with floating photos placed at a side and wrapped square or tight."""

    def drawing(self, ph: Photo) -> str:  # type: ignore[override]
        xml = super().drawing(ph)
        if isinstance(ph, FloatPhoto):
            xml = re.sub(r"<wp:wrap(TopAndBottom|Square)[^>]*/>", _WRAPS[ph.wrap], xml, count=1)
            xml = xml.replace("<wp:align>center</wp:align>", f"<wp:align>{ph.side}</wp:align>")
        return xml


def _slots(rng: random.Random, scenario: str) -> dict[str, Slot]:
    places = ["title", "lead", "body", "ending"]
    allowed = ["cn", "cn", "cn", "bare", "year", "ascii"]
    if scenario == "all-true":
        return {p: kw_slot(rng, allowed) for p in places}
    missing = {"one-missing": 1, "two-missing": 2, "all-false": 4}[scenario]
    gone = set(rng.sample(places, missing))
    return {p: near_slot(rng) if p in gone else kw_slot(rng, allowed) for p in places}


def plan_news(rng: random.Random, choice: dict[str, object], idx: int) -> Report:
    """One report plan from the layout ``choice``; features name the causes it exercises."""
    del idx
    unit, short = rng.choice(UNITS)
    comm = rng.choice(COMMUNITIES)
    c = Ctx(
        rng=rng, unit=unit, short=short, theme=rng.choice(THEMES), month=rng.randint(4, 10),
        day=rng.randint(1, 28), venue=rng.choice(VENUES).format(c=comm), guests=rng.choice(GUESTS),
        reporter=person(rng), reporter2=person(rng), editor=person(rng), n_people=rng.randint(3, 9) * 10,
    )
    s = _slots(rng, str(choice["scenario"]))
    feats = [f"truth:{choice['scenario']}"]
    font, size, indent, exact = STYLES[int(choice["style"])]  # type: ignore[call-overload]
    body_fmt = Fmt(font=font, size=size, indent=indent, exact_line=exact, align="both")
    title_fmt = Fmt(font=rng.choice(["方正小标宋简体", "黑体"]), size=rng.choice([20.0, 22.0]),
                    bold=rng.random() < 0.5, align="center")
    small = Fmt(font=font, size=max(10.5, size - 3), align="center")

    def fill(tpl: str, slot: Slot | None = None) -> str:
        tpl = tpl.replace("{C}", comm).replace("{E}", c.editor)
        return c.fill(tpl, slot)

    event, verb = rng.choice(EVENTS), rng.choice(VERBS)
    headline = f"{{U}}{verb}{{N}}{event}"
    items: list[Para] = [Para("title", fill(headline, s["title"]), title_fmt)]
    top = str(choice["top"])
    if "subtitle" in top:
        feats.append("cause:subtitle")
        items.append(Para("subtitle", fill(f"——{{U}}邀请群众代表走进“{c.theme}”现场", None), small))
    if "origin" in top:
        feats.append("cause:origin-title")
        items.append(Para("chrome", fill(f"（原标题：{{U}}{verb}{event}）"), small))
    items.append(Para("meta", f"来源：{unit}　　发布时间：2023-{c.month:02d}-{c.day:02d} 1{rng.randint(0, 7)}:{rng.randint(10, 59)}", small))

    lead_form = str(choice["lead"])
    tail = fill(rng.choice(LEAD_TAILS))
    if lead_form == "restate":
        feats.append("cause:lead-restates-title")
        lead = f"{c.date(True)}，{fill(headline, s['lead'])}，{tail}"
    elif lead_form == "dateline":
        lead = f"雨花区融媒体中心讯（通讯员 {c.reporter}）{c.date(True)}，{short}在{c.venue}{verb}{s['lead'].markup}{event}，{tail}"
    else:
        lead = f"为进一步推进政务公开工作，增强群众对政府工作的认同和支持，{c.date(True)}，{short}在{c.venue}{verb}{s['lead'].markup}{event}，{tail}"
    paras: list[Para] = [Para("lead", lead, body_fmt)]

    n_body = int(choice["length"]) - 2  # type: ignore[call-overload]
    bodies = rng.sample(BODY, min(n_body, len(BODY)))
    slot_at = rng.randrange(len(bodies)) if bodies else -1
    for i, tpl in enumerate(bodies):
        if i == slot_at:
            tpl = rng.choice(BODY_SLOT)
        paras.append(Para("body", fill(tpl, s["body"] if i == slot_at else None), body_fmt))

    end_form = str(choice["ending"])
    if end_form == "organisers":
        feats.append("cause:organisers-ending")
    paras.append(Para("ending", fill(rng.choice(ENDINGS[end_form]), s["ending"]), body_fmt))

    # a floating photo beside the lead or a body paragraph
    fl = str(choice["float"])
    photos = 0
    if fl != "none":
        wrap, side = fl.split("-")
        feats.append(f"cause:float-{wrap}")
        at = 0 if choice["float_at"] == "lead" or len(paras) < 3 else rng.randrange(1, len(paras) - 1)
        paras[at].photos = [FloatPhoto(640, 480, anchor=True, display_cm=rng.choice([5.5, 6.5]),
                                       wrap=wrap, side=side)]
        paras[at].photo_at_end = False
        photos += 1

    # inline photos with captions at body size (centred, short, no 。)
    cap = str(choice["caption"])
    out: list[Para] = []
    cap_after = set(rng.sample(range(1, len(paras)), min(2, len(paras) - 1))) if cap != "none" else set()
    for i, p in enumerate(paras):
        out.append(p)
        if i in cap_after:
            feats.append("cause:caption-body-size")
            photo = Para("photo", "", Fmt(font=font, size=size, align="center"),
                         photos=[Photo(640, 427, display_cm=rng.choice([11.0, 12.5]))])
            text = fill(rng.choice(CAPTION_SLOT), kw_slot(rng, ["cn"])) if cap == "body-size-kw" and i == max(cap_after) else rng.choice(CAPTIONS)
            out.append(photo)
            out.append(Para("caption", text, Fmt(font=font, size=size, align="center")))
            photos += 1
    trail = [Para("trail", fill(t), Fmt(font=font, size=size, align="right" if k == 0 else None))
             for k, t in enumerate(rng.choice(TRAILS))]
    items += out + trail
    return Report(items=list(items), features=sorted(set(feats)), photos=photos,
                  app=rng.choice(["Microsoft Office Word", "WPS Office"]))


def generate_news(out_dir: Path, *, seed: int, count: int) -> list[dict[str, object]]:
    """Write ``count`` .docx reports and ``expected.json`` (word_b's truth records) to ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    decks = {
        "scenario": deck(rng, SCENARIOS, count),
        "float": deck(rng, FLOATS, count),
        "float_at": deck(rng, FLOAT_AT, count),
        "lead": deck(rng, LEAD_FORMS, count),
        "ending": deck(rng, END_FORMS, count),
        "top": deck(rng, TOPS, count),
        "caption": deck(rng, CAPTION_FORMS, count),
        "length": deck(rng, LENGTHS, count),
        "style": deck(rng, list(range(len(STYLES))), count),
    }
    records = []
    for i in range(count):
        choice = {k: v[i] for k, v in decks.items()}
        rep = plan_news(random.Random(f"news-{seed}-{i}"), choice, i)
        name = f"n{seed}-{i + 1:03d}-{choice['lead']}-{choice['float']}.docx"
        rec = truth_of(rep, i, name)
        w = NewsWriter(random.Random(f"news-{seed}-{i}-xml"), f"news-{seed}-{i}", rep)
        (out_dir / name).write_bytes(package(w, rep))
        records.append(rec)
    (out_dir / "expected.json").write_text(
        json.dumps(records, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return records


def export_pdf(docx: list[Path], out_dir: Path) -> list[Path]:
    """Export Word files to PDF with LibreOffice headless (a private profile: runs may overlap)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("soffice not found: run scripts/install-libreoffice.sh")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(out_dir), *map(str, docx)],
            check=True, capture_output=True, timeout=60 + 20 * len(docx),
        )
    return [out_dir / (p.stem + ".pdf") for p in docx]


def scan_pdf(pdf: Path, out: Path, *, seed: int, dpi: int = 110) -> Path:
    """A page scan of ``pdf``: pages rendered, stacked into one long JPEG, mildly degraded."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = random.Random(f"scan-{seed}-{pdf.name}")
    doc = pdfium.PdfDocument(str(pdf))
    pages = []
    for page in doc:
        img = page.render(scale=dpi / 72).to_pil().convert("RGB")
        angle = rng.uniform(-1.2, 1.2)
        img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=(250, 250, 248))
        pages.append(img)
    doc.close()
    w = max(p.width for p in pages)
    sheet = Image.new("RGB", (w, sum(p.height for p in pages)), (250, 250, 248))
    y = 0
    for p in pages:
        sheet.paste(p, (0, y))
        y += p.height
    sheet = sheet.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.7)))
    arr = np.asarray(sheet).astype(np.int16)
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 5, arr.shape)
    sheet = Image.fromarray(np.clip(arr + noise, 0, 255).astype(np.uint8))
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out, quality=80)
    return out


def build(out: Path, seed: int, count: int, *, pdf: bool, scan: int = 0) -> None:
    """docx/ (+ pdf/, scan/) under ``out``, each with an ``expected.json`` naming its files.

    ``scan``: how many of the reports (the first ones) also get a page scan.
    """
    records = generate_news(out / "docx", seed=seed, count=count)
    if not (pdf or scan):
        return
    docx = [out / "docx" / str(r["file"]) for r in records]
    pdfs = export_pdf(docx, out / "pdf")
    _rename(records, out / "pdf", ".pdf")
    if scan:
        for p in pdfs[:scan]:
            scan_pdf(p, out / "scan" / (p.stem + ".jpg"), seed=seed)
        _rename(records[:scan], out / "scan", ".jpg")


def _rename(records: list[dict[str, object]], folder: Path, suffix: str) -> None:
    recs = [dict(r, file=str(r["file"]).rsplit(".", 1)[0] + suffix) for r in records]
    (folder / "expected.json").write_text(
        json.dumps(recs, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":  # pragma: no cover
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("seed", type=int)
    ap.add_argument("count", type=int)
    ap.add_argument("--pdf", action="store_true")
    ap.add_argument("--scan", type=int, default=0, metavar="N", help="scan the first N reports")
    a = ap.parse_args()
    build(a.out, a.seed, a.count, pdf=a.pdf or a.scan > 0, scan=a.scan)
