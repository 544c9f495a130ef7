"""Native-ledger operations: published reports (``GET /Reports``, ``GET /Reports/{ReportID}``).

Mixed into :class:`adapters.native.adapter.NativeLedgerAdapter` (:mod:`adapters.native.ops_base`); the rules are in
:mod:`adapters.native.resources.published_reports`.
"""

from __future__ import annotations

from gateway.xero.errors import NotFound
from gateway.xero.request import RequestContext, Result, XeroRequest

from .books import Books
from .ops_base import OperationsBase
from .resources import published_reports


class PublishedReportOperations(OperationsBase):
    """Operations on published reports."""

    async def get_reports_list(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports``: the organisation's published reports (spec ``ReportWithRows``), each without its rows,
        oldest first; an organisation that published none answers an empty ``Reports`` list."""
        async def work(books: Books) -> Result:
            return Result(items=[published_reports.to_model(r, with_rows=False)
                                 for r in await published_reports.all_rows(books)])
        return await self._read(ctx, work)

    async def get_report_from_id(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/{ReportID}``: one published report as it was published. Raises ``NotFound``."""
        async def work(books: Books) -> Result:
            row = await published_reports.get_by_id(books, req.path_params.get("ReportID", ""))
            if row is None:
                raise NotFound()
            return Result(items=[published_reports.to_model(row, with_rows=True)])
        return await self._read(ctx, work)
