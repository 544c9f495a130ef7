"""``GET /Reports/BalanceSheet``: assets, liabilities and equity as at a date, computed from the ledger.

Parameters (spec ``getReportBalanceSheet``): ``date`` (default: the end of the current month — the spec's example
is run on 12 April 2019 "As at 30 April 2019"), ``periods``/``timeframe`` (comparison columns at earlier dates,
newest first; ``adapters.native.reports.periods``), ``trackingOptionID1``/``trackingOptionID2``,
``standardLayout`` (validated; the native ledger has one layout), ``paymentsOnly`` (cash basis,
``adapters.native.reports.balances``).

Sums come from the stored per-day balances (``adapters.native.reports.stored``) on accrual basis, from the
journal lines on cash basis (``adapters.native.reports.balances``).

Figures per column, as at its date ``d``:

- every balance sheet account: ``Σ`` of its lines up to ``d``, assets debit-positive, liabilities and equity
  credit-positive;
- **Current Year Earnings** (a row without an account: ``account`` attribute ``00000000-…``, value cells with
  ``fromDate``/``toDate`` attributes ``"4/1/2019"``/``"4/30/2019"`` as in the spec example): net profit from the
  start of ``d``'s financial year (``Organisation.FinancialYearEndDay``/``Month``) to ``d``;
- **Retained Earnings** (the ``RETAINEDEARNINGS`` system account; value cells with ``fromDate`` ``""`` and
  ``toDate`` ``d``): its own postings plus the net profit of every earlier financial year;
- on accrual basis, the open foreign-currency invoices and bills revalued at the operator's rates as at ``d``
  (:func:`adapters.native.reports.unrealised.revaluations`; ``docs/native-unrealised-gains.md``): Accounts
  Receivable/Payable move by the unrealised gain and Current Year Earnings with it (through the
  ``UNREALISEDCURRENCYGAIN`` expense account), so the statement still balances; earlier years' figures are not
  revalued (a revaluation is undone the next day). Cash basis counts no open invoice, so nothing is revalued;
- with tracking options, only lines carrying them count (the revaluation carries none), and what they leave
  unbalanced is shown on the ``TRACKINGTRANSFERS`` system account ("Tracking Transfers"), the account Xero keeps
  for this, so that every filtered balance sheet still balances (Xero's default charts, and so every native
  company, have that account; a chart without it would leave a filtered balance sheet unbalanced).

Hence Total Assets − Total Liabilities ("Net Assets") equals Total Equity in every column, and Current Year
Earnings equals the ProfitAndLoss net profit from the financial year's start to ``d`` on the same basis.

Layout (spec example): ``Header`` ``["", "30 Apr 2019", …]``; section ``"Assets"`` (no rows), one section per
asset group with account rows and ``Total …``, an untitled section with ``SummaryRow`` "Total Assets"; the same
for ``"Liabilities"``; an untitled section with the ``Row`` "Net Assets"; section ``"Equity"`` with its rows by name
and ``SummaryRow`` "Total Equity". Titles ``["Balance Sheet", <organisation>, "As at 30 April 2019"]``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from gateway.xero.models.reports import ReportRow, ReportRows, ReportWithRow
from gateway.xero.parameters import Parameters

from ..books import Books
from ..tables.core import Account
from . import balances, chart, layout, periods, sections, tracking, unrealised
from .balances import Ledger, Line
from .periods import Period
from .stored import LedgerOpener, open_ledger

ZERO = Decimal("0")
CURRENT_YEAR_EARNINGS = "Current Year Earnings"
RETAINED_EARNINGS = "Retained Earnings"


@dataclass
class Position:
    """The balance sheet as at one date.

    Attributes:
        date: the column's date.
        year_start: the first day of its financial year.
        amounts: account id → ledger-signed balance (debit > 0), Retained Earnings including earlier years'
            profit and Tracking Transfers the filtered imbalance.
        current_year_earnings: net profit from ``year_start`` to ``date``.
        retained_id: the account carrying retained earnings (``00000000-…`` when the chart has none).
    """

    date: dt.date
    year_start: dt.date
    amounts: dict[str, Decimal] = field(default_factory=dict)
    current_year_earnings: Decimal = ZERO
    retained_id: str = layout.NO_ACCOUNT

    def group(self, books: Books, section: sections.Section) -> Decimal:
        """A section's total on its natural side."""
        return sum((chart.signed(a, self.amounts.get(a.id, ZERO)) for a in chart.of_types(books, section.types)),
                   ZERO)

    def part(self, books: Books, part: str) -> Decimal:
        """Total of a part (``assets``, ``liabilities``; ``equity`` includes Current Year Earnings)."""
        total = sum((self.group(books, s) for s in sections.load().balance_sheet if s.part == part), ZERO)
        if part == "equity":  # the one equity section (sections.toml) shows both virtual rows
            total += self.current_year_earnings
            if self.retained_id == layout.NO_ACCOUNT:
                total -= self.amounts.get(layout.NO_ACCOUNT, ZERO)
        return total


async def position(books: Books, source: Ledger, day: dt.date, *, keep: Callable[[Line], bool] | None = None,
                   filtered: bool = False, revalued: Sequence[Line] = ()) -> Position:
    """The balance sheet figures as at ``day`` (module docstring).

    Args:
        source: the ledger.
        keep: the tracking selection's line filter, if any.
        filtered: the lines are a tracking selection, so their imbalance goes to Tracking Transfers.
        revalued: the revaluation as at ``day`` (:func:`adapters.native.reports.unrealised.revaluations`), counted
            in the balances and this year's earnings as at ``day`` only.
    """

    async def totals(since: dt.date | None, until: dt.date, extra: Sequence[Line] = ()) -> dict[str, Decimal]:
        return balances.totals([*await source.lines(start=since, end=until), *extra], end=until, keep=keep)

    profit_ids = chart.profit_accounts(books)
    start = chart.year_start(books, day)
    sums = await totals(None, day, revalued)
    result = Position(date=day, year_start=start)
    earlier = chart.profit(await totals(None, start - dt.timedelta(days=1)), profit_ids)
    # The year's profit as the difference of two balances: columns of one financial year share the second.
    result.current_year_earnings = chart.profit(sums, profit_ids) - earlier
    amounts = {k: v for k, v in sums.items() if k not in profit_ids}
    retained = chart.system_account(books, "RETAINEDEARNINGS")
    result.retained_id = retained.id if retained is not None else layout.NO_ACCOUNT
    amounts[result.retained_id] = amounts.get(result.retained_id, ZERO) - earlier
    if filtered:
        imbalance = sum(sums.values(), ZERO)
        transfers = chart.system_account(books, "TRACKINGTRANSFERS")
        if imbalance and transfers is not None:
            amounts[transfers.id] = amounts.get(transfers.id, ZERO) - imbalance
    result.amounts = amounts
    return result


def _account_rows(accounts: list[Account], columns: list[Position]) -> list[tuple[Account, ReportRow]]:
    """The rows of the accounts with a balance in any column (Retained Earnings with its date attributes)."""
    rows = []
    for account in accounts:
        values = [chart.signed(account, c.amounts.get(account.id, ZERO)) for c in columns]
        if chart.has_amount(values):
            extra = None
            if account.id == columns[0].retained_id:
                extra = [(("fromDate", ""), ("toDate", layout.us_date(c.date))) for c in columns]
            rows.append((account, layout.account_row(account.name, account.id, values, extra)))
    return rows


def _equity_rows(books: Books, section: sections.Section, columns: list[Position]) -> list[ReportRow]:
    """Current Year Earnings and the equity accounts (a virtual Retained Earnings row when the chart has no
    ``RETAINEDEARNINGS`` account), by name."""
    named: list[tuple[str, ReportRow]] = [(CURRENT_YEAR_EARNINGS, layout.account_row(
        CURRENT_YEAR_EARNINGS, layout.NO_ACCOUNT, [c.current_year_earnings for c in columns],
        [(("fromDate", layout.us_date(c.year_start)), ("toDate", layout.us_date(c.date))) for c in columns]))]
    named.extend((account.name, row) for account, row in _account_rows(chart.of_types(books, section.types), columns))
    if columns[0].retained_id == layout.NO_ACCOUNT:
        values = [-c.amounts.get(layout.NO_ACCOUNT, ZERO) for c in columns]
        if chart.has_amount(values):
            extra = [(("fromDate", ""), ("toDate", layout.us_date(c.date))) for c in columns]
            named.append((RETAINED_EARNINGS,
                          layout.account_row(RETAINED_EARNINGS, layout.NO_ACCOUNT, values, extra)))
    named.sort(key=lambda item: item[0].lower())
    return [row for _, row in named]


def statement_rows(books: Books, columns: list[Position]) -> list[ReportRows]:
    """Every row after the header for the positions ``columns``."""
    table = sections.load()
    rows: list[ReportRows] = []
    for part, title, total in (("assets", "Assets", "Total Assets"),
                               ("liabilities", "Liabilities", "Total Liabilities")):
        rows.append(layout.section(title, []))
        for section in (s for s in table.balance_sheet if s.part == part):
            account_rows = [row for _, row in _account_rows(chart.of_types(books, section.types), columns)]
            if account_rows:
                totals = [c.group(books, section) for c in columns]
                rows.append(layout.section(section.title, [
                    *account_rows, layout.amount_row(section.total, totals, summary_row=True)]))
        rows.append(layout.section("", [layout.amount_row(total, [c.part(books, part) for c in columns],
                                                          summary_row=True)]))
    net = [c.part(books, "assets") - c.part(books, "liabilities") for c in columns]
    rows.append(layout.section("", [layout.amount_row("Net Assets", net)]))
    equity = table.equity
    rows.append(layout.section(equity.title, [
        *_equity_rows(books, equity, columns),
        layout.amount_row(equity.total, [c.part(books, "equity") for c in columns], summary_row=True)]))
    return rows


async def build(books: Books, params: Parameters, *, ledger: LedgerOpener = open_ledger) -> ReportWithRow:
    """The BalanceSheet report (module docstring), from the stored balances (``ledger``: another source, e.g.
    :func:`~adapters.native.reports.stored.open_reference`).

    Raises:
        ValidationException: a bad parameter (the message names it).
    """
    day = params.date("date") or periods.month_end(books.today())
    count = params.integer("periods", low=0, high=periods.MAX_PERIODS) or 0
    months = periods.timeframe_months(params)
    cash = bool(params.boolean("paymentsOnly"))
    selection = await tracking.for_balance_sheet(books, params)
    dates = [p.end for p in periods.comparisons(Period(None, day), periods=count, months=months)]
    source = await ledger(books, until=day, cash_basis=cash)
    keep = selection.keep if selection.filters else None
    revalued = {} if cash else await unrealised.revaluations(books, dates)
    columns = [await position(books, source, d, keep=keep, filtered=selection.filters, revalued=revalued.get(d, []))
               for d in dates]
    rows = [layout.header(["", *(layout.short_date(d) for d in dates)]), *statement_rows(books, columns)]
    titles = ["Balance Sheet", books.company.name, f"As at {layout.long_date(day)}"]
    return layout.report(report_type="BalanceSheet", name="Balance Sheet", titles=titles, date=books.today(),
                         updated=books.now(), rows=rows)
