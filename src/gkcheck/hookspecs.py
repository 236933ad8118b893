"""Every hook gkcheck calls, in one place.

Built-in parsers, checks and writers register through these same hooks, so a third-party
plugin has exactly the power of the core. Call hooks with keyword arguments only; an
implementation may accept fewer arguments than the spec names (pluggy's opt-in arguments), so
specs can grow without breaking plugins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from gkcheck.config import Config
    from gkcheck.parsers.base import Parser
    from gkcheck.rules import Check
    from gkcheck.writers.base import Writer

__all__ = [
    "gkcheck_config_defaults",
    "gkcheck_register_checks",
    "gkcheck_register_parsers",
    "gkcheck_register_writers",
    "hookimpl",
    "hookspec",
]

PROJECT = "gkcheck"  #: the name of gkcheck's hooks and entry-point group
hookspec = pluggy.HookspecMarker(PROJECT)  #: marks a hook specification
hookimpl = pluggy.HookimplMarker(PROJECT)  #: decorator to mark gkcheck plugin hooks


@hookspec
def gkcheck_register_parsers(config: Config) -> Sequence[Parser]:
    """Return parsers for file formats.

    Called once when the registry is built. A parser added here is chosen by file suffix and
    by its ``sniff`` of the first bytes; a plugin parser for a suffix that a built-in parser
    also claims is tried first (plugins register after the built-ins, and pluggy calls the
    latest registration first).

    :param config: the effective configuration.
    :return: a list of objects meeting :class:`gkcheck.parsers.base.Parser`.
    """


@hookspec
def gkcheck_register_checks(config: Config) -> Sequence[Check]:
    """Return checks, each declaring the rules it may report.

    Called once when the registry is built. Rule IDs must be unique across all plugins and
    match ``^[A-Z]{2,4}[0-9]{3}$``; plugins use a prefix of their own (not ``GK``).

    :param config: the effective configuration (a check may read its own table from
        ``config.plugin(name)``).
    :return: a list of objects meeting :class:`gkcheck.rules.Check`.
    """


@hookspec
def gkcheck_register_writers() -> Sequence[Writer]:
    """Return output formats (``--format NAME``).

    :return: a list of objects meeting :class:`gkcheck.writers.base.Writer`.
    """


@hookspec
def gkcheck_config_defaults() -> Mapping[str, Mapping[str, object]]:
    """Return default values for a plugin's own table in ``gkcheck.toml``.

    The result maps a table name (the plugin's name) to its default keys; values from the
    user's file are laid over them and reach the plugin as ``config.plugin(name)``.

    :return: ``{"table-name": {"key": default, …}}``.
    """
