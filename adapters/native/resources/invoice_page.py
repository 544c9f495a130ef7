"""What an invoice list shows beside each invoice (contact, line items, payments), read as plain rows.

A page of 100 invoices has some 400 child rows; building an ORM object for each (the relationships' ``selectin``
loads) cost more than the rest of the read. The list loads the invoices themselves through the ORM (their credit
allocations still come with them) but with these relationships turned off (:data:`LIST_OPTIONS`: any access
raises, so a translation that needs one fails loudly), and reads the children here with one Core select per kind
and per :data:`CHUNK` invoices, in the relationships' own order. The translation (``translate.invoice``) reads rows
and ORM objects alike by attribute.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload

from ..tables.core import Contact, Invoice, LineItem, Payment

#: Loader options of an invoice list's select: the children come from :func:`load` instead.
LIST_OPTIONS = (raiseload(Invoice.contact), raiseload(Invoice.lines), raiseload(Invoice.payments))

#: Invoices per ``IN (…)`` list (as SQLAlchemy's ``selectin`` loads, well below every database's parameter limit).
CHUNK = 500

_CONTACT_COLUMNS = (Contact.id, Contact.contact_number, Contact.name, Contact.status)  # translate.contact_ref's


@dataclass
class InvoiceChildren:
    """The children of a list's invoices.

    Attributes:
        contacts: contact id → row (``id``, ``contact_number``, ``name``, ``status``).
        lines: invoice id → its line item rows by ``position`` (empty when not loaded).
        payments: invoice id → its payment rows by date then id (empty when not loaded).
    """

    contacts: dict[str, Row[Any]] = field(default_factory=dict)
    lines: dict[str, list[Row[Any]]] = field(default_factory=lambda: defaultdict(list))
    payments: dict[str, list[Row[Any]]] = field(default_factory=lambda: defaultdict(list))


async def load(session: AsyncSession, invoices: Sequence[Invoice], *, lines: bool, payments: bool) -> InvoiceChildren:
    """Read the contacts (always), line items and payments (when asked) of ``invoices``.

    Args:
        invoices: invoice rows selected with :data:`LIST_OPTIONS`.
        lines: load line items (a paged list without ``summaryOnly``).
        payments: load payments (every list but ``summaryOnly``).
    """
    children = InvoiceChildren()
    invoice_ids = [i.id for i in invoices]
    contact_ids = sorted({i.contact_id for i in invoices})
    for chunk in _chunks(contact_ids):
        for row in await session.execute(select(*_CONTACT_COLUMNS).where(Contact.id.in_(chunk))):
            children.contacts[row.id] = row
    for chunk in _chunks(invoice_ids):
        if lines:
            table = LineItem.__table__
            for row in await session.execute(select(table).where(table.c.invoice_id.in_(chunk))
                                             .order_by(table.c.invoice_id, table.c.position)):
                children.lines[row.invoice_id].append(row)
        if payments:
            table = Payment.__table__
            for row in await session.execute(select(table).where(table.c.invoice_id.in_(chunk))
                                             .order_by(table.c.invoice_id, table.c.date, table.c.id)):
                children.payments[row.invoice_id].append(row)
    return children


def _chunks(ids: list[str]) -> list[list[str]]:
    return [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]
