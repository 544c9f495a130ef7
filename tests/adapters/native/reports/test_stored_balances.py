"""The stored per-day balances give exactly the reports the journal lines give.

A property test posts random balanced journals (random accounts, cent amounts, tracking and dates around the
demo's financial year end) and reversals (on the reversed journal's own date or later) on a copy of the demo
ledger, then renders ProfitAndLoss, BalanceSheet, TrialBalance and BankSummary with their period, comparison,
tracking and date parameters twice: from the stored balances (what the gateway serves) and from the journal lines
(:func:`adapters.native.reports.stored.open_reference`, the reference). Each example runs in a transaction that is
rolled back. Further tests: the balances written posting by posting equal those rebuilt from the journals, and an
adapter started on a ledger without balances (written before they existed) rebuilds them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from adapters.native.adapter import NativeLedgerAdapter
from adapters.native.books import Books
from adapters.native.ids import random_id
from adapters.native.ledger import posting
from adapters.native.reports import balance_sheet, bank_summary, profit_and_loss, stored, trial_balance
from adapters.native.tables import NativeBase
from adapters.native.tables.balances import AccountBalance
from adapters.native.tables.catalogue import TrackingCategory
from gateway.settings import load_settings
from gateway.store.db import Database
from gateway.xero.models import dump
from gateway.xero.parameters import Parameters
from tests.adapters.native.core.conftest import (  # noqa: F401  (fixtures)
    SEED_TIME,
    TENANT,
    TEST_START,
    TickClock,
    adapter,
    call,
    ledger_dir,
    seeded_dir,
    start_adapter,
)
from tests.pg import create_database, pg_cluster  # noqa: F401  (the session fixture)

#: Journal dates: around the demo's financial year end (31 December) and month ends, up to "today".
DATES = [dt.date(2025, 4, 1), dt.date(2025, 11, 30), dt.date(2025, 12, 31), dt.date(2026, 1, 1),
         dt.date(2026, 1, 31), dt.date(2026, 2, 1), dt.date(2026, 2, 28), dt.date(2026, 3, 1),
         dt.date(2026, 3, 18)]


@dataclass(frozen=True)
class Entry:
    """One random journal: ``(account index, cents, tracking choice)`` lines balanced by a last line."""

    date: int
    lines: tuple[tuple[int, int, int], ...]
    balance_on: int
    reverse: int | None  # None: keep; else the reversal's date offset from the journal's (0: same day)


entries = st.lists(st.builds(
    Entry,
    date=st.integers(0, len(DATES) - 1),
    lines=st.lists(st.tuples(st.integers(0, 10_000), st.integers(-500_000, 500_000), st.integers(0, 6)),
                   min_size=1, max_size=4).map(tuple),
    balance_on=st.integers(0, 10_000),
    reverse=st.sampled_from([None, 0, 0, 1, 3])), min_size=1, max_size=8)


def _reports(options: dict[str, list[str]]) -> list[tuple[Any, dict[str, Any]]]:
    """(builder, parameters) of every report compared."""
    categories = sorted(options)
    first = options[categories[0]]
    return [
        (profit_and_loss.build, {}),
        (profit_and_loss.build, {"fromDate": dt.date(2025, 4, 1), "toDate": dt.date(2026, 3, 18)}),
        (profit_and_loss.build, {"fromDate": dt.date(2026, 1, 1), "toDate": dt.date(2026, 2, 28), "periods": 3,
                                 "timeframe": "MONTH"}),
        (profit_and_loss.build, {"fromDate": dt.date(2025, 12, 1), "toDate": dt.date(2026, 3, 31),
                                 "trackingCategoryID": categories[0]}),
        (profit_and_loss.build, {"fromDate": dt.date(2025, 4, 1), "toDate": dt.date(2026, 3, 31),
                                 "trackingCategoryID": categories[0], "trackingOptionID": first[0]}),
        (balance_sheet.build, {"date": dt.date(2026, 3, 18)}),
        (balance_sheet.build, {"date": dt.date(2026, 2, 28), "periods": 3, "timeframe": "MONTH"}),
        (balance_sheet.build, {"date": dt.date(2026, 3, 31), "periods": 1, "timeframe": "YEAR"}),
        (balance_sheet.build, {"date": dt.date(2026, 3, 31), "trackingOptionID1": first[0]}),
        (trial_balance.build, {"date": dt.date(2025, 12, 31)}),
        (trial_balance.build, {"date": dt.date(2026, 3, 18)}),
        (bank_summary.build, {"fromDate": dt.date(2025, 12, 31), "toDate": dt.date(2026, 3, 1)}),
        (bank_summary.build, {"fromDate": dt.date(2026, 3, 1), "toDate": dt.date(2026, 3, 31)}),
        (bank_summary.build, {"fromDate": dt.date(2025, 4, 1), "toDate": dt.date(2025, 4, 1)}),
    ]


def _tracking(choice: int, options: dict[str, list[str]]) -> list[dict[str, str]] | None:
    """Tracking of a random line: none, one option of a category, or one option of each of two categories."""
    if choice == 0:
        return None
    categories = sorted(options)
    picked = [categories[choice % len(categories)]] if choice < 4 else categories[:2]
    return [{"TrackingCategoryID": c, "TrackingOptionID": options[c][choice % len(options[c])], "Name": "n",
             "Option": "o"} for c in picked]


def _pool(books: Books) -> list[str]:
    """The accounts random lines post to: every bank account, then one account of each type (all classes and
    the system accounts the reports single out among them), so that every report section is hit often."""
    by_code = sorted(books.accounts.values(), key=lambda a: (a.code or "", a.id))
    pool = [a.id for a in by_code if a.type == "BANK"]
    seen: set[str] = set()
    for account in by_code:
        kind = account.system_account or account.type
        if account.type != "BANK" and kind not in seen:
            seen.add(kind)
            pool.append(account.id)
    return pool


async def _post(books: Books, journal: Entry, options: dict[str, list[str]], now: dt.datetime) -> None:
    accounts = _pool(books)
    date = DATES[journal.date]
    postings = [posting.Posting(accounts[i % len(accounts)], Decimal(cents) / 100, tracking=_tracking(t, options))
                for i, cents, t in journal.lines]
    rest = -sum((p.amount for p in postings), Decimal(0))
    postings.append(posting.Posting(accounts[journal.balance_on % len(accounts)], rest))
    source_id = random_id("journal")
    await posting.post(books.session, books.company, date=date, source_type="MANJOURNAL", source_id=source_id,
                       postings=postings, new_id=random_id, now=now)
    if journal.reverse is not None:
        await books.session.flush()
        on = DATES[min(journal.date + journal.reverse, len(DATES) - 1)]
        await posting.reverse_source(books.session, books.company, source_id=source_id, date=on, new_id=random_id,
                                     now=now)


async def _compare(data_dir: Path, journals: list[Entry]) -> None:
    db = Database(f"sqlite+aiosqlite:///{data_dir / 'ledger.db'}", base=NativeBase)
    now = TEST_START
    try:
        async with db.session() as session:
            await session.begin()
            books = await Books.load(session, TENANT, new_id=random_id, now=lambda: now)
            categories = list(await session.scalars(select(TrackingCategory)
                                                    .where(TrackingCategory.company_id == TENANT)))
            options = {c.id: [o.id for o in c.options] for c in categories if c.options}
            assert len(options) >= 2, "the demo has two tracking categories with options"
            for journal in journals:
                await _post(books, journal, options, now)
            await session.flush()
            for build, values in _reports(options):
                params = Parameters(values)
                served = dump(await build(books, params))
                reference = dump(await build(books, params, ledger=stored.open_reference))
                assert served == reference, (build.__module__, values)
            await session.rollback()
    finally:
        await db.dispose()


@pytest.fixture(scope="module")
def property_dir(seeded_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    """One copy of the seeded demo ledger for every example (each rolls its writes back)."""
    path = tmp_path_factory.mktemp("balances-property")
    for file in seeded_dir.iterdir():
        if file.name.startswith("ledger.db"):
            shutil.copy(file, path / file.name)
    return path


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(journals=entries)
def test_reports_from_balances_equal_reports_from_journal_lines(property_dir: Path, journals: list[Entry]) -> None:
    asyncio.run(_compare(property_dir, journals))


async def _rows(session) -> dict[tuple[Any, ...], tuple[int, int, int]]:  # noqa: ANN001
    rows = await session.execute(select(AccountBalance))
    return {(r.company_id, r.date, r.account_id, r.tracking): (r.amount, r.received, r.spent)
            for r in rows.scalars() if (r.amount, r.received, r.spent) != (0, 0, 0)}


async def _write_documents(native: NativeLedgerAdapter) -> None:
    """An invoice, a payment of it deleted on its own date, the invoice voided; a bill paid in part."""
    created = await call(native, "createInvoices", elements=[{
        "Type": "ACCREC", "Contact": {"Name": "Meridian University"}, "Date": "2026-03-10", "DueDate": "2026-04-09",
        "Status": "AUTHORISED", "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 100,
                                               "AccountCode": "200", "TaxType": "OUTPUT2"}]}])
    invoice = created.items[0]
    paid = await call(native, "createPayments", elements=[{
        "Invoice": {"InvoiceID": str(invoice.InvoiceID)}, "Account": {"Code": "090"}, "Date": "2026-03-10",
        "Amount": 50}])
    await call(native, "deletePayment", path={"PaymentID": str(paid.items[0].PaymentID)},
               elements=[{"Status": "DELETED"}])
    await call(native, "updateInvoice", path={"InvoiceID": str(invoice.InvoiceID)},
               elements=[{"Status": "VOIDED"}])
    bill = (await call(native, "createInvoices", elements=[{
        "Type": "ACCPAY", "Contact": {"Name": "Meridian University"}, "Date": "2025-12-31", "DueDate": "2026-01-30",
        "Status": "AUTHORISED", "LineItems": [{"Description": "y", "Quantity": 3, "UnitAmount": 33.33,
                                               "AccountCode": "429", "TaxType": "INPUT2"}]}])).items[0]
    await call(native, "createPayments", elements=[{
        "Invoice": {"InvoiceID": str(bill.InvoiceID)}, "Account": {"Code": "090"}, "Date": "2026-01-01",
        "Amount": 40}])


async def _assert_balances_are_the_journals(native: NativeLedgerAdapter) -> None:
    """The balances kept equal a rebuild from the journals, and the four reports read from them equal the
    reference's."""
    async with native.db.session() as session:
        kept = await _rows(session)
        books = await Books.load(session, TENANT, new_id=random_id, now=lambda: TEST_START)
        for build, values in _reports({"c": ["o"]}):
            if "trackingCategoryID" in values or "trackingOptionID1" in values:
                continue  # the demo's tracking ids are compared by the property test
            params = Parameters(values)
            assert dump(await build(books, params)) == dump(await build(books, params, ledger=stored.open_reference))
        await session.execute(delete(AccountBalance))
        assert await posting.rebuild_balances(session) > 0
        rebuilt = await _rows(session)
        await session.rollback()
    assert kept == rebuilt


async def test_balances_written_by_documents_equal_a_rebuild(adapter) -> None:  # noqa: F811
    """Every path that writes journals (documents, payments deleted on their own date, voids) keeps the
    balances: they equal those a rebuild from the journals gives."""
    await _write_documents(adapter)
    await _assert_balances_are_the_journals(adapter)


async def test_balances_on_postgresql(pg_cluster, tmp_path: Path) -> None:  # noqa: F811
    """The same on PostgreSQL (its own ``INSERT … ON CONFLICT``): the demo seeded there, then documents written."""
    url = await create_database(pg_cluster)
    config = tmp_path / "native-pg.toml"
    config.write_text(f'[native]\ndatabase_url = "{url}"\n')
    seeding = NativeLedgerAdapter(code="1000", settings=load_settings(config, data_dir=tmp_path),
                                  clock=lambda: SEED_TIME)
    await seeding.startup()
    await seeding.shutdown()
    started = NativeLedgerAdapter(code="1000", settings=load_settings(config, data_dir=tmp_path),
                                  clock=TickClock(TEST_START))
    await started.startup()
    try:
        await _write_documents(started)
        await _assert_balances_are_the_journals(started)
    finally:
        await started.shutdown()


async def test_startup_rebuilds_missing_balances(ledger_dir: Path) -> None:  # noqa: F811
    """A ledger written before the balances existed (journals, no balances) gets them at startup, equal to those
    written posting by posting."""
    first = await start_adapter(ledger_dir, TickClock(TEST_START))
    async with first.db.session() as session:
        written = await _rows(session)
        assert written
        await session.execute(delete(AccountBalance))
        await session.commit()
    await first.shutdown()
    second = await start_adapter(ledger_dir, TickClock(TEST_START))
    try:
        async with second.db.session() as session:
            assert await _rows(session) == written
    finally:
        await second.shutdown()
