"""Run mutants through ``gkcheck.check`` and say what went wrong, if anything.

Each mutant is checked in a child process with a deadline (:mod:`gkcheck.isolation`), so a
hang is reported as a hang instead of stopping the run. A mutant fails when the check
escaped with an exception (a crash), overran the deadline, produced no
:class:`~gkcheck.findings.Result`, let a check crash (GK002), or changed the input file.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from gkcheck.config import Config
from gkcheck.findings import Result
from gkcheck.isolation import check_isolated

from .mutators import Mutant

__all__ = ["Outcome", "Summary", "run_mutants"]


@dataclass
class Outcome:
    mutant: Mutant
    problem: str | None
    rules: tuple[str, ...]
    seconds: float


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.problem]

    def table(self) -> str:
        by_rule = Counter(r for o in self.outcomes for r in set(o.rules))
        slow = max((o.seconds for o in self.outcomes), default=0.0)
        lines = [
            (
                f"mutants {len(self.outcomes)}, failures {len(self.failures)}, "
                f"slowest {slow:.1f} s, total {sum(o.seconds for o in self.outcomes):.0f} s"
            ),
            "rules found: " + ", ".join(f"{k}×{v}" for k, v in sorted(by_rule.items())),
            "mutations: " + ", ".join(
                f"{k}×{v}" for k, v in sorted(Counter(o.mutant.mutation for o in self.outcomes).items())
            ),
        ]
        lines += [f"FAIL {o.mutant.name} (from {o.mutant.source}): {o.problem}" for o in self.failures]
        return "\n".join(lines)


def _problem(result: object, before: str, after: str) -> str | None:
    if not isinstance(result, Result):
        return f"no Result ({type(result).__name__})"
    if before != after:
        return "the input file changed"
    for f in result.findings:
        reason = f.evidence.get("reason")
        if f.rule == "GK002":
            return f"a check crashed: {f.message}"
        if f.rule == "GK000" and reason in ("crash", "timeout"):
            return f"{reason}: {f.message}"
    return None


def run_mutants(
    mutants: list[Mutant], folder: Path, *, timeout: float = 60.0, log: TextIO | None = None
) -> Summary:
    """Check every mutant (written into ``folder``) and collect outcomes.

    ``log`` gets one line per mutant as it is done, so a long run shows its progress.
    """
    from gkcheck.api import engine_for
    from gkcheck.batch.worker import warm_up

    cfg = Config(ocr=False)
    warm_up(engine_for(cfg, lang="en"))  # forked children share word lists and the registry
    summary = Summary()
    for m in mutants:
        path = folder / m.name
        path.write_bytes(m.data)
        before = hashlib.sha256(m.data).hexdigest()
        t0 = time.monotonic()
        result = check_isolated(path, cfg, "en", timeout)
        seconds = time.monotonic() - t0
        after = hashlib.sha256(path.read_bytes()).hexdigest()
        rules = tuple(f.rule for f in result.findings)
        outcome = Outcome(m, _problem(result, before, after), rules, seconds)
        summary.outcomes.append(outcome)
        if log is not None:
            log.write(
                f"{m.index}\t{m.mutation}\t{seconds:.2f}\t{','.join(rules)}\t{outcome.problem or 'ok'}\n"
            )
            log.flush()
        path.unlink()
    return summary
