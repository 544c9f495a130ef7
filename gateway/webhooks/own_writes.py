"""The gateway's own writes, remembered so that a detector does not announce them a second time.

:mod:`.writes` queues the event of a write through ``/1004``, ``/1009`` or ``/1001`` at once; the source later
reports the same change to its detector (QBO CDC or Intuit's notification, Sage's ``updated_or_created_since``, the
Sage 50 agent's sync). :func:`remember` records ``(source, tenant, resource, written_at)`` in the same transaction
as the event; :func:`drop_own` drops a detected event whose source time is no later than the newest such write
plus ``slack`` seconds (the source's clock and the gateway's may differ; QBO stamps whole seconds). A change made
at the source after that is a new change and is delivered. Rows older than ``keep`` are pruned.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .events import ChangeEvent
from .models import OwnWrite


async def remember(session: AsyncSession, events: Sequence[ChangeEvent], *, now: datetime) -> None:
    """Record the resources of a gateway write's events (in the caller's transaction)."""
    seen = {(e.source_code, e.tenant_id.lower(), e.resource_id.lower()) for e in events}
    session.add_all(OwnWrite(source_code=code, tenant_id=tenant, resource_id=resource, written_at=now)
                    for code, tenant, resource in sorted(seen))
    await session.flush()


async def drop_own(session: AsyncSession, events: Sequence[ChangeEvent], *, slack: timedelta
                   ) -> list[ChangeEvent]:
    """``events`` (all of one source and tenant) without those the gateway wrote itself (module docstring)."""
    if not events:
        return []
    ids = sorted({e.resource_id for e in events})
    code, tenant = events[0].source_code, events[0].tenant_id
    rows = await session.execute(
        select(OwnWrite.resource_id, func.max(OwnWrite.written_at))
        .where(OwnWrite.source_code == code, OwnWrite.tenant_id == tenant, OwnWrite.resource_id.in_(ids))
        .group_by(OwnWrite.resource_id))
    written = dict(rows.all())
    return [e for e in events if e.resource_id not in written or e.occurred_at > written[e.resource_id] + slack]


async def prune(session: AsyncSession, *, now: datetime, keep: timedelta) -> None:
    """Forget writes older than ``keep``."""
    await session.execute(delete(OwnWrite).where(OwnWrite.written_at < now - keep))
