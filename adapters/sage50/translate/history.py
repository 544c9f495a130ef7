"""History records of postings, read from the Sage 50 audit trail (no store of our own): invoices and credit notes
(:func:`document_history`, :func:`draft_history`), bank transactions, bank transfers and manual journals
(:func:`posting_history`), prepayments (:func:`prepayment_history`) and payments (:func:`payment_history`).

Sage stamps who posted what and when; each stamp becomes one Xero ``HistoryRecord``, oldest first:

- the posting: ``AUDIT_HEADER.RECORD_CREATE_DATE`` (its ``DATE`` when a row lacks the stamp) and ``USER_NAME`` →
  ``Changes`` "Created", ``Details`` the document's number, contact and gross ("Invoice 24 to … for 14.99.");
- an amendment in Sage: ``DATE_AMENDED`` and ``USER_NAME_AMENDED`` (when set) → "Edited";
- an unposted document (``INVOICE``) has one record: its ``RECORD_CREATE_DATE`` → "Created";
- each allocation against the document's splits (``AUDIT_USAGE``: ``RECORD_CREATE_DATE`` or its ``DATE``,
  ``USER_NAME``, ``AMOUNT``) → "Paid" when the paying side is a receipt or payment, "Credit Applied" when it is a
  credit note (or, on a credit note, the invoice it was applied to).

The ``Changes`` words are those the native ledger records (adapters/native/history.py, sources cited there).
Sage's time stamps are its PC's clock, read as UTC (:func:`adapters.sage50.unit.sage_datetime`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from gateway.xero.models.workflow import HistoryRecord

from ..unit import Books, money, number, sage_datetime, text
from .documents import allocations, draft

CREATED, EDITED, PAID, CREDIT_APPLIED = "Created", "Edited", "Paid", "Credit Applied"
CREDIT_TYPES = ("SC", "PC")
_PREFIX = {"SI": "Invoice", "PI": "Bill", "SC": "Credit Note", "PC": "Credit Note"}


def _amount(value: Decimal) -> str:
    return f"{abs(value):,.2f}"


def _contact_name(books: Books, header: Mapping[str, Any]) -> str:
    ref = text(header.get("ACCOUNT_REF"))
    ledger = "PURCHASE_LEDGER" if text(header.get("TYPE")) in ("PI", "PC") else "SALES_LEDGER"
    return text((books.row(ledger, ref) or {}).get("NAME")) or ref


def document_history(books: Books, header: Mapping[str, Any]) -> list[HistoryRecord]:
    """The history of one posted SI/PI/SC/PC header, oldest first (see the module docstring)."""
    kind = text(header.get("TYPE"))
    ref = text(header.get("INV_REF")) or str(number(header.get("HEADER_NUMBER")))
    gross = money(header.get("GROSS_AMOUNT"))
    entries: list[tuple[datetime | None, int, HistoryRecord]] = []
    created = sage_datetime(header.get("RECORD_CREATE_DATE")) or sage_datetime(header.get("DATE"))
    entries.append((created, 0, HistoryRecord(
        Changes=CREATED, DateUTC=created, User=text(header.get("USER_NAME")) or None,
        Details=f"{_PREFIX.get(kind, kind)} {ref} to {_contact_name(books, header)} for {_amount(gross)}.")))
    amended = sage_datetime(header.get("DATE_AMENDED"))
    if amended is not None:
        entries.append((amended, 1, HistoryRecord(
            Changes=EDITED, DateUTC=amended, User=text(header.get("USER_NAME_AMENDED")) or None,
            Details=f"{_PREFIX.get(kind, kind)} {ref} amended in Sage 50.")))
    for usage, other in allocations(books, header):
        when = sage_datetime(usage.get("RECORD_CREATE_DATE")) or sage_datetime(usage.get("DATE"))
        other_kind = text(other.get("TYPE"))
        credit = kind in CREDIT_TYPES or other_kind in CREDIT_TYPES
        amount = _amount(money(usage.get("AMOUNT")))
        other_ref = text(other.get("INV_REF")) or str(number(other.get("HEADER_NUMBER")))
        details = (f"Credit of {amount} applied ({_PREFIX.get(other_kind, other_kind)} {other_ref})." if credit
                   else f"Payment of {amount} received ({other_kind} {other_ref}).")
        entries.append((when, 2, HistoryRecord(Changes=CREDIT_APPLIED if credit else PAID, DateUTC=when,
                                               User=text(usage.get("USER_NAME")) or None, Details=details)))
    entries.sort(key=lambda e: (e[0].timestamp() if e[0] else float("inf"), e[1]))
    return [record for _, _, record in entries]


def draft_history(books: Books, doc: Mapping[str, Any]) -> list[HistoryRecord]:
    """The history of an unposted invoicing document (``INVOICE``): its creation, by ``RECORD_CREATE_DATE``."""
    model = draft(books, doc)
    kind = "credit note" if is_credit_document(doc) else "invoice"
    name = (model.Contact.Name if model.Contact else None) or text(doc.get("ACCOUNT_REF"))
    return [HistoryRecord(Changes=CREATED, DateUTC=sage_datetime(doc.get("RECORD_CREATE_DATE")),
                          Details=f"Draft {kind} {text(doc.get('INVOICE_NUMBER'))} for {name} of "
                                  f"{_amount(model.Total or Decimal(0))}.")]


def is_credit_document(doc: Mapping[str, Any]) -> bool:
    """Whether an ``INVOICE`` row is a credit (``INVOICE_OR_CREDIT`` "Credit")."""
    return text(doc.get("INVOICE_OR_CREDIT")).lower().startswith("credit")


def posting_history(books: Books, header: Mapping[str, Any], subject: str) -> list[HistoryRecord]:
    """The history of a bank or journal posting: its creation (and a Sage amendment), oldest first.

    Args:
        subject: what the record is called in ``Details`` ("Spend money", "Bank transfer", "Manual journal").
    """
    ref = text(header.get("INV_REF")) or str(number(header.get("HEADER_NUMBER")))
    gross = money(header.get("GROSS_AMOUNT")) or money(header.get("NET_AMOUNT"))
    created = sage_datetime(header.get("RECORD_CREATE_DATE")) or sage_datetime(header.get("DATE"))
    out = [HistoryRecord(Changes=CREATED, DateUTC=created, User=text(header.get("USER_NAME")) or None,
                         Details=f"{subject} {ref} for {_amount(gross)}.")]
    amended = sage_datetime(header.get("DATE_AMENDED"))
    if amended is not None:
        out.append(HistoryRecord(Changes=EDITED, DateUTC=amended, User=text(header.get("USER_NAME_AMENDED")) or None,
                                 Details=f"{subject} {ref} amended in Sage 50."))
    return out


def prepayment_history(books: Books, header: Mapping[str, Any]) -> list[HistoryRecord]:
    """The history of a receipt or payment on account (SA/PA): its posting, then each allocation of it to an invoice
    ("Credit Applied"), oldest first."""
    out = posting_history(books, header, "Prepayment")
    for usage, other in allocations(books, header):
        when = sage_datetime(usage.get("RECORD_CREATE_DATE")) or sage_datetime(usage.get("DATE"))
        other_ref = text(other.get("INV_REF")) or str(number(other.get("HEADER_NUMBER")))
        out.append(HistoryRecord(Changes=CREDIT_APPLIED, DateUTC=when, User=text(usage.get("USER_NAME")) or None,
                                 Details=f"Credit of {_amount(money(usage.get('AMOUNT')))} applied "
                                         f"({_PREFIX.get(text(other.get('TYPE')), 'Invoice')} {other_ref})."))
    return sorted(out, key=lambda r: r.DateUTC.timestamp() if r.DateUTC else float("inf"))


def payment_history(books: Books, payer: Mapping[str, Any], document: Mapping[str, Any],
                    amount: Decimal) -> list[HistoryRecord]:
    """The history of one Xero payment (a paying header's allocations to one document): created when the first of
    those allocations was made (``AUDIT_USAGE`` stamps), by whom."""
    paying = number(payer.get("HEADER_NUMBER"))
    stamps = []
    for usage, other in allocations(books, document):
        if number(other.get("HEADER_NUMBER")) == paying:
            when = sage_datetime(usage.get("RECORD_CREATE_DATE")) or sage_datetime(usage.get("DATE"))
            stamps.append((when.timestamp() if when else float("inf"), when, text(usage.get("USER_NAME")) or None))
    _, when, user = min(stamps, key=lambda x: x[0]) if stamps else (0, sage_datetime(payer.get("DATE")), None)
    kind = _PREFIX.get(text(document.get("TYPE")), "Invoice")
    ref = text(document.get("INV_REF")) or str(number(document.get("HEADER_NUMBER")))
    return [HistoryRecord(Changes=CREATED, DateUTC=when, User=user,
                          Details=f"Payment of {_amount(amount)} on {kind} {ref}.")]
