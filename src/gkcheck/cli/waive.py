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

from gkcheck.cli import _EXTRA_PARSERS, command, effective_config, help_words, iso_date
from gkcheck.errors import GkcheckError
from gkcheck.ui import say

__all__ = ["add_parser", "run"]


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """The ``waive`` sub-command's options."""
    t = help_words(common)

    p = sub.add_parser("waive", parents=[common], help=t("cmd_waive"), description=t("waive_description"))
    p.add_argument("submission", type=Path, metavar="SUBMISSION", help=t("waive_submission"))
    p.add_argument("rule", metavar="RULE", help=t("rule"))
    p.add_argument("--reason", required=True, help=t("waive_reason"))
    p.add_argument("--reviewer", required=True, help=t("waive_reviewer"))
    p.add_argument("--date", type=iso_date, default=None, help=t("waive_date"))


_EXTRA_PARSERS.append(add_parser)


@command("waive")
def run(args: argparse.Namespace) -> int:
    """Append the waiver and say where it went."""
    from gkcheck.api import engine_for
    from gkcheck.batch.discover import content_hash
    from gkcheck.waivers import Waiver, Waivers, locate, ref_for

    path: Path = args.submission
    lang = str(args.lang or args.ui_lang)
    if not path.exists():
        print(f"gkcheck: {say('no_such_path', lang, path=path)}", file=sys.stderr)
        return 2
    file, root = locate(path, args.waivers)
    cfg = effective_config(args, root)
    registry = engine_for(cfg, plugins=not args.no_plugins).registry
    wanted = args.rule.strip()
    rule = next(
        (r for r in registry.rules.values() if r.id == wanted.upper() or r.name == wanted), None
    )
    if rule is None:
        raise GkcheckError(msg="no_rule", rule=wanted)
    if not args.reason.strip() or not args.reviewer.strip():
        raise GkcheckError(msg="waive_empty")
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
    print(
        say(
            "waive_done",
            lang,
            submission=ref.key,
            rule=rule.id,
            reviewer=waiver.reviewer,
            date=waiver.date,
            file=file,
        )
    )
    return 0
