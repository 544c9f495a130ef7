"""The ledger's journal feed (``GET /Journals``), read-only, built from the posted journals.

Rules (spec ``getJournals`` / ``getJournal`` / ``getJournalByNumber``, ``components.schemas.Journal`` and
``JournalLine``; https://developer.xero.com/documentation/api/accounting/journals):

- ``offset``: journals "with a JournalNumber greater than the offset" are returned, in ``JournalNumber`` order, at
  most :data:`MAX_PER_CALL` per call (clients page by passing the last number they saw).
- ``If-Modified-Since``: journals created strictly after it (``CreatedDateUTC``; journals are never modified).
- ``paymentsOnly=true``: "journals on a cash basis" — source types that record an obligation (approved invoices,
  bills, credit notes, expense claims) are left out and an invoice payment's receivable/payable line is replaced
  by the paid invoice's own lines (income or expense accounts, VAT) in proportion to the amount paid, so that
  income and expense appear when money moves (``mappings/xero_journal_bases.toml``). Other payments (credit
  notes, prepayments, overpayments) are shown as posted.
- Lines: ``NetAmount`` positive for a debit and negative for a credit, ``TaxAmount`` the VAT behind the line,
  ``GrossAmount = NetAmount + TaxAmount`` (spec ``JournalLine``), 2 decimal places; ``AccountCode``,
  ``AccountType``, ``AccountName`` as the account is now; ``TaxName`` the tax rate's name;
  ``TrackingCategories`` the line's tracking (``Name``, ``Option`` and both ids; at most 2).
- ``JournalLineID`` is a ``uuid5`` of the journal id and the line's position (stable across calls); cash-basis
  lines derived from an invoice have their own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import select

import mappings
from gateway.xero.models.catalogue import Journal as JournalModel
from gateway.xero.models.catalogue import JournalLine as JournalLineModel
from gateway.xero.models.catalogue import TrackingCategory

from ..books import Books
from ..ids import stable_id
from ..ledger.taxmath import round2
from ..tables.core import Journal, Payment

#: At most this many journals per ``GET /Journals`` call (Xero's documented page of journals).
MAX_PER_CALL = 100
ZERO = Decimal("0")


@cache
def bases() -> tuple[frozenset[str], frozenset[str]]:
    """``(accrual_only, expand_payments)`` source types (``mappings/xero_journal_bases.toml``)."""
    table = mappings.load("xero_journal_bases")
    return frozenset(table["accrual_only"]), frozenset(table["expand_payments"])


@dataclass
class FeedLine:
    """One journal line as the feed shows it (amounts signed, base currency)."""

    line_id: str
    account_id: str
    amount: Decimal
    tax_amount: Decimal
    tax_type: str | None
    description: str | None
    tracking: list[dict[str, Any]] | None


def line_id(journal_id: str, position: int, *, basis: str = "accrual") -> str:
    """The stable ``JournalLineID`` of a journal's line."""
    parts = ("journal-line", journal_id, str(position)) if basis == "accrual" else (
        "journal-line", journal_id, basis, str(position))
    return stable_id(*parts)


def _posted_lines(journal: Journal) -> list[FeedLine]:
    return [FeedLine(line_id(journal.id, ln.position), ln.account_id, ln.amount, ln.tax_amount, ln.tax_type,
                     ln.description, ln.tracking) for ln in journal.lines]


def _control_ids(books: Books) -> set[str]:
    ids = set()
    for system in ("DEBTORS", "CREDITORS"):
        try:
            ids.add(books.system_account(system).id)
        except LookupError:  # pragma: no cover - a company without control accounts
            continue
    return ids


async def _invoice_journal(books: Books, payment_journal: Journal) -> Journal | None:
    """The posting of the paid invoice in force when the payment was journalled."""
    payment = await books.session.get(Payment, payment_journal.source_id) if payment_journal.source_id else None
    if payment is None or payment.company_id != books.company.id:
        return None
    return await books.session.scalar(
        select(Journal).where(Journal.company_id == books.company.id, Journal.source_id == payment.invoice_id,
                              Journal.reverses.is_(None), Journal.number < payment_journal.number)
        .order_by(Journal.number.desc()).limit(1))


async def cash_lines(books: Books, journal: Journal) -> list[FeedLine]:
    """A journal's lines on the cash basis (see the module docstring); the posted lines when nothing changes.

    The derived lines are the invoice's non-control lines times ``-paid / invoiced`` (both the control-account
    amounts), rounded to 2 dp; the rounding remainder goes to the largest derived line so the journal balances.
    """
    lines = _posted_lines(journal)
    if journal.source_type not in bases()[1]:
        return lines
    controls = _control_ids(books)
    invoice_journal = await _invoice_journal(books, journal)
    if invoice_journal is None:
        return lines
    paid = sum((ln.amount for ln in lines if ln.account_id in controls), ZERO)
    invoiced = sum((ln.amount for ln in invoice_journal.lines if ln.account_id in controls), ZERO)
    if invoiced == 0 or paid == 0:
        return lines
    factor = -paid / invoiced
    kept = [ln for ln in lines if ln.account_id not in controls]
    derived = [FeedLine(line_id(journal.id, i, basis="cash"), ln.account_id, round2(ln.amount * factor),
                        round2(ln.tax_amount * factor), ln.tax_type, ln.description, ln.tracking)
               for i, ln in enumerate((x for x in invoice_journal.lines if x.account_id not in controls), start=1)]
    if not derived:
        return lines
    remainder = -sum((ln.amount for ln in kept + derived), ZERO)
    if remainder:
        max(derived, key=lambda ln: abs(ln.amount)).amount += remainder
    return kept + derived


def _tracking(stored: list[dict[str, Any]] | None) -> list[TrackingCategory]:
    return [TrackingCategory(TrackingCategoryID=t.get("TrackingCategoryID"), TrackingOptionID=t.get("TrackingOptionID"),
                             Name=t.get("Name"), Option=t.get("Option")) for t in stored or []]


def line_model(books: Books, line: FeedLine) -> JournalLineModel:
    """A ``JournalLine`` element."""
    account = books.accounts.get(line.account_id)
    rate = books.tax_rates.get(line.tax_type) if line.tax_type else None
    net, tax = round2(line.amount), round2(line.tax_amount)
    return JournalLineModel(
        JournalLineID=line.line_id, AccountID=line.account_id, AccountCode=account.code if account else None,
        AccountType=account.type if account else None, AccountName=account.name if account else None,
        Description=line.description or "", NetAmount=net, GrossAmount=net + tax, TaxAmount=tax,
        TaxType=line.tax_type, TaxName=rate.name if rate else None, TrackingCategories=_tracking(line.tracking))


def journal_model(books: Books, journal: Journal, lines: list[FeedLine] | None = None) -> JournalModel:
    """A ``Journal`` element (the posted lines unless ``lines`` is given)."""
    return JournalModel(
        JournalID=journal.id, JournalDate=journal.date, JournalNumber=journal.number,
        CreatedDateUTC=journal.created_utc, Reference=journal.reference, SourceID=journal.source_id,
        SourceType=journal.source_type,
        JournalLines=[line_model(books, ln) for ln in (lines if lines is not None else _posted_lines(journal))])


async def feed(books: Books, *, offset: int = 0, since: dt.datetime | None = None,
               payments_only: bool = False) -> list[JournalModel]:
    """``GET /Journals``: up to :data:`MAX_PER_CALL` journals numbered above ``offset``, in number order.

    Args:
        offset: the last ``JournalNumber`` the client has (0 for the start).
        since: ``If-Modified-Since`` (aware UTC): journals created strictly after it.
        payments_only: the cash basis.
    """
    query = select(Journal).where(Journal.company_id == books.company.id, Journal.number > offset)
    if since is not None:
        query = query.where(Journal.created_utc > since)
    if payments_only:
        query = query.where(Journal.source_type.not_in(sorted(bases()[0])))
    rows = list(await books.session.scalars(query.order_by(Journal.number).limit(MAX_PER_CALL)))
    if not payments_only:
        return [journal_model(books, row) for row in rows]
    return [journal_model(books, row, await cash_lines(books, row)) for row in rows]


async def by_id(books: Books, journal_id: str) -> Journal | None:
    """A journal of the company by ``JournalID``, or ``None``."""
    row = await books.session.get(Journal, journal_id)
    return row if row is not None and row.company_id == books.company.id else None


async def by_number(books: Books, number: int) -> Journal | None:
    """A journal of the company by ``JournalNumber``, or ``None``."""
    return await books.session.scalar(
        select(Journal).where(Journal.company_id == books.company.id, Journal.number == number))
