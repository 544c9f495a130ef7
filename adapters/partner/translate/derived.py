"""Xero documents the partner API does not list as such, derived from what it lists (issue 16): pure functions.

- ManualJournals: journal entries whose ``sourceType`` is ``journal_entry`` (``sourceId`` the journal's id,
  ``reference`` its memo, as the remote posts a ``POST …/journal-entries`` body).
- Payments on bills: journal entries whose ``sourceType`` is ``bill_payment``; the line on a bank account
  (``Account.isBankAccount``) is the payment's side (a credit: the bank pays out); ``billId`` names the bill.
- BankTransfers: the ``transfer_out`` / ``transfer_in`` bank transactions sharing a ``transferId``.

A document the remote changed or voided through its other API is reposted as a reversing entry
(``reversesJournalEntryId``) and, when still live, a new entry: only entries neither reversing nor reversed count,
the newest per ``sourceId``; a document with none left is gone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gateway.xero import models as xm
from gateway.xero.models import documents as xd
from gateway.xero.models.core import InvoiceRef

from . import day, moment, money


def live_entries(entries: Iterable[dict[str, Any]], source_type: str) -> list[dict[str, Any]]:
    """The live entry of each document of ``source_type`` (module docstring), in ``number`` order.

    Args:
        entries: partner ``JournalEntry`` objects (``GET …/journal-entries``).
        source_type: the partner ``sourceType`` (``journal_entry``, ``bill_payment``).
    """
    entries = list(entries)
    reversed_ids = {e["reversesJournalEntryId"] for e in entries if e.get("reversesJournalEntryId")}
    newest: dict[str, dict[str, Any]] = {}
    for entry in sorted(entries, key=lambda e: e["number"]):
        if (entry["sourceType"] == source_type and entry.get("sourceId") and not entry.get("reversesJournalEntryId")
                and entry["id"] not in reversed_ids):
            newest[entry["sourceId"]] = entry
    return sorted(newest.values(), key=lambda e: e["number"])


def manual_journal(entry: dict[str, Any]) -> xd.ManualJournal:
    """A ``journal_entry`` entry → Xero ManualJournal (always POSTED: the partner API has no drafts).

    ``LineAmount`` is each line's ``amountCents`` (net, debit positive as both sides sign it); with tax on any line
    the amounts are tax exclusive, else ``NoTax``.
    """
    lines = entry.get("lines", [])
    taxed = any(line.get("taxAmountCents") for line in lines)
    return xd.ManualJournal(
        ManualJournalID=entry["sourceId"], Narration=entry.get("reference"), Date=day(entry["date"]), Status="POSTED",
        LineAmountTypes="Exclusive" if taxed else "NoTax", UpdatedDateUTC=moment(entry.get("createdAt")),
        JournalLines=[xd.ManualJournalLine(LineAmount=money(line["amountCents"]), AccountID=line["accountId"],
                                           Description=line.get("description"), TaxType=line.get("taxType"),
                                           TaxAmount=money(line.get("taxAmountCents")) if taxed else None)
                      for line in lines])


def bill_payment(entry: dict[str, Any], bank_account_ids: set[str]) -> xd.Payment:
    """A ``bill_payment`` entry → Xero Payment (``ACCPAYPAYMENT``).

    Args:
        entry: the partner ``JournalEntry``.
        bank_account_ids: ids of the remote's accounts with ``isBankAccount``.
    """
    bank = next((line for line in entry.get("lines", []) if line["accountId"] in bank_account_ids), None)
    return xd.Payment(
        PaymentID=entry["sourceId"], Date=day(entry["date"]), Reference=entry.get("reference"),
        Account=xm.AccountRef(AccountID=bank["accountId"]) if bank else None,
        Amount=money(-bank["amountCents"]) if bank else None, Status="AUTHORISED", PaymentType="ACCPAYPAYMENT",
        Invoice=InvoiceRef(InvoiceID=entry["billId"]) if entry.get("billId") else None,
        UpdatedDateUTC=moment(entry.get("createdAt")))


def bank_transfers(rows: Iterable[dict[str, Any]]) -> list[xd.BankTransfer]:
    """Xero BankTransfers from partner ``BankTransaction`` objects: one per ``transferId`` with both sides."""
    sides: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        if row.get("transferId") and row["type"] in ("transfer_out", "transfer_in"):
            sides.setdefault(row["transferId"], {})[row["type"]] = row
    out = []
    for transfer_id, pair in sides.items():
        sent, received = pair.get("transfer_out"), pair.get("transfer_in")
        if sent is None or received is None:
            continue
        out.append(xd.BankTransfer(
            BankTransferID=transfer_id, FromBankAccount=xm.AccountRef(AccountID=sent["bankAccountId"]),
            ToBankAccount=xm.AccountRef(AccountID=received["bankAccountId"]), Amount=money(sent["totalCents"]),
            Date=day(sent["date"]), FromBankTransactionID=sent["id"], ToBankTransactionID=received["id"],
            FromIsReconciled=sent.get("isReconciled"), ToIsReconciled=received.get("isReconciled"),
            Reference=sent.get("reference")))
    return sorted(out, key=lambda t: (t.Date, t.BankTransferID))
