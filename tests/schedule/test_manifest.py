"""submission.toml: well-formed values, every problem named by its key."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

from gkcheck.manifest import Manifest, ManifestError

if TYPE_CHECKING:
    from pathlib import Path

FULL = """\
activity_date = 2023-04-18
plan_filed = 2023-04-10
materials_sent = 2023-04-19
summary_sent = 2023-04-24
unit = "雨花区教育局"
seq = 1
"""


def test_full_manifest(tmp_path: Path) -> None:
    p = tmp_path / "submission.toml"
    p.write_text(FULL, encoding="utf-8")
    m = Manifest.load(p)
    assert m == Manifest(
        activity_date=dt.date(2023, 4, 18),
        plan_filed=dt.date(2023, 4, 10),
        materials_sent=dt.date(2023, 4, 19),
        summary_sent=dt.date(2023, 4, 24),
        unit="雨花区教育局",
        seq=1,
    )


def test_every_key_is_optional() -> None:
    assert Manifest.parse("") == Manifest()
    assert Manifest.parse("activity_date = 2023-05-06\n").activity_date == dt.date(
        2023, 5, 6
    )


def test_datetime_is_reduced_to_its_day() -> None:
    m = Manifest.parse("materials_sent = 2023-04-20T18:30:00\n")
    assert m.materials_sent == dt.date(2023, 4, 20)


def test_bom_is_accepted(tmp_path: Path) -> None:
    p = tmp_path / "submission.toml"
    p.write_bytes("\ufeffseq = 7\n".encode())
    assert Manifest.load(p).seq == 7


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        ('activity_date = "2023-04-18"\n', "activity_date", "without quotes"),
        ('plan_filed = "上周"\n', "plan_filed", "e.g. 2023-04-18"),
        ("materials_sent = 20230419\n", "materials_sent", "got int"),
        ("summary_sent = 10:00:00\n", "summary_sent", "got time"),
        ("plan_filled = 2023-04-10\n", "plan_filled", "unknown key"),
        ("unit = 3\n", "unit", "non-empty string"),
        ('unit = "  "\n', "unit", "non-empty string"),
        ("seq = 0\n", "seq", "positive integer"),
        ("seq = true\n", "seq", "positive integer"),
        ('seq = "7"\n', "seq", "positive integer"),
    ],
)
def test_errors_name_the_key(text: str, key: str, fragment: str) -> None:
    with pytest.raises(ManifestError) as info:
        Manifest.parse(text, source="x/submission.toml")
    err = info.value
    assert err.keys == (key,)
    assert f"{key}: " in str(err)
    assert fragment in str(err)
    assert str(err).startswith("x/submission.toml:")


def test_all_problems_reported_together() -> None:
    text = 'activity_date = "2023-04-18"\nseq = -1\nextra = 1\n'
    with pytest.raises(ManifestError) as info:
        Manifest.parse(text)
    assert set(info.value.keys) == {"activity_date", "seq", "extra"}


def test_invalid_toml() -> None:
    with pytest.raises(ManifestError, match="not valid TOML") as info:
        Manifest.parse("activity_date = 2023-04-\n")
    assert info.value.keys == (None,)


def test_non_utf8(tmp_path: Path) -> None:
    p = tmp_path / "submission.toml"
    p.write_bytes('unit = "区教育局"\n'.encode("gbk"))
    with pytest.raises(ManifestError, match="not UTF-8"):
        Manifest.load(p)
