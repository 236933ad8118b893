"""The responsible units of the notice and the names people really write for them.

A unit appears under many names: the schedule says 区教育局, a banner says 雨花区教育局 or
长沙市雨花区教育局, a report says 雨花区教育局 or the full 雨花区教育局党组. Every rule that
names a unit (banner, schedule matching) resolves names through this one table so that the
same tolerance applies everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["DEFAULT_UNITS", "HOME", "Place", "Unit", "UnitDirectory", "core_name", "place_of"]

#: Region prefixes that may precede any unit name (longest first). ``长沙市`` alone is not one:
#: ``长沙市教育局`` is the city's bureau, not 区教育局 (only listed aliases such as
#: ``长沙市生态环境局雨花分局`` name a district unit after the city).
REGION_PREFIXES: tuple[str, ...] = ("湖南省长沙市雨花区", "长沙市雨花区", "雨花区")

#: The district whose units the notice means, with its city and province.
HOME: tuple[str, str, str] = ("湖南省", "长沙市", "雨花区")

#: Organisational suffixes that do not change which unit is meant.
ORG_SUFFIXES: tuple[str, ...] = ("人民政府", "办事处")

#: Responsible units of attachment 1, with the long forms their names abbreviate.
DEFAULT_UNITS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("区教育局", ()),
    ("区农业农村局", ()),
    ("区人居环境局", ()),
    ("区司法局", ()),
    ("区公建中心", ("区公共建设项目服务中心",)),
    ("区退役军人局", ("区退役军人事务局",)),
    ("区文旅体局", ("区文化旅游体育局",)),
    ("区医保局", ("区医疗保障局",)),
    ("区工信局", ("区工业和信息化局",)),
    ("区税务分局", ("区税务局", "国家税务总局长沙市雨花区税务局", "雨花区税务局")),
    ("区金融事务中心", ()),
    ("区人社局", ("区人力资源和社会保障局",)),
    ("区科协", ("区科学技术协会",)),
    ("区园林中心", ("区园林绿化中心",)),
    ("火车南站区综管办", ("火车南站站区综管办", "火车南站区综合管理办公室")),
    ("区交通运输局", ()),
    ("生态环境局雨花分局", ("长沙市生态环境局雨花分局", "区生态环境局")),
    ("区残联", ("区残疾人联合会",)),
    ("区城管局", ("区城市管理和综合执法局",)),
    ("区电商物流中心", ()),
    ("民政局", ("区民政局",)),
    ("区工商联", ("区工商业联合会", "区总商会")),
    ("区应急局", ("区应急管理局",)),
    ("区住建局", ("区住房和城乡建设局",)),
    ("区科技局", ("区科学技术局",)),
    ("区信访局", ()),
    ("区卫健局", ("区卫生健康局",)),
    ("区发改局", ("区发展和改革局",)),
    ("区统计局", ()),
    ("区商务局", ()),
    ("区市场监管局", ("区市场监督管理局",)),
    ("区征收办", ("区房屋征收办",)),
    ("区征地服务中心", ()),
    ("跳马镇", ()),
    ("同升街道", ()),
    ("东山街道", ()),
    ("砂子塘街道", ()),
    ("左家塘街道", ()),
    ("井湾子街道", ()),
    ("雨花亭街道", ()),
    ("侯家塘街道", ()),
    ("黎托街道", ()),
    ("洞井街道", ()),
    ("圭塘街道", ()),
    ("东塘街道", ()),
    ("高桥街道", ()),
)

_SPACE = re.compile(r"\s+")


def _fold(text: str) -> str:
    """Fold width variants and drop white space, as a reader ignores them."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def core_name(name: str) -> str:
    """Strip region prefixes, a leading 区 and organisational suffixes.

    ``长沙市雨花区教育局``, ``雨花区教育局`` and ``区教育局`` all give ``教育局``; this core is
    what two spellings of one unit share.
    """
    text = _fold(name)
    for prefix in REGION_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    if text.startswith("区") and len(text) > 2:
        text = text[1:]
    for suffix in ORG_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            text = text[: -len(suffix)]
    return text


# compiled on first use (``re``'s own cache), not at import: its CJK ranges take ~3 ms to
# compile, paid by every process that imports the configuration (a one-photo ``gkcheck logo``
# too, which never reads a unit's place)
_PLACE = (
    r"^(?P<province>[\u4e00-\u9fff]{2,3}?省)?(?P<city>[\u4e00-\u9fff]{2,3}?市)?"
    r"(?P<district>[\u4e00-\u9fff]{2,3}?[区县])?"
)


@dataclass(frozen=True, slots=True)
class Place:
    """The level and district a written unit name belongs to (from its region prefix).

    ``level`` is ``"province"`` (湖南省教育厅), ``"city"`` (长沙市教育局) or ``"district"``
    (岳麓区教育局, 长沙市天心区…, 雨花区…); ``district`` names the district or county when
    there is one. A name without any region prefix (区教育局, 砂子塘街道) has no place: it is
    read as the home district's, as people write their own units.
    """

    level: str
    province: str | None
    city: str | None
    district: str | None

    def is_home(self, home: tuple[str, str, str] = HOME) -> bool:
        """Whether this is the home district (雨花区, however much of 湖南省长沙市 precedes it)."""
        province, city, district = home
        return (
            self.district == district
            and self.city in (None, city)
            and self.province in (None, province)
        )


def place_of(name: str) -> Place | None:
    """The region a unit name is written for, from its prefix; ``None`` without a prefix."""
    m = re.match(_PLACE, _fold(name))
    if m is None or not m.group(0) or m.end() >= len(_fold(name)) - 1:
        return None
    province, city, district = m.group("province"), m.group("city"), m.group("district")
    level = "district" if district else "city" if city else "province"
    return Place(level, province, city, district)


@dataclass(frozen=True, slots=True)
class Unit:
    """One responsible unit: its name as the schedule writes it, and its other names."""

    name: str
    aliases: tuple[str, ...] = ()

    def cores(self) -> tuple[str, ...]:
        """The core forms every spelling of this unit reduces to."""
        seen: dict[str, None] = {}
        for spelled in (self.name, *self.aliases):
            seen.setdefault(core_name(spelled), None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class UnitDirectory:
    """Resolves what people write to the schedule's unit names."""

    units: tuple[Unit, ...]
    _by_core: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_core: dict[str, str] = {}
        for unit in self.units:
            for core in unit.cores():
                by_core.setdefault(core, unit.name)
        object.__setattr__(self, "_by_core", by_core)

    @classmethod
    def from_names(
        cls, names: Iterable[str], aliases: dict[str, Sequence[str]] | None = None
    ) -> UnitDirectory:
        """Build a directory from plain names (config), with optional extra aliases."""
        extra = aliases or {}
        return cls(tuple(Unit(n, tuple(extra.get(n, ()))) for n in dict.fromkeys(names)))

    @classmethod
    def default(cls) -> UnitDirectory:
        """The units of the 2023 notice."""
        return cls(tuple(Unit(name, aliases) for name, aliases in DEFAULT_UNITS))

    @property
    def names(self) -> tuple[str, ...]:
        """Schedule names, in schedule order."""
        return tuple(u.name for u in self.units)

    def resolve(self, text: str) -> str | None:
        """The schedule name of the unit ``text`` names exactly, or ``None``."""
        return self._by_core.get(core_name(text))

    def foreign(self, text: str) -> Place | None:
        """The place of a unit of another level or district (长沙市教育局, 岳麓区教育局).

        ``None`` when ``text`` names one of our units or carries no region prefix (or only the
        home district's): such a name is ours or simply unknown, never another place's.
        """
        if self.resolve(text) is not None:
            return None
        place = place_of(text)
        if place is None or place.is_home():
            return None
        return place

    def find_prefix(self, text: str) -> tuple[str, int] | None:
        """The unit named at the start of ``text`` and how many characters name it.

        The longest spelling wins, so ``雨花区教育局2023年…`` gives ``区教育局`` and 8. The count
        refers to ``text`` with white space removed and widths folded.
        """
        folded = _fold(text)
        best: tuple[str, int] | None = None
        for end in range(len(folded), 1, -1):
            name = self.resolve(folded[:end])
            if name is not None:
                best = (name, end)
                break
        return best

    def find_in(self, text: str) -> list[str]:
        """Every unit named anywhere in ``text``, in order of first mention."""
        folded = _fold(text)
        found: dict[str, None] = {}
        spellings = sorted(
            (
                (spelled, unit.name)
                for unit in self.units
                for spelled in self._spellings(unit)
            ),
            key=lambda pair: -len(pair[0]),
        )
        hits: list[tuple[int, str]] = []
        for spelled, name in spellings:
            start = folded.find(spelled)
            if start >= 0:
                hits.append((start, name))
        for _, name in sorted(hits):
            found.setdefault(name, None)
        return list(found)

    @staticmethod
    def _spellings(unit: Unit) -> tuple[str, ...]:
        out: dict[str, None] = {}
        for core in unit.cores():
            if len(core) < 2:
                continue
            out.setdefault("雨花区" + core, None)
            out.setdefault(core if not core.endswith("局") else "区" + core, None)
            out.setdefault(core, None)
        return tuple(out)
