"""Time the native ledger's ProfitAndLoss, BalanceSheet, TrialBalance and BankSummary from the stored per-day
balances (what the gateway serves) beside the same reports from every journal line (the reference computation,
the behaviour before the balances), on the same database, interleaved A B A B …

Usage::

    .venv/bin/python -m bench.native_reports [--ledger DIR] [--invoices N] [--rounds 7]

``--ledger DIR``: a data directory holding a native ``ledger.db`` (e.g. the ``gateway`` directory of
``bench.request_path --work DIR`` after it grew the ledger); without it, a fresh demo ledger in a temporary
directory, grown by ``--invoices`` sales invoices (written through the adapter's ``createInvoices``, 100 per call,
dated over the last 330 days as ``bench.request_path`` writes them). Prints per report the median [min–max]
latency of each side in milliseconds, their ratio, and whether both rendered the same report. No figure is
asserted anywhere: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from adapters.native.adapter import NativeLedgerAdapter
from adapters.native.books import Books
from adapters.native.demo import company as demo
from adapters.native.ids import random_id
from adapters.native.reports import balance_sheet, bank_summary, profit_and_loss, stored, trial_balance
from adapters.native.tables.core import JournalLine
from gateway.settings import load_settings
from gateway.xero.models import dump
from gateway.xero.parameters import Parameters
from gateway.xero.request import ListQuery, RequestContext, XeroRequest


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench.native_reports", description=__doc__.splitlines()[0])
    parser.add_argument("--ledger", type=Path, help="a data directory with a native ledger.db")
    parser.add_argument("--invoices", type=int, default=2_000, help="invoices added to a fresh demo ledger")
    parser.add_argument("--rounds", type=int, default=7, help="timed calls per report and side")
    return parser.parse_args()


async def grow(adapter: NativeLedgerAdapter, invoices: int) -> None:
    """Add ``invoices`` authorised sales invoices to the demo company (100 per ``createInvoices`` call)."""
    ctx = RequestContext(source_code="1000", tenant_id=demo.DEMO_TENANT_ID, client_id="bench", app_name="bench",
                         user_id=None, scopes=frozenset({"accounting.transactions"}))
    today = dt.date.today()
    create = adapter.operation("createInvoices")
    assert create is not None
    for start in range(0, invoices, 100):
        elements = []
        for i in range(start, min(start + 100, invoices)):
            day = today - dt.timedelta(days=i % 330)
            elements.append({"Type": "ACCREC", "Contact": {"Name": "Meridian University"}, "Date": day.isoformat(),
                             "DueDate": (day + dt.timedelta(days=30)).isoformat(), "Status": "AUTHORISED",
                             "LineItems": [{"Description": f"bench {i}", "Quantity": "1",
                                            "UnitAmount": f"{10 + i % 90}.00", "AccountCode": "200"}]})
        await create(ctx, XeroRequest(operation_id="createInvoices", method="PUT", path_params={},
                                      query=ListQuery(), elements=elements))


async def measure(adapter: NativeLedgerAdapter, rounds: int) -> None:
    today = dt.date.today()
    reports = (
        ("ProfitAndLoss (12 months)", profit_and_loss.build,
         {"fromDate": today - dt.timedelta(days=364), "toDate": today}),
        ("BalanceSheet (as at today)", balance_sheet.build, {"date": today}),
        ("BalanceSheet (12 months, periods=11)", balance_sheet.build,
         {"date": today, "periods": 11, "timeframe": "MONTH"}),
        ("TrialBalance (today)", trial_balance.build, {"date": today}),
        ("BankSummary (this month)", bank_summary.build, {}),
    )
    assert adapter.db is not None
    async with adapter.db.session() as session:
        now = adapter.clock()  # one instant, so that both sides render the same UpdatedDateUTC
        books = await Books.load(session, demo.DEMO_TENANT_ID, new_id=random_id, now=lambda: now)
        lines = await session.scalar(select(func.count()).select_from(JournalLine))
        print(f"ledger: {lines:,} journal lines")
        print("| report | stored balances (ms) | journal lines, reference (ms) | ratio | same report |")
        print("|---|---|---|---|---|")
        for name, build, values in reports:
            params = Parameters(values)
            times: dict[str, list[float]] = {"stored": [], "reference": []}
            answers = {}
            for _ in range(rounds):
                for side, ledger in (("stored", stored.open_ledger), ("reference", stored.open_reference)):
                    started = time.perf_counter()
                    answer = await build(books, params, ledger=ledger)
                    times[side].append((time.perf_counter() - started) * 1000)
                    answers[side] = dump(answer)
            a, b = statistics.median(times["stored"]), statistics.median(times["reference"])
            print(f"| {name} | {a:.1f} [{min(times['stored']):.1f}–{max(times['stored']):.1f}] "
                  f"| {b:.1f} [{min(times['reference']):.1f}–{max(times['reference']):.1f}] "
                  f"| ×{b / a:.1f} | {answers['stored'] == answers['reference']} |")


async def main_async(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-native-reports-") as scratch:
        data_dir = args.ledger or Path(scratch)
        adapter = NativeLedgerAdapter(code="1000", settings=load_settings(data_dir=data_dir))
        await adapter.startup()
        try:
            if args.ledger is None and args.invoices:
                started = time.monotonic()
                await grow(adapter, args.invoices)
                print(f"grown by {args.invoices:,} invoices in {time.monotonic() - started:.0f} s")
            await measure(adapter, args.rounds)
        finally:
            await adapter.shutdown()


def main() -> None:
    asyncio.run(main_async(parse_args()))


if __name__ == "__main__":
    main()
