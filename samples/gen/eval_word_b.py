"""Measure how well gkcheck's structure analysis agrees with generator B's truth.

Usage (from ``samples/``)::

    ../.venv/bin/python -m gen.eval_word_b /tmp/gkb-101 [/tmp/gkb-202 …] [--generate SEED:COUNT]

For each file: ``gkcheck.check(path)``; a place passes when its rule (title GK101, lead GK102,
body GK103, ending GK104) is not in ``result.rules()``; that is compared with the truth record
in ``expected.json``. The title/lead/ending texts of ``gkcheck.structure.outline`` are
compared with the truth texts (whitespace ignored), and the photo count with ``photos``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import gkcheck
from gkcheck.structure import outline

RULES = {"title": "GK101", "lead": "GK102", "body": "GK103", "ending": "GK104"}
#: the gkcheck role each plan role should get
EXPECT = {"subtitle": "title", "single": "lead", "trail": "trailing", "signature": "trailing",
          "textbox-anchor": "title"}


def _norm(s: str | None) -> str:
    return "".join((s or "").split())


def evaluate(folder: Path, *, out=sys.stdout, show_blocks: bool = True) -> dict:
    records = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    pairs = agree = 0
    per_place: Counter = Counter()
    per_place_ok: Counter = Counter()
    text_ok: Counter = Counter()
    photo_ok = 0
    disagreements = []
    text_diffs = []
    photo_diffs = []
    by_feature_bad: Counter = Counter()
    by_feature_all: Counter = Counter()
    convention: Counter = Counter()
    confusion: Counter = Counter()
    misroled: list = []
    for rec in records:
        path = folder / rec["file"]
        result = gkcheck.check(path)
        rules = result.rules()
        doc = result.document
        o = outline(doc)
        got = {p: RULES[p] not in rules for p in RULES}
        bad_here = False
        for place, want in rec["places"].items():
            pairs += 1
            per_place[place] += 1
            if got[place] == want:
                agree += 1
                per_place_ok[place] += 1
            else:
                bad_here = True
                disagreements.append((rec, place, want, got[place], doc, o))
        texts = {
            "title": o.title_text,
            "lead": o.lead.text if o.lead else None,
            "ending": o.ending.text if o.ending else None,
        }
        for k, v in texts.items():
            want_k = rec[k]
            if k == "title" and rec.get("subtitle") and _norm(v) == _norm(want_k + rec["subtitle"]):
                convention["title = main title + subtitle"] += 1
                want_k = v  # gkcheck's documented convention: a ——subtitle belongs to the title
            if _norm(v) == _norm(want_k):
                text_ok[k] += 1
            else:
                bad_here = True
                text_diffs.append((rec, k, rec[k], v))
        # role confusion: plan role -> gkcheck role, paragraphs matched by text
        got_roles: dict[str, list[str]] = {}
        for b in doc.blocks:
            got_roles.setdefault(_norm(b.text), []).append(str(b.role))
        for plan_role, text, where in rec.get("paragraphs", []):
            key = _norm(text)
            roles_k = got_roles.get(key)
            gk = roles_k.pop(0) if roles_k else "(not a block)"
            confusion[(plan_role, gk)] += 1
            if EXPECT.get(plan_role, plan_role) != gk and not (plan_role == "heading" and gk == "body"):
                misroled.append((rec["file"], plan_role, gk, text, where))
        n_photos = len(doc.photos) if doc is not None else -1
        if n_photos == rec["photos"]:
            photo_ok += 1
        else:
            photo_diffs.append((rec["file"], rec["photos"], n_photos))
        for f in rec["features"]:
            if f.startswith("slot:"):
                continue
            by_feature_all[f] += 1
            if bad_here:
                by_feature_bad[f] += 1

    n = len(records)
    p = lambda a, b: f"{a}/{b} ({100.0 * a / b:.1f}%)" if b else "0/0"  # noqa: E731
    print(f"== {folder}  ({n} reports)", file=out)
    print(f"place agreement: {p(agree, pairs)}", file=out)
    for place in RULES:
        print(f"  {place:7s} {p(per_place_ok[place], per_place[place])}", file=out)
    for k in ("title", "lead", "ending"):
        print(f"text {k:7s} {p(text_ok[k], n)}", file=out)
    print(f"photo count  {p(photo_ok, n)}", file=out)
    for k, v in convention.items():
        print(f"(accepted convention: {k}: {v} reports)", file=out)

    print("\n-- role confusion (plan role -> gkcheck role: paragraphs)", file=out)
    for (a, b), c in sorted(confusion.items()):
        mark = "" if EXPECT.get(a, a) == b or (a == "heading" and b == "body") else "   <-- off"
        print(f"  {a:10s} -> {b:14s} {c}{mark}", file=out)
    print("\n-- paragraphs with an unexpected role (file, plan role, gkcheck role, text)", file=out)
    for f, a, b, t, where in sorted(misroled, key=lambda m: (m[1], m[2], m[0])):
        print(f"  {a} -> {b}  {f}  [{where}]  {t[:40]!r}", file=out)

    print("\n-- place disagreements", file=out)
    for rec, place, want, have, doc, _o in disagreements:
        feats = [f for f in rec["features"] if not f.startswith("slot:")]
        slots = [f for f in rec["features"] if f.startswith("slot:")]
        print(f"* {rec['file']}  {place}: truth={want} gkcheck={have}", file=out)
        print(f"    features: {' '.join(feats)}", file=out)
        print(f"    slots:    {' '.join(slots)}", file=out)
        print(f"    truth {place}: {rec.get(place, '(body)')!r:.80}", file=out)
        if show_blocks and doc is not None:
            print("    blocks:", file=out)
            for b in doc.blocks:
                print(f"      {b.role!s:9s} {b.origin.container:7s} {b.text[:50]!r}", file=out)
    print("\n-- text disagreements (title/lead/ending text differs)", file=out)
    for rec, k, want, have in text_diffs:
        print(f"* {rec['file']}  {k}", file=out)
        print(f"    truth:   {want[:70]!r}", file=out)
        print(f"    gkcheck: {(have or '')[:70]!r}", file=out)
    print("\n-- photo count disagreements (file, truth, gkcheck)", file=out)
    for row in photo_diffs:
        print(f"  {row}", file=out)
    print("\n-- features of reports with any disagreement (bad/all, bad only)", file=out)
    for f, c in sorted(by_feature_bad.items(), key=lambda kv: (-kv[1] / by_feature_all[kv[0]], kv[0])):
        print(f"  {f:34s} {c}/{by_feature_all[f]}", file=out)
    return {"pairs": pairs, "agree": agree, "n": n, "text_ok": dict(text_ok), "photo_ok": photo_ok,
            "per_place": {k: (per_place_ok[k], per_place[k]) for k in RULES}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--generate", metavar="SEED:COUNT", help="(re)generate each folder first")
    ap.add_argument("--no-blocks", action="store_true", help="do not list blocks per disagreement")
    args = ap.parse_args(argv)
    summary = []
    for folder in args.folders:
        if args.generate:
            from gen.word_b import generate_reports_b

            seed, count = (int(x) for x in args.generate.split(":"))
            generate_reports_b(folder, seed=seed, count=count)
        s = evaluate(folder, show_blocks=not args.no_blocks)
        summary.append((folder, s))
        print()
    print("== summary")
    for folder, s in summary:
        print(f"  {folder}: places {s['agree']}/{s['pairs']} ({100 * s['agree'] / s['pairs']:.1f}%), "
              f"texts {s['text_ok']}, photos {s['photo_ok']}/{s['n']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
