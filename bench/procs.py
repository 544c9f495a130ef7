"""The benchmark's processes, started through the public command lines only (never the gateway's internals).

Every process runs ``sys.executable`` from the repository root with the repository first on ``PYTHONPATH`` (so a
worktree measures its own code), listens on 127.0.0.1 and logs to a file of the run's temporary directory. A
:class:`Processes` stops everything it started (SIGTERM, then SIGKILL after 10 s).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 300.0  # seconds a server may take to answer its first request (the demo company is built first;
#                       on PostgreSQL on a busy shared machine that alone took over 120 s)
CLI_TIMEOUT = 120.0  # seconds one administrative command may take


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child: the repository first on ``PYTHONPATH``, plus ``extra``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


def cli(*args: str, data_dir: Path, config: Path | None = None, stdin: str | None = None) -> Any:
    """Run ``python -m gateway ARGS --data-dir D [--config C]`` and parse its JSON output.

    Raises:
        RuntimeError: the command exited non-zero (its stderr in the message).
    """
    cmd = [sys.executable, "-m", "gateway", *args, "--data-dir", str(data_dir)]
    if config is not None:
        cmd += ["--config", str(config)]
    done = subprocess.run(cmd, cwd=ROOT, env=child_env(), input=stdin, capture_output=True, text=True,
                          timeout=CLI_TIMEOUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout)


async def wait_http(url: str, *, process: subprocess.Popen | None = None, log: Path | None = None) -> None:
    """Poll ``url`` until it answers (any status).

    Raises:
        RuntimeError: the process died or ``START_TIMEOUT`` passed (the end of its log in the message).
    """
    deadline = time.monotonic() + START_TIMEOUT
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if process is not None and process.poll() is not None:
                break
            try:
                async with session.get(url) as response:
                    await response.read()
                    return
            except aiohttp.ClientError:
                await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {START_TIMEOUT:.0f} s:\n{_tail(log)}")


def _tail(log: Path | None) -> str:
    """The end of a process's log, for an error message."""
    return log.read_text(errors="replace")[-3000:] if log is not None and log.exists() else ""


class Processes:
    """The servers of one run; :meth:`stop_all` (or leaving the ``with`` block) stops them."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.running: list[subprocess.Popen] = []
        #: Process id by name (the CPU-time rows read ``/proc`` of the emulator and the gateway).
        self.pids: dict[str, int] = {}
        #: Base URL of the emulator(s) by name.
        self.urls: dict[str, str] = {}

    def __enter__(self) -> Processes:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop_all()

    def spawn(self, name: str, args: list[str], **env: str) -> tuple[subprocess.Popen, Path]:
        """Start ``python ARGS`` with stdout and stderr in ``{work}/{name}.log``."""
        log = self.work / f"{name}.log"
        with log.open("ab") as out:
            process = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=child_env(**env), stdout=out,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.running.append(process)
        self.pids[name] = process.pid
        return process, log

    async def gateway(self, name: str, *, data_dir: Path, config: Path | None = None,
                      port: int | None = None) -> tuple[str, int]:
        """``python -m gateway serve`` with the statement counter on; its base URL and process id."""
        port = port or free_port()
        args = ["-m", "gateway", "serve", "--port", str(port), "--data-dir", str(data_dir)]
        if config is not None:
            args += ["--config", str(config)]
        process, log = self.spawn(name, args, XERO_GATEWAY_COUNT_STATEMENTS="1")
        base = f"http://127.0.0.1:{port}"
        await wait_http(f"{base}/1000/.well-known/openid-configuration", process=process, log=log)
        return base, process.pid

    async def emulator(self, name: str, *, seed: Path | None = None) -> str:
        """``python -m gateway emulate qbo``; its base URL."""
        port = free_port()
        args = ["-m", "gateway", "emulate", "qbo", "--port", str(port)]
        if seed is not None:
            args += ["--seed", str(seed)]
        process, log = self.spawn(name, args)
        base = f"http://127.0.0.1:{port}"
        await wait_http(f"{base}/_emulator/seed", process=process, log=log)
        self.urls[name] = base
        return base

    async def script(self, name: str, args: list[str], probe: str) -> None:
        """Any other ``python ARGS`` server (the baselines), ready when ``probe`` answers."""
        process, log = self.spawn(name, args)
        await wait_http(probe, process=process, log=log)

    def stop(self, pid: int) -> None:
        """Stop one process this run started."""
        for process in self.running:
            if process.pid == pid:
                self._stop(process)
                self.running.remove(process)
                return

    def stop_all(self) -> None:
        while self.running:
            self._stop(self.running.pop())

    @staticmethod
    def _stop(process: subprocess.Popen) -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
