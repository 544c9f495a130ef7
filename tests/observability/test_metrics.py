"""``/metrics`` (gateway.observability): after a known sequence of calls the counters, parsed with prometheus_client's
text parser, moved by exactly what the calls account for; the endpoint is served to loopback or a bearer token only.

The registry is process-wide (prometheus_client's design), so every assertion is on the difference between two
scrapes, which also keeps the test independent of the tests run before it.
"""

from __future__ import annotations

import json

from gateway.observability.views import metrics_allowed
from tests.observability.conftest import API, PER_MINUTE, auth, sample, scrape

INVOICE = json.dumps({"Invoices": [{"Type": "ACCREC", "Contact": {"Name": "Metrics Ltd"}}]})
REQUESTS = "xero_gateway_requests_total"


def delta(before: dict, after: dict, name: str) -> dict:
    """The samples of ``name`` that changed between two scrapes, and by how much."""
    keys = {k for k in after if k[0] == name} | {k for k in before if k[0] == name}
    return {k: after.get(k, 0.0) - before.get(k, 0.0) for k in keys if after.get(k, 0.0) != before.get(k, 0.0)}


async def test_the_counters_match_a_known_sequence_of_calls(client):
    before = await scrape(client)

    for _ in range(2):
        assert (await client.get("/healthz")).status == 200
    assert (await client.get("/9999/connections")).status == 404
    assert (await client.get(f"{API}/Invoices", headers={"Accept": "application/json"})).status == 401
    assert (await client.get(f"{API}/Invoices", headers=auth())).status == 200  # call 1 of the minute
    headers = auth(**{"Idempotency-Key": "metrics-key-1", "Content-Type": "application/json"})
    first = await client.put(f"{API}/Invoices", data=INVOICE, headers=headers)  # call 2
    replayed = await client.put(f"{API}/Invoices", data=INVOICE, headers=headers)  # call 3: the stored answer
    assert first.status == replayed.status == 200 and await first.read() == await replayed.read()
    refused = await client.get(f"{API}/Invoices", headers=auth())  # call 4 > PER_MINUTE
    assert PER_MINUTE == 3 and refused.status == 429 and refused.headers["X-Rate-Limit-Problem"] == "minute"

    after = await scrape(client)
    assert delta(before, after, REQUESTS) == {
        sample(REQUESTS, source="none", operation="/metrics", status="200"): 1,  # the first scrape
        sample(REQUESTS, source="none", operation="/healthz", status="200"): 2,
        sample(REQUESTS, source="none", operation="unmatched", status="404"): 1,
        sample(REQUESTS, source="1000", operation="getInvoices", status="401"): 1,
        sample(REQUESTS, source="1000", operation="getInvoices", status="200"): 1,
        sample(REQUESTS, source="1000", operation="getInvoices", status="429"): 1,
        sample(REQUESTS, source="1000", operation="createInvoices", status="200"): 2,
    }
    durations = delta(before, after, "xero_gateway_request_duration_seconds_count")
    assert durations[sample("xero_gateway_request_duration_seconds_count", source="1000",
                            operation="getInvoices")] == 3
    assert durations[sample("xero_gateway_request_duration_seconds_count", source="1000",
                            operation="createInvoices")] == 2
    assert delta(before, after, "xero_gateway_rate_limit_rejections_total") == {
        sample("xero_gateway_rate_limit_rejections_total", source="1000", problem="minute"): 1}
    assert delta(before, after, "xero_gateway_idempotent_replays_total") == {
        sample("xero_gateway_idempotent_replays_total", source="1000", operation="createInvoices"): 1}


async def test_the_pdf_variant_is_labelled_with_its_own_operation(client):
    before = await scrape(client)
    response = await client.get(f"{API}/Invoices/{'0' * 8}-0000-0000-0000-{'0' * 12}",
                                headers=auth(Accept="application/pdf"))
    after = await scrape(client)
    changed = delta(before, after, REQUESTS)
    assert changed.pop(sample(REQUESTS, source="none", operation="/metrics", status="200")) == 1
    assert changed == {sample(REQUESTS, source="1000", operation="getInvoiceAsPdf", status=str(response.status)): 1}


async def test_metrics_are_served_to_loopback_or_the_bearer_token_only(client, settings):
    from aiohttp.test_utils import make_mocked_request

    assert (await client.get("/metrics")).headers["Content-Type"].startswith("text/plain")

    def request(remote: str, authorization: str | None = None):
        headers = {"Authorization": authorization} if authorization else {}
        req = make_mocked_request("GET", "/metrics", headers=headers, app=client.app)
        return req.clone(remote=remote)

    assert metrics_allowed(request("127.0.0.1")) and metrics_allowed(request("::1"))
    assert not metrics_allowed(request("203.0.113.9"))
    assert not metrics_allowed(request("203.0.113.9", "Bearer "))  # no token configured: loopback only
    settings.observability.metrics_token = type(settings.observability.metrics_token)("s3cret-scrape")
    assert metrics_allowed(request("203.0.113.9", "Bearer s3cret-scrape"))
    assert not metrics_allowed(request("203.0.113.9", "Bearer wrong"))
    assert not metrics_allowed(request("203.0.113.9", "Basic s3cret-scrape"))


async def test_metrics_answer_404_to_anyone_else(client):
    import pytest
    from aiohttp import web
    from aiohttp.test_utils import make_mocked_request

    from gateway.observability.views import metrics

    outsider = make_mocked_request("GET", "/metrics", app=client.app).clone(remote="203.0.113.9")
    with pytest.raises(web.HTTPNotFound):
        await metrics(outsider)
