"""What quotes and purchase orders share: lookups, numbering, contact and line validation, writing lines.

Both are non-posting documents (:class:`~adapters.native.models_workflow.WorkflowDocument`): a contact, lines
whose amounts and tax are computed exactly as an invoice's (:mod:`adapters.native.taxmath`, through the invoice
line validation of :mod:`adapters.native.invoices`), totals, a number and a status. Neither ever writes a
journal.

Numbering (spec ``PurchaseOrder.PurchaseOrderNumber``: "when missing will auto-generate from your Organisation
Invoice Settings"; Xero's default prefixes ``QU-`` and ``PO-``, spec examples ``QU-0001``/``PO-0001``): the next
number is one more than the highest ``{prefix}nnnn`` number the company has used for that kind.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from gateway.xero import models as xm
from gateway.xero.errors import NotFound
from gateway.xero.guids import normalise_guid

from . import contacts, invoices, messages, taxrules, tracking
from . import items as item_catalogue
from .books import Books
from .invoices import LineDraft
from .models import Contact
from .models_workflow import WorkflowDocument, WorkflowLine
from .taxmath import compute_totals
from .validation import ElementInvalid


@dataclass(frozen=True)
class DocumentKind:
    """One kind of workflow document.

    Attributes:
        kind: the ``WorkflowDocument.kind`` value (``"QUOTE"``, ``"PURCHASEORDER"``).
        resource: Xero's collection name (``"Quotes"``), also the history/attachment resource name.
        prefix: the automatic number prefix (``"QU-"``).
        label: the word used in messages (``"Quote"``).
        id_field: the spec's id field (``"QuoteID"``).
    """

    kind: str
    resource: str
    prefix: str
    label: str
    id_field: str


QUOTE = DocumentKind(kind="QUOTE", resource="Quotes", prefix="QU-", label="Quote", id_field="QuoteID")
PURCHASE_ORDER = DocumentKind(kind="PURCHASEORDER", resource="PurchaseOrders", prefix="PO-",
                              label="Purchase Order", id_field="PurchaseOrderID")


async def get_by_id(books: Books, kind: DocumentKind, document_id: str) -> WorkflowDocument | None:
    """A document of the company and kind by id (GUID with or without hyphens), or ``None``."""
    guid = normalise_guid(document_id or "")
    row = await books.session.get(WorkflowDocument, guid) if guid else None
    if row is None or row.company_id != books.company.id or row.kind != kind.kind:
        return None
    return row


async def get_by_number(books: Books, kind: DocumentKind, number: str) -> WorkflowDocument | None:
    """The most recent non-deleted document of the kind with this number (case-insensitive), or ``None``."""
    return await books.session.scalar(
        select(WorkflowDocument)
        .where(WorkflowDocument.company_id == books.company.id, WorkflowDocument.kind == kind.kind,
               func.lower(WorkflowDocument.number) == number.strip().lower(), WorkflowDocument.status != "DELETED")
        .order_by(WorkflowDocument.updated_utc.desc()).limit(1))


async def find_target(books: Books, kind: DocumentKind, *, mode: str, record_id: str | None, number: str | None,
                      path_id: str | None, by_path: Callable[[Books, str], Awaitable[WorkflowDocument | None]]
                      ) -> WorkflowDocument | None:
    """The document a quote/purchase-order write addresses, or ``None`` to create.

    Args:
        kind: the document kind (its ``label`` names it in messages).
        mode: ``"create"`` (PUT: an existing id is an error), ``"upsert"`` (POST: by id, else by number) or
            ``"update"`` (POST to the document's own path).
        record_id, number: the element's id (``QuoteID``…) and number (``QuoteNumber``…).
        path_id: the path parameter of ``update``; resolved with ``by_path``.
        by_path: how the path parameter is looked up (by id, or by id or number).

    Raises:
        NotFound: ``update`` of an unknown document.
        ElementInvalid: PUT with the id of an existing document; POST with an unknown id.
    """
    if mode == "update":
        row = await by_path(books, path_id or "")
        if row is None:
            raise NotFound()
        return row
    if mode == "create":
        if record_id and await get_by_id(books, kind, record_id):
            raise ElementInvalid([messages.WORKFLOW_EXISTS.format(label=kind.label, field=kind.id_field,
                                                                  id=record_id)])
        return None
    if record_id:
        row = await get_by_id(books, kind, record_id)
        if row is None:
            raise ElementInvalid([messages.WORKFLOW_NOT_FOUND.format(label=kind.label)])
        return row
    return await get_by_number(books, kind, number) if number else None


async def all_rows(books: Books, kind: DocumentKind) -> list[WorkflowDocument]:
    """Every document of the kind (every status)."""
    rows = await books.session.scalars(
        select(WorkflowDocument).where(WorkflowDocument.company_id == books.company.id,
                                       WorkflowDocument.kind == kind.kind))
    return list(rows)


async def number_taken(books: Books, kind: DocumentKind, number: str, existing: WorkflowDocument | None) -> bool:
    """Whether another non-deleted document of the kind already uses ``number`` (case-insensitive)."""
    query = select(func.count()).select_from(WorkflowDocument).where(
        WorkflowDocument.company_id == books.company.id, WorkflowDocument.kind == kind.kind,
        WorkflowDocument.status != "DELETED", func.lower(WorkflowDocument.number) == number.strip().lower())
    if existing is not None:
        query = query.where(WorkflowDocument.id != existing.id)
    return bool(await books.session.scalar(query))


async def next_number(books: Books, kind: DocumentKind) -> str:
    """The next automatic number: ``{prefix}`` + one more than the highest used, 4 digits (``QU-0001``)."""
    pattern = re.compile(rf"^{re.escape(kind.prefix)}(\d+)$", re.IGNORECASE)
    numbers = await books.session.scalars(
        select(WorkflowDocument.number).where(WorkflowDocument.company_id == books.company.id,
                                              WorkflowDocument.kind == kind.kind))
    highest = max((int(m.group(1)) for n in numbers if (m := pattern.match(n or ""))), default=0)
    return f"{kind.prefix}{highest + 1:04d}"


async def resolve_contact(books: Books, ref: xm.Contact | None, errors: list[str]
                          ) -> tuple[Contact | None, str | None]:
    """The document's contact by ``ContactID``, ``ContactNumber`` or ``Name`` (the invoice rule).

    Returns:
        ``(contact, None)`` for a known contact, ``(None, name)`` when an unknown name is to be created by
        :func:`ensure_contact` once the whole element is valid, ``(None, None)`` with a message appended to
        ``errors`` otherwise. Nothing is written here.
    """
    return await invoices._resolve_contact(books, ref, errors)  # noqa: SLF001 - the shared invoice rule


async def ensure_contact(books: Books, contact: Contact | None, new_name: str | None) -> Contact:
    """The resolved contact, creating the named one now (call only after validation passed)."""
    if contact is not None:
        return contact
    if not new_name:  # pragma: no cover - resolve_contact reported the problem already
        raise ElementInvalid([messages.CONTACT_REQUIRED])
    return await contacts.create_by_name(books, new_name)


async def line_drafts(books: Books, items: list[xm.LineItem], *, side: str, line_amount_types: str, unitdp: int,
                      errors: list[str], existing: WorkflowDocument | None = None) -> list[LineDraft]:
    """Validate lines as invoice lines are validated (the same steps as ``invoices.build_draft``).

    ``ItemCode`` fills what a line omits (:func:`adapters.native.items.line_defaults`); accounts, tax types,
    ``LineAmount`` checks and amounts are the invoice line rules; the tax type must suit the side
    (:mod:`adapters.native.taxrules`: output VAT on quotes, input VAT on purchase orders); ``Tracking`` is
    validated by :func:`adapters.native.tracking.resolve`. Discounts are allowed on both (spec ``Quote`` and
    ``PurchaseOrder`` carry ``TotalDiscount``).

    Args:
        side: ``"SALES"`` (quotes) or ``"PURCHASES"`` (purchase orders).
        existing: the document being updated (its lines' stored tracking may keep archived options).
    """
    items = [await item_catalogue.line_defaults(books, item, side=side, errors=errors) for item in items]
    # A document type the tax-side table does not list ("") skips the invoice-only side and discount checks.
    drafts = [invoices._line_draft(books, item, inv_type="",  # noqa: SLF001 - the shared invoice line rule
                                   line_amount_types=line_amount_types, unitdp=unitdp, errors=errors)
              for item in items]
    for draft in drafts:
        rate = books.tax_rates.get(draft.tax_type)
        if rate is not None and not taxrules.usable_on(rate, side):
            errors.append(messages.TAX_TYPE_INVALID.format(tax_type=draft.tax_type))
    stored = {ln.id: ln.tracking for ln in existing.lines} if existing is not None else {}
    for draft, item in zip(drafts, items, strict=True):
        draft.tracking = await tracking.resolve(books, item.Tracking, errors=errors,
                                                keep=stored.get(draft.line_item_id or ""))
    if any(not (item.Description or "").strip() and not (item.ItemCode or "").strip() for item in items):
        errors.append(messages.WORKFLOW_LINE_DESCRIPTION)
    return drafts


def existing_line_items(row: WorkflowDocument) -> list[xm.LineItem]:
    """The stored lines as request line items (to re-validate them when other fields change)."""
    return invoices._existing_line_items(row)  # type: ignore[arg-type]  # noqa: SLF001 - same line columns


def write_lines(books: Books, row: WorkflowDocument, drafts: list[LineDraft]) -> None:
    """Replace the document's lines by ``drafts`` (lines sent with their ``LineItemID`` keep it) and set the
    totals."""
    by_id = {ln.id: ln for ln in row.lines}
    kept: list[WorkflowLine] = []
    for position, ld in enumerate(drafts, start=1):
        line = by_id.pop(ld.line_item_id, None) if ld.line_item_id else None
        if line is None:
            line = WorkflowLine(id=books.new_id("line"), tracking=[])
        result = ld.result
        if result is None:  # pragma: no cover - _line_draft always computes a result
            raise ElementInvalid([messages.LINE_AMOUNT_MISMATCH])
        line.position = position
        line.description = ld.description
        line.quantity = ld.quantity
        line.unit_amount = ld.unit_amount
        line.item_code = ld.item_code
        line.account_id = ld.account.id if ld.account else None
        line.account_code = ld.account.code if ld.account else None
        line.tax_type = ld.tax_type
        line.tax_amount = result.tax_amount
        line.line_amount = result.line_amount
        line.discount_rate = ld.discount_rate
        line.discount_amount = ld.discount_amount
        line.tracking = ld.tracking
        kept.append(line)
    row.lines[:] = kept
    totals = compute_totals([ld.result for ld in drafts if ld.result])
    row.sub_total, row.total_tax, row.total = totals.sub_total, totals.total_tax, totals.total
    row.total_discount = totals.total_discount


def check_length(value: str | None, *, field: str, limit: int, errors: list[str]) -> None:
    """Append a message when ``value`` is longer than the spec's ``maxLength``."""
    if value is not None and len(value) > limit:
        errors.append(messages.WORKFLOW_FIELD_TOO_LONG.format(field=field, limit=limit))


def text_field(model: Any, name: str, existing: WorkflowDocument | None, column: str) -> str | None:
    """The value a text field will have: the client's (``""`` clears it) or the stored one."""
    if name in model.model_fields_set:
        value = getattr(model, name)
        return value.strip() if isinstance(value, str) and value.strip() else None
    return getattr(existing, column) if existing is not None else None


ZERO = Decimal("0.00")
