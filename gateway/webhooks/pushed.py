"""Changes a source pushes to the gateway (the Sage 50 connector's sync pages), queued as Xero webhook events.

:func:`emit_changes` maps them through the change table (:func:`.changemap.to_event`), drops the gateway's own
writes (:mod:`.own_writes`) and queues the rest (:func:`.outbox.emit`), then wakes the process's dispatcher. The
caller queues before it stores the page: a page the agent sends again after a failure is announced again
(at-least-once), never lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from aiohttp import web

from adapters.common.changes import SourceChange
from gateway import appkeys

from .changemap import to_event
from .outbox import emit
from .own_writes import drop_own, prune


async def emit_changes(app: web.Application, code: str, tenant_id: str, changes: Sequence[SourceChange]) -> int:
    """Queue the events of ``changes`` of one tenant.

    Returns:
        The number of outbox rows written.

    Raises:
        sqlalchemy.exc.SQLAlchemyError: the database refused the write.
    """
    events = [e for e in (to_event(code, tenant_id, c) for c in changes) if e is not None]
    if not events:
        return 0
    config = app[appkeys.SETTINGS].webhooks
    async with app[appkeys.DB].session() as s, s.begin():
        queued = await emit(s, await drop_own(s, events, slack=timedelta(seconds=config.own_write_slack)))
        # no detector polls a pushing source: its remembered writes are forgotten here
        await prune(s, now=datetime.now(UTC), keep=timedelta(seconds=config.own_write_keep))
    if queued and appkeys.WEBHOOKS in app:
        app[appkeys.WEBHOOKS].wake()
    return queued
