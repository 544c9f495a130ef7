"""The "last used" times of partner apps and connections, kept off the request path (issue 15).

The Accounting API guard calls :meth:`UsageRecorder.seen` on every authorised call: a dictionary update, no I/O. A
background task (:meth:`UsageRecorder.run`, started by :mod:`gateway.housekeeping`) writes what was seen every
``[console] usage_flush_interval`` seconds (60 by default): one UPDATE per app and one per connection used since the
last write, so an app's ``last_used_at`` is written at most once per interval however many calls it makes, and a
steady stream of reads never writes the gateway's database per call.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from aiohttp import web
from sqlalchemy import update

from gateway.store.db import Database
from gateway.store.models import App, Connection

log = logging.getLogger(__name__)

#: (source code, client_id, user_id or None, tenant_id) of one connection.
ConnectionKey = tuple[str, str, str | None, str]


class UsageRecorder:
    """Collects uses in memory and writes them in batches.

    Args:
        db: the gateway's database.
        now: the current time (the identity clock's ``now``).
    """

    def __init__(self, db: Database, now: Callable[[], datetime]) -> None:
        self.db = db
        self.now = now
        self._apps: dict[str, datetime] = {}
        self._connections: dict[ConnectionKey, datetime] = {}
        self.writes = 0  # UPDATE statements issued so far (for tests and benchmarks)

    def seen(self, *, code: str, client_id: str, user_id: str | None, tenant_id: str | None) -> None:
        """Note one authorised call (no I/O)."""
        at = self.now()
        self._apps[client_id] = at
        if tenant_id:
            self._connections[(code, client_id, user_id, tenant_id)] = at

    async def flush(self) -> None:
        """Write what was seen since the last flush (one UPDATE per app and per connection)."""
        apps, self._apps = self._apps, {}
        connections, self._connections = self._connections, {}
        if not apps and not connections:
            return
        async with self.db.session() as s, s.begin():
            for client_id, at in apps.items():
                await s.execute(update(App).where(App.client_id == client_id).values(last_used_at=at))
                self.writes += 1
            for (code, client_id, user_id, tenant_id), at in connections.items():
                owner = Connection.user_id.is_(None) if user_id is None else Connection.user_id == user_id
                await s.execute(update(Connection).where(
                    Connection.source_code == code, Connection.client_id == client_id, owner,
                    Connection.tenant_id == tenant_id, Connection.deleted_at.is_(None)).values(last_used_at=at))
                self.writes += 1

    async def run(self, interval: float) -> None:
        """Flush every ``interval`` seconds until cancelled (a failed write is logged and its uses dropped)."""
        while True:
            await asyncio.sleep(interval)
            try:
                await self.flush()
            except Exception:
                log.warning("usage: last-used times not written", exc_info=True)


#: The app's recorder (set by :mod:`gateway.housekeeping` at start); absent in apps built without it (tests).
USAGE = web.AppKey("usage", UsageRecorder)


def note_use(request: web.Request, *, code: str, client_id: str, user_id: str | None, tenant_id: str | None) -> None:
    """Record one authorised call when the app tracks usage (the guard's one line; no I/O)."""
    recorder = request.app.get(USAGE)
    if recorder is not None:
        recorder.seen(code=code, client_id=client_id, user_id=user_id, tenant_id=tenant_id)


@contextlib.asynccontextmanager
async def running(recorder: UsageRecorder, interval: float):
    """Run the recorder's flush loop for the duration of the block, with a last flush at the end."""
    task = asyncio.create_task(recorder.run(interval))
    try:
        yield recorder
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        with contextlib.suppress(Exception):
            await recorder.flush()
