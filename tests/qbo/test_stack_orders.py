"""End to end: Quotes ↔ Estimate and PurchaseOrders ↔ PurchaseOrder through ``/1004``; every field QBO keeps reads
back as written, statuses follow ``mappings/qbo_statuses.toml``."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.qbo.test_stack_writes import held_record, make_chart

pytestmark = pytest.mark.slow

TODAY = date.today()


@pytest.fixture
def qbo(qbo_files):
    """The stack consented with ``accounting.attachments`` (``tests/qbo/conftest.py``)."""
    return qbo_files


async def _contact(qbo, name: str) -> str:
    made = await qbo.api("PUT", "/Contacts", body={"Contacts": [{"Name": name}]})
    return made.body["Contacts"][0]["ContactID"]


async def test_quote_round_trip_and_statuses(qbo):
    await make_chart(qbo)
    contact_id = await _contact(qbo, "Quill Gardens")
    sent = {"Contact": {"ContactID": contact_id}, "Date": TODAY.isoformat(),
            "ExpiryDate": (TODAY + timedelta(days=14)).isoformat(), "Title": "Spring planting",
            "Reference": "Q-REF-9", "QuoteNumber": "Q-100",
            "LineItems": [{"Description": "Planting", "Quantity": 2, "UnitAmount": "40.00", "AccountCode": "4000",
                           "TaxType": "NONE"}]}
    made = await qbo.api("PUT", "/Quotes", body={"Quotes": [sent]})
    assert made.status == 200, made.body
    quote = made.body["Quotes"][0]
    read = (await qbo.api("GET", f"/Quotes/{quote['QuoteID']}")).body["Quotes"][0]
    for field in ("Title", "Reference", "QuoteNumber", "ExpiryDateString", "DateString", "Status"):
        assert read[field] == quote[field], field
    assert read["Title"] == "Spring planting" and read["Reference"] == "Q-REF-9" and read["QuoteNumber"] == "Q-100"
    assert read["ExpiryDateString"].startswith(sent["ExpiryDate"]) and read["Status"] == "DRAFT"
    assert read["Contact"]["ContactID"] == contact_id and read["Total"] == 80
    line = read["LineItems"][0]
    assert (line["Description"], line["Quantity"], line["UnitAmount"], line["AccountCode"]) == \
        ("Planting", 2, 40, "4000")
    held = await held_record(qbo, quote["QuoteID"], "Estimate")
    assert held["CustomerMemo"] == {"value": "Spring planting"} and held["TxnStatus"] == "Pending"

    for status, tx_status in (("SENT", "Pending"), ("ACCEPTED", "Accepted"), ("DECLINED", "Rejected")):
        changed = await qbo.api("POST", f"/Quotes/{quote['QuoteID']}", body={"Quotes": [{"Status": status}]})
        assert changed.body["Quotes"][0]["Status"] == status, changed.body
        assert (await held_record(qbo, quote["QuoteID"], "Estimate"))["TxnStatus"] == tx_status
    listed = await qbo.api("GET", "/Quotes", params={"Status": "DECLINED", "ContactID": contact_id})
    assert [q["QuoteID"] for q in listed.body["Quotes"]] == [quote["QuoteID"]]
    bad = await qbo.api("POST", f"/Quotes/{quote['QuoteID']}", body={"Quotes": [{"Status": "PAID"}]})
    assert bad.status == 400


async def test_purchase_order_round_trip_and_statuses(qbo):
    await make_chart(qbo)
    contact_id = await _contact(qbo, "Orchard Supplies")
    sent = {"Contact": {"ContactID": contact_id}, "Date": TODAY.isoformat(),
            "DeliveryDate": (TODAY + timedelta(days=7)).isoformat(),
            "ExpectedArrivalDate": (TODAY + timedelta(days=9)).isoformat(), "Reference": "PO-REF-3",
            "PurchaseOrderNumber": "PO-3001", "DeliveryInstructions": "Back door",
            "DeliveryAddress": "Warehouse 4\n12 Dock Road", "Status": "DRAFT", "AttentionTo": "Stores",
            "LineItems": [{"Description": "Mulch", "Quantity": 10, "UnitAmount": "2.50", "AccountCode": "6000",
                           "TaxType": "NONE"}]}
    made = await qbo.api("PUT", "/PurchaseOrders", body={"PurchaseOrders": [sent]})
    assert made.status == 200, made.body
    order = made.body["PurchaseOrders"][0]
    assert order["Status"] == "AUTHORISED"
    warnings = " ".join(w["Message"] for w in order["Warnings"])
    assert "AttentionTo" in warnings and "draft" in warnings
    read = (await qbo.api("GET", f"/PurchaseOrders/{order['PurchaseOrderID']}")).body["PurchaseOrders"][0]
    for field in ("Reference", "PurchaseOrderNumber", "DeliveryInstructions", "DeliveryAddress"):
        assert read[field] == sent[field], field
    assert read["DeliveryDateString"].startswith(sent["DeliveryDate"])
    assert read["ExpectedArrivalDate"] == order["ExpectedArrivalDate"] and read["ExpectedArrivalDate"]
    held = await held_record(qbo, order["PurchaseOrderID"], "PurchaseOrder")
    assert held["ExpectedDate"] == sent["ExpectedArrivalDate"] and held["Memo"] == "Back door"
    assert read["Total"] == 25 and read["LineItems"][0]["AccountCode"] == "6000"
    assert "HasAttachments" not in read
    upload = await qbo.api("PUT", f"/PurchaseOrders/{order['PurchaseOrderID']}/Attachments/spec.txt", data=b"spec",
                           headers={"Content-Type": "text/plain"})
    assert upload.status == 200, upload.body
    again = (await qbo.api("GET", f"/PurchaseOrders/{order['PurchaseOrderID']}")).body["PurchaseOrders"][0]
    assert again["HasAttachments"] is True and again["Attachments"] == upload.body["Attachments"]
    by_number = await qbo.api("GET", "/PurchaseOrders/PO-3001")
    assert by_number.body["PurchaseOrders"][0]["PurchaseOrderID"] == order["PurchaseOrderID"]

    billed = await qbo.api("POST", f"/PurchaseOrders/{order['PurchaseOrderID']}",
                           body={"PurchaseOrders": [{"Status": "BILLED"}]})
    assert billed.body["PurchaseOrders"][0]["Status"] == "BILLED"
    assert (await held_record(qbo, order["PurchaseOrderID"], "PurchaseOrder"))["POStatus"] == "Closed"
    deleted = await qbo.api("POST", f"/PurchaseOrders/{order['PurchaseOrderID']}",
                            body={"PurchaseOrders": [{"Status": "DELETED"}]})
    assert deleted.body["PurchaseOrders"][0]["Status"] == "DELETED"
    assert (await qbo.api("GET", f"/PurchaseOrders/{order['PurchaseOrderID']}")).status == 404
