"""Posting balanced journals: the double-entry core of the native ledger.

Every posted document writes exactly one :class:`~adapters.native.tables.core.Journal` whose signed line amounts
(debit > 0, credit < 0, GBP) sum to zero; :func:`post` asserts it and refuses anything else. Undoing a posting
(voiding an invoice, deleting a payment, re-posting an edited invoice) writes a negated journal with
:func:`reverse_source`; nothing posted is ever updated or deleted, as in Xero's journal history
(https://developer.xero.com/documentation/api/accounting/journals: "journals are never deleted or modified").

Document postings (Xero's accrual accounting):

- ACCREC invoice: Dr Accounts Receivable (DEBTORS) ``Total``; Cr each line's account its net amount; Cr VAT (GST)
  ``TotalTax``.
- ACCPAY bill: Dr each line's account its net amount; Dr VAT ``TotalTax``; Cr Accounts Payable (CREDITORS)
  ``Total``.
- ACCRECPAYMENT: Dr bank, Cr Accounts Receivable. ACCPAYPAYMENT: Dr Accounts Payable, Cr bank.

Tracking: a document line's tracking travels to its journal line (``Posting.tracking`` →
``JournalLine.tracking``, nullable JSON): ``None`` or a list of at most 2 dicts
``{"TrackingCategoryID": <guid>, "TrackingOptionID": <guid>, "Name": <category name>, "Option": <option name>}``
(:mod:`adapters.native.resources.tracking`'s stored form; split reports by the ids). Control, VAT and bank lines
carry none; a reversal carries the reversed line's tracking.

Balances: every journal written here also adds its lines to the per-account, per-day balances the reports read
(:mod:`adapters.native.tables.balances`), in the same session and so the same transaction; :func:`post` and
:func:`reverse_source` are the only writers of journals, so the balances always equal the journal lines' sums.
:func:`rebuild_balances` builds them from the journals of a ledger written before they existed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..ids import IdFactory
from ..tables.balances import AccountBalance, to_units, tracking_key, tracking_pairs
from ..tables.core import Company, Journal, JournalLine

ZERO = Decimal("0")


class LedgerImbalance(AssertionError):
    """A journal whose debits and credits differ: a bug in the caller, never a client error."""


@dataclass(frozen=True)
class Posting:
    """One journal line to write.

    Attributes:
        account_id: the account posted to.
        amount: signed amount in the base currency (debit > 0, credit < 0).
        description: the line's narration.
        tax_type, tax_amount: the VAT behind the line (for VAT reporting); ``tax_amount`` signed like ``amount``.
        tracking: the source line's tracking, or ``None``: a list of at most 2 dicts
            ``{"TrackingCategoryID", "TrackingOptionID", "Name", "Option"}`` (the stored form of
            :func:`adapters.native.resources.tracking.resolve`), written to ``JournalLine.tracking``. Reports split by
            tracking on the ids; control, VAT and bank lines carry none.
    """

    account_id: str
    amount: Decimal
    description: str | None = None
    tax_type: str | None = None
    tax_amount: Decimal = ZERO
    tracking: list[dict[str, str]] | None = None


def check_balanced(postings: list[Posting]) -> None:
    """Assert ``Σ amount == 0``.

    Raises:
        LedgerImbalance: the postings do not balance.
    """
    total = sum((p.amount for p in postings), ZERO)
    if total != 0:
        raise LedgerImbalance(f"journal does not balance: debits - credits = {total}")


async def post(session: AsyncSession, company: Company, *, date: dt.date, source_type: str,
               source_id: str | None, postings: list[Posting], new_id: IdFactory, now: dt.datetime,
               reference: str | None = None, reverses: str | None = None,
               cancels_movements: bool = False) -> Journal:
    """Write one balanced journal (zero lines are dropped; postings to the same account are kept apart).

    Args:
        company: the company row (its journal number counter is advanced).
        date: the journal date (the document's date).
        source_type: Xero's journal source type (``ACCREC``, ``ACCPAYPAYMENT``, ``CASHPAID``…).
        source_id: the document's id (``InvoiceID``, ``PaymentID``…).
        postings: the lines; they must balance.
        reverses: the journal this one reverses; cancels_movements: it reverses it on that journal's own date, so
            neither counts in BankSummary's cash received and spent (:mod:`adapters.native.tables.balances`).

    Returns:
        The new journal (added to the session, not flushed; its balances written).

    Raises:
        LedgerImbalance: the postings do not balance.
    """
    check_balanced(postings)
    journal = Journal(id=new_id("journal"), company_id=company.id, number=company.next_journal_number, date=date,
                      source_type=source_type, source_id=source_id, reference=reference, reverses=reverses,
                      created_utc=now)
    company.next_journal_number += 1
    position = 0
    for p in postings:
        if p.amount == 0 and p.tax_amount == 0:
            continue
        position += 1
        journal.lines.append(JournalLine(company_id=company.id, position=position, account_id=p.account_id,
                                         amount=p.amount, tax_type=p.tax_type, tax_amount=p.tax_amount,
                                         description=p.description, tracking=p.tracking or None))
    session.add(journal)
    deltas = _balance_deltas(journal.date, [(line.account_id, line.amount, line.tracking) for line in journal.lines],
                             cancels_movements=cancels_movements)
    await _add_balances(session, company.id, deltas)
    return journal


_Deltas = dict[tuple[dt.date, str, str], list[int]]  # (date, account id, tracking key) → [amount, received, spent]


def _balance_deltas(date: dt.date, lines: list[tuple[str, Decimal, Any]], *, cancels_movements: bool,
                    into: _Deltas | None = None) -> _Deltas:
    """What a journal dated ``date`` with ``(account id, amount, stored tracking)`` lines adds to the balances
    (:mod:`adapters.native.tables.balances`), in stored units (added to ``into`` when given).

    ``cancels_movements``: the journal reverses one of its own date, so instead of counting its per-account net as
    received or spent it takes back what the reversed journal counted (the net with the opposite sign).
    """
    deltas: _Deltas = {} if into is None else into
    nets: dict[str, int] = defaultdict(int)
    for account_id, amount, tracking in lines:
        units = to_units(amount)
        deltas.setdefault((date, account_id, tracking_key(tracking_pairs(tracking))), [0, 0, 0])[0] += units
        nets[account_id] += units
    for account_id, net in nets.items():
        received, spent = (-max(-net, 0), -max(net, 0)) if cancels_movements else (max(net, 0), max(-net, 0))
        if received or spent:
            row = deltas.setdefault((date, account_id, ""), [0, 0, 0])
            row[1] += received
            row[2] += spent
    return deltas


async def _add_balances(session: AsyncSession, company_id: str, deltas: _Deltas, *, new: bool = False) -> None:
    """Add ``deltas`` to the stored balances: one ``INSERT … ON CONFLICT DO UPDATE`` (SQLite and PostgreSQL),
    atomic under concurrent writers of the same day and account; ``new``: a plain ``INSERT`` (the rows must not
    exist: a second, concurrent rebuild fails rather than adding its sums twice)."""
    if not deltas:
        return
    table = AccountBalance.__table__
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(table).values([
        {"company_id": company_id, "date": date, "account_id": account_id, "tracking": key,
         "amount": amount, "received": received, "spent": spent}
        # In key order: concurrent writers lock the rows they share in one order (no deadlock between them).
        for (date, account_id, key), (amount, received, spent) in sorted(deltas.items())])
    if not new:
        stmt = stmt.on_conflict_do_update(index_elements=list(table.primary_key.columns), set_={
            "amount": table.c.amount + stmt.excluded.amount,
            "received": table.c.received + stmt.excluded.received,
            "spent": table.c.spent + stmt.excluded.spent})
    with session.no_autoflush:  # a Core statement on its own table: the pending journal need not be flushed first
        await session.execute(stmt)


async def rebuild_balances(session: AsyncSession) -> int:
    """Build the balances of every company from its journals when none are stored yet (a ledger written before
    balances existed), in the caller's transaction.

    Returns:
        The number of journals read (0 when balances already exist or there are no journals).

    Raises:
        sqlalchemy.exc.IntegrityError: another process stored balances meanwhile (its rebuild won).
    """
    if await session.scalar(select(func.count()).select_from(
            select(AccountBalance.company_id).limit(1).subquery())):
        return 0
    rows = await session.execute(
        select(Journal.company_id, Journal.id, Journal.date, Journal.reverses, JournalLine.account_id,
               JournalLine.amount, JournalLine.tracking)
        .join(JournalLine, JournalLine.journal_id == Journal.id)
        .order_by(Journal.company_id, Journal.number, JournalLine.position))
    journals: dict[str, tuple[str, dt.date, str | None, list[tuple[str, Decimal, Any]]]] = {}
    for company_id, journal_id, date, reverses, account_id, amount, tracking in rows:
        journals.setdefault(journal_id, (company_id, date, reverses, []))[3].append((account_id, amount, tracking))
    by_company: dict[str, _Deltas] = defaultdict(dict)
    for company_id, date, reverses, lines in journals.values():
        same_day = reverses is not None and reverses in journals and journals[reverses][1] == date
        _balance_deltas(date, lines, cancels_movements=same_day, into=by_company[company_id])
    for company_id, deltas in by_company.items():
        items = list(deltas.items())
        for start in range(0, len(items), 500):  # bounded statements (SQLite's variable limit)
            await _add_balances(session, company_id, dict(items[start:start + 500]), new=True)
    return len(journals)


async def live_journals(session: AsyncSession, company_id: str, source_id: str) -> list[Journal]:
    """The journals of a source that are not reversals and have not been reversed."""
    rows = await session.scalars(
        select(Journal).where(Journal.company_id == company_id, Journal.source_id == source_id,
                              Journal.reverses.is_(None), Journal.reversed_by.is_(None))
        .order_by(Journal.number))
    return list(rows)


async def reverse_source(session: AsyncSession, company: Company, *, source_id: str, date: dt.date,
                         new_id: IdFactory, now: dt.datetime) -> list[Journal]:
    """Reverse every live journal of ``source_id`` with a negated journal dated ``date``.

    Returns:
        The reversing journals (empty when nothing was posted).
    """
    reversals: list[Journal] = []
    for journal in await live_journals(session, company.id, source_id):
        postings = [Posting(account_id=line.account_id, amount=-line.amount, description=line.description,
                            tax_type=line.tax_type, tax_amount=-line.tax_amount, tracking=line.tracking)
                    for line in journal.lines]
        reversal = await post(session, company, date=date, source_type=journal.source_type,
                              source_id=source_id, postings=postings, new_id=new_id, now=now,
                              reference=journal.reference, reverses=journal.id,
                              cancels_movements=journal.date == date)
        journal.reversed_by = reversal.id
        reversals.append(reversal)
    return reversals


async def repost(session: AsyncSession, company: Company, *, source_id: str, source_type: str, date: dt.date,
                 reference: str | None, was_posted: bool, will_post: bool, changed: bool, old_date: dt.date,
                 postings: Callable[[], list[Posting]], new_id: IdFactory, now: dt.datetime) -> bool:
    """Bring a written document's journal in line with it: reverse the live journal (on ``old_date``, the date it
    was posted on) when the document leaves the ledger or its posting ``changed``, then post the document's
    current journal when it must be in the ledger and is not (a journal of nothing but zeros is not written).

    Args:
        source_id: the document's id; source_type: its journal source type (``ACCREC``, ``CASHPAID``…).
        date: the document's date now; reference: the journal's reference (number, reference or narration).
        was_posted: the document had a live journal before the write; will_post: it must have one after it.
        changed: the document's posting signature changed in the write.
        postings: builds the document's postings (called only when a journal is written).

    Returns:
        The document's new ``posted`` flag (``will_post``).

    Raises:
        LedgerImbalance: the postings do not balance.
    """
    if was_posted and (not will_post or changed):
        await reverse_source(session, company, source_id=source_id, date=old_date, new_id=new_id, now=now)
        was_posted = False
    entries = postings() if will_post and not was_posted else []
    if any(p.amount for p in entries):
        await post(session, company, date=date, source_type=source_type, source_id=source_id, postings=entries,
                   new_id=new_id, now=now, reference=reference)
    return will_post


async def account_balances(session: AsyncSession, company_id: str) -> dict[str, Decimal]:
    """Account id → net balance (Σ signed amounts, debit > 0) over the whole ledger of a company.

    Summed in Python with ``Decimal`` (SQLite's SUM would go through float).
    """
    balances: dict[str, Decimal] = defaultdict(lambda: ZERO)
    rows = await session.execute(
        select(JournalLine.account_id, JournalLine.amount).where(JournalLine.company_id == company_id))
    for account_id, amount in rows:
        balances[account_id] += amount
    return dict(balances)
