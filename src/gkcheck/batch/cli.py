"""``gkcheck batch DIR --out OUT``: the office's one command for a folder of submissions.

Registered into :mod:`gkcheck.cli` through ``_EXTRA_PARSERS`` and ``command("batch")`` when
that module loads its extras. Exit status as ``check``: 1 when any submission has an
error-severity finding, 0 otherwise, 2 for usage, configuration or output-folder problems.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from gkcheck.cli import (
    _EXTRA_PARSERS,
    command,
    effective_config,
    help_words,
    iso_date,
    job_count,
    ui,
)
from gkcheck.ui import say

__all__ = ["add_parser", "run"]


def _seconds(text: str) -> float:
    try:
        n = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(ui("bad_number", value=repr(text))) from exc
    if not 0 < n <= 86400:
        raise argparse.ArgumentTypeError(ui("bad_between", low=0, high=86400))
    return n


def _megabytes(text: str) -> int:
    try:
        n = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(ui("bad_number", value=repr(text))) from exc
    if not 0 < n <= 1024 * 1024:
        raise argparse.ArgumentTypeError(ui("bad_between", low=0, high=1048576))
    return int(n * 1024 * 1024)


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """The ``batch`` sub-command's options."""
    t = help_words(common)

    p = sub.add_parser(
        "batch", parents=[common], help=t("cmd_batch"), description=t("batch_description")
    )
    p.add_argument("dir", type=Path, metavar="DIR", help=t("batch_dir"))
    p.add_argument("--out", type=Path, required=True, help=t("batch_out"))
    p.add_argument("--jobs", "-j", type=job_count, default=0, help=t("batch_jobs"))
    p.add_argument("--timeout", type=_seconds, default=None, help=t("batch_timeout"))
    p.add_argument("--no-ocr", action="store_true", help=t("no_ocr"))
    p.add_argument("--as-of", type=iso_date, default=None, help=t("batch_as_of"))
    p.add_argument("--force", action="store_true", help=t("batch_force"))
    p.add_argument(
        "--format", choices=("text", "json"), default="text", help=t("batch_format")
    )
    p.add_argument("--no-progress", action="store_true", help=t("batch_no_progress"))
    d = p.add_argument_group(t("batch_dask"))
    d.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        default=os.environ.get("GKCHECK_SCHEDULER") or None,
        help=t("batch_scheduler"),
    )
    d.add_argument("--shared-fs", action="store_true", help=t("batch_shared_fs"))
    d.add_argument(
        "--ship-limit", type=_megabytes, default=None, metavar="MB", help=t("batch_ship_limit")
    )


_EXTRA_PARSERS.append(add_parser)


@command("batch")
def run(args: argparse.Namespace) -> int:
    """Run the batch and print the console summary."""
    from gkcheck.batch.runner import BatchError, BatchOptions, run_batch

    root: Path = args.dir
    ui_lang = str(args.lang or args.ui_lang)
    if not root.is_dir():
        print(f"gkcheck: {say('not_a_folder', ui_lang, path=root)}", file=sys.stderr)
        return 2
    dask = None
    if args.scheduler:
        from gkcheck.batch.distributed import DEFAULT_SHIP_LIMIT, DaskOptions, dask_missing

        if (why := dask_missing()) is not None:
            print(f"gkcheck: {why.text(ui_lang)}", file=sys.stderr)
            return 2
        dask = DaskOptions(
            scheduler=args.scheduler,
            shared_fs=args.shared_fs,
            ship_limit=args.ship_limit or DEFAULT_SHIP_LIMIT,
        )
    cfg = effective_config(args, root)
    lang = str(args.lang or cfg.lang)
    opts = BatchOptions(
        root=root,
        out=args.out,
        config=cfg,
        lang=lang,
        jobs=args.jobs,
        timeout=args.timeout,
        plugins=not args.no_plugins,
        force=args.force,
        as_of=args.as_of,
        progress=False if args.no_progress else None,
        waivers=args.waivers,
        dask=dask,
    )
    try:
        report = run_batch(opts)
    except BatchError as exc:
        print(f"gkcheck: {exc.text(lang)}", file=sys.stderr)
        return 2
    except OSError as exc:  # the output folder failed while writing (full, removed, read-only)
        where = exc.filename or args.out
        text = say("cannot_write", lang, path=where, detail=exc.strerror or exc)
        print(f"gkcheck: {text}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(summary_text(report, lang))
    return 1 if report.errors else 0


def summary_text(report: object, lang: str) -> str:
    """The short console summary."""
    from gkcheck.batch.runner import BatchReport

    assert isinstance(report, BatchReport)
    r = report
    sep = say("list_sep", lang)
    top = sep.join(f"{k}×{v}" for k, v in list(r.by_rule.items())[:6])
    outs = [r.outputs[k] for k in ("html", "xlsx", "json") if k in r.outputs]
    counts = say(
        "batch_counts", lang, passed=r.passed, failed=r.failed, errors=r.errors, warnings=r.warnings
    )
    for n, key in ((r.timeouts, "batch_timeouts"), (r.crashes, "batch_crashes"), (r.waived, "batch_waived")):
        if n:
            counts += say(key, lang, n=n)
    lines = [
        say("batch_head", lang, total=r.total, checked=r.checked, reused=r.reused, seconds=f"{r.seconds:.1f}"),
        "  " + counts,
    ]
    if r.reworded:
        lines.append("  " + say("batch_reworded", lang, n=r.reworded))
    if top:
        lines.append("  " + say("batch_top", lang, top=top))
    lines.append("  " + say("batch_outputs", lang, outputs="  ".join(outs)))
    return "\n".join(lines) + "\n"
