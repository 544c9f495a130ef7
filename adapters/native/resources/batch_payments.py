"""Batch payments: one bank line paying many invoices (or many bills) at once.

Rules (spec ``BatchPayment``; https://developer.xero.com/documentation/api/accounting/batchpayments):

- The batch names its bank ``Account`` (by ``AccountID`` or ``Code``; a ``BANK`` account), its ``Date`` and its
  ``Payments``; each payment names an invoice (``Invoice.InvoiceID`` or ``InvoiceNumber``) and an ``Amount``, and is
  made from the batch's account on the batch's date with the batch's ``Reference`` (the payment rules of
  :mod:`adapters.native.resources.payments`: an AUTHORISED invoice, at most its amount due, lock dates). Each
  payment is posted by those rules (Dr bank / Cr receivables, or Dr payables / Cr bank) and carries the batch's
  ``BatchPaymentID``; together they are the batch's one bank line of ``TotalAmount``.
- All the invoices of a batch are sales invoices (``RECBATCH``) or all bills (``PAYBATCH``); credit notes,
  prepayments and overpayments are not paid by batch here.
- ``IsReconciled`` is read only: a new batch is unreconciled, and its payments with it.
- Deleting (``Status`` ``DELETED``, the only change the API allows) deletes every payment of the batch, reversing
  their postings and reopening their invoices; a deleted batch cannot be deleted again.
- ``Reference``, ``Particulars`` and ``Code`` (NZ), ``Details`` (non-NZ) and ``Narrative`` (UK) are kept as given,
  within the spec's lengths.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from gateway.xero import models as xm
from gateway.xero.errors import NotFound, ValidationException, element_with_errors
from gateway.xero.models.batch_payments import BatchPayment

from .. import messages
from ..books import Books
from ..tables.batch_payments import BatchPaymentMember, BatchPaymentRow
from ..tables.core import Payment
from ..translate import core as translate
from ..validation import ElementInvalid, parse_element, text
from . import history, paying, payments, refunds

RESOURCE = "BatchPayments"
BATCH_TYPES = {"ACCREC": "RECBATCH", "ACCPAY": "PAYBATCH"}
BANK_REQUIRED = "A batch payment must be made from a bank account."
PAYMENTS_REQUIRED = "A batch payment must contain at least one payment."
INVOICES_ONLY = "A batch payment can only pay invoices and bills."
ONE_TYPE = "The payments of a batch must be all for sales invoices or all for bills."
DELETE_STATUS = "Batch payments can only be deleted by setting Status to DELETED."
ALREADY_DELETED = "This batch payment has already been deleted."
#: Field → maximum length (spec ``BatchPayment``).
MAX_LENGTHS = {"Reference": 255, "Particulars": 12, "Code": 12, "Narrative": 18}


async def get_by_id(books: Books, batch_id: str) -> BatchPaymentRow | None:
    """A batch of the company by ``BatchPaymentID``, or ``None``."""
    return await books.get(BatchPaymentRow, batch_id)


async def all_rows(books: Books) -> list[BatchPaymentRow]:
    """Every batch of the company (deleted ones too)."""
    return list(await books.session.scalars(select(BatchPaymentRow).where(
        BatchPaymentRow.company_id == books.company.id)))


async def members(books: Books, row: BatchPaymentRow) -> list[Payment]:
    """The batch's payments, in the batch's order."""
    return list(await books.session.scalars(
        select(Payment).join(BatchPaymentMember, BatchPaymentMember.payment_id == Payment.id)
        .where(BatchPaymentMember.batch_payment_id == row.id).order_by(BatchPaymentMember.position)))


async def to_model(books: Books, row: BatchPaymentRow) -> BatchPayment:
    """The stored batch as Xero shows it, with its payments (each with ``BatchPaymentID``)."""
    account = books.accounts[row.account_id]
    paid = []
    for payment in await members(books, row):
        model = translate.payment(payment)
        model.BatchPaymentID = row.id
        paid.append(model)
    return BatchPayment(
        BatchPaymentID=row.id, Account=xm.AccountRef(AccountID=account.id, Code=account.code, Name=account.name),
        Reference=row.reference, Particulars=row.particulars, Code=row.code, Details=row.details,
        Narrative=row.narrative, Date=row.date, Payments=paid, Type=row.type, Status=row.status,
        TotalAmount=row.total_amount, UpdatedDateUTC=row.updated_utc, IsReconciled=row.is_reconciled)


def _payment_element(given: Any, batch: BatchPayment, account_id: str) -> dict[str, Any]:
    """One payment of the batch, made from the batch's account on its date with its reference."""
    element = dict(given) if isinstance(given, dict) else {}
    element.pop("Account", None)
    element.pop("Code", None)
    element.update({"Account": {"AccountID": account_id}, "Date": batch.Date.isoformat() if batch.Date else None})
    reference = text(batch.Reference) or text(batch.Details)
    if reference and not element.get("Reference"):
        element["Reference"] = reference
    return element


async def create(books: Books, element: dict[str, Any]) -> BatchPaymentRow:
    """Validate then create one batch and its payments (posted by the payment rules).

    Raises:
        ElementInvalid: every problem found. Payments may already be written when a later one fails: the caller's
            transaction must roll back (the batch operations are all or nothing).
    """
    batch = parse_element(BatchPayment, element)
    errors: list[str] = []
    account = paying.resolve_account(books, xm.Payment(Account=batch.Account), errors)
    if account is not None and account.type != "BANK":
        errors.append(BANK_REQUIRED)
    if batch.Date is None:
        errors.append(messages.PAYMENT_DATE_REQUIRED)
    for name, limit in MAX_LENGTHS.items():
        value = text(getattr(batch, name))
        if value and len(value) > limit:
            errors.append(messages.FIELD_TOO_LONG.format(field=name, max=limit))
    given = element.get("Payments") if isinstance(element.get("Payments"), list) else []
    if not given:
        errors.append(PAYMENTS_REQUIRED)
    if any(isinstance(p, dict) and refunds.is_refund(p) for p in given):
        errors.append(INVOICES_ONLY)
    if errors:
        raise ElementInvalid(errors)
    assert account is not None and batch.Date is not None
    row = BatchPaymentRow(id=books.new_id("batchpayment"), company_id=books.company.id, account_id=account.id,
                          type="", status="AUTHORISED", date=batch.Date, reference=text(batch.Reference),
                          particulars=text(batch.Particulars), code=text(batch.Code), details=text(batch.Details),
                          narrative=text(batch.Narrative), total_amount=Decimal("0.00"), is_reconciled=False,
                          updated_utc=books.now())
    books.session.add(row)
    await books.session.flush()
    types: set[str] = set()
    for position, one in enumerate(given):
        try:
            payment = await payments.create(books, _payment_element(one, batch, account.id))
        except ElementInvalid as exc:
            errors.extend(exc.messages)
            continue
        assert isinstance(payment, Payment)
        types.add(payment.invoice.type)
        payment.is_reconciled = False
        books.session.add(BatchPaymentMember(payment_id=payment.id, batch_payment_id=row.id, position=position))
        row.total_amount += payment.amount
    if len(types) > 1:
        errors.append(ONE_TYPE)
    if errors:
        raise ElementInvalid(errors)
    row.type = BATCH_TYPES[types.pop()]
    await books.session.flush()
    await history.record(books.session, company_id=books.company.id, resource=RESOURCE, record_id=row.id,
                         changes=history.CREATED,
                         details=f"Batch payment of {history.amount_text(row.total_amount)} from {account.name}.",
                         when=books.now())
    return row


async def delete(books: Books, batch_id: str | None, element: dict[str, Any]) -> BatchPaymentRow:
    """Delete a batch and every payment in it (``Status`` ``DELETED``).

    Raises:
        NotFound: no such batch.
        ValidationException: the body is not a delete, or the batch is already deleted (or a payment's lock date).
    """
    row = await get_by_id(books, batch_id or "")
    if row is None:
        raise NotFound()
    if not isinstance(element, dict) or element.get("Status") != "DELETED":
        raise ValidationException([element_with_errors(element if isinstance(element, dict) else {},
                                                        [DELETE_STATUS])])
    if row.status == "DELETED":
        raise ValidationException([element_with_errors(element, [ALREADY_DELETED])])
    for payment in await members(books, row):
        if payment.status != "DELETED":
            await payments.delete(books, payment.id, {"Status": "DELETED"})
    row.status, row.updated_utc = "DELETED", books.now()
    await books.session.flush()
    await history.record(books.session, company_id=books.company.id, resource=RESOURCE, record_id=row.id,
                         changes=history.DELETED,
                         details=f"Batch payment of {history.amount_text(row.total_amount)} deleted.",
                         when=books.now())
    return row


async def stamp(books: Books, models: list[xm.Payment]) -> list[xm.Payment]:
    """Set ``BatchPaymentID`` on the payments made through a batch ("Present if the payment was created as part of
    a batch", spec ``Payment.BatchPaymentID``); answers ``models``."""
    ids = [m.PaymentID for m in models if m.PaymentID]
    if not ids:
        return models
    rows = await books.session.execute(select(BatchPaymentMember.payment_id, BatchPaymentMember.batch_payment_id)
                                       .where(BatchPaymentMember.payment_id.in_(ids)))
    batches = {payment_id: batch_id for payment_id, batch_id in rows}
    for model in models:
        if model.PaymentID in batches:
            model.BatchPaymentID = batches[model.PaymentID]
    return models
