"""Reads take the company's chart from a per-process cache (adapters/native/chart_cache.py, issue 10): a chart change
made through one adapter instance is seen by the next read of that instance and of another instance sharing the
same database file, whichever table changed (accounts, tax rates, currencies)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from adapters.native.adapter import NativeLedgerAdapter
from adapters.native.books import Books
from adapters.native.ids import random_id

from .conftest import TENANT, TEST_START, TickClock, call, start_adapter


@pytest.fixture
async def other(ledger_dir: Path, adapter: NativeLedgerAdapter) -> AsyncIterator[NativeLedgerAdapter]:
    """A second adapter (another process's, in effect) on the same ledger file as ``adapter``."""
    started = await start_adapter(ledger_dir, TickClock(TEST_START))
    yield started
    await started.shutdown()


async def seen(adapter: NativeLedgerAdapter) -> dict[str, Any]:
    """What a read of ``adapter`` sees of the demo company's chart: codes → (name, status), tax types → (rate,
    status), currencies."""
    async with adapter.db.session() as session:
        books = await Books.load(session, TENANT, new_id=random_id, now=adapter.clock, charts=adapter.charts)
        codes = {code: (a.name, a.status) for code, a in books._by_code.items()}
        assert codes == {a.code.upper(): (a.name, a.status) for a in books.accounts.values() if a.code}
        return {"codes": codes, "rates": {t: (r.rate, r.status) for t, r in books.tax_rates.items()},
                "currencies": books.currencies}


async def statements_of_a_read(adapter: NativeLedgerAdapter) -> int:
    sent: list[str] = []

    def count(_conn, _cursor, statement, *_rest) -> None:
        sent.append(statement)

    event.listen(adapter.db.engine.sync_engine, "before_cursor_execute", count)
    try:
        await seen(adapter)
    finally:
        event.remove(adapter.db.engine.sync_engine, "before_cursor_execute", count)
    return len(sent)


async def test_an_unchanged_chart_costs_one_statement_per_read(adapter) -> None:
    assert await statements_of_a_read(adapter) == 4  # company + version, accounts, tax rates, currencies
    assert await statements_of_a_read(adapter) == 1


async def test_chart_changes_are_seen_by_the_next_read_of_every_instance(adapter, other) -> None:
    both = (adapter, other)
    for instance in both:  # warm both caches
        before = await seen(instance)
    assert "277" not in before["codes"] and before["codes"]["429"][1] == "ACTIVE"

    (new,) = (await call(adapter, "createAccount", elements=[
        {"Code": "277", "Name": "Web Sales", "Type": "SALES", "TaxType": "OUTPUT2"}])).items
    for instance in both:
        assert (await seen(instance))["codes"]["277"] == ("Web Sales", "ACTIVE")

    await call(adapter, "updateAccount", path={"AccountID": new.AccountID}, elements=[{"Code": "278"}])
    for instance in both:
        codes = (await seen(instance))["codes"]
        assert "277" not in codes and codes["278"] == ("Web Sales", "ACTIVE")

    general = next(a for a in (await call(other, "getAccounts")).items if a.Code == "429")
    await call(other, "updateAccount", path={"AccountID": general.AccountID}, elements=[{"Status": "ARCHIVED"}])
    for instance in both:
        assert (await seen(instance))["codes"]["429"][1] == "ARCHIVED"
        (read,) = (await call(instance, "getAccount", path={"AccountID": general.AccountID})).items
        assert read.Status == "ARCHIVED"

    (rate,) = (await call(adapter, "createTaxRates", elements=[{
        "Name": "Special 2.25%", "ReportTaxType": "INPUT", "TaxComponents": [{"Name": "VAT", "Rate": 2.25}]}])).items
    for instance in both:
        assert (await seen(instance))["rates"][rate.TaxType] == (Decimal("2.25"), "ACTIVE")
    await call(other, "updateTaxRate", elements=[{
        "TaxType": rate.TaxType, "TaxComponents": [{"Name": "VAT", "Rate": 3}]}])
    for instance in both:
        assert (await seen(instance))["rates"][rate.TaxType] == (Decimal("3"), "ACTIVE")

    await call(adapter, "createCurrency", elements=[{"Code": "USD"}])
    for instance in both:
        assert "USD" in (await seen(instance))["currencies"]


async def test_a_write_that_changes_no_chart_row_keeps_the_cache(adapter) -> None:
    await seen(adapter)
    await call(adapter, "createContacts", elements=[{"Name": "Nobody In Particular"}])
    assert await statements_of_a_read(adapter) == 1
