"""The Python API: the same code path as the command line."""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from gkcheck.config import Config, discover_config, load_config
from gkcheck.engine import Engine
from gkcheck.findings import Result
from gkcheck.plugins import Registry
from gkcheck.waivers import Waivers, waivers_for

__all__ = ["check", "check_many", "engine_for"]


_REGISTRIES: dict[tuple[str, bool], Registry] = {}
_LOCK = threading.Lock()


def _registry(config: Config, load_entrypoints: bool) -> Registry:
    """One registry per distinct config: building one imports and asks every plugin.

    Built under a lock: a web server's threads call :func:`check` at once, and plugin
    modules must be imported and registered once, not raced.
    """
    key = (config.fingerprint(), load_entrypoints)
    with _LOCK:
        if key not in _REGISTRIES:
            if len(_REGISTRIES) > 16:
                _REGISTRIES.clear()
            _REGISTRIES[key] = Registry.build(config, load_entrypoints=load_entrypoints)
        return _REGISTRIES[key]


def engine_for(config: Config, *, lang: str | None = None, plugins: bool = True) -> Engine:
    """An engine for ``config`` (registries are cached per config)."""
    return Engine(config, _registry(config, plugins), lang=lang)


def _config_for(config: Config | str | Path | None) -> Config:
    if isinstance(config, Config):
        return config
    if config is not None:
        return load_config(config)
    return load_config(discover_config())


def check(
    path: str | Path | bytes | BinaryIO,
    *,
    config: Config | str | Path | None = None,
    lang: str = "zh",
    timeout: float | None = None,
    name: str | None = None,
    waivers: Waivers | str | Path | None = None,
) -> Result:
    """Check one news report file, or a folder or zip taken as one unit's submission.

    Safe to call from several threads at once (a web server does): registries, models and
    caches are built once under locks, and each call works on its own objects.

    :param path: a ``.docx``/``.pdf``/image file, a folder or a ``.zip``; or the file's content
        as ``bytes`` or a binary file object (an upload held in memory), checked from a private
        temporary folder that is removed before this returns.
    :param name: for content: the file's name as the user knows it (``"新闻稿.docx"``). Its
        suffix picks the parser, and the result speaks of this name, never of a temporary
        path; without it the name is ``"upload"`` and only the content picks the parser.
    :param config: a :class:`~gkcheck.config.Config`, a path to ``gkcheck.toml``, or ``None``
        to use the nearest ``gkcheck.toml`` at or above the current directory (or the
        notice's defaults). A configuration inside the submission is never read.
    :param lang: ``"zh"`` or ``"en"`` for messages.
    :param timeout: seconds the whole check may take. ``None`` (the default) checks in this
        process, bounded only by the parsers' own limits (bytes read, a PDF page's content
        size, 90 s of PDF reading checked between pages); a number checks in a child process
        that is killed at the deadline, giving a GK000 "timeout" finding (costs a process
        start per call; see :mod:`gkcheck.isolation`).
    :param waivers: a :class:`~gkcheck.waivers.Waivers` or the path of a waivers file; a
        waived finding stays in the result, marked, and no longer counts toward ``ok``.
        ``None``: no waivers (an API caller names its waivers explicitly).
    :return: the :class:`~gkcheck.findings.Result`; ``result.ok`` is false exactly when an
        error-severity finding is present. Never raises for a bad input file (that is a
        ``GK000``/``GK001`` finding); raises :class:`~gkcheck.errors.ConfigError` for a bad
        config.
    """
    cfg = _config_for(config)
    if not isinstance(path, str | Path):
        data = path if isinstance(path, bytes) else path.read()
        return _check_content(data, name or "upload", cfg, lang, timeout)
    p = Path(path)
    return _waivers(waivers, p).apply_path(_check_path(p, cfg, lang, timeout), p)


def _check_path(path: Path, cfg: Config, lang: str, timeout: float | None) -> Result:
    if timeout is not None:
        from gkcheck.isolation import check_isolated

        return check_isolated(path, cfg, lang, float(timeout))
    return engine_for(cfg, lang=lang).check(path)


def _check_content(
    data: bytes, name: str, cfg: Config, lang: str, timeout: float | None
) -> Result:
    """Content checked as a file named ``name`` (made safe), then relabelled with ``name``."""
    from gkcheck.uploads import relabel, safe_name

    folder = Path(tempfile.mkdtemp(prefix="gkcheck-upload-"))
    try:
        target = folder / safe_name(name)
        target.write_bytes(data)
        return relabel(_check_path(target, cfg, lang, timeout), target, name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def check_many(
    paths: Iterable[str | Path],
    *,
    config: Config | str | Path | None = None,
    lang: str = "zh",
    waivers: Waivers | str | Path | None = None,
) -> Iterator[Result]:
    """Check several inputs with one config, yielding results as they are ready."""
    engine = engine_for(_config_for(config), lang=lang)
    for path in paths:
        p = Path(path)
        yield _waivers(waivers, p).apply_path(engine.check(p), p)


def _waivers(waivers: Waivers | str | Path | None, path: Path) -> Waivers:
    if isinstance(waivers, Waivers):
        return waivers
    if waivers is None:
        return Waivers()
    return waivers_for(path, Path(waivers))
