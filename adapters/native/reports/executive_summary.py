"""``GET /Reports/ExecutiveSummary``: key cash, profitability, balance sheet, income, performance and position
figures for the month of a date and the month before, computed from the ledger.

Parameter (spec ``getReportExecutiveSummary``): ``date`` (default today); the report covers its calendar month
("The month the report will be run for", https://help.xero.com/au/Report_ExecSummary).

Rows and their rules (layout, labels and number forms: the spec's example; the formulas are the native ledger's,
each one reproducing the example's own arithmetic where the example allows a check):

- Cash: "Cash received" / "Cash spent": journals of the month with a net debit / credit over all ``BANK`` accounts
  (transfers between them net to nothing; a payment deleted on its own date is left out); "Cash surplus
  (deficit)" = received − spent; "Closing bank balance": the bank accounts' balance at month end.
- Profitability (accrual basis, sections of ``sections.toml``): "Income", "Direct costs", "Gross profit (loss)"
  = income − direct costs, "Other Income", "Expenses", "Profit (loss)" = gross + other income − expenses.
- Balance Sheet at month end: "Debtors" (the ``DEBTORS`` account), "Creditors" (the ``CREDITORS`` account,
  credit-positive), "Net assets" (total assets − total liabilities).
- Income: "Number of invoices issued" (sales invoices dated in the month, ``AUTHORISED`` or ``PAID``),
  "Average value of invoices" (their ``SubTotal`` over their number; unconfirmed: tax-exclusive).
- Performance: "Gross profit margin" = gross profit ÷ income, "Net profit margin" = profit ÷ income,
  "Return on investment (p.a.)" = profit × 12 ÷ net assets (example: −165.40 × 12 ÷ 594.16 = −334.1%); blank when
  the divisor is 0.
- Position: "Average debtors days" = debtors ÷ income × days in the month (example: 590 ÷ 40 × 30 = 442.50),
  "Average creditors days" = creditors ÷ (direct costs + expenses) × days in the month (example: −44 × 30 ÷ 205.40),
  both ``"0"`` when the divisor is 0; "Short term cash forecast" = debtors − creditors (example: 590 − (−44) =
  634.00); "Current assets to liabilities" = (bank + current assets) ÷ current liabilities; "Term assets to
  liabilities" = (fixed + non-current assets) ÷ non-current liabilities; blank when the divisor is 0.
- Variance: (this month − last month) ÷ |last month| as ``"7.3%"``; ``"0.0%"`` when either side is blank or last
  month is 0 (as the example shows).

Number forms: amounts ``"40.00"``; counts ``"1"``; percentages ``"100.0%"``; days and ratios as Xero's decimals
render them — two decimals when exact to the cent (``"442.50"``), else the full quotient to 28 significant digits
(``"-6.426484907497565725413826680"``), exactly as in the example.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from gateway.xero.models.reports import ReportRow, ReportWithRow
from gateway.xero.parameters import Parameters

from ..books import Books
from ..tables.core import Invoice
from . import balance_sheet, balances, chart, layout, periods, profit_and_loss, sections
from .balances import Line

ZERO = Decimal("0")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Value:
    """A figure and its text; ``number`` ``None`` is a blank cell."""

    number: Decimal | None
    text: str


def _money(value: Decimal) -> Value:
    return Value(value, layout.money(value))


def _percent(numerator: Decimal, divisor: Decimal) -> Value:
    if divisor == 0:
        return Value(None, "")
    value = numerator / divisor * HUNDRED
    return Value(value, layout.percent(value))


def _decimal_text(value: Decimal) -> str:
    exact = value.quantize(layout.CENT)
    return f"{exact:f}" if exact == value else f"{value:f}"


def _days(numerator: Decimal, divisor: Decimal, days: int) -> Value:
    if divisor == 0:
        return Value(ZERO, "0")
    value = numerator / divisor * days
    return Value(value, _decimal_text(value))


def _ratio(numerator: Decimal, divisor: Decimal) -> Value:
    if divisor == 0:
        return Value(None, "")
    value = numerator / divisor
    return Value(value, _decimal_text(value))


def _variance(current: Value, previous: Value) -> str:
    if current.number is None or previous.number is None or previous.number == 0:
        return "0.0%"
    return layout.percent((current.number - previous.number) / abs(previous.number) * HUNDRED)


def _cash(books: Books, lines: list[Line], start: dt.date, end: dt.date) -> tuple[Decimal, Decimal]:
    """Cash received and spent over all bank accounts in ``start … end`` (module docstring)."""
    banks = {a.id for a in books.accounts.values() if a.type == "BANK"}
    net: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        if line.account_id in banks and start <= line.date <= end:
            net[line.journal_id] += line.amount
    skip = balances.same_day_reversals(lines)
    received = sum((v for j, v in net.items() if v > 0 and j not in skip), ZERO)
    spent = -sum((v for j, v in net.items() if v < 0 and j not in skip), ZERO)
    return received, spent


async def _invoices(books: Books, start: dt.date, end: dt.date) -> tuple[int, Decimal]:
    rows = list(await books.session.scalars(
        select(Invoice.sub_total).where(Invoice.company_id == books.company.id, Invoice.type == "ACCREC",
                                        Invoice.status.in_(("AUTHORISED", "PAID")), Invoice.date >= start,
                                        Invoice.date <= end)))
    return len(rows), sum((Decimal(v) for v in rows), ZERO)


async def _month(books: Books, lines: list[Line], month: dt.date) -> dict[str, Value]:
    """Every figure of the month starting ``month``, by row label."""
    start, end = month, periods.month_end(month)
    days = calendar.monthrange(month.year, month.month)[1]
    table = sections.load()
    sums = balances.totals(lines, start=start, end=end)

    def pl(key: str) -> Decimal:
        return profit_and_loss.section_total(books, table.pl(key), sums)

    income, direct, other, expenses = pl("income"), pl("cost_of_sales"), pl("other_income"), pl("expenses")
    gross = income - direct
    profit = gross + other - expenses
    position = await balance_sheet.position(books, balances.JournalLines(lines), end)
    banks = position.group(books, table.bs("bank"))
    debtors_account = chart.system_account(books, "DEBTORS")
    creditors_account = chart.system_account(books, "CREDITORS")
    debtors = position.amounts.get(debtors_account.id, ZERO) if debtors_account else ZERO
    creditors = -position.amounts.get(creditors_account.id, ZERO) if creditors_account else ZERO
    net_assets = position.part(books, "assets") - position.part(books, "liabilities")
    current_assets = position.group(books, table.bs("bank")) + position.group(books, table.bs("current_assets"))
    term_assets = position.group(books, table.bs("fixed_assets")) + position.group(books,
                                                                                  table.bs("noncurrent_assets"))
    received, spent = _cash(books, lines, start, end)
    count, invoiced = await _invoices(books, start, end)
    return {
        "Cash received": _money(received), "Cash spent": _money(spent),
        "Cash surplus (deficit)": _money(received - spent), "Closing bank balance": _money(banks),
        "Income": _money(income), "Direct costs": _money(direct), "Gross profit (loss)": _money(gross),
        "Other Income": _money(other), "Expenses": _money(expenses), "Profit (loss)": _money(profit),
        "Debtors": _money(debtors), "Creditors": _money(creditors), "Net assets": _money(net_assets),
        "Number of invoices issued": Value(Decimal(count), str(count)),
        "Average value of invoices": _money(invoiced / count if count else ZERO),
        "Gross profit margin": _percent(gross, income), "Net profit margin": _percent(profit, income),
        "Return on investment (p.a.)": _percent(profit * 12, net_assets),
        "Average debtors days": _days(debtors, income, days),
        "Average creditors days": _days(creditors, direct + expenses, days),
        "Short term cash forecast": _money(debtors - creditors),
        "Current assets to liabilities": _ratio(current_assets,
                                                position.group(books, table.bs("current_liabilities"))),
        "Term assets to liabilities": _ratio(term_assets,
                                             position.group(books, table.bs("noncurrent_liabilities"))),
    }


#: Sections and their rows, in the spec example's order.
LAYOUT = (
    ("Cash", ("Cash received", "Cash spent", "Cash surplus (deficit)", "Closing bank balance")),
    ("Profitability", ("Income", "Direct costs", "Gross profit (loss)", "Other Income", "Expenses",
                       "Profit (loss)")),
    ("Balance Sheet", ("Debtors", "Creditors", "Net assets")),
    ("Income", ("Number of invoices issued", "Average value of invoices")),
    ("Performance", ("Gross profit margin", "Net profit margin", "Return on investment (p.a.)")),
    ("Position", ("Average debtors days", "Average creditors days", "Short term cash forecast",
                  "Current assets to liabilities", "Term assets to liabilities")),
)


async def build(books: Books, params: Parameters) -> ReportWithRow:
    """The ExecutiveSummary report (module docstring).

    Raises:
        ValidationException: a bad ``date`` (the message names it).
    """
    day = params.date("date") or books.today()
    this_month = periods.month_start(day)
    last_month = periods.add_months(this_month, -1)
    lines = await balances.load(books, until=periods.month_end(this_month))
    current, previous = await _month(books, lines, this_month), await _month(books, lines, last_month)
    rows = [layout.header(["", layout.month_year(this_month), layout.month_year(last_month), "Variance"])]
    for title, labels in LAYOUT:
        section_rows: list[ReportRow] = [
            layout.text_row(label, [current[label].text, previous[label].text,
                                    _variance(current[label], previous[label])]) for label in labels]
        rows.append(layout.section(title, section_rows))
    titles = ["Executive Summary", books.company.name, f"For the month of {layout.long_month_year(this_month)}"]
    return layout.report(report_type="ExecutiveSummary", name="Executive Summary", titles=titles,
                         date=books.today(), updated=books.now(), rows=rows)
