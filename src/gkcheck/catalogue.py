"""The message catalogues (src/gkcheck/i18n/{zh,en}.toml) and words kept as keys until shown.

Text is worded where it is shown, not where it is decided: a finding, an error or a reason
holds a :class:`Msg` (catalogue table, key, parameters) and becomes Chinese or English only
when it is rendered. So a stored result can be shown again in the other language without
checking anything again, and nothing ever translates English prose after the fact.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from gkcheck.package_data import package_file

__all__ = ["LANGS", "Msg", "from_plain", "messages", "render", "render_params", "table", "to_plain"]

LANGS = ("zh", "en")


@cache
def _catalogue(lang: str) -> Mapping[str, Mapping[str, str]]:
    data = package_file("i18n", f"{lang}.toml").read_text(encoding="utf-8")
    return tomllib.loads(data)


def messages(lang: str) -> Mapping[str, Mapping[str, str]]:
    """The message catalogue for ``lang`` ("zh" or "en"): ``{table: {key: template}}``."""
    return _catalogue(lang if lang in LANGS else "zh")


def table(name: str, lang: str) -> dict[str, Any]:
    """A whole catalogue table in ``lang`` (a writer's labels), as a plain dict."""
    return dict(messages(lang).get(name, {}))


@dataclass(frozen=True, slots=True)
class Msg:
    """Words from the catalogue table ``table`` under ``key``, filled with ``params``.

    ``params`` may hold other :class:`Msg` values and :class:`Join` lists; they are worded in
    the same language. A key missing from a language falls back to English, then to the key.
    """

    table: str
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        """The words in ``lang``."""
        template = messages(lang).get(self.table, {}).get(self.key)
        if template is None:
            template = messages("en").get(self.table, {}).get(self.key, self.key)
        return fill(str(template), render_params(self.params, lang))


@dataclass(frozen=True, slots=True)
class Join:
    """Several values shown as one, separated by ``sep`` (a key of the ``[common]`` table)."""

    items: tuple[Any, ...]
    sep: str = "sep"

    def text(self, lang: str) -> str:
        """The items in ``lang``, joined."""
        joiner = str(messages(lang).get("common", {}).get(self.sep, "、"))
        return joiner.join(render(v, lang) for v in self.items)


def fill(template: str, params: Mapping[str, Any]) -> str:
    """``template`` filled; a placeholder without a value stays as it is."""

    class _Safe(dict[str, Any]):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    try:
        return template.format_map(_Safe(params))
    except (ValueError, IndexError, AttributeError):
        return template


def render(value: Any, lang: str) -> Any:
    """``value`` with any :class:`Msg`/:class:`Join` in it worded in ``lang``."""
    if isinstance(value, Msg | Join):
        return value.text(lang)
    return value


def render_params(params: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """Every parameter worded in ``lang`` (plain values stay as they are)."""
    return {k: render(v, lang) for k, v in params.items()}


def to_plain(value: Any) -> Any:
    """JSON for a parameter: a :class:`Msg` becomes ``{"msg": "table.key", "params": {…}}``."""
    if isinstance(value, Msg):
        return {"msg": f"{value.table}.{value.key}", "params": {k: to_plain(v) for k, v in value.params.items()}}
    if isinstance(value, Join):
        return {"join": [to_plain(v) for v in value.items], "sep": value.sep}
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, Iterable):
        return [to_plain(v) for v in value]
    return str(value)


def from_plain(value: Any) -> Any:
    """The inverse of :func:`to_plain` (for results read back from results.jsonl)."""
    if isinstance(value, Mapping):
        if isinstance(value.get("msg"), str) and "." in value["msg"] and set(value) <= {"msg", "params"}:
            table, _, key = value["msg"].partition(".")
            params = value.get("params") or {}
            return Msg(table, key, {str(k): from_plain(v) for k, v in params.items()})
        if isinstance(value.get("join"), list) and set(value) <= {"join", "sep"}:
            return Join(tuple(from_plain(v) for v in value["join"]), str(value.get("sep", "sep")))
        return {str(k): from_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_plain(v) for v in value]
    return value
