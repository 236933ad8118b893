"""Each template prepared once and kept on disk: its cropped artwork, its own mask, its keypoints.

A ``gkcheck logo`` process per photo (a CMS hook, a reviewer checking one photo) prepared the
same template in every process: decoding it and working out its own mask (``_own_mask``), its
colour regions (``LogoTemplate.colour_regions``, 40-80 ms of k-means that every colour layout
needs), its colour axes (``LogoTemplate.axis``, 2-8 ms before a search can start), and, for
most photos, its SIFT keypoints (``keypoints.template_features``), which a candidate below the
threshold needs; and the same three for its reversed twin (``LogoTemplate.reversed_twin``),
which a photo without a LOGO upright may need (``LogoDetector.reversed_keep``: ~110 ms of the
reversed round's first use in a process, fifty-fourth session), and for its knockout twin
(``LogoTemplate.knockout_twin``, ``LogoDetector.knockout_keep``), when it has one. Kept
here, a later process
reads them back instead; what
it reads is exactly what it would have computed (the arrays are stored losslessly), so the
store makes a check faster, never different. The measured gain is in docs/vision/logo.md ("Twelfth session").

A stored template is keyed by the template file's bytes and by what prepares it
(``cache_files.code_digest``: the vision package's sources, the networks, the OpenCV, NumPy and
Pillow versions): another file, a new version, an edited source or another OpenCV finds nothing
and prepares the template again. The file is a NumPy ``.npz`` read without pickles; one
that cannot be read, or whose arrays do not have the shapes and types a prepared template has,
counts as absent. The 32 most recently used are kept (``TemplateStore.prune``). Where, and how
files are read and written: ``cache_files.py``. The directory
is the reviewer's own cache, never a submission's: what is kept there is as trusted as the
installed package.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
from pathlib import Path
from typing import Any

import numpy as np

from .cache_files import Store, code_digest, read_kept, write_whole
from .keypoints import keep_template_features, template_features
from .layout import REGIONS
from .template import LogoTemplate, is_demo_template

__all__ = ["TemplateStore"]

_LIMIT = 16 << 20  # a prepared 400 px template with ~1 000 keypoints is ~1 MB
_KEEP = 32  # prepared templates kept; the least recently used go first
_NAME = re.compile(r"[0-9a-f]{40}\.npz")
_PREPARED = ("regions", "axes", "pts", "des")  # what a template's first use works out
# a prepared template: its artwork, and what its first use and its reversed twin's work out
# (``LogoTemplate.reversed_twin``: the reversed round's, ``LogoDetector.reversed_keep``)
_ARRAYS = ("bgr", "ink", "mark_box", *_PREPARED, *(f"reversed_{k}" for k in _PREPARED))
# and its knockout twin's, present exactly when the template has one
_KNOCKOUT = tuple(f"knockout_{k}" for k in _PREPARED)


class TemplateStore(Store):
    """Prepared templates, one ``.npz`` per template file, under ``directory``."""

    subdir = "logo-template"

    def key(self, data: bytes) -> str | None:
        """The file name for a template file of bytes ``data``; None when the code cannot be
        read to name it (then nothing is read or kept)."""
        try:
            code = code_digest()
        except OSError:
            return None
        h = hashlib.sha256(code.encode())
        h.update(b"\0")
        h.update(data)
        return h.hexdigest()[:40]

    def load(self, src: str | Path | bytes, *, name: str | None = None) -> LogoTemplate:
        """The template in ``src`` (a path or the file's bytes), as ``LogoTemplate.load`` gives
        it and with its keypoints worked out: read back when kept, else prepared and kept."""
        data = src if isinstance(src, bytes) else Path(src).read_bytes()
        if name is None:
            name = Path(src).name if isinstance(src, (str, Path)) else "template"
        key = self.key(data)
        path = None if key is None else self.directory / f"{key}.npz"
        if path is not None:
            kept = self._read(path, data, name)
            if kept is not None:
                _touch(path)
                return kept
        tpl = LogoTemplate.load(data, name=name)
        packed = _pack(tpl)  # prepares the template and its reversed twin (``_prepared``)
        if path is not None:
            write_whole(path, packed)
            self.prune()
        return tpl

    def prune(self, keep: int = _KEEP) -> None:
        """Keep the ``keep`` most recently used prepared templates, remove the others: every
        new version of gkcheck and every template file prepares a new one (~1 MB), which no
        later process of another version reads. Only this store's own files are removed."""
        try:
            entries = [
                e
                for e in os.scandir(self.directory)
                if _NAME.fullmatch(e.name) and e.is_file(follow_symlinks=False)
            ]
            if len(entries) <= keep:
                return
            entries.sort(key=lambda e: e.stat(follow_symlinks=False).st_mtime, reverse=True)
            for e in entries[keep:]:
                Path(e.path).unlink(missing_ok=True)
        except OSError:
            pass  # another process pruning too, or a directory not ours to change

    def _read(self, path: Path, data: bytes, name: str) -> LogoTemplate | None:
        try:
            raw = read_kept(path, _LIMIT)
            with np.load(io.BytesIO(raw), allow_pickle=False) as z:
                arrays = {k: z[k] for k in _ARRAYS}
                arrays.update({k: z[k] for k in _KNOCKOUT if k in z.files})
        except Exception:  # noqa: BLE001 - whatever a damaged file raises (a bad zip, an
            # unknown compression, a header NumPy refuses), it counts as absent: a cache must
            # never be why a check fails
            return None
        if not _well_formed(arrays):
            return None
        x0, y0, x1, y1 = (int(v) for v in arrays["mark_box"])
        tpl = LogoTemplate(
            name=name,
            bgr=np.ascontiguousarray(arrays["bgr"]),
            ink=np.ascontiguousarray(arrays["ink"]),
            mark_box=(x0, y0, x1, y1),
            _is_demo=is_demo_template(data),
        )
        knockout = tpl.knockout_twin()
        if (knockout is not None) != all(k in arrays for k in _KNOCKOUT):
            return None  # a twin without its arrays, or arrays without a twin: not ours
        if knockout is not None and not _prepared_well(arrays, "knockout_"):
            return None
        _keep(tpl, arrays, "")
        _keep(tpl.reversed_twin(), arrays, "reversed_")
        if knockout is not None:
            _keep(knockout, arrays, "knockout_")
        return tpl


def _touch(path: Path) -> None:
    """Mark a kept template as used now (what :meth:`TemplateStore.prune` orders by)."""
    with contextlib.suppress(OSError, NotImplementedError):
        os.utime(path, follow_symlinks=False)


def _keep(tpl: LogoTemplate, arrays: dict[str, np.ndarray], prefix: str) -> None:
    """Give ``tpl`` what ``_prepared`` worked out for it, read back under ``prefix``."""
    tpl.keep_colour_regions(np.ascontiguousarray(arrays[f"{prefix}regions"]))
    axes = [np.ascontiguousarray(a) for a in arrays[f"{prefix}axes"]]
    tpl.keep_axes(axes[0], axes[1] if len(axes) > 1 else None)
    des = arrays[f"{prefix}des"]
    keep_template_features(tpl, arrays[f"{prefix}pts"], des if len(des) else None)


def _prepared(tpl: LogoTemplate, prefix: str) -> dict[str, np.ndarray]:
    """What a template's first use works out -- its colour regions, its colour axes, its
    keypoints -- worked out now (and kept with it), as arrays named with ``prefix``."""
    pts, des = template_features(tpl)
    return {
        f"{prefix}regions": np.asarray(tpl.colour_regions(), np.float32).reshape(-1, 3),
        # the colour axis and, when there is one, the other orientation (``LogoTemplate.axis``)
        f"{prefix}axes": np.stack([a for a in (tpl.axis, tpl.other_axis()) if a is not None]),
        f"{prefix}pts": np.asarray(pts, np.float32).reshape(-1, 2),
        f"{prefix}des": np.asarray(np.zeros((0, 128)) if des is None else des, np.float32),
    }


def _pack(tpl: LogoTemplate) -> bytes:
    arrays: dict[str, Any] = {  # ``Any``: ``np.savez``'s other keyword is ``allow_pickle``
        "bgr": tpl.bgr,
        "ink": tpl.ink,
        "mark_box": np.asarray(tpl.mark_box, np.int64),
        **_prepared(tpl, ""),
        **_prepared(tpl.reversed_twin(), "reversed_"),
    }
    knockout = tpl.knockout_twin()
    if knockout is not None:
        arrays.update(_prepared(knockout, "knockout_"))
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def _well_formed(a: dict[str, np.ndarray]) -> bool:
    """The shapes and types ``LogoTemplate.from_array`` and SIFT give; anything else is a
    damaged file."""
    bgr, ink, box = (a[k] for k in ("bgr", "ink", "mark_box"))
    if bgr.dtype != np.uint8 or bgr.ndim != 3 or bgr.shape[2] != 3 or min(bgr.shape[:2]) < 1:
        return False
    h, w = bgr.shape[:2]
    if ink.dtype != np.uint8 or ink.shape != (h, w) or int(np.count_nonzero(ink)) < 20:
        return False
    if box.shape != (4,) or box.dtype.kind != "i":
        return False
    x0, y0, x1, y1 = (int(v) for v in box)
    if not (0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h):
        return False
    return _prepared_well(a, "") and _prepared_well(a, "reversed_")


def _prepared_well(a: dict[str, np.ndarray], prefix: str) -> bool:
    """What ``_prepared`` writes under ``prefix``, with the shapes and types it writes."""
    regions, axes, pts, des = (a[f"{prefix}{k}"] for k in _PREPARED)
    if regions.dtype != np.float32 or regions.ndim != 2 or regions.shape[1] != 3:
        return False
    if len(regions) > REGIONS or not np.isfinite(regions).all():
        return False
    if axes.dtype != np.float32 or axes.ndim != 2 or axes.shape[1] != 3:
        return False
    if not 1 <= len(axes) <= 2 or not np.isfinite(axes).all():
        return False
    if pts.dtype != np.float32 or pts.ndim != 2 or pts.shape[1] != 2:
        return False
    if des.dtype != np.float32 or des.ndim != 2 or des.shape[1] != 128:
        return False
    if len(des) not in (0, len(pts)) or (len(des) == 0 and len(pts) != 0):
        return False
    return bool(np.isfinite(pts).all() and np.isfinite(des).all())
