"""Payments against credits (refunds): a payment made against a credit note, an overpayment or a prepayment.

Rules (https://developer.xero.com/documentation/api/accounting/payments: "Creates multiple payments for invoices
or credit notes", and …/overpayments, …/prepayments: "Refund Overpayments/Prepayments using the Payments
endpoint"; spec ``components.schemas.Payment``):

- ``PUT /Payments`` / ``POST /Payments`` with ``CreditNote`` (``CreditNoteID`` or ``CreditNoteNumber``; or a
  top-level ``CreditNoteNumber``), ``Prepayment`` (``PrepaymentID``) or ``Overpayment`` (``OverpaymentID``) instead
  of ``Invoice``; naming more than one document is refused.
- The credit must be AUTHORISED; the account a BANK account or one with ``EnablePaymentsToAccount`` (the rule of
  invoice payments, :mod:`adapters.native.resources.payments`); ``Date`` required; ``0 < Amount ≤ RemainingCredit`` (the
  payment's message "Payment amount exceeds the amount outstanding on this document").
- ``PaymentType``: ``ARCREDITPAYMENT``/``APCREDITPAYMENT`` (credit notes; spec ``getPayments`` example),
  ``AROVERPAYMENTPAYMENT``/``APOVERPAYMENTPAYMENT``, ``ARPREPAYMENTPAYMENT``/``APPREPAYMENTPAYMENT`` (spec
  ``Payment.PaymentType`` enum); ``Payment.Invoice`` shows the credit with its document type (the spec's
  ``getPayments`` example embeds a credit note refund as ``Invoice`` ``Type: ACCRECCREDIT``).
- Lock dates (:mod:`adapters.native.ledger.lockdates`): a refund dated on or before the lock date can be neither made
nor
  deleted, as an invoice payment.
- Deleting (``POST /Payments/{PaymentID}`` with ``{"Status": "DELETED"}``) reverses the refund's journal and gives
  the amount back to the credit.

Ledger (accrual): a refund of a customer's credit note or overpayment is Dr Accounts Receivable / Cr bank; a
supplier's refund of theirs is Dr bank / Cr Accounts Payable; a prepayment's refund releases the refunded share of
the prepayment's coding against the bank (:func:`adapters.native.resources.credits.prepayment_release`). Journal
``SourceType``: the credit kind's ``refund_journal`` (``mappings/native_documents.toml``).
A refund takes the ``CurrencyRate`` sent (else the credit's; rate 1 in the base currency:
:func:`adapters.native.resources.fx_rates.payment_rate`, the rule of invoice payments). It clears the credit's
control posting at the credit's rate (the refund that uses up a credit note clears all that is left of it), and a
different refund rate books the difference on ``REALISEDCURRENCYGAIN``, as an invoice payment does
(:mod:`adapters.native.ledger.fx`). Overpayments and prepayments are posted at their face amount (rate 1), so a
rate sent for their refund is measured against that.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from gateway.xero.errors import ValidationException, element_with_errors
from gateway.xero.models import documents as xd

from .. import messages
from ..books import Books
from ..ledger import fx, lockdates
from ..ledger import posting as ledger
from ..tables.core import Account
from ..tables.documents import BankTransaction, RefundPayment
from ..validation import ElementInvalid, parse_element, text
from . import bank_transactions, credit_notes, credits, fx_rates, history, paying

ZERO = Decimal("0.00")
_CREDIT_KEYS = ("creditnote", "creditnotenumber", "prepayment", "overpayment")


def is_refund(element: Any) -> bool:
    """Whether a payment element names a credit (``CreditNote``, ``CreditNoteNumber``, ``Prepayment`` or
    ``Overpayment``, matched case-insensitively like every Xero field name)."""
    return isinstance(element, dict) and any(str(k).lower() in _CREDIT_KEYS and v for k, v in element.items())


async def get_by_id(books: Books, payment_id: str) -> RefundPayment | None:
    """A refund of the company by ``PaymentID``, or ``None``."""
    return await books.get(RefundPayment, payment_id)


async def list_rows(books: Books) -> list[RefundPayment]:
    """Every refund of the company (any status)."""
    return list(await books.session.scalars(
        select(RefundPayment).where(RefundPayment.company_id == books.company.id)))


async def _resolve_credit(books: Books, model: xd.Payment, errors: list[str]) -> credits.Credit | None:
    named = [x for x in (model.Invoice, model.InvoiceNumber, model.CreditNote or model.CreditNoteNumber,
                         model.Prepayment, model.Overpayment) if x]
    if len(named) > 1:
        errors.append(messages.PAYMENT_TARGET_AMBIGUOUS)
        return None
    credit: credits.Credit | None = None
    if model.CreditNote is not None or model.CreditNoteNumber:
        ref = model.CreditNote
        credit_note_id = text(ref.CreditNoteID) if ref else None
        number = (text(ref.CreditNoteNumber) if ref else None) or text(model.CreditNoteNumber)
        if credit_note_id:
            credit = await credit_notes.get_by_id(books, credit_note_id)
        elif number:
            credit = await credit_notes.get_by_number(books, number)
        name = "Credit note"
    elif model.Prepayment is not None:
        credit = await bank_transactions.get_credit(books, text(model.Prepayment.PrepaymentID) or "",
                                                    resource="Prepayments")
        name = "Prepayment"
    else:
        assert model.Overpayment is not None
        credit = await bank_transactions.get_credit(books, text(model.Overpayment.OverpaymentID) or "",
                                                    resource="Overpayments")
        name = "Overpayment"
    if credit is None:
        errors.append(messages.CREDIT_NOT_FOUND.format(credit=name))
    elif credits.status(credit) != "AUTHORISED":
        errors.append(messages.PAYMENT_INVOICE_STATUS)
    return credit


def postings(books: Books, credit: credits.Credit, *, account: Account, amount: Decimal, used_before: Decimal,
             used_after: Decimal, reference: str | None, rate: Decimal = fx.ONE,
             cleared: Decimal | None = None) -> list[ledger.Posting]:
    """The balanced journal lines of a refund, in the base currency (deletion reverses the posted journal).

    The money is worth ``amount`` at the refund's ``rate``; it clears the credit's control posting at the credit's
    rate (``cleared``: :func:`adapters.native.resources.credit_notes.credit_cleared`, all that is left when the
    refund uses up the credit), and the difference is a realised gain or loss on ``REALISEDCURRENCYGAIN``
    (:func:`adapters.native.ledger.fx.settlement`, as an invoice payment's). A prepayment's refund releases the
    refunded share of its coding against the bank instead of clearing a control account, the gain adjusting the bank.

    Args:
        amount: the refund, positive, in the credit's currency.
        used_before, used_after: the credit's used amount before and after the refund (prepayments' release).
        rate: the refund's ``CurrencyRate``; cleared: the control amount it clears (``None``: at the credit's rate).
    """
    kind = credits.kind(credit)
    sign = Decimal(1) if kind.side == "AR" else Decimal(-1)  # AR: money goes out to the customer
    bank, cleared, gain = fx.settlement(amount=amount, payment_rate=rate, invoice_rate=credit.currency_rate,
                                        control_left=cleared)
    if isinstance(credit, BankTransaction) and kind.resource == "Prepayments":
        entries = credits.prepayment_release(books, credit, used_before=used_before, used_after=used_after,
                                             counter_account_id=account.id, description=reference)
        if gain:  # the release credited the bank ``cleared`` (money out): it pays out ``bank``
            entries.append(ledger.Posting(account_id=account.id, amount=-sign * gain, description=reference))
    else:
        control = books.system_account(kind.control_system_account)
        entries = [ledger.Posting(account_id=control.id, amount=sign * cleared, description=reference),
                   ledger.Posting(account_id=account.id, amount=-sign * bank, description=reference)]
    if gain:  # money out (AR): paying more than the credit was worth is a loss; money in (AP): a gain
        entries.append(ledger.Posting(account_id=books.system_account("REALISEDCURRENCYGAIN").id,
                                      amount=sign * gain, description=fx.REALISED_GAIN))
    return entries


async def create(books: Books, element: dict[str, Any]) -> RefundPayment:
    """Validate then create one refund, post it and reduce the credit.

    Returns:
        The refund (flushed).

    Raises:
        ElementInvalid: the element is invalid (nothing written).
    """
    model = parse_element(xd.Payment, element)
    errors: list[str] = []
    if model.PaymentID and await get_by_id(books, model.PaymentID):
        raise ElementInvalid([messages.PAYMENT_EXISTS.format(id=model.PaymentID)])
    credit = await _resolve_credit(books, model, errors)
    account = paying.resolve_account(books, model, errors)
    amount = paying.checked_amount(books, model, errors, open_amount=(
        credits.remaining(credit) if credit is not None and credits.status(credit) == "AUTHORISED" else None))
    if errors:
        raise ElementInvalid(errors)
    assert credit is not None and account is not None and model.Date is not None
    kind = credits.kind(credit)
    now = books.now()
    rate = fx_rates.payment_rate(books, model, credit)
    cleared = credit_notes.credit_cleared(books, credit, amount)  # read before the refund joins the credit
    row = RefundPayment(id=books.new_id("payment"), company_id=books.company.id, account=account,
                        account_id=account.id, date=model.Date, amount=amount, currency_rate=rate,
                        reference=text(model.Reference), is_reconciled=bool(model.IsReconciled), status="AUTHORISED",
                        payment_type=kind.refund_payment_type, updated_utc=now)
    if isinstance(credit, BankTransaction):
        row.bank_transaction, row.bank_transaction_id = credit, credit.id
    else:
        row.credit_note, row.credit_note_id = credit, credit.id
    books.session.add(row)
    used_before = credit.total - credits.remaining(credit)
    credits.consume(credit, amount, on=model.Date, now=now)
    await ledger.post(books.session, books.company, date=row.date, source_type=kind.refund_journal,
                      source_id=row.id, postings=postings(books, credit, account=account, amount=amount,
                                                          used_before=used_before, used_after=used_before + amount,
                                                          reference=row.reference, rate=rate, cleared=cleared),
                      new_id=books.new_id, now=now, reference=row.reference)
    await books.session.flush()
    await _record(books, row, credit, history.CREATED)
    return row


async def _record(books: Books, row: RefundPayment, credit: credits.Credit, changes: str) -> None:
    details = (f"Payment of {history.amount_text(row.amount)} on {credits.label(credit)} "
               f"{row.invoice.number or credits.public_id(credit)}.")
    await history.record(books.session, company_id=books.company.id, resource="Payments", record_id=row.id,
                         changes=changes, details=details, when=row.updated_utc)
    await history.record(books.session, company_id=books.company.id, resource=credits.kind(credit).resource,
                         record_id=credits.public_id(credit),
                         changes=history.PAID if credits.status(credit) == "PAID" else history.UPDATED,
                         details=details, when=row.updated_utc)


async def delete(books: Books, row: RefundPayment, element: Any) -> RefundPayment:
    """Delete a refund (``POST /Payments/{PaymentID}`` with ``{"Status": "DELETED"}``): reverse its journal on its
    own date and give the amount back to the credit.

    Raises:
        ValidationException: the body is not ``{"Status": "DELETED"}`` or the refund is already deleted.
    """
    status = element.get("Status") if isinstance(element, dict) else None
    echo = element if isinstance(element, dict) else {}
    if status != "DELETED":
        raise ValidationException([element_with_errors(echo, [messages.PAYMENT_DELETE_STATUS])])
    if row.status == "DELETED":
        raise ValidationException([element_with_errors(echo, [messages.PAYMENT_ALREADY_DELETED])])
    locked = lockdates.violations(books.company, row.date)
    if locked:
        raise ValidationException([element_with_errors(echo, locked)])
    now = books.now()
    await ledger.reverse_source(books.session, books.company, source_id=row.id, date=row.date,
                                new_id=books.new_id, now=now)
    row.status = "DELETED"
    row.updated_utc = now
    credit = row.credit
    credits.release(credit, row.amount, now=now)
    await books.session.flush()
    await _record(books, row, credit, history.DELETED)
    return row
