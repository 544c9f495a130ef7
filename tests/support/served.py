"""A real ``python -m gateway serve`` process on 127.0.0.1 for the crash and fuzz tests: started, killed with
SIGKILL, restarted on the same data directory, and called with a custom connection's ``client_credentials`` token
on the native ledger's demo tenant (source 1000), or, for an upstream source (1004, 1009), with the token of a
partner app consented through the upstream's emulator (:meth:`ServedGateway.consent`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import aiohttp
from yarl import URL

STARTUP_TIMEOUT = 90.0  # seconds; the first start seeds the demo company
#: Xero's per-tenant budget is lifted: the tests prove exactly-once and the spec, not the limits.
CONFIG = "[rate_limits]\ntenant_per_minute = 1000000\ntenant_per_day = 10000000\n"
REDIRECT_URI = "https://partner.example.test/callback"


@dataclass(frozen=True)
class Upstream:
    """An upstream emulator's developer app and OAuth URLs, as ``sources set`` registers them."""

    client_id: str
    client_secret: str
    authorize_url: str
    token_url: str
    api_base: str
    revoke_url: str = ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ServedGateway:
    """One gateway process at a time on ``data_dir`` (its databases survive a kill)."""

    data_dir: Path
    config: str = CONFIG
    code: str = "1000"
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    tenant_id: str = ""
    access_token: str = ""
    _log: IO[str] | None = None

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api(self) -> str:
        """The Accounting API root of :attr:`code` (the native ledger's by default)."""
        return f"{self.root}/{self.code}/api.xro/2.0"

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        here = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join([here, *filter(None, [env.get("PYTHONPATH")])])
        return env

    def cli(self, *args: str) -> Any:
        """Run the CLI on the data directory; its JSON output."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / "served.toml").write_text(self.config)
        done = subprocess.run([sys.executable, "-m", "gateway", *args, "--data-dir", str(self.data_dir),
                               "--config", str(self.data_dir / "served.toml")],
                              capture_output=True, text=True, timeout=120, check=False, env=self._env())
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def start(self) -> None:
        """Start ``serve`` and wait until it answers (raises ``AssertionError`` when it does not)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / "served.toml").write_text(self.config)
        self._log = (self.data_dir / "serve.log").open("a")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gateway", "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--data-dir", str(self.data_dir), "--config", str(self.data_dir / "served.toml")],
            stdout=self._log, stderr=subprocess.STDOUT, env=self._env())
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            assert self.process.poll() is None, (self.data_dir / "serve.log").read_text()[-4000:]
            try:
                with urllib.request.urlopen(f"{self.root}/1000/.well-known/openid-configuration", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            assert time.monotonic() < deadline, "the gateway did not start"
            time.sleep(0.2)

    def connect(self) -> None:
        """Create a custom connection on the demo tenant and fetch its token (after :meth:`start`)."""
        self.tenant_id = self.cli("tenants", "--code", "1000")[0]["tenantId"]
        app = self.cli("apps", "create", "--name", "Served Test", "--custom-connection", "--code", "1000",
                       "--tenant", self.tenant_id)
        form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": app["client_id"],
                                       "client_secret": app["client_secret"]}).encode()
        with urllib.request.urlopen(f"{self.root}/1000/connect/token", data=form, timeout=30) as r:
            self.access_token = json.loads(r.read())["access_token"]

    async def consent(self, upstream: Upstream, *, scope: str, tenant_name: str | None = None) -> None:
        """Register ``upstream`` as source :attr:`code` and connect a partner app through the whole consent
        (gateway authorize → emulator → gateway callback → code → token), over HTTP; the emulator may run in the
        caller's event loop. Sets the access token and the tenant (named ``tenant_name``, else the first).

        Raises:
            AssertionError: a step of the consent did not answer as expected.
        """
        self.cli("sources", "set", self.code, "--client-id", upstream.client_id, "--client-secret",
                 upstream.client_secret, "--authorize-url", upstream.authorize_url, "--token-url",
                 upstream.token_url, "--api-base", upstream.api_base,
                 *(("--revoke-url", upstream.revoke_url) if upstream.revoke_url else ()))
        app = self.cli("apps", "create", "--name", f"Served {self.code}", "--redirect-uri", REDIRECT_URI)
        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        # a browser: it keeps the gateway's sign-in cookie (unsafe: the host is an IP address)
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60),
                                         cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            async with http.get(f"{self.root}/{self.code}/identity/connect/authorize", allow_redirects=False, params={
                    "response_type": "code", "client_id": app["client_id"], "redirect_uri": REDIRECT_URI,
                    "scope": scope, "state": "served", "code_challenge": challenge,
                    "code_challenge_method": "S256"}) as r:
                assert r.status == 302, await r.text()
                at_upstream = r.headers["Location"]
            async with http.get(at_upstream, allow_redirects=False) as r:
                assert r.status == 302, await r.text()
                callback = URL(r.headers["Location"])
            async with http.get(f"{self.root}{callback.path_qs}", allow_redirects=False) as r:
                assert r.status == 302, await r.text()
                back = URL(r.headers["Location"])
            assert str(back).startswith(REDIRECT_URI) and back.query.get("code"), back
            basic = base64.b64encode(f"{app['client_id']}:{app['client_secret']}".encode()).decode()
            async with http.post(f"{self.root}/{self.code}/connect/token", headers={
                    "Authorization": f"Basic {basic}"}, data={
                    "grant_type": "authorization_code", "code": back.query["code"], "redirect_uri": REDIRECT_URI,
                    "code_verifier": verifier}) as r:
                tokens = await r.json()
                assert r.status == 200, tokens
            self.access_token = tokens["access_token"]
            async with http.get(f"{self.root}/{self.code}/connections",
                                headers={"Authorization": f"Bearer {self.access_token}"}) as r:
                connections = await r.json()
                assert r.status == 200 and connections, connections
        self.tenant_id = next(c["tenantId"] for c in connections
                              if tenant_name is None or c["tenantName"] == tenant_name)

    def headers(self, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}", "xero-tenant-id": self.tenant_id,
                "Accept": "application/json", **extra}

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, whatever was in flight is lost mid-way."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(30)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None
