"""End-to-end harness: a real ``xero-gateway serve`` process on a free loopback port, administered with the
real CLI, driven by the official SDKs; every Accounting API response the SDK receives is recorded and validated
against Xero's spec (tests/xero_spec.py) when the test ends.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

STARTUP_TIMEOUT = 90.0  # seconds; the first start seeds the demo company


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Gateway:
    root: str  # http://127.0.0.1:PORT
    data_dir: Path
    process: subprocess.Popen
    log: Path
    tenant_id: str = ""
    tenant_name: str = ""
    apps: dict = field(default_factory=dict)

    def gw(self, code: str = "1000") -> str:
        return f"{self.root}/{code}"

    def cli(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "gateway", *args, "--data-dir", str(self.data_dir)],
            input=stdin, capture_output=True, text=True, timeout=120, check=False)

    def cli_json(self, *args: str, stdin: str | None = None):
        done = self.cli(*args, stdin=stdin)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)


@pytest.fixture(scope="session")
def gateway(tmp_path_factory) -> Gateway:
    data_dir = tmp_path_factory.mktemp("gateway-data")
    port = free_port()
    log = data_dir / "serve.log"
    out = log.open("w")
    # One gateway serves the whole session: lift Xero's 60-a-minute tenant budget so that tests do not wait on it
    # (tests/runtime proves the limits themselves).
    config = data_dir / "e2e.toml"
    config.write_text("[rate_limits]\ntenant_per_minute = 100000\ntenant_per_day = 1000000\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gateway", "serve", "--port", str(port), "--data-dir", str(data_dir),
         "--config", str(config)],
        stdout=out, stderr=subprocess.STDOUT)
    root = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        if proc.poll() is not None:
            pytest.fail(f"gateway exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{root}/1000/.well-known/openid-configuration", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"gateway did not start within {STARTUP_TIMEOUT}s:\n{log.read_text()}")
        time.sleep(0.25)
    gw = Gateway(root=root, data_dir=data_dir, process=proc, log=log)
    tenants = gw.cli_json("tenants", "--code", "1000")
    gw.tenant_id, gw.tenant_name = tenants[0]["tenantId"], tenants[0]["tenantName"]
    yield gw
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
    out.close()


@pytest.fixture
def sdk_responses(monkeypatch, xero_spec):
    """Record every HTTP response xero-python receives; validate Accounting API ones against the spec."""
    from xero_python import rest
    from xero_python.exceptions import HTTPStatusException

    recorded: list[tuple[str, str, int, bytes, dict]] = []
    original = rest.RESTClientObject.request

    def recording(self, method, url, *args, **kwargs):
        try:
            response = original(self, method, url, *args, **kwargs)
        except HTTPStatusException as exc:
            recorded.append((method, url, exc.status, (exc.body or "").encode() if isinstance(exc.body, str)
                             else (exc.body or b""), dict(exc.headers or {})))
            raise
        raw = getattr(response, "urllib3_response", response)
        recorded.append((method, url, raw.status, raw.data, dict(raw.headers)))
        return response

    monkeypatch.setattr(rest.RESTClientObject, "request", recording)
    yield recorded
    validated = 0
    for method, url, status, body, headers in recorded:
        if "/api.xro/2.0/" in url:
            xero_spec.validate_response(method, url, status, body, headers)
            validated += 1
    assert validated or not any("/api.xro/2.0/" in r[1] for r in recorded)
