"""Quotes ↔ Sage ``sales_quotes`` (translation: :mod:`.translate.quotes`).

A mixin of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter`. Operations: ``getQuotes``, ``getQuote``,
``createQuotes``, ``updateOrCreateQuotes``, ``updateQuote`` (History and Attachments of quotes: :mod:`.ops_records`).

- ``GET /Quotes``: ``ContactID`` → ``contact_id``, ``Status`` → ``status_id`` and ``DateFrom``/``DateTo`` →
  ``from_date``/``to_date`` are pushed to Sage (GET /sales_quotes parameters); ``ExpiryDateFrom``/``ExpiryDateTo`` and
  ``QuoteNumber`` are applied in the gateway; ``order`` (default ``UpdatedDateUTC``) and ``page`` by
  :func:`adapters.common.listing.finish`.
- Writes follow :mod:`adapters.sage_accounting.batch` (every element prepared, then written; ``summarizeErrors``).
  ``Status`` ``DELETED`` deletes the quote (``DELETE /sales_quotes/{key}``, 204) and answers it DELETED; an
  ``INVOICED`` quote cannot be changed (Sage: "An invoiced quote cannot be edited").
"""

from __future__ import annotations

from functools import partial
from typing import Any

from adapters.common import listing as common_listing
from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.models.workflow import Quote
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from .batch import Perform
from .contacts import FoundContact, ensure_contact, find_contact, names_contact
from .ops_base import OpsBase, account_ids_of
from .translate.common import Tx, xero_text
from .translate.quotes import create_body, quote_from_sage, quote_table, update_body, written_status, xero_quote_status
from .unit import SageUnit

#: Reference kinds a quote translation needs.
QUOTE_KINDS = ("ledger_accounts", "tax_rates", "products", "services", "analysis_types")
#: Default order (Xero's quotes list by update, unconfirmed).
ORDER = [OrderTerm("UpdatedDateUTC"), OrderTerm("QuoteID")]
#: (unconfirmed)
QUOTE_NOT_FOUND = "Quote could not be found"
#: (unconfirmed)
INVOICED_QUOTE = "An invoiced quote cannot be changed."




class QuoteOps(OpsBase):
    """Mixin of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter` (module docstring)."""

    async def get_quotes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Quotes`` over ``GET /sales_quotes`` (module docstring)."""
        params = {"attributes": "all"}
        status = req.parameters.text("Status")
        expiry_from, expiry_to = req.parameters.date("ExpiryDateFrom"), req.parameters.date("ExpiryDateTo")
        for name, key in (("DateFrom", "from_date"), ("DateTo", "to_date")):
            value = req.parameters.date(name)
            if value is not None:
                params[key] = value.isoformat()
        number = req.parameters.text("QuoteNumber")
        async with self.unit(ctx, req) as unit:
            contact = req.parameters.guid("ContactID")
            if contact is not None:
                ref = await unit.find(contact, ("contacts",))
                if ref is None:
                    return Result(items=[])
                params["contact_id"] = ref.sage_id
            if status is not None:
                sage = written_status({"Status": status}, None)
                if sage in (None, "DELETED"):
                    return Result(items=[]) if status.upper() != "INVOICED" else await self._invoiced(unit, params)
                params["status_id"] = sage
            rows = await unit.list_all("/sales_quotes", params)
            tx = await unit.tx(*QUOTE_KINDS)
            models = [quote_from_sage(row, tx) for row in rows]

        def keep(model: Any) -> bool:
            if status is not None and model.Status != status.upper():
                return False
            if number is not None and (model.QuoteNumber or "").lower() != number.lower():
                return False
            expiry = model.ExpiryDate
            return (expiry_from is None or (expiry is not None and expiry >= expiry_from)) and \
                (expiry_to is None or (expiry is not None and expiry <= expiry_to))

        listed = common_listing.finish(models, req.query, keep=keep, sort=[*req.query.order, *ORDER])
        return Result(items=listed.items, pagination=listed.pagination)

    async def _invoiced(self, unit: SageUnit, params: dict[str, str]) -> Result:
        """Quotes Sage linked to an invoice (``Status=INVOICED``): read without a status filter, kept in the
        gateway."""
        rows = await unit.list_all("/sales_quotes", params)
        tx = await unit.tx(*QUOTE_KINDS)
        return Result(items=[quote_from_sage(r, tx) for r in rows if xero_quote_status(r) == "INVOICED"])

    async def get_quote(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Quotes/{QuoteID}`` → ``GET /sales_quotes/{key}``. Raises ``NotFound``."""
        async with self.unit(ctx, req) as unit:
            ref = await unit.find(req.path_params.get("QuoteID"), ("sales_quotes",))
            if ref is None:
                raise NotFound()
            row = await unit.read("sales_quotes", ref.sage_id)
            return Result(items=[quote_from_sage(row, await unit.tx(*QUOTE_KINDS))])

    async def create_quotes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Quotes`` → ``POST /sales_quotes`` per element."""
        return await self.write_batch(ctx, req, _prepare_quote, collection="Quotes", kinds=QUOTE_KINDS,
                                      upsert=False, target=None)

    async def update_or_create_quotes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Quotes``: known ``QuoteID`` s are changed, others created."""
        return await self.write_batch(ctx, req, _prepare_quote, collection="Quotes", kinds=QUOTE_KINDS,
                                      upsert=True, target=None)

    async def update_quote(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Quotes/{QuoteID}``: change (or delete) the quote."""
        return await self.write_batch(ctx, req, _prepare_quote, collection="Quotes", kinds=QUOTE_KINDS,
                                      upsert=True, target=req.path_params.get("QuoteID"))


async def _prepare_quote(unit: SageUnit, tx: Tx, index: int, element: dict[str, Any], *, upsert: bool,
                         target: str | None) -> Perform:
    """Validate and translate one quote (no write yet): a change of ``target`` or of the element's known id, else a
    create.

    Raises:
        ValidationException: an unknown QuoteID, a change of an invoiced quote, a status a client cannot write, no
            contact on a create, and the translation's errors.
    """
    account_ids = await account_ids_of(unit, [element])
    guid = target or xero_text(element, "QuoteID")
    if guid and (upsert or target):
        ref = await unit.find(guid, ("sales_quotes",))
        if ref is None:
            raise ValidationException.single(QUOTE_NOT_FOUND, element)
        current = await unit.read("sales_quotes", ref.sage_id)
        if xero_quote_status(current) == "INVOICED":
            raise ValidationException.single(INVOICED_QUOTE, element)
        status = written_status(element, None)
        body = update_body(element, tx, account_ids=account_ids)
        if status not in (None, "DELETED"):
            body["status_id"] = status
        found = await find_contact(unit, element) if names_contact(element) else None
        return partial(_change_quote, unit, tx, ref.sage_id, current, body, status == "DELETED", found, element)
    if not names_contact(element):
        raise ValidationException.single("A Contact must be specified for this type of transaction", element)
    found = await find_contact(unit, element)
    body = create_body(element, tx, today=unit.today(), account_ids=account_ids)
    return partial(_create_quote, unit, tx, body, found, f"sales_quotes:{index}", element)


async def _create_quote(unit: SageUnit, tx: Tx, body: dict[str, Any], found: FoundContact, label: str,
                        element: dict[str, Any]) -> Quote:
    kind = quote_table().kind
    body["contact_id"] = await ensure_contact(unit, found, needed_type=kind.contact_type, label=label,
                                              element=element)
    made = await unit.create(kind.resource, kind.wrapper, body, label=label, element=element)
    return quote_from_sage(made, tx)


async def _change_quote(unit: SageUnit, tx: Tx, sage_id: str, current: dict[str, Any], body: dict[str, Any],
                        delete: bool, found: FoundContact | None, element: dict[str, Any]) -> Quote:
    kind = quote_table().kind
    if delete:
        await unit.delete(kind.resource, sage_id, element=element)
        return quote_from_sage(current, tx).model_copy(update={"Status": "DELETED"})
    if found is not None:
        body["contact_id"] = await ensure_contact(unit, found, needed_type=kind.contact_type,
                                                  label=f"{kind.resource}:{sage_id}", element=element)
    row = await unit.update(kind.resource, kind.wrapper, sage_id, body, element=element) if body else current
    return quote_from_sage(row, tx)
