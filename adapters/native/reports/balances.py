"""The ledger as the reports read it, and its reference computation from the journal lines.

The reports read a :class:`Ledger`: the lines of any date range, possibly aggregated (one line per account and
tracking combination), and the bank accounts' movements. Two implementations give the same figures:

- :class:`adapters.native.reports.stored.StoredBalances`, the per-day balances kept with every posting
  (:mod:`adapters.native.tables.balances`), what the reports read on accrual basis;
- :class:`JournalLines` here, **the reference**: every journal line of the company, summed in Python. It serves
  cash basis (whose figures depend on each settled document's journal, so they are not kept as balances) and
  the ExecutiveSummary, and is what the property tests compare the stored balances with.

Amounts are the journal lines' signed base-currency amounts (debit > 0, credit < 0;
:mod:`adapters.native.ledger.posting`),
summed in Python with ``Decimal`` (SQLite's ``SUM`` would go through float). Reversed journals and their
reversals are both kept: they cancel, as in Xero's journal history.

**Accrual basis** (the default): every journal line counts on its journal's date.

**Cash basis** (``paymentsOnly=true``): only what has been settled in cash counts. Rule:

1. The journals of accrual documents (source types ``ACCREC``, ``ACCPAY``, ``ACCRECCREDIT``, ``ACCPAYCREDIT``,
   ``EXPCLAIM``; spec ``Journal.SourceType``) are left out.
2. A settlement journal keeps its bank line, and its line on the control account (``DEBTORS``/``CREDITORS``) is
   replaced by the settled document's own lines (revenue, expense, VAT… — every line but the control line, with
   their tracking) scaled by the settled fraction ``paid / document total`` (the journal's control amount over the
   document's), each rounded to the cent, the rounding difference put on the largest line so that the replaced
   journal still balances. The lines take the settlement's date. A 50 % payment of a 100.00 + 20.00 VAT invoice
   thus counts 50.00 of sales and 10.00 of VAT on the payment date. Settlement journals are those of a
   ``Payment`` of an invoice, a ``RefundPayment`` of a credit note, and an ``Allocation`` of a prepayment to an
   invoice (whose journal releases the prepayment's coding against the control account; the prepayment itself
   counted when its cash came in, so the allocation nets to nothing).
3. An overpayment allocated to an invoice posts nothing (both sides sit on the control account), yet the
   overpayment's cash pays the invoice: on the allocation's date the allocated amount leaves the control account
   and the invoice's lines count for the share it settles (rule 2 without a bank line).
4. Every other journal (bank transactions ``CASHREC``/``CASHPAID``, transfers, manual journals — Xero's
   ``ShowOnCashBasisReports`` defaults to true — overpayments and prepayments as received, their refunds) counts
   as it is. A settlement whose document has no live posting (voided) also counts as it is; its reversal then
   cancels it. A credit note allocated to an invoice moves no cash: neither counts, and the invoice's payments
   count for the share of its total they paid. Deleted allocations are left out.

Under both bases every period's lines balance, so a trial balance built from them balances.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from sqlalchemy import select

from ..books import Books
from ..tables.balances import tracking_pairs
from ..tables.core import Journal, JournalLine, Payment
from ..tables.documents import Allocation, RefundPayment

ZERO = Decimal("0")
CENT = Decimal("0.01")
#: Journal source types of accrual documents (spec ``Journal.SourceType``), left out on cash basis.
ACCRUAL_SOURCES = frozenset({"ACCREC", "ACCPAY", "ACCRECCREDIT", "ACCPAYCREDIT", "EXPCLAIM"})
#: System accounts a document is settled through (spec ``Account.SystemAccount``).
CONTROL_ACCOUNTS = frozenset({"DEBTORS", "CREDITORS"})


@dataclass(frozen=True)
class Line:
    """One journal line as the reports see it.

    Attributes:
        date: the journal's date.
        account_id: the account.
        amount: signed base-currency amount (debit > 0).
        tracking: ``(TrackingCategoryID, TrackingOptionID)`` pairs of the line (at most 2).
        journal_id: the journal the line belongs to.
        reverses: the journal this line's journal reverses, if it is a reversal.
        reversed_by: the journal reversing this line's journal, if any.
    """

    date: dt.date
    account_id: str
    amount: Decimal
    tracking: tuple[tuple[str, str], ...] = ()
    journal_id: str = ""
    reverses: str | None = None
    reversed_by: str | None = None

    def option(self, category_id: str) -> str | None:
        """The line's option of tracking category ``category_id``, or ``None`` (unassigned)."""
        return next((option for category, option in self.tracking if category == category_id), None)


@dataclass
class _Journal:
    date: dt.date
    source_type: str
    source_id: str | None
    reverses: str | None
    reversed_by: str | None
    lines: list[Line]


async def _journals(books: Books) -> dict[str, _Journal]:
    """Every journal of the company with its lines (one query), in posting order."""
    stmt = (select(Journal.id, Journal.date, Journal.source_type, Journal.source_id, Journal.reverses,
                   Journal.reversed_by, JournalLine.account_id, JournalLine.amount, JournalLine.tracking)
            .join(JournalLine, JournalLine.journal_id == Journal.id)
            .where(Journal.company_id == books.company.id)
            .order_by(Journal.number, JournalLine.position))
    journals: dict[str, _Journal] = {}
    for jid, date, source_type, source_id, reverses, reversed_by, account_id, amount, tracking in (
            await books.session.execute(stmt)):
        journal = journals.get(jid)
        if journal is None:
            journal = journals[jid] = _Journal(date, source_type, source_id, reverses, reversed_by, [])
        journal.lines.append(Line(date=date, account_id=account_id, amount=Decimal(amount),
                                  tracking=tracking_pairs(tracking), journal_id=jid, reverses=reverses,
                                  reversed_by=reversed_by))
    return journals


def _scaled(document: Sequence[Line], *, factor: Decimal, target: Decimal, like: Line) -> list[Line]:
    """``document``'s lines × ``factor`` rounded to cents, summing to ``target`` exactly, dated like ``like``."""
    out = [replace(like, account_id=d.account_id, tracking=d.tracking,
                   amount=(d.amount * factor).quantize(CENT, rounding=ROUND_HALF_UP)) for d in document]
    difference = target - sum((line.amount for line in out), ZERO)
    if out and difference:
        largest = max(range(len(out)), key=lambda i: abs(out[i].amount))
        out[largest] = replace(out[largest], amount=out[largest].amount + difference)
    return out


def _settlement(journal: _Journal, document: Sequence[Line], controls: set[str]) -> list[Line] | None:
    """A settlement journal's cash-basis lines (rule 2), or ``None`` when it must count as it is."""
    paid = sum((ln.amount for ln in journal.lines if ln.account_id in controls), ZERO)
    total = sum((ln.amount for ln in document if ln.account_id in controls), ZERO)
    body = [ln for ln in document if ln.account_id not in controls]
    if not paid or not total or not body:
        return None
    kept = [ln for ln in journal.lines if ln.account_id not in controls]
    return kept + _scaled(body, factor=-paid / total, target=paid, like=journal.lines[0])


async def _cash_basis(books: Books, journals: dict[str, _Journal]) -> list[Line]:
    """The cash-basis lines (module docstring, rules 1-4)."""
    company_id = books.company.id
    controls = {a.id for a in books.accounts.values() if a.system_account in CONTROL_ACCOUNTS}
    settles = {payment_id: invoice_id for payment_id, invoice_id in await books.session.execute(
        select(Payment.id, Payment.invoice_id).where(Payment.company_id == company_id))}
    settles.update({refund_id: credit_note_id for refund_id, credit_note_id in await books.session.execute(
        select(RefundPayment.id, RefundPayment.credit_note_id).where(
            RefundPayment.company_id == company_id, RefundPayment.credit_note_id.is_not(None)))})
    credits = list(await books.session.execute(
        select(Allocation.id, Allocation.invoice_id, Allocation.amount, Allocation.date, Allocation.is_deleted)
        .where(Allocation.company_id == company_id, Allocation.bank_transaction_id.is_not(None))))
    settles.update({allocation_id: invoice_id for allocation_id, invoice_id, *_ in credits})
    documents: dict[str, list[Line]] = defaultdict(list)
    for journal in journals.values():
        live = journal.reverses is None and journal.reversed_by is None
        if journal.source_type in ACCRUAL_SOURCES and live and journal.source_id:
            documents[journal.source_id].extend(journal.lines)
    out: list[Line] = []
    for journal in journals.values():
        if journal.source_type in ACCRUAL_SOURCES:
            continue
        settled = _settlement(journal, documents.get(settles.get(journal.source_id or "", ""), []), controls)
        out.extend(journal.lines if settled is None else settled)
    posted = {journal.source_id for journal in journals.values()}
    for allocation_id, invoice_id, amount, date, deleted in credits:
        document = documents.get(invoice_id, [])
        control = next((ln for ln in document if ln.account_id in controls), None)
        if deleted or allocation_id in posted or control is None:
            continue
        # The allocation clears the overpayment's balance on the control account; a payment of the same amount
        # would have posted the opposite control line, which rule 2 turns into the invoice's settled share.
        clearing = Line(date=date, account_id=control.account_id, journal_id=f"allocation/{allocation_id}",
                        amount=Decimal(amount).copy_sign(control.amount))
        as_payment = _Journal(date, "ALLOCATION", allocation_id, None, None,
                              [replace(clearing, amount=-clearing.amount)])
        settled = _settlement(as_payment, document, controls)
        if settled is not None:
            out.append(clearing)
            out.extend(settled)
    return out


async def load(books: Books, *, until: dt.date, cash_basis: bool = False) -> list[Line]:
    """The company's journal lines dated on or before ``until``, on accrual or cash basis (module docstring).

    Args:
        books: the request's books (one DB session).
        until: the last date any report column needs.
        cash_basis: ``paymentsOnly``.

    Returns:
        The lines, in posting order.
    """
    journals = await _journals(books)
    if cash_basis:
        lines = await _cash_basis(books, journals)
    else:
        lines = [line for journal in journals.values() for line in journal.lines]
    return [line for line in lines if line.date <= until]


def totals(lines: Iterable[Line], *, end: dt.date, start: dt.date | None = None,
           keep: Callable[[Line], bool] | None = None) -> dict[str, Decimal]:
    """Account id → ``Σ amount`` of the lines dated ``start … end`` (inclusive; ``start`` ``None``: from the
    beginning) that ``keep`` accepts."""
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        if line.date > end or (start is not None and line.date < start):
            continue
        if keep is not None and not keep(line):
            continue
        sums[line.account_id] += line.amount
    return dict(sums)


def same_day_reversals(lines: Iterable[Line]) -> set[str]:
    """Ids of the journals reversed on their own date and of those reversals (a payment deleted or a document
    voided as of its own date: it never moved anything)."""
    lines = list(lines)
    dates = {line.journal_id: line.date for line in lines}
    skip: set[str] = set()
    for line in lines:
        if line.reverses is not None and dates.get(line.reverses) == line.date:
            skip.update((line.journal_id, line.reverses))
    return skip


@dataclass(frozen=True)
class BankMovement:
    """One account's BankSummary figures over a period (``Decimal``, base currency).

    Attributes:
        opening: the balance at the end of the day before the period (debit > 0).
        received: ``Σ`` of the period's journals' net debits on the account (journals reversed on their own date
            and their reversals left out).
        spent: ``Σ`` of their net credits, positive.
    """

    opening: Decimal = ZERO
    received: Decimal = ZERO
    spent: Decimal = ZERO


class Ledger(Protocol):
    """What the reports read (module docstring). Implementations MUST give the figures of the journal lines."""

    async def lines(self, *, start: dt.date | None, end: dt.date) -> list[Line]:
        """Lines dated ``start … end`` (inclusive; ``start`` ``None``: from the beginning): whatever filter on
        account and tracking is applied, their ``Σ amount`` is that of the journal lines it keeps. Aggregated
        lines carry ``end`` as date and no journal."""
        ...

    async def bank(self, accounts: set[str], *, start: dt.date, end: dt.date) -> dict[str, BankMovement]:
        """Account id → :class:`BankMovement` over ``start … end`` for ``accounts`` (those with none missing)."""
        ...


class JournalLines:
    """The reference :class:`Ledger`: the company's journal lines, summed in Python (module docstring)."""

    def __init__(self, lines: list[Line]) -> None:
        self._lines = lines

    @classmethod
    async def load(cls, books: Books, *, until: dt.date, cash_basis: bool = False) -> JournalLines:
        """The journal lines up to ``until`` on accrual or cash basis (:func:`load`)."""
        return cls(await load(books, until=until, cash_basis=cash_basis))

    async def lines(self, *, start: dt.date | None, end: dt.date) -> list[Line]:
        """The lines dated ``start … end`` (:meth:`Ledger.lines`)."""
        return [line for line in self._lines if line.date <= end and (start is None or line.date >= start)]

    async def bank(self, accounts: set[str], *, start: dt.date, end: dt.date) -> dict[str, BankMovement]:
        """BankSummary's figures journal by journal (:meth:`Ledger.bank`)."""
        skip = same_day_reversals(self._lines)
        opening: dict[str, Decimal] = defaultdict(lambda: ZERO)
        per_journal: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
        for line in self._lines:
            if line.account_id not in accounts or line.date > end:
                continue
            if line.date < start:
                opening[line.account_id] += line.amount
            elif line.journal_id not in skip:
                per_journal[(line.account_id, line.journal_id)] += line.amount
        received: dict[str, Decimal] = defaultdict(lambda: ZERO)
        spent: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for (account_id, _), amount in per_journal.items():
            if amount > 0:
                received[account_id] += amount
            else:
                spent[account_id] -= amount
        return {account_id: BankMovement(opening[account_id], received[account_id], spent[account_id])
                for account_id in {*opening, *received, *spent}}
