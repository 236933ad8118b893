"""``gkcheck logo`` and ``gkcheck banner``: the vision layer on its own, from the shell.

A unit can check its photos (does the LOGO show?) and the banner text it is about to print,
before it sends anything; an integrator can call the same from JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from gkcheck.cli import _EXTRA_PARSERS, command, effective_config
from gkcheck.errors import GkcheckError

__all__: list[str] = []


def _add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("logo", parents=[common], help="look for the campaign LOGO in photos")
    p.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    p.add_argument("--logo", action="append", type=Path, default=[], help="LOGO template image")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--all", action="store_true", help="search for the best match, not the first")
    p.add_argument("--evidence", type=Path, default=None, help="write marked-up copies here")

    b = sub.add_parser("banner", parents=[common], help="validate banner (会标) text or photos")
    b.add_argument("texts", nargs="*", metavar="TEXT", help="banner text as typed")
    # --photo A.jpg B.jpg …: several photos in one run (one result each, the OCR models are
    # loaded once for all); repeating --photo adds more. Texts go before --photo (or after --).
    b.add_argument("--photo", nargs="+", action="extend", type=Path, default=[], metavar="IMAGE",
                   help="event photo(s) to read")
    b.add_argument("--format", choices=("text", "json"), default="text")


_EXTRA_PARSERS.append(_add_parsers)


@command("logo")
def _logo(args: argparse.Namespace) -> int:
    from gkcheck.checks.photos import detector_for, logo_fact
    from gkcheck.vision.imageio import ImageDecodeError

    cfg = effective_config(args, args.images[0])
    detector = detector_for(cfg)
    results: list[dict[str, Any]] = []
    zh = (args.lang or cfg.lang) == "zh"
    for path in args.images:
        item: dict[str, Any] = {"path": str(path), "found": False, "score": 0.0, "bbox": None}
        try:
            data = path.read_bytes()
            match = detector.detect(data, first_hit=not args.all)
            item.update(logo_fact(match))
            if args.evidence is not None:
                from gkcheck.checks.photos import _write_evidence
                from gkcheck.model import Photo

                _write_evidence(args.evidence, Photo(ref=path.name, width=0, height=0), data, match)
        except (OSError, ImageDecodeError, ValueError) as exc:
            item["error"] = str(exc)
        results.append(item)
    if args.format == "json":
        print(json.dumps({"schema": 1, "results": results}, ensure_ascii=False, indent=2))
    else:
        for r in results:
            if "error" in r:
                verdict = ("无法读取：" if zh else "unreadable: ") + r["error"]
            elif r["found"]:
                verdict = ("含LOGO" if zh else "LOGO found") + f"  score={r['score']}  bbox={r['bbox']}"
            else:
                verdict = ("未发现LOGO" if zh else "no LOGO") + f"  score={r['score']}"
            print(f"{r['path']}: {verdict}")
    if any("error" in r for r in results):
        return 1
    return 0 if all(r["found"] for r in results) else 1


@command("banner")
def _banner(args: argparse.Namespace) -> int:
    from gkcheck.checks.banner import banner_results

    if not args.texts and not args.photo:
        raise GkcheckError("banner: give a TEXT or --photo IMAGE")
    cfg = effective_config(args, args.photo[0] if args.photo else Path.cwd())
    lang = str(args.lang or cfg.lang)
    results = banner_results(cfg, texts=args.texts, photos=args.photo, lang=lang)
    if args.format == "json":
        print(json.dumps({"schema": 1, "results": results}, ensure_ascii=False, indent=2))
    else:
        for r in results:
            head = r["input"]
            verdict = ("符合规定格式" if lang == "zh" else "valid") if r["valid"] else (
                ("不符合" if lang == "zh" else "not valid") if r["valid"] is False else ("未读到会标" if lang == "zh" else "no banner read")
            )
            print(f"{head}: {verdict}" + (f"  「{r['text']}」" if r["text"] and r["text"] != head else ""))
            for f in r["findings"]:
                print(f"  {f['rule']} {f['message']}")
    sys.stdout.flush()
    return 0 if all(r["valid"] for r in results) else 1
