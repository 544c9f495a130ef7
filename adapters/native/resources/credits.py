"""What credit notes, overpayments and prepayments have in common: remaining credit, status, and the ledger
release of a prepayment.

A *credit* is a :class:`~adapters.native.tables.documents.CreditNote` or the
:class:`~adapters.native.tables.documents.BankTransaction` of an overpayment or prepayment. It is reduced by
allocations to invoices (:mod:`adapters.native.resources.allocations`) and by refunds
(:mod:`adapters.native.resources.refunds`):

- ``RemainingCredit`` = ``Total`` − live allocations − live refunds (spec ``CreditNote.RemainingCredit``: "The
  remaining credit balance"); it never goes below zero.
- A credit whose remaining credit reaches zero is ``PAID`` with ``FullyPaidOnDate`` (spec ``CreditNote.Status``
  and ``FullyPaidOnDate``: "Date when credit note was fully paid"); deleting an allocation or a refund reopens it
  (``AUTHORISED``), as deleting a payment reopens an invoice (:mod:`adapters.native.resources.payments`).

Ledger (accrual, as Xero posts these documents):

- Credit notes and overpayments already sit in Accounts Receivable/Payable (a credit note posts Cr AR; a receive
  overpayment posts Dr bank / Cr AR: "Overpayment puts the amount onto the receivables account", Xero community,
  https://community.xero.com/business/discussion/54943054), so allocating them to an invoice of the same contact
  moves nothing between accounts and writes no journal.
- A prepayment is coded to its lines' accounts with VAT ("Prepayment you need to code to income that is being
  received in advance … Using Prepayment takes into account the GST on the income", same thread). When part of
  it is allocated to an invoice (which posts its own income and VAT) or refunded, that part of the prepayment's
  coding is released against Accounts Receivable/Payable or the bank: :func:`prepayment_release` posts the lines'
  and VAT's share back (pro rata of the amount, rounded to the penny, the last penny on the largest line; a fully
  used prepayment releases exactly its postings). Xero's own journal lines for this are unconfirmed; the effect —
  income and VAT counted once, AR settled — is what its reports show.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..books import Books
from ..ledger import doctypes
from ..ledger import posting as ledger
from ..ledger.taxmath import round2
from ..tables.documents import BankTransaction, CreditNote
from . import doclines

ZERO = Decimal("0.00")
Credit = CreditNote | BankTransaction

_LABELS = {"CreditNotes": "credit note", "Overpayments": "overpayment", "Prepayments": "prepayment"}


def kind(credit: Credit) -> doctypes.CreditKind:
    """The credit's kind (side, invoice type, refund payment type…)."""
    return doctypes.credit_kind(credit.credit_type)


def label(credit: Credit) -> str:
    """``"credit note"``, ``"overpayment"`` or ``"prepayment"`` (for messages)."""
    return _LABELS[kind(credit).resource]


def public_id(credit: Credit) -> str:
    """``CreditNoteID``, ``OverpaymentID`` or ``PrepaymentID``."""
    if isinstance(credit, CreditNote):
        return credit.id
    assert credit.credit_id is not None
    return credit.credit_id


def status(credit: Credit) -> str:
    """The credit's own ``Status`` (a credit note's, or the overpayment's/prepayment's)."""
    return credit.status if isinstance(credit, CreditNote) else (credit.credit_status or "")


def _set_status(credit: Credit, value: str) -> None:
    if isinstance(credit, CreditNote):
        credit.status = value
    else:
        credit.credit_status = value


def remaining(credit: Credit) -> Decimal:
    """``RemainingCredit``."""
    return credit.remaining_credit if credit.remaining_credit is not None else ZERO


def is_open(credit: Credit) -> bool:
    """Whether the credit can be allocated or refunded: AUTHORISED with remaining credit."""
    return status(credit) == "AUTHORISED" and remaining(credit) > 0


def in_use(credit: Credit) -> bool:
    """Whether any live allocation or refund uses the credit."""
    return (any(not a.is_deleted for a in credit.allocations)
            or any(r.status == "AUTHORISED" for r in credit.refunds))


def consume(credit: Credit, amount: Decimal, *, on: dt.date, now: dt.datetime) -> None:
    """Take ``amount`` off the remaining credit; a credit fully used becomes PAID on ``on``."""
    credit.remaining_credit = remaining(credit) - amount
    if credit.remaining_credit == 0:
        _set_status(credit, "PAID")
        credit.fully_paid_on = on
    credit.updated_utc = now


def release(credit: Credit, amount: Decimal, *, now: dt.datetime) -> None:
    """Give ``amount`` back to the remaining credit (an allocation or refund was deleted); PAID → AUTHORISED."""
    credit.remaining_credit = remaining(credit) + amount
    if status(credit) == "PAID":
        _set_status(credit, "AUTHORISED")
    credit.fully_paid_on = None
    credit.updated_utc = now


def _split(components: list[ledger.Posting], used: Decimal, total: Decimal) -> list[Decimal]:
    """Each component's share of ``used`` out of ``total`` (2 dp; the rounding difference on the largest)."""
    if total == 0 or used == 0:
        return [ZERO for _ in components]
    shares = [round2(c.amount * used / total) for c in components]
    target = round2(sum((c.amount for c in components), ZERO) * used / total)
    difference = target - sum(shares, ZERO)
    if difference and shares:
        largest = max(range(len(components)), key=lambda i: abs(components[i].amount))
        shares[largest] += difference
    return shares


def prepayment_release(books: Books, prepayment: BankTransaction, *, used_before: Decimal, used_after: Decimal,
                       counter_account_id: str, description: str | None) -> list[ledger.Posting]:
    """The journal that releases the part of a prepayment used between ``used_before`` and ``used_after``.

    Args:
        prepayment: the prepayment's bank transaction (its lines and VAT as posted).
        used_before, used_after: the prepayment's used amount (``Total − RemainingCredit``) before and after the
            allocation or refund (``used_after < used_before`` when one is undone).
        counter_account_id: Accounts Receivable/Payable (an allocation) or the bank account (a refund).

    Returns:
        Balanced postings: the lines' and VAT's share reversed, the counter account taking the amount.
    """
    components = doclines.postings(
        books, lines=prepayment.lines, line_amount_types=prepayment.line_amount_types,
        total_tax=prepayment.total_tax, total=prepayment.total, debit_lines=not _money_in(prepayment),
        counter_account_id=counter_account_id, reference=None)[:-1]
    before = _split(components, used_before, prepayment.total)
    after = _split(components, used_after, prepayment.total)
    tax_before = _split([ledger.Posting(c.account_id, c.tax_amount) for c in components], used_before,
                        prepayment.total)
    tax_after = _split([ledger.Posting(c.account_id, c.tax_amount) for c in components], used_after,
                       prepayment.total)
    out = [ledger.Posting(account_id=c.account_id, amount=-(a - b), description=c.description,
                          tax_type=c.tax_type, tax_amount=-(ta - tb), tracking=c.tracking)
           for c, a, b, ta, tb in zip(components, after, before, tax_after, tax_before, strict=True)]
    out.append(ledger.Posting(account_id=counter_account_id, amount=-sum((p.amount for p in out), ZERO),
                              description=description))
    return out


def _money_in(row: BankTransaction) -> bool:
    entry = doctypes.bank_transaction_type(row.type)
    assert entry is not None
    return entry.money_in
