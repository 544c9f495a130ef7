"""The adapter contract's economy of credentials (adapters/base.py, adapters/common/unit.py): a Xero call reads the
upstream credentials once, however many upstream requests it makes, and asks for a refresh only after a 401."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlalchemy import event

from adapters.base import CredentialsProvider, Tenant, UpstreamCredentials
from adapters.common.refcache import RefCache
from adapters.qbo.ids import IdStore
from tests.support.qbo import seed_invoices

pytestmark = pytest.mark.slow

PAGE = {"page": "2", "pageSize": "50", "where": 'Type=="ACCREC" AND Total>=0'}


@dataclass
class CountingProvider:
    """Wraps the gateway's provider and counts what the adapter asks of it."""

    inner: CredentialsProvider
    reads: int = 0
    refreshes: list[str] = field(default_factory=list)

    async def credentials(self, code: str, tenant_id: str) -> UpstreamCredentials:
        self.reads += 1
        return await self.inner.credentials(code, tenant_id)

    async def refresh(self, code: str, tenant_id: str, *, failed_token: str) -> UpstreamCredentials:
        self.refreshes.append(failed_token)
        return await self.inner.refresh(code, tenant_id, failed_token=failed_token)

    async def tenants(self, code: str) -> list[Tenant]:
        return await self.inner.tenants(code)


@pytest.fixture
def counted(qbo_blank, monkeypatch) -> CountingProvider:
    provider = CountingProvider(qbo_blank.adapter.client.tokens)
    assert isinstance(provider, CredentialsProvider)
    monkeypatch.setattr(qbo_blank.adapter.client, "tokens", provider)
    return provider


async def test_a_warm_invoice_page_reads_the_credentials_exactly_once(qbo_blank, counted):
    qbo = qbo_blank
    await seed_invoices(qbo, 150)
    first = await qbo.api("GET", "/Invoices", params=PAGE)  # cold: may refresh, loads reference data and counts
    assert first.status == 200 and counted.reads == 1
    counted.reads = 0
    warm = await qbo.api("GET", "/Invoices", params=PAGE)
    assert warm.status == 200 and len(warm.body["Invoices"]) == 50
    assert qbo.adapter.recent_calls[-1][1] == 1  # one upstream request
    assert counted.reads == 1 and counted.refreshes == []


async def test_a_call_of_several_upstream_requests_still_reads_them_once(qbo_blank, counted):
    qbo = qbo_blank
    await seed_invoices(qbo, 3)
    qbo.adapter.cache = RefCache()  # cold: reference data and the count cost requests of their own
    cold = await qbo.api("GET", "/Invoices", params={"page": "1", "where": 'Type=="ACCREC"'})
    assert cold.status == 200
    assert qbo.adapter.recent_calls[-1][1] == 2
    assert counted.reads == 1 and counted.refreshes == []


async def test_a_401_costs_one_refresh_then_the_call_goes_on_with_the_new_token(qbo_blank, counted):
    qbo = qbo_blank
    await seed_invoices(qbo, 3)
    await qbo.api("GET", "/Invoices", params={"page": "1"})
    counted.reads = 0
    await qbo.admin("POST", "/tokens/expire")  # the emulator forgets every access token it issued
    again = await qbo.api("GET", "/Invoices", params={"page": "1"})
    assert again.status == 200
    assert counted.reads == 1 and len(counted.refreshes) == 1


async def test_a_warm_invoice_page_costs_no_statement_on_the_guid_map(qbo_blank, monkeypatch):
    """Issue 10: GUIDs are computed, the page's GUIDs are already recorded and the realm's aliases were read a moment
    ago, so a warm page touches the table ``qbo_ids`` not at all."""
    qbo = qbo_blank
    await seed_invoices(qbo, 120)
    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if "qbo_ids" in statement:
            statements.append(statement)

    # A freshness no slow machine outlasts between the two calls (the default second is the cross-process bound).
    monkeypatch.setattr(qbo.adapter, "ids", IdStore(qbo.adapter.ids.db, freshness=3600))
    engine = qbo.adapter.ids.db.engine.sync_engine
    first = await qbo.api("GET", "/Invoices", params={"page": "1"})  # records the page's GUIDs
    assert first.status == 200
    event.listen(engine, "before_cursor_execute", seen)
    try:
        warm = await qbo.api("GET", "/Invoices", params={"page": "1"})
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert warm.status == 200 and warm.body["Invoices"] == first.body["Invoices"]
    assert statements == []
