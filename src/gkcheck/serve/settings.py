"""The server's settings, fixed at start (the command line fills them)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Settings", "is_loopback"]

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Settings:
    """How the server listens, how much it takes, and who may use it."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2  # worker processes for the checks
    queue: int = 4  # requests that may wait for a worker; one more gets 503
    timeout: float = 120.0  # seconds a request's checks may take
    max_upload: int = 50 * MiB  # bytes of one request body; more gets 413
    max_files: int = 100  # files in one request
    token: str | None = None  # bearer token (API) / login (page); None: no auth
    keep: Path | None = None  # folder that keeps each answer's JSON; None: nothing is stored
    config: Path | None = None  # gkcheck.toml for every check
    plugins: bool = True
    lang: str = "zh"  # the page's default language
    runner: str | None = None  # worker job function "module:function" (tests)

    @property
    def auth(self) -> bool:
        """True when requests must show the token."""
        return self.token is not None


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
