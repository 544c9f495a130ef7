"""Native-ledger operations: Budgets (read only in Xero's API).

Mixed into :class:`adapters.native.adapter.NativeLedgerAdapter` (:mod:`adapters.native.ops_base`); the rules are in
:mod:`adapters.native.resources.budgets`. The BudgetSummary report reads the overall budget
(:mod:`adapters.native.reports.budget_summary`).
"""

from __future__ import annotations

from gateway.xero.errors import NotFound
from gateway.xero.request import RequestContext, Result, XeroRequest

from .books import Books
from .ops_base import OperationsBase
from .resources import budgets


class BudgetOperations(OperationsBase):
    """Operations on Budgets."""

    async def get_budgets(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Budgets``: every budget's header (``BudgetLines`` empty, as the spec's example), the overall budget
        first; ``IDs`` keeps the named ones. ``DateFrom``/``DateTo`` bound the balances a budget carries, and the
        list carries none. Raises ``ValidationException`` (a date or GUID that does not parse)."""
        for name in ("DateFrom", "DateTo"):
            req.parameters.date(name)  # validated only: the list carries no balances
        wanted = set(req.query.ids)

        async def work(books: Books) -> Result:
            rows = [r for r in await budgets.all_rows(books) if not wanted or r.id in wanted]
            return Result(items=[await budgets.to_model(books, r, with_lines=False) for r in rows])
        return await self._read(ctx, work)

    async def get_budget(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Budgets/{BudgetID}``: the budget with its lines, the months overlapping ``DateFrom``..``DateTo``
        (default all). Raises ``NotFound``, ``ValidationException`` (a date that does not parse)."""
        date_from, date_to = req.parameters.date("DateFrom"), req.parameters.date("DateTo")

        async def work(books: Books) -> Result:
            row = await budgets.get_by_id(books, req.path_params.get("BudgetID", ""))
            if row is None:
                raise NotFound()
            return Result(items=[await budgets.to_model(books, row, with_lines=True, date_from=date_from,
                                                        date_to=date_to)])
        return await self._read(ctx, work)
