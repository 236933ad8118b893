"""A real server on 127.0.0.1 (uvicorn in a thread, worker processes) for the serve tests."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from gkcheck.serve.app import create_app
from gkcheck.serve.settings import MiB, Settings

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


@dataclass
class Running:
    """A started server: its URL, its settings and its private upload folder."""

    url: str
    settings: Settings
    root: Path

    def client(self, **kw: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=300.0, **kw)  # type: ignore[arg-type]

    def leftovers(self) -> list[Path]:
        """Whatever is still in the upload folder (must be nothing between requests)."""
        return sorted(self.root.rglob("*"))


@contextlib.contextmanager
def running(settings: Settings) -> Iterator[Running]:
    """Serve ``settings`` until the block ends; yields once every worker is ready."""
    import uvicorn

    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 300
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    while httpx.get(url + "/healthz").json()["ready"] < settings.workers:
        if time.monotonic() > deadline:
            raise RuntimeError("workers did not start")
        time.sleep(0.2)
    root = app.state.gk.root
    try:
        yield Running(url, settings, root)
    finally:
        server.should_exit = True
        thread.join(timeout=60)
        assert not root.exists(), "the server's upload folder outlived it"


@pytest.fixture(scope="package")
def server() -> Iterator[Running]:
    """The ordinary server: 2 workers, uploads up to 2 MiB."""
    with running(Settings(workers=2, queue=2, timeout=600, max_upload=2 * MiB, plugins=False)) as s:
        yield s


@pytest.fixture(scope="package")
def samples_dir() -> Path:
    return SAMPLES
