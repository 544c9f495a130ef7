"""The Sage 50 end-to-end stack, every part a real process on 127.0.0.1: ``xero-gateway serve``, the stand-in's demo
company (``python -m emulators.sage50``), and the real connector (``python -m sage50_connector pair|run``), plus the
official xero-python SDK pointed at ``/1001`` and a read-only view of the stand-in's own tables.

Every loop is bounded in count and time; the gateway's agent timings are shortened in its config
(``[agents] write_wait``, ``lease``, ``offline_after``) so that offline and crash scenarios finish in seconds.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

ROOT = Path(__file__).resolve().parents[2]
CODE = "1001"
STARTUP_TIMEOUT = 180.0  # seconds; a bound, not a timing: a loaded 2-core machine (make test runs 2 workers)
REDIRECT_URI = "http://127.0.0.1:9/sage50/callback"
SCOPES = ("openid profile email offline_access accounting.transactions accounting.contacts accounting.settings "
          "accounting.journals.read accounting.reports.read")
#: Seconds between the connector's change detections (its long-poll waits at most this long).
POLL_INTERVAL = 1.0
#: Gateway agent timings for the tests (seconds).
WRITE_WAIT, LEASE, OFFLINE_AFTER = 6.0, 4, 3
#: Polls a connector process makes before it stops by itself (a bound: it is normally stopped by the test).
MAX_POLLS = 20000

#: Kills the connector right after SDO ``Update`` succeeded, before its journal and the result (``os._exit``: no
#: clean-up, as a power cut or a killed process).
_DOOMED = """
import os, sys
import sage50_connector.jobs as jobs
_apply = jobs.apply
def apply(*args, **kwargs):
    _apply(*args, **kwargs)
    sys.stderr.write("killed after SDO Update\\n"); sys.stderr.flush()
    os._exit(9)
jobs.apply = apply
from sage50_connector.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    return verifier, base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "connector")])
    return env


class Stack:
    """The processes of one Sage 50 end-to-end run and the tools around them."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.data_dir = tmp / "gateway"
        self.processes: list[subprocess.Popen] = []
        self.connector: subprocess.Popen | None = None
        self.connector_started = 0.0

    # processes ----------------------------------------------------------------------------------------------

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        log = (self.tmp / f"{name}.log").open("a")
        process = subprocess.Popen([sys.executable, *args], stdout=log, stderr=subprocess.STDOUT, env=_env(),
                                   cwd=ROOT)
        self.processes.append(process)
        return process

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text() if path.exists() else ""

    def start(self) -> None:
        made = subprocess.run([sys.executable, "-m", "emulators.sage50", "--data-dir", str(self.tmp / "sage")],
                              capture_output=True, text=True, timeout=300, env=_env(), cwd=ROOT, check=False)
        assert made.returncode == 0, made.stderr
        self.sage = json.loads(made.stdout.splitlines()[-1])
        self.data_path = Path(self.sage["data_path"])
        self.config = self.tmp / "gateway.toml"
        self.config.write_text(
            "[rate_limits]\ntenant_per_minute = 100000\ntenant_per_day = 1000000\ntenant_concurrent = 20\n"
            f"[agents]\nwrite_wait = {WRITE_WAIT}\nlease = {LEASE}\noffline_after = {OFFLINE_AFTER}\n")
        port = free_port()
        self.root = f"http://127.0.0.1:{port}"
        self.gw = f"{self.root}/{CODE}"
        gateway = self._spawn("gateway", ["-m", "gateway", "serve", "--port", str(port), "--data-dir",
                                          str(self.data_dir), "--config", str(self.config)])
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            assert gateway.poll() is None, self.log("gateway")
            try:
                with urllib.request.urlopen(f"{self.gw}/.well-known/openid-configuration", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, self.log("gateway")
            time.sleep(0.25)
        self.connector_config = self.tmp / "connector.toml"
        sdo = self.sage["sdo"]
        self.connector_config.write_text(
            f'gateway = "{self.root}"\npoll_interval = {POLL_INTERVAL}\ntoken_store = "file"\n'
            f'state_dir = "{self.tmp / "connector-state"}"\n'
            f'[sage]\nuser = "{sdo["user"]}"\npassword = "{sdo["password"]}"\n'
            f'sdo_engine = "python:{sdo["engine"]}"\n'
            f'[[companies]]\ndata_path = "{self.data_path}"\nsqlite = "{self.sage["database"]}"\n')

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)

    def cli(self, *args: str) -> Any:
        done = subprocess.run([sys.executable, "-m", "gateway", *args, "--data-dir", str(self.data_dir),
                               "--config", str(self.config)], capture_output=True, text=True, timeout=120,
                              env=_env(), cwd=ROOT, check=False)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def connector_cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "sage50_connector", "--config", str(self.connector_config),
                               *args], capture_output=True, text=True, timeout=120, env=_env(), cwd=ROOT,
                              check=False)

    def start_connector(self, *, doomed: bool = False) -> subprocess.Popen:
        """``sage50-connector run`` (``doomed``: one that dies right after its first SDO ``Update``)."""
        assert self.connector is None or self.connector.poll() is not None, "a connector already runs"
        args = ["--config", str(self.connector_config), "run", "--max-polls", str(MAX_POLLS)]
        command = ["-c", _DOOMED, *args] if doomed else ["-m", "sage50_connector", *args]
        self.connector = self._spawn("connector", command)
        self.connector_started = time.monotonic()
        return self.connector

    def stop_connector(self) -> None:
        if self.connector is not None and self.connector.poll() is None:
            self.connector.terminate()
            self.connector.wait(15)
        self.connector = None

    def wait_offline(self) -> None:
        """Until the gateway counts the connector offline (bounded)."""
        deadline = time.monotonic() + OFFLINE_AFTER + 20
        while any(c["online"] for a in self.cli("agents", "list") for c in a["companies"]):
            assert time.monotonic() < deadline, "the connector never went offline"
            time.sleep(0.5)

    # the stand-in's own tables --------------------------------------------------------------------------------

    def sage_rows(self, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
        """Rows of the stand-in's company, as Sage holds them (read-only)."""
        conn = sqlite3.connect(f"file:{self.sage['database']}?mode=ro", uri=True, timeout=30)
        conn.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in conn.execute(sql, params)]
        finally:
            conn.close()

    # pairing and consent ----------------------------------------------------------------------------------------

    def connect(self) -> dict[str, Any]:
        """Partner app → authorize → pairing page → ``sage50-connector pair`` → approve → code → tokens."""
        app = self.cli("apps", "create", "--name", "Sage 50 SDK app", "--redirect-uri", REDIRECT_URI)
        verifier, challenge = pkce_pair()
        browser = requests.Session()
        response = browser.get(f"{self.gw}/identity/connect/authorize", allow_redirects=False, timeout=30, params={
            "response_type": "code", "client_id": app["client_id"], "redirect_uri": REDIRECT_URI, "scope": SCOPES,
            "state": "sage50-state", "code_challenge": challenge, "code_challenge_method": "S256"})
        assert response.status_code == 302, response.text
        page_url = urljoin(response.url, response.headers["Location"])
        page = browser.get(page_url, allow_redirects=False, timeout=30)
        found = re.search(r'data-pairing-code="([0-9A-Z-]+)"', page.text)
        assert page.status_code == 200 and found, page.text
        paired = self.connector_cli("pair", "--code", found.group(1))
        assert paired.returncode == 0, paired.stderr + paired.stdout
        page = browser.get(page_url, allow_redirects=False, timeout=30)
        assert page.status_code == 200, page.text
        action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
        data = [(name, html.unescape(value)) for name, value in re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text)]
        data += [("tenant", value) for value in re.findall(r'type="checkbox" name="tenant" value="([^"]+)"',
                                                           page.text)]
        assert any(name == "tenant" for name, _ in data), page.text
        data.append(("decision", "approve"))
        response = browser.post(urljoin(page_url, html.unescape(action)), data=data, allow_redirects=False,
                                timeout=30)
        assert response.status_code == 302 and response.headers["Location"].startswith(REDIRECT_URI), response.text
        answer = {k: v[0] for k, v in parse_qs(urlsplit(response.headers["Location"]).query).items()}
        assert answer["state"] == "sage50-state" and "code" in answer, answer
        token = requests.post(f"{self.gw}/connect/token", auth=(app["client_id"], app["client_secret"]), timeout=30,
                              data={"grant_type": "authorization_code", "code": answer["code"],
                                    "redirect_uri": REDIRECT_URI, "code_verifier": verifier})
        assert token.status_code == 200, token.text
        return {"app": app, "token": token.json(), "paired": paired.stdout}


def until(check: Callable[[], Any], *, seconds: float, step: float = 0.2, what: str = "") -> Any:
    """``check()``'s first truthy value, polled every ``step`` seconds for at most ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out after {seconds} s waiting for {what or check}"
        time.sleep(step)
