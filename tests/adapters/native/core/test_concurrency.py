"""The native ledger's writes without a process-wide lock (issue 10, adapters/native/concurrency.py).

Proved with the adapter's ``write_probe`` (events, never timings): writes of two tenants are inside their
transactions at the same time; a tenant's writes queue in one process and, through the database's locks, across two
adapters on separate engines (two processes' worth), with gap-free numbers; a write failing with contention is
retried whole and never half-applied, then answered 503. Each case runs on SQLite and on PostgreSQL
(tests/pg.py; skipped without Debian's server binaries, failing in CI).
"""

from __future__ import annotations

import asyncio
import gc
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

import mappings
from adapters.native import concurrency, keyed
from adapters.native.adapter import NativeLedgerAdapter
from adapters.native.resources.company import create_uk_company
from adapters.native.tables.core import Contact, Invoice, Journal
from gateway.settings import load_settings
from gateway.xero.request import ListQuery, RequestContext, Result, XeroRequest
from tests.pg import create_database, pg_cluster  # noqa: F401  (fixture)

from .conftest import TEST_START, TickClock

TENANT_A = "0b7e3c1a-1111-4a6e-9d4c-8f1f00000001"
TENANT_B = "0b7e3c1a-2222-4a6e-9d4c-8f1f00000002"
WAIT = 30.0  # seconds any awaited event may take before the test fails (bounds a hang, never asserted on)


@pytest.fixture(params=["sqlite", "postgresql"])
async def ledger_url(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'ledger.db'}"
    return await create_database(request.getfixturevalue("pg_cluster"))


async def start(tmp_path: Path, url: str, name: str) -> NativeLedgerAdapter:
    settings = load_settings(data_dir=tmp_path / name)
    settings.native = settings.native.model_copy(update={"database_url": url, "demo_company": False})
    adapter = NativeLedgerAdapter(code="1000", settings=settings, clock=TickClock(TEST_START))
    await adapter.startup()
    return adapter


@pytest.fixture
async def adapters(tmp_path: Path, ledger_url: str) -> AsyncIterator[list[NativeLedgerAdapter]]:
    """Two adapters on one ledger database, each with its own engine, holding the companies of two tenants."""
    first = await start(tmp_path, ledger_url, "one")
    organisation = mappings.load("native_demo")["organisation"]
    async with first.db.write_session() as session:
        for tenant_id in (TENANT_A, TENANT_B):
            await create_uk_company(session, company_id=tenant_id, organisation=organisation, is_demo=False,
                                    now=TEST_START)
    second = await start(tmp_path, ledger_url, "two")
    yield [first, second]
    for adapter in (first, second):
        await adapter.shutdown()


def ctx(tenant_id: str) -> RequestContext:
    return RequestContext(source_code="1000", tenant_id=tenant_id, client_id="test-client", app_name="Tests",
                          user_id=None, scopes=frozenset({"accounting.transactions"}))


async def create(adapter: NativeLedgerAdapter, tenant_id: str, operation_id: str,
                 element: dict[str, Any]) -> Result:
    req = XeroRequest(operation_id=operation_id, method="PUT", path_params={}, query=ListQuery(),
                      elements=[element])
    return await adapter.operation(operation_id)(ctx(tenant_id), req)


def invoice(reference: str) -> dict[str, Any]:
    return {"Type": "ACCREC", "Contact": {"Name": "Concurrency Ltd"}, "Date": "2026-03-10",
            "DueDate": "2026-04-09", "Status": "AUTHORISED", "Reference": reference,
            "LineItems": [{"Description": "Work", "Quantity": 1, "UnitAmount": 10, "AccountCode": "200",
                           "TaxType": "OUTPUT2"}]}


class Probe:
    """Records ``(stage, tenant, adapter)`` as writes reach the probe; ``hold`` makes chosen arrivals wait."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, int]] = []
        self.arrived: dict[tuple[str, str, int], asyncio.Event] = {}
        self.hold: dict[tuple[str, str, int], asyncio.Event] = {}

    def event(self, key: tuple[str, str, int]) -> asyncio.Event:
        return self.arrived.setdefault(key, asyncio.Event())

    def attach(self, adapter: NativeLedgerAdapter, number: int) -> None:
        async def probe(stage: str, tenant_id: str) -> None:
            key = (stage, tenant_id, number)
            self.seen.append(key)
            self.event(key).set()
            if key in self.hold:
                await asyncio.wait_for(self.hold[key].wait(), WAIT)

        adapter.write_probe = probe


async def test_writes_of_two_tenants_hold_their_transactions_at_once(adapters, ledger_url) -> None:
    """Tenant A's write waits, inside its transaction, until tenant B's is there too (and the other way round):
    with one lock for all writes neither could get there while the other waits. On SQLite, whose single write lock
    makes transactions take turns, the same is proved of the adapter: both writes have their tenant's turn at once."""
    adapter = adapters[0]
    probe = Probe()
    probe.attach(adapter, 0)
    stage = "queued" if ledger_url.startswith("sqlite") else "locked"
    a, b = (stage, TENANT_A, 0), (stage, TENANT_B, 0)
    probe.hold[a], probe.hold[b] = probe.event(b), probe.event(a)
    answers = await asyncio.wait_for(asyncio.gather(
        create(adapter, TENANT_A, "create_contacts", {"Name": "Tenant A contact"}),
        create(adapter, TENANT_B, "create_contacts", {"Name": "Tenant B contact"})), WAIT)
    assert [r.items[0].Name for r in answers] == ["Tenant A contact", "Tenant B contact"]


async def test_a_tenants_writes_take_turns_across_engines_with_gap_free_numbers(adapters) -> None:
    """Adapter 1 holds tenant A's transaction open after reading its numbers; adapter 2 (another engine, as another
    process would have) writes an invoice of A meanwhile. It must wait for the database's lock (the company row on
    PostgreSQL, the write lock on SQLite) and then number after adapter 1: without that lock both would take the same
    invoice and journal numbers and one would fail with IntegrityError."""
    first, second = adapters
    probe = Probe()
    probe.attach(first, 1)
    probe.attach(second, 2)
    release = asyncio.Event()
    probe.hold[("locked", TENANT_A, 1)] = release
    one = asyncio.ensure_future(create(first, TENANT_A, "create_invoices", invoice("first")))
    await asyncio.wait_for(probe.event(("locked", TENANT_A, 1)).wait(), WAIT)
    two = asyncio.ensure_future(create(second, TENANT_A, "create_invoices", invoice("second")))
    await asyncio.wait_for(probe.event(("queued", TENANT_A, 2)).wait(), WAIT)
    for _ in range(20):  # give adapter 2 its chance to (wrongly) get in; the assertion is on order, not time
        await asyncio.sleep(0.01)
    release.set()
    answers = await asyncio.wait_for(asyncio.gather(one, two), WAIT)
    assert probe.seen.index(("locked", TENANT_A, 2)) > probe.seen.index(("locked", TENANT_A, 1))
    assert [r.items[0].InvoiceNumber for r in answers] == ["INV-0001", "INV-0002"]
    async with first.db.session() as session:
        numbers = list(await session.scalars(select(Journal.number).where(Journal.company_id == TENANT_A)
                                             .order_by(Journal.number)))
    assert numbers == [1, 2]


async def test_one_process_queues_a_tenants_writes_and_frees_the_queue(adapters) -> None:
    """A second write of tenant A in the same adapter does not get A's turn while the first holds it; once every
    write is done no per-tenant lock is left behind (memory bounded by the writes in flight)."""
    adapter = adapters[0]
    probe = Probe()
    probe.attach(adapter, 0)
    release = asyncio.Event()
    probe.hold[("queued", TENANT_A, 0)] = release
    one = asyncio.ensure_future(create(adapter, TENANT_A, "create_contacts", {"Name": "First"}))
    await asyncio.wait_for(probe.event(("queued", TENANT_A, 0)).wait(), WAIT)
    del probe.hold[("queued", TENANT_A, 0)]
    two = asyncio.ensure_future(create(adapter, TENANT_A, "create_contacts", {"Name": "Second"}))
    for _ in range(20):
        await asyncio.sleep(0)
    assert probe.seen == [("queued", TENANT_A, 0)]
    assert len(adapter._tenant_queues) == 1
    release.set()
    await asyncio.wait_for(asyncio.gather(one, two), WAIT)
    assert [s for s in probe.seen if s[0] == "queued"] == [("queued", TENANT_A, 0)] * 2
    gc.collect()
    assert len(adapter._tenant_queues) == 0


def contention() -> OperationalError:
    """What SQLAlchemy raises when SQLite's lock stayed taken through the busy timeout."""
    return OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))


def failing_record(times: int) -> tuple[Callable[..., Awaitable[None]], list[int]]:
    """``keyed.record`` (the last step of every write, after its rows are flushed) failing ``times`` times."""
    calls = [0]
    real = keyed.record

    async def record(*args: Any, **kwargs: Any) -> None:
        calls[0] += 1
        if calls[0] <= times:
            raise contention()
        await real(*args, **kwargs)

    return record, calls


async def contacts_named(adapter: NativeLedgerAdapter, name: str) -> int:
    async with adapter.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(Contact).where(Contact.name == name)))


async def test_contention_is_retried_whole_never_half_applied(adapters, monkeypatch) -> None:
    adapter = adapters[0]
    record, calls = failing_record(concurrency.ATTEMPTS - 1)
    monkeypatch.setattr(keyed, "record", record)
    answer = await create(adapter, TENANT_A, "create_contacts", {"Name": "Retried"})
    assert answer.items[0].Name == "Retried"
    assert calls[0] == concurrency.ATTEMPTS
    assert await contacts_named(adapter, "Retried") == 1


async def test_contention_through_every_attempt_is_a_503_with_nothing_kept(adapters, monkeypatch) -> None:
    adapter = adapters[0]
    record, calls = failing_record(concurrency.ATTEMPTS)
    monkeypatch.setattr(keyed, "record", record)
    with pytest.raises(concurrency.LedgerBusy) as raised:
        await create(adapter, TENANT_A, "create_invoices", invoice("busy"))
    assert (raised.value.status, raised.value.headers["Retry-After"]) == (503, "1")
    assert "Nothing was saved" in raised.value.body()
    assert calls[0] == concurrency.ATTEMPTS
    async with adapter.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Invoice)) == 0
        assert await session.scalar(select(func.count()).select_from(Journal)) == 0


async def test_other_errors_are_not_retried(adapters, monkeypatch) -> None:
    adapter = adapters[0]
    calls = [0]

    async def record(*_args: Any, **_kwargs: Any) -> None:
        calls[0] += 1
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr(keyed, "record", record)
    with pytest.raises(OperationalError):
        await create(adapter, TENANT_A, "create_contacts", {"Name": "Not retried"})
    assert calls[0] == 1


async def test_users_are_created_and_signed_in_without_a_global_lock(adapters) -> None:
    """create_user writes in its own transaction (no process-wide lock any more); another adapter signs the user in."""
    first, second = adapters
    user = await first.create_user(email="c@example.com", password="pw-one!", tenant_ids=[TENANT_A, TENANT_B])
    assert await second.authenticate_user("c@example.com", "pw-one!") == user
    assert await second.authenticate_user("c@example.com", "wrong") is None
