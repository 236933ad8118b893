"""The CI share of the fuzz suite: a fixed seed, every mutation kind, about a minute.

The long run is ``nice -n 10 python tools/fuzz.py --count 2000`` (by hand).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .harness import run_mutants
from .mutators import mutants

SEED = 20261202
COUNT = 36


def test_mutants_give_a_result_without_crash_hang_or_change(tmp_path: Path) -> None:
    todo = mutants(SEED, COUNT)
    summary = run_mutants(todo, tmp_path, timeout=60.0)
    assert len(summary.outcomes) == COUNT
    assert summary.failures == [], summary.table()
    kinds = Counter(o.mutant.mutation for o in summary.outcomes)
    assert len(kinds) >= 10  # the run covers docx, PDF and image mutations alike
    # the hostile XML (a DTD in UTF-16 or after padding) is refused, never read as a report
    for o in summary.outcomes:
        if o.mutant.mutation in ("doctype-padded", "doctype-utf16"):
            assert "GK000" in o.rules, o.mutant.name


def test_mutants_are_a_function_of_seed_and_index() -> None:
    a = mutants(7, 12)
    b = mutants(7, 12)
    assert [m.data for m in a] == [m.data for m in b]
    assert a[3].data != mutants(8, 12)[3].data or a[3].mutation != mutants(8, 12)[3].mutation
