"""Budgets on the native ledger: the demo's overall budget read through getBudgets/getBudget (with lines and
monthly balances, date bounds), and the BudgetSummary report computed from it."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from adapters.native.demo import planning
from gateway.xero.errors import NotFound

from .conftest import call

D = dt.date


async def test_the_demo_has_one_overall_budget(adapter) -> None:
    listed = (await call(adapter, "getBudgets")).items
    assert [(b.Type, b.Description, b.BudgetLines) for b in listed] == [("OVERALL", "Overall Budget", [])]
    budget = (await call(adapter, "getBudget", path={"BudgetID": listed[0].BudgetID})).items[0]
    assert [ln.AccountCode for ln in budget.BudgetLines] == sorted(planning.BUDGET)
    sales = next(ln for ln in budget.BudgetLines if ln.AccountCode == "200")
    assert len(sales.BudgetBalances) == planning.MONTHS
    # The demo's year of books ends in the seed month (March 2026): the budget starts in April 2025.
    assert sales.BudgetBalances[0].Period == D(2025, 4, 1) and sales.BudgetBalances[0].Amount == Decimal("5200.00")
    assert sales.BudgetBalances[1].Amount == Decimal("5304.00")
    assert (await call(adapter, "getBudgets", ids=[listed[0].BudgetID])).items[0].BudgetID == listed[0].BudgetID
    assert (await call(adapter, "getBudgets", ids=["00000000-0000-0000-0000-000000000001"])).items == []
    with pytest.raises(NotFound):
        await call(adapter, "getBudget", path={"BudgetID": "00000000-0000-0000-0000-000000000001"})


async def test_budget_summary_reports_the_overall_budget(adapter) -> None:
    from tests.adapters.native.reports.reading import report
    budget = (await call(adapter, "getBudgets")).items[0]
    detail = (await call(adapter, "getBudget", path={"BudgetID": budget.BudgetID})).items[0]
    by_code = {ln.AccountCode: {b.Period: b.Amount for b in ln.BudgetBalances} for ln in detail.BudgetLines}
    summary = await report(adapter, "getReportBudgetSummary", date="2026-01-10", periods=2, timeframe=3)
    assert summary.header == ["Account", "Mar-26", "Jun-26"]
    quarter = [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)]
    sales = sum(by_code["200"][m] for m in quarter)
    costs = sum(by_code[c][m] for c in ("469", "429", "400") for m in quarter)
    assert summary.amounts("Sales")[0] == sales
    assert summary.amounts("Net Profit")[0] == sales - costs
    assert summary.amounts("Total Expenses")[0] == costs


async def test_budgets_through_http(api) -> None:
    resp, body = await api.call("GET", "/Budgets")
    assert resp.status == 200, body
    budget_id = json.loads(body)["Budgets"][0]["BudgetID"]
    resp, body = await api.call("GET", f"/Budgets/{budget_id}", params={"DateFrom": "2026-01-01",
                                                                        "DateTo": "2026-02-28"})
    assert resp.status == 200, body
    lines = json.loads(body)["Budgets"][0]["BudgetLines"]
    assert all(len(ln["BudgetBalances"]) == 2 for ln in lines) and len(lines) == len(planning.BUDGET)
