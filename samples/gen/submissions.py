"""Realistic batch input: what units send to the openness office, one folder (or zip) each.

``generate_submissions(out_dir)`` fills ``samples/submissions/`` with a dozen submissions
named the way units name them (``区教育局-0418-小升初招生政策解读/``), each holding the news
report (``新闻稿.docx``, made by :mod:`gen.word` so its keyword truth is known), the activity
plan (``活动方案.docx``), the summary report (``情况报告.docx``), 3–4 loose photos (from
:func:`gen.photos.event_photo`, with or without the campaign LOGO), sometimes a tiny fake
video, and a ``submission.toml`` with the declared dates. Good ones and each kind of fault:
the keyword missing from the title, the lead, the body or the ending, another campaign's name
instead of it, no LOGO in any photo, late materials and no summary, a corrupt plan, files
named only 附件1/2/3 (the news report must be found by content), a zip whose Chinese names
are GBK-encoded, a banner (会标) with the wrong year, and a loose report at the top level.
The first photo of each folder shows the unit's banner (:func:`gen.banner_photos.make_photo`).

``generate_submissions(out_dir, seed=S, count=N)`` makes N submissions of the same kinds in
rotation instead, for the benchmark. Output is deterministic for a given seed.
``.truth.json`` beside them (hidden, so a batch does not take it for a submission) records, per submission, what the generator put where.

Run as ``python samples/gen/submissions.py [--count N] [--seed S] [--out DIR]``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __name__ == "__main__" and not __package__:  # run as a script: make ``gen`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    __package__ = "gen"

import cv2

from . import texts as T
from .banner_photos import make_photo
from .photos import event_photo
from .word import generate_reports

__all__ = ["generate_submissions", "main"]

ROOT = Path(__file__).resolve().parents[1]
FIXED = (2023, 6, 30, 9, 0, 0)
_FIXED_DT = dt.datetime(2023, 6, 30, 9, 0, 0)
_DATE = re.compile(r"(\d{1,2})月(\d{1,2})日")
_CLEAN = re.compile(r"[《》“”\"「」、，,：:\s（）()]")
_UTF8_FLAG = 0x800
TRUTH = ".truth.json"


@dataclass
class _Spec:
    """What one submission should be."""

    kind: str  # good | title | ... | attachments | zip | banner | loose (see CURATED)
    want: dict[str, bool] | None = None  # the keyword places the news report must have
    scenario: str | None = None  # a word.py truth feature to prefer
    logo: bool = True
    video: bool = False
    summary: bool = True
    late: bool = False
    photos: int = 4
    extra: dict[str, Any] = field(default_factory=dict)
    # the banner (会标) the first photo shows: "valid", "year-wrong", or None (no banner photo)
    banner: str | None = None


ALL = {"title": True, "lead": True, "body": True, "ending": True}


def _missing(place: str) -> dict[str, bool]:
    return {**ALL, place: False}


#: The curated set: good ones and each fault once (samples/submissions).
CURATED: tuple[_Spec, ...] = (
    _Spec("good", ALL, "truth:all-true", video=True, banner="valid"),
    _Spec("good", ALL, "truth:all-true", photos=3, banner="valid"),
    _Spec("title", _missing("title"), "truth:one-missing", banner="valid"),
    _Spec("lead", _missing("lead"), "truth:one-missing", banner="valid"),
    _Spec("body", _missing("body"), "truth:one-missing", banner="valid"),
    _Spec("ending", _missing("ending"), "truth:one-missing", banner="valid"),
    _Spec("near-miss", None, "truth:mixed-names", banner="valid"),
    _Spec("no-logo", ALL, "truth:all-true", logo=False, banner="valid"),
    _Spec("late", ALL, "truth:all-true", summary=False, late=True, photos=3, banner="valid"),
    _Spec("corrupt", ALL, "truth:all-true", photos=3, banner="valid"),
    _Spec("attachments", ALL, "truth:all-true", photos=3, banner="valid"),
    _Spec("zip", ALL, "truth:all-true", photos=3, video=True, banner="valid"),
    _Spec("banner", ALL, "truth:all-true", photos=3, video=True, banner="year-wrong"),
    _Spec("loose", ALL, "truth:all-true", photos=0),
)
#: banner photos are larger than the other loose photos: OCR needs the characters legible
BANNER_PHOTO_SIZE = (1280, 960)

#: The rotation for ``count=N`` (kinds repeat in this order).
ROTATION: tuple[str, ...] = (
    "plain", "plain", "plain", "attachments", "plain", "no-logo", "plain", "plain", "zip",
    "plain", "late", "plain", "corrupt", "plain", "loose", "plain",
)  # fmt: skip


# -- documents ----------------------------------------------------------------------------------


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite an OOXML package with fixed times and order, so output is byte-identical."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    order = ["[Content_Types].xml", *sorted(n for n in names if n != "[Content_Types].xml")]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in order:
            info = zipfile.ZipInfo(n, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, src.read(n))
    return out.getvalue()


def _docx(title: str, paragraphs: list[tuple[str, str]]) -> bytes:
    """A plain Word file: a centred bold title, then (style, text) paragraphs."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    d = Document()
    d.core_properties.created = _FIXED_DT
    d.core_properties.modified = _FIXED_DT
    d.core_properties.last_modified_by = "gkcheck samples"
    d.core_properties.author = "gkcheck samples"
    t = d.add_paragraph()
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = t.add_run(title)
    run.bold = True
    run.font.size = Pt(22)
    for style, text in paragraphs:
        p = d.add_paragraph()
        r = p.add_run(text)
        if style == "h":
            r.bold = True
        elif style == "sign":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            p.paragraph_format.first_line_indent = Pt(32)
        r.font.size = Pt(16)
    buf = io.BytesIO()
    d.save(buf)
    return _normalise_zip(buf.getvalue())


def _plan_doc(
    unit: str, theme: str, form: str, date: dt.date, place: str, rng: random.Random
) -> bytes:
    invite = rng.choice(
        ["社区居民代表", "企业代表", "政务公开监督员", "人大代表、政协委员", "家长代表"]
    )
    return _docx(
        f"{unit}2023年“政务公开主题日”活动方案",
        [
            (
                "p",
                "为落实《雨花区2023年“政务公开主题日”活动计划安排表》要求，结合我单位工作实际，制定本方案。",
            ),
            ("h", "一、活动主题"),
            ("p", theme),
            ("h", "二、活动时间"),
            ("p", f"拟于2023年{date.month}月{date.day}日上午9:30举行。"),
            ("h", "三、活动地点"),
            ("p", place),
            ("h", "四、参加人员"),
            ("p", f"{unit}相关负责同志、{invite}等约{rng.randint(20, 80)}人。"),
            ("h", "五、活动形式与内容"),
            ("p", f"采取{form}的形式，围绕{theme}开展政策解读、现场答疑和意见征集。"),
            ("h", "六、工作要求"),
            (
                "p",
                "各科室按分工做好准备；活动结束后两个工作日内报送图片及文字材料，五个工作日内报送情况报告。",
            ),
            ("sign", unit),
            (
                "sign",
                f"2023年{(date - dt.timedelta(days=10)).month}月{(date - dt.timedelta(days=10)).day}日",
            ),
        ],
    )


def _summary_doc(unit: str, theme: str, date: dt.date, rng: random.Random) -> bytes:
    n = rng.randint(30, 120)
    later = date + dt.timedelta(days=4)
    return _docx(
        f"{unit}关于2023年“政务公开主题日”活动开展情况的报告",
        [
            ("p", "区政务公开办："),
            (
                "p",
                f"按照区政务公开办统一部署，我单位于2023年{date.month}月{date.day}日开展了“政务公开主题日”活动，现将有关情况报告如下：",
            ),
            ("h", "一、活动开展情况"),
            (
                "p",
                f"活动以“{theme}”为主题，共有{n}余名群众参与，发放宣传资料{n * 3}份，现场解答咨询{n // 3}人次。",
            ),
            ("h", "二、主要做法和成效"),
            (
                "p",
                "一是精心筹备，提前报备活动方案；二是突出互动，现场收集意见建议；三是及时公开，活动信息在门户网站专栏发布。",
            ),
            ("h", "三、下一步打算"),
            ("p", "我单位将持续深化政务公开，不断拓展公众参与渠道。"),
            ("p", "特此报告。"),
            ("sign", unit),
            ("sign", f"2023年{later.month}月{later.day}日"),
        ],
    )


def _manifest(unit: str, seq: int | None, date: dt.date, *, late: bool) -> str:
    plan = date - dt.timedelta(days=2 if late else 14)
    materials = date + dt.timedelta(days=9 if late else 1)
    summary = date + dt.timedelta(days=4)
    lines = [
        f"activity_date = {date.isoformat()}",
        f"plan_filed = {plan.isoformat()}",
        f"materials_sent = {materials.isoformat()}",
    ]
    if not late:
        lines.append(f"summary_sent = {summary.isoformat()}")
    lines.append(f'unit = "{unit}"')
    if seq is not None:
        lines.append(f"seq = {seq}")
    return "\n".join(lines) + "\n"


_FAKE_MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom\x00\x00\x00\x08free"


# -- which activity a report is about -------------------------------------------------------------


def _activity_of(record: dict[str, Any]) -> tuple[str, str, str, str, str, int]:
    """(full unit, short unit, kind, theme, form, month) of the activity the report describes.

    The unit named in the title decides (reports by word.py may borrow another unit's
    theme); among that unit's activities the one whose theme the text mentions wins.
    """
    title = _CLEAN.sub("", record["title"])
    text = _CLEAN.sub("", record["title"] + record["lead"] + record["ending"])
    best: tuple[int, tuple[str, str, str, str, str, int]] | None = None
    for act in T.ACTIVITIES:
        theme = _CLEAN.sub("", act[3])
        core = act[1].removeprefix("区")
        score = (4 if act[0] in title or core in title else 0) + (3 if theme[:6] in text else 0)
        score += 1 if core in text else 0
        if score and (best is None or score > best[0]):
            best = (score, act)
    return best[1] if best else T.ACTIVITIES[0]


def _seq_of(unit: str, theme: str) -> int | None:
    """The 序号 of the activity in the packaged schedule, when it can be matched."""
    path = ROOT.parent / "src" / "gkcheck" / "data" / "schedule-2023.csv"
    try:
        rows = path.read_text(encoding="utf-8-sig").splitlines()[1:]
    except OSError:
        return None
    want = _CLEAN.sub("", theme)
    best: tuple[int, int] | None = None
    for row in rows:
        parts = row.split(",")
        if len(parts) < 5 or parts[3] != unit:
            continue
        have = _CLEAN.sub("", parts[1])
        common = sum(1 for ch in set(want) if ch in have)
        if best is None or common > best[0]:
            best = (common, int(parts[0]))
    return best[1] if best else None


def _date_of(record: dict[str, Any], month: int, rng: random.Random) -> dt.date:
    m = _DATE.search(record["lead"]) or _DATE.search(record["title"])
    if m:
        try:
            return dt.date(2023, int(m.group(1)), int(m.group(2)))
        except ValueError:
            pass
    return dt.date(2023, month, rng.randint(3, 26))


def _short_theme(theme: str) -> str:
    return _CLEAN.sub("", theme)[:10] or "活动"


# -- writing ------------------------------------------------------------------------------------


def _banner_text(unit: str, kind: str) -> str:
    year = 2022 if kind == "year-wrong" else 2023
    return f"{unit}{year}年“政务公开主题日”活动"


def _photos(
    rng: random.Random,
    n: int,
    *,
    logo: bool,
    size: tuple[int, int],
    banner: str | None = None,
) -> list[tuple[str, bytes]]:
    """Loose photos; with ``banner``, the first shows that banner text over the event."""
    out = []
    carrier = rng.randrange(max(1, n))
    for i in range(n):
        if i == 0 and banner is not None:
            img, _truth = make_photo(
                rng.randrange(10**9),
                text=banner,
                style="cloth",
                lines=1,
                size=BANNER_PHOTO_SIZE,
                logo=logo and i == carrier,
            )
            ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 85])
            assert ok
            data = buf.tobytes()
        else:
            data = event_photo(rng, size[0], size[1], logo=logo and i == carrier)
        out.append((f"现场照片{i + 1}.jpg", data))
    return out


def _files_for(
    spec: _Spec,
    record: dict[str, Any],
    report: bytes,
    rng: random.Random,
    *,
    photo_size: tuple[int, int],
) -> tuple[str, dict[str, bytes], dict[str, Any]]:
    """(folder name, {relative name: bytes}, truth) for one submission."""
    full, short, unit_kind, theme, form, month = _activity_of(record)
    date = _date_of(record, month, rng)
    seq = _seq_of(short, theme)
    place = rng.choice(T.PLACES.get(unit_kind) or T.PLACES["bureau"])
    name = f"{short}-{date.month:02d}{date.day:02d}-{_short_theme(theme)}"
    files: dict[str, bytes] = {}
    report_name = "新闻稿.docx"
    plan_name, summary_name = "活动方案.docx", "情况报告.docx"
    if spec.kind == "attachments":
        plan_name, report_name, summary_name = "附件1.docx", "附件2.docx", "附件3.docx"
    files[report_name] = report
    plan = _plan_doc(full, theme, form, date, str(place), rng)
    files[plan_name] = plan[: len(plan) // 2] if spec.kind == "corrupt" else plan
    if spec.summary:
        files[summary_name] = _summary_doc(full, theme, date, rng)
    banner = _banner_text(full, spec.banner) if spec.banner else None
    photos = _photos(rng, spec.photos, logo=spec.logo, size=photo_size, banner=banner)
    for fname, data in photos:
        files[fname] = data
    if spec.video:
        files["活动视频.mp4"] = _FAKE_MP4
    files["submission.toml"] = _manifest(short, seq, date, late=spec.late).encode("utf-8")
    truth = {
        "kind": spec.kind,
        "unit": short,
        "seq": seq,
        "activity_date": date.isoformat(),
        "report": report_name,
        "report_source": record["file"],
        "places": record["places"],
        "features": [f for f in record["features"] if f.startswith("truth:")],
        "logo_in_loose_photos": spec.logo and spec.photos > 0,
        "summary": spec.summary,
        "late": spec.late,
        "banner": banner,
        "banner_valid": None if banner is None else spec.banner == "valid",
        "corrupt": [plan_name] if spec.kind == "corrupt" else [],
    }
    return name, files, truth


class _GbkInfo(zipfile.ZipInfo):
    """A zip entry whose name is stored in GBK without the UTF-8 flag, as Windows tools do."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode("gbk"), self.flag_bits & ~_UTF8_FLAG


def _write_gbk_zip(path: Path, folder: str, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for rel in sorted(files):
            info = _GbkInfo(f"{folder}/{rel}", date_time=FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0  # made on Windows
            z.writestr(info, files[rel])


def _write(out_dir: Path, spec: _Spec, name: str, files: dict[str, bytes]) -> str:
    """Write one submission; returns its name in the batch folder."""
    if spec.kind == "zip":
        target = f"{name}.zip"
        _write_gbk_zip(out_dir / target, name, files)
        return target
    if spec.kind == "loose":
        target = f"{name.split('-')[0]}-{name.split('-')[-1]}-新闻稿.docx"
        (out_dir / target).write_bytes(files["新闻稿.docx"])
        return target
    folder = out_dir / name
    folder.mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        (folder / rel).write_bytes(data)
    return name


def _pick(records: list[dict[str, Any]], used: set[int], spec: _Spec) -> int:
    """The first unused report that fits the spec's keyword places (then its scenario)."""

    def fits(i: int, strict: bool) -> bool:
        r = records[i]
        if spec.want is not None and r["places"] != spec.want:
            return False
        if spec.kind == "near-miss" and not any("mixed-names" in f for f in r["features"]):
            return False
        if not spec.logo and r["photos"]:
            return False  # a photo in the report might carry the LOGO
        if spec.logo and spec.photos == 0 and "photo:logo" not in r["features"]:
            return False  # no loose photos: the report's own photos must show the LOGO
        return not strict or spec.scenario is None or spec.scenario in r["features"]

    for strict in (True, False):
        for i in range(len(records)):
            if i not in used and fits(i, strict):
                used.add(i)
                return i
    i = next(j for j in range(len(records)) if j not in used)
    used.add(i)
    return i


def generate_submissions(
    out_dir: Path, *, seed: int = 1, count: int | None = None
) -> list[dict[str, Any]]:
    """Fill ``out_dir`` with submissions and ``.truth.json``; returns the truth records.

    :param count: ``None`` for the curated set (one of each kind, ~12); a number for that
        many submissions in rotation (the benchmark's large set).
    """
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    if count is None:
        specs = list(CURATED)
        pool_size = 60
        photo_size = (800, 600)
    else:
        specs = [_rotation_spec(ROTATION[i % len(ROTATION)]) for i in range(count)]
        pool_size = count
        photo_size = (640, 480)
    with tempfile.TemporaryDirectory(prefix="gkcheck-gen-") as tmp:
        records = generate_reports(Path(tmp), seed=seed, count=pool_size)
        used: set[int] = set()
        truths: list[dict[str, Any]] = []
        names: set[str] = set()
        for n, spec in enumerate(specs):
            i = _pick(records, used, spec) if count is None else n
            report = (Path(tmp) / records[i]["file"]).read_bytes()
            rng = random.Random(f"gkcheck-submission-{seed}-{n}")
            name, files, truth = _files_for(spec, records[i], report, rng, photo_size=photo_size)
            base, k = name, 2
            while name in names:  # two reports on the same day and theme
                name = f"{base}-{k}"
                k += 1
            names.add(name)
            truth["name"] = _write(out_dir, spec, name, files)
            truths.append(truth)
    (out_dir / TRUTH).write_text(
        json.dumps(truths, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return truths


def _rotation_spec(kind: str) -> _Spec:
    if kind == "plain":
        return _Spec("plain", None, photos=3)
    base = next(s for s in CURATED if s.kind == kind)
    return _Spec(
        kind,
        None,
        None,
        logo=base.logo,
        video=base.video,
        summary=base.summary,
        late=base.late,
        photos=min(base.photos, 3),
    )


def sample_submissions(out_dir: Path = ROOT / "submissions") -> int:
    """The committed set in ``samples/submissions``; returns the number of submissions."""
    return len(generate_submissions(out_dir, seed=1))


def register(generators: dict[str, Any]) -> None:
    """Add this generator to ``samples/generate.py``'s table."""
    generators["submissions"] = sample_submissions


def main(argv: list[str] | None = None) -> int:
    """``python samples/gen/submissions.py [--count N] [--seed S] [--out DIR]``."""
    import argparse

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument(
        "--count", type=int, default=None, help="that many submissions (default: the curated set)"
    )
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, default=ROOT / "submissions")
    args = p.parse_args(argv)
    truths = generate_submissions(args.out, seed=args.seed, count=args.count)
    print(f"{len(truths)} submissions in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
