"""Document PDFs on 1004: QBO renders its sales forms (Invoice, CreditMemo, Estimate: "Get … as PDF" in Intuit's API
reference, ``GET /{entity}/{Id}/pdf``), so ``getInvoiceAsPdf`` (ACCREC), ``getCreditNoteAsPdf`` (ACCRECCREDIT) and
``getQuoteAsPdf`` answer QBO's own PDF. Bills and vendor credits have no PDF at QBO: those variants answer 501.
Purchase orders are not rendered by QBO's API either (``getPurchaseOrderAsPdf`` is not defined)."""

from __future__ import annotations

from gateway.xero.errors import OperationNotSupported
from gateway.xero.request import RequestContext, Result, XeroRequest

from .client import QboClient
from .documents import CREDIT_FAMILY, INVOICE_FAMILY, Family, find_document
from .errors import QboFault, to_xero_error
from .ops_base import OperationsBase, path_param
from .ops_orders import QUOTE_ORDER as QUOTE
from .unit import QboUnit

#: QBO entities with a PDF.
PDF_ENTITIES = ("Invoice", "CreditMemo", "Estimate")


class PdfOperations(OperationsBase):
    """``…/pdf`` of invoices, credit notes and quotes."""

    client: QboClient

    async def _pdf(self, unit: QboUnit, req: XeroRequest, entity: str, qbo_id: str) -> Result:
        if entity not in PDF_ENTITIES:
            raise OperationNotSupported(req.operation_id, self.code,
                                        f"QuickBooks Online renders no PDF of a {entity}")
        try:
            content = await self.client.pdf(unit.auth, entity, qbo_id)
        except QboFault as fault:
            raise to_xero_error(fault) from None
        return Result(content=content, content_type="application/pdf")

    async def _document_pdf(self, ctx: RequestContext, req: XeroRequest, family: Family, param: str) -> Result:
        async with self.unit(ctx, req) as unit:
            entity, row = await find_document(unit, family, path_param(req, param))
            return await self._pdf(unit, req, entity, str(row["Id"]))

    async def get_invoice_as_pdf(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Invoices/{InvoiceID}/pdf`` (sales invoices). Raises NotFound, OperationNotSupported (a bill)."""
        return await self._document_pdf(ctx, req, INVOICE_FAMILY, "InvoiceID")

    async def get_credit_note_as_pdf(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /CreditNotes/{CreditNoteID}/pdf`` (sales credit notes). Raises NotFound, OperationNotSupported."""
        return await self._document_pdf(ctx, req, CREDIT_FAMILY, "CreditNoteID")

    async def get_quote_as_pdf(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Quotes/{QuoteID}/pdf``. Raises NotFound."""
        async with self.unit(ctx, req) as unit:
            row = await self._find_order(unit, QUOTE, path_param(req, "QuoteID"))  # type: ignore[attr-defined]
            return await self._pdf(unit, req, "Estimate", str(row["Id"]))

