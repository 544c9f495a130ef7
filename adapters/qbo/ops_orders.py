"""Quotes (QBO Estimate) and PurchaseOrders (QBO PurchaseOrder): lists, reads, writes
(translation in :mod:`adapters.qbo.translate.orders`, statuses in ``mappings/qbo_statuses.toml``).

Lists run through :mod:`adapters.qbo.listing` (``where``, ``order``, ``page``, ``If-Modified-Since`` pushed down where
QBO can); the operation's own parameters (``Status``, ``DateFrom``/``DateTo``, ``ExpiryDateFrom``/``ExpiryDateTo``,
``ContactID``, ``QuoteNumber``) filter the translated records. Writes: PUT creates, POST creates or updates (an id
names the record); the status decides the action (``[write.quote]``, ``[write.purchase_order]``: a QBO state, or
``delete``); the contact is a Customer (quotes) or Vendor (purchase orders), paired or created as for invoices.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.guids import is_guid
from gateway.xero.models import ValidationError, XeroModel
from gateway.xero.models.workflow import PurchaseOrder, Quote
from gateway.xero.request import RequestContext, Result, XeroRequest

from . import attachments, codes, listing, refdata
from .batch import Journal, write_all
from .contacts import party
from .documents import WRITE_KINDS, ensure_sales_items
from .ops_base import OperationsBase, draft_warning, path_param, plan_for
from .query import Resource, quote
from .resources import PURCHASE_ORDERS, QUOTES
from .translate.common import text
from .translate.orders import (
    ESTIMATE,
    PURCHASE_ORDER,
    purchase_order_to_qbo,
    purchase_order_to_xero,
    quote_to_qbo,
    quote_to_xero,
    unkept_warning,
)
from .unit import QboUnit


@dataclass(frozen=True)
class Order:
    """Quotes or PurchaseOrders."""

    resource: Resource
    entity: str
    party: str
    model: type[XeroModel]
    id_field: str
    number_field: str
    noun: str
    date_params: tuple[tuple[str, str], ...]

    def translate(self, row: dict[str, Any], t: Any) -> XeroModel:
        return quote_to_xero(row, t) if self.entity == ESTIMATE.entity else purchase_order_to_xero(row, t)


QUOTE_ORDER = Order(QUOTES, ESTIMATE.entity, "Customer", Quote, "QuoteID", "QuoteNumber", "quote",
                    (("DateFrom", "Date"), ("DateTo", "Date"), ("ExpiryDateFrom", "ExpiryDate"),
                     ("ExpiryDateTo", "ExpiryDate")))
PO_ORDER = Order(PURCHASE_ORDERS, PURCHASE_ORDER.entity, "Vendor", PurchaseOrder, "PurchaseOrderID",
                 "PurchaseOrderNumber", "purchase order", (("DateFrom", "Date"), ("DateTo", "Date")))




def _filter(req: XeroRequest, order: Order) -> Callable[[Any], bool] | None:
    """The filter of the operation's own parameters, ``None`` when none is given.

    Raises:
        ValidationException: a parameter that is not a date where one is expected.
    """
    status = (req.parameters.text("Status") or "").upper() or None
    contact = req.parameters.guid("ContactID") if order is QUOTE_ORDER else None
    number = req.parameters.text("QuoteNumber") if order is QUOTE_ORDER else None
    bounds = [(name, field, req.parameters.date(name)) for name, field in order.date_params]
    bounds = [b for b in bounds if b[2] is not None]
    if not (status or contact or number or bounds):
        return None

    def keep(model: Any) -> bool:
        if status and model.Status != status:
            return False
        if contact and (model.Contact is None or model.Contact.ContactID != contact.lower()):
            return False
        if number and number.lower() not in (model.QuoteNumber or "").lower():
            return False
        for name, field, bound in bounds:
            value = getattr(model, field)
            if value is None or (value < bound if name.endswith("From") else value > bound):
                return False
        return True
    return keep


class OrderOperations(OperationsBase):
    """Quotes and PurchaseOrders."""

    # Reads ---------------------------------------------------------------------------------------------------

    async def _order_list(self, ctx: RequestContext, req: XeroRequest, order: Order) -> Result:
        keep = _filter(req, order)
        async with self.unit(ctx, req) as unit:
            plan = await plan_for(unit, req.query, order.resource, order.model)
            t = await unit.tx(*refdata.DOCUMENT_KINDS)

            async def translate(rows: list[tuple[str, dict[str, Any]]]) -> list[XeroModel]:
                return [order.translate(row, t) for _, row in rows]

            listed = await listing.run(unit, plan, req.query, translate=translate, keep=keep)
            return Result(items=listed.items, pagination=listed.pagination)

    async def _find_order(self, unit: QboUnit, order: Order, key: str) -> dict[str, Any]:
        """An Estimate/PurchaseOrder by GUID or by its number. Raises NotFound."""
        if is_guid(key):
            ref = await unit.find(key, (order.entity,))
            if ref is None:
                raise NotFound()
            return await unit.read(order.entity, ref.qbo_id)
        text_ = f"SELECT * FROM {order.entity} WHERE DocNumber = {quote(key)}"  # noqa: S608 - quoted
        rows = (await unit.query(text_)).get(order.entity) or []
        found = [r for r in rows if str(r.get("DocNumber")) == key]
        if not found:
            raise NotFound()
        return found[0]

    async def _order_one(self, ctx: RequestContext, req: XeroRequest, order: Order, param: str) -> Result:
        key = path_param(req, param)
        async with self.unit(ctx, req) as unit:
            row = await self._find_order(unit, order, key)
            return Result(items=[await attachments.mark_one(
                unit, order.translate(row, await unit.tx(*refdata.DOCUMENT_KINDS)), resource=order.resource.name,
                entity=order.entity, qbo_id=str(row["Id"]), api_root=self.api_root())])

    async def get_quotes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Quotes``: QBO Estimates."""
        return await self._order_list(ctx, req, QUOTE_ORDER)

    async def get_quote(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Quotes/{QuoteID}``. Raises NotFound."""
        return await self._order_one(ctx, req, QUOTE_ORDER, "QuoteID")

    async def get_purchase_orders(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /PurchaseOrders``: QBO PurchaseOrders."""
        return await self._order_list(ctx, req, PO_ORDER)

    async def get_purchase_order(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /PurchaseOrders/{PurchaseOrderID}``. Raises NotFound."""
        return await self._order_one(ctx, req, PO_ORDER, "PurchaseOrderID")

    async def get_purchase_order_by_number(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /PurchaseOrders/{PurchaseOrderNumber}`` (``DocNumber``). Raises NotFound."""
        return await self._order_one(ctx, req, PO_ORDER, "PurchaseOrderNumber")

    # Writes --------------------------------------------------------------------------------------------------

    async def create_quotes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Quotes``."""
        return await self._order_write(ctx, req, QUOTE_ORDER)

    async def update_or_create_quotes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Quotes``."""
        return await self._order_write(ctx, req, QUOTE_ORDER)

    async def update_quote(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Quotes/{QuoteID}``."""
        key = path_param(req, "QuoteID")
        req.elements = [{**e, "QuoteID": key} for e in req.elements] or [{"QuoteID": key}]
        return await self._order_write(ctx, req, QUOTE_ORDER)

    async def create_purchase_orders(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /PurchaseOrders``."""
        return await self._order_write(ctx, req, PO_ORDER)

    async def update_or_create_purchase_orders(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /PurchaseOrders``."""
        return await self._order_write(ctx, req, PO_ORDER)

    async def update_purchase_order(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /PurchaseOrders/{PurchaseOrderID}``."""
        key = path_param(req, "PurchaseOrderID")
        req.elements = [{**e, "PurchaseOrderID": key} for e in req.elements] or [{"PurchaseOrderID": key}]
        return await self._order_write(ctx, req, PO_ORDER)

    async def _order_write(self, ctx: RequestContext, req: XeroRequest, order: Order) -> Result:
        async with self.unit(ctx, req) as unit:
            async def one(index: int, element: dict[str, Any], journal: Journal) -> XeroModel:
                return await self._order_write_one(unit, order, index, element, journal)

            return Result(items=await write_all(unit, req.elements, one, model=order.model))

    async def _order_write_one(self, unit: QboUnit, order: Order, index: int, element: dict[str, Any],
                               journal: Journal) -> XeroModel:
        asked = (text(element.get("Status")) or "").upper() or None
        table = codes.statuses().write.quote if order is QUOTE_ORDER else codes.statuses().write.purchase_order
        state = table.get(asked) if asked else None
        if asked and state is None:
            raise ValidationException.single(f"'{asked}' is not a valid status for a {order.noun}", element)
        key = text(element.get(order.id_field))
        current = None
        if key is not None:
            try:
                current = await self._find_order(unit, order, key)
            except NotFound:
                raise ValidationException.single(f"The {order.noun} '{key}' could not be found", element) from None
        t = await unit.tx(*WRITE_KINDS)
        if state == "delete":
            if current is None:
                raise ValidationException.single(f"Only an existing {order.noun} can be deleted", element)
            await unit.delete(order.entity, current, label=f"main:{index}", element=element)
            model = order.translate(current, t)
            model.Status = "DELETED"  # type: ignore[attr-defined]
            return model
        party_id = None
        if current is None or isinstance(element.get("Contact"), dict):
            party_id = await party(unit, element.get("Contact"), order.party, element, journal, index)
        if order is QUOTE_ORDER:
            t = await ensure_sales_items(unit, element, t, journal)
            body = quote_to_qbo(element, t, party_id=party_id, tx_status=state, sent=asked == "SENT",
                                create=current is None)
        else:
            body = purchase_order_to_qbo(element, t, party_id=party_id, po_status=state, create=current is None)
        if current is None:
            row = await unit.create(order.entity, body, label=f"main:{index}", element=element)
            journal.add(order.entity, row)
        else:
            row = await unit.update(order.entity, current, body, label=f"main:{index}", element=element) \
                if body else current
        model = order.translate(row, t)
        warnings = unkept_warning(element, order.entity)
        if order is PO_ORDER:
            warnings += draft_warning(asked, order.noun, codes.statuses().purchase_order["Open"])
        if warnings and "Warnings" in type(model).model_fields:
            model.Warnings = [ValidationError(Message=w) for w in warnings]  # type: ignore[attr-defined]
        return model
