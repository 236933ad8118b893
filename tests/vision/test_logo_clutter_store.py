"""The clutter scores kept on disk between processes (``clutter_store.py``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gkcheck.vision.logo import LogoDetector, LogoTemplate
from gkcheck.vision.logo.cache_files import default_directory
from gkcheck.vision.logo.clutter_store import ClutterStore

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_LOGO = ROOT / "src" / "gkcheck" / "data" / "logo" / "sample-logo.png"


def test_a_value_is_kept_and_read_back(tmp_path: Path) -> None:
    store = ClutterStore(tmp_path)
    assert store.get("k") is None
    store.put("k", 0.42)
    assert store.get("k") == pytest.approx(0.42)
    assert ClutterStore(tmp_path).get("k") == pytest.approx(0.42)  # another process's view
    assert not list((tmp_path / "logo-clutter").glob(".*.tmp"))  # nothing half-written left


@pytest.mark.parametrize(
    "content", ["", "{", '{"q90": "x"}', '{"q90": 1.5}', '{"q90": NaN}', "[]"]
)
def test_a_damaged_file_counts_as_absent(tmp_path: Path, content: str) -> None:
    store = ClutterStore(tmp_path)
    store.directory.mkdir(parents=True)
    (store.directory / "k.json").write_text(content, encoding="utf-8")
    assert store.get("k") is None


def test_only_a_small_regular_file_is_read(tmp_path: Path) -> None:
    store = ClutterStore(tmp_path)
    store.directory.mkdir(parents=True)
    (tmp_path / "elsewhere.json").write_text('{"q90": 0.3}', encoding="utf-8")
    (store.directory / "link.json").symlink_to(tmp_path / "elsewhere.json")
    os.mkfifo(store.directory / "fifo.json")  # would block a plain read
    (store.directory / "big.json").write_text('{"q90": 0.3}' + " " * 5000, encoding="utf-8")
    assert [store.get(k) for k in ("link", "fifo", "big")] == [None, None, None]


def test_a_store_that_cannot_be_written_is_skipped(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    store = ClutterStore(blocker)
    store.put("k", 0.5)  # no exception: the value is worked out again next time
    assert store.get("k") is None


def test_the_key_names_the_template_and_the_settings(other_design: LogoTemplate) -> None:
    store = ClutterStore(Path("unused"))
    a = LogoTemplate.load(SAMPLE_LOGO)
    b = LogoTemplate.load(SAMPLE_LOGO)
    assert store.key(a, ("s", 1)) == store.key(b, ("s", 1))  # the same pixels, another object
    assert store.key(a, ("s", 1)) != store.key(a, ("s", 2))
    assert store.key(a, ("s", 1)) != store.key(other_design, ("s", 1))


def test_where_the_store_lives(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GKCHECK_CACHE_DIR", str(tmp_path / "c"))
    assert default_directory() == tmp_path / "c"
    monkeypatch.setenv("GKCHECK_CACHE_DIR", "")
    assert default_directory() is None and ClutterStore.default() is None
    monkeypatch.delenv("GKCHECK_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert default_directory() == tmp_path / "x" / "gkcheck"


def test_a_second_detector_reads_the_threshold_instead_of_working_it_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ClutterStore(tmp_path)
    first = LogoDetector([LogoTemplate.load(SAMPLE_LOGO)], clutter_store=store)
    expected = first.threshold_for(first.templates[0])
    alone = LogoDetector([LogoTemplate.load(SAMPLE_LOGO)])
    assert expected == alone.threshold_for(alone.templates[0])  # the store changes nothing
    assert len(list(store.directory.glob("*.json"))) == 1

    def no(*_a: object) -> float:
        raise AssertionError("worked out again")

    monkeypatch.setattr(LogoDetector, "_clutter_scores", no)
    second = LogoDetector([LogoTemplate.load(SAMPLE_LOGO)], clutter_store=store)
    assert second.threshold_for(second.templates[0]) == expected
    # other settings are another key: worked out, not read
    other = LogoDetector([LogoTemplate.load(SAMPLE_LOGO)], clutter_store=store, clutter_images=5)
    with pytest.raises(AssertionError, match="worked out again"):
        other.threshold_for(other.templates[0])


def test_a_stored_value_never_takes_the_threshold_below_the_configured_one(tmp_path: Path) -> None:
    store = ClutterStore(tmp_path)
    det = LogoDetector([LogoTemplate.load(SAMPLE_LOGO)], clutter_store=store)
    tpl = det.templates[0]
    det.threshold_for(tpl)
    (path,) = store.directory.glob("*.json")
    path.write_text(json.dumps({"q90": 0.0}), encoding="utf-8")
    fresh = LogoDetector([LogoTemplate.load(SAMPLE_LOGO)], clutter_store=store)
    assert fresh.threshold_for(fresh.templates[0]) == det.threshold


def test_the_command_keeps_its_store_where_it_is_told(tmp_path: Path) -> None:
    photo = ROOT / "samples" / "logo" / "pos-backdrop.jpg"
    env = {**os.environ, "GKCHECK_CACHE_DIR": str(tmp_path), "HOME": str(tmp_path / "home")}
    cmd = [sys.executable, "-m", "gkcheck", "logo", "--logo", str(SAMPLE_LOGO), "--format", "json"]
    runs = [
        subprocess.run([*cmd, str(photo)], capture_output=True, env=env, check=False, timeout=120)
        for _ in range(2)
    ]
    assert runs[0].returncode == 0, runs[0].stderr[-500:]
    out = [json.loads(r.stdout)["results"][0] for r in runs]
    assert out[0]["found"] and out[1]["found"]
    assert out[0]["threshold"] == out[1]["threshold"]
    assert len(list((tmp_path / "logo-clutter").glob("*.json"))) == 1
    assert len(list((tmp_path / "logo-template").glob("*.npz"))) == 1  # ``template_store.py``
    assert not (tmp_path / "home").exists()  # nothing written anywhere else
