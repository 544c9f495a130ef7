"""Purchase orders on the native ledger: numbering, statuses, SentToContact, lookups by number, filters."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gateway.xero.errors import NotFound, ValidationException
from tests.front import xero_request
from tests.native.conftest import ctx

from .conftest import call, purchase_order_element


async def test_create_defaults_and_numbering(adapter) -> None:
    highest = max(int(o.PurchaseOrderNumber[3:]) for o in (await call(adapter, "getPurchaseOrders")).items)
    made = (await call(adapter, "createPurchaseOrders",
                       elements=[purchase_order_element(), purchase_order_element(Status="AUTHORISED")])).items
    assert [o.PurchaseOrderNumber for o in made] == [f"PO-{highest + 1:04d}", f"PO-{highest + 2:04d}"]
    assert [o.Status for o in made] == ["DRAFT", "AUTHORISED"]
    order = made[0]
    assert (order.SubTotal, order.TotalTax, order.Total) == (Decimal("25.00"), Decimal("5.00"), Decimal("30.00"))
    assert order.LineAmountTypes == "Exclusive" and order.AttentionTo == "Stores"
    assert order.SentToContact is False and order.HasAttachments is False


@pytest.mark.parametrize(("element", "message"), [
    ({"Status": "BILLED"}, "not of valid status for creation"),
    ({"Status": "OPEN"}, "Status must be one of"),
    ({"SentToContact": True}, "approved or billed"),
    ({"DeliveryInstructions": "x" * 501}, "DeliveryInstructions must be 500 characters or less."),
    ({"LineAmountTypes": "EXCLUSIVE"}, "LineAmountTypes must be Exclusive, Inclusive or NoTax."),
    ({"Contact": {"ContactID": "00000000-0000-0000-0000-0000000000ff"}}, "could not be found"),
    ({"LineItems": []}, "at least one line item"),
    ({"LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 5, "AccountCode": "429",
                     "TaxType": "OUTPUT2"}]}, "The TaxType code 'OUTPUT2'"),
])
async def test_invalid_orders_are_refused(adapter, element, message) -> None:
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createPurchaseOrders", elements=[purchase_order_element(**element)])
    messages = [e["Message"] for e in err.value.elements[0]["ValidationErrors"]]
    assert any(message in m for m in messages), messages


async def test_status_flow_sent_to_contact_and_locking(adapter) -> None:
    order = (await call(adapter, "createPurchaseOrders", elements=[purchase_order_element()])).items[0]
    path = {"PurchaseOrderID": order.PurchaseOrderID}
    submitted = (await call(adapter, "updatePurchaseOrder", path=path, elements=[{"Status": "SUBMITTED"}])).items[0]
    assert submitted.Status == "SUBMITTED"
    sent = (await call(adapter, "updatePurchaseOrder", path=path,
                       elements=[{"Status": "AUTHORISED", "SentToContact": True}])).items[0]
    assert sent.Status == "AUTHORISED" and sent.SentToContact is True
    billed = (await call(adapter, "updatePurchaseOrder", path=path, elements=[{"Status": "BILLED"}])).items[0]
    assert billed.Status == "BILLED"
    with pytest.raises(ValidationException) as err:
        await call(adapter, "updatePurchaseOrder", path=path, elements=[{"Status": "DELETED"}])
    assert "Purchase Order not of valid status for modification" in str(err.value.elements)
    history = (await call(adapter, "getPurchaseOrderHistory", path=path)).items
    assert [h.Changes for h in history] == ["Created", "Submitted", "Approved", "Billed"]


async def test_lookup_by_number_and_upsert_by_number(adapter) -> None:
    order = (await call(adapter, "createPurchaseOrders",
                        elements=[purchase_order_element(PurchaseOrderNumber="PO-ABC")])).items[0]
    found = (await call(adapter, "getPurchaseOrderByNumber", path={"PurchaseOrderNumber": "po-abc"})).items[0]
    assert found.PurchaseOrderID == order.PurchaseOrderID
    updated = (await call(adapter, "updateOrCreatePurchaseOrders",
                          elements=[{"PurchaseOrderNumber": "PO-ABC", "Telephone": "0161 000"}])).items[0]
    assert updated.PurchaseOrderID == order.PurchaseOrderID and updated.Telephone == "0161 000"
    with pytest.raises(NotFound):
        await call(adapter, "getPurchaseOrder", path={"PurchaseOrderID": "00000000-0000-0000-0000-000000000000"})
    with pytest.raises(ValidationException):
        await call(adapter, "createPurchaseOrders",
                   elements=[purchase_order_element(PurchaseOrderID=order.PurchaseOrderID)])


async def test_filters_and_paging(adapter) -> None:
    made = (await call(adapter, "createPurchaseOrders", elements=[
        purchase_order_element(Date="2026-01-10"), purchase_order_element(Date="2026-03-01", Status="SUBMITTED"),
        purchase_order_element(Date="2026-03-02")])).items

    mine = {o.PurchaseOrderNumber for o in made}

    async def numbers(**params: str) -> list[str]:  # among the orders made here (the demo has others)
        req = xero_request("getPurchaseOrders", params=params)
        return [o.PurchaseOrderNumber for o in (await adapter.get_purchase_orders(ctx(), req)).items
                if o.PurchaseOrderNumber in mine]

    assert await numbers(DateFrom="2026-03-01") == [made[1].PurchaseOrderNumber, made[2].PurchaseOrderNumber]
    assert await numbers(DateTo="2026-02-28") == [made[0].PurchaseOrderNumber]
    assert await numbers(status="submitted") == [made[1].PurchaseOrderNumber]
    with pytest.raises(ValidationException):
        await numbers(Status="CLOSED")
    total = len((await call(adapter, "getPurchaseOrders")).items)
    page = await call(adapter, "getPurchaseOrders", page=2, page_size=total - 1)
    assert page.pagination.pageCount == 2 and page.pagination.itemCount == total and len(page.items) == 1
