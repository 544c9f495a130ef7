"""The open foreign-currency invoices and bills of the books as at a date, ready to revalue
(:func:`adapters.native.ledger.revaluation.revalue`; why and how: ``docs/native-unrealised-gains.md``).

As at ``day``, an approved (``AUTHORISED`` or ``PAID``) ``ACCREC``/``ACCPAY`` invoice in a currency other than the
base currency, dated on or before ``day``, is open for what its live payments and allocations dated on or before
``day`` leave unpaid (``AmountDue`` as it was that day). Its booked amount is its control posting less what those
payments and allocations cleared at the invoice's rate (:func:`~adapters.native.ledger.revaluation.booked_left`).

:func:`revaluations` turns them into the report lines of the revaluation as at each report date, at the operator's
rates as at that date (:func:`adapters.native.currency_rates.rates_as_at`): per (type, currency), the control account
(``DEBTORS`` for receivables, ``CREDITORS`` for payables) moves by the gain and the ``UNREALISEDCURRENCYGAIN``
system account by its opposite. The lines are computed for the report's date and never stored: not in the
journals (Xero keeps them out of ``GET /Journals``), not in the stored balances.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import select

from ..books import Books
from ..currency_rates import rate_history, rates_as_at
from ..ledger.revaluation import OpenItem, booked_left, revalue
from ..resources import invoices
from ..tables.core import Invoice
from . import chart
from .balances import Line

APPROVED = ("AUTHORISED", "PAID")
#: The system account of the revaluation's gains and losses (spec ``Account.SystemAccount``).
UNREALISED_ACCOUNT = "UNREALISEDCURRENCYGAIN"
#: The control account an invoice type is revalued on (spec ``Account.SystemAccount``).
CONTROL = {"ACCREC": "DEBTORS", "ACCPAY": "CREDITORS"}


def _settled(invoice: Invoice, day: dt.date) -> list[Decimal]:
    """The invoice's live payments and credit allocations dated on or before ``day`` (its currency)."""
    paid = [p.amount for p in invoice.payments if p.status == "AUTHORISED" and p.date <= day]
    allocated = [a.amount for a in getattr(invoice, "credit_allocations", []) if not a.is_deleted and a.date <= day]
    return paid + allocated


class _Invoices:
    """The approved foreign-currency invoices and bills dated up to a last day (one query), each one's control
    posting computed once, so that several report dates share them."""

    def __init__(self, books: Books, rows: list[Invoice]) -> None:
        self._rows = rows
        self._posted = {row.id: abs(invoices.postings(books, row)[-1].amount) for row in rows}

    @classmethod
    async def load(cls, books: Books, until: dt.date, currencies: Iterable[str] | None = None) -> _Invoices:
        """The invoices dated up to ``until`` (only in ``currencies`` when given)."""
        stmt = (select(Invoice).where(Invoice.company_id == books.company.id, Invoice.type.in_(("ACCREC", "ACCPAY")),
                                      Invoice.status.in_(APPROVED), Invoice.date <= until,
                                      Invoice.currency_code != books.company.base_currency)
                .order_by(Invoice.date, Invoice.id))
        if currencies is not None:
            stmt = stmt.where(Invoice.currency_code.in_(list(currencies)))
        return cls(books, list(await books.session.scalars(stmt)))

    def open_on(self, day: dt.date) -> list[OpenItem]:
        """The open items as at ``day`` (:func:`open_items`)."""
        items = []
        for row in self._rows:
            if row.date > day:
                continue
            settled = _settled(row, day)
            due = row.total - sum(settled, Decimal(0))
            if due <= 0:
                continue
            items.append(OpenItem(type=row.type, currency=row.currency_code, due=due,
                                  booked=booked_left(self._posted[row.id], settled, row.currency_rate)))
        return items


async def open_items(books: Books, day: dt.date) -> list[OpenItem]:
    """Every open foreign-currency invoice and bill as at ``day`` (module docstring), by date then id.

    Returns:
        One :class:`OpenItem` per invoice with something still due (``due`` in its currency, ``booked`` in the base
        currency, both positive).
    """
    return (await _Invoices.load(books, day)).open_on(day)


async def revaluations(books: Books, days: Iterable[dt.date]) -> dict[dt.date, list[Line]]:
    """The revaluation as at each of ``days`` as report lines dated that day (module docstring), debit > 0, base
    currency: one query of the rates and, when there are any, one of the invoices, whatever the number of days.

    Returns:
        Day → two balancing lines per (type, currency) with a gain or loss (the control account's, then Unrealised
        Currency Gains'); none when the company has no rate as at the day, nothing open in a currency with a rate,
        or no ``UNREALISEDCURRENCYGAIN`` account.

    Example: 1,200.00 USD invoiced at 1.25 (960.00 GBP) and open, USD at 1.30 as at ``day`` → Accounts
    Receivable ``-36.92`` and Unrealised Currency Gains ``+36.92`` (a loss).
    """
    wanted = sorted(set(days))
    out: dict[dt.date, list[Line]] = {day: [] for day in wanted}
    gains = chart.system_account(books, UNREALISED_ACCOUNT)
    if not wanted or gains is None:
        return out
    history = await rate_history(books.session, books.company.id, until=wanted[-1])
    if not history:  # the usual case: the invoices are not read at all
        return out
    documents = await _Invoices.load(books, wanted[-1], currencies=history)  # no rate, nothing to revalue
    for day in wanted:
        rates = rates_as_at(history, day)
        for adjustment in revalue(documents.open_on(day), rates) if rates else []:
            control = books.system_account(CONTROL[adjustment.type])
            journal_id = f"revaluation/{day.isoformat()}/{adjustment.type}/{adjustment.currency}"
            out[day].append(Line(date=day, account_id=control.id, amount=adjustment.control, journal_id=journal_id))
            out[day].append(Line(date=day, account_id=gains.id, amount=-adjustment.control, journal_id=journal_id))
    return out


async def revaluation(books: Books, day: dt.date) -> list[Line]:
    """The revaluation as at one ``day`` (:func:`revaluations`)."""
    return (await revaluations(books, [day]))[day]
