"""RepeatingInvoices on 1004, read only, from QBO RecurringTransaction templates
(:mod:`adapters.qbo.translate.repeating`). Writes stay unimplemented (501): a RecurringTransaction is created and
changed with its whole template and schedule, which the adapter does not map from Xero's ``Schedule`` yet."""

from __future__ import annotations

from gateway.xero.errors import NotFound
from gateway.xero.guids import is_guid
from gateway.xero.models.repeating import RepeatingInvoice
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from . import refdata
from .ops_base import OperationsBase, check_paths, memory_list, path_param
from .translate.repeating import ENTITY, repeating_invoice_to_xero

#: Every template of a realm in one query (QBO answers at most 1000 rows).
TEMPLATES = "SELECT * FROM RecurringTransaction STARTPOSITION 1 MAXRESULTS 1000"


class RepeatingOperations(OperationsBase):
    """RepeatingInvoices (read)."""

    async def get_repeating_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /RepeatingInvoices`` (``where``, ``order`` in the gateway)."""
        check_paths(req.query, RepeatingInvoice)
        async with self.unit(ctx, req) as unit:
            t = await unit.tx(*refdata.DOCUMENT_KINDS)
            rows = (await unit.query(TEMPLATES)).get(ENTITY) or []
            models = [m for row in rows if (m := repeating_invoice_to_xero(row, t)) is not None]
            return memory_list(models, req.query, default_order=[OrderTerm("RepeatingInvoiceID")])

    async def get_repeating_invoice(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /RepeatingInvoices/{RepeatingInvoiceID}``. Raises NotFound."""
        key = path_param(req, "RepeatingInvoiceID")
        async with self.unit(ctx, req) as unit:
            ref = await unit.find(key, (ENTITY,)) if is_guid(key) else None
            if ref is None:
                raise NotFound()
            model = repeating_invoice_to_xero(await unit.read(ENTITY, ref.qbo_id),
                                              await unit.tx(*refdata.DOCUMENT_KINDS))
            if model is None:
                raise NotFound()
            return Result(items=[model])
