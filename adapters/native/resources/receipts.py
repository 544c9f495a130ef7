"""Receipts (spec ``Receipt``): an employee's spend, claimed later on an expense claim.

Rules (https://developer.xero.com/documentation/api/accounting/receipts; "unconfirmed" where Xero's documentation
does not say):

- ``User`` is required: one of the organisation's users (``GET /Users``) by ``UserID``.
- ``Contact`` (by ``ContactID``, ``ContactNumber`` or ``Name``; an unknown name creates the contact, as on invoices)
  and at least one line are required. Lines follow the invoice line rules with purchase-side tax types
  (:func:`adapters.native.resources.workflow_documents.line_drafts`, side ``PURCHASES``), on accounts shown in
  expense claims (``Account.ShowInExpenseClaims``: Xero offers only those on a receipt) and every line names one.
- ``Date`` defaults to today; ``LineAmountTypes`` is ``Exclusive`` (default), ``Inclusive`` or ``NoTax``.
- ``ReceiptNumber`` is read-only: the user's next receipt number (spec: "sequence number … for a given user").
- A receipt is created ``DRAFT`` (spec example); its later statuses come from its claim
  (:mod:`adapters.native.resources.expense_claims`): ``SUBMITTED``, ``AUTHORISED``, ``VOIDED``. A client may
  decline a ``SUBMITTED`` receipt (``DECLINED``: it leaves its claim) and return a declined one to ``DRAFT``
  (unconfirmed). Only ``DRAFT`` and ``DECLINED`` receipts can be edited (unconfirmed).
- A receipt never posts by itself; its claim's approval does.
- Every write records history (``Created``, the status word, or ``Edited``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from gateway.xero.errors import NotFound
from gateway.xero.guids import normalise_guid
from gateway.xero.models.catalogue import User as UserModel
from gateway.xero.models.expenses import RECEIPT_STATUSES, Receipt

from ..books import Books
from ..ledger.taxmath import compute_totals, round2
from ..tables.expenses import ReceiptLine, ReceiptRow
from ..translate import core as translate
from ..validation import ElementInvalid, parse_element, provided, text
from . import doclines, history, invoice_lines, org_users
from . import workflow_documents as wd

RESOURCE = "Receipts"
#: Statuses a client may write on a receipt, by current status (``None``: a new receipt). See the module docstring.
TRANSITIONS: dict[str | None, frozenset[str]] = {
    None: frozenset({"DRAFT"}),
    "DRAFT": frozenset({"DRAFT"}),
    "DECLINED": frozenset({"DECLINED", "DRAFT"}),
    "SUBMITTED": frozenset({"SUBMITTED", "DECLINED"}),
    "AUTHORISED": frozenset({"AUTHORISED"}),
    "VOIDED": frozenset({"VOIDED"}),
}
EDITABLE = frozenset({"DRAFT", "DECLINED"})

USER_REQUIRED = "A valid User must be specified for a receipt."
LINES_REQUIRED = "A receipt must have at least one line item."
STATUS_INVALID = "Status must be one of {statuses}."
STATUS_CHANGE = "A receipt in status {current} cannot be changed to {status}."
NOT_EDITABLE = "A receipt in status {current} cannot be edited; only DRAFT and DECLINED receipts can."
EXISTS = "A Receipt with ReceiptID {id} already exists."
ACCOUNT_REQUIRED = "Every receipt line must have an AccountCode."
ACCOUNT_NOT_CLAIMABLE = "Account code '{code}' is not enabled for expense claims."


async def user_models(books: Books) -> dict[str, UserModel]:
    """The organisation's users as spec ``User`` (:mod:`adapters.native.resources.org_users`), by ``UserID``."""
    return {u.UserID or "": u for u in await org_users.users(books)}


def to_model(row: ReceiptRow, users: dict[str, UserModel], *, unitdp: int = 2,
             has_attachments: bool = False) -> Receipt:
    """A receipt row → spec ``Receipt`` (with its lines and user)."""
    return Receipt(
        ReceiptID=row.id, ReceiptNumber=str(row.number), Status=row.status, User=users.get(row.user_id),
        Contact=translate.contact_ref(row.contact), Date=row.date, Reference=row.reference or "",
        LineAmountTypes=row.line_amount_types,
        LineItems=[translate.line_item(line, unitdp=unitdp) for line in row.lines],  # type: ignore[arg-type]
        SubTotal=round2(row.sub_total), TotalTax=round2(row.total_tax), Total=round2(row.total),
        UpdatedDateUTC=row.updated_utc, HasAttachments=has_attachments)


async def all_rows(books: Books) -> list[ReceiptRow]:
    """Every receipt of the company."""
    return list(await books.session.scalars(select(ReceiptRow).where(ReceiptRow.company_id == books.company.id)))


async def get_by_id(books: Books, receipt_id: str) -> ReceiptRow | None:
    """A receipt of the company by id (GUID, hyphens optional), or ``None``."""
    return await books.get(ReceiptRow, receipt_id)


async def _next_number(books: Books, user_id: str) -> int:
    highest = await books.session.scalar(
        select(func.max(ReceiptRow.number)).where(ReceiptRow.company_id == books.company.id,
                                                  ReceiptRow.user_id == user_id))
    return int(highest or 0) + 1


def _user_id(model: Receipt, existing: ReceiptRow | None, users: dict[str, UserModel], errors: list[str]
             ) -> str | None:
    if not provided(model, "User") and existing is not None:
        return existing.user_id
    user_id = normalise_guid(text(model.User.UserID) or "") if model.User is not None else None
    if user_id is None or user_id not in users:
        errors.append(USER_REQUIRED)
        return None
    return user_id


async def write(books: Books, element: dict[str, Any], *, path_id: str | None = None, unitdp: int = 2
                ) -> ReceiptRow:
    """Validate then create (``path_id`` ``None``) or update one receipt.

    Args:
        element: the request element (Xero field names).
        path_id: the ``ReceiptID`` of ``POST /Receipts/{ReceiptID}``.
        unitdp: decimal places kept on ``UnitAmount`` (2 or 4).

    Returns:
        The written row (flushed).

    Raises:
        ElementInvalid: the element is invalid (nothing written for it).
        NotFound: update of an unknown receipt.
    """
    model = parse_element(Receipt, element)
    existing: ReceiptRow | None = None
    if path_id is not None:
        existing = await get_by_id(books, path_id)
        if existing is None:
            raise NotFound()
    elif text(model.ReceiptID) and await get_by_id(books, text(model.ReceiptID) or ""):
        raise ElementInvalid([EXISTS.format(id=model.ReceiptID)])
    current = existing.status if existing is not None else None
    status = (model.Status or current or "DRAFT").upper()
    if status not in RECEIPT_STATUSES:
        raise ElementInvalid([STATUS_INVALID.format(statuses=", ".join(RECEIPT_STATUSES))])
    if status not in TRANSITIONS[current]:
        raise ElementInvalid([STATUS_CHANGE.format(current=current or "(new)", status=status)])
    edits = set(model.model_fields_set) - {"Status", "ReceiptID", "ReceiptNumber", "UpdatedDateUTC"}
    if existing is not None and edits and current not in EDITABLE:
        raise ElementInvalid([NOT_EDITABLE.format(current=current)])

    errors: list[str] = []
    users = await user_models(books)
    user_id = _user_id(model, existing, users, errors)
    contact, new_name = await doclines.read_contact(books, model, existing, errors)
    lat = doclines.read_line_amount_types(model, existing, errors)
    items = model.LineItems if model.LineItems is not None else (
        invoice_lines.existing_line_items(existing) if existing is not None else [])  # type: ignore[arg-type]
    if not items:
        errors.append(LINES_REQUIRED)
    drafts = await wd.line_drafts(books, items, side="PURCHASES", line_amount_types=lat, unitdp=unitdp,
                                  errors=errors, existing=existing)  # type: ignore[arg-type]
    for draft in drafts:
        if draft.account is None:
            if not draft.account_given:  # a code given but unknown is reported by the line rules already
                errors.append(ACCOUNT_REQUIRED)
        elif not draft.account.show_in_expense_claims:
            errors.append(ACCOUNT_NOT_CLAIMABLE.format(code=draft.account.code))
    reference = wd.text_field(model, "Reference", existing, "reference")
    wd.check_length(reference, field="Reference", limit=255, errors=errors)
    if errors:
        raise ElementInvalid(errors)
    assert user_id is not None

    contact = await wd.ensure_contact(books, contact, new_name)
    now = books.now()
    if existing is None:
        row = ReceiptRow(id=books.new_id("receipt"), company_id=books.company.id, user_id=user_id,
                         number=await _next_number(books, user_id), lines=[], total_discount=0)
        books.session.add(row)
    else:
        row = existing
        if status == "DECLINED" and current == "SUBMITTED":
            row.claim_id = None  # a declined receipt leaves its claim (its total no longer counts there)
    row.user_id, row.contact, row.contact_id = user_id, contact, contact.id
    row.date = model.Date if provided(model, "Date") and model.Date else (existing.date if existing else books.today())
    row.reference, row.status, row.line_amount_types = reference, status, lat
    row.lines[:] = invoice_lines.write_lines(books, row.lines, drafts,  # type: ignore[arg-type]
                                             lambda new_id: ReceiptLine(id=new_id, tracking=[]))
    totals = compute_totals([ld.result for ld in drafts if ld.result])
    row.sub_total, row.total_tax, row.total = totals.sub_total, totals.total_tax, totals.total
    row.total_discount = totals.total_discount
    row.updated_utc = now
    await books.session.flush()
    await history.record(books.session, company_id=books.company.id, resource=RESOURCE, record_id=row.id,
                         changes=history.status_change(current, status),
                         details=history.document_details(f"Receipt {row.number}", contact.name, row.total),
                         when=now)
    return row
