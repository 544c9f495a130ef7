"""The gateway-kept pieces the Sage adapter puts on the common floor: history merging, journal numbering and the
parent table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from adapters.common import history
from adapters.common.journal_numbers import JournalNumbers, journal_numbers_table
from adapters.sage_accounting.parents import parent_table

T0 = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)


def _entry(changes: str, minutes: int) -> history.Entry:
    return history.Entry(changes=changes, details="", user=history.SYSTEM_USER,
                         date_utc=T0 + timedelta(minutes=minutes))


def test_merge_adds_upstream_creation_and_later_edits_only():
    kept = [_entry("Note", 5)]
    merged = history.merged(kept, created=T0, updated=T0 + timedelta(minutes=30), system="Sage")
    assert [e.changes for e in merged] == ["Created", "Note", "Edited"]
    assert merged[-1].details == "Changed in Sage"
    # The gateway made the record and nothing changed upstream since its last entry: nothing is added.
    made = [_entry("Created", 0), _entry("Edited", 10)]
    assert history.merged(made, created=T0, updated=T0 + timedelta(minutes=10), system="Sage") == made


class _Db:
    def __init__(self) -> None:
        self.engine = create_async_engine("sqlite+aiosqlite://")
        self.session = async_sessionmaker(self.engine)


@pytest.mark.asyncio
async def test_journal_numbers_never_change():
    db, metadata = _Db(), MetaData()
    table = journal_numbers_table(metadata, "numbers")
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    numbers = JournalNumbers(db, table)
    first = await numbers.assign("t1", ["a:post", "b:post"])
    assert first == {"a:post": 1, "b:post": 2}
    again = await numbers.assign("t1", ["c:post", "a:post", "b:post", "a:reverse"])
    assert again == {"c:post": 3, "a:post": 1, "b:post": 2, "a:reverse": 4}
    assert await numbers.assign("t2", ["a:post"]) == {"a:post": 1}
    await db.engine.dispose()


def test_parent_table_is_consistent():
    table = parent_table()
    assert table.kinds["Invoices"].online == ("sales_invoices",)
    assert table.xero_collection("other_payments") == "BankTransactions"
    assert all(set(k.resources) <= set(table.context_types) for k in table.kinds.values() if k.attachments)
