"""A real ``python -m gateway serve`` process on 127.0.0.1 for the crash and fuzz tests: started, killed with
SIGKILL, restarted on the same data directory, and called with a custom connection's ``client_credentials`` token
on the native ledger's demo tenant (source 1000).
"""

from __future__ import annotations

import json
import os
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

STARTUP_TIMEOUT = 90.0  # seconds; the first start seeds the demo company
#: Xero's per-tenant budget is lifted: the tests prove exactly-once and the spec, not the limits.
CONFIG = "[rate_limits]\ntenant_per_minute = 1000000\ntenant_per_day = 10000000\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ServedGateway:
    """One gateway process at a time on ``data_dir`` (its databases survive a kill)."""

    data_dir: Path
    config: str = CONFIG
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
        """The native ledger's Accounting API root."""
        return f"{self.root}/1000/api.xro/2.0"

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        here = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join([here, *filter(None, [env.get("PYTHONPATH")])])
        return env

    def cli(self, *args: str) -> Any:
        """Run the CLI on the data directory; its JSON output."""
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
