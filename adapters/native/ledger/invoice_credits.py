"""What credit an invoice has received: ``AmountCredited`` and its ``CreditNotes``/``Prepayments``/``Overpayments``
arrays (pure functions over an invoice row and its ``credit_allocations`` backref,
:class:`adapters.native.tables.documents.Allocation`).

Spec ``Invoice.AmountCredited``: "Sum of all credit notes, over-payments and pre-payments applied to invoice";
``Invoice.CreditNotes``: "Details of credit notes that have been applied to an invoice"; ``Invoice.Prepayments``,
``Invoice.Overpayments``. Each element carries the credit's id, number (credit notes), ``Date``, ``Total`` and the
``AppliedAmount`` it contributed (spec ``CreditNote.AppliedAmount``: "The amount of applied to an invoice"); which
of a credit's fields Xero puts in these arrays is unconfirmed, so only those are shown.

``Invoice.amount_paid`` holds payments *and* allocated credit (see :mod:`adapters.native.resources.allocations`):
``AmountPaid`` is ``amount_paid − AmountCredited``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gateway.xero.models import documents as xd

from .taxmath import round2

ZERO = Decimal("0.00")


@dataclass
class InvoiceCredits:
    """The credit applied to one invoice."""

    amount: Decimal = ZERO
    credit_notes: list[xd.CreditNote] = field(default_factory=list)
    prepayments: list[xd.Prepayment] = field(default_factory=list)
    overpayments: list[xd.Overpayment] = field(default_factory=list)


def of(invoice: Any) -> InvoiceCredits:
    """The live allocations of ``invoice`` (an :class:`adapters.native.tables.core.Invoice` row), summed and listed in
    allocation order.

    Reads the ``credit_allocations`` collection only when it is loaded (eagerly, with the invoice): a row created in
    this session and never loaded has no allocations, and an async session cannot lazy-load.
    """
    out = InvoiceCredits()
    for allocation in vars(invoice).get("credit_allocations") or []:
        if allocation.is_deleted:
            continue
        amount = round2(allocation.amount)
        out.amount += amount
        note = allocation.credit_note
        if note is not None:
            out.credit_notes.append(xd.CreditNote(
                CreditNoteID=note.id, CreditNoteNumber=note.number or "", Date=allocation.date,
                Total=round2(note.total), AppliedAmount=amount))
            continue
        tx = allocation.bank_transaction
        if tx.type.endswith("PREPAYMENT"):
            out.prepayments.append(xd.Prepayment(PrepaymentID=tx.credit_id, Date=allocation.date,
                                                 Total=round2(tx.total), AppliedAmount=amount))
        else:
            out.overpayments.append(xd.Overpayment(OverpaymentID=tx.credit_id, Date=allocation.date,
                                                   Total=round2(tx.total), AppliedAmount=amount))
    return out
