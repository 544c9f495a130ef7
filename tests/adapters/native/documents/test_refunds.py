"""Payments against credits (refunds): credit notes, overpayments and prepayments; types, limits, the ledger,
deletion, and how /Payments shows them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from adapters.native import messages
from gateway.xero.errors import ValidationException

from .conftest import (
    SUPPLIER,
    assert_books_balance,
    balances,
    bank_element,
    call,
    create_one,
    credit_note_element,
    journals_of,
    line,
    messages_of,
)


def refund(target: dict, amount: str, **extra) -> dict:
    return {**target, "Account": {"Code": "090"}, "Date": "2026-03-16", "Amount": amount, **extra}


async def test_refund_of_a_customer_credit_note(adapter) -> None:
    note = await create_one(adapter, "createCreditNotes", credit_note_element())  # 60.00
    before = await balances(adapter, "090", "610")
    (payment,) = (await call(adapter, "createPayment", elements=[
        refund({"CreditNote": {"CreditNoteID": note.CreditNoteID}}, "20.00", Reference="Cash back")])).items
    assert (payment.PaymentType, payment.Status, payment.Amount) == ("ARCREDITPAYMENT", "AUTHORISED",
                                                                     Decimal("20.00"))
    assert (payment.Invoice.InvoiceID, payment.Invoice.Type, payment.Invoice.InvoiceNumber) == (
        note.CreditNoteID, "ACCRECCREDIT", note.CreditNoteNumber)
    after = await balances(adapter, "090", "610")
    assert after["090"] - before["090"] == Decimal("-20.00")  # money goes back to the customer
    assert after["610"] - before["610"] == Decimal("20.00")
    (journal,) = await journals_of(adapter, payment.PaymentID)
    assert journal.source_type == "ARCREDITPAYMENT"
    (cn,) = (await call(adapter, "getCreditNote", path={"CreditNoteID": note.CreditNoteID})).items
    assert cn.RemainingCredit == Decimal("40.00") and [p.PaymentID for p in cn.Payments] == [payment.PaymentID]
    (again,) = (await call(adapter, "getPayment", path={"PaymentID": payment.PaymentID})).items
    assert again.PaymentType == "ARCREDITPAYMENT" and again.Account.Code == "090"
    by_number = await call(adapter, "createPayments", elements=[
        refund({"CreditNoteNumber": note.CreditNoteNumber}, "40.00")])
    assert by_number.items[0].PaymentType == "ARCREDITPAYMENT"
    (cn,) = (await call(adapter, "getCreditNote", path={"CreditNoteID": note.CreditNoteID})).items
    assert (cn.Status, cn.RemainingCredit) == ("PAID", Decimal("0.00"))
    await assert_books_balance(adapter)


async def test_refund_from_a_supplier(adapter) -> None:
    note = await create_one(adapter, "createCreditNotes", credit_note_element(
        Type="ACCPAYCREDIT", Contact={"Name": SUPPLIER}, LineItems=[line("10.00", "429", "INPUT2")]))
    before = await balances(adapter, "090", "800")
    (payment,) = (await call(adapter, "createPayment", elements=[
        refund({"CreditNote": {"CreditNoteID": note.CreditNoteID}}, "12.00")])).items
    assert payment.PaymentType == "APCREDITPAYMENT" and payment.Invoice.Type == "ACCPAYCREDIT"
    after = await balances(adapter, "090", "800")
    assert after["090"] - before["090"] == Decimal("12.00")
    assert after["800"] - before["800"] == Decimal("-12.00")


async def test_refunds_of_overpayments_and_prepayments(adapter) -> None:
    over = await create_one(adapter, "createBankTransactions", bank_element(
        "RECEIVE-OVERPAYMENT", LineItems=[{"LineAmount": "50.00"}]))
    pre = await create_one(adapter, "createBankTransactions", bank_element(
        "RECEIVE-PREPAYMENT", LineItems=[line("100.00", "200", "OUTPUT2")]))  # 120.00
    before = await balances(adapter, "090", "610", "200", "820")
    (p1,) = (await call(adapter, "createPayment", elements=[
        refund({"Overpayment": {"OverpaymentID": over.OverpaymentID}}, "50.00")])).items
    assert (p1.PaymentType, p1.Invoice.Type, p1.Invoice.InvoiceID) == ("AROVERPAYMENTPAYMENT", "AROVERPAYMENT",
                                                                       over.OverpaymentID)
    (p2,) = (await call(adapter, "createPayment", elements=[
        refund({"Prepayment": {"PrepaymentID": pre.PrepaymentID}}, "60.00")])).items
    assert (p2.PaymentType, p2.Invoice.Type) == ("ARPREPAYMENTPAYMENT", "ARPREPAYMENT")
    after = await balances(adapter, "090", "610", "200", "820")
    assert after["090"] - before["090"] == Decimal("-110.00")
    assert after["610"] - before["610"] == Decimal("50.00")
    assert after["200"] - before["200"] == Decimal("50.00")  # half the prepayment's income released
    assert after["820"] - before["820"] == Decimal("10.00")
    (overpayment,) = (await call(adapter, "getOverpayment", path={"OverpaymentID": over.OverpaymentID})).items
    assert (overpayment.Status, overpayment.RemainingCredit) == ("PAID", Decimal("0.00"))
    assert [p.Amount for p in overpayment.Payments] == [Decimal("50.00")]
    (prepayment,) = (await call(adapter, "getPrepayment", path={"PrepaymentID": pre.PrepaymentID})).items
    assert (prepayment.Status, prepayment.RemainingCredit) == ("AUTHORISED", Decimal("60.00"))
    await assert_books_balance(adapter)


async def test_refund_limits_and_references(adapter) -> None:
    note = await create_one(adapter, "createCreditNotes", credit_note_element())
    draft = await create_one(adapter, "createCreditNotes", credit_note_element(Status="DRAFT"))
    cases = [
        (refund({"CreditNote": {"CreditNoteID": note.CreditNoteID}}, "60.01"), messages.PAYMENT_EXCEEDS),
        (refund({"CreditNote": {"CreditNoteID": note.CreditNoteID}}, "0"), messages.PAYMENT_AMOUNT_POSITIVE),
        (refund({"CreditNote": {"CreditNoteID": draft.CreditNoteID}}, "1.00"), messages.PAYMENT_INVOICE_STATUS),
        (refund({"CreditNote": {"CreditNoteID": "00000000-0000-0000-0000-00000000000b"}}, "1.00"),
         messages.CREDIT_NOT_FOUND.format(credit="Credit note")),
        (refund({"Prepayment": {"PrepaymentID": "00000000-0000-0000-0000-00000000000b"}}, "1.00"),
         messages.CREDIT_NOT_FOUND.format(credit="Prepayment")),
        (refund({"CreditNote": {"CreditNoteID": note.CreditNoteID}, "Invoice": {"InvoiceNumber": "INV-0001"}},
                "1.00"), messages.PAYMENT_TARGET_AMBIGUOUS),
        (refund({"CreditNote": {"CreditNoteID": note.CreditNoteID}}, "1.00", Account={"Code": "200"}),
         messages.PAYMENT_ACCOUNT_TYPE),
    ]
    for element, message in cases:
        with pytest.raises(ValidationException) as err:
            await call(adapter, "createPayments", elements=[element])
        assert message in messages_of(err.value), (element, messages_of(err.value))


async def test_deleting_a_refund_gives_the_credit_back(adapter) -> None:
    note = await create_one(adapter, "createCreditNotes", credit_note_element())
    before = await balances(adapter, "090", "610")
    (payment,) = (await call(adapter, "createPayment", elements=[
        refund({"CreditNote": {"CreditNoteID": note.CreditNoteID}}, "60.00")])).items
    (deleted,) = (await call(adapter, "deletePayment", path={"PaymentID": payment.PaymentID},
                             elements=[{"Status": "DELETED"}])).items
    assert deleted.Status == "DELETED" and deleted.PaymentType == "ARCREDITPAYMENT"
    assert await balances(adapter, "090", "610") == before
    (cn,) = (await call(adapter, "getCreditNote", path={"CreditNoteID": note.CreditNoteID})).items
    assert (cn.Status, cn.RemainingCredit, cn.Payments) == ("AUTHORISED", Decimal("60.00"), [])
    with pytest.raises(ValidationException) as err:
        await call(adapter, "deletePayment", path={"PaymentID": payment.PaymentID}, elements=[{"Status": "DELETED"}])
    assert messages_of(err.value) == [messages.PAYMENT_ALREADY_DELETED]
    await assert_books_balance(adapter)


async def test_invoice_payments_are_unchanged(adapter) -> None:
    (inv,) = (await call(adapter, "createInvoices", elements=[{
        "Type": "ACCREC", "Contact": {"Name": "Meridian University"}, "Date": "2026-03-10", "DueDate": "2026-04-09",
        "Status": "AUTHORISED", "LineItems": [line("10.00", "200", "OUTPUT2")]}])).items
    (payment,) = (await call(adapter, "createPayment", elements=[
        refund({"Invoice": {"InvoiceID": inv.InvoiceID}}, "12.00")])).items
    assert payment.PaymentType == "ACCRECPAYMENT"
