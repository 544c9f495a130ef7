"""``GET /Reports/BankSummary``: per bank account, opening balance, cash received, cash spent and closing balance
over a period, computed from the ledger.

Parameters (spec ``getReportBankSummary``): ``fromDate``/``toDate`` (default: the current month, as the spec's
example run on 23 April 2019 covers "From 1 April 2019 to 30 April 2019"; only one given: the rest of that
month; ``fromDate`` after ``toDate`` → 400).

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

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from adapters.native.books import Books
from adapters.native.models import Account
from gateway.xero.models.reports import ReportWithRow
from gateway.xero.parameters import Parameters

from . import balances, chart, layout, periods
from .balances import Line
from .periods import Period

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


def movements(books: Books, lines: list[Line], period: Period) -> list[BankMovement]:
    """The bank accounts' figures over ``period`` from accrual-basis ``lines`` (module docstring)."""
    assert period.start is not None
    banks = {a.id: a for a in books.accounts.values() if a.type == "BANK"}
    skip = balances.same_day_reversals(lines)
    opening: dict[str, Decimal] = defaultdict(lambda: ZERO)
    per_journal: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        if line.account_id not in banks or line.date > period.end:
            continue
        if line.date < period.start:
            opening[line.account_id] += line.amount
        elif line.journal_id not in skip:
            per_journal[(line.account_id, line.journal_id)] += line.amount
    received: dict[str, Decimal] = defaultdict(lambda: ZERO)
    spent: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for (account_id, _), amount in per_journal.items():
        if amount > 0:
            received[account_id] += amount
        else:
            spent[account_id] -= amount
    out = []
    for account in sorted(banks.values(), key=chart.sort_key):
        item = BankMovement(account, opening[account.id], received[account.id], spent[account.id])
        if account.status == "ACTIVE" or chart.has_amount([item.opening, item.received, item.spent]):
            out.append(item)
    return out


async def build(books: Books, params: Parameters) -> ReportWithRow:
    """The BankSummary report (module docstring).

    Raises:
        ValidationException: a bad date, or ``fromDate`` after ``toDate``.
    """
    period = periods.date_range(params, today=books.today())
    assert period.start is not None
    lines = await balances.load(books, until=period.end)
    items = movements(books, lines, period)
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
