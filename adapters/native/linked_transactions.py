"""Linked transactions (billable expenses): a bill line (source) passed on to a customer and, later, to a line
of one of that customer's sales invoices (target).

Rules (spec ``components.schemas.LinkedTransaction`` and the ``/LinkedTransactions`` examples;
https://developer.xero.com/documentation/api/accounting/linkedtransactions):

- The source is an ``ACCPAY`` invoice of the organisation and one of its lines (``SourceTransactionID``,
  ``SourceLineItemID``, both required); ``SourceTransactionTypeCode`` is ``ACCPAY``. ``SPEND`` bank transactions
  are not accepted as sources by this ledger (see :data:`messages.LINKED_SOURCE_TYPE`).
- ``ContactID`` is the customer the expense is billed to; ``TargetTransactionID`` an ``ACCREC`` invoice of that
  customer and ``TargetLineItemID`` (optional) one of its lines. "The ContactID and the TargetTransaction
  ContactID do not match" and "The SourceLineItemID and SourceTransactionID do not match" are the spec's own
  example messages. A target without ``ContactID`` takes the target invoice's contact.
- ``Status`` is derived, never set ("derived from the statuses of the source and target transactions and cannot
  be explicitly set/updated", unconfirmed third-party documentation): VOIDED when the source bill is voided or
  deleted; DRAFT while the bill is a draft (DRAFT/SUBMITTED); BILLED when the target invoice is approved
  (AUTHORISED/PAID); ONDRAFT when it is still a draft; APPROVED otherwise (approved bill, not yet on an
  invoice). ``Type`` is always ``BILLABLEEXPENSE`` (spec).
- A bill line is billed once: a second linked transaction for the same source line is refused (unconfirmed).
- Billed or voided linked transactions cannot be changed or deleted (unconfirmed).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.fields import id_text
from gateway.xero.guids import normalise_guid
from gateway.xero.models.workflow import LinkedTransaction

from . import contacts, invoices, messages
from .books import Books
from .models import Invoice
from .models_workflow import LinkedTransactionRow
from .validation import ElementInvalid, parse_element, provided, text

TYPE = "BILLABLEEXPENSE"
LOCKED_STATUSES = frozenset({"BILLED", "VOIDED"})


async def get_by_id(books: Books, linked_id: str) -> LinkedTransactionRow | None:
    """A linked transaction of the company by id, or ``None``."""
    guid = normalise_guid(linked_id or "")
    row = await books.session.get(LinkedTransactionRow, guid) if guid else None
    return row if row is not None and row.company_id == books.company.id else None


async def all_rows(books: Books) -> list[LinkedTransactionRow]:
    """Every linked transaction of the company."""
    rows = await books.session.scalars(
        select(LinkedTransactionRow).where(LinkedTransactionRow.company_id == books.company.id))
    return list(rows)


def status(source: Invoice | None, target: Invoice | None) -> str:
    """The derived ``Status`` (see the module docstring)."""
    if source is None or source.status in ("VOIDED", "DELETED"):
        return "VOIDED"
    if source.status in ("DRAFT", "SUBMITTED"):
        return "DRAFT"
    if target is not None and target.status not in ("VOIDED", "DELETED"):
        return "BILLED" if target.status in ("AUTHORISED", "PAID") else "ONDRAFT"
    return "APPROVED"


async def to_model(books: Books, row: LinkedTransactionRow) -> LinkedTransaction:
    """A row → spec ``LinkedTransaction`` with its derived status."""
    source = await invoices.get_by_id(books, row.source_transaction_id)
    target = await invoices.get_by_id(books, row.target_transaction_id) if row.target_transaction_id else None
    return LinkedTransaction(
        LinkedTransactionID=row.id, SourceTransactionID=row.source_transaction_id,
        SourceLineItemID=row.source_line_item_id, ContactID=row.contact_id,
        TargetTransactionID=row.target_transaction_id, TargetLineItemID=row.target_line_item_id,
        Status=status(source, target), Type=row.type, UpdatedDateUTC=row.updated_utc,
        SourceTransactionTypeCode=row.source_transaction_type_code)


async def _source(books: Books, model: LinkedTransaction, errors: list[str]) -> Invoice | None:
    source_id, line_id = id_text(model.SourceTransactionID), id_text(model.SourceLineItemID)
    if not source_id or not line_id:
        errors.append(messages.LINKED_SOURCE_REQUIRED)
        return None
    source = await invoices.get_by_id(books, source_id)
    if source is None:
        errors.append(messages.LINKED_SOURCE_NOT_FOUND)
        return None
    if source.type != "ACCPAY":
        errors.append(messages.LINKED_SOURCE_TYPE)
        return None
    if line_id not in {ln.id for ln in source.lines}:
        errors.append(messages.LINKED_SOURCE_LINE_MISMATCH)
    return source


async def _target(books: Books, contact_id: str | None, target_id: str | None, target_line_id: str | None,
                  errors: list[str]) -> tuple[str | None, Invoice | None]:
    """Check the customer and target; returns ``(contact_id, target)`` (the target's contact by default)."""
    if contact_id is not None and await contacts.get_by_id(books, contact_id) is None:
        errors.append(messages.CONTACT_ID_NOT_FOUND.format(id=contact_id))
        return contact_id, None
    if target_id is None:
        if target_line_id is not None:
            errors.append(messages.LINKED_TARGET_REQUIRED)
        return contact_id, None
    target = await invoices.get_by_id(books, target_id)
    if target is None or target.type != "ACCREC" or target.status in ("VOIDED", "DELETED"):
        errors.append(messages.LINKED_TARGET_INVALID)
        return contact_id, None
    if contact_id is None:
        contact_id = target.contact_id
    elif target.contact_id != contact_id:
        errors.append(messages.LINKED_CONTACT_MISMATCH)
    if target_line_id is not None and target_line_id not in {ln.id for ln in target.lines}:
        errors.append(messages.LINKED_TARGET_LINE_MISMATCH)
    return contact_id, target


async def _source_line_taken(books: Books, line_id: str, existing: LinkedTransactionRow | None) -> bool:
    query = select(LinkedTransactionRow.id).where(LinkedTransactionRow.company_id == books.company.id,
                                                  LinkedTransactionRow.source_line_item_id == line_id)
    if existing is not None:
        query = query.where(LinkedTransactionRow.id != existing.id)
    return (await books.session.scalar(query.limit(1))) is not None


async def write(books: Books, element: dict[str, Any], *, path_id: str | None = None) -> LinkedTransactionRow:
    """Create a linked transaction, or update one (``path_id``, or a ``LinkedTransactionID`` in the element).

    Args:
        element: the request element (Xero field names).
        path_id: the ``LinkedTransactionID`` of ``POST /LinkedTransactions/{LinkedTransactionID}``.

    Returns:
        The written row (flushed).

    Raises:
        NotFound: ``path_id`` (or the element's ``LinkedTransactionID``) names no linked transaction.
        ElementInvalid: the element is invalid (nothing written).
    """
    model = parse_element(LinkedTransaction, element)
    existing: LinkedTransactionRow | None = None
    wanted = path_id if path_id is not None else text(model.LinkedTransactionID)
    if wanted:
        existing = await get_by_id(books, wanted)
        if existing is None:
            raise NotFound()
    errors: list[str] = []
    if existing is not None:
        current = (await to_model(books, existing)).Status
        if current in LOCKED_STATUSES:
            raise ElementInvalid([messages.LINKED_LOCKED.format(status=current)])
        for field, column in (("SourceTransactionID", "source_transaction_id"),
                              ("SourceLineItemID", "source_line_item_id")):
            if provided(model, field) and id_text(getattr(model, field)) != getattr(existing, column):
                errors.append(messages.LINKED_SOURCE_FIXED)
                break
        source_line_id = existing.source_line_item_id
    else:
        source = await _source(books, model, errors)
        source_line_id = id_text(model.SourceLineItemID) if source is not None else None
        if source_line_id and await _source_line_taken(books, source_line_id, None):
            errors.append(messages.LINKED_SOURCE_LINE_TAKEN)

    def pick(field: str, column: str) -> str | None:
        if provided(model, field):
            return id_text(getattr(model, field))
        return getattr(existing, column) if existing is not None else None

    contact_id = pick("ContactID", "contact_id")
    target_id = pick("TargetTransactionID", "target_transaction_id")
    target_line_id = pick("TargetLineItemID", "target_line_item_id")
    contact_id, _ = await _target(books, contact_id, target_id, target_line_id, errors)
    if errors:
        raise ElementInvalid(errors)

    if existing is None:
        existing = LinkedTransactionRow(
            id=books.new_id("linkedtransaction"), company_id=books.company.id,
            source_transaction_id=id_text(model.SourceTransactionID), source_line_item_id=source_line_id,
            type=TYPE, source_transaction_type_code="ACCPAY")
        books.session.add(existing)
    existing.contact_id, existing.target_transaction_id = contact_id, target_id
    existing.target_line_item_id = target_line_id
    existing.updated_utc = books.now()
    await books.session.flush()
    return existing


async def delete(books: Books, linked_id: str) -> None:
    """Delete a linked transaction (``DELETE /LinkedTransactions/{id}``; HTTP 204).

    Raises:
        NotFound: no such linked transaction.
        ValidationException: it is billed or voided.
    """
    row = await get_by_id(books, linked_id)
    if row is None:
        raise NotFound()
    current = (await to_model(books, row)).Status
    if current in LOCKED_STATUSES:
        raise ValidationException.single(messages.LINKED_LOCKED.format(status=current))
    await books.session.delete(row)
    await books.session.flush()
