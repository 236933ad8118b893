"""gkcheck-example: hook implementations only; the rule lives in :mod:`gkcheck_example.rules`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from gkcheck import Check, Config, hookimpl


@hookimpl
def gkcheck_register_checks(config: Config) -> Sequence[Check]:
    """Register EXA101 (imported here so that loading the plugin stays cheap)."""
    from gkcheck_example.rules import title_too_long

    return [title_too_long]


@hookimpl
def gkcheck_config_defaults() -> Mapping[str, Mapping[str, object]]:
    """Defaults of the ``[plugins.example]`` table."""
    return {"example": {"max-title": 40}}
