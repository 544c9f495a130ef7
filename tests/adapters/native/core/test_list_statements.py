"""The native ledger's list pages load their lines (and contacts, payments…) in one query per page, not one per
document (issue 10): a page of 100 documents costs the same statements as a page of 5."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from .conftest import call


async def statements(adapter, operation_id: str, page_size: int) -> tuple[int, int]:
    """(documents answered, statements sent) for page 1 of ``operation_id``, the tenant's chart already cached
    (the first read of a tenant loads it: adapters/native/chart_cache.py)."""
    await call(adapter, operation_id, page=1, page_size=1)
    sent: list[str] = []

    def count(_conn, _cursor, statement, *_rest) -> None:
        sent.append(statement)

    event.listen(adapter.db.engine.sync_engine, "before_cursor_execute", count)
    try:
        result = await call(adapter, operation_id, page=1, page_size=page_size)
    finally:
        event.remove(adapter.db.engine.sync_engine, "before_cursor_execute", count)
    return len(result.items), len(sent)


@pytest.mark.parametrize("operation_id", ["get_invoices", "get_payments", "get_contacts"])
async def test_a_page_costs_the_same_statements_whatever_its_size(adapter, operation_id) -> None:
    small_items, small = await statements(adapter, operation_id, 5)
    large_items, large = await statements(adapter, operation_id, 100)
    assert (small_items, large_items) == (5, 100) or large_items > small_items == 5
    assert large == small
