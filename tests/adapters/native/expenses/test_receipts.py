"""Receipts on the native ledger: create, read, list, update, statuses, validation, history and attachments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gateway.xero.errors import NotFound, ValidationException

from .conftest import USER_ID, call, receipt_element


def _messages(err: pytest.ExceptionInfo[ValidationException]) -> list[str]:
    return [m["Message"] for el in err.value.elements for m in el.get("ValidationErrors", [])]


async def test_create_read_and_list(adapter) -> None:
    made = (await call(adapter, "createReceipt", elements=[receipt_element(), receipt_element(Reference="Lunch")]))
    first, second = made.items
    assert (first.Status, first.ReceiptNumber, second.ReceiptNumber) == ("DRAFT", "1", "2")
    assert (first.SubTotal, first.TotalTax, first.Total) == (Decimal("30.00"), Decimal("6.00"), Decimal("36.00"))
    assert first.User.UserID == USER_ID and first.User.EmailAddress
    assert first.Contact.Name == "Greenfield Office Supplies" and first.LineItems[0].AccountCode == "429"
    assert first.HasAttachments is False

    read = (await call(adapter, "getReceipt", path={"ReceiptID": first.ReceiptID})).items[0]
    assert read.model_dump() == first.model_dump()
    listed = (await call(adapter, "getReceipts", where='Reference=="Lunch"')).items
    assert [r.ReceiptID for r in listed] == [second.ReceiptID]
    ordered = (await call(adapter, "getReceipts", order="ReceiptNumber DESC")).items
    assert [r.ReceiptNumber for r in ordered] == ["2", "1"]
    with pytest.raises(NotFound):
        await call(adapter, "getReceipt", path={"ReceiptID": "00000000-0000-0000-0000-000000000001"})


async def test_update_a_draft(adapter) -> None:
    receipt = (await call(adapter, "createReceipt", elements=[receipt_element()])).items[0]
    updated = (await call(adapter, "updateReceipt", path={"ReceiptID": receipt.ReceiptID}, elements=[{
        "LineAmountTypes": "Inclusive", "Reference": "Taxi (return)"}])).items[0]
    # Inclusive: 30.00 gross at 20% is 25.00 + 5.00; the lines are kept.
    assert (updated.SubTotal, updated.TotalTax, updated.Total) == (Decimal("25.00"), Decimal("5.00"),
                                                                   Decimal("30.00"))
    assert updated.Reference == "Taxi (return)" and updated.ReceiptNumber == receipt.ReceiptNumber
    with pytest.raises(NotFound):
        await call(adapter, "updateReceipt", path={"ReceiptID": "00000000-0000-0000-0000-000000000001"},
                   elements=[{"Reference": "x"}])


@pytest.mark.parametrize(("override", "message"), [
    ({"User": {"UserID": "00000000-0000-0000-0000-000000000009"}}, "A valid User must be specified for a receipt."),
    ({"User": None}, "A valid User must be specified for a receipt."),
    ({"LineItems": []}, "A receipt must have at least one line item."),
    ({"Contact": None}, "A Contact must be specified for this type of transaction"),
    ({"LineItems": [{"Description": "Sales line", "Quantity": 1, "UnitAmount": 5, "AccountCode": "200"}]},
     "Account code '200' is not enabled for expense claims."),
    ({"Status": "AUTHORISED"}, "A receipt in status (new) cannot be changed to AUTHORISED."),
    ({"Status": "LOST"}, "Status must be one of DRAFT, SUBMITTED, AUTHORISED, DECLINED, VOIDED."),
])
async def test_invalid_receipts(adapter, override, message) -> None:
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createReceipt", elements=[receipt_element(**override)], summarize_errors=True)
    assert message in _messages(err)
    assert (await call(adapter, "getReceipts")).items == []


async def test_history_and_attachments(adapter) -> None:
    receipt = (await call(adapter, "createReceipt", elements=[receipt_element()])).items[0]
    path = {"ReceiptID": receipt.ReceiptID}
    await call(adapter, "updateReceipt", path=path, elements=[{"Reference": "Edited"}])
    await call(adapter, "createReceiptHistory", path=path, elements=[{"Details": "Scanned"}])
    records = (await call(adapter, "getReceiptHistory", path=path)).items
    assert [r.Changes for r in records] == ["Created", "Edited", "Note"]
    assert records[0].Details == "Receipt 1 to Greenfield Office Supplies for 36.00."

    assert callable(adapter.operation("createReceiptAttachmentByFileName"))
    assert callable(adapter.operation("getReceiptAttachmentById"))
    assert adapter.operation("getExpenseClaimAttachments") is None  # the spec gives claims none
