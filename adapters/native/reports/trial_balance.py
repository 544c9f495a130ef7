"""``GET /Reports/TrialBalance``: every account's debit or credit balance as at a date, computed from the ledger.

Parameters (spec ``getReportTrialBalance``): ``date`` (default: today, as the spec's example "As at 24 April
2019" run on 24 April 2019), ``paymentsOnly`` (cash basis, ``adapters.native.reports.balances``).

Sums come from the stored per-day balances (``adapters.native.reports.stored``) on accrual basis, from the
journal lines on cash basis (``adapters.native.reports.balances``).

Columns (spec example header ``Account``, ``Debit``, ``Credit``, ``YTD Debit``, ``YTD Credit``):

- ``Debit``/``Credit``: the account's net movement in the month of ``date``, up to ``date`` (unconfirmed reading
  of the example, whose month columns are smaller than the year-to-date ones);
- ``YTD Debit``/``YTD Credit``: balance sheet accounts' balance as at ``date``; revenue and expense accounts'
  movement since the start of the financial year; Retained Earnings (the ``RETAINEDEARNINGS`` account, value
  cells with ``fromDate`` ``""`` and ``toDate`` the last financial year end, as in the example) its own postings
  plus the net profit of every earlier financial year.

On accrual basis both pairs count the revaluation of the open foreign-currency invoices and bills as at ``date``
(:func:`adapters.native.reports.unrealised.revaluation`, dated ``date``): Accounts Receivable/Payable as the
BalanceSheet shows them and the ``UNREALISEDCURRENCYGAIN`` account's row, so the trial balance agrees with the
BalanceSheet and the ProfitAndLoss of the same date (Xero's API trial balance carries its FX adjustments: Silverfin,
"How do I use Xero for clients with FX transactions?"; ``docs/native-unrealised-gains.md``).

A pair shows the amount on its side and ``""`` on the other; a zero shows ``"0.00"`` on the account's natural
side (revenue, liabilities, equity: credit), as in the example. Accounts with no movement and no balance are left
out. Sections ``Revenue``, ``Expenses``, ``Assets``, ``Liabilities``, ``Equity`` (accounts by name, label
``"Sales (200)"``), then an untitled section with the ``SummaryRow`` "Total". Both pairs of totals are equal:
each is the sum of balanced journals (the year-to-date pair because earlier years' profit sits in Retained
Earnings). Titles ``["Trial Balance", <organisation>, "As at 24 April 2019"]``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gateway.xero.models.reports import ReportCell, ReportRow, ReportWithRow
from gateway.xero.parameters import Parameters

from ..books import Books
from ..tables.core import Account
from . import balances, chart, layout, periods, sections, unrealised
from .balances import Line
from .stored import LedgerOpener, open_ledger

ZERO = Decimal("0")


def _pair(amount: Decimal, *, credit_side: bool) -> tuple[str, str]:
    """``(debit text, credit text)`` of a signed amount (debit > 0)."""
    if amount > 0:
        return layout.money(amount), ""
    if amount < 0:
        return "", layout.money(-amount)
    return ("", "0.00") if credit_side else ("0.00", "")


def _label(account: Account) -> str:
    return f"{account.name} ({account.code})" if account.code else account.name


async def build(books: Books, params: Parameters, *, ledger: LedgerOpener = open_ledger) -> ReportWithRow:
    """The TrialBalance report (module docstring), from the stored balances (``ledger``: another source, e.g.
    :func:`~adapters.native.reports.stored.open_reference`).

    Raises:
        ValidationException: a bad ``date`` or ``paymentsOnly`` (the message names it).
    """
    day = params.date("date") or books.today()
    cash = bool(params.boolean("paymentsOnly"))
    source = await ledger(books, until=day, cash_basis=cash)
    start = chart.year_start(books, day)
    profit_ids = chart.profit_accounts(books)

    async def totals(since: dt.date | None, until: dt.date, extra: list[Line] | None = None) -> dict[str, Decimal]:
        return balances.totals([*await source.lines(start=since, end=until), *(extra or [])], end=until)

    revalued = [] if cash else await unrealised.revaluation(books, day)
    month = await totals(periods.month_start(day), day, revalued)
    to_date = await totals(None, day, revalued)
    this_year = await totals(start, day, revalued)
    earlier_end = start - dt.timedelta(days=1)
    earlier = chart.profit(await totals(None, earlier_end), profit_ids)
    retained = chart.system_account(books, "RETAINEDEARNINGS")

    def ytd(account: Account) -> Decimal:
        if account.id in profit_ids:
            return this_year.get(account.id, ZERO)
        value = to_date.get(account.id, ZERO)
        return value - earlier if retained is not None and account.id == retained.id else value

    rows = [layout.header(["Account", "Debit", "Credit", "YTD Debit", "YTD Credit"])]
    debit = credit = ytd_debit = ytd_credit = ZERO
    for title, account_class in sections.load().trial_balance:
        section_rows: list[ReportRow] = []
        accounts = sorted((a for a in books.accounts.values() if books.account_class(a) == account_class),
                          key=chart.sort_key)
        for account in accounts:
            moved, balance = month.get(account.id, ZERO), ytd(account)
            if not (moved or balance):
                continue
            credit_side = account_class in ("REVENUE", "LIABILITY", "EQUITY")
            values = [*_pair(moved, credit_side=credit_side), *_pair(balance, credit_side=credit_side)]
            debit += max(moved, ZERO)
            credit += max(-moved, ZERO)
            ytd_debit += max(balance, ZERO)
            ytd_credit += max(-balance, ZERO)
            attrs: tuple[tuple[str, str], ...] = (("account", account.id),)
            value_attrs = attrs
            if retained is not None and account.id == retained.id:
                value_attrs = (*attrs, ("fromDate", ""), ("toDate", layout.us_date(earlier_end)))
            cells: list[ReportCell] = [layout.cell(_label(account), attrs)]
            cells.extend(layout.cell(v, value_attrs) for v in values)
            section_rows.append(layout.row(cells))
        if section_rows:
            rows.append(layout.section(title, section_rows))
    rows.append(layout.section("", [layout.amount_row("Total", [debit, credit, ytd_debit, ytd_credit],
                                                      summary_row=True)]))
    titles = ["Trial Balance", books.company.name, f"As at {layout.long_date(day)}"]
    return layout.report(report_type="TrialBalance", name="Trial Balance", titles=titles, date=books.today(),
                         updated=books.now(), rows=rows)
