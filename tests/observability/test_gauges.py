"""Agent sync lag (gateway.observability.gauges): seconds since each agent-served company's last sync, read from the
gateway's database at scrape time; a company never synced has no sample, and one no longer served drops out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from prometheus_client import REGISTRY
from sqlalchemy import delete

from gateway.agents.tables import AgentCompany, AgentRecord
from gateway.observability.gauges import read_gauges
from gateway.store.db import Database

LAG = "xero_gateway_agent_sync_lag_seconds"
NOW = datetime(2026, 12, 7, 12, 0, 0, tzinfo=UTC)
SYNCED, NEVER = "a5d2f0c4-0000-4000-8000-000000000001", "a5d2f0c4-0000-4000-8000-000000000002"


def lag(tenant_id: str) -> float | None:
    return REGISTRY.get_sample_value(LAG, {"source": "1001", "tenant_id": tenant_id})


async def test_sync_lag_per_company(tmp_path):
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}")
    await db.create_all()
    try:
        async with db.session() as s, s.begin():
            s.add(AgentRecord(agent_id="agent-1", source_code="1001", name="Sage PC", token_hash="h", created_at=NOW))
            await s.flush()  # the companies' foreign key needs the agent first
            s.add(AgentCompany(source_code="1001", company_key="synced", tenant_id=SYNCED, agent_id="agent-1",
                               name="Synced Ltd", last_sync_at=NOW - timedelta(seconds=42)))
            s.add(AgentCompany(source_code="1001", company_key="never", tenant_id=NEVER, agent_id="agent-1",
                               name="Never Ltd"))
        await read_gauges(db, now=NOW)
        assert lag(SYNCED) == 42.0 and lag(NEVER) is None
        await read_gauges(db, now=NOW + timedelta(seconds=18))
        assert lag(SYNCED) == 60.0

        async with db.session() as s, s.begin():
            await s.execute(delete(AgentCompany).where(AgentCompany.company_key == "synced"))
        await read_gauges(db, now=NOW)
        assert lag(SYNCED) is None
    finally:
        await db.dispose()
