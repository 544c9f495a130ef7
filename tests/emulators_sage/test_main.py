"""``emulators.sage_accounting.main``: a real process on a free loopback port prints one JSON line and serves it."""

from __future__ import annotations

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

from emulators.sage_accounting import spec

STARTUP_TIMEOUT = 60.0  # seconds
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
    process = subprocess.Popen([sys.executable, "-c", "import sys; from emulators.sage_accounting import main; "
                                "sys.exit(main(sys.argv[1:]))", "--port", str(port)],
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
    assert line == {"authorize_url": f"{base}/oauth2/auth/central?filter=apiv3.1", "token_url": f"{base}/token",
                    "api_base": f"{base}/v3.1"}

    query = urllib.parse.urlencode({"client_id": "demo", "response_type": "code", "state": "s",
                                    "scope": "full_access", "redirect_uri": "https://app.example.com/cb"})
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(f"{line['authorize_url']}&{query}", timeout=HTTP_TIMEOUT)
    callback = urllib.parse.parse_qs(urllib.parse.urlsplit(redirect.value.headers["Location"]).query)
    assert callback["state"] == ["s"]

    token_request = urllib.request.Request(line["token_url"], method="POST", data=urllib.parse.urlencode({
        "grant_type": "authorization_code", "code": callback["code"][0], "redirect_uri": "https://app.example.com/cb",
        "client_id": "demo", "client_secret": "demo-secret"}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
    with urllib.request.urlopen(token_request, timeout=HTTP_TIMEOUT) as response:
        tokens = json.loads(response.read())
    assert tokens["expires_in"] == 300

    headers = {"Authorization": f"Bearer {tokens['access_token']}", "Accept": "application/json"}
    with urllib.request.urlopen(urllib.request.Request(f"{line['api_base']}/businesses", headers=headers),
                                timeout=HTTP_TIMEOUT) as response:
        businesses = json.loads(response.read())
    lead = businesses["$items"][0]["id"]
    url = f"{line['api_base']}/sales_invoices?attributes=all"
    with urllib.request.urlopen(urllib.request.Request(url, headers={**headers, "X-Business": lead}),
                                timeout=HTTP_TIMEOUT) as response:
        body = response.read()
    spec.validate("GET", url, 200, body)
    assert json.loads(body)["$total"] == 4


def test_main_rejects_a_missing_seed(tmp_path):
    done = subprocess.run([sys.executable, "-m", "emulators.sage_accounting", "--port", str(free_port()), "--seed",
                           str(tmp_path / "absent")], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "seed directory not found" in done.stderr
