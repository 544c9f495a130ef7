"""An upstream's HTTP 429 recorded per tenant and shown on the console's sources page (issue 15: per-tenant
upstream status, throttled): the adapters' transport (adapters/common/http.py) reports it to the gateway's token
provider, which keeps it with its ``Retry-After`` (gateway/upstream/throttling.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from aiohttp import web

from adapters.base import UpstreamCredentials, upstream_tenant_id
from adapters.common.http import TenantAuth, UpstreamClient
from gateway.upstream.models import UpstreamTenant
from tests.identity.test_console_guard import _operator, _sign_in, cheap_hashes  # noqa: F401 - an autouse fixture

TENANT = upstream_tenant_id("1004", "9130357")


class Probe(UpstreamClient):
    """The shared transport with no source's own hooks, sent to a local server."""

    base_url = ""

    def url(self, creds: UpstreamCredentials, path: str) -> str:
        return f"{self.base_url}{path}"


@pytest.fixture
async def throttling_source(aiohttp_server):
    async def busy(request: web.Request) -> web.Response:
        headers = {"Retry-After": request.query["retry_after"]} if "retry_after" in request.query else {}
        return web.Response(status=429, text="ThrottleExceeded", headers=headers)

    app = web.Application()
    app.router.add_get("/busy", busy)
    return await aiohttp_server(app, host="127.0.0.1")


async def _tenant(env) -> UpstreamTenant:
    async with env.tokens().db.session() as s:
        return await s.get(UpstreamTenant, TENANT)


async def _call(env, server, **query: str) -> None:
    probe = Probe(code="1004", system="QuickBooks Online", credentials=env.tokens(), user_agent="test")
    probe.base_url = str(server.make_url("")).rstrip("/")
    try:
        with pytest.raises(RuntimeError, match="HTTP 429"):  # the default parse_error: the call still fails as it did
            await probe.request(TenantAuth(env.tokens(), "1004", TENANT), "GET", "/busy", params=query,
                                idempotent=True)
    finally:
        await probe.close()


async def test_a_429_is_recorded_with_its_retry_after_and_shown_as_throttled(env, throttling_source):
    await env.connected("1004")
    assert (await _tenant(env)).throttled_at is None

    await _call(env, throttling_source, retry_after="Wed, 21 Oct 2026 07:28:00 GMT")  # an HTTP-date: no seconds
    first = await _tenant(env)
    assert first.throttled_at is not None and first.retry_after is None
    await _call(env, throttling_source, retry_after="30")
    row = await _tenant(env)
    assert row.retry_after == 30 and abs(row.throttled_at - env.tokens().now()) < timedelta(seconds=5)

    gw = env.gw("1004")
    totp = await _operator(gw)
    assert (await _sign_in(gw, totp)).status == 303
    html = await (await gw.client.get("/admin/sources")).text()
    assert "throttled until" in html and "(Retry-After 30 s)" in html
    gw.state.clock.advance(31)  # past the Retry-After: the last 429 is still listed, the tenant no longer throttled
    html = await (await gw.client.get("/admin/sources")).text()
    assert "throttled until" not in html and "(Retry-After 30 s)" in html
