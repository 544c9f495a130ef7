"""History and notes: automatic records of the invoice, contact and payment writes, notes added through the API,
and one operation per resource derived from the operation table."""

from __future__ import annotations

from decimal import Decimal

import pytest

import mappings
from adapters.base import snake_case
from adapters.native.adapter import NativeLedgerAdapter
from adapters.native.resources import history, parents
from adapters.native.resources.parents import resource_operations
from gateway.xero.errors import NotFound, OperationNotSupported, ValidationException

from .conftest import call, invoice_element


def test_every_history_and_attachment_operation_of_the_ledgers_resources_is_served() -> None:
    pattern_ops = {row["id"]: row["path"] for row in mappings.load("xero_operations")["operation"]
                   if row["path"].endswith("/History") or "/Attachments" in row["path"]}
    served = resource_operations()
    for operation_id, path in pattern_ops.items():
        resource = path.split("/")[1]
        method = getattr(NativeLedgerAdapter, snake_case(operation_id), None)
        if resource in parents.PARENTS:
            assert operation_id in served and callable(method), operation_id
        else:
            assert method is None, operation_id
    assert {"getInvoiceHistory", "createQuoteHistory", "getCreditNoteHistory", "getOverpaymentHistory",
            "createAccountAttachmentByFileName", "getPurchaseOrderAttachmentById"} <= set(served)
    assert {"getReceiptHistory", "createReceiptAttachmentByFileName", "createExpenseClaimHistory"} <= set(served)
    assert "getRepeatingInvoiceAttachments" in served


async def test_invoice_contact_and_payment_writes_record_history(adapter) -> None:
    invoice = (await call(adapter, "createInvoices", elements=[invoice_element(
        Status="DRAFT", Contact={"Name": "History Test Ltd"})])).items[0]
    path = {"InvoiceID": invoice.InvoiceID}
    await call(adapter, "updateInvoice", path=path, elements=[{"Reference": "PO 12"}])
    await call(adapter, "updateInvoice", path=path, elements=[{"Status": "AUTHORISED"}])
    payment = (await call(adapter, "createPayment", elements=[{
        "Invoice": {"InvoiceID": invoice.InvoiceID}, "Account": {"Code": "090"}, "Date": "2026-03-12",
        "Amount": 240}])).items[0]
    records = (await call(adapter, "getInvoiceHistory", path=path)).items
    assert [r.Changes for r in records] == ["Created", "Edited", "Approved", "Paid"]
    assert records[0].Details == f"{invoice.InvoiceNumber} to History Test Ltd for 240.00."
    assert all(r.User == "System Generated" for r in records)
    assert [r.DateUTC for r in records] == sorted(r.DateUTC for r in records)

    contact_records = (await call(adapter, "getContactHistory", path={"ContactID": invoice.Contact.ContactID}))
    assert [r.Changes for r in contact_records.items] == ["Created"]
    await call(adapter, "deletePayment", path={"PaymentID": payment.PaymentID}, elements=[{"Status": "DELETED"}])
    payment_records = (await call(adapter, "getPaymentHistory", path={"PaymentID": payment.PaymentID})).items
    assert [r.Changes for r in payment_records] == ["Created", "Deleted"]
    assert payment_records[0].Details == f"Payment of 240.00 on {invoice.InvoiceNumber} (History Test Ltd)."


async def test_notes(adapter) -> None:
    contacts = (await call(adapter, "getContacts", where='Name=="Ivy Lane Bakery"')).items
    path = {"ContactID": contacts[0].ContactID}
    added = await call(adapter, "createContactHistory", path=path,
                       elements=[{"Details": "Prefers e-mail"}, {"Details": " Pays late "}])
    assert [(r.Changes, r.Details, r.User) for r in added.items] == [
        ("Note", "Prefers e-mail", "System Generated"), ("Note", "Pays late", "System Generated")]
    listed = (await call(adapter, "getContactHistory", path=path)).items
    assert [r.Details for r in listed][-2:] == ["Prefers e-mail", "Pays late"]

    with pytest.raises(ValidationException) as err:  # all or nothing
        await call(adapter, "createContactHistory", path=path, elements=[{"Details": "ok"}, {"Details": ""}])
    assert err.value.elements[1]["ValidationErrors"][0]["Message"] == "Details must be specified for a history note."
    assert len((await call(adapter, "getContactHistory", path=path)).items) == len(listed)
    with pytest.raises(ValidationException):
        await call(adapter, "createContactHistory", path=path, elements=[{"Details": "x" * 251}])
    with pytest.raises(ValidationException):
        await call(adapter, "createContactHistory", path=path, elements=[])


async def test_unknown_or_foreign_parents(adapter, monkeypatch) -> None:
    with pytest.raises(NotFound):
        await call(adapter, "getInvoiceHistory", path={"InvoiceID": "00000000-0000-0000-0000-000000000001"})
    with pytest.raises(NotFound):
        await call(adapter, "createInvoiceHistory", path={"InvoiceID": "not-a-guid"}, elements=[{"Details": "x"}])
    # A quote id is no purchase order.
    quote = (await call(adapter, "createQuotes", elements=[{"Contact": {"Name": "Ivy Lane Bakery"},
                                                            "LineItems": [{"Description": "x"}]}])).items[0]
    with pytest.raises(NotFound):
        await call(adapter, "getPurchaseOrderHistory", path={"PurchaseOrderID": quote.QuoteID})
    # A resource whose table is missing answers 501.
    monkeypatch.setitem(parents.PARENTS, "CreditNotes", parents.Parent("adapters.native.no_such_module:Nope"))
    with pytest.raises(OperationNotSupported):
        await call(adapter, "getCreditNoteHistory", path={"CreditNoteID": "00000000-0000-0000-0000-000000000001"})


def test_status_words() -> None:
    assert history.status_change(None, "DRAFT") == "Created"
    assert history.status_change("DRAFT", "DRAFT") == "Edited"
    assert history.status_change("DRAFT", "AUTHORISED") == "Approved"
    assert history.status_change("AUTHORISED", "VOIDED") == "Voided"
    assert history.document_details(None, None, Decimal("1234.5")) == "Document for 1,234.50."


async def test_record_refuses_unknown_resources(adapter) -> None:
    async with adapter.db.session() as session:
        with pytest.raises(ValueError):
            await history.record(session, company_id="x", resource="Widgets", record_id="y", changes="Note",
                                 details="")
