"""``GET /Reports/ProfitAndLoss``: income and expenses over a period, computed from the ledger.

Parameters (spec ``getReportProfitAndLoss``): ``fromDate``, ``toDate``, ``periods``, ``timeframe``,
``trackingCategoryID``, ``trackingOptionID``, ``trackingCategoryID2``, ``trackingOptionID2``, ``standardLayout``,
``paymentsOnly``.

- Dates: neither given → the current month; only ``toDate`` → from the first of its month; only ``fromDate`` →
  to the end of its month (the native ledger's defaults; Xero's are unconfirmed). ``fromDate`` after ``toDate``
  → 400.
- ``periods``/``timeframe``: comparison columns, the period shifted back (``adapters.native.reports.periods``).
- Tracking: filter or split the columns (``adapters.native.reports.tracking``).
- ``standardLayout``: validated; the native ledger has no custom report layouts, so every report is the
  standard layout.
- ``paymentsOnly``: cash basis (``adapters.native.reports.balances``).

Figures: the stored per-day balances (``adapters.native.reports.stored``), one query per column. On accrual basis
each column also counts the revaluation of the open foreign-currency invoices and bills as at its period's end
date, at the operator's rates (:func:`adapters.native.reports.unrealised.revaluations`;
``docs/native-unrealised-gains.md``): an account row of the ``UNREALISEDCURRENCYGAIN`` system account (UK chart:
"Unrealised Currency Gains", an ``OVERHEADS`` account, so a loss shows positive), labelled and attributed as every
account row, as in the ProfitAndLoss answer quoted in XeroAPI/Xero-Java#134 ("Unrealized Currency Gains" with its
``account`` attribute). The revaluation carries no tracking (it falls in ``Unassigned``).

Layout (sections and titles: ``sections.toml``): a ``Header`` (``""`` then one heading per column: the period's
end date ``"30 Apr 2019"``, or the tracking options then ``Unassigned`` and ``Total``); per section with accounts a
``Section`` of account rows (attributes ``account``) and a ``SummaryRow`` ``Total …``; an untitled section with the
``Row`` "Gross Profit" after the cost of sales (when it has accounts); an untitled section with the ``Row``
"Net Profit" last. Computed lines are ``Row`` s in untitled sections as "Net Assets" is in the spec's BalanceSheet
example. Revenue shows credit-positive, costs debit-positive; Net Profit is ``-Σ`` of every revenue and expense
line. Titles: ``["Profit & Loss", <organisation>, "1 April 2019 to 30 April 2019"]`` (unconfirmed, from a recorded
response).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from gateway.xero.models.reports import ReportRows, ReportWithRow
from gateway.xero.parameters import Parameters

from ..books import Books
from . import balances, chart, layout, periods, sections, tracking, unrealised
from .balances import Line
from .periods import Period
from .stored import LedgerOpener, open_ledger

ZERO = Decimal("0")


@dataclass(frozen=True)
class Column:
    """One value column: its heading, period and line filter."""

    label: str
    period: Period
    keep: Callable[[Line], bool] | None = None


def section_total(books: Books, section: sections.Section, sums: dict[str, Decimal]) -> Decimal:
    """A section's total on the natural side (revenue credit-positive, costs debit-positive)."""
    return sum((chart.signed(a, sums.get(a.id, ZERO)) for a in chart.of_types(books, section.types)), ZERO)


def statement_rows(books: Books, sums: Sequence[dict[str, Decimal]]) -> list[ReportRows]:
    """The sections, Gross Profit and Net Profit rows for the per-column account sums ``sums``."""
    table = sections.load()
    profit_ids = chart.profit_accounts(books)
    gross_ids: set[str] = set()
    rows: list[ReportRows] = []
    for section in table.profit_and_loss:
        accounts = chart.of_types(books, section.types)
        if section.gross:
            gross_ids.update(a.id for a in accounts)
        account_rows = []
        for account in accounts:
            values = [chart.signed(account, column.get(account.id, ZERO)) for column in sums]
            if chart.has_amount(values):
                account_rows.append(layout.account_row(account.name, account.id, values))
        if account_rows:
            totals = [section_total(books, section, column) for column in sums]
            rows.append(layout.section(section.title, [*account_rows,
                                                       layout.amount_row(section.total, totals, summary_row=True)]))
            if section.key == "cost_of_sales":
                gross = [chart.profit(column, gross_ids) for column in sums]
                rows.append(layout.section("", [layout.amount_row("Gross Profit", gross)]))
    net = [chart.profit(column, profit_ids) for column in sums]
    rows.append(layout.section("", [layout.amount_row("Net Profit", net)]))
    return rows


def _columns(base: Period, params: Parameters, selection: tracking.Selection, *, count: int) -> list[Column]:
    split = selection.split
    if split is None:
        months = periods.timeframe_months(params)
        return [Column(layout.short_date(p.end), p) for p in periods.comparisons(base, periods=count,
                                                                                 months=months)]
    known = {option_id for option_id, _ in split.options}

    def carrying(option_id: str) -> Callable[[Line], bool]:
        return lambda line: line.option(split.category_id) == option_id

    columns = [Column(name, base, carrying(option_id)) for option_id, name in split.options]
    columns.append(Column(tracking.UNASSIGNED, base, lambda line: line.option(split.category_id) not in known))
    columns.append(Column("Total", base))
    return columns


async def build(books: Books, params: Parameters, *, ledger: LedgerOpener = open_ledger) -> ReportWithRow:
    """The ProfitAndLoss report (module docstring), from the stored balances (``ledger``: another source, e.g.
    :func:`~adapters.native.reports.stored.open_reference`).

    Raises:
        ValidationException: a bad parameter (the message names it).
    """
    base = periods.date_range(params, today=books.today())
    count = params.integer("periods", low=0, high=periods.MAX_PERIODS) or 0
    cash = bool(params.boolean("paymentsOnly"))
    selection = await tracking.for_profit_and_loss(books, params, periods=count)
    columns = _columns(base, params, selection, count=count)
    source = await ledger(books, until=base.end, cash_basis=cash)
    revalued = {} if cash else await unrealised.revaluations(books, (c.period.end for c in columns))
    sums = []
    for c in columns:
        lines = [*await source.lines(start=c.period.start, end=c.period.end), *revalued.get(c.period.end, [])]
        if selection.filters:
            lines = [line for line in lines if selection.keep(line)]
        sums.append(balances.totals(lines, end=c.period.end, keep=c.keep))
    assert base.start is not None
    rows = [layout.header(["", *(c.label for c in columns)]), *statement_rows(books, sums)]
    titles = ["Profit & Loss", books.company.name, f"{layout.long_date(base.start)} to {layout.long_date(base.end)}"]
    return layout.report(report_type="ProfitAndLoss", name="Profit and Loss", titles=titles, date=books.today(),
                         updated=books.now(), rows=rows)
