"""Gauges read from the gateway's database when ``/metrics`` is scraped.

The webhook outbox and the agents' sync state live in the database shared by every gateway process, so they are
read at scrape time (one small query each) rather than tracked in one process's memory: every worker then reports
the same value.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from gateway.agents.tables import AgentCompany
from gateway.store.db import Database
from gateway.webhooks.models import WebhookEventRow

from .metrics import AGENT_SYNC_LAG, WEBHOOK_BACKLOG


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


async def read_gauges(db: Database, *, now: datetime) -> None:
    """Set :data:`~.metrics.WEBHOOK_BACKLOG` and :data:`~.metrics.AGENT_SYNC_LAG` from ``db``.

    Args:
        db: the gateway's database.
        now: the current time (timezone-aware UTC).

    Raises:
        sqlalchemy.exc.SQLAlchemyError: the database could not be read.
    """
    async with db.session() as s:
        backlog = (await s.execute(select(func.count()).select_from(WebhookEventRow))).scalar_one()
        synced = (await s.execute(select(AgentCompany.source_code, AgentCompany.tenant_id, AgentCompany.last_sync_at)
                                  .where(AgentCompany.last_sync_at.is_not(None)))).all()
    WEBHOOK_BACKLOG.set(backlog)
    AGENT_SYNC_LAG.clear()  # companies no longer served drop out
    for source, tenant_id, last_sync_at in synced:
        lag = max(0.0, (now - _aware(last_sync_at)).total_seconds())
        AGENT_SYNC_LAG.labels(source=source, tenant_id=tenant_id).set(lag)
