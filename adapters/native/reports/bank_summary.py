"""``GET /Reports/BankSummary``: per bank account, opening balance, cash received, cash spent and closing balance
over a period, computed from the ledger.

Parameters (spec ``getReportBankSummary``): ``fromDate``/``toDate`` (default: the current month, as the spec's
example run on 23 April 2019 covers "From 1 April 2019 to 30 April 2019"; only one given: the rest of that
month; ``fromDate`` after ``toDate`` → 400).

Sums come from the stored per-day balances (``adapters.native.reports.stored``), whose received and spent
columns are kept journal by journal as below (``adapters.native.tables.balances``).

Figures per ``BANK`` account (those with a balance or a movement, or active; by name):

- Opening Balance: the account's balance at the end of the day before ``fromDate``;
- Cash Received / Cash Spent: the journals of the period that move the account, one by one — a journal with a
  net debit on the account is received, a net credit is spent (transfers between bank accounts count on both
  sides). A journal reversed on its own date and its reversal (a deleted payment) are left out: they never
  moved cash;
- Closing Balance: Opening + Received − Spent, which is the account's ledger balance at ``toDate``.

Layout (spec example): ``Header`` ``Bank Accounts``, ``Opening Balance``, ``Cash Received``, ``Cash Spent``,
``Closing Balance``; one untitled section of account rows (the name cell with the ``accountID`` attribute, the
received and spent cells with ``account``) and the ``SummaryRow`` "Total". Titles ``["Bank Summary",
<organisation>, "From 1 April 2019 to 30 April 2019"]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from gateway.xero.models.reports import ReportWithRow
from gateway.xero.parameters import Parameters

from ..books import Books
from ..tables.core import Account
from . import balances, chart, layout, periods
from .balances import Ledger
from .periods import Period
from .stored import LedgerOpener, open_ledger

ZERO = Decimal("0")


@dataclass(frozen=True)
class BankMovement:
    """One bank account over a period."""

    account: Account
    opening: Decimal
    received: Decimal
    spent: Decimal

    @property
    def closing(self) -> Decimal:
        return self.opening + self.received - self.spent


async def movements(books: Books, source: Ledger, period: Period) -> list[BankMovement]:
    """The bank accounts' figures over ``period`` from an accrual-basis ledger (module docstring)."""
    assert period.start is not None
    banks = {a.id: a for a in books.accounts.values() if a.type == "BANK"}
    figures = await source.bank(set(banks), start=period.start, end=period.end)
    out = []
    for account in sorted(banks.values(), key=chart.sort_key):
        moved = figures.get(account.id, balances.BankMovement())
        item = BankMovement(account, moved.opening, moved.received, moved.spent)
        if account.status == "ACTIVE" or chart.has_amount([item.opening, item.received, item.spent]):
            out.append(item)
    return out


async def build(books: Books, params: Parameters, *, ledger: LedgerOpener = open_ledger) -> ReportWithRow:
    """The BankSummary report (module docstring), from the stored balances (``ledger``: another source, e.g.
    :func:`~adapters.native.reports.stored.open_reference`).

    Raises:
        ValidationException: a bad date, or ``fromDate`` after ``toDate``.
    """
    period = periods.date_range(params, today=books.today())
    assert period.start is not None
    items = await movements(books, await ledger(books, until=period.end), period)
    rows = []
    for item in items:
        account = (("account", item.account.id),)
        rows.append(layout.row([layout.cell(item.account.name, (("accountID", item.account.id),)),
                                layout.cell(layout.money(item.opening)),
                                layout.cell(layout.money(item.received), account),
                                layout.cell(layout.money(item.spent), account),
                                layout.cell(layout.money(item.closing))]))
    totals = [sum((getattr(i, f) for i in items), ZERO) for f in ("opening", "received", "spent", "closing")]
    rows.append(layout.amount_row("Total", totals, summary_row=True))
    titles = ["Bank Summary", books.company.name,
              f"From {layout.long_date(period.start)} to {layout.long_date(period.end)}"]
    return layout.report(
        report_type="BankSummary", name="Bank Summary", titles=titles, date=books.today(), updated=books.now(),
        rows=[layout.header(["Bank Accounts", "Opening Balance", "Cash Received", "Cash Spent", "Closing Balance"]),
              layout.section("", rows)])
