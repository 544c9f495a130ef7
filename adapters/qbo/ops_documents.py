"""Invoices (QBO Invoice + Bill) and CreditNotes (QBO CreditMemo + VendorCredit).

Reads translate with :mod:`.translate.documents` (lists through the adapter's cache of translated records,
:mod:`adapters.qbo.translated`); lists run through :mod:`adapters.qbo.listing` (a page of 100
invoices with a warm cache is one QBO query). Writes (PUT creates, POST creates or updates; an element with an id
updates in both, as the id names the record):

- the status asked for decides the action (``mappings/qbo_statuses.toml`` ``[write.document]``): ``post`` creates or
  sparse-updates the document, which QBO posts at once (DRAFT/SUBMITTED answer AUTHORISED with a warning); ``void``
  voids it where QBO can (Invoice), ``delete`` deletes it;
- the contact is the element's ``Contact`` (:func:`adapters.qbo.contacts.party`: a Customer for
  sales documents, a Vendor for purchases, created or paired as needed);
- a sales line given only an account uses an item of that account, created first when none exists
  (:func:`adapters.qbo.translate.lines.accounts_needing_items`).
"""

from __future__ import annotations

from typing import Any

from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.models import ValidationError, XeroModel
from gateway.xero.models.documents import Invoice
from gateway.xero.request import RequestContext, Result, XeroRequest

from . import attachments, codes, listing, refdata
from .batch import Journal, write_all
from .contacts import party
from .documents import CREDIT_FAMILY, INVOICE_FAMILY, WRITE_KINDS, Family, ensure_sales_items, find_document
from .ops_base import OperationsBase, draft_warning, path_param, plan_for, write_action
from .translate.common import text
from .translate.documents import (
    BY_ENTITY,
    BY_TYPE,
    document_to_qbo,
)
from .unit import QboUnit


class DocumentOperations(OperationsBase):
    """Invoices and CreditNotes."""

    # Reads ---------------------------------------------------------------------------------------------------

    async def _list(self, ctx: RequestContext, req: XeroRequest, family: Family) -> Result:
        async with self.unit(ctx, req) as unit:
            plan = await plan_for(unit, req.query, family.resource, family.model)
            t = await unit.tx(*refdata.DOCUMENT_KINDS)

            async def translate(rows: list[tuple[str, dict[str, Any]]]) -> list[XeroModel]:
                return unit.translated.translate(rows, t, lambda entity, row: family.translate(row, BY_ENTITY[entity],
                                                                                              t))

            keep = None
            if req.query.search_term and family.model is Invoice:
                needle = req.query.search_term.lower()

                def keep(model: Any) -> bool:  # Xero: InvoiceNumber and Reference, without regard to case
                    return any(needle in (v or "").lower() for v in (model.InvoiceNumber, model.Reference))

            listed = await listing.run(unit, plan, req.query, translate=translate, keep=keep)
            return Result(items=listed.items, pagination=listed.pagination)

    async def _one(self, ctx: RequestContext, req: XeroRequest, family: Family) -> Result:
        key = req.path_params.get(family.id_field) or path_param(req, family.number_field)
        async with self.unit(ctx, req) as unit:
            entity, row = await find_document(unit, family, key)
            t = await unit.tx(*refdata.DOCUMENT_KINDS)
            model = await attachments.mark_one(unit, family.translate(row, BY_ENTITY[entity], t),
                                               resource=family.resource.name, entity=entity, qbo_id=str(row["Id"]),
                                               api_root=self.api_root())
            return Result(items=[model])

    async def get_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Invoices``: QBO Invoices (ACCREC) and Bills (ACCPAY)."""
        return await self._list(ctx, req, INVOICE_FAMILY)

    async def get_invoice(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Invoices/{InvoiceID}`` (or an invoice number). Raises NotFound."""
        return await self._one(ctx, req, INVOICE_FAMILY)

    async def get_credit_notes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /CreditNotes``: QBO CreditMemos (ACCRECCREDIT) and VendorCredits (ACCPAYCREDIT)."""
        return await self._list(ctx, req, CREDIT_FAMILY)

    async def get_credit_note(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /CreditNotes/{CreditNoteID}``. Raises NotFound."""
        return await self._one(ctx, req, CREDIT_FAMILY)

    # Writes --------------------------------------------------------------------------------------------------

    async def create_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Invoices``."""
        return await self._write(ctx, req, INVOICE_FAMILY)

    async def update_or_create_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Invoices``."""
        return await self._write(ctx, req, INVOICE_FAMILY)

    async def update_invoice(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Invoices/{InvoiceID}``."""
        key = path_param(req, "InvoiceID")
        req.elements = [{**e, "InvoiceID": key} for e in req.elements] or [{"InvoiceID": key}]
        return await self._write(ctx, req, INVOICE_FAMILY)

    async def create_credit_notes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /CreditNotes``."""
        return await self._write(ctx, req, CREDIT_FAMILY)

    async def update_or_create_credit_notes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /CreditNotes``."""
        return await self._write(ctx, req, CREDIT_FAMILY)

    async def update_credit_note(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /CreditNotes/{CreditNoteID}``."""
        key = path_param(req, "CreditNoteID")
        req.elements = [{**e, "CreditNoteID": key} for e in req.elements] or [{"CreditNoteID": key}]
        return await self._write(ctx, req, CREDIT_FAMILY)

    async def _write(self, ctx: RequestContext, req: XeroRequest, family: Family) -> Result:
        async with self.unit(ctx, req) as unit:
            async def one(index: int, element: dict[str, Any], journal: Journal) -> XeroModel:
                return await self._write_one(unit, family, index, element, journal)

            return Result(items=await write_all(unit, req.elements, one, model=family.model))

    async def _write_one(self, unit: QboUnit, family: Family, index: int, element: dict[str, Any],
                         journal: Journal) -> XeroModel:
        action, asked = write_action(element, "document")
        key = text(element.get(family.id_field))
        current = None
        if key is not None:
            try:
                entity, current = await find_document(unit, family, key)
            except NotFound:
                raise ValidationException.single(f"The {family.noun} '{key}' could not be found", element) from None
            kind = BY_ENTITY[entity]
        else:
            xero_type = str(element.get("Type") or "").upper()
            kind = BY_TYPE.get(xero_type)
            if kind is None or kind not in family.kinds:
                allowed = " or ".join(k.xero_type for k in family.kinds)
                raise ValidationException.single(f"The document type must be {allowed}", element)
        t = await unit.tx(*WRITE_KINDS)
        if action == "delete":
            if current is None:
                raise ValidationException.single(f"Only an existing {family.noun} can be deleted", element)
            await unit.delete(kind.entity, current, label=f"main:{index}", element=element)
            model = family.translate(current, kind, t)
            model.Status = "DELETED"
            return model
        if action == "void":
            if current is None or kind.entity not in codes.statuses().voidable.entities:
                raise ValidationException.single(
                    f"QuickBooks Online cannot void a {kind.entity}: delete it instead (Status DELETED)", element)
            row = await unit.void(kind.entity, current, label=f"main:{index}", element=element)
            return family.translate(row, kind, t)
        party_id = None
        if current is None or isinstance(element.get("Contact"), dict):
            party_id = await party(unit, element.get("Contact"), kind.party, element, journal, index)
        if kind.sales:
            t = await ensure_sales_items(unit, element, t, journal)
        body = document_to_qbo(element, kind, t, party_id=party_id, number_field=family.number_field,
                               create=current is None)
        if current is None:
            row = await unit.create(kind.entity, body, label=f"main:{index}", element=element)
            journal.add(kind.entity, row)
        else:
            row = await unit.update(kind.entity, current, body, label=f"main:{index}", element=element) if body \
                else current
        model = family.translate(row, kind, t)
        warnings = draft_warning(asked, family.noun, codes.statuses().document["open"])
        if warnings and "Warnings" in type(model).model_fields:
            model.Warnings = [ValidationError(Message=w) for w in warnings]
        return model
