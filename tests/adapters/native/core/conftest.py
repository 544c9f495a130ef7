"""Fixtures of the native ledger tests: the adapter is called directly (no HTTP).

The demo company is seeded once per session into a template data directory (:func:`seeded_dir`); each test
copies that database into its own ``tmp_path`` and starts an adapter on it, so tests may write freely and stay
fast. Clocks are fixed (:class:`TickClock`): the demo is seeded "at" :data:`SEED_TIME`, and every adapter clock
ticks one second per reading from :data:`TEST_START`, so ``UpdatedDateUTC`` values are ordered and predictable.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.native.adapter import NativeLedgerAdapter
from adapters.native.demo import company as demo
from gateway.settings import Settings, load_settings
from gateway.xero.query import parse_order, parse_where
from gateway.xero.request import ListQuery, RequestContext, Result, XeroRequest
from tests.xero_spec import xero_spec  # noqa: F401  (the session fixture)

SEED_TIME = dt.datetime(2026, 3, 17, 15, 30, tzinfo=dt.UTC)
TEST_START = dt.datetime(2026, 3, 18, 8, 0, tzinfo=dt.UTC)
TENANT = demo.DEMO_TENANT_ID


class TickClock:
    """A clock that starts at ``start`` and advances ``step`` on every reading."""

    def __init__(self, start: dt.datetime, step: dt.timedelta = dt.timedelta(seconds=1)) -> None:
        self.current = start
        self.step = step

    def __call__(self) -> dt.datetime:
        value = self.current
        self.current += self.step
        return value


def settings_for(data_dir: Path) -> Settings:
    """Gateway settings whose native ledger lives in ``data_dir``."""
    return load_settings(data_dir=data_dir)


async def start_adapter(data_dir: Path, clock: Any) -> NativeLedgerAdapter:
    """A started adapter on ``data_dir`` (seeding the demo when the directory is new)."""
    adapter = NativeLedgerAdapter(code="1000", settings=settings_for(data_dir), clock=clock)
    await adapter.startup()
    return adapter


@pytest.fixture(scope="session")
def seeded_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding a freshly seeded demo ledger (seeded once per session)."""
    path = tmp_path_factory.mktemp("native-seed")

    async def seed() -> None:
        adapter = await start_adapter(path, lambda: SEED_TIME)
        assert adapter.demo_created
        await adapter.shutdown()

    asyncio.run(seed())
    return path


@pytest.fixture
def ledger_dir(seeded_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the seeded demo ledger's data directory."""
    for file in seeded_dir.iterdir():
        if file.name.startswith("ledger.db"):
            shutil.copy(file, tmp_path / file.name)
    return tmp_path


@pytest.fixture
async def adapter(ledger_dir: Path) -> AsyncIterator[NativeLedgerAdapter]:
    """An adapter on a private copy of the seeded demo ledger."""
    started = await start_adapter(ledger_dir, TickClock(TEST_START))
    assert not started.demo_created
    yield started
    await started.shutdown()


def ctx(tenant_id: str = TENANT) -> RequestContext:
    """A request context for the demo tenant."""
    return RequestContext(source_code="1000", tenant_id=tenant_id, client_id="test-client", app_name="Tests",
                          user_id=demo.DEMO_USER_ID, scopes=frozenset({"accounting.transactions"}))


async def call(adapter: NativeLedgerAdapter, operation_id: str, *, elements: list[dict[str, Any]] | None = None,
               path: dict[str, str] | None = None, **query: Any) -> Result:
    """Call an operation by its spec ``operationId`` with ``ListQuery`` fields as keyword arguments
    (``where`` and ``order`` may be given as text)."""
    method = adapter.operation(operation_id)
    assert method is not None, f"{operation_id} is not implemented"
    if isinstance(query.get("where"), str):  # as the front end does: keep the text, pass the parsed tree
        query["where_text"] = query["where"]
        query["where"] = parse_where(query["where"])
    if isinstance(query.get("order"), str):
        query["order"] = parse_order(query["order"])
    req = XeroRequest(operation_id=operation_id, method="GET" if operation_id.startswith("get") else "POST",
                      path_params=dict(path or {}), query=ListQuery(**query), elements=list(elements or []))
    result = await method(ctx(), req)
    assert isinstance(result, Result)
    return result


def invoice_element(**overrides: Any) -> dict[str, Any]:
    """A valid AUTHORISED sales invoice to an existing demo customer: 2 × 100.00 + 20% VAT."""
    element: dict[str, Any] = {
        "Type": "ACCREC", "Contact": {"Name": "Meridian University"}, "Date": "2026-03-10",
        "DueDate": "2026-04-09", "Status": "AUTHORISED", "LineAmountTypes": "Exclusive",
        "LineItems": [{"Description": "Consulting", "Quantity": 2, "UnitAmount": 100, "AccountCode": "200",
                       "TaxType": "OUTPUT2"}],
    }
    element.update(overrides)
    return element
