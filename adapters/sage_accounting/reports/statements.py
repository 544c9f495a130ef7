"""ProfitAndLoss, BalanceSheet and TrialBalance, computed from Sage ledger account balances
(:mod:`adapters.sage_accounting.reports.ledger`).

Sections come from ``mappings/sage_report_sections.toml`` (Xero account types via
``mappings/sage_account_types.toml``); accounts are listed by name within a section; accounts with nothing to show
are left out. Figures are on each account's natural side (assets and expenses debit-positive; revenue, liabilities
and equity credit-positive).

**ProfitAndLoss** (spec ``getReportProfitAndLoss``: ``fromDate``, ``toDate``, ``periods``, ``timeframe``): one column
per period — the report's own (default: the current month; only ``toDate``: from the first of its month; only
``fromDate``: to the end of its month), then ``periods`` earlier ones shifted back by ``timeframe``. Layout:
``Header`` (``""`` and each period's end ``"30 Apr 2019"``); a ``Section`` per section with accounts and its
``SummaryRow`` total; an untitled section with the ``Row`` "Gross Profit" after the cost-of-sales sections; an untitled
section with the ``Row`` "Net Profit" (= −Σ of every revenue and expense account's ``debits − credits``). Titles
``["Profit & Loss", <organisation>, "1 April 2019 to 30 April 2019"]`` (unconfirmed, as the native ledger's).

**BalanceSheet** (spec ``getReportBalanceSheet``: ``date``, ``periods``, ``timeframe``): one column per date (default:
the end of the current month; comparisons newest first). Per column: every asset, liability and equity account's
balance as at the date; **Current Year Earnings** (no account: the all-zero GUID, as in the spec example) = net profit
from the start of the financial year to the date; **Retained Earnings** (no account) = the net profit of every
earlier period. Hence Total Assets − Total Liabilities ("Net Assets") = Total Equity, since every Sage transaction
balances. Layout as the spec example: section "Assets" (empty) then its sections and "Total Assets", "Liabilities"
likewise, "Net Assets", "Equity" with its rows and "Total Equity". Titles ``["Balance Sheet", <organisation>,
"As at 30 April 2019"]``.

**TrialBalance** (spec ``getReportTrialBalance``: ``date``): columns ``Account``, ``Debit``, ``Credit``, ``YTD Debit``,
``YTD Credit`` (spec example header). ``Debit``/``Credit``: the account's net movement in the month of ``date`` up to
it; ``YTD``: balance sheet accounts' balance as at ``date``, revenue and expense accounts' movement since the start of
the financial year, and a "Retained Earnings" row (no account) for earlier years' profit. Sections by class (spec
titles Revenue, Expenses, Assets, Liabilities, Equity), then an untitled section with the ``SummaryRow`` "Total"; both
pairs of totals are equal (each sums balanced transactions). Titles ``["Trial Balance", <organisation>,
"As at 24 April 2019"]``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from gateway.xero.models.reports import ReportRow, ReportRows, ReportWithRow
from gateway.xero.parameters import Parameters

from ..codes import tables
from ..translate.common import ZERO, Tx, sage_date
from ..unit import SageUnit
from . import layout, ledger
from .params import date_range, month_end, month_start, months_back, shift_months, year_start

#: The account attribute of rows without an account (spec BalanceSheet example, "Current Year Earnings").
NO_ACCOUNT = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date


def _org_name(tx: Tx) -> str:
    business = tx.refs.obj("business")
    return str(business.get("name") or business.get("displayed_as") or "")


def _year_end(tx: Tx) -> dt.date | None:
    return sage_date(tx.refs.obj("financial_settings").get("year_end_date"))


def _sections_rows(sections, accounts: dict[str, ledger.LedgerAccount], columns: list[dict[str, Decimal]]
                   ) -> list[tuple[str, str, list[ReportRow], list[Decimal]]]:
    """``(title, total label, rows, totals per column)`` of the sections that have accounts to show."""
    out = []
    for section in sections:
        members = sorted((a for a in accounts.values() if a.xero_type in section.types), key=ledger.sort_key)
        rows, totals = [], [ZERO] * len(columns)
        for account in members:
            values = [account.natural(c.get(account.id, ZERO)) for c in columns]
            if not ledger.any_nonzero(values):
                continue
            rows.append(layout.account_row(account.name, account.guid, [layout.money(v) for v in values]))
            totals = [t + v for t, v in zip(totals, values, strict=True)]
        if rows:
            out.append((section.title, section.total, rows, totals))
    return out


def _pl_periods(params: Parameters, today: dt.date) -> list[Period]:
    start, end = date_range(params, today=today)
    periods, months = months_back(params)
    out = [Period(start, end)]
    for k in range(1, periods + 1):
        out.append(Period(shift_months(start, -k * months), shift_months(end, -k * months)))
    return out


async def profit_and_loss(unit: SageUnit, tx: Tx, params: Parameters, *, today: dt.date,
                          now: dt.datetime) -> ReportWithRow:
    """The ProfitAndLoss report (module docstring)."""
    periods = _pl_periods(params, today)
    accounts = ledger.chart(tx)
    columns = [await ledger.balances(unit, p.start, p.end) for p in periods]
    t = tables()
    rows: list[ReportRows] = [layout.header(["", *(layout.short_date(p.end) for p in periods)])]
    gross = [ZERO] * len(periods)
    gross_done = False
    for title, total_label, section_rows, totals in _sections_rows(t.profit_and_loss, accounts, columns):
        section = next(s for s in t.profit_and_loss if s.title == title)
        if not section.gross and not gross_done:
            rows.append(layout.section("", [layout.amounts("Gross Profit", gross)]))
            gross_done = True
        if section.gross:
            cost = t.xero_class(section.types[0]) == "EXPENSE"
            gross = [g - v if cost else g + v for g, v in zip(gross, totals, strict=True)]
        rows.append(layout.section(title, [*section_rows, layout.amounts(total_label, totals, summary=True)]))
    if not gross_done and any(s.gross for s in t.profit_and_loss):
        rows.append(layout.section("", [layout.amounts("Gross Profit", gross)]))
    net = [ledger.profit(c, accounts) for c in columns]
    rows.append(layout.section("", [layout.amounts("Net Profit", net)]))
    first = periods[0]
    titles = ["Profit & Loss", _org_name(tx), f"{layout.long_date(first.start)} to {layout.long_date(first.end)}"]
    return layout.report(report_type="ProfitAndLoss", name="Profit and Loss", titles=titles, date=today,
                         updated=now, rows=rows)


async def _balance_columns(unit: SageUnit, tx: Tx, day: dt.date, accounts: dict[str, ledger.LedgerAccount]
                           ) -> tuple[dict[str, Decimal], Decimal, Decimal]:
    """``(balances as at day, current year earnings, retained earnings)``."""
    as_at = await ledger.balances(unit, ledger.EPOCH, day)
    this_year = await ledger.balances(unit, year_start(day, _year_end(tx)), day)
    current = ledger.profit(this_year, accounts)
    retained = ledger.profit(as_at, accounts) - current
    return as_at, current, retained


async def balance_sheet(unit: SageUnit, tx: Tx, params: Parameters, *, today: dt.date,
                        now: dt.datetime) -> ReportWithRow:
    """The BalanceSheet report (module docstring)."""
    day = params.date("date") or month_end(today)
    periods, months = months_back(params)
    days = [day] + [shift_months(day, -k * months) for k in range(1, periods + 1)]
    accounts = ledger.chart(tx)
    columns, current, retained = [], [], []
    for d in days:
        as_at, cye, earlier = await _balance_columns(unit, tx, d, accounts)
        columns.append(as_at)
        current.append(cye)
        retained.append(earlier)
    t = tables()
    rows: list[ReportRows] = [layout.header(["", *(layout.short_date(d) for d in days)])]
    part_totals: dict[str, list[Decimal]] = {}
    for part, title in (("assets", "Assets"), ("liabilities", "Liabilities")):
        rows.append(layout.section(title, []))
        totals = [ZERO] * len(days)
        sections = [s for s in t.balance_sheet if s.part == part]
        for s_title, s_total, s_rows, s_totals in _sections_rows(sections, accounts, columns):
            rows.append(layout.section(s_title, [*s_rows, layout.amounts(s_total, s_totals, summary=True)]))
            totals = [a + b for a, b in zip(totals, s_totals, strict=True)]
        rows.append(layout.section("", [layout.amounts(f"Total {title}", totals, summary=True)]))
        part_totals[part] = totals
    net_assets = [a - b for a, b in zip(part_totals["assets"], part_totals["liabilities"], strict=True)]
    rows.append(layout.section("", [layout.amounts("Net Assets", net_assets)]))
    equity_sections = [s for s in t.balance_sheet if s.part == "equity"]
    equity_rows: list[ReportRow] = []
    equity_total = [ZERO] * len(days)
    for _title, _total, s_rows, s_totals in _sections_rows(equity_sections, accounts, columns):
        equity_rows.extend(s_rows)
        equity_total = [a + b for a, b in zip(equity_total, s_totals, strict=True)]
    for label, values in (("Current Year Earnings", current), ("Retained Earnings", retained)):
        if ledger.any_nonzero(values) or label == "Current Year Earnings":
            equity_rows.append(layout.account_row(label, NO_ACCOUNT, [layout.money(v) for v in values]))
            equity_total = [a + b for a, b in zip(equity_total, values, strict=True)]
    equity_title = equity_sections[0].title if equity_sections else "Equity"
    equity_label = equity_sections[0].total if equity_sections else "Total Equity"
    rows.append(layout.section(equity_title, [*equity_rows, layout.amounts(equity_label, equity_total,
                                                                            summary=True)]))
    titles = ["Balance Sheet", _org_name(tx), f"As at {layout.long_date(day)}"]
    return layout.report(report_type="BalanceSheet", name="Balance Sheet", titles=titles, date=today,
                         updated=now, rows=rows)


def _pair(amount: Decimal, *, credit_side: bool) -> tuple[str, str]:
    """``(debit text, credit text)`` of a signed amount (debit > 0); a zero shows on the natural side."""
    if amount > 0:
        return layout.money(amount), ""
    if amount < 0:
        return "", layout.money(-amount)
    return ("", "0.00") if credit_side else ("0.00", "")


async def trial_balance(unit: SageUnit, tx: Tx, params: Parameters, *, today: dt.date,
                        now: dt.datetime) -> ReportWithRow:
    """The TrialBalance report (module docstring)."""
    day = params.date("date") or today
    accounts = ledger.chart(tx)
    month = await ledger.balances(unit, month_start(day), day)
    as_at, _current, retained = await _balance_columns(unit, tx, day, accounts)
    this_year = await ledger.balances(unit, year_start(day, _year_end(tx)), day)
    profit_classes = ("REVENUE", "EXPENSE")

    def ytd(account: ledger.LedgerAccount) -> Decimal:
        source = this_year if account.xero_class in profit_classes else as_at
        return source.get(account.id, ZERO)

    rows: list[ReportRows] = [layout.header(["Account", "Debit", "Credit", "YTD Debit", "YTD Credit"])]
    debit = credit = ytd_debit = ytd_credit = ZERO
    for section in tables().trial_balance:
        section_rows: list[ReportRow] = []
        credit_side = section.xero_class in ("REVENUE", "LIABILITY", "EQUITY")
        members = sorted((a for a in accounts.values() if a.xero_class == section.xero_class), key=ledger.sort_key)
        entries = [(a.label, a.guid, month.get(a.id, ZERO), ytd(a)) for a in members]
        if section.xero_class == "EQUITY" and retained != 0:
            entries.append(("Retained Earnings", NO_ACCOUNT, ZERO, -retained))
        for label, guid, moved, year in entries:
            if moved == 0 and year == 0:
                continue
            section_rows.append(layout.account_row(label, guid, [*_pair(moved, credit_side=credit_side),
                                                                  *_pair(year, credit_side=credit_side)]))
            debit += max(moved, ZERO)
            credit += max(-moved, ZERO)
            ytd_debit += max(year, ZERO)
            ytd_credit += max(-year, ZERO)
        if section_rows:
            rows.append(layout.section(section.title, section_rows))
    rows.append(layout.section("", [layout.amounts("Total", [debit, credit, ytd_debit, ytd_credit], summary=True)]))
    titles = ["Trial Balance", _org_name(tx), f"As at {layout.long_date(day)}"]
    return layout.report(report_type="TrialBalance", name="Trial Balance", titles=titles, date=today, updated=now,
                         rows=rows)
