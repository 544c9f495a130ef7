"""``/metrics`` in host mode (gateway/observability, gateway/hostmode): a request at Xero's own path is counted under
the source host mode routed it to and under its Xero operation, as the same call under ``/{code}`` would be."""

from __future__ import annotations

import base64

from tests.observability.conftest import sample, scrape
from tests.observability.test_metrics import REQUESTS, delta

from .fake_sources import TENANT_C

IDENTITY = {"Host": "identity.xero.com"}
API = {"Host": "api.xero.com"}
INVOICE_ID = "3f1c2b4a-0d5e-4f60-8a7b-9c0d1e2f3a4b"


async def test_host_mode_requests_carry_the_routed_source_and_operation(gw):
    app = await gw.create_app(custom_connection=True, code="1009", tenant_id=TENANT_C)
    basic = base64.b64encode(f"{app['client_id']}:{app['client_secret']}".encode()).decode()
    before = await scrape(gw.client)

    assert (await gw.client.get("/.well-known/openid-configuration", headers=IDENTITY)).status == 200
    issued = await gw.client.post("/connect/token", data={"grant_type": "client_credentials"},
                                  headers={**IDENTITY, "Authorization": f"Basic {basic}"})
    assert issued.status == 200
    bearer = {**API, "Authorization": f"Bearer {(await issued.json())['access_token']}", "xero-tenant-id": TENANT_C}
    listed = await gw.client.get("/api.xro/2.0/Invoices", headers={**bearer, "Accept": "application/json"})
    pdf = await gw.client.get(f"/api.xro/2.0/Invoices/{INVOICE_ID}", headers={**bearer, "Accept": "application/pdf"})
    connections = await gw.client.get("/connections", headers=bearer)
    assert (await gw.client.get("/nowhere", headers=API)).status == 404

    after = await scrape(gw.client)
    assert delta(before, after, REQUESTS) == {
        sample(REQUESTS, source="none", operation="/metrics", status="200"): 1,  # the first scrape
        sample(REQUESTS, source="none", operation="/.well-known/openid-configuration", status="200"): 1,
        sample(REQUESTS, source="1009", operation="/connect/token", status="200"): 1,
        sample(REQUESTS, source="1009", operation="getInvoices", status=str(listed.status)): 1,
        sample(REQUESTS, source="1009", operation="getInvoiceAsPdf", status=str(pdf.status)): 1,
        sample(REQUESTS, source="1009", operation="/connections", status=str(connections.status)): 1,
        # a path no route serves: the source of its (missing) token, the native ledger, and no operation
        sample(REQUESTS, source="1000", operation="unmatched", status="404"): 1,
    }
    durations = delta(before, after, "xero_gateway_request_duration_seconds_count")
    assert durations[sample("xero_gateway_request_duration_seconds_count", source="1009",
                            operation="getInvoices")] == 1
