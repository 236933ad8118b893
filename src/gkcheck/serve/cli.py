"""``gkcheck serve``: start the web page and HTTP API (uvicorn running the Starlette app)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from gkcheck.cli import _EXTRA_PARSERS, command, help_words
from gkcheck.errors import GkcheckError
from gkcheck.serve.settings import MiB, Settings, is_loopback
from gkcheck.ui import say

__all__: list[str] = []


def _add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    t = help_words(common)

    p = sub.add_parser("serve", parents=[common], help=t("cmd_serve"), description=t("cmd_serve"))
    p.add_argument("--host", default="127.0.0.1", help=t("serve_host"))
    p.add_argument("--port", type=int, default=8000, help=t("serve_port"))
    p.add_argument("--workers", type=int, default=0, help=t("serve_workers"))
    p.add_argument("--queue", type=int, default=None, help=t("serve_queue"))
    p.add_argument("--timeout", type=float, default=None, help=t("serve_timeout"))
    p.add_argument("--max-upload", type=float, default=50, metavar="MB", help=t("serve_max_upload"))
    p.add_argument("--token", default=None, help=t("serve_token"))
    p.add_argument("--insecure-no-auth", action="store_true", help=t("serve_insecure"))
    p.add_argument("--keep", type=Path, default=None, metavar="DIR", help=t("serve_keep"))


_EXTRA_PARSERS.append(_add_parser)


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings from the command line; refuses an open server on a non-loopback address."""
    from gkcheck.cli import effective_config

    token = args.token or os.environ.get("GKCHECK_TOKEN") or None
    if not is_loopback(args.host) and token is None and not args.insecure_no_auth:
        raise GkcheckError(msg="serve_open", host=args.host)
    cfg = effective_config(args, Path.cwd())
    workers = args.workers or max(1, min(os.cpu_count() or 1, 8))
    if args.port < 0 or args.port > 65535 or workers > 64 or args.max_upload <= 0:
        raise GkcheckError(msg="serve_limits")
    return Settings(
        host=args.host,
        port=args.port,
        workers=workers,
        queue=args.queue if args.queue is not None else 2 * workers,
        timeout=args.timeout or cfg.timeout,
        max_upload=int(args.max_upload * MiB),
        token=token,
        keep=args.keep,
        config=args.config.resolve() if args.config else (cfg.source if cfg.source else None),
        plugins=not args.no_plugins,
        lang=str(args.lang or cfg.lang),
    )


@command("serve")
def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from gkcheck.serve.app import create_app

    settings = settings_from(args)
    where = f"http://{settings.host}:{settings.port}/"
    lang = str(args.lang or args.ui_lang)
    started = say(
        "serve_started",
        lang,
        where=where,
        workers=settings.workers,
        queue=settings.queue,
        timeout=f"{settings.timeout:g}",
        upload=settings.max_upload // MiB,
        token=say("serve_token_required", lang) if settings.auth else "",
    )
    print(f"gkcheck serve: {started}", file=sys.stderr)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="warning",
        timeout_graceful_shutdown=5,
    )
    return 0
