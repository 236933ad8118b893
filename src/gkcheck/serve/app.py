"""The web application: the page, the HTTP API, and the limits that keep the server alive.

Every request's uploads go into a private folder (mode 0700) under one per-server folder,
stored under names made safe by :func:`gkcheck.uploads.safe_name` (a client's name is never
used as a path), and the folder is removed when the answer is sent, whatever happened. A
server that was killed leaves its folder behind; the next one removes folders whose server
is gone. The checks run in :class:`~gkcheck.serve.pool.WorkerPool`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from gkcheck import __version__
from gkcheck.batch.hygiene import pid_alive
from gkcheck.findings import SCHEMA
from gkcheck.rules import messages
from gkcheck.serve.i18n import words
from gkcheck.serve.openapi import openapi
from gkcheck.serve.pool import Busy, WorkerPool
from gkcheck.serve.settings import Settings
from gkcheck.serve.work import Job, WorkerConfig
from gkcheck.uploads import safe_name

__all__ = ["create_app"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DIR_PREFIX = "gkcheck-serve-"
COOKIE = "gkcheck_session"
_RULE_ID = re.compile(r"^[A-Z]{2,5}[0-9]{3}$")
_OPEN_PATHS = ("/healthz", "/login", "/static/")
#: The page may load only what this server serves (thumbnails are data: URIs).
_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_PROGRESS_ID = re.compile(r"^[0-9a-f]{16,64}$")
#: The little work done in the server's own threads (banner text, rule list) goes one call at a
#: time: first imports of the word lists are not safe from several threads at once.
_IN_PROCESS = threading.Lock()


class _TooLarge(Exception):
    pass


class BodyLimit:
    """413 for a request body over ``limit`` bytes: by Content-Length at once, else as it streams."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            await _too_large(self.limit)(scope, receive, send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if not started:
                await _too_large(self.limit)(scope, receive, send)


def _too_large(limit: int) -> Response:
    return JSONResponse(
        {"error": "too-large", "message": f"the upload exceeds {limit} bytes"},
        status_code=413,
        headers={"Connection": "close"},
    )


def _session(token: str) -> str:
    return hmac.new(token.encode("utf-8"), b"gkcheck-session", hashlib.sha256).hexdigest()


class TokenGate:
    """With a token set: the API wants ``Authorization: Bearer``, the page a login cookie."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token

    def _allowed(self, scope: Scope) -> bool:
        assert self.token is not None
        headers = dict(scope.get("headers") or [])
        auth = headers.get(b"authorization", b"").decode("latin-1")
        if auth[:7].lower() == "bearer " and hmac.compare_digest(
            auth[7:].strip().encode("utf-8"), self.token.encode("utf-8")
        ):
            return True
        for part in headers.get(b"cookie", b"").decode("latin-1").split(";"):
            name, _, value = part.strip().partition("=")
            if name == COOKIE and hmac.compare_digest(value, _session(self.token)):
                return True
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if (
            self.token is None
            or scope["type"] != "http"
            or path.startswith(_OPEN_PATHS)
            or self._allowed(scope)
        ):
            await self.app(scope, receive, send)
            return
        response: Response
        if path.startswith("/api/"):
            response = JSONResponse(
                {"error": "unauthorized", "message": "send Authorization: Bearer TOKEN"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        else:
            response = RedirectResponse("/login", status_code=303)
        await response(scope, receive, send)


# -- private folders ---------------------------------------------------------------------------


def _sweep_stale(root: Path) -> None:
    """Remove the folders of servers that are gone (killed before they could clean up)."""
    with contextlib.suppress(OSError):
        for entry in root.iterdir():
            m = re.fullmatch(re.escape(DIR_PREFIX) + r"(\d+)-.*", entry.name)
            if not m or not entry.is_dir() or entry.owner() != _me():
                continue
            pid = int(m.group(1))
            if pid == os.getpid() or pid_alive(pid):
                continue
            shutil.rmtree(entry, ignore_errors=True)


def _me() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


class State:
    """What the app holds while it runs."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pool = WorkerPool(
            WorkerConfig(config=settings.config, plugins=settings.plugins, runner=settings.runner),
            workers=settings.workers,
            queue=settings.queue,
            timeout=settings.timeout,
        )
        self.root: Path | None = None
        self.rules: dict[str, dict[str, Any]] = {}
        self.progress: dict[str, dict[str, Any]] = {}  # page requests in flight, by their id

    def folder(self) -> Path:
        """A new private folder for one request."""
        assert self.root is not None
        path = self.root / uuid.uuid4().hex
        path.mkdir(mode=0o700)
        return path


# -- uploads -----------------------------------------------------------------------------------


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    n, candidate = 1, name
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{stem}({n})" + (f".{suffix}" if suffix else "")
    taken.add(candidate.casefold())
    return candidate


def _write(upload: UploadFile, target: Path) -> None:
    upload.file.seek(0)
    with target.open("xb") as fh:
        shutil.copyfileobj(upload.file, fh, 1 << 20)


class BadRequest(Exception):
    """The request cannot be checked as sent (400)."""


async def _stage(
    request: Request, state: State, folder: Path, *, page: bool
) -> tuple[Job, dict[str, str]]:
    """Store the request's uploads in ``folder``; the job that checks them, and the form's fields."""
    form = await request.form(max_files=state.settings.max_files, max_fields=20)
    uploads = [v for _, v in form.multi_items() if isinstance(v, UploadFile)]
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    if not uploads:
        raise BadRequest("no file: send one or more files in the multipart field 'files'")
    names = [safe_name(u.filename) for u in uploads]
    zips = [n for n in names if n.lower().endswith(".zip")]
    mode = fields.get("mode", "submission" if page and len(uploads) > 1 else "files")
    if mode not in ("files", "submission"):
        raise BadRequest("mode: 'files' or 'submission'")
    lang = fields.get("lang") or None
    if lang not in (None, "zh", "en"):
        raise BadRequest("lang: 'zh' or 'en'")
    inbox = folder / "in"
    inbox.mkdir()
    inputs: list[tuple[str, str]] = []
    if zips:
        if len(uploads) > 1:
            raise BadRequest("send a zip alone: one zip is one submission")
        form_kind = "zip"
        await asyncio.to_thread(_write, uploads[0], inbox / names[0])
        inputs.append((f"in/{names[0]}", names[0]))
    elif mode == "submission":
        form_kind = "submission"
        sub = safe_name(fields.get("name") or "", default="submission")
        (inbox / sub).mkdir()
        taken: set[str] = set()
        for upload, name in zip(uploads, names, strict=True):
            await asyncio.to_thread(_write, upload, inbox / sub / _unique(name, taken))
        inputs.append((f"in/{sub}", sub))
    else:
        form_kind = "files"
        for i, (upload, name) in enumerate(zip(uploads, names, strict=True)):
            (inbox / str(i)).mkdir()
            await asyncio.to_thread(_write, upload, inbox / str(i) / name)
            inputs.append((f"in/{i}/{name}", name))
    for upload in uploads:
        await upload.close()
    job = Job(
        folder=str(folder),
        form=form_kind,
        inputs=tuple(inputs),
        lang=lang,
        select=fields.get("select", ""),
        ignore=fields.get("ignore", ""),
        view=page,
    )
    return job, fields


def _failed_results(state: State, job: Job, reason: str, detail: str) -> list[dict[str, Any]]:
    """One GK000 result per input, for a job whose worker hung or died."""
    import argparse

    from gkcheck.batch.worker import failure_result
    from gkcheck.cli import effective_config

    args = argparse.Namespace(config=state.settings.config, lang=job.lang, select="", ignore="")
    cfg = effective_config(args)
    lang = str(job.lang or cfg.lang)
    return [
        failure_result(
            cfg, lang, Path(shown), reason, detail=detail, limit=state.settings.timeout
        ).to_dict()
        for _, shown in job.inputs
    ]


async def _run(
    request: Request, *, page: bool
) -> tuple[dict[str, Any], Job | None, dict[str, str]]:
    """Stage, check and clean up; the answer (``results`` [+ ``views``]) or an error."""
    state: State = request.app.state.gk
    folder = state.folder()
    try:
        job, fields = await _stage(request, state, folder, page=page)
        key = fields.get("progress", "")
        progress: dict[str, Any] | None = None
        if page and _PROGRESS_ID.fullmatch(key) and key not in state.progress:
            progress = state.progress[key] = {"state": "queued", "ticket": 0}
        try:
            status, data = await state.pool.run(job, progress)
        finally:
            if progress is not None:
                state.progress.pop(key, None)
        if status != "ok":
            reason = "timeout" if status == "timeout" else "crash"
            results = _failed_results(state, job, reason, str(data or ""))
            data = {"results": results, "views": None}
        return data, job, fields
    finally:
        await request.close()  # the parser's spooled copies of the uploads
        await asyncio.to_thread(shutil.rmtree, folder, True)


def _envelope(results: list[dict[str, Any]]) -> str:
    """The exact text ``gkcheck check --format json`` prints for these results."""
    envelope = {"schema": SCHEMA, "gkcheck": __version__, "results": results}
    return json.dumps(envelope, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def _keep(state: State, text: str) -> None:
    keep = state.settings.keep
    if keep is None:
        return
    keep.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    (keep / f"{stamp}-{uuid.uuid4().hex[:8]}.json").write_text(text, encoding="utf-8")


def _error(code: str, message: str, status: int, **headers: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


# -- endpoints ---------------------------------------------------------------------------------


async def api_check(request: Request) -> Response:
    """POST /api/v1/check: the JSON contract for the uploaded files."""
    try:
        data, _, _ = await _run(request, page=False)
    except BadRequest as exc:
        return _error("bad-request", str(exc), 400)
    except Busy as exc:
        return _error("busy", str(exc), 503, **{"Retry-After": str(exc.retry_after)})
    text = _envelope(data["results"])
    await asyncio.to_thread(_keep, request.app.state.gk, text)
    return Response(text, media_type="application/json; charset=utf-8")


async def api_banner(request: Request) -> Response:
    """POST /api/v1/banner: ``{"text": …}`` → as ``gkcheck banner --format json TEXT``."""
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        return _error("bad-request", 'send JSON: {"text": "…"}', 400)
    text = body.get("text") if isinstance(body, dict) else None
    lang = body.get("lang") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text.strip() or len(text) > 500:
        return _error("bad-request", "text: a non-empty string of at most 500 characters", 400)
    if lang not in (None, "zh", "en"):
        return _error("bad-request", "lang: 'zh' or 'en'", 400)
    state: State = request.app.state.gk
    results = await asyncio.to_thread(_banner, state, text, lang)
    return JSONResponse({"schema": 1, "results": results})


def _banner(state: State, text: str, lang: str | None) -> list[dict[str, Any]]:
    import argparse

    from gkcheck.checks.banner import banner_results
    from gkcheck.cli import effective_config

    cfg = effective_config(argparse.Namespace(config=state.settings.config, lang=lang))
    with _IN_PROCESS:
        return banner_results(cfg, texts=[text], photos=[], lang=str(lang or cfg.lang))


def rules_json(lang: str | None, config: Path | None, plugins: bool) -> dict[str, Any]:
    """What ``gkcheck rules --format json`` prints."""
    import argparse

    from gkcheck.api import engine_for
    from gkcheck.cli import effective_config

    cfg = effective_config(argparse.Namespace(config=config, lang=lang))
    lg = str(lang or cfg.lang)
    with _IN_PROCESS:
        registry = engine_for(cfg, lang=lg, plugins=plugins).registry
    return registry.catalogue(lg)


async def _rules_for(state: State, lang: str | None) -> dict[str, Any]:
    key = lang or ""
    if key not in state.rules:
        s = state.settings
        state.rules[key] = await asyncio.to_thread(rules_json, lang, s.config, s.plugins)
    return state.rules[key]


async def api_rules(request: Request) -> Response:
    """GET /api/v1/rules."""
    lang = request.query_params.get("lang")
    if lang not in (None, "zh", "en"):
        return _error("bad-request", "lang: 'zh' or 'en'", 400)
    return JSONResponse(await _rules_for(request.app.state.gk, lang))


async def healthz(request: Request) -> Response:
    """GET /healthz: alive, and how the pool stands."""
    pool = request.app.state.gk.pool
    return JSONResponse(
        {
            "status": "ok",
            "gkcheck": __version__,
            "workers": pool.workers,
            "ready": pool.ready,
            "in_flight": pool.in_flight,
            "capacity": pool.capacity,
        }
    )


async def api_openapi(request: Request) -> Response:
    """GET /api/v1/openapi.json."""
    return JSONResponse(openapi(request.app.state.gk.settings.auth))


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get("gkcheck_lang")
    return lang if lang in ("zh", "en") else request.app.state.gk.settings.lang


def _page(request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    lang = ctx.pop("lang", None) or _lang(request)
    env: Environment = request.app.state.templates
    kinds = messages(lang).get("file_kinds", {})
    text = env.get_template(template).render(lang=lang, t=words(lang), kinds=kinds, **ctx)
    response = HTMLResponse(text, status_code=status, headers=_PAGE_HEADERS)
    if request.query_params.get("lang") == lang:
        response.set_cookie("gkcheck_lang", lang, samesite="strict", max_age=365 * 86400)
    return response


async def page(request: Request) -> Response:
    """GET /: the page."""
    return _page(request, "index.html")


async def page_check(request: Request) -> Response:
    """POST /ui/check: the verdict as an HTML fragment for the page."""
    lang = _lang(request)
    t = words(lang)
    try:
        data, _, fields = await _run(request, page=True)
    except BadRequest as exc:
        return HTMLResponse(f'<p class="error">{_esc(str(exc))}</p>', status_code=400)
    except Busy as exc:
        msg = t["busy"].format(s=exc.retry_after)
        return HTMLResponse(
            f'<p class="error">{_esc(msg)}</p>',
            status_code=503,
            headers={"Retry-After": str(exc.retry_after)},
        )
    lang = fields.get("lang") or lang
    await asyncio.to_thread(_keep, request.app.state.gk, _envelope(data["results"]))
    views = data.get("views") or [_bare_view(r) for r in data["results"]]
    return _page(request, "result.html", views=views, lang=lang)


def _bare_view(result: dict[str, Any]) -> dict[str, Any]:
    """A view for a result the worker could not build one for (it hung or died)."""
    return {
        "name": result.get("path"),
        "ok": bool(result.get("ok")),
        "has_document": False,
        "places": [],
        "findings": result.get("findings", []),
        "photos": [],
    }


def _esc(text: str) -> str:
    import html

    return html.escape(text, quote=True)


async def page_progress(request: Request) -> Response:
    """GET /ui/progress/{id}: where the page's request stands (queued, running, unknown)."""
    state: State = request.app.state.gk
    item = state.progress.get(str(request.path_params["id"]))
    if item is None:
        return JSONResponse({"state": "unknown"})
    if item["state"] == "queued":
        return JSONResponse({"state": "queued", "ahead": state.pool.ahead(int(item["ticket"]))})
    elapsed = time.monotonic() - float(item["started"])
    return JSONResponse(
        {"state": "running", "elapsed": round(elapsed), "limit": round(state.settings.timeout)}
    )


async def rule_page(request: Request) -> Response:
    """GET /rules/{rule}: the rule's page, from the docs."""
    rule = str(request.path_params["rule"]).upper()
    if not _RULE_ID.fullmatch(rule):
        return HTMLResponse("not found", status_code=404)
    rules = (await _rules_for(request.app.state.gk, _lang(request)))["rules"]
    info = next((r for r in rules if r["id"] == rule), None)
    if info is None:
        return HTMLResponse("not found", status_code=404)
    settings = request.app.state.gk.settings
    text = await asyncio.to_thread(_rule_text, rule, settings.config, settings.plugins)
    return _page(request, "rule.html", rule=info, text=text)


def _rule_text(rule_id: str, config: Path | None, plugins: bool) -> str | None:
    """A rule's page, as ``gkcheck rules ID`` prints it (from the installed package)."""
    import argparse

    from gkcheck.api import engine_for
    from gkcheck.cli import effective_config
    from gkcheck.rulepages import rule_page

    cfg = effective_config(argparse.Namespace(config=config, lang=None))
    with _IN_PROCESS:
        rule = engine_for(cfg, plugins=plugins).registry.rules.get(rule_id)
    return rule_page(rule) if rule is not None else None


async def api_docs(request: Request) -> Response:
    """GET /api/docs: the OpenAPI description as a page (no outside assets)."""
    doc = openapi(request.app.state.gk.settings.auth)
    return _page(
        request, "apidocs.html", doc=doc, text=json.dumps(doc, ensure_ascii=False, indent=2)
    )


async def login(request: Request) -> Response:
    """GET/POST /login: the page's door when a token is set."""
    state: State = request.app.state.gk
    token = state.settings.token
    if request.method == "GET":
        return _page(request, "login.html", wrong=False)
    form = await request.form(max_files=0, max_fields=5)
    given = form.get("token")
    if token is None:
        return RedirectResponse("/", status_code=303)
    if isinstance(given, str) and hmac.compare_digest(given.encode(), token.encode()):
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(COOKIE, _session(token), httponly=True, samesite="strict")
        return response
    return _page(request, "login.html", status=401, wrong=True)


def create_app(settings: Settings | None = None) -> Starlette:
    """The ASGI app for ``settings`` (workers start with the app's lifespan)."""
    settings = settings or Settings()
    state = State(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        base = Path(tempfile.gettempdir())
        _sweep_stale(base)
        state.root = Path(tempfile.mkdtemp(prefix=f"{DIR_PREFIX}{os.getpid()}-"))
        try:
            await state.pool.start()
            yield
        finally:
            await state.pool.close()
            shutil.rmtree(state.root, ignore_errors=True)

    app = Starlette(
        routes=[
            Route("/", page),
            Route("/ui/check", page_check, methods=["POST"]),
            Route("/ui/progress/{id}", page_progress),
            Route("/rules/{rule}", rule_page),
            Route("/login", login, methods=["GET", "POST"]),
            Route("/api/v1/check", api_check, methods=["POST"]),
            Route("/api/v1/banner", api_banner, methods=["POST"]),
            Route("/api/v1/rules", api_rules),
            Route("/api/v1/openapi.json", api_openapi),
            Route("/api/docs", api_docs),
            Route("/healthz", healthz),
            Mount("/static", StaticFiles(packages=[("gkcheck.serve", "static")]), name="static"),
        ],
        lifespan=lifespan,
    )
    app.state.gk = state
    app.state.templates = Environment(
        loader=PackageLoader("gkcheck.serve", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    app.add_middleware(TokenGate, token=settings.token)
    app.add_middleware(BodyLimit, limit=settings.max_upload)
    return app
