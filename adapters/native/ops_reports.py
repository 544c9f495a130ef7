"""Native-ledger operations: the reports (ProfitAndLoss, BalanceSheet, TrialBalance, aged receivables/payables,
BankSummary, ExecutiveSummary, BudgetSummary), computed from the ledger.

Mixed into :class:`adapters.native.adapter.NativeLedgerAdapter` (:mod:`adapters.native.ops_base`).

Each operation reads the query parameters (``req.parameters``, typed by the front end), computes the report
in one read-only session with :mod:`adapters.native.reports` and answers one ``ReportWithRow`` under
``Reports`` (spec ``ReportWithRows``). A bad parameter answers 400 ``ValidationException`` naming it.

Published reports (``getReportsList``, ``getReportFromId``) are in :mod:`adapters.native.ops_published`, the 1099
report in :mod:`adapters.native.ops_services`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from gateway.xero.models.reports import ReportWithRow
from gateway.xero.parameters import Parameters
from gateway.xero.request import RequestContext, Result, XeroRequest

from .books import Books
from .ops_base import OperationsBase
from .reports import (
    aged,
    balance_sheet,
    bank_summary,
    budget_summary,
    executive_summary,
    profit_and_loss,
    trial_balance,
)

Builder = Callable[[Books, Parameters], Awaitable[ReportWithRow]]


class ReportOperations(OperationsBase):
    """Operations on the reports (ProfitAndLoss, BalanceSheet, TrialBalance, aged receivables/payables, BankSummary,
    ExecutiveSummary, BudgetSummary), computed from the ledger."""

    async def _report(self, ctx: RequestContext, req: XeroRequest, build: Builder) -> Result:
        params = req.parameters

        async def work(books: Books) -> Result:
            return Result(items=[await build(books, params)])
        return await self._read(ctx, work)

    async def get_report_profit_and_loss(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/ProfitAndLoss`` (:mod:`adapters.native.reports.profit_and_loss`).

        Raises:
            ValidationException: a bad ``fromDate``, ``toDate``, ``periods``, ``timeframe``, tracking id,
                ``standardLayout`` or ``paymentsOnly``.
        """
        return await self._report(ctx, req, profit_and_loss.build)

    async def get_report_balance_sheet(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/BalanceSheet`` (:mod:`adapters.native.reports.balance_sheet`).

        Raises:
            ValidationException: a bad ``date``, ``periods``, ``timeframe``, ``trackingOptionID1``/``2``,
                ``standardLayout`` or ``paymentsOnly``.
        """
        return await self._report(ctx, req, balance_sheet.build)

    async def get_report_trial_balance(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/TrialBalance`` (:mod:`adapters.native.reports.trial_balance`).

        Raises:
            ValidationException: a bad ``date`` or ``paymentsOnly``.
        """
        return await self._report(ctx, req, trial_balance.build)

    async def get_report_aged_receivables_by_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/AgedReceivablesByContact`` (:mod:`adapters.native.reports.aged`).

        Raises:
            ValidationException: missing or unknown ``contactId``, a bad ``date``, ``fromDate`` or ``toDate``.
        """
        async def build(books: Books, params: Parameters) -> ReportWithRow:
            return await aged.build(books, params, aged.RECEIVABLES)
        return await self._report(ctx, req, build)

    async def get_report_aged_payables_by_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/AgedPayablesByContact`` (:mod:`adapters.native.reports.aged`).

        Raises:
            ValidationException: missing or unknown ``contactId``, a bad ``date``, ``fromDate`` or ``toDate``.
        """
        async def build(books: Books, params: Parameters) -> ReportWithRow:
            return await aged.build(books, params, aged.PAYABLES)
        return await self._report(ctx, req, build)

    async def get_report_bank_summary(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/BankSummary`` (:mod:`adapters.native.reports.bank_summary`).

        Raises:
            ValidationException: a bad ``fromDate`` or ``toDate``.
        """
        return await self._report(ctx, req, bank_summary.build)

    async def get_report_executive_summary(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/ExecutiveSummary`` (:mod:`adapters.native.reports.executive_summary`).

        Raises:
            ValidationException: a bad ``date``.
        """
        return await self._report(ctx, req, executive_summary.build)

    async def get_report_budget_summary(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/BudgetSummary`` (:mod:`adapters.native.reports.budget_summary`): Xero's shape with zero
        budget figures, the native ledger keeping no budgets.

        Raises:
            ValidationException: a bad ``date``, ``periods`` or ``timeframe``.
        """
        return await self._report(ctx, req, budget_summary.build)
