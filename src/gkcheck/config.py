"""Configuration: ``gkcheck.toml`` → :class:`Config`. Defaults come from the notice.

File layout (every key optional)::

    keyword = "政务公开主题日"
    year = 2023
    lang = "zh"                       # or "en"
    units = ["区教育局", …]           # replaces the notice's list
    extra-units = ["区某某局"]        # added to it
    schedule = "schedule.csv"         # another year's or district's schedule

    [unit-aliases]
    "区教育局" = ["教育局党组"]

    [rules]
    select = ["GK1", "GK2"]           # IDs, prefixes or names
    ignore = ["GK103"]
    [rules.severity]
    GK303 = "error"

    [logo]
    templates = ["logo.png"]          # relative to this file
    threshold = 0.55

    [ocr]
    enabled = true
    max-side = 2000

    [photos]
    min-side = 120

    [banner]
    read = "submissions"              # read banners in photos of: "submissions" (folders,
                                      # batches), "always" (single reports too), "never"

    [batch]
    timeout = 120                     # seconds per file

    [plugins.NAME]                    # a plugin's own table
    key = "value"

A ``[tool.gkcheck]`` table in ``pyproject.toml`` is read the same way. Precedence: command
line > file > defaults. A wrong key or value raises :class:`~gkcheck.errors.ConfigError` naming
the key and the file.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gkcheck.errors import ConfigError
from gkcheck.package_data import package_file
from gkcheck.units import DEFAULT_UNITS, Unit, UnitDirectory

__all__ = ["CONFIG_NAMES", "Config", "discover_config", "find_config", "load_config"]

CONFIG_NAMES = ("gkcheck.toml", ".gkcheck.toml")

#: Names of other campaigns, and wordings people (and templates from other cities) use, that a
#: reviewer must not accept for the keyword -- in a report and on a banner alike (one list:
#: ``near-misses`` in gkcheck.toml replaces it for both).
DEFAULT_NEAR_MISSES: tuple[str, ...] = (
    "政务公开日",
    "政府开放日",
    "政务开放日",
    "政府公开日",
    "政务公开主题月",
    "政务公开主题周",
    "政务公开主题活动",
    "政务公开主题活动日",
    "政务公开主题宣传日",
    "政务宣传日",
    "政务公开活动日",
    "政务公开宣传日",
    "政务公开开放日",
    "政务公开专题日",
    "政务公开周",
    "政务公开月",
    "政府信息公开日",
    "政府开放主题日",
    "政府开放月",
    "公众开放日",
    "政务服务主题日",
)

_SEVERITIES = ("error", "warning", "info")


def _default_logo_templates() -> tuple[Path, ...]:
    return (package_file("data", "logo", "sample-logo.png"),)


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    """Effective settings. Immutable: derive variants with :meth:`replace`."""

    keyword: str = "政务公开主题日"
    year: int = 2023
    lang: str = "zh"
    units: tuple[Unit, ...] = tuple(Unit(n, a) for n, a in DEFAULT_UNITS)
    near_misses: tuple[str, ...] = DEFAULT_NEAR_MISSES
    schedule: Path | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)
    #: ``{glob: (selectors…)}``: rules not reported for files whose path matches the glob
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    logo_templates: tuple[Path, ...] = field(default_factory=_default_logo_templates)
    logo_threshold: float | None = None
    ocr: bool = True
    ocr_max_side: int = 2000
    photo_min_side: int = 120
    banner_read: str = "submissions"
    timeout: float = 120.0
    plugins: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    as_of: dt.date | None = None  # review date of a schedule review (``--as-of``)
    source: Path | None = None  # the file this came from, if any

    def __post_init__(self) -> None:
        """Validate exactly as a gkcheck.toml is validated: a typo is an error, not a no-op."""
        src = str(self.source) if self.source else "Config()"
        if not isinstance(self.keyword, str) or not self.keyword.strip():
            raise ConfigError("keyword", "err_non_empty", src)
        if isinstance(self.year, bool) or not isinstance(self.year, int) or not 2000 <= self.year <= 2100:
            raise ConfigError("year", "err_year", src, year=2023)
        if self.lang not in ("zh", "en"):
            raise ConfigError("lang", "err_lang", src)
        for key in ("select", "ignore"):
            value = getattr(self, key)
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"rules.{key}", "err_strings", src)
            object.__setattr__(self, key, tuple(value))
        for rule, level in self.severity.items():
            if level not in _SEVERITIES:
                raise ConfigError(f"rules.severity.{rule}", "err_severity", src)
        if self.banner_read not in ("submissions", "always", "never"):
            raise ConfigError("banner.read", "err_choice", src, choices='"submissions", "always", "never"')
        if self.logo_threshold is not None and not 0.0 <= self.logo_threshold <= 1.0:
            raise ConfigError("logo.threshold", "err_between", src, low=0, high=1)
        if self.as_of is not None and not isinstance(self.as_of, dt.date):
            raise ConfigError("as-of", "err_date", src)

    def replace(self, **changes: Any) -> Config:
        """A copy with ``changes`` applied (command-line overrides)."""
        return replace(self, **changes)

    def unit_directory(self) -> UnitDirectory:
        """The units, for name resolution."""
        return UnitDirectory(self.units)

    def plugin(self, name: str) -> Mapping[str, Any]:
        """A plugin's own table (defaults from its ``gkcheck_config_defaults`` hook)."""
        return self.plugins.get(name, {})

    def message_context(self) -> dict[str, Any]:
        """What every finding's message may use from the configuration: keyword and year."""
        return {"keyword": self.keyword, "year": self.year}

    def fingerprint(self) -> str:
        """A stable text of every setting, so batch re-runs know when config changed."""
        parts = [
            self.keyword,
            str(self.year),
            ",".join(u.name + "=" + "|".join(u.aliases) for u in self.units),
            ",".join(self.near_misses),
            str(self.schedule),
            ",".join(self.select),
            ",".join(self.ignore),
            repr(sorted(self.severity.items())),
            repr(sorted(self.per_file_ignores.items())),
            ",".join(str(p) for p in self.logo_templates),
            repr(self.logo_threshold),
            repr((self.ocr, self.ocr_max_side, self.photo_min_side, self.banner_read)),
            repr(sorted((k, sorted(v.items())) for k, v in self.plugins.items())),
            repr(self.as_of),
        ]
        return "\n".join(parts)


def find_config(start: Path) -> Path | None:
    """The nearest ``gkcheck.toml`` (or pyproject with ``[tool.gkcheck]``) at or above start."""
    here = start if start.is_dir() else start.parent
    for folder in (here.resolve(), *here.resolve().parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if "gkcheck" in data.get("tool", {}):
                return pyproject
    return None


def discover_config(batch_root: Path | None = None, *, cwd: Path | None = None) -> Path | None:
    """The configuration a review uses when ``--config`` is not given.

    The reviewer's configuration, never the reviewed party's: the nearest file at or above
    the batch root (the folder that holds the submissions), else at or above the current
    directory. A file inside a submission (folder or zip) is never read — a unit must not be
    able to switch off the rules it is reviewed by.
    """
    for start in (batch_root, cwd or Path.cwd()):
        if start is not None:
            found = find_config(start if start.is_dir() else start.parent)
            if found is not None:
                return found
    return None


def load_config(
    path: str | Path | None = None,
    *,
    defaults: Mapping[str, Mapping[str, Any]] | None = None,
) -> Config:
    """Read a config file; ``None`` gives the notice's defaults.

    :param defaults: plugin tables' defaults (from ``gkcheck_config_defaults``).
    """
    base = Config(plugins={k: dict(v) for k, v in (defaults or {}).items()})
    if path is None:
        return base
    file = Path(path)
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError("(file)", "err_read", str(file), detail=exc.strerror) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError("(file)", "err_utf8", str(file)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("(file)", "err_toml", str(file), detail=str(exc)) from exc
    if file.name == "pyproject.toml":
        raw = raw.get("tool", {}).get("gkcheck", {})
    return _apply(base, raw, file)


_TOP_KEYS = {
    "keyword",
    "year",
    "lang",
    "units",
    "extra-units",
    "unit-aliases",
    "near-misses",
    "schedule",
    "rules",
    "logo",
    "ocr",
    "photos",
    "banner",
    "batch",
    "plugins",
}


def _apply(base: Config, raw: Mapping[str, Any], file: Path) -> Config:
    src = str(file)
    unknown = sorted(set(raw) - _TOP_KEYS)
    if unknown:
        raise ConfigError(unknown[0], "err_unknown_key", src)
    changes: dict[str, Any] = {"source": file}
    if "keyword" in raw:
        changes["keyword"] = _text(raw, "keyword", src)
    if "year" in raw:
        year = raw["year"]
        if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
            raise ConfigError("year", "err_year", src, year=2023)
        changes["year"] = year
    if "lang" in raw:
        lang = _text(raw, "lang", src)
        if lang not in ("zh", "en"):
            raise ConfigError("lang", "err_lang", src)
        changes["lang"] = lang
    aliases_raw = _table(raw, "unit-aliases", src)
    aliases: dict[str, tuple[str, ...]] = {}
    for name, values in aliases_raw.items():
        aliases[name] = _text_list(values, f"unit-aliases.{name}", src)
    if "units" in raw:
        names = _text_list(raw["units"], "units", src)
    else:
        names = tuple(u.name for u in base.units)
    names = names + _text_list(raw.get("extra-units", []), "extra-units", src)
    known = {u.name: u.aliases for u in base.units}
    changes["units"] = tuple(
        Unit(n, tuple(dict.fromkeys((*known.get(n, ()), *aliases.get(n, ())))))
        for n in dict.fromkeys(names)
    )
    if "near-misses" in raw:
        changes["near_misses"] = _text_list(raw["near-misses"], "near-misses", src)
    if "schedule" in raw:
        changes["schedule"] = _path(file, _text(raw, "schedule", src), "schedule", src)
    rules = _table(raw, "rules", src)
    _only(rules, {"select", "ignore", "severity", "per-file-ignores"}, "rules", src)
    per_file = _table(rules, "per-file-ignores", src, prefix="rules.")
    if per_file:
        changes["per_file_ignores"] = {
            str(glob): _text_list(sel, f"rules.per-file-ignores.{glob}", src)
            for glob, sel in per_file.items()
        }
    if "select" in rules:
        changes["select"] = _text_list(rules["select"], "rules.select", src)
    if "ignore" in rules:
        changes["ignore"] = _text_list(rules["ignore"], "rules.ignore", src)
    severity = _table(rules, "severity", src, prefix="rules.")
    for rule, level in severity.items():
        if level not in _SEVERITIES:
            raise ConfigError(f"rules.severity.{rule}", "err_severity", src)
    changes["severity"] = dict(severity)
    logo = _table(raw, "logo", src)
    _only(logo, {"templates", "threshold"}, "logo", src)
    if "templates" in logo:
        changes["logo_templates"] = tuple(
            _path(file, t, "logo.templates", src)
            for t in _text_list(logo["templates"], "logo.templates", src)
        )
    if "threshold" in logo:
        changes["logo_threshold"] = _number(logo, "threshold", "logo.", src, 0.0, 1.0)
    ocr = _table(raw, "ocr", src)
    _only(ocr, {"enabled", "max-side"}, "ocr", src)
    if "enabled" in ocr:
        if not isinstance(ocr["enabled"], bool):
            raise ConfigError("ocr.enabled", "err_bool", src)
        changes["ocr"] = ocr["enabled"]
    if "max-side" in ocr:
        changes["ocr_max_side"] = int(_number(ocr, "max-side", "ocr.", src, 320, 8000))
    photos = _table(raw, "photos", src)
    _only(photos, {"min-side"}, "photos", src)
    if "min-side" in photos:
        changes["photo_min_side"] = int(_number(photos, "min-side", "photos.", src, 8, 4000))
    banner = _table(raw, "banner", src)
    _only(banner, {"read"}, "banner", src)
    if "read" in banner:
        if banner["read"] not in ("submissions", "always", "never"):
            raise ConfigError("banner.read", "err_choice", src, choices='"submissions", "always", "never"')
        changes["banner_read"] = banner["read"]
    batch = _table(raw, "batch", src)
    _only(batch, {"timeout"}, "batch", src)
    if "timeout" in batch:
        changes["timeout"] = _number(batch, "timeout", "batch.", src, 1, 86400)
    plugins = {k: dict(v) for k, v in base.plugins.items()}
    for name, table in _table(raw, "plugins", src).items():
        if not isinstance(table, Mapping):
            raise ConfigError(f"plugins.{name}", "err_table", src)
        plugins.setdefault(name, {}).update(table)
    changes["plugins"] = plugins
    return base.replace(**changes)


def _text(raw: Mapping[str, Any], key: str, src: str) -> str:
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(key, "err_non_empty", src)
    return value.strip()


def _text_list(value: Any, key: str, src: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(key, "err_strings", src)
    return tuple(v.strip() for v in value)


def _table(raw: Mapping[str, Any], key: str, src: str, prefix: str = "") -> Mapping[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, Mapping):
        raise ConfigError(prefix + key, "err_table", src)
    return value


def _only(table: Mapping[str, Any], allowed: set[str], name: str, src: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(f"{name}.{unknown[0]}", "err_unknown_key", src)


def _number(
    table: Mapping[str, Any], key: str, prefix: str, src: str, low: float, high: float
) -> float:
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(prefix + key, "err_number", src)
    if not low <= value <= high:
        raise ConfigError(prefix + key, "err_between", src, low=f"{low:g}", high=f"{high:g}")
    return float(value)


def _path(file: Path, value: str, key: str, src: str) -> Path:
    path = (file.parent / value).resolve()
    if not path.is_file():
        raise ConfigError(key, "err_no_file", src, path=str(path))
    return path
