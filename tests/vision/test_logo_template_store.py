"""Prepared templates kept on disk between processes (``template_store.py``)."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from gkcheck.vision.logo import LogoDetector, LogoTemplate
from gkcheck.vision.logo import template_store as ts
from gkcheck.vision.logo.keypoints import template_features
from gkcheck.vision.logo.template_store import TemplateStore

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_LOGO = ROOT / "src" / "gkcheck" / "data" / "logo" / "sample-logo.png"
PHOTO = ROOT / "samples" / "logo" / "pos-backdrop.jpg"


def _same(a: LogoTemplate, b: LogoTemplate) -> None:
    assert a.name == b.name and a.is_demo == b.is_demo and a.mark_box == b.mark_box
    assert np.array_equal(a.bgr, b.bgr) and np.array_equal(a.ink, b.ink)
    assert np.array_equal(a.colour_regions(), b.colour_regions())
    assert a.axis.dtype == b.axis.dtype and np.array_equal(a.axis, b.axis)
    oa, ob = a.other_axis(), b.other_axis()
    assert (oa is None) == (ob is None)
    assert oa is None or (ob is not None and np.array_equal(oa, ob))
    (pa, da), (pb, db) = template_features(a), template_features(b)
    assert np.array_equal(pa, pb)
    assert (da is None and db is None) or (da is not None and np.array_equal(da, db))


def _refuse_to_prepare(monkeypatch: pytest.MonkeyPatch) -> None:
    def no(*_a: object, **_k: object) -> LogoTemplate:
        raise AssertionError("prepared again")

    monkeypatch.setattr(LogoTemplate, "load", classmethod(no))


def test_a_kept_template_is_the_template_prepared_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = TemplateStore(tmp_path)
    first = store.load(SAMPLE_LOGO, name="logo.png")
    assert len(list(store.directory.glob("*.npz"))) == 1
    assert not list(store.directory.glob(".*.tmp"))  # nothing half-written left
    fresh = LogoTemplate.load(SAMPLE_LOGO, name="logo.png")
    _same(first, fresh)
    _refuse_to_prepare(monkeypatch)
    # the colour regions are read back too, not worked out again (the demo mark has several)
    monkeypatch.setattr(LogoTemplate, "_find_regions", lambda _self: 1 / 0)
    # and the colour axis (worked out for ``fresh`` first, then refused)
    from gkcheck.vision.logo import template as template_mod

    _ = (fresh.axis, fresh.other_axis())
    monkeypatch.setattr(template_mod, "_blend", lambda *_a: 1 / 0)
    kept = TemplateStore(tmp_path).load(SAMPLE_LOGO, name="logo.png")  # another process's view
    _same(kept, fresh)
    assert len(kept.colour_regions()) >= 2
    assert kept.is_demo  # known by the file's content, as ``LogoTemplate.load`` knows it


@pytest.mark.parametrize(
    ("twin_of", "differs"),
    [(LogoTemplate.reversed_twin, "bgr"), (LogoTemplate.knockout_twin, "ink")],
    ids=["reversed", "knockout"],
)
def test_the_twins_are_kept_prepared_too(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    twin_of: Callable[[LogoTemplate], LogoTemplate | None],
    differs: str,
) -> None:
    # the reversed round (``LogoDetector.reversed_keep``) and the knockout round
    # (``knockout_keep``) prepare the template's reversed or knockout twin in every process
    # that reaches them (~110 ms for the reversed twin: its colour regions, axes and
    # keypoints; the k-means of the regions alone is 40-80 ms); a later process reads them
    # back as it reads the template's own
    from gkcheck.vision.logo import template as template_mod

    TemplateStore(tmp_path).load(SAMPLE_LOGO, name="logo.png")
    own = LogoTemplate.load(SAMPLE_LOGO, name="logo.png")
    fresh = twin_of(own)
    assert fresh is not None  # the demo mark's ring holds white: it has a knockout twin too
    _ = (fresh.colour_regions(), fresh.axis, fresh.other_axis(), template_features(fresh))
    _refuse_to_prepare(monkeypatch)
    monkeypatch.setattr(LogoTemplate, "_find_regions", lambda _self: 1 / 0)
    monkeypatch.setattr(template_mod, "_blend", lambda *_a: 1 / 0)
    monkeypatch.setattr(cv2.SIFT, "create", lambda *_a: 1 / 0)
    twin = twin_of(TemplateStore(tmp_path).load(SAMPLE_LOGO, name="logo.png"))
    assert twin is not None
    _same(twin, fresh)
    # the twin, not the template: the reversed one's artwork, the knockout one's mask
    assert not np.array_equal(getattr(twin, differs), getattr(own, differs))


def test_a_template_without_paper_is_kept_without_a_knockout_twin(tmp_path: Path) -> None:
    art = np.full((120, 200, 3), 255, np.uint8)
    cv2.circle(art, (60, 60), 45, (150, 30, 120), -1)  # inks alone: nothing to knock out
    cv2.rectangle(art, (115, 20), (185, 100), (20, 20, 200), -1)
    path = tmp_path / "inks.png"
    cv2.imwrite(str(path), art)
    store = TemplateStore(tmp_path / "store")
    store.load(path)
    (kept,) = store.directory.glob("*.npz")
    with np.load(kept, allow_pickle=False) as z:
        assert not any(k.startswith("knockout_") for k in z.files)
    again = TemplateStore(tmp_path / "store").load(path)
    assert again.knockout_twin() is None


def test_both_orientations_of_the_colour_axis_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a purple disc beside a dark teal block: luminance orders the two against the axis's
    # own orientation, so the template has an other axis (``LogoTemplate.other_axis``), and a
    # later process reads both back instead of working them out before its search starts
    from gkcheck.vision.logo import template as template_mod

    art = np.full((120, 200, 3), 255, np.uint8)
    cv2.circle(art, (60, 60), 45, (150, 30, 120), -1)
    cv2.rectangle(art, (115, 20), (185, 100), (110, 120, 20), -1)
    path = tmp_path / "two-inks.png"
    cv2.imwrite(str(path), art)
    store = TemplateStore(tmp_path / "store")
    first = store.load(path)
    assert first.other_axis() is not None
    fresh = LogoTemplate.load(path)
    _ = (fresh.axis, fresh.other_axis())  # worked out here, before ``_blend`` is refused
    monkeypatch.setattr(template_mod, "_blend", lambda *_a: 1 / 0)
    kept = TemplateStore(tmp_path / "store").load(path)
    _same(kept, fresh)


def test_a_kept_template_finds_what_a_fresh_one_finds(tmp_path: Path) -> None:
    store = TemplateStore(tmp_path)
    store.load(SAMPLE_LOGO)
    kept = store.load(SAMPLE_LOGO)
    a = LogoDetector([kept]).detect(PHOTO)
    b = LogoDetector([LogoTemplate.load(SAMPLE_LOGO)]).detect(PHOTO)
    assert a.found and b.found
    assert a.score == b.score and a.bbox == b.bbox


def test_the_name_is_the_callers_not_the_stored_one(tmp_path: Path) -> None:
    store = TemplateStore(tmp_path)
    store.load(SAMPLE_LOGO, name="a.png")
    assert store.load(SAMPLE_LOGO, name="b.png").name == "b.png"
    assert store.load(SAMPLE_LOGO.read_bytes()).name == "template"
    assert store.load(SAMPLE_LOGO).name == "sample-logo.png"


def test_the_key_names_the_file_and_the_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = TemplateStore(tmp_path)
    data = SAMPLE_LOGO.read_bytes()
    assert store.key(data) == store.key(bytes(data))
    assert store.key(data) != store.key(data + b"\0")  # another file, even one byte longer
    before = store.key(data)
    monkeypatch.setattr(ts, "code_digest", lambda: "another version")
    assert store.key(data) != before


def test_a_file_another_version_kept_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = TemplateStore(tmp_path)
    store.load(SAMPLE_LOGO)
    monkeypatch.setattr(ts, "code_digest", lambda: "another version")
    calls: list[int] = []
    real = LogoTemplate.load.__func__  # type: ignore[attr-defined]

    def counted(cls: type[LogoTemplate], *a: object, **k: object) -> LogoTemplate:
        calls.append(1)
        return real(cls, *a, **k)  # type: ignore[no-any-return]

    monkeypatch.setattr(LogoTemplate, "load", classmethod(counted))
    store.load(SAMPLE_LOGO)
    assert calls == [1] and len(list(store.directory.glob("*.npz"))) == 2


def _arrays(data: bytes) -> dict[str, bytes]:
    """A kept file's arrays, each as its shape, type and bytes (the zip's own bytes carry the
    time it was written)."""
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        return {k: repr((z[k].shape, z[k].dtype)).encode() + z[k].tobytes() for k in z.files}


def _damaged(good: bytes) -> dict[str, bytes]:
    with np.load(io.BytesIO(good), allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}

    def packed(**change: object) -> bytes:
        buf = io.BytesIO()
        np.savez(buf, **{**arrays, **change})  # type: ignore[arg-type]
        return buf.getvalue()

    h, w = arrays["bgr"].shape[:2]
    half = packed()
    return {
        "empty": b"",
        "not a zip": b"PK\x03\x04 not really",
        "truncated": good[: len(good) // 2],
        "bit flipped": good[:200] + bytes([good[200] ^ 0xFF]) + good[201:],
        "no keypoints array": half.replace(b"pts.npy", b"xyz.npy"),
        "grey artwork": packed(bgr=arrays["bgr"][..., 0]),
        "float artwork": packed(bgr=arrays["bgr"].astype(np.float32)),
        "mask of another size": packed(ink=arrays["ink"][:-1]),
        "blank mask": packed(ink=np.zeros((h, w), np.uint8)),
        "mark outside": packed(mark_box=np.array([0, 0, w + 5, h], np.int64)),
        "mark as floats": packed(mark_box=np.array([0.0, 0.0, 4.0, 4.0])),
        "descriptors of another length": packed(des=arrays["des"][:, :64]),
        "fewer descriptors than points": packed(des=arrays["des"][:-1]),
        "not finite": packed(pts=np.full_like(arrays["pts"], np.nan)),
        "no colour regions": half.replace(b"regions.npy", b"xyzxyzx.npy"),
        "regions of two channels": packed(regions=arrays["regions"][:, :2]),
        "too many regions": packed(regions=np.zeros((9, 3), np.float32)),
        "regions not finite": packed(regions=np.full_like(arrays["regions"], np.inf)),
        "no axes": half.replace(b"axes.npy", b"axez.npy"),
        "axes of two channels": packed(axes=arrays["axes"][:, :2]),
        "three axes": packed(axes=np.concatenate([arrays["axes"]] * 3)),
        "axes as doubles": packed(axes=arrays["axes"].astype(np.float64)),
        "axes not finite": packed(axes=np.full_like(arrays["axes"], np.nan)),
        "objects": packed(des=np.array([object()], dtype=object)),
        # the reversed twin's are checked as the template's own are
        "twin's regions of two channels": packed(reversed_regions=arrays["regions"][:, :2]),
        "twin's axes not finite": packed(reversed_axes=np.full_like(arrays["axes"], np.nan)),
        "twin's descriptors of another length": packed(reversed_des=arrays["reversed_des"][:, :64]),
        # and the knockout twin's, which the demo mark has: present, and well formed
        "no knockout twin's regions": half.replace(
            b"knockout_regions.npy", b"knockout_xyzxyzx.npy"
        ),
        "knockout twin's axes not finite": packed(
            knockout_axes=np.full_like(arrays["axes"], np.nan)
        ),
    }


def test_a_damaged_file_counts_as_absent(tmp_path: Path) -> None:
    store = TemplateStore(tmp_path)
    store.load(SAMPLE_LOGO)
    (path,) = store.directory.glob("*.npz")
    good = path.read_bytes()
    fresh = LogoTemplate.load(SAMPLE_LOGO)
    for what, content in _damaged(good).items():
        path.write_bytes(content)
        tpl = store.load(SAMPLE_LOGO)  # prepared again, no exception
        _same(tpl, fresh)
        assert _arrays(path.read_bytes()) == _arrays(good), what  # and kept again, whole


def test_only_a_regular_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = TemplateStore(tmp_path / "elsewhere")
    elsewhere.load(SAMPLE_LOGO)
    (kept,) = elsewhere.directory.glob("*.npz")
    store = TemplateStore(tmp_path / "store")
    store.directory.mkdir(parents=True)
    _refuse_to_prepare(monkeypatch)
    target = store.directory / kept.name
    target.symlink_to(kept)
    with pytest.raises(AssertionError, match="prepared again"):
        store.load(SAMPLE_LOGO)  # not read through the link
    target.unlink()
    os.mkfifo(target)  # would block a plain read
    with pytest.raises(AssertionError, match="prepared again"):
        store.load(SAMPLE_LOGO)


def test_a_store_that_cannot_be_written_is_skipped(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    tpl = TemplateStore(blocker).load(SAMPLE_LOGO)  # no exception
    _same(tpl, LogoTemplate.load(SAMPLE_LOGO))


def test_a_template_that_cannot_be_read_raises_as_without_the_store(tmp_path: Path) -> None:
    store = TemplateStore(tmp_path)
    with pytest.raises(OSError):
        store.load(tmp_path / "missing.png")
    with pytest.raises(ValueError):
        store.load(b"not an image")
    assert not store.directory.exists() or not list(store.directory.iterdir())


def test_the_detector_of_the_commands_uses_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gkcheck.config import Config
    from gkcheck.submission.resources import Resources

    cfg = Config(logo_templates=(SAMPLE_LOGO,))
    monkeypatch.setenv("GKCHECK_CACHE_DIR", str(tmp_path))
    Resources(cfg).logo_detector  # noqa: B018 - built for its side effect
    assert len(list((tmp_path / "logo-template").glob("*.npz"))) == 1
    monkeypatch.setenv("GKCHECK_CACHE_DIR", "")  # turned off: nothing read or kept
    _refuse_to_prepare(monkeypatch)
    with pytest.raises(AssertionError, match="prepared again"):
        Resources(cfg).logo_detector  # noqa: B018


def test_the_code_digest_covers_the_decoding_that_prepares_a_template() -> None:
    # a template is decoded by ``vision/imageio.py`` (and ``headers.py``, ``pillow.py``)
    # before the detector's own modules see it: an edit there must not find a kept template
    import gkcheck.vision
    from gkcheck.vision.logo.cache_files import digest_sources

    vision = Path(gkcheck.vision.__file__).resolve().parent
    names = {p.relative_to(vision).as_posix() for p in digest_sources()}
    assert {"imageio.py", "headers.py", "limits.py", "pillow.py"} <= names
    assert {"logo/template.py", "logo/keypoints.py", "logo/template_store.py"} <= names


def test_only_the_most_recently_used_templates_are_kept(tmp_path: Path) -> None:
    store = TemplateStore(tmp_path)
    store.load(SAMPLE_LOGO)
    (used,) = store.directory.glob("*.npz")
    others = []
    for k in range(4):  # prepared by other versions of gkcheck, long ago
        other = store.directory / f"{k:040x}.npz"
        other.write_bytes(used.read_bytes())
        os.utime(other, (1_000_000 + k, 1_000_000 + k))
        others.append(other)
    os.utime(used, (0, 0))
    foreign = store.directory / "notes.txt"  # not the store's own: never removed
    foreign.write_text("x", encoding="utf-8")
    os.utime(foreign, (0, 0))
    store.load(SAMPLE_LOGO)  # read back: now the most recently used
    store.prune(keep=2)
    assert sorted(p.name for p in store.directory.iterdir()) == sorted(
        [used.name, others[-1].name, "notes.txt"]
    )
