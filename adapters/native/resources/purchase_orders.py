"""Purchase orders: validation, status changes, numbering, translation. No ledger posting.

Rules (spec ``components.schemas.PurchaseOrder``;
https://developer.xero.com/documentation/api/accounting/purchaseorders):

- Statuses ``DRAFT``, ``SUBMITTED``, ``AUTHORISED``, ``BILLED``, ``DELETED`` (spec enum). A purchase order is
  created as DRAFT (the default), SUBMITTED or AUTHORISED; :data:`TRANSITIONS` lists the changes a client may
  make afterwards (draft → submitted → authorised → billed, back a step while not billed, delete before
  billing; the exact table is unconfirmed). BILLED and DELETED orders cannot be edited.
- ``SentToContact`` "can be set only on purchase orders that have been approved or billed" (spec).
- ``Contact`` is required, and so is at least one line with a ``Description`` or an ``ItemCode`` (unconfirmed).
- ``Date`` defaults to today (spec). ``DeliveryInstructions`` is at most 500 characters (spec: "500 characters
  max").
- ``PurchaseOrderNumber`` is ``PO-0001``… when missing ("will auto-generate", spec) and unique among live
  purchase orders (unconfirmed).
- ``LineAmountTypes`` is ``Exclusive`` (default), ``Inclusive`` or ``NoTax`` (spec ``LineAmountTypes``).
- Every write records history (``Created``, the status word, or ``Edited``).
"""

from __future__ import annotations

from typing import Any

from gateway.xero.models.workflow import PURCHASE_ORDER_STATUSES, PurchaseOrder

from .. import messages
from ..books import Books
from ..ledger.taxmath import round2
from ..tables.workflow import WorkflowDocument
from ..translate import core as translate
from ..validation import ElementInvalid, parse_element, provided, text
from . import doclines
from . import workflow_documents as wd

KIND = wd.PURCHASE_ORDER
CREATE_STATUSES = frozenset({"DRAFT", "SUBMITTED", "AUTHORISED"})
#: current status → statuses a client may set (see the module docstring; unconfirmed).
TRANSITIONS: dict[str, frozenset[str]] = {
    "DRAFT": frozenset({"DRAFT", "SUBMITTED", "AUTHORISED", "DELETED"}),
    "SUBMITTED": frozenset({"SUBMITTED", "DRAFT", "AUTHORISED", "DELETED"}),
    "AUTHORISED": frozenset({"AUTHORISED", "SUBMITTED", "BILLED", "DELETED"}),
    "BILLED": frozenset({"BILLED", "AUTHORISED"}),
    "DELETED": frozenset(),
}
SENT_STATUSES = frozenset({"AUTHORISED", "BILLED"})
DELIVERY_INSTRUCTIONS_MAX = 500


def to_model(row: WorkflowDocument, *, unitdp: int = 2, has_attachments: bool = False) -> PurchaseOrder:
    """A purchase-order row → spec ``PurchaseOrder`` (with its lines)."""
    contact = row.contact
    return PurchaseOrder(
        PurchaseOrderID=row.id, PurchaseOrderNumber=row.number,
        Contact=translate.contact_ref(contact),
        LineItems=[translate.line_item(line, unitdp=unitdp) for line in row.lines],  # type: ignore[arg-type]
        Date=row.date, DeliveryDate=row.delivery_date, LineAmountTypes=row.line_amount_types,
        Reference=row.reference or "", BrandingThemeID=row.branding_theme_id, CurrencyCode=row.currency_code,
        Status=row.status, SentToContact=row.sent_to_contact, DeliveryAddress=row.delivery_address,
        AttentionTo=row.attention_to, Telephone=row.telephone, DeliveryInstructions=row.delivery_instructions,
        ExpectedArrivalDate=row.expected_arrival_date, CurrencyRate=row.currency_rate,
        SubTotal=round2(row.sub_total), TotalTax=round2(row.total_tax), Total=round2(row.total),
        TotalDiscount=round2(row.total_discount) if row.total_discount else None, HasAttachments=has_attachments,
        UpdatedDateUTC=row.updated_utc)


async def get_by_id_or_number(books: Books, value: str) -> WorkflowDocument | None:
    """``GET /PurchaseOrders/{PurchaseOrderID}`` or ``/{PurchaseOrderNumber}``: by id, else by number."""
    row = await wd.get_by_id(books, KIND, value)
    return row if row is not None else await wd.get_by_number(books, KIND, value)


async def find_target(books: Books, model: PurchaseOrder, *, mode: str, path_id: str | None
                      ) -> WorkflowDocument | None:
    """The purchase order a write addresses, or ``None`` to create (:func:`workflow_documents.find_target`; the
    path of ``update`` may carry the id or the number).

    Raises:
        NotFound: ``update`` of an unknown purchase order.
        ElementInvalid: PUT with the id of an existing order; POST with an unknown ``PurchaseOrderID``.
    """
    return await wd.find_target(books, KIND, mode=mode, record_id=text(model.PurchaseOrderID),
                                number=text(model.PurchaseOrderNumber), path_id=path_id,
                                by_path=get_by_id_or_number)


async def write(books: Books, element: dict[str, Any], *, mode: str, path_id: str | None = None,
                unitdp: int = 2) -> WorkflowDocument:
    """Validate then create or update one purchase order.

    Args:
        element: the request element (Xero field names).
        mode: ``"create"``, ``"upsert"`` or ``"update"`` (see :func:`find_target`).
        path_id: the ``PurchaseOrderID`` of ``POST /PurchaseOrders/{PurchaseOrderID}``.
        unitdp: decimal places kept on ``UnitAmount`` (2 or 4).

    Returns:
        The written row (flushed).

    Raises:
        ElementInvalid: the element is invalid (nothing written for it).
        NotFound: ``update`` of an unknown purchase order.
    """
    model = parse_element(PurchaseOrder, element)
    existing = await find_target(books, model, mode=mode, path_id=path_id)
    errors: list[str] = []
    current = existing.status if existing is not None else None
    status = (model.Status or current or "DRAFT").upper()
    wd.check_status(KIND, status=status, current=current, statuses=PURCHASE_ORDER_STATUSES,
                    create_statuses=CREATE_STATUSES, transitions=TRANSITIONS, errors=errors)

    contact = await wd.read_contact(books, model, existing, errors)
    lat = doclines.read_line_amount_types(model, existing, errors)
    parts = await wd.read_parts(books, KIND, model, existing, contact=contact, side="PURCHASES",
                                line_amount_types=lat, unitdp=unitdp, errors=errors)

    sent = model.SentToContact if provided(model, "SentToContact") and model.SentToContact is not None else (
        existing.sent_to_contact if existing is not None else False)
    if sent and status not in SENT_STATUSES:
        if provided(model, "SentToContact"):
            errors.append(messages.PURCHASE_ORDER_SENT_STATUS)
        sent = False
    date = model.Date if provided(model, "Date") and model.Date else (existing.date if existing else books.today())
    number = wd.text_field(model, "PurchaseOrderNumber", existing, "number")
    instructions = wd.text_field(model, "DeliveryInstructions", existing, "delivery_instructions")
    wd.check_length(instructions, field="DeliveryInstructions", limit=DELIVERY_INSTRUCTIONS_MAX, errors=errors)
    wd.check_length(number, field="PurchaseOrderNumber", limit=255, errors=errors)
    if number and await wd.number_taken(books, KIND, number, existing):
        errors.append(messages.WORKFLOW_NUMBER_UNIQUE.format(label=KIND.label, field="PurchaseOrderNumber"))
    if errors:
        raise ElementInvalid(errors)

    row = await wd.open_row(books, KIND, existing, parts, number=number, id_kind="purchaseorder")
    now = books.now()
    row.reference = wd.text_field(model, "Reference", existing, "reference")
    row.date, row.status, row.sent_to_contact = date, status, sent
    for field, column in (("DeliveryDate", "delivery_date"), ("ExpectedArrivalDate", "expected_arrival_date")):
        if provided(model, field):
            setattr(row, column, getattr(model, field))
    row.delivery_address = wd.text_field(model, "DeliveryAddress", existing, "delivery_address")
    row.attention_to = wd.text_field(model, "AttentionTo", existing, "attention_to")
    row.telephone = wd.text_field(model, "Telephone", existing, "telephone")
    row.delivery_instructions = instructions
    row.line_amount_types, row.currency_code = lat, parts.currency
    await wd.close_row(books, KIND, row, model, parts, current=current, now=now)
    return row
