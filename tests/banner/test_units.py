"""Unit names with their level and district (issue 14): 长沙市教育局 is not 区教育局."""

from __future__ import annotations

import pytest

from gkcheck.units import Place, UnitDirectory, place_of


@pytest.mark.parametrize(
    ("name", "level", "district"),
    [
        ("长沙市教育局", "city", None),
        ("湖南省教育厅", "province", None),
        ("岳麓区教育局", "district", "岳麓区"),
        ("长沙市天心区教育局", "district", "天心区"),
        ("长沙县教育局", "district", "长沙县"),
        ("雨花区教育局", "district", "雨花区"),
    ],
)
def test_place_of_reads_level_and_district(name: str, level: str, district: str | None) -> None:
    place = place_of(name)
    assert place is not None and (place.level, place.district) == (level, district)


@pytest.mark.parametrize("name", ["区教育局", "砂子塘街道", "跳马镇", "火车南站区综管办"])
def test_names_without_a_region_have_no_place(name: str) -> None:
    assert place_of(name) is None


def test_home_district_is_home_however_much_region_precedes_it() -> None:
    for name in ("雨花区教育局", "长沙市雨花区教育局", "湖南省长沙市雨花区教育局"):
        place = place_of(name)
        assert isinstance(place, Place) and place.is_home(), name


def test_directory_resolves_only_the_districts_units() -> None:
    units = UnitDirectory.default()
    assert units.resolve("长沙市雨花区教育局") == "区教育局"
    assert units.resolve("长沙市教育局") is None
    assert units.resolve("岳麓区教育局") is None
    assert units.resolve("长沙市生态环境局雨花分局") == "生态环境局雨花分局"  # a listed alias
    foreign = units.foreign("长沙市教育局")
    assert foreign is not None and foreign.level == "city"
    assert units.foreign("雨花区教育局") is None
    assert units.foreign("雨花区财政局") is None  # ours but not in the schedule: unknown, not foreign
