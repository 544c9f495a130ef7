"""Batch (independent items with their own Faults) and change data capture."""

from __future__ import annotations

import json

import pytest

from tests.emulators.qbo.conftest import SAMPLES, invoice_body, seed_basics

SAMPLE = json.loads((SAMPLES / "platform" / "Batch.json").read_text())


async def test_batch_mirrors_intuit_sample(qbo):
    made = await seed_basics(qbo)
    await qbo.create("Vendor", {"DisplayName": "Smith Family Store"})
    receipt = await qbo.create("SalesReceipt", {"Line": invoice_body(made, 337.5)["Line"],
                                                "CustomerRef": {"value": made["customer"]["Id"]}})
    await qbo.post("/salesreceipt", {"Id": receipt["Id"], "SyncToken": "0", "sparse": True, "PrivateNote": "n"})
    request = json.loads(json.dumps(SAMPLE["batch_request"]))
    request["BatchItemRequest"][2]["SalesReceipt"]["Id"] = receipt["Id"]  # SyncToken "0" is now stale
    response = await qbo.json(await qbo.post("/batch", request))
    items = {item["bId"]: item for item in response["BatchItemResponse"]}
    expected = {item["bId"]: item for item in SAMPLE["batch_response"]["BatchItemResponse"]}
    for bid in ("bid1", "bid2", "bid3"):
        assert items[bid]["Fault"] == expected[bid]["Fault"]
    assert [r["Id"] for r in items["bid4"]["QueryResponse"]["SalesReceipt"]] == [receipt["Id"]]
    assert "time" in response


async def test_batch_items_are_independent(qbo):
    response = await qbo.json(await qbo.post("/batch", {"BatchItemRequest": [
        {"bId": "a", "operation": "create", "Customer": {"DisplayName": "One"}},
        {"bId": "b", "operation": "create", "Customer": {"DisplayName": "One"}},
        {"bId": "c", "operation": "create", "Customer": {"DisplayName": "Two"}}]}))
    items = response["BatchItemResponse"]
    assert items[0]["Customer"]["DisplayName"] == "One"
    assert items[1]["Fault"]["Error"][0]["code"] == "6240"
    assert items[2]["Customer"]["DisplayName"] == "Two"


async def test_batch_limit(qbo):
    items = [{"bId": str(i), "Query": "select * from Customer"} for i in range(31)]
    response = await qbo.json(await qbo.post("/batch", {"BatchItemRequest": items}), 400)
    assert response["Fault"]["type"] == "ValidationFault"


async def test_cdc_changes_and_deletions(qbo):
    made = await seed_basics(qbo)
    since = qbo.state.clock.now().isoformat()
    qbo.state.clock.advance(2)
    keep = await qbo.create("Invoice", invoice_body(made))
    drop = await qbo.create("Invoice", invoice_body(made))
    await qbo.post("/invoice", {"Id": drop["Id"], "SyncToken": "0"}, operation="delete")
    customer = await qbo.create("Customer", {"DisplayName": "Late Customer"})
    response = await qbo.json(await qbo.get("/cdc", entities="Invoice,Customer,Vendor", changedSince=since))
    invoices, customers, vendors = response["CDCResponse"][0]["QueryResponse"]
    assert [r["Id"] for r in invoices["Invoice"]] == [keep["Id"], drop["Id"]]
    stub = invoices["Invoice"][1]
    assert stub["status"] == "Deleted" and stub["domain"] == "QBO" and "LastUpdatedTime" in stub["MetaData"]
    assert [r["Id"] for r in customers["Customer"]] == [customer["Id"]]
    assert vendors == {}


@pytest.mark.parametrize(("params", "code"), [
    ({"changedSince": "2024-01-01T00:00:00-08:00"}, "2020"),
    ({"entities": "Invoice"}, "2020"),
    ({"entities": "Invoice", "changedSince": "2000-01-01T00:00:00Z"}, "2010"),
])
async def test_cdc_faults(qbo, params, code):
    response = await qbo.json(await qbo.get("/cdc", **params), 400)
    assert response["Fault"]["Error"][0]["code"] == code
