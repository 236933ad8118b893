"""``--format json``: the versioned contract (see :mod:`gkcheck.findings` and docs/json.md)."""

from __future__ import annotations

from collections.abc import Sequence

from gkcheck.findings import Result, results_to_json
from gkcheck.hookspecs import hookimpl
from gkcheck.writers.base import Writer

__all__ = ["JsonWriter"]


class JsonWriter:
    """One JSON object for all results."""

    name = "json"

    def write(self, results: Sequence[Result], *, lang: str, color: bool) -> str:
        """``{"schema": 2, "gkcheck": VERSION, "results": [...]}``."""
        return results_to_json(results) + "\n"


@hookimpl
def gkcheck_register_writers() -> list[Writer]:
    """Register the JSON writer."""
    return [JsonWriter()]
