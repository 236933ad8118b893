"""``gkcheck schedule DIR``: where each planned activity stands, at a glance.

Checks every submission in ``DIR`` — found exactly as ``gkcheck batch`` finds them
(:func:`gkcheck.batch.discover.discover`: sub-folders, zips and loose reports; a unit's folder of
activity folders opened one level) — and lays the results over the 73 activities of
attachment 1: a row per activity, then a view per unit and per month, then what could not be
tied to the plan.

The exit status is 0 whatever the activities' states (this is a status report, not a gate);
2 for a usage or configuration error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gkcheck import __version__
from gkcheck.cli import _EXTRA_PARSERS, command, effective_config, help_words, iso_date
from gkcheck.ui import say

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gkcheck.coverage import CoverageRow, Tally
    from gkcheck.findings import Result

__all__ = ["render_json", "render_text"]


def _labels(lang: str) -> dict[str, str]:
    """The words of the schedule view: the catalogues' ``[schedule]`` table."""
    from gkcheck.catalogue import messages

    return {k: str(v) for k, v in messages(lang).get("schedule", {}).items()}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` display columns (CJK counts two) and padded."""
    text = " ".join(text.split())
    if _width(text) > width:
        out = ""
        for c in text:
            if _width(out + c) > width - 1:
                break
            out += c
        text = out + "…"
    return text + " " * (width - _width(text))


def _table(
    header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]
) -> list[str]:
    lines = ["  ".join(_fit(h, w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(_fit(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
    return lines


def _name(path: str, root: Path) -> str:
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return path


def _tally_rows(tallies: Sequence[Tally], lang: str, month: bool) -> list[list[str]]:
    t = _labels(lang)
    out: list[list[str]] = []
    for tally in tallies:
        key = t["month_fmt"].format(m=tally.key) if month else str(tally.key)
        out.append(
            [
                key,
                str(tally.planned),
                str(tally.passing),
                str(tally.faulty),
                str(tally.overdue),
                str(tally.upcoming),
                str(tally.late),
            ]
        )
    total = [
        t["total"],
        *(str(sum(getattr(x, k) for x in tallies)) for k in ("planned", *_COUNTS)),
    ]
    out.append(total)
    return out


_COUNTS = ("passing", "faulty", "overdue", "upcoming", "late")


def render_text(
    rows: Sequence[CoverageRow],
    results: Sequence[Result],
    unmatched: Sequence[Result],
    skipped: Sequence[tuple[Path, str]],
    *,
    root: Path,
    as_of: dt.date,
    lang: str,
) -> str:
    """The console view: activities, per unit, per month, then what was left over."""
    from gkcheck.coverage import by_month, by_unit

    t = _labels(lang)
    out = [t["title"].format(as_of=as_of.isoformat(), n=len(rows), m=len(results)), ""]
    body: list[list[str]] = []
    for row in rows:
        a = row.activity
        status = t[row.status]
        if row.late:
            status += t["late_note"].format(late=t["late"])
        subs = ", ".join(_name(s, root) for s in row.submissions) or "-"
        rules = ",".join(row.rules) or "-"
        month = t["month_fmt"].format(m=a.month)
        body.append([str(a.seq), a.unit, month, a.theme, status, subs, rules])
    header = [t["seq"], t["unit"], t["month"], t["theme"], t["status"], t["subs"], t["rules"]]
    out.extend(_table(header, body, (4, 16, 5, 28, 14, 24, 24)))
    counts = [
        f"{t[s]} {sum(r.status == s for r in rows)}"
        for s in ("passing", "faulty", "overdue", "upcoming")
    ]
    counts.append(f"{t['late']} {sum(r.late for r in rows)}")
    out.extend(["", t["count_sep"].join(counts), ""])
    tally_header = [
        "",
        t["planned"],
        t["passing"],
        t["faulty"],
        t["overdue"],
        t["upcoming"],
        t["late"],
    ]
    widths = (18, 6, 6, 6, 8, 8, 6)
    out.append(t["by_unit"])
    out.extend(
        _table([t["unit"], *tally_header[1:]], _tally_rows(by_unit(rows), lang, False), widths)
    )
    out.append("")
    out.append(t["by_month"])
    out.extend(
        _table([t["month"], *tally_header[1:]], _tally_rows(by_month(rows), lang, True), widths)
    )
    if unmatched:
        out.extend(["", t["unattributed"].format(n=len(unmatched))])
        for r in unmatched:
            fact: dict[str, Any] = dict(r.facts.get("activity", {}))
            unit = fact.get("submitted_by") or t["unknown"]
            cands = "/".join(str(c.get("seq")) for c in fact.get("candidates", [])[:3]) or t["none"]
            status = t.get(f"match_{fact.get('status', 'unmatched')}", fact.get("status", ""))
            out.append(
                f"  {_name(str(r.path), root)}  {t['unit']}: {unit}  {status}  {t['candidates']}: {cands}"
            )
    if skipped:
        out.extend(["", t["skipped"].format(n=len(skipped))])
        for path, why in skipped:
            out.append(f"  {_name(str(path), root)}  {t.get(why, why)}")
    return "\n".join(out) + "\n"


def render_json(
    rows: Sequence[CoverageRow],
    results: Sequence[Result],
    unmatched: Sequence[Result],
    skipped: Sequence[tuple[Path, str]],
    *,
    as_of: dt.date,
) -> str:
    """The machine view (schema 1): the same tables as the console view."""
    from gkcheck.coverage import by_month, by_unit

    data = {
        "schema": 1,
        "gkcheck": __version__,
        "as_of": as_of.isoformat(),
        "checked": len(results),
        "activities": [r.to_json() for r in rows],
        "by_unit": [t.to_json() for t in by_unit(rows)],
        "by_month": [t.to_json() for t in by_month(rows)],
        "unattributed": [
            {"path": str(r.path), "ok": r.ok, "activity": r.facts.get("activity")}
            for r in unmatched
        ],
        "skipped": [{"path": str(p), "reason": why} for p, why in skipped],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    t = help_words(common)

    p = sub.add_parser(
        "schedule", parents=[common], help=t("cmd_schedule"), description=t("schedule_description")
    )
    p.add_argument("folder", type=Path, metavar="DIR", help=t("batch_dir"))
    p.add_argument("--as-of", type=iso_date, default=None, help=t("as_of"))
    p.add_argument("--format", choices=("text", "json"), default="text", help=t("rules_format"))
    p.add_argument("--no-ocr", action="store_true", help=t("no_ocr"))
    p.add_argument("--output", "-o", type=Path, default=None, help=t("schedule_output"))


_EXTRA_PARSERS.append(_add_parser)


@command("schedule")
def _schedule(args: argparse.Namespace) -> int:
    from gkcheck.api import engine_for
    from gkcheck.batch.discover import discover
    from gkcheck.coverage import build_coverage, unattributed
    from gkcheck.submission.resources import load_schedule

    folder: Path = args.folder
    if not folder.is_dir():
        text = say("not_a_folder", str(args.lang or args.ui_lang), path=folder)
        print(f"gkcheck: {text}", file=sys.stderr)
        return 2
    as_of: dt.date = args.as_of or dt.date.today()
    cfg = effective_config(args, folder)
    lang = str(args.lang or cfg.lang)
    engine = engine_for(cfg, lang=lang, plugins=not args.no_plugins)
    skipped: list[tuple[Path, str]] = []
    from gkcheck.waivers import waivers_for

    waivers = waivers_for(folder, args.waivers, is_root=True)
    results = [
        waivers.apply_ref(engine.check(ref.path), ref) for ref in discover(folder, skipped=skipped)
    ]
    schedule = load_schedule(cfg)
    rows = build_coverage(results, schedule=schedule, as_of=as_of)
    left = unattributed(results, schedule)
    if args.format == "json":
        text = render_json(rows, results, left, skipped, as_of=as_of)
    else:
        text = render_text(rows, results, left, skipped, root=folder, as_of=as_of, lang=lang)
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
