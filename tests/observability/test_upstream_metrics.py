"""Upstream HTTP metrics (adapters.common.metrics), counted once per exchange in the shared transport: every retry
counts, an answer by its status, a failed connection as ``error``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web
from prometheus_client import REGISTRY

from adapters.base import UpstreamCredentials
from adapters.common.http import FixedAuth, UpstreamClient
from tests.support.served import free_port

CODE = "1004"


class Client(UpstreamClient):
    jitter = 0.0  # no random wait between retries


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def counts() -> dict[str, float]:
    return {outcome: value("xero_gateway_upstream_requests_total", source=CODE, outcome=outcome)
            for outcome in ("200", "404", "503", "error")} | {
        "timed": value("xero_gateway_upstream_request_duration_seconds_count", source=CODE)}


def credentials(api_base: str) -> FixedAuth:
    creds = UpstreamCredentials(code=CODE, tenant_id="t", tenant_key="k", access_token="a", token_type="bearer",
                                api_base=api_base, expires_at=datetime.now(UTC) + timedelta(hours=1),
                                authorization_id="auth")
    return FixedAuth(creds, "QuickBooks Online")


@pytest.fixture
async def upstream(aiohttp_server):
    flaky = {"left": 1}

    async def ok(_request):
        return web.json_response({"ok": True})

    async def missing(_request):
        return web.json_response({"fault": "not found"}, status=404)

    async def unstable(_request):
        if flaky["left"]:
            flaky["left"] -= 1
            return web.json_response({"fault": "busy"}, status=503)
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_get("/ok", ok)
    app.router.add_get("/missing", missing)
    app.router.add_get("/unstable", unstable)
    return await aiohttp_server(app, host="127.0.0.1")


async def test_each_exchange_is_counted_by_outcome_and_timed(upstream):
    client = Client(code=CODE, system="QuickBooks Online", credentials=None, user_agent="test", attempts=2,
                    backoff_max=0.01)
    auth = credentials(str(upstream.make_url("")).rstrip("/"))
    before = counts()
    try:
        assert await client.request(auth, "GET", "/ok", idempotent=True) == {"ok": True}
        with pytest.raises(RuntimeError):
            await client.request(auth, "GET", "/missing", idempotent=True)
        assert await client.request(auth, "GET", "/unstable", idempotent=True) == {"ok": True}  # 503, then 200
        down = credentials(f"http://127.0.0.1:{free_port()}")  # nothing listens there
        with pytest.raises(RuntimeError):
            await client.request(down, "GET", "/ok", idempotent=False)
    finally:
        await client.close()
    after = counts()
    assert {k: after[k] - before[k] for k in after} == {"200": 2, "404": 1, "503": 1, "error": 1, "timed": 5}
