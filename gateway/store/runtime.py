"""The database handle of the gateway's runtime state (rate-limit counters and leases, Idempotency-Key records).

Same database as the rest of the gateway's state (``settings.database_url``; tables in
:mod:`gateway.store.models_runtime`, created by :meth:`Database.create_all`), so that every process sharing it
shares one rate-limit budget and one set of keys, but a second engine whose commits do not wait for the disk
(``durable=False``: SQLite ``synchronous=NORMAL``, PostgreSQL ``synchronous_commit=off``). Every Accounting API
call commits here, and a disk flush per commit costs several milliseconds (bench/runtime_overhead.py); what a power
failure or server crash could lose is the last counter increments or key updates (an idempotency record then
looks as if the call never started), never the identity server's data, which keeps its own fully durable engine.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from gateway import appkeys

from .db import Database


def setup(app: web.Application) -> None:
    """Open the runtime database at start-up (after the app's state context, which creates the tables and sets
    ``appkeys.DB``) and close it at shut-down."""

    async def runtime_db(app: web.Application) -> AsyncIterator[None]:
        db = Database(app[appkeys.DB].url, durable=False)
        app[appkeys.RUNTIME_DB] = db
        yield
        await db.dispose()

    app.cleanup_ctx.append(runtime_db)
