"""Linked transactions (billable expenses): creation rules, derived statuses, updates, deletes and filters."""

from __future__ import annotations

import pytest

from gateway.xero.errors import NotFound, ValidationException
from tests.front import xero_request
from tests.native.conftest import ctx

from .conftest import bill_element, call, invoice_element


async def _bill(adapter, **overrides):
    return (await call(adapter, "createInvoices", elements=[bill_element(**overrides)])).items[0]


async def _link(adapter, element: dict):
    return (await call(adapter, "createLinkedTransaction", elements=[element])).items[0]


async def test_status_follows_the_source_and_target(adapter) -> None:
    draft_bill = await _bill(adapter, Status="DRAFT", InvoiceNumber="B-1")
    linked = await _link(adapter, {"SourceTransactionID": draft_bill.InvoiceID,
                                   "SourceLineItemID": draft_bill.LineItems[0].LineItemID})
    assert (linked.Status, linked.Type, linked.SourceTransactionTypeCode) == ("DRAFT", "BILLABLEEXPENSE", "ACCPAY")
    await call(adapter, "updateInvoice", path={"InvoiceID": draft_bill.InvoiceID},
               elements=[{"Status": "AUTHORISED"}])
    path = {"LinkedTransactionID": linked.LinkedTransactionID}
    assert (await call(adapter, "getLinkedTransaction", path=path)).items[0].Status == "APPROVED"

    target = (await call(adapter, "createInvoices", elements=[invoice_element(Status="DRAFT")])).items[0]
    on_draft = (await call(adapter, "updateLinkedTransaction", path=path,
                           elements=[{"TargetTransactionID": target.InvoiceID,
                                      "TargetLineItemID": target.LineItems[0].LineItemID}])).items[0]
    assert on_draft.Status == "ONDRAFT" and on_draft.ContactID == target.Contact.ContactID
    await call(adapter, "updateInvoice", path={"InvoiceID": target.InvoiceID}, elements=[{"Status": "AUTHORISED"}])
    assert (await call(adapter, "getLinkedTransaction", path=path)).items[0].Status == "BILLED"
    with pytest.raises(ValidationException):  # billed: locked
        await call(adapter, "deleteLinkedTransaction", path=path)
    with pytest.raises(ValidationException):
        await call(adapter, "updateLinkedTransaction", path=path, elements=[{"TargetLineItemID": None}])


async def test_voided_source_voids_the_linked_transaction(adapter) -> None:
    bill = await _bill(adapter)
    linked = await _link(adapter, {"SourceTransactionID": bill.InvoiceID,
                                   "SourceLineItemID": bill.LineItems[0].LineItemID})
    await call(adapter, "updateInvoice", path={"InvoiceID": bill.InvoiceID}, elements=[{"Status": "VOIDED"}])
    got = (await call(adapter, "getLinkedTransaction", path={"LinkedTransactionID": linked.LinkedTransactionID}))
    assert got.items[0].Status == "VOIDED"


async def test_creation_rules(adapter) -> None:
    bill = await _bill(adapter)
    sale = (await call(adapter, "createInvoices", elements=[invoice_element()])).items[0]
    line = bill.LineItems[0].LineItemID

    async def refused(element: dict) -> list[str]:
        with pytest.raises(ValidationException) as err:
            await _link(adapter, element)
        return [e["Message"] for e in err.value.elements[0]["ValidationErrors"]]

    assert await refused({"SourceTransactionID": bill.InvoiceID,
                          "SourceLineItemID": sale.LineItems[0].LineItemID}) == [
        "The SourceLineItemID and SourceTransactionID do not match"]
    assert await refused({"SourceTransactionID": sale.InvoiceID, "SourceLineItemID": sale.LineItems[0].LineItemID}
                         ) == ["The source transaction must be an ACCPAY invoice."]
    assert await refused({"SourceTransactionID": bill.InvoiceID}) == [
        "SourceTransactionID and SourceLineItemID are required."]
    other_customer = (await call(adapter, "getContacts", where='Name=="Ivy Lane Bakery"')).items[0]
    assert await refused({"SourceTransactionID": bill.InvoiceID, "SourceLineItemID": line,
                          "ContactID": other_customer.ContactID, "TargetTransactionID": sale.InvoiceID}) == [
        "The ContactID and the TargetTransaction ContactID do not match"]
    assert await refused({"SourceTransactionID": bill.InvoiceID, "SourceLineItemID": line,
                          "TargetTransactionID": bill.InvoiceID}) == [
        "The TargetTransactionID must be an ACCREC invoice that is not voided or deleted."]

    made = await _link(adapter, {"SourceTransactionID": bill.InvoiceID, "SourceLineItemID": line,
                                 "ContactID": other_customer.ContactID})
    assert made.Status == "APPROVED" and made.ContactID == other_customer.ContactID
    assert await refused({"SourceTransactionID": bill.InvoiceID, "SourceLineItemID": line}) == [
        "This source line item is already linked to a linked transaction."]
    with pytest.raises(ValidationException):
        await call(adapter, "updateLinkedTransaction", path={"LinkedTransactionID": made.LinkedTransactionID},
                   elements=[{"SourceLineItemID": sale.LineItems[0].LineItemID}])


async def test_filters_delete_and_not_found(adapter) -> None:
    bill = await _bill(adapter)
    other = await _bill(adapter, InvoiceNumber="BILL-78")
    first = await _link(adapter, {"SourceTransactionID": bill.InvoiceID,
                                  "SourceLineItemID": bill.LineItems[0].LineItemID})
    second = await _link(adapter, {"SourceTransactionID": other.InvoiceID,
                                   "SourceLineItemID": other.LineItems[0].LineItemID})

    async def ids(**params: str) -> list[str]:
        req = xero_request("getLinkedTransactions", params=params)
        return [lt.LinkedTransactionID for lt in (await adapter.get_linked_transactions(ctx(), req)).items]

    assert await ids(SourceTransactionID=other.InvoiceID) == [second.LinkedTransactionID]
    assert await ids(LinkedTransactionID=first.LinkedTransactionID.upper()) == [first.LinkedTransactionID]
    assert sorted(await ids(Status="approved")) == sorted([first.LinkedTransactionID, second.LinkedTransactionID])
    assert await ids(Status="BILLED") == []
    with pytest.raises(ValidationException):
        await ids(ContactID="not-a-guid")

    deleted = await call(adapter, "deleteLinkedTransaction", path={"LinkedTransactionID": first.LinkedTransactionID})
    assert deleted.status == 204 and deleted.items == []
    with pytest.raises(NotFound):
        await call(adapter, "getLinkedTransaction", path={"LinkedTransactionID": first.LinkedTransactionID})
    with pytest.raises(NotFound):
        await call(adapter, "updateLinkedTransaction", path={"LinkedTransactionID": first.LinkedTransactionID},
                   elements=[{"ContactID": bill.Contact.ContactID}])
    with pytest.raises(ValidationException):  # one element only
        await call(adapter, "createLinkedTransaction", elements=[])
