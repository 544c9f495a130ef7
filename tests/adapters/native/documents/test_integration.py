"""The money documents seen through the rest of the ledger: history records, the PDF, the journal feed, contact
lookups, and the demo books as a whole."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from adapters.native import messages
from adapters.native.tables.core import Company
from gateway.xero.errors import ValidationException
from gateway.xero.models import dump
from tests.adapters.native.core.conftest import SEED_TIME, start_adapter

from .conftest import (
    TENANT,
    assert_books_balance,
    bank_element,
    call,
    create_one,
    credit_note_element,
    invoice_element,
    messages_of,
)


async def test_writes_record_history(adapter) -> None:
    note = await create_one(adapter, "createCreditNotes", credit_note_element())
    invoice = await create_one(adapter, "createInvoices", invoice_element())
    await call(adapter, "createCreditNoteAllocation", path={"CreditNoteID": note.CreditNoteID}, elements=[
        {"Invoice": {"InvoiceID": invoice.InvoiceID}, "Amount": "10.00", "Date": "2026-03-15"}])
    history = (await call(adapter, "getCreditNoteHistory", path={"CreditNoteID": note.CreditNoteID})).items
    assert [h.Changes for h in history] == ["Created", "Credit Applied"]
    tx = await create_one(adapter, "createBankTransactions", bank_element(
        "RECEIVE-OVERPAYMENT", LineItems=[{"LineAmount": "20.00"}]))
    tx_history = (await call(adapter, "getBankTransactionsHistory",
                             path={"BankTransactionID": tx.BankTransactionID})).items
    over_history = (await call(adapter, "getOverpaymentHistory", path={"OverpaymentID": tx.OverpaymentID})).items
    assert [h.Changes for h in tx_history] == ["Created"] and [h.Changes for h in over_history] == ["Created"]


async def test_credit_note_pdf(adapter) -> None:
    note = await create_one(adapter, "createCreditNotes", credit_note_element())
    result = await call(adapter, "getCreditNoteAsPdf", path={"CreditNoteID": note.CreditNoteID})
    assert result.content is not None and result.content.startswith(b"%PDF")


async def test_journal_feed_shows_the_documents_source_types(adapter) -> None:
    note = await create_one(adapter, "createCreditNotes", credit_note_element())
    tx = await create_one(adapter, "createBankTransactions", bank_element())
    wanted = {note.CreditNoteID: "ACCRECCREDIT", tx.BankTransactionID: "CASHPAID"}
    found: dict[str, str] = {}
    offset = 0
    for _ in range(100):  # bounded walk of the feed
        page = (await call(adapter, "getJournals", params={"offset": str(offset)})).items
        found.update({j.SourceID: j.SourceType for j in page if j.SourceID in wanted})
        if len(page) < 100:
            break
        offset = page[-1].JournalNumber
    assert found == wanted


async def test_demo_books_are_consistent(adapter) -> None:
    await assert_books_balance(adapter)
    invoices = (await call(adapter, "getInvoices")).items
    for inv in (i for i in invoices if i.Status in ("AUTHORISED", "PAID")):
        assert inv.AmountDue == inv.Total - inv.AmountPaid - inv.AmountCredited, inv.InvoiceNumber
        assert inv.AmountCredited == sum(
            (c.AppliedAmount for c in [*inv.CreditNotes, *inv.Prepayments, *inv.Overpayments]), Decimal(0))
    credited = [i for i in invoices if i.AmountCredited]
    assert {bool(i.CreditNotes) for i in credited} == {True, False}
    assert any(i.Prepayments for i in credited) and any(i.Overpayments for i in credited)
    assert (await call(adapter, "getPrepayments")).items and (await call(adapter, "getOverpayments")).items
    journals = (await call(adapter, "getManualJournals")).items
    assert {j.Status for j in journals} >= {"POSTED", "DRAFT"}


async def test_lock_dates_protect_every_document(adapter) -> None:
    note = await create_one(adapter, "createCreditNotes", credit_note_element(Date="2026-03-05"))
    invoice = await create_one(adapter, "createInvoices", invoice_element(Date="2026-03-05"))
    async with adapter.db.session() as session, session.begin():
        company = await session.get(Company, TENANT)
        company.period_lock_date = dt.date(2026, 3, 8)
    locked = messages.LOCK_DATE_PERIOD.format(date="08-Mar-2026")
    writes = [
        ("createCreditNotes", {}, credit_note_element(Date="2026-03-08")),
        ("updateCreditNote", {"CreditNoteID": note.CreditNoteID}, {"Status": "VOIDED"}),
        ("createCreditNoteAllocation", {"CreditNoteID": note.CreditNoteID},
         {"Invoice": {"InvoiceID": invoice.InvoiceID}, "Amount": "1.00", "Date": "2026-03-07"}),
        ("createBankTransactions", {}, bank_element(Date="2026-03-01")),
        ("createBankTransfer", {}, {"FromBankAccount": {"Code": "090"}, "ToBankAccount": {"Code": "091"},
                                    "Amount": "1.00", "Date": "2026-03-01"}),
        ("createManualJournals", {}, {"Narration": "Locked", "Date": "2026-03-01", "JournalLines": [
            {"LineAmount": 1, "AccountCode": "710"}, {"LineAmount": -1, "AccountCode": "720"}]}),
        ("createPayments", {}, {"CreditNote": {"CreditNoteID": note.CreditNoteID}, "Account": {"Code": "090"},
                                "Date": "2026-03-02", "Amount": "1.00"}),
    ]
    for operation, path, element in writes:
        with pytest.raises(ValidationException) as err:
            await call(adapter, operation, path=path, elements=[element])
        assert locked in messages_of(err.value), operation
    (allocated,) = (await call(adapter, "createCreditNoteAllocation", path={"CreditNoteID": note.CreditNoteID},
                               elements=[{"Invoice": {"InvoiceID": invoice.InvoiceID}, "Amount": "1.00",
                                          "Date": "2026-03-09"}])).items
    assert allocated.Amount == Decimal("1.00")  # after the lock date a locked document may still be settled


async def test_demo_documents_are_deterministic(tmp_path) -> None:
    snapshots = []
    for name in ("a", "b"):
        ledger_adapter = await start_adapter(tmp_path / name, lambda: SEED_TIME)
        try:
            snapshot = {}
            for operation in ("getCreditNotes", "getBankTransactions", "getBankTransfers", "getOverpayments",
                              "getPrepayments", "getManualJournals"):
                snapshot[operation] = dump((await call(ledger_adapter, operation, page=1)).items
                                           if operation != "getBankTransfers"
                                           else (await call(ledger_adapter, operation)).items)
            snapshots.append(snapshot)
        finally:
            await ledger_adapter.shutdown()
    assert snapshots[0] == snapshots[1]
    assert all(snapshots[0].values())
