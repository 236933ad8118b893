"""NumPy's median and percentile, without the import their first call makes.

``np.median`` and ``np.percentile`` (through ``np.unique``) import ``numpy.ma`` on first use
to look for masked arrays: 15 ms of a one-photo ``gkcheck logo`` run, whose every other cost
was cut. These give the same values, bit for bit (``tests/vision/test_logo.py``), for the
plain arrays the detector has.
"""

from __future__ import annotations

import numpy as np

__all__ = ["median", "percentile"]


def median(a: np.ndarray) -> np.ndarray:
    """``np.median(a, axis=0)``."""
    s = np.sort(a, axis=0)
    n = s.shape[0]
    lo, hi = s[(n - 1) // 2], s[n // 2]
    out: np.ndarray
    if np.issubdtype(s.dtype, np.floating):  # the mean of the middle two, in their own type
        out = (lo + hi) / s.dtype.type(2)
    else:  # integers: in float64, as np.mean
        out = (lo.astype(np.float64) + hi) / 2.0
    return out


def percentile(a: np.ndarray | list[float], q: float) -> float:
    """``float(np.percentile(a, q))`` of a 1-D array (NumPy's default, linear method)."""
    s = np.sort(np.asarray(a).ravel())
    n = s.shape[0]
    v = (q / 100.0) * (n - 1)
    lo = int(np.floor(v))
    hi = min(lo + 1, n - 1)
    g = v - lo
    x0, x1 = s[lo], s[hi]
    d = x1 - x0
    # NumPy's ``_lerp``: from the nearer end, so that the ends are exact
    return float(x1 - d * (1.0 - g)) if g >= 0.5 else float(x0 + d * g)
