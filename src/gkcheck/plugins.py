"""The plugin manager and the typed registry over it.

Writing a plugin
----------------
A plugin is a module with hook implementations, published under the ``gkcheck`` entry-point
group::

    # pyproject.toml of gkcheck-myrule
    [project.entry-points.gkcheck]
    myrule = "gkcheck_myrule"

    # gkcheck_myrule/__init__.py
    from gkcheck import hookimpl

    @hookimpl
    def gkcheck_register_checks(config):
        from gkcheck_myrule.rules import my_check
        return [my_check]

Built-in parsers, checks and writers are registered through the very same hooks
(:data:`BUILTIN_PLUGINS`), before external ones. ``GKCHECK_DISABLE_PLUGINS=a,b`` blocks
external plugins by entry-point name; ``GKCHECK_TRACE_PLUGINS=1`` logs every hook call.
A plugin that fails to load is one line on stderr naming it (zh/en), never a traceback.
"""

from __future__ import annotations

import difflib
import importlib
import logging
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, cast

import pluggy

from gkcheck import hookspecs
from gkcheck.catalogue import Msg
from gkcheck.config import Config
from gkcheck.errors import ConfigError, PluginError
from gkcheck.parsers.base import Parser
from gkcheck.rules import Check, Rule
from gkcheck.writers.base import FileWriter, Writer

__all__ = ["BUILTIN_PLUGINS", "Registry", "get_plugin_manager"]

log = logging.getLogger(__name__)

#: Built-in plugin modules, registered in this order before external plugins.
BUILTIN_PLUGINS: tuple[str, ...] = (
    "gkcheck.parsers.word",
    "gkcheck.parsers.legacy_word",
    "gkcheck.parsers.ofd",
    "gkcheck.parsers.pdf",
    "gkcheck.parsers.image",
    "gkcheck.checks.input",
    "gkcheck.checks.partial_read",
    "gkcheck.checks.report",
    "gkcheck.checks.keyword_placement",
    "gkcheck.checks.photos",
    "gkcheck.checks.banner",
    "gkcheck.checks.deadlines",
    "gkcheck.checks.summary_report",
    "gkcheck.checks.activity",
    "gkcheck.writers.text",
    "gkcheck.writers.json",
    "gkcheck.writers.sarif",
    "gkcheck.writers.junit",
    "gkcheck.writers.github",
    "gkcheck.writers.reports",
)


def get_plugin_manager(
    *, load_entrypoints: bool = True, blocked: Iterable[str] = ()
) -> pluggy.PluginManager:
    """A new plugin manager with gkcheck's hooks, its built-ins and the installed plugins."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for modname in BUILTIN_PLUGINS:
        try:
            module = importlib.import_module(modname)
        except ModuleNotFoundError as exc:
            if exc.name == modname:  # an optional built-in not shipped in this build
                continue
            raise
        pm.register(module, name=modname)
    env_blocked = [n for n in os.environ.get("GKCHECK_DISABLE_PLUGINS", "").split(",") if n]
    for name in (*blocked, *env_blocked):
        pm.set_blocked(name)
    if load_entrypoints:
        for ep in entry_points(group=hookspecs.PROJECT):
            if pm.is_blocked(ep.name) or pm.get_plugin(ep.name) is not None:
                continue
            dist = ep.dist
            who = f"{dist.name} {dist.version}" if dist is not None else ep.value
            try:
                plugin = ep.load()
                pm.register(plugin, name=ep.name)
            except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop a review
                _load_failed(ep.name, who, exc)
    pm.check_pending()
    if os.environ.get("GKCHECK_TRACE_PLUGINS"):
        pm.trace.root.setwriter(lambda msg: log.warning("%s", msg.rstrip()))
        pm.enable_tracing()
    return pm


def _load_failed(name: str, who: str, exc: BaseException) -> None:
    """One line naming the plugin, in the interface language, on stderr (and in the log)."""
    from gkcheck.ui import env_lang, say

    error = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    line = say("plugin_failed", env_lang(), name=name, who=who, error=error)
    log.debug("plugin %s failed to load", name, exc_info=exc)
    print(f"gkcheck: {line}", file=sys.stderr)


@dataclass
class Registry:
    """Everything the plugins provide, flattened, validated and typed."""

    pm: pluggy.PluginManager
    config: Config
    parsers: list[Parser] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    writers: dict[str, Writer | FileWriter] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    rule_plugin: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        config: Config,
        *,
        load_entrypoints: bool = True,
        pm: pluggy.PluginManager | None = None,
    ) -> Registry:
        """Ask every plugin for its parsers, checks and writers."""
        pm = pm or get_plugin_manager(load_entrypoints=load_entrypoints)
        reg = cls(pm, config)
        hook = cast(Any, pm.hook)
        for impl_result in hook.gkcheck_register_parsers(config=config):
            reg.parsers.extend(impl_result)
        # Checks run in registration order (built-ins as listed in BUILTIN_PLUGINS, then
        # plugins), so output order is stable; no check depends on another's results: what
        # several need is established once, before any runs (gkcheck.submission).
        for impl in hook.gkcheck_register_checks.get_hookimpls():
            plugin_name = pm.get_name(impl.plugin) or "?"
            for chk in impl.function(**_args(impl, config=config)):
                reg._add_check(cast(Check, chk), plugin_name)
        for impl_result in hook.gkcheck_register_writers():
            for writer in impl_result:
                reg.writers.setdefault(writer.name, writer)
        reg.validate_selection(config)
        return reg

    def validate_selection(self, config: Config) -> None:
        """Refuse rule codes that name no rule (``--select GK9ZZ`` would switch checking off).

        Selectors may be IDs, ID prefixes (``GK1``), names or ``ALL``; a typo is a
        :class:`~gkcheck.errors.ConfigError` with the closest known codes, as in ruff.
        """
        ids = sorted(self.rules)
        names = {r.name for r in self.rules.values()}
        where = str(config.source) if config.source else "command line"
        for key, selectors in (
            ("select", config.select),
            ("ignore", config.ignore),
            ("severity", tuple(config.severity)),
        ):
            for raw in selectors:
                s = raw.strip()
                if not s or s.upper() == "ALL" or s in names:
                    continue
                if key != "severity" and any(i.startswith(s.upper()) for i in ids):
                    continue
                if key == "severity" and s.upper() in self.rules:
                    continue
                close = difflib.get_close_matches(s.upper(), ids, n=3, cutoff=0.5)
                hint = Msg("cli", "err_did_you_mean", {"close": ", ".join(close)}) if close else ""
                raise ConfigError(f"rules.{key}", "err_unknown_rule", where, rule=repr(s), close=hint)

    def _add_check(self, chk: Check, plugin: str) -> None:
        for rule in chk.rules:
            if rule.id in self.rules and self.rules[rule.id] is not rule:
                raise PluginError(
                    msg="plugin_duplicate", rule=rule.id, first=self.rule_plugin[rule.id], plugin=plugin
                )
            if rule.id.startswith("GK") and not plugin.startswith("gkcheck."):
                raise PluginError(msg="plugin_gk_rule", plugin=plugin, rule=rule.id)
            self.rules[rule.id] = rule
            self.rule_plugin[rule.id] = plugin
        self.checks.append(chk)

    def parser_for(self, path: Path, head: bytes) -> tuple[Parser | None, Parser | None]:
        """The parser for ``path``: (by suffix, by content).

        Both are returned so the engine can tell "a .docx that is really a PDF" (parse by
        content) from "a .docx that is nothing we know" (GK000).
        """
        suffix = path.suffix.lower()
        by_suffix = next((p for p in self.parsers if suffix in p.suffixes), None)
        by_content = next((p for p in self.parsers if _sniff(p, head)), None)
        return by_suffix, by_content

    def sorted_rules(self) -> list[Rule]:
        """All rules, by ID."""
        return [self.rules[k] for k in sorted(self.rules)]

    def catalogue(self, lang: str) -> dict[str, Any]:
        """The rule catalogue as ``gkcheck rules --format json`` and the web service's
        ``/api/rules`` give it (schema 1): one place, so the two cannot drift apart."""
        return {
            "schema": 1,
            "rules": [
                {
                    "id": r.id,
                    "name": r.name,
                    "severity": str(r.severity),
                    "summary": r.describe(lang),
                    "clause": r.clause,
                    "plugin": self.rule_plugin.get(r.id, ""),
                    "off_by_default": r.off_by_default,
                }
                for r in self.sorted_rules()
            ],
        }


def _sniff(parser: Parser, head: bytes) -> bool:
    try:
        return bool(parser.sniff(head))
    except Exception:  # noqa: BLE001 - a sniffer must never break parser choice
        return False


def _args(impl: Any, **available: Any) -> dict[str, Any]:
    """Pass a hook implementation only the arguments it asks for (opt-in arguments)."""
    return {k: v for k, v in available.items() if k in impl.argnames}
