"""The open foreign-currency invoices and bills of the books as at a date, ready to revalue
(:func:`adapters.native.ledger.revaluation.revalue`; why and how: ``docs/native-unrealised-gains.md``).

As at ``day``, an approved (``AUTHORISED`` or ``PAID``) ``ACCREC``/``ACCPAY`` invoice in a currency other than the
base currency, dated on or before ``day``, is open for what its live payments and allocations dated on or before
``day`` leave unpaid (``AmountDue`` as it was that day). Its booked amount is its control posting less what those
payments and allocations cleared at the invoice's rate (:func:`~adapters.native.ledger.revaluation.booked_left`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from ..books import Books
from ..ledger.revaluation import OpenItem, booked_left
from ..resources import invoices
from ..tables.core import Invoice

APPROVED = ("AUTHORISED", "PAID")


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
