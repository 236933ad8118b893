"""The files gkcheck ships, found by path (``package_data``) as ``importlib.resources`` finds them."""

from __future__ import annotations

from importlib import resources

import pytest

from gkcheck.package_data import package_file


@pytest.mark.parametrize(
    "parts",
    [
        ("i18n", "zh.toml"),
        ("i18n", "en.toml"),
        ("data", "t2s.txt"),
        ("data", "campaign-words.txt"),
        ("data", "schedule-2023.csv"),
        ("data", "logo", "sample-logo.png"),
        ("data", "logo", "window-ranker.onnx"),
    ],
)
def test_a_package_file_is_the_installed_packages_file(parts: tuple[str, ...]) -> None:
    shipped = resources.files("gkcheck").joinpath(*parts)
    assert package_file(*parts).read_bytes() == shipped.read_bytes()
