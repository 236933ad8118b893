"""What a worker process does with one request: check its uploads, relabel, build the view.

Runs in the pool's worker processes, never in the web server's, so a parser that hangs or
crashes costs a worker, not the server. Everything returned is plain data (pickled back over
a pipe): the results exactly as ``gkcheck check --format json`` gives them, and for the page
a view with the keyword spans, the missing places and the photo thumbnails already worked out.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import importlib
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Job", "WorkerConfig", "run_job", "warm"]

#: The four places of the notice and the rule that flags each one without the keyword.
PLACE_RULES = {"title": "GK101", "lead": "GK102", "body": "GK103", "ending": "GK104"}
MAX_THUMBS = 24


@dataclass(frozen=True, slots=True)
class Job:
    """One request's work. Paths are inside ``folder``, the request's private folder."""

    folder: str
    form: str  # "files": each input alone | "submission": one folder | "zip": one archive
    inputs: tuple[tuple[str, str], ...]  # (path relative to folder, name shown)
    lang: str | None = None
    select: str = ""
    ignore: str = ""
    view: bool = False  # also build what the page shows


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    """What every worker needs, fixed for the server's life."""

    config: Path | None = None
    plugins: bool = True
    #: ``"module:function"`` run instead of :func:`run_job` (tests: a check that hangs).
    runner: str | None = None


def _config(job: Job, wc: WorkerConfig) -> Any:
    from gkcheck.cli import effective_config

    args = argparse.Namespace(config=wc.config, lang=job.lang, select=job.select, ignore=job.ignore)
    return effective_config(args)


def warm(wc: WorkerConfig) -> None:
    """Load word lists and tokenizers before the first request, not during it."""
    from gkcheck.api import engine_for
    from gkcheck.batch.worker import warm_up

    with contextlib.suppress(Exception):
        cfg = _config(Job(folder="", form="files", inputs=()), wc)
        warm_up(engine_for(cfg, plugins=wc.plugins))


def dispatch(job: Job, wc: WorkerConfig) -> dict[str, Any]:
    """Run ``job`` with the configured runner (normally :func:`run_job`)."""
    fn: Callable[[Job, WorkerConfig], dict[str, Any]] = run_job
    if wc.runner:
        module, _, name = wc.runner.partition(":")
        fn = getattr(importlib.import_module(module), name)
    tmp = Path(job.folder) / "tmp"
    tmp.mkdir(exist_ok=True)
    tempfile.tempdir = str(tmp)  # whatever a check writes lands in the request's folder
    try:
        return fn(job, wc)
    finally:
        tempfile.tempdir = None


def run_job(job: Job, wc: WorkerConfig) -> dict[str, Any]:
    """``{"results": [RESULT…], "views": [VIEW…] | None}`` for the job's inputs."""
    from gkcheck.api import engine_for
    from gkcheck.uploads import relabel

    cfg = _config(job, wc)
    lang = str(job.lang or cfg.lang)
    engine = engine_for(cfg, lang=lang, plugins=wc.plugins)
    folder = Path(job.folder)
    results: list[dict[str, Any]] = []
    views: list[dict[str, Any]] = []
    for stored, shown in job.inputs:
        path = folder / stored
        # one engine call for a file, a submission folder or a zip: the CLI's very path
        result = relabel(engine.check(path), path, shown)
        data = result.to_dict()
        results.append(data)
        if job.view:
            views.append(build_view(data, _thumbs(result.all_photos()), cfg))
    return {"results": results, "views": views if job.view else None}


def _thumbs(photos: Sequence[Any]) -> dict[str, bytes]:
    from gkcheck.writers.html import make_thumbnail

    out: dict[str, bytes] = {}
    for photo in photos[:MAX_THUMBS]:
        try:
            thumb = make_thumbnail(photo.load())
        except (OSError, ValueError):
            continue
        if thumb is not None:
            out[str(photo.ref)] = thumb
    return out


def _segments(text: str, matcher: Any) -> list[tuple[str, str]]:
    """``text`` cut into (piece, mark) with mark ``kw`` for the keyword, ``near`` for a near miss."""
    if matcher is None:
        return [(text, "")]
    spans = [(m.start, m.end, "kw") for m in matcher.find(text)]
    with contextlib.suppress(Exception):  # marking near misses is a courtesy
        spans += [(n.start, n.end, "near") for n in matcher.near_misses(text)]
    out: list[tuple[str, str]] = []
    pos = 0
    for s, e, mark in sorted(spans):
        if s < pos:
            continue
        if s > pos:
            out.append((text[pos:s], ""))
        out.append((text[s:e], mark))
        pos = e
    if pos < len(text):
        out.append((text[pos:], ""))
    return out


def _logo_box(entry: Mapping[str, Any], thumb: bytes) -> dict[str, float] | None:
    """The LOGO's box in percent of the thumbnail (which is upright, as the browser shows it)."""
    logo = entry.get("logo")
    if not isinstance(logo, Mapping) or not logo.get("found") or not logo.get("bbox"):
        return None
    import io

    from gkcheck.vision.pillow import Image

    with Image.open(io.BytesIO(thumb)) as im:
        tw, th = im.size
    fw, fh = int(entry.get("width") or 0), int(entry.get("height") or 0)
    if (tw > th) != (fw > fh) and fw != fh:
        fw, fh = fh, fw
    if not (fw and fh):
        return None
    x0, y0, x1, y1 = (float(v) for v in logo["bbox"][:4])
    return {
        "left": round(100 * x0 / fw, 2),
        "top": round(100 * y0 / fh, 2),
        "width": round(100 * (x1 - x0) / fw, 2),
        "height": round(100 * (y1 - y0) / fh, 2),
    }


def build_view(data: Mapping[str, Any], thumbs: Mapping[str, bytes], cfg: Any) -> dict[str, Any]:
    """What the page shows for one RESULT: places with marks, photos with boxes, facts."""
    from gkcheck.keywords import KeywordMatcher

    try:
        matcher: Any = KeywordMatcher(cfg.keyword, cfg.near_misses)
    except ValueError:
        matcher = None
    fired = {f["rule"] for f in data.get("findings", [])}
    structure = data.get("structure") or {}
    places: list[dict[str, Any]] = []
    for key, rule in PLACE_RULES.items():
        value = structure.get(key)
        texts = [t for t in (value if isinstance(value, list) else [value]) if t]
        places.append(
            {
                "key": key,
                "rule": rule,
                "missing": rule in fired,
                "paragraphs": [_segments(t, matcher) for t in texts],
            }
        )
    photos: list[dict[str, Any]] = []
    for entry in data.get("photos", []):
        ref = str(entry.get("ref"))
        thumb = thumbs.get(ref)
        logo = entry.get("logo") if isinstance(entry.get("logo"), Mapping) else None
        photos.append(
            {
                "ref": ref,
                "name": ref.rsplit("/", 1)[-1],
                "src": "data:image/jpeg;base64," + base64.b64encode(thumb).decode("ascii")
                if thumb
                else None,
                "logo": None
                if logo is None
                else {"found": bool(logo.get("found")), "score": logo.get("score")},
                "box": _logo_box(entry, thumb) if thumb else None,
            }
        )
    banner = data.get("banner") if isinstance(data.get("banner"), Mapping) else None
    expected = (banner or {}).get("expected") or next(
        (
            f["evidence"]["expected"]
            for f in data.get("findings", [])
            if isinstance(f.get("evidence"), Mapping) and f["evidence"].get("expected")
        ),
        None,
    )
    return {
        "name": data.get("path"),
        "ok": bool(data.get("ok")),
        "keyword": cfg.keyword,
        "has_document": bool(data.get("blocks")),
        "places": places,
        "findings": data.get("findings", []),
        "photos": photos,
        "banner": data.get("banner"),
        "banner_expected": expected,
        "dates": data.get("dates"),
        "activity": data.get("activity"),
        "files": data.get("files"),
        "logo_warning": (data.get("logo_template") or {}).get("warning"),
    }
