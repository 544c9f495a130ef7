"""The request id (gateway.observability.requests): bound in structlog's context variables for every log line of a
request, and answered as Xero's ``Xero-Correlation-Id`` (the same value, not a second header) on every response,
errors included; in the served process (``xero-gateway serve``'s logging) the JSON log lines and the access log
carry it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request

import structlog
from structlog.testing import capture_logs

from tests.observability.conftest import API, auth
from tests.support.served import free_port

HEADER = "Xero-Correlation-Id"
BAD_TOKEN_FORM = {"grant_type": "client_credentials", "client_id": "no-such-app", "client_secret": "x"}


async def test_each_request_logs_its_own_id_and_answers_it(client):
    with capture_logs(processors=[structlog.contextvars.merge_contextvars]) as logs:
        first = await client.post("/1000/connect/token", data=BAD_TOKEN_FORM)
        second = await client.post("/1000/connect/token", data=BAD_TOKEN_FORM)
    ids = [first.headers[HEADER], second.headers[HEADER]]
    assert first.status == second.status and first.status in (400, 401)
    assert len(set(ids)) == 2
    lines = [entry for entry in logs if entry["event"] == "token_request"]
    assert [line.get("request_id") for line in lines] == ids
    assert structlog.contextvars.get_contextvars().get("request_id") is None


async def test_every_answer_carries_one_correlation_id(client):
    answers = [await client.get("/healthz"), await client.get("/9999/connections"),
               await client.get(f"{API}/Invoices", headers={"Accept": "application/json"}),
               await client.get(f"{API}/Invoices", headers=auth()),
               await client.post("/1000/.well-known/openid-configuration")]  # aiohttp's HTTPMethodNotAllowed
    assert [a.status for a in answers] == [200, 404, 401, 200, 405]
    for answer in answers:
        assert len(answer.headers.getall(HEADER)) == 1
    assert len({a.headers[HEADER] for a in answers}) == len(answers)


async def test_an_unhandled_error_is_logged_with_the_id_the_client_received(client, monkeypatch):
    async def broken(self, ctx, req):
        raise RuntimeError("boom")

    monkeypatch.setattr("tests.api.fake_adapter.FakeAdapter.get_invoices", broken)
    with capture_logs(processors=[structlog.contextvars.merge_contextvars]) as logs:
        response = await client.get(f"{API}/Invoices", headers=auth())
    assert response.status == 500
    (line,) = [entry for entry in logs if entry["event"] == "unhandled_error"]
    assert line["request_id"] == line["correlation_id"] == response.headers[HEADER]


def test_the_served_process_logs_the_id_on_its_json_lines_and_access_log(tmp_path):
    config = tmp_path / "gateway.toml"
    config.write_text("[native]\ndemo_company = false\n")
    port = free_port()
    log_path = tmp_path / "gateway.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gateway", "serve", "--config", str(config), "--data-dir", str(tmp_path / "data"),
             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        body = "&".join(f"{k}={v}" for k, v in BAD_TOKEN_FORM.items()).encode()
        try:
            urllib.request.urlopen(urllib.request.Request(f"{base}/1000/connect/token", data=body), timeout=10)
            raise AssertionError("a token request with an unknown client succeeded")
        except urllib.error.HTTPError as refused:
            request_id, status = refused.headers[HEADER], refused.code
        assert request_id
        for _ in range(50):  # the access log is written once the response has gone
            text = log_path.read_text()
            if f"/1000/connect/token HTTP/1.1\" {status}" in text:
                break
            time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=20)
    lines = log_path.read_text().splitlines()
    events = [json.loads(line) for line in lines if line.startswith("{")]
    assert [e["event"] for e in events if e.get("request_id") == request_id] == ["token_request"]
    (access,) = [line for line in lines if "/1000/connect/token" in line and not line.startswith("{")]
    assert access.endswith(request_id)
