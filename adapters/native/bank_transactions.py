"""Bank transactions (spend and receive money), and the overpayments and prepayments they create.

Rules (https://developer.xero.com/documentation/api/accounting/banktransactions; spec
``components.schemas.BankTransaction`` and the ``/BankTransactions`` operations):

- ``Type``, ``LineItems`` and ``BankAccount`` are required (spec ``BankTransaction.required``), and a ``Contact``
  (a Contact element naming none of its identifiers answers the spec example's message "The Contact must contain
  at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber").
  ``BankAccount`` by ``AccountID`` or ``Code``: an active BANK account.
- Types (``mappings/native_documents.toml``): ``RECEIVE``/``SPEND`` money; ``RECEIVE-OVERPAYMENT``/
  ``SPEND-OVERPAYMENT`` create an Overpayment and ``RECEIVE-PREPAYMENT``/``SPEND-PREPAYMENT`` a Prepayment
  ("Create Overpayments using the BankTransactions endpoint", https://developer.xero.com/documentation/api/
  accounting/overpayments; the same for prepayments), whose id the transaction returns as ``OverpaymentID``/
  ``PrepaymentID``; ``RECEIVE-TRANSFER``/``SPEND-TRANSFER`` are the two sides of a BankTransfer
  (:mod:`adapters.native.bank_transfers`) and are read-only here.
- Status: AUTHORISED on creation; setting ``DELETED`` deletes (the statuses a client may set are AUTHORISED and
  DELETED, https://github.com/waynerobinson/xeroizer/pull/183 citing Xero's docs). Deleted transactions cannot
  be modified.
- Lines as :mod:`adapters.native.doclines`; every line needs an account; the total must not be negative.
- An overpayment has one line, coded automatically to Accounts Receivable (receive) or Payable (spend) with no
  tax ("Overpayments can only have a single line item. The line item will be automatically coded to either the
  Accounts Receivable (receive) or Accounts Payable (spend) control account … always set to no tax",
  https://support.databuzz.com.au/article/246, unconfirmed); a prepayment's lines are coded to their accounts with
  tax (Xero community, https://community.xero.com/business/discussion/54943054). Their totals must be positive.
  A receive prepayment takes the next invoice number (spec ``Prepayment.InvoiceNumber``: "Returns Invoice number
  for prepayment receive document only"; example ``INV-0011``).
- An overpayment or prepayment cannot be edited ("The Xero API does not currently support updates to an existing
  Overpayment", same databuzz article); it can be deleted while nothing is allocated to or refunded from it, which
  voids the credit (``Overpayment.Status``/``Prepayment.Status`` have ``VOIDED``, no ``DELETED``).
- Lock dates (:mod:`adapters.native.lockdates`): nothing dated on or before the lock date is created, edited or
  deleted.
- POST /BankTransactions updates by ``BankTransactionID`` (unknown → error), else creates.

Ledger (accrual; :mod:`adapters.native.ledger`): money in — Dr the bank account ``Total``, Cr each line's account
its net amount and Cr VAT ``TotalTax``; money out — the mirror image. Journal ``SourceType`` per type (``CASHREC``,
``CASHPAID``, ``AROVERPAYMENT``, ``APOVERPAYMENT``, ``ARPREPAYMENT``, ``APPREPAYMENT``: spec ``Journal.SourceType``).
An overpayment's line is the control account, so it posts Dr bank / Cr Accounts Receivable (or Dr Accounts
Payable / Cr bank). Deleting reverses the posting on the transaction's date; an edit re-posts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from gateway.xero.errors import NotFound
from gateway.xero.guids import normalise_guid
from gateway.xero.models import documents as xd

from . import credits, doclines, doctypes, history, invoices, ledger, lockdates, messages
from .books import Books
from .models import Account, Contact
from .models_documents import BankTransaction, BankTransactionLine
from .taxmath import LINE_AMOUNT_TYPES
from .validation import ElementInvalid, parse_element, provided, text

ZERO = Decimal("0.00")
CLIENT_STATUSES = frozenset({"AUTHORISED", "DELETED"})


async def get_by_id(books: Books, transaction_id: str) -> BankTransaction | None:
    """A bank transaction of the company by ``BankTransactionID``, or ``None``."""
    guid = normalise_guid(transaction_id)
    row = await books.session.get(BankTransaction, guid) if guid else None
    return row if row is not None and row.company_id == books.company.id else None


async def get_credit(books: Books, credit_id: str, *, resource: str) -> BankTransaction | None:
    """The bank transaction of an overpayment (``resource="Overpayments"``) or prepayment by its
    ``OverpaymentID``/``PrepaymentID``, or ``None``."""
    guid = normalise_guid(credit_id)
    if not guid:
        return None
    row = await books.session.scalar(select(BankTransaction).where(
        BankTransaction.company_id == books.company.id, BankTransaction.credit_id == guid))
    if row is None or credits.kind(row).resource != resource:
        return None
    return row


async def list_rows(books: Books, *, credit: str | None = None) -> list[BankTransaction]:
    """The company's bank transactions; with ``credit`` (``"Overpayment"``/``"Prepayment"``) only those that
    created such a credit."""
    rows = list(await books.session.scalars(
        select(BankTransaction).where(BankTransaction.company_id == books.company.id)))
    if credit is None:
        return rows
    return [r for r in rows if doctypes.bank_transaction_types()[r.type].credit == credit]


@dataclass
class TransactionDraft:
    """The bank transaction after validation, before writing."""

    type: str
    contact: Contact | None
    new_contact_name: str | None
    bank_account: Account
    date: dt.date
    reference: str | None
    line_amount_types: str
    status: str
    currency_code: str
    lines: list[doclines.LineDraft]
    extras: dict[str, Any] = field(default_factory=dict)


async def find_target(books: Books, model: xd.BankTransaction, *, mode: str,
                      path_id: str | None) -> BankTransaction | None:
    """The existing transaction a write addresses, or ``None`` to create.

    Raises:
        NotFound: ``update`` of an unknown transaction.
        ElementInvalid: PUT with the id of an existing transaction; POST with an unknown ``BankTransactionID``.
    """
    if mode == "update":
        row = await get_by_id(books, path_id or "")
        if row is None:
            raise NotFound()
        return row
    transaction_id = text(model.BankTransactionID)
    if mode == "create":
        if transaction_id and await get_by_id(books, transaction_id):
            raise ElementInvalid([messages.BANK_TRANSACTION_EXISTS.format(id=transaction_id)])
        return None
    if transaction_id:
        row = await get_by_id(books, transaction_id)
        if row is None:
            raise ElementInvalid([messages.BANK_TRANSACTION_NOT_FOUND])
        return row
    return None


def _row_signature(row: BankTransaction) -> tuple[Any, ...]:
    return (row.type, row.bank_account_id, row.contact_id, row.date, row.line_amount_types,
            doclines.signature(row.lines, row.line_amount_types))


def _check_existing(row: BankTransaction, model: xd.BankTransaction) -> None:
    """Refuse edits of transfer sides, deleted transactions, and of overpayments/prepayments beyond deletion."""
    entry = doctypes.bank_transaction_types()[row.type]
    if not entry.writable:
        raise ElementInvalid([messages.BANK_TRANSACTION_TYPE_READ_ONLY.format(type=row.type)])
    if row.status != "AUTHORISED":
        raise ElementInvalid([messages.BANK_TRANSACTION_STATUS_MODIFICATION])
    if model.Type and model.Type != row.type:
        raise ElementInvalid([messages.BANK_TRANSACTION_TYPE_CHANGE])
    if entry.credit and model.Status != "DELETED":
        raise ElementInvalid([messages.CREDIT_READ_ONLY.format(credit=entry.credit.lower())])
    if entry.credit and credits.in_use(row):
        raise ElementInvalid([messages.CREDIT_IN_USE.format(credit=entry.credit.lower())])


async def build_draft(books: Books, model: xd.BankTransaction, existing: BankTransaction | None, *,
                      unitdp: int) -> TransactionDraft:
    """Validate a write and return the transaction as it will be.

    Raises:
        ElementInvalid: every problem found (nothing written).
    """
    errors: list[str] = []
    if existing is not None:
        _check_existing(existing, model)
    tx_type = model.Type or (existing.type if existing else None)
    entry = doctypes.bank_transaction_type(tx_type or "")
    if entry is None:
        raise ElementInvalid([messages.BANK_TRANSACTION_TYPE_INVALID.format(type=tx_type or "")])
    if not entry.writable:
        raise ElementInvalid([messages.BANK_TRANSACTION_TYPE_READ_ONLY.format(type=entry.type)])
    status = model.Status or (existing.status if existing else "AUTHORISED")
    if status not in CLIENT_STATUSES or (existing is None and status != "AUTHORISED"):
        errors.append(messages.BANK_TRANSACTION_STATUS_INVALID)

    if provided(model, "Contact") or existing is None:
        contact, new_name = await doclines.resolve_contact(books, model.Contact, errors)
    else:
        contact, new_name = existing.contact, None
    if provided(model, "BankAccount") or existing is None:
        bank = doclines.resolve_bank_account(books, model.BankAccount, errors, field="BankAccount")
    else:
        bank = existing.bank_account

    fixed: Account | None = None
    lat = model.LineAmountTypes or (existing.line_amount_types if existing else "Exclusive")
    if entry.credit == "Overpayment":
        fixed = books.system_account(doctypes.credit_kind(entry.type).control_system_account)
        lat = "NoTax"
    if lat not in LINE_AMOUNT_TYPES:
        errors.append(messages.LINE_AMOUNT_TYPES_INVALID)
        lat = "Exclusive"
    currency = model.CurrencyCode or (existing.currency_code if existing else
                                      (bank.currency_code if bank is not None and bank.currency_code else None)
                                      or books.company.base_currency)
    if currency not in books.currencies:
        errors.append(messages.CURRENCY_NOT_SUBSCRIBED.format(code=currency))

    items = model.LineItems if model.LineItems is not None else (
        doclines.existing_line_items(existing.lines) if existing is not None else [])
    stored = {ln.id: ln.tracking for ln in existing.lines} if existing is not None else {}
    side = "SALES" if entry.item_side == "SALES" else "PURCHASES"
    lines = await doclines.build_lines(books, items, document_type=entry.type, line_amount_types=lat, unitdp=unitdp,
                                       side=side,
                                       errors=errors, stored_tracking=stored, fixed_account=fixed)
    if not lines:
        errors.append(messages.BANK_TRANSACTION_LINES_REQUIRED)
    if entry.credit == "Overpayment" and len(lines) > 1:
        errors.append(messages.OVERPAYMENT_ONE_LINE)
    if any(not ln.account_given for ln in lines):
        errors.append(messages.BANK_TRANSACTION_LINE_ACCOUNT_REQUIRED)
    total = doclines.totals(lines).total
    if entry.credit and total <= 0 and lines:
        errors.append(messages.CREDIT_TOTAL_POSITIVE.format(credit=entry.credit.lower()))
    elif total < 0:
        errors.append(messages.BANK_TRANSACTION_TOTAL_NEGATIVE)
    date = model.Date if provided(model, "Date") and model.Date else (existing.date if existing else books.today())
    errors.extend(lockdates.violations(books.company, existing.date if existing is not None else None, date))
    if errors:
        raise ElementInvalid(errors)
    assert bank is not None
    draft = TransactionDraft(
        type=entry.type, contact=contact, new_contact_name=new_name, bank_account=bank, date=date,
        reference=text(model.Reference) if provided(model, "Reference") else (existing.reference if existing
                                                                             else None),
        line_amount_types=lat, status=status, currency_code=currency, lines=lines)
    for name, column in (("Url", "url"), ("IsReconciled", "is_reconciled")):
        if provided(model, name):
            draft.extras[column] = getattr(model, name) if name == "Url" else bool(getattr(model, name))
    return draft


def postings(books: Books, row: BankTransaction) -> list[ledger.Posting]:
    """The balanced journal lines of a bank transaction (see the module docstring)."""
    entry = doctypes.bank_transaction_types()[row.type]
    return doclines.postings(books, lines=row.lines, line_amount_types=row.line_amount_types,
                             total_tax=row.total_tax, total=row.total, debit_lines=not entry.money_in,
                             counter_account_id=row.bank_account_id, reference=row.reference)


async def write(books: Books, element: dict[str, Any], *, mode: str, path_id: str | None = None,
                unitdp: int = 2) -> BankTransaction:
    """Validate then create, update or delete one bank transaction, posting or reversing its journal.

    Args:
        element: the request element (Xero field names).
        mode: ``"create"`` (PUT), ``"upsert"`` (POST /BankTransactions) or ``"update"`` (POST …/{id}).
        path_id: the ``BankTransactionID`` of ``POST /BankTransactions/{BankTransactionID}``.
        unitdp: decimal places kept on ``UnitAmount`` (2 or 4).

    Returns:
        The written transaction (flushed).

    Raises:
        ElementInvalid: the element is invalid (nothing written).
        NotFound: ``update`` of an unknown transaction.
    """
    model = parse_element(xd.BankTransaction, element)
    existing = await find_target(books, model, mode=mode, path_id=path_id)
    if existing is not None and model.Status == "DELETED":
        _check_existing(existing, model)
        locked = lockdates.violations(books.company, existing.date)
        if locked:
            raise ElementInvalid(locked)
        return await _delete(books, existing)
    draft = await build_draft(books, model, existing, unitdp=unitdp)
    now = books.now()
    contact = await doclines.ensure_contact(books, draft.contact, draft.new_contact_name)
    entry = doctypes.bank_transaction_types()[draft.type]
    if existing is None:
        row = BankTransaction(id=books.new_id("banktransaction"), company_id=books.company.id, posted=False,
                              currency_rate=Decimal(1), is_reconciled=False, lines=[], allocations=[], refunds=[])
        books.session.add(row)
        old_signature = None
    else:
        row = existing
        old_signature = _row_signature(row)
    was_posted, old_date = row.posted, row.date
    row.type, row.contact, row.contact_id = draft.type, contact, contact.id if contact else None
    row.bank_account, row.bank_account_id = draft.bank_account, draft.bank_account.id
    row.date, row.reference, row.status = draft.date, draft.reference, draft.status
    row.line_amount_types, row.currency_code = draft.line_amount_types, draft.currency_code
    for column, value in draft.extras.items():
        setattr(row, column, value)
    row.lines[:] = doclines.write_lines(books, row.lines, draft.lines,
                                        lambda new_id: BankTransactionLine(id=new_id, tracking=[]))
    totals = doclines.totals(draft.lines)
    row.sub_total, row.total_tax, row.total = totals.sub_total, totals.total_tax, totals.total
    row.updated_utc = now
    if existing is None and entry.credit:
        row.credit_id = books.new_id(entry.credit.lower())
        row.credit_status, row.remaining_credit = "AUTHORISED", row.total
        if entry.type == "RECEIVE-PREPAYMENT":
            row.credit_number = await invoices.next_number(books)

    changed = old_signature != _row_signature(row)
    if was_posted and changed:
        await ledger.reverse_source(books.session, books.company, source_id=row.id, date=old_date,
                                    new_id=books.new_id, now=now)
        was_posted = False
    if not was_posted:
        entries = postings(books, row)
        if any(p.amount for p in entries):
            await ledger.post(books.session, books.company, date=row.date, source_type=entry.journal,
                              source_id=row.id, postings=entries, new_id=books.new_id, now=now,
                              reference=row.reference)
    row.posted = True
    await books.session.flush()
    await _record(books, row, history.CREATED if existing is None else history.UPDATED, now)
    return row


async def _delete(books: Books, row: BankTransaction) -> BankTransaction:
    now = books.now()
    await ledger.reverse_source(books.session, books.company, source_id=row.id, date=row.date,
                                new_id=books.new_id, now=now)
    row.status, row.posted, row.updated_utc = "DELETED", False, now
    if row.credit_id:
        row.credit_status, row.remaining_credit = "VOIDED", ZERO
    await books.session.flush()
    await _record(books, row, history.DELETED, now)
    return row


async def _record(books: Books, row: BankTransaction, changes: str, now: dt.datetime) -> None:
    name = row.contact.name if row.contact is not None else None
    details = history.document_details(row.reference or row.credit_number, name, row.total)
    await history.record(books.session, company_id=books.company.id, resource="BankTransactions",
                         record_id=row.id, changes=changes, details=details, when=now)
    if row.credit_id:
        credit_changes = history.VOIDED if changes == history.DELETED else changes
        await history.record(books.session, company_id=books.company.id, resource=credits.kind(row).resource,
                             record_id=row.credit_id, changes=credit_changes, details=details, when=now)
