"""Build src/gkcheck/data/t2s.txt: single-character traditional → simplified pairs.

The keyword matcher folds traditional characters one by one (政務公開主題日 → 政务公开主题日).
zhconv has the mapping but imports pkg_resources (~0.7 s) at start-up, too slow for a
pre-publication hook, so its one-to-one character pairs are extracted once, here, and shipped.
Run: ``python tools/make_t2s.py`` (needs ``pip install zhconv``).
"""

from __future__ import annotations

from pathlib import Path

import zhconv.zhconv as zc  # type: ignore[import-untyped]

OUT = Path(__file__).resolve().parents[1] / "src" / "gkcheck" / "data" / "t2s.txt"


def main() -> None:
    zc.loaddict()
    table = zc.getdict("zh-cn")
    pairs = sorted(
        (t, s) for t, s in table.items() if len(t) == 1 and len(s) == 1 and t != s
    )
    OUT.write_text("".join(f"{t}{s}\n" for t, s in pairs), encoding="utf-8")
    print(f"{len(pairs)} pairs → {OUT}")


if __name__ == "__main__":
    main()
