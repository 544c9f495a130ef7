"""Payments against invoices and bills: create (PUT many / POST one) and delete (POST {"Status":"DELETED"}).

Rules (https://developer.xero.com/documentation/api/accounting/payments; spec ``components.schemas.Payment``):

- The invoice is given by ``Invoice.InvoiceID``, ``Invoice.InvoiceNumber`` or ``InvoiceNumber``; it must be
  AUTHORISED.
- The account by ``Account.AccountID``, ``Account.Code`` or ``Code``; it must be a BANK account or have
  ``EnablePaymentsToAccount``.
- ``Amount`` > 0 and ≤ the invoice's ``AmountDue`` ("Must be less than or equal to the outstanding amount owing
  on the invoice", spec Payment.Amount).
- Posting: ACCRECPAYMENT Dr bank / Cr Accounts Receivable; ACCPAYPAYMENT Dr Accounts Payable / Cr bank.
- A payment against a credit note, prepayment or overpayment (a refund) is handled by
:mod:`adapters.native.resources.refunds`.
- An invoice whose ``AmountDue`` reaches 0 becomes PAID with ``FullyPaidOnDate``; deleting a payment reverses
  its journal and reopens the invoice (AUTHORISED).
- Lock dates (:mod:`adapters.native.ledger.lockdates`): a payment dated on or before the organisation's lock date can be
  neither made nor deleted (an invoice of a locked period may still be paid after the lock date).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from gateway.xero import models as xm
from gateway.xero.errors import NotFound, ValidationException, element_with_errors
from gateway.xero.guids import normalise_guid

from .. import messages
from ..books import Books
from ..ledger import fx, lockdates
from ..ledger import posting as ledger
from ..tables.core import Account, Invoice, Payment
from ..tables.documents import Allocation, RefundPayment
from ..validation import ElementInvalid, parse_element, text
from . import fx_rates, history, invoices, paying, refunds

PAYMENT_TYPES = {"ACCREC": "ACCRECPAYMENT", "ACCPAY": "ACCPAYPAYMENT"}
ZERO = Decimal("0.00")


async def get_by_id(books: Books, payment_id: str) -> Payment | RefundPayment | None:
    """A payment of the company by ``PaymentID`` — an invoice payment or a refund of a credit
    (:mod:`adapters.native.resources.refunds`; both render with :func:`adapters.native.translate.core.payment`) — or
    ``None``."""
    guid = normalise_guid(payment_id)
    row = await books.session.get(Payment, guid) if guid else None
    if row is None:
        return await refunds.get_by_id(books, payment_id)
    return row if row.company_id == books.company.id else None


async def _resolve_invoice(books: Books, model: xm.Payment, errors: list[str]) -> Invoice | None:
    ref = model.Invoice
    invoice_id = text(ref.InvoiceID) if ref else None
    number = (text(ref.InvoiceNumber) if ref else None) or text(model.InvoiceNumber)
    if invoice_id:
        row = await invoices.get_by_id(books, invoice_id)
    elif number:
        row = await invoices.get_by_number(books, number)
    else:
        errors.append(messages.PAYMENT_INVOICE_REQUIRED)
        return None
    if row is None:
        errors.append(messages.PAYMENT_INVOICE_NOT_FOUND)
    elif row.status != "AUTHORISED":
        errors.append(messages.PAYMENT_INVOICE_STATUS)
    return row


def postings(books: Books, *, invoice: Invoice, account: Account, amount: Decimal, rate: Decimal = fx.ONE,
             settled_after: list[Decimal] | None = None) -> list[ledger.Posting]:
    """The balanced journal lines of a payment (see module docstring), in the base currency.

    A payment of a foreign-currency invoice (:mod:`adapters.native.ledger.fx`) is worth ``amount / rate`` in the
    bank; it clears the invoice's control line at the invoice's rate (all that is left of it when it settles the
    invoice) and posts the difference to the ``REALISEDCURRENCYGAIN`` system account.

    Args:
        amount: the payment in the invoice's currency (positive).
        rate: the payment's ``CurrencyRate``.
        settled_after: when this payment settles the invoice, the amounts of what settled it before: its live
            payments and allocated credit (:func:`cleared_before`; the invoice's currency); ``None`` for a part
            payment.
    """
    bank, cleared, gain = amount, amount, fx.ZERO
    if rate != fx.ONE or invoice.currency_rate != fx.ONE:
        left = None
        if settled_after is not None:
            posted = abs(invoices.postings(books, invoice)[-1].amount)
            left = posted - sum((fx.to_base(a, invoice.currency_rate) for a in settled_after), fx.ZERO)
        bank, cleared, gain = fx.settlement(amount=amount, payment_rate=rate, invoice_rate=invoice.currency_rate,
                                            control_left=left)
    receivable = invoice.type == "ACCREC"
    gains = [ledger.Posting(account_id=books.system_account("REALISEDCURRENCYGAIN").id,
                            amount=-gain if receivable else gain, description=fx.REALISED_GAIN)] if gain else []
    if receivable:
        control = books.system_account("DEBTORS")
        return [ledger.Posting(account_id=account.id, amount=bank, description=invoice.number),
                ledger.Posting(account_id=control.id, amount=-cleared, description=invoice.number), *gains]
    control = books.system_account("CREDITORS")
    return [ledger.Posting(account_id=control.id, amount=cleared, description=invoice.number),
            ledger.Posting(account_id=account.id, amount=-bank, description=invoice.number), *gains]


async def cleared_before(books: Books, invoice: Invoice) -> list[Decimal]:
    """The amounts (the invoice's currency) of the invoice's live payments and live allocations of credit: what
    has cleared its control line so far, each at the invoice's rate (:mod:`adapters.native.ledger.fx`)."""
    allocated = await books.session.scalars(select(Allocation.amount).where(
        Allocation.invoice_id == invoice.id, Allocation.is_deleted.is_(False)))
    return [p.amount for p in invoice.payments if p.status == "AUTHORISED"] + list(allocated)


async def invoice_cleared(books: Books, invoice: Invoice, amount: Decimal) -> Decimal:
    """The base amount of the invoice's control line that settling ``amount`` of it clears (a payment's or an
    allocation's, read before it is written): ``amount`` at the invoice's rate, or, when it settles the invoice,
    all that its earlier payments and allocations left, so that a settled invoice holds nothing on the control
    account."""
    rate = invoice.currency_rate
    if amount != invoice.amount_due or rate == fx.ONE:
        return fx.to_base(amount, rate)
    posted = abs(invoices.postings(books, invoice)[-1].amount)
    return posted - sum((fx.to_base(a, rate) for a in await cleared_before(books, invoice)), fx.ZERO)


async def create(books: Books, element: dict[str, Any]) -> Payment | RefundPayment:
    """Validate then create one payment, post it and settle the invoice; a payment naming a credit note,
    prepayment or overpayment is a refund (:func:`adapters.native.resources.refunds.create`).

    Returns:
        The payment row (flushed).

    Raises:
        ElementInvalid: the element is invalid (nothing written).
    """
    if refunds.is_refund(element):
        return await refunds.create(books, element)
    model = parse_element(xm.Payment, element)
    errors: list[str] = []
    if model.PaymentID and await get_by_id(books, model.PaymentID):
        raise ElementInvalid([messages.PAYMENT_EXISTS.format(id=model.PaymentID)])
    invoice = await _resolve_invoice(books, model, errors)
    account = paying.resolve_account(books, model, errors)
    amount = paying.checked_amount(books, model, errors, open_amount=(
        invoice.amount_due if invoice is not None and invoice.status == "AUTHORISED" else None))
    rate = fx_rates.payment_rate(books, model, invoice)
    if errors:
        raise ElementInvalid(errors)
    assert invoice is not None and account is not None and model.Date is not None
    now = books.now()
    foreign = rate != fx.ONE or invoice.currency_rate != fx.ONE
    earlier = await cleared_before(books, invoice) if foreign and amount == invoice.amount_due else None
    payment = Payment(id=books.new_id("payment"), company_id=books.company.id, invoice=invoice,
                      invoice_id=invoice.id, account=account, account_id=account.id, date=model.Date,
                      amount=amount, currency_rate=rate, reference=text(model.Reference),
                      is_reconciled=bool(model.IsReconciled), status="AUTHORISED",
                      payment_type=PAYMENT_TYPES[invoice.type], updated_utc=now)
    books.session.add(payment)
    invoice.amount_paid += amount
    invoice.amount_due -= amount
    if invoice.amount_due == 0:
        invoice.status = "PAID"
        invoice.fully_paid_on = max(p.date for p in invoice.payments if p.status == "AUTHORISED")
    invoice.updated_utc = now
    await ledger.post(books.session, books.company, date=payment.date, source_type=payment.payment_type,
                      source_id=payment.id, postings=postings(
                          books, invoice=invoice, account=account, amount=amount, rate=rate,
                          settled_after=earlier),
                      new_id=books.new_id, now=now, reference=payment.reference)
    await books.session.flush()
    details = _history_details(payment)
    await history.record(books.session, company_id=books.company.id, resource="Payments", record_id=payment.id,
                         changes=history.CREATED, details=details, when=now)
    if invoice.status == "PAID":
        await history.record(books.session, company_id=books.company.id, resource="Invoices",
                             record_id=invoice.id, changes=history.PAID, details=details, when=now)
    return payment


async def delete(books: Books, payment_id: str, element: dict[str, Any]) -> Payment | RefundPayment:
    """Delete a payment (``POST /Payments/{PaymentID}`` with ``{"Status": "DELETED"}``).

    Reverses the payment's journal on its own date and reopens the invoice (PAID → AUTHORISED).

    Raises:
        NotFound: unknown payment.
        ValidationException: the body is not ``{"Status": "DELETED"}`` or the payment is already deleted.
    """
    refund = await refunds.get_by_id(books, payment_id)
    if refund is not None:
        return await refunds.delete(books, refund, element)
    payment = await get_by_id(books, payment_id)
    if payment is None:
        raise NotFound()
    status = element.get("Status") if isinstance(element, dict) else None
    if status != "DELETED":
        raise ValidationException([element_with_errors(element if isinstance(element, dict) else {},
                                                        [messages.PAYMENT_DELETE_STATUS])])
    if payment.status == "DELETED":
        raise ValidationException([element_with_errors(element, [messages.PAYMENT_ALREADY_DELETED])])
    locked = lockdates.violations(books.company, payment.date)
    if locked:
        raise ValidationException([element_with_errors(element, locked)])
    now = books.now()
    await ledger.reverse_source(books.session, books.company, source_id=payment.id, date=payment.date,
                                new_id=books.new_id, now=now)
    payment.status = "DELETED"
    payment.updated_utc = now
    invoice = payment.invoice
    invoice.amount_paid -= payment.amount
    invoice.amount_due += payment.amount
    if invoice.status == "PAID":
        invoice.status = "AUTHORISED"
    invoice.fully_paid_on = None
    invoice.updated_utc = now
    await books.session.flush()
    await history.record(books.session, company_id=books.company.id, resource="Payments", record_id=payment.id,
                         changes=history.DELETED, details=_history_details(payment), when=now)
    return payment


def _history_details(payment: Payment) -> str:
    """``"Payment of 100.00 on INV-0001 (City Limousines)."`` (history details; wording unconfirmed)."""
    invoice = payment.invoice
    number = invoice.number or invoice.reference or invoice.id
    return f"Payment of {history.amount_text(payment.amount)} on {number} ({invoice.contact.name})."
