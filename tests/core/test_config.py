"""gkcheck.toml: defaults from the notice, errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from gkcheck.config import Config, find_config, load_config
from gkcheck.errors import ConfigError


def test_defaults_come_from_the_notice() -> None:
    cfg = load_config(None)
    assert cfg.keyword == "政务公开主题日" and cfg.year == 2023
    names = {u.name for u in cfg.units}
    assert {"区教育局", "同升街道", "跳马镇", "区征地服务中心"} <= names
    assert cfg.unit_directory().resolve("长沙市雨花区教育局") == "区教育局"


def test_file_overrides(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG")
    f = tmp_path / "gkcheck.toml"
    f.write_text(
        'year = 2024\nlang = "en"\nextra-units = ["区某某局"]\n'
        '[rules]\nignore = ["GK103"]\n[rules.severity]\nGK104 = "warning"\n'
        '[logo]\ntemplates = ["logo.png"]\nthreshold = 0.6\n[plugins.example]\nmax-title = 30\n',
        encoding="utf-8",
    )
    cfg = load_config(f)
    assert cfg.year == 2024 and cfg.lang == "en"
    assert "区某某局" in {u.name for u in cfg.units}
    assert cfg.ignore == ("GK103",) and cfg.severity == {"GK104": "warning"}
    assert cfg.logo_templates == (logo.resolve(),) and cfg.logo_threshold == 0.6
    assert cfg.plugin("example") == {"max-title": 30}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("colour = 1\n", "colour"),
        ('year = "2023"\n', "year"),
        ('lang = "fr"\n', "lang"),
        ('units = "区教育局"\n', "units"),
        ("[rules]\nselect = 3\n", "rules.select"),
        ('[rules.severity]\nGK101 = "fatal"\n', "rules.severity.GK101"),
        ('[logo]\ntemplates = ["missing.png"]\n', "logo.templates"),
        ("[logo]\nthreshold = 2\n", "logo.threshold"),
        ("[ocr]\nenabled = 1\n", "ocr.enabled"),
        ("[rules]\nfoo = 1\n", "rules.foo"),
        ("year = \n", "(file)"),
    ],
)
def test_errors_name_the_key(tmp_path: Path, text: str, key: str) -> None:
    f = tmp_path / "gkcheck.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(f)
    assert info.value.key == key
    assert str(f) in str(info.value)


def test_pyproject_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.gkcheck]\nyear = 2025\n", encoding="utf-8")
    found = find_config(tmp_path / "report.docx")
    assert found == (tmp_path / "pyproject.toml").resolve()
    assert load_config(found).year == 2025


def test_fingerprint_changes_with_settings() -> None:
    assert Config().fingerprint() != Config(year=2024).fingerprint()
