"""Allocations: applying part of a credit note, overpayment or prepayment to an invoice, and undoing it.

Rules (spec ``components.schemas.Allocation`` and the ``…/Allocations`` operations; Xero's credit note,
overpayment and prepayment pages, https://developer.xero.com/documentation/api/accounting/overpayments: "Allows you
to allocate overpayments to outstanding invoices"; the checks below not quoted from Xero are this ledger's,
worded in :mod:`adapters.native.messages` and marked unconfirmed there):

- ``Invoice`` (by ``InvoiceID`` or ``InvoiceNumber``), ``Amount`` and ``Date`` are required (spec
  ``Allocation.required``).
- The credit must be AUTHORISED with remaining credit; the invoice AUTHORISED with an amount due, of the credit's
  side (customer credits to ``ACCREC`` invoices, supplier credits to ``ACCPAY`` bills), for the same contact and in
  the same currency.
- ``0 < Amount ≤ RemainingCredit`` and ``Amount ≤`` the invoice's ``AmountDue``. Both balances fall by the amount;
  either reaching zero makes its document PAID (:mod:`adapters.native.resources.credits`).
- ``DELETE …/Allocations/{AllocationID}`` undoes an allocation: both balances are restored and the answer is the
  allocation with ``IsDeleted: true`` (spec ``deleteCreditNoteAllocations`` response).

Lock dates (:mod:`adapters.native.ledger.lockdates`): an allocation dated on or before the lock date can be neither made
nor deleted.

Bookkeeping of the invoice: ``Invoice.amount_paid`` holds everything that settled the invoice — payments *and*
allocated credit — so that ``AmountDue = Total − amount_paid`` and the invoice module's rules for a settled invoice
(no voiding, no change of amounts; :data:`adapters.native.messages.INVOICE_VOID_PAYMENTS` already names "a payment
or credit note allocated to it") cover allocations too. The canonical invoice splits it back: ``AmountCredited``
is the live allocations' sum and ``AmountPaid = amount_paid − AmountCredited`` (spec ``Invoice.AmountCredited``:
"Sum of all credit notes, over-payments and pre-payments applied to invoice";
:mod:`adapters.native.ledger.invoice_credits`).

Ledger: a prepayment allocation posts its release (:func:`adapters.native.resources.credits.prepayment_release`)
with the prepayment's journal ``SourceType`` (``ARPREPAYMENT``/``APPREPAYMENT``) and the allocation as ``SourceID``.
A credit and an invoice at different rates (``CurrencyRate``) clear different base amounts of the control account; the
difference is a realised currency gain or loss (:func:`adapters.native.ledger.fx.offset`), posted between the
control account and ``REALISEDCURRENCYGAIN`` on the allocation's date, with the allocation as ``SourceID`` and
the credit's own journal ``SourceType`` (``ACCRECCREDIT``/``ACCPAYCREDIT``, ``AROVERPAYMENT``…: the spec's
``Journal.SourceType`` enum has no allocation type), inside the prepayment's release journal for a prepayment.
Otherwise (both at rate 1, or the same base amounts) credit notes and overpayments post nothing on allocation.
Deleting the allocation reverses its journal on the allocation's date.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.guids import normalise_guid
from gateway.xero.models import documents as xd

from .. import messages
from ..books import Books
from ..ledger import doctypes, fx, lockdates
from ..ledger import posting as ledger
from ..ledger.taxmath import round2
from ..tables.core import Invoice
from ..tables.documents import Allocation, BankTransaction, CreditNote
from ..validation import ElementInvalid, parse_element, text
from . import credit_notes, credits, history, invoices, payments

ZERO = Decimal("0.00")


async def _resolve_invoice(books: Books, ref: Any, errors: list[str]) -> Invoice | None:
    invoice_id = text(ref.InvoiceID) if ref is not None else None
    number = text(ref.InvoiceNumber) if ref is not None else None
    if invoice_id:
        row = await invoices.get_by_id(books, invoice_id)
    elif number:
        row = await invoices.get_by_number(books, number)
    else:
        errors.append(messages.ALLOCATION_INVOICE_REQUIRED)
        return None
    if row is None:
        errors.append(messages.INVOICE_NOT_FOUND)
    return row


async def _settled_on(books: Books, invoice: Invoice, allocation: Allocation) -> Any:
    """The day an invoice became fully settled: its last live payment or allocation."""
    dates = [p.date for p in invoice.payments if p.status == "AUTHORISED"]
    dates += list(await books.session.scalars(select(Allocation.date).where(
        Allocation.invoice_id == invoice.id, Allocation.is_deleted.is_(False))))
    dates.append(allocation.date)
    return max(dates)


async def _settle(books: Books, invoice: Invoice, allocation: Allocation, now: Any) -> None:
    invoice.amount_paid += allocation.amount
    invoice.amount_due -= allocation.amount
    if invoice.amount_due == 0:
        invoice.status = "PAID"
        invoice.fully_paid_on = await _settled_on(books, invoice, allocation)
    invoice.updated_utc = now


def _unsettle(invoice: Invoice, amount: Decimal, now: Any) -> None:
    invoice.amount_paid -= amount
    invoice.amount_due += amount
    if invoice.status == "PAID":
        invoice.status = "AUTHORISED"
    invoice.fully_paid_on = None
    invoice.updated_utc = now


def _is_prepayment(credit: credits.Credit) -> bool:
    return isinstance(credit, BankTransaction) and credits.kind(credit).resource == "Prepayments"


async def create(books: Books, credit: credits.Credit, element: dict[str, Any]) -> Allocation:
    """Validate then write one allocation of ``credit`` to an invoice.

    Args:
        credit: the credit note, or the overpayment's/prepayment's bank transaction.
        element: the request element (``Invoice``, ``Amount``, ``Date``).

    Returns:
        The allocation (flushed).

    Raises:
        ElementInvalid: the element is invalid (nothing written).
    """
    model = parse_element(xd.Allocation, element)
    errors: list[str] = []
    kind, name = credits.kind(credit), credits.label(credit)
    if not credits.is_open(credit):
        errors.append(messages.ALLOCATION_CREDIT_STATUS.format(credit=name))
    invoice = await _resolve_invoice(books, model.Invoice, errors)
    if invoice is not None:
        if invoice.type != kind.invoice_type:
            errors.append(messages.ALLOCATION_INVOICE_TYPE.format(credit=name, type=kind.invoice_type))
        if invoice.status != "AUTHORISED" or invoice.amount_due <= 0:
            errors.append(messages.ALLOCATION_INVOICE_STATUS)
        if invoice.contact_id != credit.contact_id:
            errors.append(messages.ALLOCATION_CONTACT.format(credit=name))
        if invoice.currency_code != credit.currency_code:
            errors.append(messages.ALLOCATION_CURRENCY.format(credit=name))
    amount = round2(model.Amount) if model.Amount is not None else ZERO
    if amount <= 0:
        errors.append(messages.ALLOCATION_AMOUNT_POSITIVE)
    else:
        if credits.is_open(credit) and amount > credits.remaining(credit):
            errors.append(messages.ALLOCATION_EXCEEDS_CREDIT.format(amount=amount,
                                                                    remaining=round2(credits.remaining(credit))))
        if invoice is not None and invoice.status == "AUTHORISED" and amount > invoice.amount_due:
            errors.append(messages.ALLOCATION_EXCEEDS_DUE.format(amount=amount, due=round2(invoice.amount_due)))
    if model.Date is None:
        errors.append(messages.ALLOCATION_DATE_REQUIRED)
    errors.extend(lockdates.violations(books.company, model.Date))
    if errors:
        raise ElementInvalid(errors)
    assert invoice is not None and model.Date is not None
    now = books.now()
    used_before = credit.total - credits.remaining(credit)
    gain = await _gain(books, credit, invoice, amount)  # read before the allocation joins either document
    row = Allocation(id=books.new_id("allocation"), company_id=books.company.id, invoice=invoice,
                     invoice_id=invoice.id, amount=amount, date=model.Date, is_deleted=False, updated_utc=now)
    if isinstance(credit, BankTransaction):
        row.bank_transaction, row.bank_transaction_id = credit, credit.id
    else:
        row.credit_note, row.credit_note_id = credit, credit.id
    books.session.add(row)
    credits.consume(credit, amount, on=model.Date, now=now)
    await _settle(books, invoice, row, now)
    control = books.system_account(kind.control_system_account)
    entries = fx.gain_postings(gain, receivable=kind.side == "AR", control_id=control.id,
                               gain_id=books.system_account("REALISEDCURRENCYGAIN").id, description=invoice.number)
    if _is_prepayment(credit):
        assert isinstance(credit, BankTransaction)
        entries = credits.prepayment_release(books, credit, used_before=used_before, used_after=used_before + amount,
                                             counter_account_id=control.id, description=invoice.number) + entries
    if entries:
        await ledger.post(books.session, books.company, date=row.date, source_type=_journal_type(credit),
                          source_id=row.id, postings=entries, new_id=books.new_id, now=now,
                          reference=invoice.number)
    await books.session.flush()
    await _record(books, credit, invoice, amount, now)
    return row


async def _gain(books: Books, credit: credits.Credit, invoice: Invoice, amount: Decimal) -> Decimal:
    """The realised gain (loss, for a supplier's credit) of allocating ``amount`` of ``credit`` to ``invoice``
    (:func:`adapters.native.ledger.fx.offset`); nothing is read when both are at rate 1."""
    if credit.currency_rate == fx.ONE and invoice.currency_rate == fx.ONE:
        return ZERO
    return fx.offset(amount=amount, credit_rate=credit.currency_rate, invoice_rate=invoice.currency_rate,
                     credit_left=credit_notes.credit_cleared(books, credit, amount),
                     invoice_left=await payments.invoice_cleared(books, invoice, amount))[2]


def _journal_type(credit: credits.Credit) -> str:
    """The journal ``SourceType`` of an allocation's posting: the credit's own (a credit note's ``Type``; an
    overpayment's or prepayment's bank transaction's, e.g. ``ARPREPAYMENT``), the spec's ``Journal.SourceType``
    enum having none for allocations."""
    if isinstance(credit, CreditNote):
        return credit.type
    entry = doctypes.bank_transaction_type(credit.type)
    assert entry is not None
    return entry.journal


async def _record(books: Books, credit: credits.Credit, invoice: Invoice, amount: Decimal, now: Any) -> None:
    text_amount = history.amount_text(amount)
    await history.record(books.session, company_id=books.company.id, resource=credits.kind(credit).resource,
                         record_id=credits.public_id(credit), changes=history.CREDIT_APPLIED,
                         details=f"{text_amount} allocated to {invoice.number or invoice.id}.", when=now)
    await history.record(books.session, company_id=books.company.id, resource="Invoices", record_id=invoice.id,
                         changes=history.CREDIT_APPLIED,
                         details=f"{text_amount} credit applied from {credits.label(credit)}.", when=now)


async def delete(books: Books, credit: credits.Credit, allocation_id: str) -> Allocation:
    """Delete one allocation of ``credit`` (restores both balances; reverses a prepayment's release).

    Returns:
        The allocation, ``is_deleted`` set (flushed).

    Raises:
        NotFound: no live allocation of this credit has that id (a deleted one is gone, as in Xero).
        ValidationException: the allocation is dated on or before the lock date.
    """
    guid = normalise_guid(allocation_id) or ""
    row = next((a for a in credit.allocations if a.id == guid and not a.is_deleted), None)
    if row is None:
        raise NotFound()
    locked = lockdates.violations(books.company, row.date)
    if locked:
        raise ValidationException.single(locked[0], {"AllocationID": row.id})
    now = books.now()
    row.is_deleted = True
    row.updated_utc = now
    credits.release(credit, row.amount, now=now)
    _unsettle(row.invoice, row.amount, now)
    await ledger.reverse_source(books.session, books.company, source_id=row.id, date=row.date,
                                new_id=books.new_id, now=now)
    await books.session.flush()
    await history.record(books.session, company_id=books.company.id, resource=credits.kind(credit).resource,
                         record_id=credits.public_id(credit), changes=history.DELETED,
                         details=f"Allocation of {history.amount_text(row.amount)} to "
                                 f"{row.invoice.number or row.invoice.id} deleted.", when=now)
    return row


def live(rows: list[Allocation]) -> list[Allocation]:
    """The allocations not deleted."""
    return [a for a in rows if not a.is_deleted]
