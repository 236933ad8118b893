"""The Python API: the same code path as the command line."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from gkcheck.config import Config, find_config, load_config
from gkcheck.engine import Engine
from gkcheck.findings import Result
from gkcheck.plugins import Registry

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
    path: str | Path | bytes | BinaryIO,
    *,
    config: Config | str | Path | None = None,
    lang: str = "zh",
    name: str | None = None,
) -> Result:
    """Check one news report file, or a folder taken as one unit's submission.

    :param path: a ``.docx``/``.pdf``/image file, or a folder; or the file's content as
        ``bytes`` or a binary file object (an upload held in memory), checked from a private
        temporary folder that is removed before this returns.
    :param name: for content: the file's name as the user knows it (``"新闻稿.docx"``). Its
        suffix picks the parser, and the result speaks of this name, never of a temporary
        path; without it the name is ``"upload"`` and only the content picks the parser.
    :param config: a :class:`~gkcheck.config.Config`, a path to ``gkcheck.toml``, or ``None``
        to use the nearest ``gkcheck.toml`` above ``path`` (or the notice's defaults).
    :param lang: ``"zh"`` or ``"en"`` for messages.
    :return: the :class:`~gkcheck.findings.Result`; ``result.ok`` is false exactly when an
        error-severity finding is present. Never raises for a bad input file (that is a
        ``GK000``/``GK001`` finding); raises :class:`~gkcheck.errors.ConfigError` for a bad
        config.
    """
    if not isinstance(path, str | Path):
        data = path if isinstance(path, bytes) else path.read()
        return _check_content(data, name or "upload", config=config, lang=lang)
    p = Path(path)
    cfg = _config_for(p, config)
    return engine_for(cfg, lang=lang).check(p)


def _check_content(data: bytes, name: str, *, config: Config | str | Path | None, lang: str) -> Result:
    """Content checked as a file named ``name`` (made safe), then relabelled with ``name``."""
    from gkcheck.uploads import relabel, safe_name

    cfg = config if isinstance(config, Config) else load_config(config)
    folder = Path(tempfile.mkdtemp(prefix="gkcheck-upload-"))
    try:
        target = folder / safe_name(name)
        target.write_bytes(data)
        return relabel(engine_for(cfg, lang=lang).check_file(target), target, name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


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
