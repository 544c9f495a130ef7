"""The demo company's repeating invoices and its overall budget.

One monthly sales template (a support retainer, approved, due on the 20th of the following month) whose first
invoice falls on the first day of the month after the first start, and one weekly draft bill (window cleaning): the
schedule generates their invoices from then on (:mod:`adapters.native.resources.repeating_runs`).

The overall budget (Xero's "Overall Budget") covers 24 months from the first month of the demo's year of books:
monthly sales, rent, general expenses and advertising, growing 2 % a month (:data:`BUDGET`). The company has
published its balance sheet as at the end of the month before the first start (``GET /Reports``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from gateway.xero.parameters import Parameters

from ..books import Books
from ..reports import balance_sheet
from ..resources import published_reports, repeating_invoices
from ..tables.budgets import BudgetBalanceRow, BudgetRow
from ..validation import ElementInvalid

#: Account code → first month's budgeted amount (positive, as Xero's budget manager enters them).
BUDGET = {"200": Decimal("5200.00"), "469": Decimal("1200.00"), "429": Decimal("350.00"), "400": Decimal("250.00")}
#: Monthly growth of the budgeted amounts, and how many months the budget covers.
GROWTH, MONTHS = Decimal("1.02"), 24


def templates(today: dt.date) -> list[dict[str, Any]]:
    """The demo's repeating invoice elements (Xero field names), relative to the first-start date."""
    next_month = today.replace(day=1) + relativedelta(months=1)
    return [
        {"Type": "ACCREC", "Contact": {"Name": "Meridian University"}, "Status": "AUTHORISED",
         "Reference": "Support retainer", "LineAmountTypes": "Exclusive", "MarkAsSent": True,
         "Schedule": {"Period": 1, "Unit": "MONTHLY", "DueDate": 20, "DueDateType": "OFFOLLOWINGMONTH",
                      "StartDate": next_month.isoformat()},
         "LineItems": [{"Description": "Monthly support retainer", "Quantity": 1, "UnitAmount": 450,
                        "AccountCode": "200", "TaxType": "OUTPUT2"}]},
        {"Type": "ACCPAY", "Contact": {"Name": "Greenfield Office Supplies"}, "Status": "DRAFT",
         "LineAmountTypes": "Exclusive",
         "Schedule": {"Period": 2, "Unit": "WEEKLY", "DueDate": 14, "DueDateType": "DAYSAFTERBILLDATE",
                      "StartDate": (today + dt.timedelta(days=7)).isoformat()},
         "LineItems": [{"Description": "Window cleaning", "Quantity": 1, "UnitAmount": 60, "AccountCode": "429",
                        "TaxType": "INPUT2"}]},
    ]


async def seed(books: Books, *, today: dt.date) -> None:
    """Write the demo's repeating invoices and its overall budget, and publish its last month-end balance sheet.

    Raises:
        RuntimeError: a template failed validation or a budgeted account is missing (a bug in the demo data).
    """
    for element in templates(today):
        try:
            await repeating_invoices.write(books, element, mode="create")
        except ElementInvalid as exc:  # pragma: no cover - a demo data bug
            raise RuntimeError(f"demo repeating invoice failed validation: {exc.messages}") from exc
    budget = BudgetRow(id=books.new_id("budget"), company_id=books.company.id, type="OVERALL",
                       description="Overall Budget", tracking=[], updated_utc=books.now())
    books.session.add(budget)
    await books.session.flush()  # before its balances (no relationship orders the inserts)
    first = today.replace(day=1) - relativedelta(months=11)
    for code, amount in BUDGET.items():
        account = books.account_by_code(code)
        if account is None:  # pragma: no cover - a demo data bug
            raise RuntimeError(f"the demo budget names account {code}, which the demo chart lacks")
        for month in range(MONTHS):
            books.session.add(BudgetBalanceRow(
                id=books.new_id("budgetbalance"), company_id=books.company.id, budget_id=budget.id,
                account_id=account.id, period=first + relativedelta(months=month),
                amount=(amount * GROWTH**month).quantize(Decimal("0.01"))))
    await books.session.flush()
    month_end = today.replace(day=1) - dt.timedelta(days=1)
    await published_reports.publish(books, await balance_sheet.build(books, Parameters({"date": month_end})))
