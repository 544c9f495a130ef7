"""A throwaway PostgreSQL cluster for the shared-state tests (gateway state on ``postgresql+asyncpg``).

:func:`pg_cluster` (session) runs Debian's server binaries (``/usr/lib/postgresql/*/bin``, package ``postgresql``):
``initdb`` into a fresh temporary directory with trust authentication, then ``pg_ctl start`` listening on
127.0.0.1 only, on a free port, without a Unix socket; the cluster is stopped and deleted at the end of the session.
As root (CI containers) the server runs as the ``postgres`` user the package creates (``initdb`` refuses root).
The system service is never involved. A watchdog process stops the cluster when the session ends, even when the
test process is killed.

:func:`database_url` (function, parametrised ``sqlite``/``postgresql``) gives each test a fresh, empty gateway
database: a file in ``tmp_path``, or a new database in the cluster.

Without the binaries the PostgreSQL cases are skipped with the reason, except when ``CI=true``: there they fail,
since ``make test`` installs the package in CI.

Register in a conftest with ``from tests.pg import database_url, pg_cluster  # noqa: F401``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

BIN_GLOB = "/usr/lib/postgresql/*/bin"
START_TIMEOUT = 60  # seconds pg_ctl waits for the server to accept connections
COMMAND_TIMEOUT = 120  # seconds for initdb / pg_ctl


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL tests cannot run: {reason} (in CI `make test` installs Debian's postgresql package)")
    pytest.skip(f"PostgreSQL tests skipped: {reason} (install Debian's postgresql package to run them)")


def server_bin_dir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` holding ``initdb`` and ``pg_ctl``, or ``None``."""
    found = [Path(d) for d in glob.glob(BIN_GLOB) if (Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists()]
    if not found:
        return None
    return max(found, key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else 0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class PgCluster:
    """A running throwaway cluster (superuser ``postgres``, trust authentication on 127.0.0.1)."""

    port: int
    user: str = "postgres"
    host: str = "127.0.0.1"

    def url(self, database: str) -> str:
        """SQLAlchemy URL of one database of the cluster."""
        return f"postgresql+asyncpg://{self.user}@{self.host}:{self.port}/{database}"


#: Run beside the test session: waits until its stdin closes (the session ended, normally or killed), then stops
#: the cluster and deletes its directory, so that an interrupted run leaves no server behind.
WATCHDOG = """
import shutil, subprocess, sys
sys.stdin.buffer.read()
pg_ctl, data, base, *prefix = sys.argv[1:]
subprocess.run([*prefix, pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"], capture_output=True, timeout=120)
shutil.rmtree(base, ignore_errors=True)
"""


def _run(cmd: list[str], *, log: Path | None = None) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=False)
    if done.returncode != 0:
        server_log = log.read_text() if log is not None and log.exists() else ""
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}\n{server_log}")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    bindir = server_bin_dir()
    if bindir is None:
        _unavailable(f"no server binaries under {BIN_GLOB}")
    try:
        import asyncpg  # noqa: F401
    except ImportError:
        _unavailable("the asyncpg driver is not installed (pip install -e '.[postgres]')")
    prefix: list[str] = []
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            _unavailable("running as root and there is no 'postgres' user to run the server as")
        runuser = shutil.which("runuser")
        if runuser is None:
            _unavailable("running as root without runuser(1) to drop to the 'postgres' user")
        prefix = [runuser, "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="gateway-pg-"))
    if owner is not None:
        os.chown(base, owner.pw_uid, owner.pw_gid)
    data, log = base / "data", base / "server.log"
    port = free_port()
    watchdog = subprocess.Popen([sys.executable, "-c", WATCHDOG, str(bindir / "pg_ctl"), str(data), str(base),
                                 *prefix], stdin=subprocess.PIPE, start_new_session=True)
    try:
        _run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
              "--no-locale", "--no-sync"])
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(f"\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = ''\n"
                       "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 100\n")
        _run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", str(START_TIMEOUT),
              "start"], log=log)
        yield PgCluster(port=port)
    finally:
        watchdog.stdin.close()  # the watchdog stops the cluster and deletes its directory
        watchdog.wait(timeout=COMMAND_TIMEOUT)


async def create_database(cluster: PgCluster) -> str:
    """Create an empty database in ``cluster``; returns its SQLAlchemy URL."""
    import asyncpg

    name = f"gw_{uuid.uuid4().hex[:16]}"
    conn = await asyncpg.connect(host=cluster.host, port=cluster.port, user=cluster.user, database="postgres")
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return cluster.url(name)


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request, tmp_path) -> str:
    """A fresh gateway database URL: SQLite in ``tmp_path``, or a new database of :func:`pg_cluster`."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    return await create_database(request.getfixturevalue("pg_cluster"))
