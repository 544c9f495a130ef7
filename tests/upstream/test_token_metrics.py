"""Upstream token refreshes and their failures are counted (gateway.upstream.tokens → gateway.observability.metrics):
a refresh once per flight, a failure by reason."""

from __future__ import annotations

from prometheus_client import REGISTRY

from adapters.base import upstream_tenant_id

TENANT = upstream_tenant_id("1004", "9130357")
REFRESHES = "xero_gateway_upstream_token_refreshes_total"
FAILURES = "xero_gateway_upstream_token_refresh_failures_total"


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, {"source": "1004", **labels}) or 0.0


def snapshot() -> dict[str, float]:
    return {"refreshed": value(REFRESHES), "upstream_error": value(FAILURES, reason="upstream_error"),
            "reauthorization_required": value(FAILURES, reason="reauthorization_required")}


def moved(before: dict[str, float]) -> dict[str, float]:
    return {k: v - before[k] for k, v in snapshot().items() if v != before[k]}


async def test_refreshes_and_failures_are_counted(env):
    _, tokens = await env.connected("1004")
    before = snapshot()
    env.advance(3600 + 10)
    assert (await env.organisation(tokens["access_token"], TENANT)).status == 200
    assert (await env.organisation(tokens["access_token"], TENANT)).status == 200  # the stored token: no refresh
    assert moved(before) == {"refreshed": 1}

    before = snapshot()
    env.fake.token_failure = 502
    env.advance(3600 + 10)
    assert (await env.organisation(tokens["access_token"], TENANT)).status == 503
    assert moved(before) == {"upstream_error": 1}

    before = snapshot()
    env.fake.token_failure = None
    env.fake.revoke_grants()
    assert (await env.organisation(tokens["access_token"], TENANT)).status == 401
    assert moved(before) == {"reauthorization_required": 1}
