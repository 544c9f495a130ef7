"""Native-ledger operations: documents as PDFs (Invoices, CreditNotes, Quotes, PurchaseOrders).

Mixed into :class:`adapters.native.adapter.NativeLedgerAdapter` (:mod:`adapters.native.ops_base`). Each operation
reads the document through its own GET operation, so a PDF shows exactly what the API answers, and renders it with
the organisation and the full contact (for its address) (:mod:`adapters.native.resources.pdf`).
"""

from __future__ import annotations

from typing import Any

from gateway.xero import models as xm
from gateway.xero.errors import NotFound, OperationNotSupported
from gateway.xero.request import RequestContext, Result, XeroRequest

from .ops_base import OperationsBase
from .resources import (
    pdf,
)


class PdfOperations(OperationsBase):
    """The ``…/pdf`` operations (also reached with ``Accept: application/pdf``)."""

    async def get_invoice_as_pdf(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Invoices/{InvoiceID}/pdf`` (or ``Accept: application/pdf``; the id may be an ``InvoiceNumber``).
        Raises ``NotFound``."""
        invoice = (await self.get_invoice(ctx, req)).items[0]  # type: ignore[attr-defined]
        return await self._pdf(ctx, invoice.Type or "ACCREC", invoice)

    async def get_credit_note_as_pdf(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /CreditNotes/{CreditNoteID}/pdf`` (or ``Accept: application/pdf``), from ``getCreditNote``.

        Raises:
            NotFound: no such credit note.
            OperationNotSupported: the ledger does not serve credit notes.
        """
        get_credit_note = getattr(self, "get_credit_note", None)
        if get_credit_note is None:
            raise OperationNotSupported(req.operation_id, self.code, "credit notes are not kept by this ledger")
        note = (await get_credit_note(ctx, req)).items[0]
        return await self._pdf(ctx, getattr(note, "Type", None) or "ACCRECCREDIT", note)

    async def get_quote_as_pdf(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Quotes/{QuoteID}/pdf`` (or ``Accept: application/pdf``): the quote as a PDF. Raises
        ``NotFound``."""
        quote = (await self.get_quote(ctx, req)).items[0]
        return await self._pdf(ctx, "QUOTE", quote)

    async def get_purchase_order_as_pdf(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /PurchaseOrders/{PurchaseOrderID}/pdf`` (or ``Accept: application/pdf``). Raises ``NotFound``."""
        key = req.path_params.get("PurchaseOrderID") or req.path_params.get("PurchaseOrderNumber") or ""
        order = (await self._purchase_order(ctx, key, req.query.unitdp)).items[0]
        return await self._pdf(ctx, "PURCHASEORDER", order)

    async def _pdf(self, ctx: RequestContext, kind: str, model: Any) -> Result:
        """Render a canonical document with the organisation and the full contact (for its address)."""
        organisation = (await self.get_organisations(  # type: ignore[attr-defined]
            ctx, XeroRequest(operation_id="getOrganisations"))).items[0]
        contact: xm.Contact | None = None
        contact_id = model.Contact.ContactID if getattr(model, "Contact", None) is not None else None
        if contact_id:
            try:
                found = await self.get_contact(  # type: ignore[attr-defined]
                    ctx, XeroRequest(operation_id="getContact", path_params={"ContactID": contact_id}))
                contact = found.items[0]
            except NotFound:
                contact = None
        content = pdf.render(pdf.from_model(kind, model, organisation=organisation, contact=contact))
        return Result(content=content, content_type="application/pdf")
