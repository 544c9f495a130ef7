"""Sage ``transactions`` and ``ledger_entries`` → Xero's journal feed (pure functions; ``mappings/sage_journals.toml``).

Rules (spec ``getJournals``/``Journal``/``JournalLine``; https://developer.xero.com/documentation/api/accounting/journals;
Sage's ``Transaction`` and ``LedgerEntry`` in swagger.accounts.v3.1.json):

- One journal per Sage transaction (its balanced ledger entries), keyed ``"{transaction id}:post"``. A transaction
  Sage marks ``deleted`` (a void or delete) keeps that journal and gains a reversing one,
  ``"{transaction id}:reverse"``, created at the transaction's ``updated_at``: Xero never changes a journal, it adds
  the reversal. (A Sage edit re-posts a transaction in place; the journal then shows the current entries.)
- ``JournalNumber`` comes from the gateway's numbering (:mod:`adapters.common.journal_numbers`): keys are numbered in
  the order they happened (``created_at``, then id), and never renumbered.
- ``JournalDate`` ← ``date``; ``CreatedDateUTC`` ← ``created_at`` (the reversal: ``updated_at``); ``Reference`` ←
  ``reference``; ``SourceType`` by the table; ``SourceID`` the GUID of the record that posted it (``origin``).
- Lines: ``NetAmount`` = debit − credit (negated on a reversal), ``TaxAmount`` 0 and ``GrossAmount`` = ``NetAmount``:
  Sage posts VAT to its own control account lines, so no line carries tax behind it; ``AccountCode``/``AccountName``/
  ``AccountType`` as the ledger account is now; ``TaxType`` the entry's tax rate as Xero names it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

import mappings
from adapters.common import fields
from gateway.xero.models.catalogue import Journal, JournalLine

from ..codes import tables
from .accounts import account_code
from .common import ZERO, Tx, money, ref_id, sage_date, sage_datetime


@cache
def source_types() -> dict[str, str]:
    """Sage transaction type id → Xero ``SourceType``."""
    return dict(mappings.load("sage_journals")["source_types"])


@dataclass(frozen=True)
class FeedEntry:
    """One journal of the feed before numbering: its key, when it was made, the transaction, and whether it
    reverses it."""

    key: str
    created: datetime
    transaction: Mapping[str, Any]
    reverse: bool


def feed_entries(transactions: list[Mapping[str, Any]]) -> list[FeedEntry]:
    """Every journal of the transactions, in the order they happened (module docstring)."""
    out = []
    for row in transactions:
        created = sage_datetime(row.get("created_at")) or datetime.min
        out.append(FeedEntry(f"{row['id']}:post", created, row, False))
        if row.get("deleted"):
            out.append(FeedEntry(f"{row['id']}:reverse", sage_datetime(row.get("updated_at")) or created, row, True))
    return sorted(out, key=lambda e: (e.created, e.key))


def _origin_guid(row: Mapping[str, Any], tx: Tx) -> str | None:
    origin = row.get("origin")
    path = origin.get("$path") if isinstance(origin, Mapping) else None
    origin_id = ref_id(origin)
    if not origin_id or not isinstance(path, str) or "/" not in path.strip("/"):
        return None
    return tx.guid(path.strip("/").split("/")[0], origin_id)


def _line(entry: Mapping[str, Any], tx: Tx, *, journal_id: str, position: int, sign: int) -> JournalLine:
    ledger_id = ref_id(entry.get("ledger_account"))
    ledger = tx.refs.ledger_account(ledger_id) or {}
    net = ((money(entry.get("debit")) or ZERO) - (money(entry.get("credit")) or ZERO)) * sign
    xero_type, _ = tables().xero_account_type(ref_id(ledger.get("ledger_account_type")))
    direction = "output" if net < 0 else "input"
    return JournalLine(
        JournalLineID=tx.guid("transactions", journal_id, f"line:{position}"),
        AccountID=tx.guid("ledger_accounts", ledger_id) if ledger_id else None,
        AccountCode=account_code(ledger), AccountType=xero_type if ledger else None,
        AccountName=ledger.get("name") or None, Description=entry.get("description") or None,
        NetAmount=net.quantize(Decimal("0.01")), GrossAmount=net.quantize(Decimal("0.01")), TaxAmount=ZERO,
        TaxType=tables().xero_tax_type(ref_id(entry.get("tax_rate")), direction))


def journal_from_sage(item: FeedEntry, number: int, entries: list[Mapping[str, Any]], tx: Tx) -> Journal:
    """One numbered journal (module docstring)."""
    row = item.transaction
    part = "reverse" if item.reverse else "post"
    sign = -1 if item.reverse else 1
    return Journal(
        JournalID=tx.guid("transactions", str(row["id"]), part), JournalDate=sage_date(row.get("date")),
        JournalNumber=number, CreatedDateUTC=item.created, Reference=row.get("reference") or None,
        SourceID=_origin_guid(row, tx), SourceType=source_types().get(ref_id(row.get("transaction_type")) or ""),
        JournalLines=[_line(e, tx, journal_id=f"{row['id']}:{part}", position=i, sign=sign)
                      for i, e in enumerate(entries)])


#: What :func:`journal_from_sage` makes of every Xero Journal field (docs/fields-1009.md).
JOURNAL_FIELDS = fields.FieldMap(
    "Journals", Journal,
    fields.computed("JournalID", "uuid5 of business_id/transactions/{id}/post|reverse"),
    fields.populated("JournalDate", "transactions.date"),
    fields.kept("JournalNumber", "the gateway's journal numbering (adapters/common/journal_numbers.py)"),
    fields.populated("CreatedDateUTC", "transactions.created_at (a reversal: updated_at)"),
    fields.populated("Reference", "transactions.reference", condition="when set"),
    fields.computed("SourceID", "uuid5 of the transaction's origin record"),
    fields.computed("SourceType", "transactions.transaction_type (mappings/sage_journals.toml)",
                    condition="types in the table"),
    fields.populated("JournalLines", "ledger_entries: debit - credit, ledger_account, description, tax_rate"),
)
