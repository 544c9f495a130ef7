"""``emulators.qbo.main``: a real process on a free loopback port prints one JSON line and serves it."""

from __future__ import annotations

import base64
import json
import queue
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.emulators_qbo.conftest import SAMPLES

STARTUP_TIMEOUT = 60.0  # seconds (the XSDs and samples load first)
HTTP_TIMEOUT = 10.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def first_line(process: subprocess.Popen, timeout: float) -> str:
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(process.stdout.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        pytest.fail(f"no JSON line within {timeout}s")


@pytest.fixture
def emulator_process():
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "emulators.qbo", "--port", str(port), "--seed", str(SAMPLES)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield port, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def test_main_prints_urls_and_serves(emulator_process):
    port, process = emulator_process
    line = json.loads(first_line(process, STARTUP_TIMEOUT))
    base = f"http://127.0.0.1:{port}"
    assert line == {"authorize_url": f"{base}/connect/oauth2", "token_url": f"{base}/oauth2/v1/tokens/bearer",
                    "revoke_url": f"{base}/v2/oauth2/tokens/revoke", "api_base": base}

    query = urllib.parse.urlencode({"client_id": "demo", "response_type": "code", "state": "s",
                                    "scope": "com.intuit.quickbooks.accounting",
                                    "redirect_uri": "https://app.example.com/cb"})
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(f"{line['authorize_url']}?{query}", timeout=HTTP_TIMEOUT)
    callback = urllib.parse.parse_qs(urllib.parse.urlsplit(redirect.value.headers["Location"]).query)
    code, realm_id = callback["code"][0], callback["realmId"][0]

    token_request = urllib.request.Request(line["token_url"], method="POST", data=urllib.parse.urlencode({
        "grant_type": "authorization_code", "code": code, "redirect_uri": "https://app.example.com/cb"}).encode(),
        headers={"Authorization": "Basic " + base64.b64encode(b"demo:demo-secret").decode(),
                 "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
    with urllib.request.urlopen(token_request, timeout=HTTP_TIMEOUT) as response:
        access_token = json.loads(response.read())["access_token"]

    api = urllib.request.Request(f"{line['api_base']}/v3/company/{realm_id}/invoice/130?minorversion=75",
                                 headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"})
    with urllib.request.urlopen(api, timeout=HTTP_TIMEOUT) as response:
        assert json.loads(response.read())["Invoice"]["Id"] == "130"


def test_main_rejects_a_missing_seed(tmp_path):
    done = subprocess.run([sys.executable, "-m", "emulators.qbo", "--port", str(free_port()), "--seed",
                           str(tmp_path / "absent")], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "seed directory not found" in done.stderr
