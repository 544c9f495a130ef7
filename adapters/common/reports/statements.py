"""ProfitAndLoss, BalanceSheet and TrialBalance computed from account balances, for any source that can give each
account's ``debits − credits`` over a period (Sage Accounting from ``ledger_accounts`` balance details, Sage 50 from
``AUDIT_JOURNAL``).

A source provides a :class:`Ledger`: its chart (:class:`LedgerAccount`, with the Xero type and class of each
account), :meth:`Ledger.balances` and the organisation's name and financial year end; the report sections come from
a code table (:class:`Sections`). Sections list their accounts by name; accounts with nothing to show are left out.
Figures are on each account's natural side (assets and expenses debit-positive; revenue, liabilities and equity
credit-positive).

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
earlier period. Hence Total Assets − Total Liabilities ("Net Assets") = Total Equity, since every posting balances.
Layout as the spec example: section "Assets" (empty) then its sections and "Total Assets", "Liabilities" likewise,
"Net Assets", "Equity" with its rows and "Total Equity". Titles ``["Balance Sheet", <organisation>,
"As at 30 April 2019"]``.

**TrialBalance** (spec ``getReportTrialBalance``: ``date``): columns ``Account``, ``Debit``, ``Credit``, ``YTD Debit``,
``YTD Credit`` (spec example header). ``Debit``/``Credit``: the account's net movement in the month of ``date`` up to
it; ``YTD``: balance sheet accounts' balance as at ``date``, revenue and expense accounts' movement since the start of
the financial year, and a "Retained Earnings" row (no account) for earlier years' profit. Sections by class (spec
titles Revenue, Expenses, Assets, Liabilities, Equity), then an untitled section with the ``SummaryRow`` "Total"; both
pairs of totals are equal (each sums balanced postings). Titles ``["Trial Balance", <organisation>,
"As at 24 April 2019"]``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from gateway.xero.models.reports import ReportRow, ReportRows, ReportWithRow
from gateway.xero.parameters import Parameters

from . import layout
from .periods import date_range, month_end, month_start, months_back, shift_months, year_start

ZERO = Decimal(0)
#: The beginning of every ledger ("as at" a day is the period from here to that day).
EPOCH = dt.date(1900, 1, 1)
#: The account attribute of rows without an account (spec BalanceSheet example, "Current Year Earnings").
NO_ACCOUNT = "00000000-0000-0000-0000-000000000000"
PROFIT_CLASSES = ("REVENUE", "EXPENSE")


@dataclass(frozen=True)
class LedgerAccount:
    """What a report shows of an account (``id`` the source's key of it)."""

    id: str
    guid: str
    code: str | None
    name: str
    xero_type: str
    xero_class: str

    @property
    def label(self) -> str:
        """``"Sales (4000)"`` (spec TrialBalance example labels)."""
        return f"{self.name} ({self.code})" if self.code else self.name

    def natural(self, amount: Decimal) -> Decimal:
        """``amount`` (debit positive) on the account's natural side: assets and expenses as they are, revenue,
        liabilities and equity negated (Xero shows each account on its natural side)."""
        return amount if self.xero_class in ("ASSET", "EXPENSE") else -amount


@dataclass(frozen=True)
class Section:
    """A statement section: its title, total label and the Xero account types it gathers (``gross``: before Gross
    Profit; ``part``: assets, liabilities or equity on the balance sheet)."""

    title: str
    total: str
    types: tuple[str, ...]
    gross: bool = False
    part: str = ""


@dataclass(frozen=True)
class TrialSection:
    """A trial balance section: its title and the Xero account class it gathers."""

    title: str
    xero_class: str


@dataclass(frozen=True)
class Sections:
    """The statements' sections, in report order (a code table of the source)."""

    profit_and_loss: tuple[Section, ...]
    balance_sheet: tuple[Section, ...]
    trial_balance: tuple[TrialSection, ...]
    cost_classes: Mapping[str, str]  # Xero type → class, for the Gross Profit sign


class Ledger(Protocol):
    """A source's ledger as the statements read it."""

    chart: Mapping[str, LedgerAccount]
    org_name: str
    year_end: dt.date | None

    async def balances(self, start: dt.date, end: dt.date) -> dict[str, Decimal]:
        """Account id → ``debits − credits`` over ``start … end`` (inclusive)."""
        ...


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date


def sort_key(account: LedgerAccount) -> tuple[str, str, str]:
    """Accounts are listed by name within a section, as in the spec's examples, then by code."""
    return (account.name.lower(), account.code or "", account.id)


def profit(values: Mapping[str, Decimal], accounts: Mapping[str, LedgerAccount]) -> Decimal:
    """Net profit (credit positive) of the revenue and expense accounts in ``values``."""
    return -sum((v for k, v in values.items() if k in accounts and accounts[k].xero_class in PROFIT_CLASSES), ZERO)


def any_nonzero(values: Iterable[Decimal]) -> bool:
    return any(v != 0 for v in values)


def _sections_rows(sections: Iterable[Section], accounts: Mapping[str, LedgerAccount],
                   columns: list[dict[str, Decimal]]) -> list[tuple[Section, list[ReportRow], list[Decimal]]]:
    """``(section, rows, totals per column)`` of the sections that have accounts to show."""
    out = []
    for section in sections:
        members = sorted((a for a in accounts.values() if a.xero_type in section.types), key=sort_key)
        rows, totals = [], [ZERO] * len(columns)
        for account in members:
            values = [account.natural(c.get(account.id, ZERO)) for c in columns]
            if not any_nonzero(values):
                continue
            rows.append(layout.account_row(account.name, account.guid, [layout.money(v) for v in values]))
            totals = [t + v for t, v in zip(totals, values, strict=True)]
        if rows:
            out.append((section, rows, totals))
    return out


async def profit_and_loss(ledger: Ledger, sections: Sections, params: Parameters, *, today: dt.date,
                          now: dt.datetime) -> ReportWithRow:
    """The ProfitAndLoss report (module docstring). Raises ``ValidationException`` (bad periods or dates)."""
    start, end = date_range(params, today=today)
    count, months = months_back(params)
    periods = [Period(start, end)] + [Period(shift_months(start, -k * months), shift_months(end, -k * months))
                                      for k in range(1, count + 1)]
    columns = [await ledger.balances(p.start, p.end) for p in periods]
    rows: list[ReportRows] = [layout.header(["", *(layout.short_date(p.end) for p in periods)])]
    gross = [ZERO] * len(periods)
    gross_done = False
    for section, section_rows, totals in _sections_rows(sections.profit_and_loss, ledger.chart, columns):
        if not section.gross and not gross_done:
            rows.append(layout.section("", [layout.amounts("Gross Profit", gross)]))
            gross_done = True
        if section.gross:
            cost = sections.cost_classes.get(section.types[0]) == "EXPENSE"
            gross = [g - v if cost else g + v for g, v in zip(gross, totals, strict=True)]
        rows.append(layout.section(section.title, [*section_rows, layout.amounts(section.total, totals,
                                                                                  summary=True)]))
    if not gross_done and any(s.gross for s in sections.profit_and_loss):
        rows.append(layout.section("", [layout.amounts("Gross Profit", gross)]))
    rows.append(layout.section("", [layout.amounts("Net Profit", [profit(c, ledger.chart) for c in columns])]))
    titles = ["Profit & Loss", ledger.org_name, f"{layout.long_date(start)} to {layout.long_date(end)}"]
    return layout.report(report_type="ProfitAndLoss", name="Profit and Loss", titles=titles, date=today,
                         updated=now, rows=rows)


async def _balance_columns(ledger: Ledger, day: dt.date) -> tuple[dict[str, Decimal], Decimal, Decimal]:
    """``(balances as at day, current year earnings, retained earnings)``."""
    as_at = await ledger.balances(EPOCH, day)
    current = profit(await ledger.balances(year_start(day, ledger.year_end), day), ledger.chart)
    return as_at, current, profit(as_at, ledger.chart) - current


async def balance_sheet(ledger: Ledger, sections: Sections, params: Parameters, *, today: dt.date,
                        now: dt.datetime) -> ReportWithRow:
    """The BalanceSheet report (module docstring). Raises ``ValidationException`` (bad periods)."""
    day = params.date("date") or month_end(today)
    count, months = months_back(params)
    days = [day] + [shift_months(day, -k * months) for k in range(1, count + 1)]
    columns, current, retained = [], [], []
    for d in days:
        as_at, cye, earlier = await _balance_columns(ledger, d)
        columns.append(as_at)
        current.append(cye)
        retained.append(earlier)
    rows: list[ReportRows] = [layout.header(["", *(layout.short_date(d) for d in days)])]
    part_totals: dict[str, list[Decimal]] = {}
    for part, title in (("assets", "Assets"), ("liabilities", "Liabilities")):
        rows.append(layout.section(title, []))
        totals = [ZERO] * len(days)
        for section, s_rows, s_totals in _sections_rows([s for s in sections.balance_sheet if s.part == part],
                                                        ledger.chart, columns):
            rows.append(layout.section(section.title, [*s_rows, layout.amounts(section.total, s_totals,
                                                                                summary=True)]))
            totals = [a + b for a, b in zip(totals, s_totals, strict=True)]
        rows.append(layout.section("", [layout.amounts(f"Total {title}", totals, summary=True)]))
        part_totals[part] = totals
    net_assets = [a - b for a, b in zip(part_totals["assets"], part_totals["liabilities"], strict=True)]
    rows.append(layout.section("", [layout.amounts("Net Assets", net_assets)]))
    equity_sections = [s for s in sections.balance_sheet if s.part == "equity"]
    equity_rows: list[ReportRow] = []
    equity_total = [ZERO] * len(days)
    for _section, s_rows, s_totals in _sections_rows(equity_sections, ledger.chart, columns):
        equity_rows.extend(s_rows)
        equity_total = [a + b for a, b in zip(equity_total, s_totals, strict=True)]
    for label, values in (("Current Year Earnings", current), ("Retained Earnings", retained)):
        if any_nonzero(values) or label == "Current Year Earnings":
            equity_rows.append(layout.account_row(label, NO_ACCOUNT, [layout.money(v) for v in values]))
            equity_total = [a + b for a, b in zip(equity_total, values, strict=True)]
    equity_title = equity_sections[0].title if equity_sections else "Equity"
    equity_label = equity_sections[0].total if equity_sections else "Total Equity"
    rows.append(layout.section(equity_title, [*equity_rows, layout.amounts(equity_label, equity_total,
                                                                            summary=True)]))
    titles = ["Balance Sheet", ledger.org_name, f"As at {layout.long_date(day)}"]
    return layout.report(report_type="BalanceSheet", name="Balance Sheet", titles=titles, date=today,
                         updated=now, rows=rows)


def _pair(amount: Decimal, *, credit_side: bool) -> tuple[str, str]:
    """``(debit text, credit text)`` of a signed amount (debit > 0); a zero shows on the natural side."""
    if amount > 0:
        return layout.money(amount), ""
    if amount < 0:
        return "", layout.money(-amount)
    return ("", "0.00") if credit_side else ("0.00", "")


async def trial_balance(ledger: Ledger, sections: Sections, params: Parameters, *, today: dt.date,
                        now: dt.datetime) -> ReportWithRow:
    """The TrialBalance report (module docstring)."""
    day = params.date("date") or today
    month = await ledger.balances(month_start(day), day)
    as_at, _current, retained = await _balance_columns(ledger, day)
    this_year = await ledger.balances(year_start(day, ledger.year_end), day)

    def ytd(account: LedgerAccount) -> Decimal:
        source = this_year if account.xero_class in PROFIT_CLASSES else as_at
        return source.get(account.id, ZERO)

    rows: list[ReportRows] = [layout.header(["Account", "Debit", "Credit", "YTD Debit", "YTD Credit"])]
    debit = credit = ytd_debit = ytd_credit = ZERO
    for section in sections.trial_balance:
        section_rows: list[ReportRow] = []
        credit_side = section.xero_class in ("REVENUE", "LIABILITY", "EQUITY")
        members = sorted((a for a in ledger.chart.values() if a.xero_class == section.xero_class), key=sort_key)
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
    titles = ["Trial Balance", ledger.org_name, f"As at {layout.long_date(day)}"]
    return layout.report(report_type="TrialBalance", name="Trial Balance", titles=titles, date=today, updated=now,
                         rows=rows)
