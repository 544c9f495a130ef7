"""Unrealised currency gains in the native reports (issue 12; ``docs/native-unrealised-gains.md``), by hand, GBP
base, on one ledger per module (the tests only read):

- Invoice 1,200.00 USD (1,000.00 + 20 % VAT) at 1.25 on 10 March 2026 → Accounts Receivable 960.00 GBP.
- The operator's USD rates: 1.30 on 31 March, 1.20 on 10 April; none before 31 March.
- As at 20 March: no rate yet → no revaluation, no Unrealised Currency Gains row.
- As at 31 March: 1,200 / 1.30 = 923.0769… → 923.08; an unrealised loss of 36.92 on Unrealised Currency Gains
  (an expense account: shown 36.92), Accounts Receivable 923.08 instead of 960.00, Current Year Earnings 36.92
  lower; the BalanceSheet still balances.
- As at 1 April (no rate that day): the latest earlier rate, 1.30: the same 36.92.
- As at 10 April: 1,200 / 1.20 = 1,000.00 → an unrealised gain of 40.00 (shown -40.00).
- Paid in full at 1.20 on 15 April: 1,000.00 received for 960.00 of receivable, a realised gain of 40.00 on
  Realised Currency Gains; as at 30 April nothing is open, so no unrealised row.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import func, select

from adapters.native.adapter import NativeLedgerAdapter
from adapters.native.currency_rates import RateEntry, set_rates
from adapters.native.tables.core import Account, JournalLine
from tests.adapters.native.core.conftest import (  # noqa: F401  (session fixture)
    TENANT,
    TEST_START,
    TickClock,
    call,
    invoice_element,
    seeded_dir,
    start_adapter,
)
from tests.adapters.native.reports.reading import Report, report

D = Decimal
UNREALISED = "Unrealised Currency Gains"
REALISED = "Realised Currency Gains"
RECEIVABLE = "Accounts Receivable"
ON_MODULE_LEDGER = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def module_dir(seeded_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    """A module-private copy of the seeded demo ledger's data directory."""
    data_dir = tmp_path_factory.mktemp("unrealised")
    for file in seeded_dir.iterdir():
        if file.name.startswith("ledger.db"):
            shutil.copy(file, data_dir / file.name)
    return data_dir


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def books(module_dir: Path) -> AsyncIterator[NativeLedgerAdapter]:
    """An adapter on :func:`module_dir` holding the invoice, its payment and the rates (module docstring)."""
    data_dir = module_dir
    adapter = await start_adapter(data_dir, TickClock(TEST_START))
    await call(adapter, "createCurrency", elements=[{"Code": "USD", "Description": "United States Dollar"}])
    (invoice,) = (await call(adapter, "createInvoices", elements=[invoice_element(
        CurrencyCode="USD", CurrencyRate=1.25, LineItems=[{"Description": "Consulting", "Quantity": 1,
                                                           "UnitAmount": 1000, "AccountCode": "200",
                                                           "TaxType": "OUTPUT2"}])])).items
    assert invoice.Total == D("1200.00")
    await call(adapter, "createPayments", elements=[{
        "Invoice": {"InvoiceID": str(invoice.InvoiceID)}, "Account": {"Code": "090"}, "Date": "2026-04-15",
        "Amount": 1200, "CurrencyRate": 1.2}])
    assert adapter.db is not None
    await set_rates(adapter.db, TENANT, [RateEntry("USD", dt.date(2026, 3, 31), D("1.30")),
                                         RateEntry("USD", dt.date(2026, 4, 10), D("1.20"))])
    yield adapter
    await adapter.shutdown()


async def balance_sheet(adapter: NativeLedgerAdapter, **params: str) -> Report:
    return await report(adapter, "getReportBalanceSheet", **params)


def assert_balances(sheet: Report) -> None:
    """Assets − liabilities = equity in every column (the equity including Current Year Earnings)."""
    assert sheet.amounts("Net Assets") == sheet.amounts("Total Equity", "Equity")


@ON_MODULE_LEDGER
async def test_balance_sheet_revalues_the_receivable_and_still_balances(books: NativeLedgerAdapter) -> None:
    before = await balance_sheet(books, date="2026-03-20")  # no rate yet: the invoice at its own rate
    sheet = await balance_sheet(books, date="2026-03-31")
    assert_balances(sheet)
    assert not before.has(UNREALISED)  # an expense account: never a balance sheet row
    assert not sheet.has(UNREALISED)
    # The only movement between 20 and 31 March is the revaluation (the demo posts nothing in between).
    assert sheet.amounts(RECEIVABLE)[0] - before.amounts(RECEIVABLE)[0] == D("-36.92")
    cye_before, cye = before.amounts("Current Year Earnings")[0], sheet.amounts("Current Year Earnings")[0]
    assert cye - cye_before == D("-36.92")


async def gains_account(adapter: NativeLedgerAdapter) -> str:
    """The id of the demo company's ``UNREALISEDCURRENCYGAIN`` account."""
    async with adapter.db.session() as session:  # type: ignore[union-attr]
        return (await session.scalars(select(Account.id).where(
            Account.company_id == TENANT, Account.system_account == "UNREALISEDCURRENCYGAIN"))).one()


@ON_MODULE_LEDGER
async def test_profit_and_loss_shows_the_unrealised_loss_on_its_account(books: NativeLedgerAdapter) -> None:
    pl = await report(books, "getReportProfitAndLoss", fromDate="2026-03-01", toDate="2026-03-31")
    assert pl.amounts(UNREALISED) == [D("36.92")]  # an OVERHEADS account: a loss shows positive
    gains_id = await gains_account(books)
    assert all({"Value": gains_id, "Id": "account"} in c["Attributes"] for c in pl.find(UNREALISED)["Cells"])
    assert not pl.has(REALISED)
    assert not (await report(books, "getReportProfitAndLoss", fromDate="2026-03-01", toDate="2026-03-20")).has(
        UNREALISED)  # no rate as at 20 March
    # The BalanceSheet's Current Year Earnings moves by the ProfitAndLoss's Net Profit, the loss included.
    earnings = [(await balance_sheet(books, date=day)).amounts("Current Year Earnings")[0]
                for day in ("2026-02-28", "2026-03-31")]
    assert earnings[1] - earnings[0] == pl.amounts("Net Profit")[0]


@ON_MODULE_LEDGER
async def test_the_next_day_uses_the_latest_earlier_rate(books: NativeLedgerAdapter) -> None:
    pl = await report(books, "getReportProfitAndLoss", fromDate="2026-04-01", toDate="2026-04-01")
    assert pl.amounts(UNREALISED) == [D("36.92")]  # 1 April has no rate: 31 March's 1.30
    sheet = await balance_sheet(books, date="2026-04-01")
    assert_balances(sheet)
    assert sheet.amounts(RECEIVABLE) == (await balance_sheet(books, date="2026-03-31")).amounts(RECEIVABLE)


@ON_MODULE_LEDGER
async def test_the_rate_of_the_report_date_wins(books: NativeLedgerAdapter) -> None:
    pl = await report(books, "getReportProfitAndLoss", fromDate="2026-04-10", toDate="2026-04-10")
    assert pl.amounts(UNREALISED) == [D("-40.00")]  # 1,200 / 1.20 = 1,000.00 against 960.00: a gain
    assert_balances(await balance_sheet(books, date="2026-04-10"))


@ON_MODULE_LEDGER
async def test_after_full_payment_only_the_realised_gain_remains(books: NativeLedgerAdapter) -> None:
    pl = await report(books, "getReportProfitAndLoss", fromDate="2026-04-01", toDate="2026-04-30")
    assert pl.amounts(REALISED) == [D("-40.00")]  # 1,000.00 received for 960.00 of receivable
    assert not pl.has(UNREALISED)
    sheet = await balance_sheet(books, date="2026-04-30")
    assert_balances(sheet)


@ON_MODULE_LEDGER
async def test_each_column_revalues_at_its_own_date(books: NativeLedgerAdapter) -> None:
    pl = await report(books, "getReportProfitAndLoss", fromDate="2026-04-01", toDate="2026-04-30", periods="1",
                      timeframe="MONTH")
    assert pl.header[1:] == ["30 Apr 2026", "31 Mar 2026"]
    assert pl.amounts(UNREALISED) == [D("0"), D("36.92")]
    sheet = await balance_sheet(books, date="2026-04-30", periods="2", timeframe="MONTH")
    assert_balances(sheet)
    single = [(await balance_sheet(books, date=day)).amounts(RECEIVABLE)[0]
              for day in ("2026-04-30", "2026-03-31", "2026-02-28")]
    assert sheet.amounts(RECEIVABLE) == single


@ON_MODULE_LEDGER
async def test_trial_balance_carries_the_revaluation_and_balances(books: NativeLedgerAdapter) -> None:
    tb = await report(books, "getReportTrialBalance", date="2026-03-31")
    label = next(r["Cells"][0]["Value"] for r in tb.rows() if r["Cells"][0]["Value"].startswith(UNREALISED))
    assert tb.amounts(label) == [D("36.92"), D("0"), D("36.92"), D("0")]  # debit: a loss, in March and the year
    debit, credit, ytd_debit, ytd_credit = tb.amounts("Total")
    assert (debit, ytd_debit) == (credit, ytd_credit)
    assert not (await report(books, "getReportTrialBalance", date="2026-03-20")).has(label)


@ON_MODULE_LEDGER
async def test_cash_basis_revalues_nothing(books: NativeLedgerAdapter) -> None:
    pl = await report(books, "getReportProfitAndLoss", fromDate="2026-03-01", toDate="2026-03-31",
                      paymentsOnly="true")
    assert not pl.has(UNREALISED)
    assert_balances(await balance_sheet(books, date="2026-03-31", paymentsOnly="true"))


@ON_MODULE_LEDGER
async def test_the_revaluation_is_not_a_journal(books: NativeLedgerAdapter) -> None:
    await report(books, "getReportBalanceSheet", date="2026-03-31")
    async with books.db.session() as session:  # type: ignore[union-attr]
        posted = await session.scalar(select(func.count()).select_from(JournalLine).where(
            JournalLine.account_id == await gains_account(books)))
    assert posted == 0
