"""Xero's write rules on the native ledger: lock dates, status rules (PAID, VOID vs DELETE), account codes and tax
types per document, contact defaults, field lengths; each with the message the client receives."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from adapters.native import messages
from gateway.xero.errors import ValidationException

from .conftest import call, invoice_element, set_lock_dates

EOY_LOCK = "The document date cannot be before the end of year lock date, currently set at 31-Dec-2025"
PERIOD_LOCK = "The document date cannot be before the period lock date, currently set at 31-Jan-2026"


def _messages(exc: ValidationException, index: int = 0) -> list[str]:
    return [e["Message"] for e in exc.elements[index]["ValidationErrors"]]


async def _refused(adapter: Any, operation: str, element: dict[str, Any], **kwargs: Any) -> list[str]:
    with pytest.raises(ValidationException) as err:
        await call(adapter, operation, elements=[element], **kwargs)
    return _messages(err.value)


async def _invoice(adapter: Any, **overrides: Any) -> Any:
    (created,) = (await call(adapter, "createInvoices", elements=[invoice_element(**overrides)])).items
    return created


# Lock dates -----------------------------------------------------------------------------------------------------


async def test_organisation_shows_the_lock_dates(adapter) -> None:
    (org,) = (await call(adapter, "getOrganisations")).items
    assert org.PeriodLockDate is None and org.EndOfYearLockDate is None  # the demo's default: none
    await set_lock_dates(adapter, period=dt.date(2026, 1, 31), end_of_year=dt.date(2025, 12, 31))
    (org,) = (await call(adapter, "getOrganisations")).items
    assert (org.PeriodLockDate, org.EndOfYearLockDate) == (dt.date(2026, 1, 31), dt.date(2025, 12, 31))


async def test_no_invoice_is_created_on_or_before_a_lock_date(adapter) -> None:
    await set_lock_dates(adapter, end_of_year=dt.date(2025, 12, 31))
    assert await _refused(adapter, "createInvoices", invoice_element(Date="2025-12-31")) == [EOY_LOCK]
    assert (await _invoice(adapter, Date="2026-01-01")).Status == "AUTHORISED"
    await set_lock_dates(adapter, period=dt.date(2026, 1, 31), end_of_year=dt.date(2025, 12, 31))
    assert await _refused(adapter, "createInvoices", invoice_element(Date="2026-01-31")) == [PERIOD_LOCK]
    assert await _refused(adapter, "createInvoices", invoice_element(Date="2025-06-30")) == [EOY_LOCK]
    draft = invoice_element(Date="2026-01-15", Status="DRAFT")
    assert await _refused(adapter, "createInvoices", draft) == [PERIOD_LOCK]  # drafts too


async def test_locked_invoices_cannot_be_edited_voided_or_deleted(adapter) -> None:
    approved = await _invoice(adapter, Date="2026-01-10")
    draft = await _invoice(adapter, Date="2026-01-12", Status="DRAFT")
    movable = await _invoice(adapter, Date="2026-02-10", Status="DRAFT")
    await set_lock_dates(adapter, period=dt.date(2026, 1, 31))
    for element, target in (({"Reference": "late change"}, approved), ({"Status": "VOIDED"}, approved),
                            ({"Status": "DELETED"}, draft), ({"Status": "AUTHORISED"}, draft),
                            ({"Date": "2026-01-20"}, movable)):
        refused = await _refused(adapter, "updateInvoice", element, path={"InvoiceID": target.InvoiceID})
        assert refused == [PERIOD_LOCK], element
    (moved,) = (await call(adapter, "updateInvoice", elements=[{"Date": "2026-02-01"}],
                           path={"InvoiceID": movable.InvoiceID})).items
    assert moved.Date == dt.date(2026, 2, 1)


async def test_payments_are_not_dated_on_or_before_a_lock_date(adapter) -> None:
    invoice = await _invoice(adapter, Date="2026-01-10")
    early = {"Invoice": {"InvoiceID": invoice.InvoiceID}, "Account": {"Code": "090"}, "Date": "2026-01-20",
             "Amount": "50.00"}
    (paid_early,) = (await call(adapter, "createPayments", elements=[early])).items
    await set_lock_dates(adapter, period=dt.date(2026, 1, 31))
    assert await _refused(adapter, "createPayments", {**early, "Date": "2026-01-31"}) == [PERIOD_LOCK]
    # An invoice of a locked period may still be paid after the lock date (the payment is the new document).
    (later,) = (await call(adapter, "createPayments", elements=[{**early, "Date": "2026-02-01"}])).items
    assert later.Status == "AUTHORISED"
    with pytest.raises(ValidationException) as err:
        await call(adapter, "deletePayment", elements=[{"Status": "DELETED"}],
                   path={"PaymentID": paid_early.PaymentID})
    assert _messages(err.value) == [PERIOD_LOCK]
    (deleted,) = (await call(adapter, "deletePayment", elements=[{"Status": "DELETED"}],
                             path={"PaymentID": later.PaymentID})).items
    assert deleted.Status == "DELETED"


# Status rules ---------------------------------------------------------------------------------------------------


async def test_paid_voided_and_deleted_invoices_cannot_be_edited(adapter) -> None:
    every = (await call(adapter, "getInvoices")).items
    for status in ("PAID", "VOIDED", "DELETED"):
        target = next(i for i in every if i.Status == status)
        for element in ({"Reference": "changed"}, {"Status": "AUTHORISED"}, {"LineItems": []}):
            refused = await _refused(adapter, "updateInvoice", element, path={"InvoiceID": target.InvoiceID})
            assert refused == [messages.INVOICE_STATUS_MODIFICATION] == ["Invoice not of valid status for modification"]


async def test_void_versus_delete(adapter) -> None:
    approved = await _invoice(adapter)
    draft = await _invoice(adapter, Status="DRAFT")
    submitted = await _invoice(adapter, Status="SUBMITTED")
    # Approved invoices are voided, never deleted; drafts are deleted, never voided.
    assert await _refused(adapter, "updateInvoice", {"Status": "DELETED"},
                          path={"InvoiceID": approved.InvoiceID}) == [messages.INVOICE_STATUS_MODIFICATION]
    assert await _refused(adapter, "updateInvoice", {"Status": "VOIDED"},
                          path={"InvoiceID": draft.InvoiceID}) == [messages.INVOICE_STATUS_MODIFICATION]
    for target, status in ((approved, "VOIDED"), (draft, "DELETED"), (submitted, "DELETED")):
        (done,) = (await call(adapter, "updateInvoice", elements=[{"Status": status}],
                              path={"InvoiceID": target.InvoiceID})).items
        assert (done.Status, done.AmountDue) == (status, Decimal("0.00"))
    part_paid = await _invoice(adapter)
    await call(adapter, "createPayments", elements=[{"Invoice": {"InvoiceID": part_paid.InvoiceID},
                                                     "Account": {"Code": "090"}, "Date": "2026-03-15",
                                                     "Amount": "10.00"}])
    assert await _refused(adapter, "updateInvoice", {"Status": "VOIDED"},
                          path={"InvoiceID": part_paid.InvoiceID}) == [messages.INVOICE_VOID_PAYMENTS]


# Accounts and tax types per document ------------------------------------------------------------------------------


async def test_account_codes_valid_for_invoice_lines(adapter) -> None:
    await call(adapter, "updateAccount", elements=[{"Status": "ARCHIVED"}],
               path={"AccountID": next(a.AccountID for a in (await call(adapter, "getAccounts")).items
                                       if a.Code == "260")})
    lines = [{"Description": d, "UnitAmount": 1, "AccountCode": code, "TaxType": "NONE"}
             for d, code in (("bank", "091"), ("system: VAT", "820"), ("archived", "260"), ("unknown", "ZZZ"))]
    assert await _refused(adapter, "createInvoices", invoice_element(LineItems=lines)) == [
        messages.ACCOUNT_CODE_INVALID.format(code=c) for c in ("091", "820", "260", "ZZZ")]


async def test_output_tax_on_sales_input_tax_on_purchases(adapter) -> None:
    def line(tax_type: str | None, code: str = "720") -> dict[str, Any]:
        item = {"Description": "Laptop", "UnitAmount": 900, "AccountCode": code}
        return {**item, "TaxType": tax_type} if tax_type else item

    sale, bill = {"Type": "ACCREC"}, {"Type": "ACCPAY", "Contact": {"Name": "Swift Couriers"}}
    invalid = "The TaxType code '{}' does not exist or cannot be used with this type of transaction."
    assert await _refused(adapter, "createInvoices", invoice_element(**sale, LineItems=[line("INPUT2")])) == [
        invalid.format("INPUT2")]
    assert await _refused(adapter, "createInvoices", invoice_element(**sale, LineItems=[line(None)])) == [
        invalid.format("INPUT2")]  # 720 defaults to input VAT: a sale must name its rate
    assert await _refused(adapter, "createInvoices", invoice_element(**bill, LineItems=[line("CAPEXOUTPUT2")])) == [
        invalid.format("CAPEXOUTPUT2")]
    assert await _refused(adapter, "createInvoices",
                          invoice_element(**bill, LineItems=[line(None, code="200")])) == [invalid.format("OUTPUT2")]
    # A rate whose class does not fit the account is still reported as such first.
    assert await _refused(adapter, "createInvoices", invoice_element(**sale, LineItems=[line("INPUT2", "200")])) == [
        messages.TAX_TYPE_ACCOUNT.format(tax_type="INPUT2", code="200")]
    for element in (invoice_element(**sale, LineItems=[line("CAPEXOUTPUT2")]),
                    invoice_element(**sale, LineItems=[line("NONE")]),
                    invoice_element(**bill, LineItems=[line(None)]), invoice_element(**bill, LineItems=[line("NONE")])):
        (ok,) = (await call(adapter, "createInvoices", elements=[element])).items
        assert ok.Status == "AUTHORISED"


async def test_contact_default_tax_types_and_accounts(adapter) -> None:
    base = {"Name": "Defaults Ltd"}
    cases = [
        ({"AccountsReceivableTaxType": "INPUT2"},
         ["The TaxType code 'INPUT2' does not exist or cannot be used with this type of transaction."]),
        ({"AccountsPayableTaxType": "OUTPUT2"},
         ["The TaxType code 'OUTPUT2' does not exist or cannot be used with this type of transaction."]),
        ({"SalesDefaultAccountCode": "090"}, [messages.ACCOUNT_CODE_INVALID.format(code="090")]),
        ({"PurchasesDefaultAccountCode": "800"}, [messages.ACCOUNT_CODE_INVALID.format(code="800")]),
    ]
    for fields, expected in cases:
        assert await _refused(adapter, "createContacts", {**base, **fields}) == expected, fields
    (ok,) = (await call(adapter, "createContacts", elements=[{
        **base, "AccountsReceivableTaxType": "OUTPUT2", "AccountsPayableTaxType": "INPUT2",
        "SalesDefaultAccountCode": "200", "PurchasesDefaultAccountCode": "400"}])).items
    assert (ok.AccountsReceivableTaxType, ok.PurchasesDefaultAccountCode) == ("OUTPUT2", "400")


# Lengths (spec "max length = N") ----------------------------------------------------------------------------------


async def test_field_lengths(adapter) -> None:
    assert await _refused(adapter, "createContacts", {"Name": "N" * 256, "ContactNumber": "C" * 51}) == [
        "Name must be 255 characters or less.", "ContactNumber must be 50 characters or less."]
    (ok,) = (await call(adapter, "createContacts", elements=[{"Name": "N" * 255, "ContactNumber": "C" * 50}])).items
    assert len(ok.Name) == 255
    assert await _refused(adapter, "createAccount", {"Code": "298", "Name": "A" * 151, "Type": "SALES",
                                                     "Description": "d" * 4001}) == [
        "Name must be 150 characters or less.", "Description must be 4000 characters or less."]
    assert await _refused(adapter, "createInvoices", invoice_element(InvoiceNumber="9" * 256)) == [
        "InvoiceNumber must be 255 characters or less."]


async def test_case_insensitive_contact_names_fold_like_python(adapter) -> None:
    """``İ`` lower-cases to two characters in Python but not in SQLite's ``lower``: the lookup by name that an
    invoice's contact goes through must still find the contact (it once created a duplicate and failed)."""
    (contact,) = (await call(adapter, "createContacts", elements=[{"Name": "İzmir Ünlü Ltd"}])).items
    invoice = await _invoice(adapter, Contact={"Name": "i̇zmir ünlü ltd"})
    assert invoice.Contact.ContactID == contact.ContactID
    assert await _refused(adapter, "createContacts", {"Name": "İzmir Ünlü Ltd".upper()}) == [
        messages.CONTACT_NAME_EXISTS]
