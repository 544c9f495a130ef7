"""Payments: partial, full (→ PAID), overpayment refused, delete reopens, ledger effects."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from adapters.native import messages
from adapters.native.ledger import posting as ledger
from adapters.native.tables.core import Account
from gateway.xero.errors import NotFound, ValidationException

from .conftest import TENANT, call, invoice_element


async def _invoice(adapter, **overrides):
    (inv,) = (await call(adapter, "createInvoices", elements=[invoice_element(**overrides)])).items
    return inv


def _payment(invoice_id: str, amount: str, **extra) -> dict:
    return {"Invoice": {"InvoiceID": invoice_id}, "Account": {"Code": "090"}, "Date": "2026-03-15",
            "Amount": amount, **extra}


async def _get(adapter, invoice_id: str):
    (inv,) = (await call(adapter, "getInvoice", path={"InvoiceID": invoice_id})).items
    return inv


async def _bank_balance(adapter) -> Decimal:
    async with adapter.db.session() as session:
        bank = await session.scalar(select(Account).where(Account.company_id == TENANT, Account.code == "090"))
        return (await ledger.account_balances(session, TENANT))[bank.id]


async def test_partial_then_full_payment(adapter) -> None:
    inv = await _invoice(adapter)
    bank_before = await _bank_balance(adapter)
    (p1,) = (await call(adapter, "createPayment", elements=[_payment(inv.InvoiceID, "100.00")])).items
    assert (p1.PaymentType, p1.Status, p1.Amount) == ("ACCRECPAYMENT", "AUTHORISED", Decimal("100.00"))
    assert p1.Invoice.InvoiceID == inv.InvoiceID and p1.Account.Code == "090"
    part = await _get(adapter, inv.InvoiceID)
    assert (part.Status, part.AmountPaid, part.AmountDue) == ("AUTHORISED", Decimal("100.00"), Decimal("140.00"))
    assert part.FullyPaidOnDate is None
    (p2,) = (await call(adapter, "createPayments", elements=[
        _payment(inv.InvoiceID, "140.00", Date="2026-03-20", Reference="Final")])).items
    paid = await _get(adapter, inv.InvoiceID)
    assert (paid.Status, paid.AmountDue, paid.AmountPaid) == ("PAID", 0, Decimal("240.00"))
    assert paid.FullyPaidOnDate.isoformat() == "2026-03-20"
    assert [p.PaymentID for p in paid.Payments] == [p1.PaymentID, p2.PaymentID]
    assert await _bank_balance(adapter) - bank_before == Decimal("240.00")


async def test_overpayment_is_refused(adapter) -> None:
    inv = await _invoice(adapter)
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createPayment", elements=[_payment(inv.InvoiceID, "240.01")])
    assert err.value.elements[0]["ValidationErrors"] == [
        {"Message": "Payment amount exceeds the amount outstanding on this document."}]
    assert (await _get(adapter, inv.InvoiceID)).AmountPaid == 0


async def test_delete_reverses_and_reopens(adapter) -> None:
    inv = await _invoice(adapter)
    bank_before = await _bank_balance(adapter)
    (payment,) = (await call(adapter, "createPayment", elements=[_payment(inv.InvoiceID, "240.00")])).items
    assert (await _get(adapter, inv.InvoiceID)).Status == "PAID"
    (deleted,) = (await call(adapter, "deletePayment", path={"PaymentID": payment.PaymentID},
                             elements=[{"Status": "DELETED"}])).items
    assert deleted.Status == "DELETED"
    reopened = await _get(adapter, inv.InvoiceID)
    assert (reopened.Status, reopened.AmountDue, reopened.AmountPaid) == ("AUTHORISED", Decimal("240.00"), 0)
    assert reopened.Payments == [] and reopened.FullyPaidOnDate is None
    assert await _bank_balance(adapter) == bank_before
    with pytest.raises(ValidationException) as err:
        await call(adapter, "deletePayment", path={"PaymentID": payment.PaymentID},
                   elements=[{"Status": "DELETED"}])
    assert err.value.elements[0]["ValidationErrors"][0]["Message"] == messages.PAYMENT_ALREADY_DELETED
    with pytest.raises(ValidationException):
        await call(adapter, "deletePayment", path={"PaymentID": payment.PaymentID},
                   elements=[{"Status": "AUTHORISED"}])
    # now voidable again
    (voided,) = (await call(adapter, "updateInvoice", path={"InvoiceID": inv.InvoiceID},
                            elements=[{"Status": "VOIDED"}])).items
    assert voided.Status == "VOIDED"


async def test_bill_payment_by_invoice_number_and_account_id(adapter) -> None:
    bill = invoice_element(Type="ACCPAY", Contact={"Name": "Cityline Telecom"}, InvoiceNumber="CT-77",
                           LineItems=[{"Description": "Phones", "UnitAmount": "50", "AccountCode": "489"}])
    (inv,) = (await call(adapter, "createInvoices", elements=[bill])).items
    accounts = {a.Code: a for a in (await call(adapter, "getAccounts")).items}
    bank_before = await _bank_balance(adapter)
    (payment,) = (await call(adapter, "createPayment", elements=[{
        "InvoiceNumber": "CT-77", "Account": {"AccountID": accounts["090"].AccountID}, "Date": "2026-03-16",
        "Amount": 60}])).items
    assert payment.PaymentType == "ACCPAYPAYMENT"
    assert (await _get(adapter, inv.InvoiceID)).Status == "PAID"
    assert await _bank_balance(adapter) - bank_before == Decimal("-60.00")


@pytest.mark.parametrize(("change", "message"), [
    ({"Account": {"Code": "200"}}, messages.PAYMENT_ACCOUNT_TYPE),
    ({"Account": {"Code": "999"}}, messages.PAYMENT_ACCOUNT_NOT_FOUND),
    ({"Amount": "0"}, messages.PAYMENT_AMOUNT_POSITIVE),
    ({"Amount": "-5"}, messages.PAYMENT_AMOUNT_POSITIVE),
    ({"Date": None}, messages.PAYMENT_DATE_REQUIRED),
    ({"Invoice": {"InvoiceNumber": "NO-SUCH"}}, messages.PAYMENT_INVOICE_NOT_FOUND),
])
async def test_invalid_payments(adapter, change: dict, message: str) -> None:
    inv = await _invoice(adapter)
    element = {**_payment(inv.InvoiceID, "10.00"), **change}
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createPayment", elements=[element])
    assert message in [e["Message"] for e in err.value.elements[0]["ValidationErrors"]]


async def test_payment_on_a_draft_is_refused(adapter) -> None:
    inv = await _invoice(adapter, Status="DRAFT")
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createPayment", elements=[_payment(inv.InvoiceID, "10.00")])
    assert err.value.elements[0]["ValidationErrors"][0]["Message"] == messages.PAYMENT_INVOICE_STATUS


async def test_account_with_payments_enabled_is_accepted(adapter) -> None:
    inv = await _invoice(adapter)
    (payment,) = (await call(adapter, "createPayment",
                             elements=[_payment(inv.InvoiceID, "5.00", Account={"Code": "835"})])).items
    assert payment.Account.Code == "835"


async def test_create_payments_partial_success(adapter) -> None:
    inv = await _invoice(adapter)
    result = await call(adapter, "createPayments", summarize_errors=False, elements=[
        _payment(inv.InvoiceID, "200.00"), _payment(inv.InvoiceID, "100.00"), _payment(inv.InvoiceID, "40.00")])
    first, second, third = result.items
    assert first.StatusAttributeString == "OK" and third.StatusAttributeString == "OK"
    assert (second.StatusAttributeString, second.HasValidationErrors) == ("ERROR", True)
    assert (await _get(adapter, inv.InvoiceID)).Status == "PAID"


async def test_get_payments_and_not_found(adapter) -> None:
    payments = (await call(adapter, "getPayments")).items
    assert len(payments) > 50
    (one,) = (await call(adapter, "getPayment", path={"PaymentID": payments[0].PaymentID})).items
    assert one.PaymentID == payments[0].PaymentID
    with pytest.raises(NotFound):
        await call(adapter, "getPayment", path={"PaymentID": "00000000-0000-0000-0000-000000000001"})
    with pytest.raises(NotFound):
        await call(adapter, "deletePayment", path={"PaymentID": "00000000-0000-0000-0000-000000000001"},
                   elements=[{"Status": "DELETED"}])
