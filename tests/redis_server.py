"""A throwaway Redis server for the tests of the shared rate-limit store (``[rate_limits] store = "redis"``).

:func:`redis_server` (session) runs Debian's ``redis-server`` (package ``redis-server``) on 127.0.0.1 only, on a
free port, without a Unix socket and without persistence (no RDB snapshots, no AOF), in a fresh temporary directory;
it is stopped and the directory deleted at the end of the session. A watchdog process stops it when the session
ends, even when the test process is killed. The system service is never involved.

:func:`redis_url` (function) gives each test the server's URL with its data flushed first.

Without the binary the Redis cases are skipped with the reason, except when ``CI=true``: there they fail, since
``make test`` installs the package in CI.

Register in a test module or conftest with ``from tests.redis_server import redis_server, redis_url  # noqa: F401``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.pg import free_port

START_TIMEOUT = 30  # seconds the server has to answer PING
STOP_TIMEOUT = 60  # seconds the keeper has to stop it once the session ends


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"Redis tests cannot run: {reason} (in CI `make test` installs Debian's redis-server package)")
    pytest.skip(f"Redis tests skipped: {reason} (install Debian's redis-server package to run them)")


@dataclass(frozen=True)
class RedisServer:
    """A running throwaway server (no password, database 0)."""

    port: int
    host: str = "127.0.0.1"

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"


#: The server's parent for the session: starts it, waits until its own stdin closes (the session ended, normally or
#: killed), then stops it and deletes its directory, so that an interrupted run leaves no server behind.
KEEPER = """
import shutil, subprocess, sys
base, *cmd = sys.argv[1:]
server = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
sys.stdin.buffer.read()
server.terminate()
try:
    server.wait(timeout=30)
except subprocess.TimeoutExpired:
    server.kill()
    server.wait()
shutil.rmtree(base, ignore_errors=True)
"""


def _wait_until_up(keeper: subprocess.Popen, port: int, log: Path) -> None:
    import redis

    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while time.monotonic() < deadline:
            if keeper.poll() is not None:
                server_log = log.read_text() if log.exists() else ""
                raise RuntimeError(f"redis-server exited ({keeper.returncode}):\n{server_log}")
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer within {START_TIMEOUT} s:\n{log.read_text()}")
    finally:
        client.close()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    binary = shutil.which("redis-server")
    if binary is None:
        _unavailable("no redis-server on PATH")
    base = Path(tempfile.mkdtemp(prefix="gateway-redis-"))
    log = base / "server.log"
    port = free_port()
    keeper = subprocess.Popen(
        [sys.executable, "-c", KEEPER, str(base), binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
         "--appendonly", "no", "--dir", str(base), "--logfile", str(log), "--daemonize", "no"],
        stdin=subprocess.PIPE, start_new_session=True)
    try:
        _wait_until_up(keeper, port, log)
        yield RedisServer(port=port)
    finally:
        keeper.stdin.close()  # the keeper stops the server and deletes its directory
        keeper.wait(timeout=STOP_TIMEOUT)


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The server's URL, its data flushed (each test starts with no counters)."""
    import redis

    with redis.Redis(host=redis_server.host, port=redis_server.port) as client:
        client.flushall()
    return redis_server.url
