"""The Xero documents source 1010 derives from partner journal entries and bank transactions
(:mod:`adapters.partner.translate.derived`): pure functions, no server."""

from __future__ import annotations

from decimal import Decimal

from adapters.partner.translate import derived


def _entry(entry_id: str, number: int, source_id: str, *, reverses: str | None = None,
           source_type: str = "journal_entry", cents: int = 1000) -> dict:
    return {"id": entry_id, "number": number, "date": "2026-10-01", "sourceType": source_type, "sourceId": source_id,
            "reference": f"memo {number}", "reversesJournalEntryId": reverses, "createdAt": "2026-10-01T00:00:00Z",
            "lines": [{"id": "1", "accountId": "bank", "amountCents": -cents, "taxAmountCents": 0},
                      {"id": "2", "accountId": "other", "amountCents": cents, "taxAmountCents": 0}]}


def test_reposted_and_voided_documents_keep_their_live_entry_only() -> None:
    entries = [_entry("e1", 1, "mj-a"), _entry("e2", 2, "mj-a", reverses="e1"), _entry("e3", 3, "mj-a"),
               _entry("e4", 4, "mj-b"), _entry("e5", 5, "mj-b", reverses="e4"),
               _entry("e6", 6, "pay", source_type="bill_payment")]
    assert [e["id"] for e in derived.live_entries(entries, "journal_entry")] == ["e3"]
    [journal] = [derived.manual_journal(e) for e in derived.live_entries(entries, "journal_entry")]
    assert journal.ManualJournalID == "mj-a" and journal.Narration == "memo 3" and journal.LineAmountTypes == "NoTax"
    [payment] = [derived.bill_payment(e, {"bank"}) for e in derived.live_entries(entries, "bill_payment")]
    assert payment.Amount == Decimal("10.00") and payment.Account.AccountID == "bank"


def test_a_transfer_needs_both_sides() -> None:
    side = {"date": "2026-10-02", "totalCents": 250, "bankAccountId": "b1", "reference": None}
    rows = [{**side, "id": "t1", "type": "transfer_out", "transferId": "x"},
            {**side, "id": "t2", "type": "transfer_in", "transferId": "x", "bankAccountId": "b2"},
            {**side, "id": "t3", "type": "transfer_out", "transferId": "lonely"},
            {**side, "id": "t4", "type": "purchase", "transferId": None}]
    [transfer] = derived.bank_transfers(rows)
    assert (transfer.BankTransferID, transfer.FromBankTransactionID, transfer.ToBankTransactionID) == ("x", "t1", "t2")
    assert transfer.Amount == Decimal("2.50") and transfer.ToBankAccount.AccountID == "b2"
