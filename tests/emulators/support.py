"""What the emulators' tests share: the emulator under test (in process), and helpers for tests that run an emulator
as a real process on a free loopback port (``python -m emulators.…``)."""

from __future__ import annotations

import json
import queue
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest


@dataclass(frozen=True)
class EmulatorUnderTest:
    """An emulator's app factory and the developer app its tests pin (``tests/emulators/conftest.py``)."""

    create_app: Callable[[dict[str, Any]], Any]
    client_id: str
    client_secret: str


STARTUP_TIMEOUT = 60.0  # seconds (an emulator loads its schemas and seed data first)
HTTP_TIMEOUT = 10.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def authorize_callback(url: str) -> dict[str, list[str]]:
    """GET an authorize ``url`` that must redirect; the query parameters of the redirect's ``Location``."""
    with pytest.raises(urllib.error.HTTPError) as redirect:
        urllib.request.build_opener(_NoRedirect).open(url, timeout=HTTP_TIMEOUT)
    return urllib.parse.parse_qs(urllib.parse.urlsplit(redirect.value.headers["Location"]).query)


def first_line(process: subprocess.Popen, timeout: float = STARTUP_TIMEOUT) -> str:
    """The process's first stdout line; fails the test when none comes within ``timeout`` seconds."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(process.stdout.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        pytest.fail(f"no JSON line within {timeout}s")


@contextmanager
def running(*args: str) -> Iterator[tuple[dict[str, str], str]]:
    """``python *args --port <free port>``; yields its JSON line and its base URL, terminates it (or kills) on exit."""
    port = free_port()
    process = subprocess.Popen([sys.executable, *args, "--port", str(port)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        yield json.loads(first_line(process)), f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
