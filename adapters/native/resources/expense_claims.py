"""Expense claims (spec ``ExpenseClaim``): one user's receipts, submitted, approved (posted) and voided together.

Rules (https://developer.xero.com/documentation/api/accounting/expenseclaims; "unconfirmed" where Xero's documentation
does not say):

- ``User`` (by ``UserID``, one of the organisation's users) and at least one receipt (``Receipts``, by
  ``ReceiptID``) are required on creation. Each receipt must be that user's, ``DRAFT`` or ``DECLINED``, and on no
  other claim (unconfirmed).
- A claim is created ``SUBMITTED`` (the spec's example) or ``AUTHORISED``. Changes: ``SUBMITTED`` → ``AUTHORISED``
  or ``DELETED``; ``AUTHORISED`` → ``VOIDED`` (unconfirmed). ``PAID`` is never set here: the spec's ``Payment`` has
  no field naming an expense claim, so the API cannot pay one (``Payments`` stays empty, ``AmountPaid`` 0).
- The receipts follow their claim: ``SUBMITTED``, ``AUTHORISED``, ``VOIDED``; a deleted claim returns them to
  ``DRAFT`` and lets them go.
- ``Total`` is the sum of the claim's receipts; ``AmountDue`` is ``Total − AmountPaid`` (0 once voided or
  deleted).
- Approval posts one journal (source type ``EXPCLAIM``, spec ``Journal.SourceType``) dated the approval day
  (``ReportingDate``): each receipt line's account is debited its net amount, VAT its tax, and the "Unpaid Expense
  Claims" liability is credited the total, the amount owed to the employee: Xero's system account for it
  (spec ``Account.SystemAccount`` enum ``UNPAIDEXPCLM``; code 801 of the UK chart,
  ``mappings/uk_chart_of_accounts.toml``, which the demo company already carries).
  Voiding reverses it (:func:`adapters.native.ledger.posting.reverse_source`).
- Every write records history (``Created``, the status word, or ``Edited``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from gateway.xero.errors import NotFound
from gateway.xero.guids import normalise_guid
from gateway.xero.models.catalogue import User as UserModel
from gateway.xero.models.expenses import EXPENSE_CLAIM_STATUSES, ExpenseClaim

from ..books import Books
from ..ledger import posting as ledger
from ..ledger.taxmath import round2
from ..tables.expenses import ExpenseClaimRow, ReceiptRow
from ..validation import ElementInvalid, parse_element, provided, text
from . import doclines, history
from . import receipts as receipt_docs

RESOURCE = "ExpenseClaims"
SOURCE_TYPE = "EXPCLAIM"
LIABILITY = "UNPAIDEXPCLM"
ZERO = Decimal("0")
CREATE_STATUSES = frozenset({"SUBMITTED", "AUTHORISED"})
#: current status → statuses a client may set (see the module docstring).
TRANSITIONS: dict[str, frozenset[str]] = {
    "SUBMITTED": frozenset({"SUBMITTED", "AUTHORISED", "DELETED"}),
    "AUTHORISED": frozenset({"AUTHORISED", "VOIDED"}),
    "PAID": frozenset({"PAID"}),
    "VOIDED": frozenset({"VOIDED"}),
    "DELETED": frozenset({"DELETED"}),
}
#: claim status → the status its receipts take.
RECEIPT_STATUS = {"SUBMITTED": "SUBMITTED", "AUTHORISED": "AUTHORISED", "PAID": "AUTHORISED", "VOIDED": "VOIDED"}
CLAIMABLE = frozenset({"DRAFT", "DECLINED"})

USER_REQUIRED = "A valid User must be specified for an expense claim."
RECEIPTS_REQUIRED = "An expense claim must have at least one receipt."
RECEIPT_UNKNOWN = "Receipt {id} could not be found."
RECEIPT_OTHER_USER = "Receipt {id} belongs to another user."
RECEIPT_NOT_CLAIMABLE = "Receipt {id} is {status}; only DRAFT or DECLINED receipts can be claimed."
RECEIPT_ON_CLAIM = "Receipt {id} is already on an expense claim."
STATUS_INVALID = "Status must be one of {statuses}."
STATUS_CREATE = "An expense claim can only be created as SUBMITTED or AUTHORISED."
STATUS_CHANGE = "An expense claim in status {current} cannot be changed to {status}."
RECEIPTS_FIXED = "The receipts of an expense claim in status {current} cannot be changed."


def total(row: ExpenseClaimRow) -> Decimal:
    """The claim's total: its receipts' totals."""
    return sum((r.total for r in row.receipts), ZERO)


def to_model(row: ExpenseClaimRow, users: dict[str, UserModel], *, unitdp: int = 2,
             with_attachments: set[str] | None = None) -> ExpenseClaim:
    """A claim row → spec ``ExpenseClaim`` with its receipts (each a full spec ``Receipt``)."""
    claimed = total(row)
    due = ZERO if row.status in ("VOIDED", "DELETED") else claimed - row.amount_paid
    files = with_attachments or set()
    return ExpenseClaim(
        ExpenseClaimID=row.id, Status=row.status, User=users.get(row.user_id), Payments=[],
        Receipts=[receipt_docs.to_model(r, users, unitdp=unitdp, has_attachments=r.id in files)
                  for r in row.receipts],
        Total=round2(claimed), AmountPaid=round2(row.amount_paid), AmountDue=round2(due),
        ReportingDate=row.reporting_date, PaymentDueDate=row.payment_due_date, UpdatedDateUTC=row.updated_utc)


async def all_rows(books: Books) -> list[ExpenseClaimRow]:
    """Every claim of the company."""
    return list(await books.session.scalars(
        select(ExpenseClaimRow).where(ExpenseClaimRow.company_id == books.company.id)))


async def get_by_id(books: Books, claim_id: str) -> ExpenseClaimRow | None:
    """A claim of the company by id (GUID, hyphens optional), or ``None``."""
    return await books.get(ExpenseClaimRow, claim_id)


def postings(books: Books, row: ExpenseClaimRow) -> list[ledger.Posting]:
    """The balanced journal of an approved claim (see the module docstring): per receipt, its lines and VAT
    debited and the unpaid-expense-claims liability credited."""
    liability = books.system_account(LIABILITY).id
    out: list[ledger.Posting] = []
    for receipt in row.receipts:
        out += doclines.postings(books, lines=receipt.lines, line_amount_types=receipt.line_amount_types,
                                 total_tax=receipt.total_tax, total=receipt.total, debit_lines=True,
                                 counter_account_id=liability, reference=f"Receipt {receipt.number}")
    return out


async def _receipts(books: Books, model: ExpenseClaim, user_id: str | None, claim_id: str | None,
                    errors: list[str]) -> list[ReceiptRow]:
    """The receipts the element names, checked to be claimable by the user (see the module docstring)."""
    found: list[ReceiptRow] = []
    for ref in model.Receipts or []:
        key = text(ref.ReceiptID) or ""
        row = await receipt_docs.get_by_id(books, key)
        if row is None:
            errors.append(RECEIPT_UNKNOWN.format(id=key))
        elif user_id is not None and row.user_id != user_id:
            errors.append(RECEIPT_OTHER_USER.format(id=key))
        elif row.claim_id is not None and row.claim_id != claim_id:
            errors.append(RECEIPT_ON_CLAIM.format(id=key))
        elif row.claim_id is None and row.status not in CLAIMABLE:
            errors.append(RECEIPT_NOT_CLAIMABLE.format(id=key, status=row.status))
        elif row not in found:
            found.append(row)
    if not found and not errors:
        errors.append(RECEIPTS_REQUIRED)
    return found


def _check_status(status: str, current: str | None) -> None:
    if status not in EXPENSE_CLAIM_STATUSES:
        raise ElementInvalid([STATUS_INVALID.format(statuses=", ".join(EXPENSE_CLAIM_STATUSES))])
    if current is None and status not in CREATE_STATUSES:
        raise ElementInvalid([STATUS_CREATE])
    if current is not None and status not in TRANSITIONS[current]:
        raise ElementInvalid([STATUS_CHANGE.format(current=current, status=status)])


async def write(books: Books, element: dict[str, Any], *, path_id: str | None = None) -> ExpenseClaimRow:
    """Validate then create (``path_id`` ``None``) or update one expense claim, posting or reversing its journal
    as its status requires.

    Args:
        element: the request element (Xero field names).
        path_id: the ``ExpenseClaimID`` of ``POST /ExpenseClaims/{ExpenseClaimID}``.

    Returns:
        The written row (flushed, its receipts loaded).

    Raises:
        ElementInvalid: the element is invalid (nothing written for it).
        NotFound: update of an unknown claim.
    """
    model = parse_element(ExpenseClaim, element)
    existing: ExpenseClaimRow | None = None
    if path_id is not None:
        existing = await get_by_id(books, path_id)
        if existing is None:
            raise NotFound()
    current = existing.status if existing is not None else None
    status = (model.Status or current or "SUBMITTED").upper()
    _check_status(status, current)

    errors: list[str] = []
    users = await receipt_docs.user_models(books)
    if existing is not None and not provided(model, "User"):
        user_id: str | None = existing.user_id
    else:
        user_id = normalise_guid(text(model.User.UserID) or "") if model.User is not None else None
        if user_id not in users or (existing is not None and user_id != existing.user_id):
            errors.append(USER_REQUIRED)
            user_id = None
    receipts: list[ReceiptRow] | None = None
    if model.Receipts is not None or existing is None:
        if existing is not None and current != "SUBMITTED":
            errors.append(RECEIPTS_FIXED.format(current=current))
        else:
            receipts = await _receipts(books, model, user_id, existing.id if existing else None, errors)
    if errors:
        raise ElementInvalid(errors)
    assert user_id is not None

    now = books.now()
    if existing is None:
        row = ExpenseClaimRow(id=books.new_id("expenseclaim"), company_id=books.company.id, user_id=user_id,
                              status=status, amount_paid=ZERO, posted=False, receipts=[], updated_utc=now)
        books.session.add(row)
    else:
        row = existing
    if receipts is not None:
        for gone in [r for r in row.receipts if r not in receipts]:
            gone.claim_id, gone.status, gone.updated_utc = None, "DRAFT", now
        row.receipts[:] = receipts
    row.status, row.updated_utc = status, now
    if status == "DELETED":
        for receipt in row.receipts:
            receipt.claim_id, receipt.status, receipt.updated_utc = None, "DRAFT", now
        row.receipts[:] = []
    else:
        for receipt in row.receipts:
            if receipt.status != RECEIPT_STATUS[status]:
                receipt.status, receipt.updated_utc = RECEIPT_STATUS[status], now
    was_posted = row.posted
    will_post = status in ("AUTHORISED", "PAID")
    if will_post and not was_posted:
        row.reporting_date = books.today()
    row.posted = await ledger.repost(
        books.session, books.company, source_id=row.id, source_type=SOURCE_TYPE,
        date=row.reporting_date or books.today(), reference=None, was_posted=was_posted, will_post=will_post,
        changed=False, old_date=row.reporting_date or books.today(), postings=lambda: postings(books, row),
        new_id=books.new_id, now=now)
    await books.session.flush()
    await history.record(books.session, company_id=books.company.id, resource=RESOURCE, record_id=row.id,
                         changes=history.status_change(current, status),
                         details=f"Expense claim for {history.amount_text(total(row))}.", when=now)
    return row
