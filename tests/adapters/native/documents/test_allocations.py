"""Allocations of credit notes, overpayments and prepayments to invoices: limits, balances, PAID states, the
invoice's AmountCredited and credit arrays, deletion, the ledger."""

from __future__ import annotations

from decimal import Decimal

import pytest

from adapters.native import messages
from gateway.xero.errors import NotFound, ValidationException

from .conftest import (
    OTHER_CUSTOMER,
    SUPPLIER,
    assert_books_balance,
    balances,
    bank_element,
    call,
    create_one,
    credit_note_element,
    invoice_element,
    journals_of,
    line,
    messages_of,
)


def allocation(invoice_id: str, amount: str, date: str = "2026-03-15") -> dict:
    return {"Invoice": {"InvoiceID": invoice_id}, "Amount": amount, "Date": date}


async def _invoice(adapter, **overrides):
    return await create_one(adapter, "createInvoices", invoice_element(**overrides))


async def _get_invoice(adapter, invoice_id: str):
    (inv,) = (await call(adapter, "getInvoice", path={"InvoiceID": invoice_id})).items
    return inv


async def test_partial_then_full_credit_note_allocation(adapter) -> None:
    note = await create_one(adapter, "createCreditNotes", credit_note_element())  # 60.00
    invoice = await _invoice(adapter)  # 120.00
    before = await balances(adapter, "610", "200", "820", "090")
    (first,) = (await call(adapter, "createCreditNoteAllocation", path={"CreditNoteID": note.CreditNoteID},
                           elements=[allocation(invoice.InvoiceID, "25.00")])).items
    assert first.Amount == Decimal("25.00") and first.Invoice.InvoiceID == invoice.InvoiceID
    assert first.CreditNote.CreditNoteID == note.CreditNoteID and first.AllocationID
    assert first.StatusAttributeString == "OK"
    inv = await _get_invoice(adapter, invoice.InvoiceID)
    assert (inv.Status, inv.AmountDue, inv.AmountPaid, inv.AmountCredited) == (
        "AUTHORISED", Decimal("95.00"), Decimal("0.00"), Decimal("25.00"))
    assert [(c.CreditNoteID, c.AppliedAmount) for c in inv.CreditNotes] == [(note.CreditNoteID, Decimal("25.00"))]
    assert inv.Prepayments == [] and inv.Overpayments == []
    (cn,) = (await call(adapter, "getCreditNote", path={"CreditNoteID": note.CreditNoteID})).items
    assert (cn.Status, cn.RemainingCredit) == ("AUTHORISED", Decimal("35.00"))
    await call(adapter, "createCreditNoteAllocation", path={"CreditNoteID": note.CreditNoteID},
               elements=[allocation(invoice.InvoiceID, "35.00", "2026-03-16")])
    (cn,) = (await call(adapter, "getCreditNote", path={"CreditNoteID": note.CreditNoteID})).items
    assert (cn.Status, cn.RemainingCredit, str(cn.FullyPaidOnDate)) == ("PAID", Decimal("0.00"), "2026-03-16")
    assert [a.Amount for a in cn.Allocations] == [Decimal("25.00"), Decimal("35.00")]
    inv = await _get_invoice(adapter, invoice.InvoiceID)
    assert (inv.AmountDue, inv.AmountCredited) == (Decimal("60.00"), Decimal("60.00"))
    # No cash moves and nothing is posted: both documents already sit in Accounts Receivable.
    assert await balances(adapter, "610", "200", "820", "090") == before
    await assert_books_balance(adapter)


async def test_a_credit_can_settle_an_invoice_in_full(adapter) -> None:
    note = await create_one(adapter, "createCreditNotes", credit_note_element(
        LineItems=[line("100.00", "200", "OUTPUT2")]))
    invoice = await _invoice(adapter)
    await call(adapter, "createCreditNoteAllocation", path={"CreditNoteID": note.CreditNoteID},
               elements=[allocation(invoice.InvoiceID, "120.00")])
    inv = await _get_invoice(adapter, invoice.InvoiceID)
    assert (inv.Status, inv.AmountDue, str(inv.FullyPaidOnDate)) == ("PAID", Decimal("0.00"), "2026-03-15")
    with pytest.raises(ValidationException) as err:  # an invoice with credit allocated cannot be voided
        await call(adapter, "updateInvoice", path={"InvoiceID": invoice.InvoiceID}, elements=[{"Status": "VOIDED"}])
    assert messages_of(err.value)


async def test_allocation_limits(adapter) -> None:
    note = await create_one(adapter, "createCreditNotes", credit_note_element())  # 60.00
    invoice = await _invoice(adapter, LineItems=[line("40.00", "200", "OUTPUT2")])  # 48.00
    other = await _invoice(adapter, Contact={"Name": OTHER_CUSTOMER})
    bill = await _invoice(adapter, Type="ACCPAY", Contact={"Name": SUPPLIER}, InvoiceNumber="B-1",
                          LineItems=[line("10.00", "429", "INPUT2")])
    draft = await _invoice(adapter, Status="DRAFT")
    path = {"CreditNoteID": note.CreditNoteID}
    cases = [
        (allocation(invoice.InvoiceID, "48.01"),
         messages.ALLOCATION_EXCEEDS_DUE.format(amount="48.01", due="48.00")),
        (allocation(invoice.InvoiceID, "0"), messages.ALLOCATION_AMOUNT_POSITIVE),
        (allocation(other.InvoiceID, "1.00"), messages.ALLOCATION_CONTACT.format(credit="credit note")),
        (allocation(bill.InvoiceID, "1.00"),
         messages.ALLOCATION_INVOICE_TYPE.format(credit="credit note", type="ACCREC")),
        (allocation(draft.InvoiceID, "1.00"), messages.ALLOCATION_INVOICE_STATUS),
        ({"Invoice": {"InvoiceID": invoice.InvoiceID}, "Amount": "1.00"}, messages.ALLOCATION_DATE_REQUIRED),
        ({"Amount": "1.00", "Date": "2026-03-15"}, messages.ALLOCATION_INVOICE_REQUIRED),
        (allocation("00000000-0000-0000-0000-000000000003", "1.00"), messages.INVOICE_NOT_FOUND),
    ]
    for element, message in cases:
        with pytest.raises(ValidationException) as err:
            await call(adapter, "createCreditNoteAllocation", path=path, elements=[element])
        assert message in messages_of(err.value), (element, messages_of(err.value))
    big = await _invoice(adapter, LineItems=[line("90.00", "200", "OUTPUT2")])  # 108.00 due
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createCreditNoteAllocation", path=path, elements=[allocation(big.InvoiceID, "60.01")])
    assert messages_of(err.value) == [messages.ALLOCATION_EXCEEDS_CREDIT.format(amount="60.01", remaining="60.00")]
    # Two allocations in one batch share the limit: the second exceeds what the first left.
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createCreditNoteAllocation", path=path, elements=[
            allocation(big.InvoiceID, "40.00"), allocation(invoice.InvoiceID, "30.00")])
    assert messages_of(err.value) == [messages.ALLOCATION_EXCEEDS_CREDIT.format(amount="30.00", remaining="20.00")]
    (cn,) = (await call(adapter, "getCreditNote", path=path)).items
    assert cn.RemainingCredit == Decimal("60.00") and cn.Allocations == []  # all or nothing


async def test_summarize_errors_false_allocates_the_valid_elements(adapter) -> None:
    note = await create_one(adapter, "createCreditNotes", credit_note_element())
    invoice = await _invoice(adapter)
    result = await call(adapter, "createCreditNoteAllocation", path={"CreditNoteID": note.CreditNoteID},
                        summarize_errors=False,
                        elements=[allocation(invoice.InvoiceID, "10.00"), allocation(invoice.InvoiceID, "-1")])
    good, bad = result.items
    assert (good.StatusAttributeString, bad.StatusAttributeString) == ("OK", "ERROR")
    assert [e.Message for e in bad.ValidationErrors] == [messages.ALLOCATION_AMOUNT_POSITIVE]
    assert (await _get_invoice(adapter, invoice.InvoiceID)).AmountCredited == Decimal("10.00")


async def test_only_an_open_credit_can_be_allocated(adapter) -> None:
    draft = await create_one(adapter, "createCreditNotes", credit_note_element(Status="DRAFT"))
    invoice = await _invoice(adapter)
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createCreditNoteAllocation", path={"CreditNoteID": draft.CreditNoteID},
                   elements=[allocation(invoice.InvoiceID, "1.00")])
    assert messages_of(err.value) == [messages.ALLOCATION_CREDIT_STATUS.format(credit="credit note")]
    with pytest.raises(NotFound):
        await call(adapter, "createCreditNoteAllocation", path={"CreditNoteID": invoice.InvoiceID},
                   elements=[allocation(invoice.InvoiceID, "1.00")])


async def test_deleting_an_allocation_restores_both_balances(adapter) -> None:
    note = await create_one(adapter, "createCreditNotes", credit_note_element())
    invoice = await _invoice(adapter, LineItems=[line("50.00", "200", "OUTPUT2")])  # 60.00
    (made,) = (await call(adapter, "createCreditNoteAllocation", path={"CreditNoteID": note.CreditNoteID},
                          elements=[allocation(invoice.InvoiceID, "60.00")])).items
    assert (await _get_invoice(adapter, invoice.InvoiceID)).Status == "PAID"
    path = {"CreditNoteID": note.CreditNoteID, "AllocationID": made.AllocationID}
    (gone,) = (await call(adapter, "deleteCreditNoteAllocations", path=path)).items
    assert gone.IsDeleted is True and gone.AllocationID == made.AllocationID and gone.Amount == Decimal("60.00")
    inv = await _get_invoice(adapter, invoice.InvoiceID)
    assert (inv.Status, inv.AmountDue, inv.AmountCredited, inv.FullyPaidOnDate) == (
        "AUTHORISED", Decimal("60.00"), Decimal("0.00"), None)
    assert inv.CreditNotes == []
    (cn,) = (await call(adapter, "getCreditNote", path={"CreditNoteID": note.CreditNoteID})).items
    assert (cn.Status, cn.RemainingCredit, cn.Allocations) == ("AUTHORISED", Decimal("60.00"), [])
    with pytest.raises(NotFound):
        await call(adapter, "deleteCreditNoteAllocations", path=path)
    # Once nothing is allocated the credit note may be voided again.
    (voided,) = (await call(adapter, "updateCreditNote", path={"CreditNoteID": note.CreditNoteID},
                            elements=[{"Status": "VOIDED"}])).items
    assert voided.Status == "VOIDED"
    await assert_books_balance(adapter)


async def test_allocated_credit_note_cannot_be_voided_or_recoded(adapter) -> None:
    note = await create_one(adapter, "createCreditNotes", credit_note_element())
    invoice = await _invoice(adapter)
    await call(adapter, "createCreditNoteAllocation", path={"CreditNoteID": note.CreditNoteID},
               elements=[allocation(invoice.InvoiceID, "10.00")])
    path = {"CreditNoteID": note.CreditNoteID}
    with pytest.raises(ValidationException) as err:
        await call(adapter, "updateCreditNote", path=path, elements=[{"Status": "VOIDED"}])
    assert messages_of(err.value) == [messages.INVOICE_VOID_PAYMENTS]
    with pytest.raises(ValidationException) as err:
        await call(adapter, "updateCreditNote", path=path, elements=[{"LineItems": [line("70", "200", "OUTPUT2")]}])
    assert messages_of(err.value) == [messages.INVOICE_HAS_PAYMENTS]
    (ok,) = (await call(adapter, "updateCreditNote", path=path, elements=[{"Reference": "fine"}])).items
    assert ok.Reference == "fine" and ok.RemainingCredit == Decimal("50.00")


async def test_overpayment_allocation_moves_nothing_in_the_ledger(adapter) -> None:
    tx = await create_one(adapter, "createBankTransactions", bank_element(
        "RECEIVE-OVERPAYMENT", LineItems=[{"Description": "Paid twice", "LineAmount": "150.00"}]))
    invoice = await _invoice(adapter)
    before = await balances(adapter, "610", "090", "820")
    (made,) = (await call(adapter, "createOverpaymentAllocations", path={"OverpaymentID": tx.OverpaymentID},
                          elements=[allocation(invoice.InvoiceID, "120.00")])).items
    assert made.Overpayment.OverpaymentID == tx.OverpaymentID
    assert await balances(adapter, "610", "090", "820") == before
    inv = await _get_invoice(adapter, invoice.InvoiceID)
    assert inv.Status == "PAID" and [o.AppliedAmount for o in inv.Overpayments] == [Decimal("120.00")]
    (over,) = (await call(adapter, "getOverpayment", path={"OverpaymentID": tx.OverpaymentID})).items
    assert (over.Status, over.RemainingCredit) == ("AUTHORISED", Decimal("30.00"))
    (gone,) = (await call(adapter, "deleteOverpaymentAllocations",
                          path={"OverpaymentID": tx.OverpaymentID, "AllocationID": made.AllocationID})).items
    assert gone.IsDeleted is True
    (over,) = (await call(adapter, "getOverpayment", path={"OverpaymentID": tx.OverpaymentID})).items
    assert over.RemainingCredit == Decimal("150.00") and over.Allocations == []
    await assert_books_balance(adapter)


async def test_prepayment_allocation_releases_its_coding_against_receivables(adapter) -> None:
    before = await balances(adapter, "610", "200", "820", "090")
    tx = await create_one(adapter, "createBankTransactions", bank_element(
        "RECEIVE-PREPAYMENT", LineItems=[line("100.00", "200", "OUTPUT2")]))  # 120.00 received
    invoice = await _invoice(adapter)  # 100.00 + 20.00 VAT
    (made,) = (await call(adapter, "createPrepaymentAllocations", path={"PrepaymentID": tx.PrepaymentID},
                          elements=[allocation(invoice.InvoiceID, "120.00")])).items
    assert made.Prepayment.PrepaymentID == tx.PrepaymentID
    after = await balances(adapter, "610", "200", "820", "090")
    # Cash in once, income and VAT counted once, the invoice settled: as if the invoice had been paid.
    assert after["090"] - before["090"] == Decimal("120.00")
    assert after["200"] - before["200"] == Decimal("-100.00")
    assert after["820"] - before["820"] == Decimal("-20.00")
    assert after["610"] == before["610"]
    (journal,) = await journals_of(adapter, made.AllocationID)
    assert journal.source_type == "ARPREPAYMENT"
    (pre,) = (await call(adapter, "getPrepayment", path={"PrepaymentID": tx.PrepaymentID})).items
    assert (pre.Status, pre.RemainingCredit) == ("PAID", Decimal("0.00"))
    inv = await _get_invoice(adapter, invoice.InvoiceID)
    assert inv.Status == "PAID" and [p.PrepaymentID for p in inv.Prepayments] == [tx.PrepaymentID]
    await call(adapter, "deletePrepaymentAllocations",
               path={"PrepaymentID": tx.PrepaymentID, "AllocationID": made.AllocationID})
    undone = await balances(adapter, "610", "200", "820", "090")
    assert undone["610"] - before["610"] == Decimal("120.00")  # the invoice is owed again
    assert undone["200"] - before["200"] == Decimal("-200.00")  # prepayment income and invoice income
    await assert_books_balance(adapter)


async def test_partial_prepayment_allocations_release_pro_rata_and_exactly_in_the_end(adapter) -> None:
    tx = await create_one(adapter, "createBankTransactions", bank_element(
        "RECEIVE-PREPAYMENT", LineItems=[line("33.33", "200", "OUTPUT2"), line("66.67", "260", "OUTPUT2")]))
    assert tx.Total == Decimal("120.00")
    before = await balances(adapter, "200", "260", "820")
    first = await _invoice(adapter, LineItems=[line("50.00", "200", "OUTPUT2")])  # 60.00
    second = await _invoice(adapter, LineItems=[line("50.00", "200", "OUTPUT2")])
    path = {"PrepaymentID": tx.PrepaymentID}
    await call(adapter, "createPrepaymentAllocations", path=path, elements=[allocation(first.InvoiceID, "35.00")])
    await call(adapter, "createPrepaymentAllocations", path=path, elements=[allocation(second.InvoiceID, "60.00")])
    await call(adapter, "createPrepaymentAllocations", path=path, elements=[allocation(first.InvoiceID, "25.00")])
    after = await balances(adapter, "200", "260", "820")
    # Fully used: exactly the prepayment's postings are released (the invoices' own postings remain).
    assert after["200"] - before["200"] == Decimal("33.33") - Decimal("100.00")
    assert after["260"] - before["260"] == Decimal("66.67")
    assert after["820"] - before["820"] == Decimal("20.00") - Decimal("20.00")
    await assert_books_balance(adapter)


async def test_supplier_credits_settle_bills(adapter) -> None:
    note = await create_one(adapter, "createCreditNotes", credit_note_element(
        Type="ACCPAYCREDIT", Contact={"Name": SUPPLIER}, LineItems=[line("10.00", "429", "INPUT2")]))
    bill = await _invoice(adapter, Type="ACCPAY", Contact={"Name": SUPPLIER}, InvoiceNumber="B-2",
                          LineItems=[line("25.00", "429", "INPUT2")])
    await call(adapter, "createCreditNoteAllocation", path={"CreditNoteID": note.CreditNoteID},
               elements=[allocation(bill.InvoiceID, "12.00")])
    inv = await _get_invoice(adapter, bill.InvoiceID)
    assert (inv.AmountDue, inv.AmountCredited) == (Decimal("18.00"), Decimal("12.00"))
    spend = await create_one(adapter, "createBankTransactions", bank_element(
        "SPEND-OVERPAYMENT", LineItems=[{"Description": "Paid too much", "LineAmount": "18.00"}]))
    await call(adapter, "createOverpaymentAllocations", path={"OverpaymentID": spend.OverpaymentID},
               elements=[allocation(bill.InvoiceID, "18.00")])
    inv = await _get_invoice(adapter, bill.InvoiceID)
    assert (inv.Status, inv.AmountCredited, inv.AmountPaid) == ("PAID", Decimal("30.00"), Decimal("0.00"))
    await assert_books_balance(adapter)
