"""What establishing a submission needs, loaded once per configuration and shared by threads.

The schedule, the activity matcher, the unit directory, the banner grammar and the LOGO
detector are each expensive to build and must be *the same* for every entry point: the
schedule was once loaded twice with different year rules (``schedule`` and ``batch``
disagreed on which activities were overdue). Here there is one loader and one year rule —
the schedule's year is ``config.year`` — and one cache, guarded by a lock so that a web
server's threads build each resource once and never see a half-built one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gkcheck.errors import ConfigError

if TYPE_CHECKING:
    from gkcheck.banner import BannerGrammar
    from gkcheck.config import Config
    from gkcheck.matching import Matcher
    from gkcheck.schedule import Schedule
    from gkcheck.units import UnitDirectory

__all__ = ["Resources", "load_schedule"]

_LOCK = threading.RLock()
_BY_CONFIG: dict[str, Resources] = {}


def load_schedule(config: Config) -> Schedule:
    """The schedule ``config`` names (the packaged plan by default), for ``config.year``.

    A schedule file that cannot be trusted is the configuration's fault: a
    :class:`~gkcheck.errors.ConfigError`, never a crash inside a check.
    """
    return Resources.for_config(config).schedule


@dataclass
class Resources:
    """Loaded-once helpers for one configuration; attributes are built on first use."""

    config: Config
    _made: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def for_config(cls, config: Config) -> Resources:
        """The shared resources of ``config`` (one object per distinct configuration)."""
        key = config.fingerprint()
        with _LOCK:
            found = _BY_CONFIG.get(key)
            if found is None:
                if len(_BY_CONFIG) > 16:
                    _BY_CONFIG.clear()
                found = _BY_CONFIG[key] = cls(config)
            return found

    def _once(self, name: str, build: Any) -> Any:
        made = self._made.get(name)
        if made is None:
            with _LOCK:
                made = self._made.get(name)
                if made is None:
                    made = self._made[name] = build()
        return made

    @property
    def directory(self) -> UnitDirectory:
        """The responsible units and their spellings."""
        return self._once("directory", self.config.unit_directory)  # type: ignore[no-any-return]

    @property
    def schedule(self) -> Schedule:
        """Attachment 1 (or the configured table) for ``config.year``."""

        # imported here: ``gkcheck logo`` reads the LOGO detector from these resources and
        # never the schedule (its CSV reader and tables, ~2.4 ms of every one-photo process)
        from gkcheck.schedule import Schedule, ScheduleError

        def build() -> Schedule:
            try:
                return Schedule.load(
                    self.config.schedule, year=self.config.year, directory=self.directory
                )
            except (ScheduleError, OSError) as exc:
                source = str(self.config.source or self.config.schedule or "gkcheck.toml")
                raise ConfigError("schedule", "err_schedule", source, detail=str(exc)) from exc

        return self._once("schedule", build)  # type: ignore[no-any-return]

    @property
    def matcher(self) -> Matcher:
        """Matches a submission to its planned activity (loads jieba's words on first use)."""
        from gkcheck.matching import Matcher

        return self._once("matcher", lambda: Matcher(self.schedule, self.directory))  # type: ignore[no-any-return]

    @property
    def grammar(self) -> BannerGrammar:
        """The two approved banner forms for this year, keyword and units."""
        from gkcheck.banner import BannerGrammar

        cfg = self.config
        return self._once(  # type: ignore[no-any-return]
            "grammar",
            lambda: BannerGrammar(
                year=cfg.year,
                keyword=cfg.keyword,
                units=self.directory,
                near_misses=cfg.near_misses,
            ),
        )

    @property
    def logo_demo(self) -> bool:
        """Whether a configured LOGO template is the shipped demo mark (known by content)."""

        def build() -> bool:
            from gkcheck.vision.logo import is_demo_template

            return any(is_demo_template(p) for p in self.config.logo_templates)

        return self._once("logo_demo", build)  # type: ignore[no-any-return]

    @property
    def logo_detector(self) -> Any:
        """The LOGO detector for the configured templates and threshold."""

        def build() -> Any:
            from gkcheck.vision.logo import LogoDetector, LogoTemplate
            from gkcheck.vision.logo.clutter_store import ClutterStore
            from gkcheck.vision.logo.template_store import TemplateStore

            cfg = self.config
            # each template prepared (mask, keypoints) and its clutter score are kept in the
            # user's cache directory: a process per photo (a CMS hook) otherwise works them
            # out again, ~0.15 s of its ~0.6 s (docs/vision/logo.md)
            store = TemplateStore.default()
            load = LogoTemplate.load if store is None else store.load
            templates = [load(p, name=Path(p).name) for p in cfg.logo_templates]
            kwargs: dict[str, Any] = {"clutter_store": ClutterStore.default()}
            if cfg.logo_threshold is not None:
                kwargs["threshold"] = cfg.logo_threshold
            return LogoDetector(templates, **kwargs)

        return self._once("logo", build)
