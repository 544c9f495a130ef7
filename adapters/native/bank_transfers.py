"""Bank transfers: money moved between two bank accounts, created once and deleted (never edited).

Rules (https://developer.xero.com/documentation/api/accounting/banktransfers; spec
``components.schemas.BankTransfer`` and the v16 operations ``createBankTransfer``, ``deleteBankTransfer``
(``POST /BankTransfers/{BankTransferID}`` with ``BankTransferDeleteByUrlParam`` ``{"Status": "DELETED"}``) and
``deleteBankTransfers`` (``POST /BankTransfers`` with ``BankTransfersDelete``: ``[{"BankTransferID", "Status":
"DELETED"}]``)):

- ``FromBankAccount``, ``ToBankAccount`` (each by ``AccountID`` or ``Code``: active BANK accounts, different) and
  ``Amount`` (> 0) are required (spec ``BankTransfer.required``); ``Date`` defaults to today; ``Reference``,
  ``FromIsReconciled``/``ToIsReconciled`` (default false) and ``FromTracking``/``ToTracking`` ("a maximum of 2
  tracking categories per account", validated as line tracking by :func:`adapters.native.tracking.resolve`) are
  optional.
- Both accounts must be in the same currency here; ``CurrencyRate`` is read-only and 1.
- ``Status`` is AUTHORISED on creation and DELETED after a delete ("AUTHORISED or DELETED (read-only)"); deleted
  transfers are listed only with ``includeDeleted=true`` (spec ``getBankTransfers`` parameter).
- A transfer appears in BankTransactions as its two sides: ``SPEND-TRANSFER`` on the source account and
  ``RECEIVE-TRANSFER`` on the destination (``FromBankTransactionID``/``ToBankTransactionID``); each side has one
  line, coded to the other bank account, with no tax, carrying that side's tracking.

Lock dates (:mod:`adapters.native.lockdates`): a transfer dated on or before the lock date can be neither created nor
deleted.

Ledger: one journal, ``SourceType`` ``TRANSFER`` (spec ``Journal.SourceType``): Dr the destination account, Cr
the source account, each carrying its side's tracking. Deleting reverses it on the transfer's date.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from gateway.xero import models as xm
from gateway.xero.errors import NotFound
from gateway.xero.guids import normalise_guid
from gateway.xero.models import documents as xd

from . import doclines, history, ledger, lockdates, messages, tracking
from .books import Books
from .models import Account
from .models_documents import BankTransaction, BankTransactionLine, BankTransfer
from .taxmath import round2
from .validation import ElementInvalid, parse_element, text

ZERO = Decimal("0.00")


async def get_by_id(books: Books, transfer_id: str) -> BankTransfer | None:
    """A bank transfer of the company by ``BankTransferID``, or ``None``."""
    guid = normalise_guid(transfer_id)
    row = await books.session.get(BankTransfer, guid) if guid else None
    return row if row is not None and row.company_id == books.company.id else None


async def list_rows(books: Books) -> list[BankTransfer]:
    """Every transfer of the company (deleted ones included)."""
    return list(await books.session.scalars(select(BankTransfer).where(BankTransfer.company_id == books.company.id)))


def _side(books: Books, transfer: BankTransfer, *, spend: bool, account: Account, other: Account,
          reconciled: bool, side_tracking: list[dict[str, str]]) -> BankTransaction:
    now = transfer.updated_utc
    line = BankTransactionLine(id=books.new_id("line"), position=1, description=transfer.reference,
                               quantity=Decimal(1), unit_amount=transfer.amount, account_id=other.id,
                               account_code=other.code, tax_type="NONE", tax_amount=ZERO,
                               line_amount=transfer.amount, tracking=side_tracking)
    return BankTransaction(
        id=books.new_id("banktransaction"), company_id=books.company.id,
        type="SPEND-TRANSFER" if spend else "RECEIVE-TRANSFER", contact_id=None, bank_account=account,
        bank_account_id=account.id, date=transfer.date, reference=transfer.reference, is_reconciled=reconciled,
        status="AUTHORISED", line_amount_types="NoTax", currency_code=account.currency_code
        or books.company.base_currency, currency_rate=Decimal(1), sub_total=transfer.amount, total_tax=ZERO,
        total=transfer.amount, transfer_id=transfer.id, posted=False, updated_utc=now, lines=[line],
        allocations=[], refunds=[])


def side_tracking(side: BankTransaction) -> list[dict[str, str]]:
    """The tracking of one side of a transfer (stored on its line), in :mod:`adapters.native.tracking`'s form."""
    return list(side.lines[0].tracking or []) if side.lines else []


def postings(transfer: BankTransfer) -> list[ledger.Posting]:
    """Dr the destination, Cr the source (see the module docstring)."""
    to_tracking, from_tracking = side_tracking(transfer.to_transaction), side_tracking(transfer.from_transaction)
    return [ledger.Posting(account_id=transfer.to_account_id, amount=transfer.amount,
                           description=transfer.reference, tracking=to_tracking or None),
            ledger.Posting(account_id=transfer.from_account_id, amount=-transfer.amount,
                           description=transfer.reference, tracking=from_tracking or None)]


async def create(books: Books, element: dict[str, Any]) -> BankTransfer:
    """Validate then create one transfer, its two bank transaction sides and its journal.

    Returns:
        The transfer (flushed).

    Raises:
        ElementInvalid: the element is invalid (nothing written).
    """
    model = parse_element(xd.BankTransfer, element)
    errors: list[str] = []
    source = doclines.resolve_bank_account(books, model.FromBankAccount, errors, field="FromBankAccount")
    target = doclines.resolve_bank_account(books, model.ToBankAccount, errors, field="ToBankAccount")
    if source is not None and target is not None:
        if source.id == target.id:
            errors.append(messages.BANK_TRANSFER_SAME_ACCOUNT)
        elif (source.currency_code or books.company.base_currency) != (target.currency_code
                                                                        or books.company.base_currency):
            errors.append(messages.BANK_TRANSFER_CURRENCY)
    amount = round2(model.Amount) if model.Amount is not None else ZERO
    if amount <= 0:
        errors.append(messages.BANK_TRANSFER_AMOUNT_POSITIVE)
    date = model.Date or books.today()
    errors.extend(lockdates.violations(books.company, date))
    from_tracking = await tracking.resolve(books, _tracking(model.FromTracking), errors=errors)
    to_tracking = await tracking.resolve(books, _tracking(model.ToTracking), errors=errors)
    if errors:
        raise ElementInvalid(errors)
    assert source is not None and target is not None
    now = books.now()
    transfer = BankTransfer(
        id=books.new_id("banktransfer"), company_id=books.company.id, from_account=source,
        from_account_id=source.id, to_account=target, to_account_id=target.id, amount=amount,
        date=date, currency_rate=Decimal(1), reference=text(model.Reference),
        status="AUTHORISED", created_utc=now, updated_utc=now)
    spend = _side(books, transfer, spend=True, account=source, other=target,
                  reconciled=bool(model.FromIsReconciled), side_tracking=from_tracking)
    receive = _side(books, transfer, spend=False, account=target, other=source,
                    reconciled=bool(model.ToIsReconciled), side_tracking=to_tracking)
    books.session.add_all([spend, receive])
    transfer.from_transaction, transfer.from_transaction_id = spend, spend.id
    transfer.to_transaction, transfer.to_transaction_id = receive, receive.id
    books.session.add(transfer)
    await ledger.post(books.session, books.company, date=transfer.date, source_type="TRANSFER",
                      source_id=transfer.id, postings=postings(transfer), new_id=books.new_id, now=now,
                      reference=transfer.reference)
    await books.session.flush()
    await _record(books, transfer, history.CREATED)
    return transfer


def _tracking(refs: list[xm.LineItemTracking] | None) -> list[xm.LineItemTracking]:
    return list(refs or [])


async def delete(books: Books, transfer_id: str | None, element: Any, *, missing_is_invalid: bool = False
                 ) -> BankTransfer:
    """Delete a transfer (``{"Status": "DELETED"}``): reverse its journal and delete both sides.

    Args:
        transfer_id: the transfer's id (path parameter, or the element's ``BankTransferID``).
        element: the request element; its ``Status`` must be ``DELETED``.
        missing_is_invalid: answer an unknown id as an element error (batch delete) instead of 404.

    Raises:
        NotFound: unknown transfer (single delete).
        ElementInvalid: bad status, unknown id in a batch, or already deleted.
    """
    status = element.get("Status") if isinstance(element, dict) else None
    errors: list[str] = []
    if status != "DELETED":
        errors.append(messages.BANK_TRANSFER_DELETE_STATUS)
    transfer = await get_by_id(books, transfer_id) if transfer_id else None
    if transfer is None:
        if not missing_is_invalid:
            raise NotFound()
        errors.append(messages.BANK_TRANSFER_ID_REQUIRED if not transfer_id else messages.BANK_TRANSFER_NOT_FOUND)
    elif transfer.status == "DELETED":
        errors.append(messages.BANK_TRANSFER_ALREADY_DELETED)
    else:
        errors.extend(lockdates.violations(books.company, transfer.date))
    if errors:
        raise ElementInvalid(errors)
    assert transfer is not None
    now = books.now()
    await ledger.reverse_source(books.session, books.company, source_id=transfer.id, date=transfer.date,
                                new_id=books.new_id, now=now)
    transfer.status, transfer.updated_utc = "DELETED", now
    for side in (transfer.from_transaction, transfer.to_transaction):
        side.status, side.updated_utc = "DELETED", now
    await books.session.flush()
    await _record(books, transfer, history.DELETED)
    return transfer


async def _record(books: Books, transfer: BankTransfer, changes: str) -> None:
    details = (f"Transfer of {history.amount_text(transfer.amount)} from {transfer.from_account.name} "
               f"to {transfer.to_account.name}.")
    await history.record(books.session, company_id=books.company.id, resource="BankTransfers",
                         record_id=transfer.id, changes=changes, details=details, when=transfer.updated_utc)
