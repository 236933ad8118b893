"""``gkcheck waive SUBMISSION RULE --reason … --reviewer …``: record a reviewer's decision.

Registered into :mod:`gkcheck.cli` like the other extra commands. The decision is appended to
the waivers file (see :mod:`gkcheck.waivers`) with the fingerprint of the submission's files as
they are now, so it lapses by itself when the unit sends changed files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from gkcheck.cli import _EXTRA_PARSERS, command, effective_config
from gkcheck.errors import GkcheckError

__all__ = ["add_parser", "run"]


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """The ``waive`` sub-command's options."""
    p = sub.add_parser(
        "waive",
        parents=[common],
        help="豁免：记录审核人对某份材料某条规则的人工认可 / record a reviewer's waiver",
        description=(
            "把“这份材料的这条规则已人工核对、予以认可”记入豁免文件（默认为批量文件夹中的 "
            "waivers.toml）。豁免绑定材料当前文件的指纹：材料改动后豁免自动失效。"
        ),
    )
    p.add_argument(
        "submission", type=Path, metavar="SUBMISSION", help="报送材料（文件夹、zip 或文件）"
    )
    p.add_argument("rule", metavar="RULE", help="规则编号或名称，如 GK202")
    p.add_argument("--reason", required=True, help="豁免理由")
    p.add_argument("--reviewer", required=True, help="审核人")
    p.add_argument(
        "--date", type=dt.date.fromisoformat, default=None, help="豁免日期 YYYY-MM-DD（默认今天）"
    )


_EXTRA_PARSERS.append(add_parser)


@command("waive")
def run(args: argparse.Namespace) -> int:
    """Append the waiver and say where it went."""
    from gkcheck.api import engine_for
    from gkcheck.batch.discover import content_hash
    from gkcheck.waivers import Waiver, Waivers, locate, ref_for

    path: Path = args.submission
    zh = (args.lang or "zh") != "en"
    if not path.exists():
        print(f"gkcheck: {'找不到' if zh else 'no such file or folder'}: {path}", file=sys.stderr)
        return 2
    file, root = locate(path, args.waivers)
    cfg = effective_config(args, root)
    registry = engine_for(cfg, plugins=not args.no_plugins).registry
    wanted = args.rule.strip()
    rule = next(
        (r for r in registry.rules.values() if r.id == wanted.upper() or r.name == wanted), None
    )
    if rule is None:
        raise GkcheckError(("没有规则 " if zh else "no rule ") + wanted)
    if not args.reason.strip() or not args.reviewer.strip():
        raise GkcheckError("--reason/--reviewer 不能为空" if zh else "--reason/--reviewer is empty")
    ref = ref_for(path, root)
    waiver = Waiver(
        submission=ref.key,
        rule=rule.id,
        hash=content_hash(ref),
        reviewer=args.reviewer.strip(),
        reason=args.reason.strip(),
        date=(args.date or dt.date.today()).isoformat(),
    )
    Waivers.load(file, root=root).add(waiver)
    if zh:
        print(
            f"已豁免：{ref.key} 的 {rule.id}（{waiver.reviewer}，{waiver.date}），记入 {file}；"
            "材料文件改动后此豁免自动失效。"
        )
    else:
        print(
            f"waived {rule.id} on {ref.key} ({waiver.reviewer}, {waiver.date}) in {file}; "
            "it lapses when the submission's files change."
        )
    return 0
