"""A throwaway PostgreSQL cluster for the benchmark's shared-database scenarios (the approach of tests/pg.py).

Debian's server binaries (``/usr/lib/postgresql/<version>/bin``): ``initdb`` into a temporary directory with trust
authentication, ``pg_ctl start`` on 127.0.0.1 and a free port, no Unix socket; stopped (``-m immediate``) and
deleted when the ``with`` block ends. As root the server runs as the ``postgres`` user (``initdb`` refuses root).
Durability is off (``fsync``, ``synchronous_commit``): the figures compare process counts, not disks.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .procs import free_port

BIN_GLOB = "/usr/lib/postgresql/*/bin"
COMMAND_TIMEOUT = 120  # seconds for initdb, pg_ctl and createdb


def unavailable() -> str | None:
    """Why no cluster can be started here, or ``None`` when one can."""
    if not glob.glob(f"{BIN_GLOB}/initdb"):
        return f"no PostgreSQL server binaries under {BIN_GLOB}"
    try:
        import asyncpg  # noqa: F401
    except ImportError:
        return "the asyncpg driver is not installed (pip install -e '.[postgres]')"
    if os.geteuid() == 0 and (shutil.which("runuser") is None or not _has_user("postgres")):
        return "running as root without runuser(1) and a 'postgres' user"
    return None


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}): {done.stdout}{done.stderr}")


@contextmanager
def cluster(databases: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """Start a cluster holding the empty ``databases``; yields name → ``postgresql+asyncpg://`` URL.

    Raises:
        RuntimeError: a server command failed.
    """
    bindir = Path(max(glob.glob(BIN_GLOB), key=lambda d: int(Path(d).parent.name)
                      if Path(d).parent.name.isdigit() else 0))
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    base = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    if prefix:
        owner = pwd.getpwnam("postgres")
        os.chown(base, owner.pw_uid, owner.pw_gid)
    data, port = base / "data", free_port()
    started = False
    try:
        _run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
              "--no-locale", "--no-sync"])
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(f"\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = ''\n"
                       "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\n")
        _run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"), "-w", "-t", "60",
              "start"])
        started = True
        for name in databases:
            _run([str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", name])
        yield {name: f"postgresql+asyncpg://postgres@127.0.0.1:{port}/{name}" for name in databases}
    finally:
        if started:
            subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                           capture_output=True, timeout=COMMAND_TIMEOUT, check=False)
        shutil.rmtree(base, ignore_errors=True)
