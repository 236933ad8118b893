"""``gkcheck logo`` and ``gkcheck banner``: the vision layer on its own, from the shell.

A unit can check its photos (does the LOGO show?) and the banner text it is about to print,
before it sends anything; an integrator can call the same from JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from pathlib import Path
from typing import Any

from gkcheck.cli import _EXTRA_PARSERS, command, effective_config, help_words, job_count
from gkcheck.errors import GkcheckError
from gkcheck.ui import say

__all__: list[str] = []


def _add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    t = help_words(common)

    p = sub.add_parser("logo", parents=[common], help=t("cmd_logo"), description=t("logo_description"))
    p.add_argument("images", nargs="+", type=Path, metavar="IMAGE", help=t("logo_images"))
    p.add_argument("--box", default=None, help=t("logo_box"))
    p.add_argument("--auto", action="store_true", help=t("logo_auto"))
    p.add_argument("-o", "--output", type=Path, default=None, help=t("logo_output"))
    p.add_argument("--logo", action="append", type=Path, default=[], help=t("logo"))
    p.add_argument("--format", choices=("text", "json"), default="text", help=t("rules_format"))
    p.add_argument("--all", action="store_true", help=t("logo_all"))
    p.add_argument("--evidence", type=Path, default=None, help=t("logo_evidence"))
    p.add_argument("--jobs", "-j", type=job_count, default=0, help=t("logo_jobs"))

    b = sub.add_parser("banner", parents=[common], help=t("cmd_banner"), description=t("cmd_banner"))
    b.add_argument("texts", nargs="*", metavar="TEXT", help=t("banner_texts"))
    # --photo A.jpg B.jpg …: several photos in one run (one result each, the OCR models are
    # loaded once for all); repeating --photo adds more. Texts go before --photo (or after --).
    b.add_argument("--photo", nargs="+", action="extend", type=Path, default=[], metavar="IMAGE",
                   help=t("banner_photo"))
    b.add_argument("--format", choices=("text", "json"), default="text", help=t("rules_format"))


_EXTRA_PARSERS.append(_add_parsers)


def _demo_warning(lang: str) -> str:
    from gkcheck.catalogue import Msg

    return Msg("logo", "demo_template").text(lang)


@command("logo")
def _logo(args: argparse.Namespace) -> int:
    if str(args.images[0]) == "template" and not args.images[0].exists():
        return _logo_template(args)
    jobs = args.jobs or os.cpu_count() or 1
    ahead = _Ahead()
    try:
        return _logo_run(args, jobs, ahead)
    finally:
        ahead.finish()


class _Ahead:
    """A thread that works out each template's clutter threshold (``LogoDetector.prepare``)
    while the main one decodes and searches the first photos: 0.05-0.2 s of calibration in
    the first process that needs a template's, one read of the clutter store in the others.
    Then it loads the networks (``warm_up(clutter_images=0)``: the window ranker, then the
    pair verifiers), while the main thread is still decoding the first photo, whose decode
    leaves the other core idle: ~7 ms a one-photo process (fiftieth session, interleaved).

    Started once the detector exists (with a core to spare). Until the forty-ninth session it
    was started at once and loaded the networks while the main thread imported and read its
    configuration; the two threads then took turns at the same imports and loads, and a
    one-photo process took ~9 ms longer than with the networks loaded where they are first
    used (three interleaved runs: -20.2, -5.5 and -7.5 ms a photo, docs/vision/logo.md). A
    first run of each network on a blank input here as well gained nothing: it contends with
    the search. Stopped, and waited for, when the photos are done."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self._detector: Any = None
        self._thread = threading.Thread(target=self._run, name="gkcheck-logo-ahead")

    def start(self, detector: Any) -> None:
        self._detector = detector
        self._thread.start()

    def finish(self) -> None:
        self.stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        try:
            if not self.stop.is_set():
                self._detector.prepare(self.stop)
            if not self.stop.is_set():
                from gkcheck.vision.logo import warm_up

                warm_up(clutter_images=0)
        except Exception:  # noqa: BLE001 - only ahead of time: the detection that needs the
            # threshold (or the network) computes it itself and reports a failure as usual
            # (a failed computation keeps nothing), rather than a traceback from this thread
            return


class _DecodeAhead:
    """One photo read (``safeio.read_limited``: a FIFO or /dev/zero named on the command line
    is refused) and decoded for the detector (``decode_ahead``) in a thread of its own, started
    before the configuration and the prepared templates are read: the decode releases the GIL,
    and the second core was idle until the search (fifty-fifth session: 4.7 ms less a
    one-photo process, paired over 53 photos; docs/vision/logo.md)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._value: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="gkcheck-logo-decode")
        self._thread.start()

    def _run(self) -> None:
        from gkcheck.safeio import read_limited
        from gkcheck.vision.logo import decode_ahead

        try:
            self._value = decode_ahead(read_limited(self.path))
        except BaseException as exc:  # noqa: BLE001 - raised again where the photo is read
            self._error = exc

    def result(self) -> Any:
        """The ``DecodedAhead``, or what reading or decoding the photo raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def _logo_run(args: argparse.Namespace, jobs: int, ahead: _Ahead) -> int:
    from gkcheck.submission.evidence import logo_fact
    from gkcheck.submission.resources import Resources
    from gkcheck.vision.imageio import ImageDecodeError
    from gkcheck.vision.logo import is_demo_template

    # one photo with cores to spare (a CMS hook, a reviewer checking one photo): its decode
    # starts now, in a thread, while the configuration and the prepared templates are read
    first = _DecodeAhead(args.images[0]) if len(args.images) == 1 and jobs > 1 else None
    cfg = effective_config(args)
    detector = Resources.for_config(cfg).logo_detector
    if jobs > 1:
        ahead.start(detector)  # a core to spare: the calibration, off the main path
    # photos in parallel, and the cores left over to each photo's detection (one photo, one
    # process -- a CMS hook, a reviewer checking one photo -- uses them all)
    detector.threads = max(1, jobs // len(args.images))
    lang = str(args.lang or cfg.lang)
    demo = any(is_demo_template(p) for p in cfg.logo_templates)

    def one(path: Path) -> dict[str, Any]:
        item: dict[str, Any] = {"path": str(path), "found": False, "score": 0.0, "bbox": None}
        try:
            from gkcheck.safeio import read_limited

            if first is not None and path is first.path:
                decoded = first.result()  # raises what reading or decoding it raised
                data = decoded.data
                match = detector.detect(decoded, first_hit=not args.all)
            else:
                data = read_limited(path)  # a FIFO or /dev/zero on the command line is refused
                match = detector.detect(data, first_hit=not args.all)
            item.update(logo_fact(match))
            if match.found:
                item["template"] = match.template
            if args.evidence is not None:
                from gkcheck.vision.logo.evidence import evidence_jpeg

                args.evidence.mkdir(parents=True, exist_ok=True)
                out = args.evidence / f"{path.stem}.jpg"
                out.write_bytes(evidence_jpeg(data, match))
                item["evidence"] = str(out)
        except (OSError, ImageDecodeError, ValueError) as exc:
            item["error"] = str(exc)
        return item

    # photos in parallel threads (OpenCV and NumPy release the GIL; the detector is shared and
    # thread-safe), results in the order given
    if jobs > 1 and len(args.images) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(jobs, len(args.images))) as pool:
            results = list(pool.map(one, args.images))
    else:
        results = [one(p) for p in args.images]
    ahead.finish()  # before the results are printed: nothing runs on after the output
    if args.format == "json":
        doc: dict[str, Any] = {"schema": 1, "results": results}
        if demo:
            doc["demo_template"] = True
            doc["warning"] = _demo_warning(lang)
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        if demo:
            print(say("note", lang, text=_demo_warning(lang)))
        for r in results:
            if "error" in r:
                verdict = say("logo_unreadable", lang, detail=r["error"])
            elif r["found"]:
                verdict = say("logo_found", lang) + (
                    f"  score={r['score']}  bbox={r['bbox']}  template={r['template']}"
                )
            else:
                verdict = say("logo_not_found", lang) + f"  score={r['score']}"
            print(f"{r['path']}: {verdict}")
    if any("error" in r for r in results):
        return 1
    return 0 if all(r["found"] for r in results) else 1


def _logo_template(args: argparse.Namespace) -> int:
    """``gkcheck logo template PHOTO (--box x,y,w,h | --auto) -o OUT.png``."""
    from gkcheck.vision.imageio import ImageDecodeError
    from gkcheck.vision.logo.cut import cut_template

    if len(args.images) != 2 or args.output is None or (args.box is None) == (not args.auto):
        raise GkcheckError(msg="logo_template_usage")
    photo: Path = args.images[1]
    box: tuple[int, int, int, int] | None = None
    if args.box is not None:
        try:
            x, y, w, h = (int(v) for v in str(args.box).split(","))
        except ValueError:
            raise GkcheckError(msg="logo_bad_box", value=repr(args.box)) from None
        box = (x, y, w, h)
    try:
        cut = cut_template(photo.read_bytes(), box=box)
    except (OSError, ImageDecodeError, ValueError) as exc:
        raise GkcheckError(msg="file_problem", path=str(photo), detail=str(exc)) from exc
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(cut.png)
    x, y, w, h = cut.box
    where = f"({x},{y},{w},{h})"
    lang = str(args.lang or args.ui_lang)
    print(say("logo_template_cut", lang, photo=photo, where=where, out=args.output))
    print("[logo]")
    print(f"templates = [{json.dumps(str(args.output.resolve()), ensure_ascii=False)}]")
    return 0


@command("banner")
def _banner(args: argparse.Namespace) -> int:
    from gkcheck.checks.banner import banner_results

    if not args.texts and not args.photo:
        raise GkcheckError(msg="banner_nothing")
    cfg = effective_config(args)
    lang = str(args.lang or cfg.lang)
    results = banner_results(cfg, texts=args.texts, photos=args.photo, lang=lang)
    if args.format == "json":
        print(json.dumps({"schema": 1, "results": results}, ensure_ascii=False, indent=2))
    else:
        for r in results:
            head = r["input"]
            state = {True: "banner_valid", False: "banner_invalid", None: "banner_unread"}
            verdict = say(state[r["valid"]], lang)
            print(f"{head}: {verdict}" + (f"  「{r['text']}」" if r["text"] and r["text"] != head else ""))
            for f in r["findings"]:
                print(f"  {f['rule']} {f['message']}")
    sys.stdout.flush()
    return 0 if all(r["valid"] for r in results) else 1
