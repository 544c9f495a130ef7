"""``GET /Reports/BudgetSummary``: the organisation's overall budget by period.

The budgeted figures are the organisation's overall budget (``GET /Budgets``,
:func:`adapters.native.resources.budgets.overall_amounts`), summed over each column's months. Where that budget has
no amounts (or the organisation has none) the report keeps Xero's shape with zero figures — what the spec's example
shows for an empty overall budget (only the "Gross Profit", "Total Expenses" and "Net Profit" summary rows, all
``"0.00"``).

Parameters (spec ``getReportBudgetSummary``): ``date`` (default today; the first period starts on the first of
its month), ``periods`` (number of columns, 1-12, default 12), ``timeframe`` (months per column: 1, 3 or 12 —
"1=month, 3=quarter, 12=year" — default 1). Bad values → 400 naming the parameter.

Layout (spec example): ``Header`` ``["Account", "Jan-20", …]``, each column headed by its last month; per profit
and loss section with budgeted accounts a section of account rows; then untitled sections with the
``SummaryRow`` s "Gross Profit" (budgeted income − cost of sales), "Total Expenses" (budgeted cost of sales and
operating expenses) and "Net Profit". Titles ``["Overall Budget", "Budget Summary", <organisation>,
"November 2019 to October 2022"]``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gateway.xero.models.reports import ReportRows, ReportWithRow
from gateway.xero.parameters import Parameters

from ..books import Books
from ..resources import budgets
from . import chart, layout, periods, sections
from .periods import Period, invalid

ZERO = Decimal("0")
DEFAULT_PERIODS = 12
EXPENSE_SECTIONS = ("cost_of_sales", "expenses")


def columns(params: Parameters, *, today: dt.date) -> list[Period]:
    """The budget periods (module docstring). Raises ``ValidationException`` naming a bad parameter."""
    day = params.date("date") or today
    count = params.integer("periods", low=1, high=periods.MAX_PERIODS) or DEFAULT_PERIODS
    months = params.integer("timeframe") or 1
    if months not in periods.BUDGET_TIMEFRAMES:
        raise invalid(f"timeframe must be 1 (month), 3 (quarter) or 12 (year); '{params.text('timeframe')}' is not")
    first = periods.month_start(day)
    return [Period(periods.add_months(first, k * months),
                   periods.month_end(periods.add_months(first, (k + 1) * months - 1))) for k in range(count)]


def budgeted(books: Books, period: Period, amounts: dict[tuple[str, dt.date], Decimal]) -> dict[str, Decimal]:
    """Account id → budgeted amount over ``period`` in the ledger's sign (debit positive: budgeted income is a
    credit), from the overall budget's monthly ``amounts`` (positive, as entered)."""
    out: dict[str, Decimal] = {}
    for (account_id, month), amount in amounts.items():
        account = books.accounts.get(account_id)
        if account is None or not (period.start is None or period.start <= month) or month > period.end:
            continue
        out[account_id] = out.get(account_id, ZERO) + sections.natural_sign(account.type) * amount
    return out


def _rows(books: Books, amounts: list[dict[str, Decimal]]) -> list[ReportRows]:
    table = sections.load()
    rows: list[ReportRows] = []
    gross_ids: set[str] = set()
    expense_ids: set[str] = set()
    for section in table.profit_and_loss:
        accounts = chart.of_types(books, section.types)
        if section.gross:
            gross_ids.update(a.id for a in accounts)
        if section.key in EXPENSE_SECTIONS:
            expense_ids.update(a.id for a in accounts)
        account_rows = []
        for account in accounts:
            values = [chart.signed(account, column.get(account.id, ZERO)) for column in amounts]
            if chart.has_amount(values):
                account_rows.append(layout.account_row(account.name, account.id, values))
        if account_rows:
            rows.append(layout.section(section.title, account_rows))
    profit_ids = chart.profit_accounts(books)
    gross = [chart.profit(column, gross_ids) for column in amounts]
    expenses = [-chart.profit(column, expense_ids) for column in amounts]
    net = [chart.profit(column, profit_ids) for column in amounts]
    for label, values in (("Gross Profit", gross), ("Total Expenses", expenses), ("Net Profit", net)):
        rows.append(layout.section("", [layout.amount_row(label, values, summary_row=True)]))
    return rows


async def build(books: Books, params: Parameters) -> ReportWithRow:
    """The BudgetSummary report (module docstring).

    Raises:
        ValidationException: a bad ``date``, ``periods`` or ``timeframe``.
    """
    spans = columns(params, today=books.today())
    overall = await budgets.overall_amounts(books)
    amounts = [budgeted(books, span, overall) for span in spans]
    assert spans[0].start is not None
    header = layout.header(["Account", *(layout.budget_month(span.end) for span in spans)])
    titles = ["Overall Budget", "Budget Summary", books.company.name,
              f"{layout.long_month_year(spans[0].start)} to {layout.long_month_year(spans[-1].end)}"]
    return layout.report(report_type="BudgetSummary", name="Budget Summary", titles=titles, date=books.today(),
                         updated=books.now(), rows=[header, *_rows(books, amounts)])
