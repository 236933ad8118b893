"""The Python API: the same code path as the command line."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from gkcheck.config import Config, find_config, load_config
from gkcheck.engine import Engine
from gkcheck.findings import Result
from gkcheck.plugins import Registry
from gkcheck.safeio import input_root

__all__ = ["check", "check_many", "engine_for"]


_REGISTRIES: dict[tuple[str, bool], Registry] = {}


def _registry(config: Config, load_entrypoints: bool) -> Registry:
    """One registry per distinct config: building one imports and asks every plugin."""
    key = (config.fingerprint(), load_entrypoints)
    if key not in _REGISTRIES:
        if len(_REGISTRIES) > 16:
            _REGISTRIES.clear()
        _REGISTRIES[key] = Registry.build(config, load_entrypoints=load_entrypoints)
    return _REGISTRIES[key]


def engine_for(config: Config, *, lang: str | None = None, plugins: bool = True) -> Engine:
    """An engine for ``config`` (registries are cached per config)."""
    return Engine(config, _registry(config, plugins), lang=lang)


def _config_for(path: Path, config: Config | str | Path | None) -> Config:
    if isinstance(config, Config):
        return config
    if config is not None:
        return load_config(config)
    found = find_config(path)
    return load_config(found)


def check(
    path: str | Path,
    *,
    config: Config | str | Path | None = None,
    lang: str = "zh",
    timeout: float | None = None,
) -> Result:
    """Check one news report file, or a folder taken as one unit's submission.

    :param path: a ``.docx``/``.pdf``/image file, or a folder.
    :param config: a :class:`~gkcheck.config.Config`, a path to ``gkcheck.toml``, or ``None``
        to use the nearest ``gkcheck.toml`` above ``path`` (or the notice's defaults).
    :param lang: ``"zh"`` or ``"en"`` for messages.
    :param timeout: seconds the whole check may take. ``None`` (the default) checks in this
        process, bounded only by the parsers' own limits (bytes read, a PDF page's content
        size, 90 s of PDF reading checked between pages); a number checks in a child process
        that is killed at the deadline, giving a GK000 "timeout" finding (costs a process
        start per call; see :mod:`gkcheck.isolation`).
    :return: the :class:`~gkcheck.findings.Result`; ``result.ok`` is false exactly when an
        error-severity finding is present. Never raises for a bad input file (that is a
        ``GK000``/``GK001`` finding); raises :class:`~gkcheck.errors.ConfigError` for a bad
        config.
    """
    p = Path(path)
    cfg = _config_for(p, config)
    if timeout is not None:
        from gkcheck.isolation import check_isolated

        return check_isolated(p, cfg, lang, float(timeout))
    with input_root(p if p.is_dir() else p.parent):  # links may not lead out of the input
        return engine_for(cfg, lang=lang).check(p)


def check_many(
    paths: Iterable[str | Path],
    *,
    config: Config | str | Path | None = None,
    lang: str = "zh",
) -> Iterator[Result]:
    """Check several inputs with one config, yielding results as they are ready."""
    cfg: Config | None = config if isinstance(config, Config) else None
    for path in paths:
        p = Path(path)
        yield engine_for(cfg or _config_for(p, config), lang=lang).check(p)
