"""The demo company's quotes and purchase orders (:mod:`adapters.native.demo.workflow`)."""

from __future__ import annotations

from adapters.native.demo import workflow as demo_workflow

from .conftest import call


async def test_demo_quotes_and_purchase_orders(adapter) -> None:
    quotes = (await call(adapter, "getQuotes", order="QuoteNumber")).items
    assert [(q.QuoteNumber, q.Status) for q in quotes] == [
        (f"QU-{n:04d}", row[2]) for n, row in enumerate(demo_workflow.QUOTES, start=1)]
    orders = (await call(adapter, "getPurchaseOrders", order="PurchaseOrderNumber")).items
    assert [(o.PurchaseOrderNumber, o.Status) for o in orders] == [
        (f"PO-{n:04d}", row[2]) for n, row in enumerate(demo_workflow.PURCHASE_ORDERS, start=1)]
    accepted = (await call(adapter, "getQuoteHistory", path={"QuoteID": quotes[0].QuoteID})).items
    assert [h.Changes for h in accepted] == ["Created", "Sent", "Accepted"]
    assert all(q.Total > 0 for q in quotes) and all(o.LineItems for o in orders)
