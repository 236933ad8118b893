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

from gkcheck.cli import _EXTRA_PARSERS, command, effective_config, iso_date

__all__ = ["add_parser", "run"]


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from exc
    if n < 0:
        raise argparse.ArgumentTypeError("must be 0 (one per core) or more")
    return n


def _seconds(text: str) -> float:
    try:
        n = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from exc
    if not 0 < n <= 86400:
        raise argparse.ArgumentTypeError("must be between 0 and 86400 seconds")
    return n


def _megabytes(text: str) -> int:
    try:
        n = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a number of megabytes: {text!r}") from exc
    if not 0 < n <= 1024 * 1024:
        raise argparse.ArgumentTypeError("must be between 0 and 1048576 MB")
    return int(n * 1024 * 1024)


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """The ``batch`` sub-command's options."""
    p = sub.add_parser(
        "batch",
        parents=[common],
        help="check a folder of submissions (folders, zips, loose reports) into --out",
        description=(
            "批量检查：DIR 下每个子文件夹、每个 zip 压缩包、每个单独的报道文件各为一份报送材料。"
            " Writes results.jsonl, results.json, summary.xlsx and report.html into --out."
        ),
    )
    p.add_argument("dir", type=Path, metavar="DIR", help="folder holding the submissions")
    p.add_argument("--out", type=Path, required=True, help="output folder (created if needed)")
    p.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=0,
        help="worker processes, each single-threaded (default: one per core)",
    )
    p.add_argument(
        "--timeout",
        type=_seconds,
        default=None,
        help="seconds per file (default: config batch.timeout)",
    )
    p.add_argument("--no-ocr", action="store_true", help="never run OCR")
    p.add_argument(
        "--as-of", type=iso_date, default=None, help="date for the coverage view (default: today)"
    )
    p.add_argument("--force", action="store_true", help="re-check every submission")
    p.add_argument(
        "--format", choices=("text", "json"), default="text", help="console summary format"
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    d = p.add_argument_group("on a Dask cluster (docs/distributed.md)")
    d.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        default=os.environ.get("GKCHECK_SCHEDULER") or None,
        help="run the checks on this Dask scheduler's workers (default: $GKCHECK_SCHEDULER)",
    )
    d.add_argument(
        "--shared-fs",
        action="store_true",
        help="workers see DIR and --out at the same paths: send paths, not the files",
    )
    d.add_argument(
        "--ship-limit",
        type=_megabytes,
        default=None,
        metavar="MB",
        help="largest submission sent to a worker (default: 256 MB); larger ones get a GK000",
    )


_EXTRA_PARSERS.append(add_parser)


@command("batch")
def run(args: argparse.Namespace) -> int:
    """Run the batch and print the console summary."""
    from gkcheck.batch.runner import BatchError, BatchOptions, run_batch

    root: Path = args.dir
    if not root.is_dir():
        print(f"gkcheck: not a folder: {root}", file=sys.stderr)
        return 2
    dask = None
    if args.scheduler:
        from gkcheck.batch.distributed import DEFAULT_SHIP_LIMIT, DaskOptions, dask_missing

        if (why := dask_missing()) is not None:
            print(f"gkcheck: {why}", file=sys.stderr)
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
        print(f"gkcheck: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # the output folder failed while writing (full, removed, read-only)
        where = exc.filename or args.out
        print(f"gkcheck: cannot write {where}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(summary_text(report, lang))
    return 1 if report.errors else 0


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def summary_text(report: object, lang: str) -> str:
    """The short console summary."""
    from gkcheck.batch.runner import BatchReport

    assert isinstance(report, BatchReport)
    r = report
    top = (
        "，".join(f"{k}×{v}" for k, v in list(r.by_rule.items())[:6])
        if lang != "en"
        else ", ".join(f"{k}×{v}" for k, v in list(r.by_rule.items())[:6])
    )
    outs = [r.outputs[k] for k in ("html", "xlsx", "json") if k in r.outputs]
    if lang == "en":
        lines = [
            f"gkcheck batch: {_n(r.total, 'submission')} ({r.checked} checked now, {r.reused} unchanged) in {r.seconds:.1f} s",
            f"  pass {r.passed}, fail {r.failed}; {_n(r.errors, 'error')}, {_n(r.warnings, 'warning')}"
            + (f"; {r.timeouts} timed out" if r.timeouts else "")
            + (f"; {r.crashes} crashed" if r.crashes else "")
            + (f"; {r.waived} waived" if r.waived else ""),
        ]
        if top:
            lines.append(f"  most frequent: {top}")
        lines.append("  outputs: " + "  ".join(outs))
    else:
        lines = [
            f"gkcheck 批量检查：共 {r.total} 份报送材料（本次检查 {r.checked} 份，沿用上次结果 {r.reused} 份），用时 {r.seconds:.1f} 秒",
            f"  通过 {r.passed} 份，未通过 {r.failed} 份；错误 {r.errors} 条，警告 {r.warnings} 条"
            + (f"；超时 {r.timeouts} 份" if r.timeouts else "")
            + (f"；检查进程崩溃 {r.crashes} 份" if r.crashes else "")
            + (f"；已豁免 {r.waived} 条" if r.waived else ""),
        ]
        if top:
            lines.append(f"  最常见的问题：{top}")
        lines.append("  输出：" + "  ".join(outs))
    return "\n".join(lines) + "\n"
