"""Reports computed from Sage ledger balances, ledger entries and documents (Sage has no reports endpoint:
upstream-contracts.md §2, §4 hard case 9). Operations: ``getReportProfitAndLoss``, ``getReportBalanceSheet``,
``getReportTrialBalance``, ``getReportAgedReceivablesByContact``, ``getReportAgedPayablesByContact``,
``getReportBankSummary`` (:mod:`adapters.sage_accounting.reports`).

``paymentsOnly`` (cash basis) and the tracking parameters are refused with a 400 naming them: cash-basis figures
would need the settlement of every document, and Sage's analysis types are not served (ours).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from gateway.xero.parameters import Parameters
from gateway.xero.request import RequestContext, Result, XeroRequest

from .reports import aged, bank_summary, statements
from .reports.params import invalid

if TYPE_CHECKING:
    from .call import Call

REPORT_KINDS = ("business", "financial_settings", "ledger_accounts", "bank_accounts")
UNSUPPORTED = ("trackingCategoryID", "trackingOptionID", "trackingCategoryID2", "trackingOptionID2",
               "trackingOptionID1")


def _params(req: XeroRequest) -> Parameters:
    params = req.parameters
    if params.boolean("paymentsOnly"):
        raise invalid("paymentsOnly=true (cash basis) is not available for this organisation's ledger")
    for name in UNSUPPORTED:
        if params.text(name):
            raise invalid(f"{name}: tracking is not available for this organisation's ledger")
    return params


class ReportOps:
    """Mixin of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter` (module docstring)."""

    if TYPE_CHECKING:
        def call(self, ctx: RequestContext, req: XeroRequest) -> Any: ...

    async def _report(self, ctx: RequestContext, req: XeroRequest, build) -> Result:
        params = _params(req)
        async with self.call(ctx, req) as call:
            tx = await call.tx(*REPORT_KINDS)
            now = datetime.now(UTC).replace(microsecond=0)
            report = await build(call, tx, params, today=now.date(), now=now)
            return Result(items=[report])

    async def get_report_profit_and_loss(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._report(ctx, req, statements.profit_and_loss)

    async def get_report_balance_sheet(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._report(ctx, req, statements.balance_sheet)

    async def get_report_trial_balance(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._report(ctx, req, statements.trial_balance)

    async def get_report_bank_summary(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._report(ctx, req, bank_summary.build)

    async def get_report_aged_receivables_by_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async def build(call: Call, tx, params, *, today, now):
            return await aged.build(call, tx, params, aged.RECEIVABLES, today=today, now=now)
        return await self._report(ctx, req, build)

    async def get_report_aged_payables_by_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async def build(call: Call, tx, params, *, today, now):
            return await aged.build(call, tx, params, aged.PAYABLES, today=today, now=now)
        return await self._report(ctx, req, build)
