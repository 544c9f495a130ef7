"""Reports computed from Sage ledger balances, ledger entries and documents (Sage has no reports endpoint:
upstream-contracts.md §2, §4 hard case 9). Operations: ``getReportProfitAndLoss``, ``getReportBalanceSheet``,
``getReportTrialBalance``, ``getReportAgedReceivablesByContact``, ``getReportAgedPayablesByContact``,
``getReportBankSummary`` (:mod:`adapters.sage_accounting.reports`).

``paymentsOnly`` (cash basis) and the tracking parameters are refused with a 400 naming them: cash-basis figures
would need the settlement of every document, and Sage's analysis types are not served (ours).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from functools import partial

from adapters.common.reports.periods import invalid
from gateway.xero.models.reports import ReportWithRow
from gateway.xero.parameters import Parameters
from gateway.xero.request import RequestContext, Result, XeroRequest

from .ops_base import OpsBase
from .reports import aged, bank_summary, statements
from .translate.common import Tx
from .unit import SageUnit

REPORT_KINDS = ("business", "financial_settings", "ledger_accounts", "bank_accounts")
UNSUPPORTED = ("trackingCategoryID", "trackingOptionID", "trackingCategoryID2", "trackingOptionID2",
               "trackingOptionID1")


#: ``(unit, tx, params, *, today, now) → report``: one report's builder (:mod:`adapters.sage_accounting.reports`).
Build = Callable[..., Awaitable[ReportWithRow]]


def _params(req: XeroRequest) -> Parameters:
    params = req.parameters
    if params.boolean("paymentsOnly"):
        raise invalid("paymentsOnly=true (cash basis) is not available for this organisation's ledger")
    for name in UNSUPPORTED:
        if params.text(name):
            raise invalid(f"{name}: tracking is not available for this organisation's ledger")
    return params


class ReportOps(OpsBase):
    """Mixin of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter` (module docstring)."""

    async def _report(self, ctx: RequestContext, req: XeroRequest, build: Build) -> Result:
        params = _params(req)
        async with self.unit(ctx, req) as unit:
            tx = await unit.tx(*REPORT_KINDS)
            now = datetime.now(UTC).replace(microsecond=0)
            report = await build(unit, tx, params, today=now.date(), now=now)
            return Result(items=[report])

    async def get_report_profit_and_loss(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/ProfitAndLoss`` from ``GET /ledger_accounts`` balances (:mod:`.reports.statements`)."""
        return await self._report(ctx, req, statements.profit_and_loss)

    async def get_report_balance_sheet(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/BalanceSheet`` from ``GET /ledger_accounts`` balances (:mod:`.reports.statements`)."""
        return await self._report(ctx, req, statements.balance_sheet)

    async def get_report_trial_balance(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/TrialBalance`` from ``GET /ledger_accounts`` balances (:mod:`.reports.statements`)."""
        return await self._report(ctx, req, statements.trial_balance)

    async def get_report_bank_summary(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/BankSummary`` from bank ledger balances and entries (:mod:`.reports.bank_summary`)."""
        return await self._report(ctx, req, bank_summary.build)

    async def get_report_aged_receivables_by_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/AgedReceivablesByContact`` from ``GET /sales_invoices`` (:mod:`.reports.aged`)."""
        return await self._report(ctx, req, partial(_aged, aged.RECEIVABLES))

    async def get_report_aged_payables_by_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/AgedPayablesByContact`` from ``GET /purchase_invoices`` (:mod:`.reports.aged`)."""
        return await self._report(ctx, req, partial(_aged, aged.PAYABLES))


async def _aged(kind: aged.Kind, unit: SageUnit, tx: Tx, params: Parameters, *, today: date,
                now: datetime) -> ReportWithRow:
    return await aged.build(unit, tx, params, kind, today=today, now=now)
