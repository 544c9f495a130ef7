"""The open foreign-currency invoices and bills of the books as at a date, ready to revalue
(:func:`adapters.native.ledger.revaluation.revalue`; why and how: ``docs/native-unrealised-gains.md``).

As at ``day``, an approved (``AUTHORISED`` or ``PAID``) ``ACCREC``/``ACCPAY`` invoice in a currency other than the
base currency, dated on or before ``day``, is open for what its live payments and allocations dated on or before
``day`` leave unpaid (``AmountDue`` as it was that day). Its booked amount is its control posting less what those
payments and allocations cleared at the invoice's rate (:func:`~adapters.native.ledger.revaluation.booked_left`).

:func:`revaluation` turns them into the report lines of the revaluation as at ``day``, at the operator's rates as
at ``day`` (:func:`adapters.native.currency_rates.rates_on`): per (type, currency), the control account
(``DEBTORS`` for receivables, ``CREDITORS`` for payables) moves by the gain and the ``UNREALISEDCURRENCYGAIN``
system account by its opposite. The lines are computed for the report's date and never stored: not in the
journals (Xero keeps them out of ``GET /Journals``), not in the stored balances.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from ..books import Books
from ..currency_rates import rates_on
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


async def open_items(books: Books, day: dt.date) -> list[OpenItem]:
    """Every open foreign-currency invoice and bill as at ``day`` (module docstring), by date then id.

    Returns:
        One :class:`OpenItem` per invoice with something still due (``due`` in its currency, ``booked`` in the base
        currency, both positive).
    """
    rows = await books.session.scalars(
        select(Invoice).where(Invoice.company_id == books.company.id, Invoice.type.in_(("ACCREC", "ACCPAY")),
                              Invoice.status.in_(APPROVED), Invoice.date <= day,
                              Invoice.currency_code != books.company.base_currency)
        .order_by(Invoice.date, Invoice.id))
    items = []
    for row in rows:
        settled = _settled(row, day)
        due = row.total - sum(settled, Decimal(0))
        if due <= 0:
            continue
        posted = abs(invoices.postings(books, row)[-1].amount)
        items.append(OpenItem(type=row.type, currency=row.currency_code, due=due,
                              booked=booked_left(posted, settled, row.currency_rate)))
    return items


async def revaluation(books: Books, day: dt.date) -> list[Line]:
    """The revaluation as at ``day`` as report lines dated ``day`` (module docstring), debit > 0, base currency.

    Returns:
        Two balancing lines per (type, currency) with a gain or loss (the control account's, then Unrealised
        Currency Gains'); none when the company has no rate as at ``day``, nothing open in a currency with a rate,
        or no ``UNREALISEDCURRENCYGAIN`` account.

    Example: 1,200.00 USD invoiced at 1.25 (960.00 GBP) and open, USD at 1.30 as at ``day`` → Accounts
    Receivable ``-36.92`` and Unrealised Currency Gains ``+36.92`` (a loss).
    """
    gains = chart.system_account(books, UNREALISED_ACCOUNT)
    if gains is None:
        return []
    rates = await rates_on(books.session, books.company.id, day)
    if not rates:  # the usual case: no query of the open items at all
        return []
    lines = []
    for adjustment in revalue(await open_items(books, day), rates):
        control = books.system_account(CONTROL[adjustment.type])
        journal_id = f"revaluation/{day.isoformat()}/{adjustment.type}/{adjustment.currency}"
        lines.append(Line(date=day, account_id=control.id, amount=adjustment.control, journal_id=journal_id))
        lines.append(Line(date=day, account_id=gains.id, amount=-adjustment.control, journal_id=journal_id))
    return lines
