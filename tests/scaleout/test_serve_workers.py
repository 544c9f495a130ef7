"""``xero-gateway serve --workers 2`` on PostgreSQL (gateway state and native ledger in the throwaway cluster of
tests/pg.py): both workers answer on the one port, token refresh rotation works whichever worker answers, and a
revocation made through one worker is honoured by the other within about a second.

Which worker answered a request is read from the access log, which names the worker's pid (``%P``); each request
carries a unique ``probe`` query parameter and its own connection (``Connection: close``), so the kernel may give
it to either worker.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.e2e.oauth_browser import authorize, pkce_pair
from tests.pg import PgCluster, create_database, free_port

STARTUP_TIMEOUT = 240.0  # seconds for both workers; the first seeds the demo company
#: Seconds the other worker may take to honour a revocation: one poll interval (1 s) and slack for a busy machine.
OTHER_WORKER_BOUND = 3.0
#: Requests at most while waiting to see both workers answer (new connections are spread by the kernel).
MAX_PROBES = 200
REDIRECT_URI = "http://127.0.0.1:9/callback"
SCOPES = "openid profile email offline_access accounting.settings accounting.transactions"
ROOT = Path(__file__).resolve().parents[2]


def child_env() -> dict[str, str]:
    """This checkout first on the children's ``PYTHONPATH``."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}


@dataclass
class Workers:
    root: str
    data_dir: Path
    config: Path
    log: Path
    process: subprocess.Popen
    tenant_id: str = ""

    def cli(self, *args: str):
        done = subprocess.run([sys.executable, "-m", "gateway", *args, "--data-dir", str(self.data_dir),
                               "--config", str(self.config)], capture_output=True, text=True, timeout=180,
                              check=False, env=child_env())
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def pids(self) -> set[str]:
        return set(re.findall(r"^xero-gateway worker (\d+) serving on ", self.log.read_text(), re.M))

    def answered_by(self, probe: str) -> str:
        """The pid of the worker whose access log line carries ``probe`` (waits briefly for the line)."""
        for _ in range(100):
            found = re.search(rf"<(\d+)> \"[A-Z]+ [^\"]*probe={probe}", self.log.read_text())
            if found:
                return found.group(1)
            time.sleep(0.05)
        raise AssertionError(f"no access log line for probe {probe}")

    def request(self, method: str, tail: str, **kwargs) -> tuple[requests.Response, str]:
        """One request on a new connection; the response and the pid of the worker that answered."""
        probe = uuid.uuid4().hex
        headers = {"Connection": "close", **kwargs.pop("headers", {})}
        response = requests.request(method, f"{self.root}/1000{tail}", params={"probe": probe}, headers=headers,
                                    timeout=60, **kwargs)
        return response, self.answered_by(probe)

    def organisation(self, access_token: str) -> tuple[int, str]:
        response, pid = self.request("GET", "/api.xro/2.0/Organisation", headers={
            "Authorization": f"Bearer {access_token}", "xero-tenant-id": self.tenant_id, "Accept": "application/json"})
        return response.status_code, pid


@pytest.fixture
def workers(tmp_path, pg_cluster: PgCluster) -> Iterator[Workers]:
    state, ledger = asyncio.run(create_database(pg_cluster)), asyncio.run(create_database(pg_cluster))
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    config = tmp_path / "workers.toml"
    config.write_text(f'[database]\nurl = "{state}"\n[native]\ndatabase_url = "{ledger}"\n'
                      "[rate_limits]\ntenant_per_minute = 1000000\ntenant_per_day = 10000000\n")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gateway", "serve", "--workers", "2", "--host", "127.0.0.1", "--port", str(port),
             "--data-dir", str(data_dir), "--config", str(config)], stdout=out, stderr=subprocess.STDOUT,
            env=child_env())
    served = Workers(root=f"http://127.0.0.1:{port}", data_dir=data_dir, config=config, log=log, process=process)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while len(served.pids()) < 2:
            assert process.poll() is None, log.read_text()[-4000:]
            assert time.monotonic() < deadline, f"both workers did not start:\n{log.read_text()[-4000:]}"
            time.sleep(0.5)
        served.tenant_id = served.cli("tenants", "--code", "1000")[0]["tenantId"]
        yield served
    finally:
        process.terminate()
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(30)


def user_tokens(served: Workers) -> tuple[dict, dict]:
    """A confidential app and its tokens from the authorization-code flow (demo user of the native ledger)."""
    app = served.cli("apps", "create", "--name", "Workers Test", "--redirect-uri", REDIRECT_URI)
    verifier, challenge = pkce_pair()
    callback = authorize(f"{served.root}/1000", client_id=app["client_id"], redirect_uri=REDIRECT_URI, scope=SCOPES,
                         state="st", challenge=challenge, email="demo@xero-gateway.local",
                         password="demo-ledger-password")
    response, _ = served.request("POST", "/connect/token", auth=(app["client_id"], app["client_secret"]), data={
        "grant_type": "authorization_code", "code": callback["code"][0], "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier})
    assert response.status_code == 200, response.text
    return app, response.json()


def test_two_workers_serve_rotate_and_honour_revocations(workers: Workers):
    pids = workers.pids()
    app, tokens = user_tokens(workers)

    # Both workers answer Accounting API calls (and warm their identity caches with this token).
    warm_both(workers, tokens["access_token"])

    # Refresh rotation, whichever worker answers: each refresh uses the newest refresh token.
    refreshed_by: set[str] = set()
    for _ in range(MAX_PROBES):
        response, pid = workers.request("POST", "/connect/token", data={
            "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": app["client_id"],
            "client_secret": app["client_secret"]})
        assert response.status_code == 200, response.text
        rotated = response.json()
        assert rotated["refresh_token"] != tokens["refresh_token"]
        tokens = rotated
        refreshed_by.add(pid)
        if refreshed_by == pids:
            break
    assert refreshed_by == pids
    warm_both(workers, tokens["access_token"])  # the newest access token works on both workers

    # Revocation through one worker: refused at once there, and by the other within about a second.
    response, revoker = workers.request("POST", "/connect/revocation", data={
        "token": tokens["refresh_token"], "client_id": app["client_id"], "client_secret": app["client_secret"]})
    assert response.status_code == 200
    refused_by_all(workers, tokens["access_token"], revoker=revoker)


def warm_both(served: Workers, access_token: str) -> None:
    """Calls until both workers have answered 200 (their identity caches hold the token's rows)."""
    seen: set[str] = set()
    for _ in range(MAX_PROBES):
        status, pid = served.organisation(access_token)
        assert status == 200
        seen.add(pid)
        if seen == served.pids():
            return
    raise AssertionError(f"only {seen} answered")


def refused_by_all(served: Workers, access_token: str, *, revoker: str | None) -> None:
    """After a revocation: 401 at once from ``revoker`` (the worker that made it), and from every worker after
    :data:`OTHER_WORKER_BOUND` seconds."""
    revoked_at = time.monotonic()
    late: set[str] = set()
    for _ in range(MAX_PROBES):
        status, pid = served.organisation(access_token)
        elapsed = time.monotonic() - revoked_at
        if pid == revoker or elapsed > OTHER_WORKER_BOUND:
            assert status == 401, (pid, revoker, elapsed)
        if elapsed > OTHER_WORKER_BOUND:
            late.add(pid)
            if late == served.pids():
                return
        time.sleep(0.05)
    raise AssertionError(f"only {late} answered after the bound")


def test_apps_revoke_from_the_cli_reaches_both_workers(workers: Workers):
    app = workers.cli("apps", "create", "--name", "Workers Custom", "--custom-connection", "--code", "1000",
                      "--tenant", workers.tenant_id)
    response, _ = workers.request("POST", "/connect/token", auth=(app["client_id"], app["client_secret"]),
                                  data={"grant_type": "client_credentials"})
    assert response.status_code == 200, response.text
    access = response.json()["access_token"]
    warm_both(workers, access)
    assert workers.cli("apps", "revoke", app["client_id"]) == {"client_id": app["client_id"], "revoked": True}
    refused_by_all(workers, access, revoker=None)  # the CLI is a third process
