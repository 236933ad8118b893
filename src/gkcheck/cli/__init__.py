"""Command line: argv → config → engine → writer → exit status.

Exit status: 0 when no finding reaches the fail level (default: error), 1 when one does,
2 for a usage, config or plugin error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, cast

from gkcheck import __version__
from gkcheck.config import Config, discover_config, load_config
from gkcheck.errors import GkcheckError
from gkcheck.ui import lang_from_argv, say

if TYPE_CHECKING:  # the findings and rules are the ``check`` command's, imported by it
    from gkcheck.findings import Result

__all__ = ["main"]

Command = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    """Register a sub-command's runner."""

    def wrap(fn: Command) -> Command:
        _COMMANDS[name] = fn
        return fn

    return wrap


class _Parser(argparse.ArgumentParser):
    """argparse in the interface language: headings, "usage:" and errors from the catalogue."""

    ui_lang = "zh"
    #: whether help texts are written in (``help_text``, ``wants_help``)
    texts = True

    def __init__(self, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        parents = kwargs.pop("parents", [])
        super().__init__(add_help=False, **kwargs)
        self._positionals.title = help_text("positionals")
        self._optionals.title = help_text("options")
        for parent in parents:  # as argparse does, but after the titles: groups merge by title
            self._add_container_actions(parent)
            self._defaults.update(parent._defaults)
        if add_help:
            self.add_argument(
                "-h", "--help", action="help", default=argparse.SUPPRESS, help=help_text("help")
            )

    def error(self, message: str) -> NoReturn:
        for key, pattern in _ARGPARSE_MESSAGES:
            m = pattern.fullmatch(message)
            if m:
                message = say(key, self.ui_lang, **m.groupdict())
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {say('error', self.ui_lang, message=message)}\n")


#: argparse's own error messages, as the catalogue words them (key, English pattern).
_ARGPARSE_MESSAGES = (
    ("arg_required", re.compile(r"the following arguments are required: (?P<args>.+)")),
    ("arg_unrecognized", re.compile(r"unrecognized arguments: (?P<args>.+)")),
    ("arg_choice", re.compile(r"argument (?P<arg>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)")),
    ("arg_expected", re.compile(r"argument (?P<arg>\S+): expected one argument")),
    ("arg_invalid", re.compile(r"argument (?P<arg>\S+): (?P<detail>.+)")),
)


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        if prefix is None:
            prefix = say("usage", _Parser.ui_lang)
        super().add_usage(usage, actions, groups, prefix)


def help_text(key: str) -> str:
    """A help text (a description, an option's help, a group's title) in the interface
    language; the bare key when the command line asks for no help (``wants_help``; a group's
    title must still be its own, argparse merges groups by title). Help texts are read only
    to print help, and writing them in is most of the parser's making: ~120 look-ups in the
    catalogue, which is itself parsed on the first (15 + 15 ms of a one-photo ``gkcheck
    logo`` process of ~0.45 s)."""
    return say(key, _Parser.ui_lang) if _Parser.texts else key


def wants_help(argv: Sequence[str]) -> bool:
    """Whether a command line may print help: ``-h`` (alone or among short flags, ``-qh``)
    or ``--help`` (or an abbreviation argparse accepts). When unsure, yes: help texts cost
    time, never a wrong answer."""
    for arg in argv:
        if arg == "--":
            break
        if arg.startswith("--"):
            if len(arg) >= 3 and "--help".startswith(arg):
                return True
        elif arg.startswith("-") and "h" in arg:
            return True
    return False


def ui(key: str, **fill: Any) -> str:
    """Interface text in the language the command line is parsed in (help, argparse errors)."""
    return say(key, _Parser.ui_lang, **fill)


def help_words(common: argparse.ArgumentParser) -> Callable[[str], str]:
    """``t(key)``: a help text (``help_text``), for a module adding a sub-command's help."""
    return help_text


def _parser(lang: str = "zh", texts: bool = True) -> argparse.ArgumentParser:
    """The command line's parser in ``lang``; without help texts unless ``texts``."""
    _Parser.ui_lang = lang
    _Parser.texts = texts
    t = help_text

    parser = _Parser(prog="gkcheck", description=t("description"), epilog=t("epilog"))
    parser.add_argument("--version", action="version", version=f"gkcheck {__version__}", help=t("version"))
    sub = parser.add_subparsers(dest="command", required=True)

    common = _Parser(add_help=False)
    common.set_defaults(ui_lang=lang)
    common._optionals.title = t("common_options")
    common.add_argument("--lang", choices=("zh", "en"), default=None, help=t("lang"))
    common.add_argument("--config", type=Path, default=None, help=t("config"))
    common.add_argument("--no-plugins", action="store_true", help=t("no_plugins"))
    common.add_argument("--waivers", type=Path, default=None, help=t("waivers"))

    p = sub.add_parser("check", parents=[common], help=t("cmd_check"), description=t("cmd_check"))
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help=t("paths"))
    p.add_argument("--format", default="text", help=t("format"))
    p.add_argument("--select", default="", help=t("select"))
    p.add_argument("--extend-select", default="", help=t("extend_select"))
    p.add_argument("--ignore", default="", help=t("ignore"))
    p.add_argument("--fail-level", choices=("error", "warning", "info"), default="error", help=t("fail_level"))
    p.add_argument("--exit-zero", action="store_true", help=t("exit_zero"))
    p.add_argument("--no-ocr", action="store_true", help=t("no_ocr"))
    p.add_argument("--banner", action="store_true", help=t("banner"))
    p.add_argument("--logo", action="append", type=Path, default=[], help=t("logo"))
    p.add_argument("--evidence", type=Path, default=None, help=t("evidence"))
    p.add_argument(
        "--output-file", "--output", "-o", dest="output", type=Path, default=None, help=t("output")
    )
    p.add_argument("--statistics", action="store_true", help=t("statistics"))
    p.add_argument("-q", "--quiet", action="store_true", help=t("quiet"))
    p.add_argument("--as-of", type=iso_date, default=None, help=t("as_of"))

    r = sub.add_parser("rules", parents=[common], help=t("cmd_rules"), description=t("cmd_rules"))
    r.add_argument("rule", nargs="?", help=t("rule"))
    r.add_argument("--format", choices=("text", "json"), default="text", help=t("rules_format"))

    s = sub.add_parser("config", parents=[common], help=t("cmd_config"), description=t("cmd_config"))
    s.add_argument("path", nargs="?", type=Path, default=Path("."), help=t("config_path"))

    for extra in _EXTRA_PARSERS:
        extra(cast(Any, sub), common)
    return parser


#: Other modules add sub-commands here (batch, logo, banner, schedule).
_EXTRA_PARSERS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser], argparse.ArgumentParser], None]] = []


def _load_extras() -> None:
    import importlib

    for mod in (
        "gkcheck.cli.vision",
        "gkcheck.batch.cli",
        "gkcheck.cli.schedule",
        "gkcheck.cli.waive",
        "gkcheck.serve.cli",
    ):
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name != mod and not (exc.name and mod.startswith(exc.name)):
                raise


def effective_config(args: argparse.Namespace, batch_root: Path | None = None) -> Config:
    """Config from ``--config``, else discovered (batch root, then the current directory).

    Never from inside a submission (see :func:`gkcheck.config.discover_config`).
    """
    path = args.config if args.config is not None else discover_config(batch_root)
    cfg = load_config(path)
    changes: dict[str, object] = {}
    if getattr(args, "as_of", None):
        changes["as_of"] = args.as_of
    if getattr(args, "lang", None):
        changes["lang"] = args.lang
    if getattr(args, "select", ""):
        changes["select"] = tuple(s.strip() for s in args.select.split(",") if s.strip())
    if getattr(args, "ignore", ""):
        changes["ignore"] = tuple(
            dict.fromkeys((*cfg.ignore, *(s.strip() for s in args.ignore.split(",") if s.strip())))
        )
    if getattr(args, "no_ocr", False):
        changes["ocr"] = False
    if getattr(args, "banner", False):
        changes["banner_read"] = "always"
    if getattr(args, "logo", None):
        missing = [p for p in args.logo if not p.is_file()]
        if missing:
            raise GkcheckError(msg="logo_missing", path=str(missing[0]))
        changes["logo_templates"] = tuple(p.resolve() for p in args.logo)
    return cfg.replace(**changes) if changes else cfg


def job_count(text: str) -> int:
    """``--jobs N``: a count of workers, 0 for one per core."""
    try:
        n = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(ui("bad_number", value=repr(text))) from exc
    if n < 0:
        raise argparse.ArgumentTypeError(ui("bad_jobs"))
    return n


def iso_date(text: str) -> dt.date:
    """An argparse type for ``--as-of``."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(ui("bad_date", value=repr(text))) from None


def _lang(args: argparse.Namespace, cfg: Config) -> str:
    return str(args.lang or cfg.lang)


@command("check")
def _check(args: argparse.Namespace) -> int:
    from gkcheck.api import engine_for
    from gkcheck.batch.discover import holds_submissions
    from gkcheck.waivers import waivers_for

    missing = [p for p in args.paths if not os.path.lexists(p)]
    if missing:
        print(f"gkcheck: {say('no_such_path', args.ui_lang, path=missing[0])}", file=sys.stderr)
        return 2
    roots = [p for p in args.paths if holds_submissions(p)]
    cfg = effective_config(args, roots[0] if roots else None)
    if args.evidence is not None:
        cfg = cfg.replace(plugins={**cfg.plugins, "evidence": {"dir": str(args.evidence)}})
    lang = _lang(args, cfg)
    engine = engine_for(cfg, lang=lang, plugins=not args.no_plugins)
    extend = tuple(s.strip() for s in args.extend_select.split(",") if s.strip())
    if extend:  # the selection so far (by default: every rule not off by default), and these
        base = cfg.select or tuple(
            r.id for r in engine.registry.sorted_rules() if not r.off_by_default
        )
        cfg = cfg.replace(select=(*base, *extend))
        engine = engine_for(cfg, lang=lang, plugins=not args.no_plugins)
    writer = engine.registry.writers.get(args.format)
    if writer is None:
        names = ", ".join(sorted(engine.registry.writers))
        text = say("unknown_format", lang, name=args.format, names=names)
        print(f"gkcheck: {text}", file=sys.stderr)
        return 2
    results: list[Result] = []
    from gkcheck.cli.output import Progress, emit, exit_status, fail_level_note, statistics

    quiet = bool(getattr(args, "quiet", False))
    progress = Progress(
        len(args.paths), lang=lang, enabled=sys.stderr.isatty() and not quiet
    )
    for path in args.paths:
        if path in roots:
            from gkcheck.batch.discover import discover

            refs = discover(path)
            if not quiet:
                print(f"gkcheck: {say('many_submissions', lang, path=path, n=len(refs))}", file=sys.stderr)
            waivers = waivers_for(path, args.waivers, is_root=True)
            progress.total += len(refs) - 1
            progress.enabled = progress.enabled or (sys.stderr.isatty() and not quiet)
            for ref in refs:
                progress.start(ref.path)
                results.append(waivers.apply_ref(engine.check(ref.path), ref))
                progress.advance()
        else:
            progress.start(path)
            results.append(waivers_for(path, args.waivers).apply_path(engine.check(path), path))
            progress.advance()
    progress.close()
    from gkcheck.rules import selected

    rules = [r for r in engine.registry.sorted_rules() if selected(r, cfg.select, cfg.ignore)]
    if args.statistics:
        text = statistics(results, rules, lang)
        if args.output is not None:
            args.output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    else:
        problem = emit(
            results, writer, lang=lang, rules=rules, output=args.output, quiet=quiet, config=cfg
        )
        if problem is not None:
            print(f"gkcheck: {problem}", file=sys.stderr)
            return 2
    if args.exit_zero:
        return 0
    level_note = fail_level_note(results, args.fail_level, lang)
    if level_note and not quiet:
        print(level_note, file=sys.stderr)
    return exit_status(results, args.fail_level)


@command("rules")
def _rules(args: argparse.Namespace) -> int:
    from gkcheck.api import engine_for

    cfg = effective_config(args)
    lang = _lang(args, cfg)
    registry = engine_for(cfg, lang=lang, plugins=not args.no_plugins).registry
    rules = registry.sorted_rules()
    if args.rule:
        wanted = [r for r in rules if args.rule.upper() == r.id or args.rule == r.name]
        if not wanted:
            print(f"gkcheck: {say('no_rule', lang, rule=args.rule)}", file=sys.stderr)
            return 2
        rule = wanted[0]
        from gkcheck.rulepages import rule_page

        page = rule_page(rule)
        print(page or f"{rule.id} {rule.name} ({rule.severity}) {rule.describe(lang)} [{rule.clause}]")
        return 0
    if args.format == "json":
        print(json.dumps(registry.catalogue(lang), ensure_ascii=False, indent=2))
        return 0
    for r in rules:
        plugin = registry.rule_plugin.get(r.id, "")
        origin = "" if plugin.startswith("gkcheck.") else f"  [{plugin}]"
        severity = say(f"severity_{r.severity}", lang)
        print(f"{r.id}  {r.name:<28} {severity:<8} {r.describe(lang)}{origin}")
    return 0


@command("config")
def _config(args: argparse.Namespace) -> int:
    cfg = effective_config(args, args.path)
    data = {
        "source": str(cfg.source) if cfg.source else None,
        "keyword": cfg.keyword,
        "year": cfg.year,
        "lang": cfg.lang,
        "units": [u.name for u in cfg.units],
        "near-misses": list(cfg.near_misses),
        "rules": {
            "select": list(cfg.select),
            "ignore": list(cfg.ignore),
            "severity": dict(cfg.severity),
            "per-file-ignores": {k: list(v) for k, v in cfg.per_file_ignores.items()},
        },
        "logo": {"templates": [str(p) for p in cfg.logo_templates], "threshold": cfg.logo_threshold},
        "ocr": {"enabled": cfg.ocr, "max-side": cfg.ocr_max_side},
        "photos": {"min-side": cfg.photo_min_side},
        "banner": {"read": cfg.banner_read},
        "batch": {"timeout": cfg.timeout},
        "discovery": "--config, else the nearest gkcheck.toml at or above the batch root, "
        "else at or above the current directory; never inside a submission",
        "plugins": {k: dict(v) for k, v in cfg.plugins.items()},
    }
    print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0


def run() -> NoReturn:
    """The ``gkcheck`` program (console script, ``python -m gkcheck``): :func:`main`, then exit.

    Everything is written when ``main`` returns; the collections of interpreter shutdown would
    then walk every object still alive (templates and their renders, arrays, the network) to
    free memory the system is about to take back: 20-45 ms of a one-photo ``gkcheck logo``,
    against 15-20 ms with them frozen (``gc.freeze``; objects are still released by their
    reference counts, and the standard streams flushed)."""
    import gc

    # one thread for OpenBLAS unless the caller chose: NumPy's import starts a pool of one
    # thread per core and exit tears it down again, 12-40 ms of every one-photo ``gkcheck
    # logo`` process, for a program that makes no BLAS call worth a second thread (the LOGO
    # detector makes none at all, docs/vision/logo.md; batch workers set their own share)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    logo = sys.argv[1:2] == ["logo"]
    if logo:
        # a process that lives half a second: freed memory kept for the next array, before
        # any thread starts (``heap.py``); a server (``serve``) keeps glibc's defaults
        from gkcheck.cli.heap import keep_freed_memory

        keep_freed_memory()
    status = main()
    if logo:
        _leave_now(status)
    gc.freeze()
    sys.exit(status)


def _leave_now(status: int) -> None:
    """End a ``gkcheck logo`` process once its answer is written, without the interpreter's
    shutdown: that shutdown waits for the verifications the detector started ahead in its
    threads and no longer needs once a window passed (``LogoDetector.detect``: they cannot be
    stopped midway), then tears down every module. Paired photo by photo over finalA's 53, a
    one-photo process ended 12-22 ms sooner at the median: ~26 ms where the LOGO is found,
    nothing where every window was verified (sixty-third session, docs/vision/logo.md).

    Nothing is lost: everything the command writes is written and closed by then (the
    templates' and clutter stores' files, ``--evidence`` images; its own thread ahead was
    joined), the standard streams are flushed here and the ``atexit`` functions run. Returns
    -- to the usual exit -- only when a stream cannot be flushed, which that exit reports."""
    import atexit

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    atexit._run_exitfuncs()
    os._exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    _load_extras()
    words = list(sys.argv[1:] if argv is None else argv)
    parser = _parser(lang_from_argv(words), texts=wants_help(words))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return _COMMANDS[args.command](args)
    except GkcheckError as exc:
        lang = str(getattr(args, "lang", None) or getattr(args, "ui_lang", "zh"))
        print(f"gkcheck: {exc.text(lang)}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
