"""Invoices: creation rules, Xero's status transitions and messages, batches and summarizeErrors."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from adapters.native import messages
from gateway.xero.errors import Forbidden, NotFound, ValidationException
from gateway.xero.request import XeroRequest

from .conftest import call, ctx, invoice_element


def _messages(exc: ValidationException, index: int = 0) -> list[str]:
    return [e["Message"] for e in exc.elements[index]["ValidationErrors"]]


async def _count(adapter) -> int:
    return len((await call(adapter, "getInvoices")).items)


async def _create(adapter, **overrides):
    (inv,) = (await call(adapter, "createInvoices", elements=[invoice_element(**overrides)])).items
    return inv


async def _update(adapter, invoice_id: str, element: dict):
    (inv,) = (await call(adapter, "updateInvoice", path={"InvoiceID": invoice_id}, elements=[element])).items
    return inv


async def test_create_assigns_the_next_number_and_finds_the_contact_by_name(adapter) -> None:
    invoices = (await call(adapter, "getInvoices", where='Type=="ACCREC"')).items
    highest = max(int(i.InvoiceNumber.split("-")[1]) for i in invoices)
    inv = await _create(adapter)
    assert inv.InvoiceNumber == f"INV-{highest + 1:04d}"
    assert inv.Status == "AUTHORISED" and inv.StatusAttributeString == "OK" and inv.HasErrors is False
    (meridian,) = (await call(adapter, "getContacts", search_term="Meridian University")).items
    assert inv.Contact.ContactID == meridian.ContactID


async def test_unknown_contact_name_creates_the_contact(adapter) -> None:
    inv = await _create(adapter, Contact={"Name": "Brand New Customer Ltd"})
    (contact,) = (await call(adapter, "getContact", path={"ContactID": inv.Contact.ContactID})).items
    assert contact.Name == "Brand New Customer Ltd" and contact.IsCustomer is True and contact.IsSupplier is False


async def test_duplicate_invoice_number_is_refused(adapter) -> None:
    await _create(adapter, InvoiceNumber="WEB-1001")
    with pytest.raises(ValidationException) as err:
        await _create(adapter, InvoiceNumber="web-1001")
    assert _messages(err.value) == [messages.INVOICE_NUMBER_UNIQUE]
    assert _messages(err.value) == ["Invoice # must be unique."]


async def test_line_validation_messages(adapter) -> None:
    element = invoice_element(LineItems=[
        {"Description": "a", "UnitAmount": 1, "AccountCode": "999"},
        {"Description": "b", "UnitAmount": 1, "AccountCode": "090"},  # a bank account
        {"Description": "c", "UnitAmount": 1, "AccountCode": "610"},  # a system account
        {"Description": "d", "UnitAmount": 1, "AccountCode": "200", "TaxType": "XYZ"},
        {"Description": "e", "UnitAmount": 1, "AccountCode": "200", "TaxType": "INPUT2"},
    ])
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createInvoices", elements=[element])
    assert _messages(err.value) == [
        "Account code '999' is not a valid code for this document.",
        "Account code '090' is not a valid code for this document.",
        "Account code '610' is not a valid code for this document.",
        "The TaxType code 'XYZ' does not exist or cannot be used with this type of transaction.",
        "The TaxType code 'INPUT2' cannot be used with account code '200'.",
    ]


async def test_contact_and_due_date_are_required(adapter) -> None:
    element = invoice_element()
    del element["Contact"], element["DueDate"]
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createInvoices", elements=[element])
    assert _messages(err.value) == ["A Contact must be specified for this type of transaction",
                                    messages.DUE_DATE_REQUIRED]
    draft = invoice_element(Status="DRAFT")
    del draft["DueDate"]
    (inv,) = (await call(adapter, "createInvoices", elements=[draft])).items
    assert inv.Status == "DRAFT" and inv.DueDate is None


async def test_bad_date_is_a_validation_error_not_a_crash(adapter) -> None:
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createInvoices", elements=[invoice_element(Date="31/12/2026")])
    assert "Date" in _messages(err.value)[0]


async def test_dates_in_every_xero_form(adapter) -> None:
    for form in ("/Date(1773532800000+0000)/", "2026-03-15", "2026-03-15T00:00:00"):
        inv = await _create(adapter, Date=form)
        assert inv.Date.isoformat() == "2026-03-15", form


async def test_allowed_transitions(adapter) -> None:
    inv = await _create(adapter, Status="DRAFT")
    inv = await _update(adapter, inv.InvoiceID, {"Status": "SUBMITTED"})
    assert inv.Status == "SUBMITTED"
    inv = await _update(adapter, inv.InvoiceID, {"Status": "DRAFT"})
    inv = await _update(adapter, inv.InvoiceID, {"Status": "AUTHORISED"})
    assert inv.Status == "AUTHORISED" and inv.AmountDue == Decimal("240.00")
    inv = await _update(adapter, inv.InvoiceID, {"Status": "VOIDED"})
    assert inv.Status == "VOIDED" and inv.AmountDue == 0
    other = await _create(adapter, Status="SUBMITTED")
    assert (await _update(adapter, other.InvoiceID, {"Status": "DELETED"})).Status == "DELETED"


@pytest.mark.parametrize(("start", "target"), [
    ("AUTHORISED", "DRAFT"), ("AUTHORISED", "SUBMITTED"), ("AUTHORISED", "DELETED"), ("DRAFT", "VOIDED"),
    ("DRAFT", "PAID"), ("AUTHORISED", "PAID"),
])
async def test_refused_transitions(adapter, start: str, target: str) -> None:
    inv = await _create(adapter, Status=start)
    with pytest.raises(ValidationException) as err:
        await _update(adapter, inv.InvoiceID, {"Status": target})
    assert _messages(err.value) == ["Invoice not of valid status for modification"]
    (again,) = (await call(adapter, "getInvoice", path={"InvoiceID": inv.InvoiceID})).items
    assert again.Status == start


async def test_final_invoices_cannot_be_edited(adapter) -> None:
    voided = await _create(adapter)
    await _update(adapter, voided.InvoiceID, {"Status": "VOIDED"})
    paid = (await call(adapter, "getInvoices", statuses=["PAID"])).items[0]
    for inv in (voided, paid):
        with pytest.raises(ValidationException) as err:
            await _update(adapter, inv.InvoiceID, {"Reference": "changed"})
        assert _messages(err.value) == [messages.INVOICE_STATUS_MODIFICATION]


async def test_creating_paid_or_voided_is_refused(adapter) -> None:
    for status in ("PAID", "VOIDED", "DELETED"):
        with pytest.raises(ValidationException) as err:
            await _create(adapter, Status=status)
        assert _messages(err.value) == [messages.INVOICE_STATUS_CREATION]


async def test_authorised_invoice_can_be_edited_and_is_reposted(adapter) -> None:
    inv = await _create(adapter)
    edited = await _update(adapter, inv.InvoiceID, {"LineItems": [
        {"Description": "More consulting", "Quantity": 3, "UnitAmount": 100, "AccountCode": "200"}]})
    assert edited.Total == Decimal("360.00") and edited.AmountDue == Decimal("360.00")
    assert edited.InvoiceNumber == inv.InvoiceNumber


async def test_invoice_with_payments_cannot_change_amounts_or_be_voided(adapter) -> None:
    inv = await _create(adapter)
    await call(adapter, "createPayment", elements=[{"Invoice": {"InvoiceID": inv.InvoiceID},
                                                   "Account": {"Code": "090"}, "Date": "2026-03-12",
                                                   "Amount": "40.00"}])
    with pytest.raises(ValidationException) as err:
        await _update(adapter, inv.InvoiceID, {"Status": "VOIDED"})
    assert _messages(err.value) == [messages.INVOICE_VOID_PAYMENTS]
    with pytest.raises(ValidationException) as err:
        await _update(adapter, inv.InvoiceID, {"LineItems": [{"Description": "x", "UnitAmount": 1,
                                                              "AccountCode": "200"}]})
    assert _messages(err.value) == [messages.INVOICE_HAS_PAYMENTS]
    ok = await _update(adapter, inv.InvoiceID, {"Reference": "Paid in part"})
    assert ok.Reference == "Paid in part" and ok.AmountPaid == Decimal("40.00")


async def test_summarize_errors_rolls_back_the_whole_batch(adapter) -> None:
    before = await _count(adapter)
    good = invoice_element(Reference="good one")
    bad = invoice_element(LineItems=[{"Description": "x", "UnitAmount": 1, "AccountCode": "999"}])
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createInvoices", elements=[good, bad, invoice_element(Contact={"Name": "Nobody Yet"})])
    assert len(err.value.elements) == 3
    assert err.value.elements[0]["ValidationErrors"] == []
    assert _messages(err.value, 1) == ["Account code '999' is not a valid code for this document."]
    assert await _count(adapter) == before
    assert not (await call(adapter, "getContacts", search_term="Nobody Yet")).items


async def test_summarize_errors_false_writes_the_valid_elements(adapter) -> None:
    before = await _count(adapter)
    bad = invoice_element(Contact=None, Date="not a date")
    result = await call(adapter, "createInvoices", summarize_errors=False,
                        elements=[invoice_element(), bad, invoice_element()])
    ok1, failed, ok2 = result.items
    assert (ok1.StatusAttributeString, ok1.HasErrors) == ("OK", False)
    assert (failed.StatusAttributeString, failed.HasErrors) == ("ERROR", True)
    assert failed.ValidationErrors and failed.InvoiceID is None
    assert ok2.StatusAttributeString == "OK"
    assert await _count(adapter) == before + 2


async def test_put_refuses_an_existing_id_and_post_updates_it(adapter) -> None:
    inv = await _create(adapter, Status="DRAFT")
    with pytest.raises(ValidationException):
        await call(adapter, "createInvoices", elements=[invoice_element(InvoiceID=inv.InvoiceID)])
    (updated,) = (await call(adapter, "updateOrCreateInvoices",
                             elements=[{"InvoiceID": inv.InvoiceID, "Reference": "via POST"}])).items
    assert updated.InvoiceID == inv.InvoiceID and updated.Reference == "via POST"
    (by_number,) = (await call(adapter, "updateOrCreateInvoices",
                               elements=[{"InvoiceNumber": inv.InvoiceNumber, "Status": "AUTHORISED"}])).items
    assert by_number.InvoiceID == inv.InvoiceID and by_number.Status == "AUTHORISED"
    before = await _count(adapter)
    await call(adapter, "updateOrCreateInvoices", elements=[invoice_element()])
    assert await _count(adapter) == before + 1


async def test_get_invoice_by_id_or_number_and_not_found(adapter) -> None:
    inv = await _create(adapter)
    (by_number,) = (await call(adapter, "getInvoice", path={"InvoiceNumber": inv.InvoiceNumber})).items
    assert by_number.InvoiceID == inv.InvoiceID and by_number.LineItems
    (by_id,) = (await call(adapter, "getInvoice", path={"InvoiceID": inv.InvoiceID.upper()})).items
    assert by_id.InvoiceNumber == inv.InvoiceNumber
    with pytest.raises(NotFound):
        await call(adapter, "getInvoice", path={"InvoiceID": "00000000-0000-0000-0000-000000000000"})
    with pytest.raises(NotFound):
        await call(adapter, "updateInvoice", path={"InvoiceID": "00000000-0000-0000-0000-000000000000"},
                   elements=[{"Reference": "x"}])


async def test_bills_keep_the_suppliers_number(adapter) -> None:
    bill = invoice_element(Type="ACCPAY", Contact={"Name": "Swift Couriers"}, InvoiceNumber="SC-1",
                           LineItems=[{"Description": "Courier", "UnitAmount": 30, "AccountCode": "425"}])
    (first,) = (await call(adapter, "createInvoices", elements=[bill])).items
    (second,) = (await call(adapter, "createInvoices", elements=[bill])).items  # duplicates allowed on bills
    assert first.InvoiceNumber == second.InvoiceNumber == "SC-1"
    assert first.TotalTax == 0  # 425 defaults to Exempt Expenses


async def test_other_currencies_and_types_are_refused(adapter) -> None:
    with pytest.raises(ValidationException) as err:
        await _create(adapter, CurrencyCode="USD", Type="ACCRECCREDIT")
    assert _messages(err.value) == [messages.INVOICE_TYPE_INVALID,
                                    messages.CURRENCY_NOT_SUBSCRIBED.format(code="USD")]


async def test_concurrent_writes_get_distinct_numbers(adapter) -> None:
    results = await asyncio.gather(*(call(adapter, "createInvoices", elements=[invoice_element()])
                                     for _ in range(5)))
    numbers = {r.items[0].InvoiceNumber for r in results}
    assert len(numbers) == 5


async def test_unknown_tenant_is_forbidden(adapter) -> None:
    req = XeroRequest(operation_id="getInvoices")
    with pytest.raises(Forbidden):
        await adapter.get_invoices(ctx("00000000-0000-0000-0000-0000000000aa"), req)


async def test_zero_total_invoice_is_paid_on_approval(adapter) -> None:
    inv = await _create(adapter, LineItems=[{"Description": "Free sample", "Quantity": 1, "UnitAmount": 0,
                                             "AccountCode": "200"}])
    assert (inv.Status, inv.Total, inv.AmountDue, inv.FullyPaidOnDate) == ("PAID", 0, 0, inv.Date)
