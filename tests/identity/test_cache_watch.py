"""The identity cache's watcher (gateway/identity/cache.py): one read of the revocation count per poll, and the
cache emptied when, and only when, the count moved or could not be read."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import event

from gateway.identity import cache as cache_module
from gateway.identity.cache import IdentityCache, bump_generation
from gateway.store.db import Database


@pytest.fixture
async def db(tmp_path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}")
    await database.create_all()
    yield database
    await database.dispose()


async def test_one_statement_per_poll_and_emptied_only_when_the_count_moves(db, monkeypatch):
    ticks: asyncio.Queue[None] = asyncio.Queue()
    resume = asyncio.Event()

    async def sleep(_seconds: float) -> None:  # one poll per release, driven by the test
        await ticks.put(None)
        await resume.wait()
        resume.clear()

    monkeypatch.setattr(cache_module.asyncio, "sleep", sleep)
    sent: list[str] = []
    event.listen(db.engine.sync_engine, "before_cursor_execute", lambda _c, _k, statement, *_a: sent.append(statement))
    cache = IdentityCache(size=10, timer=lambda: 0.0)
    cache.apps["A"] = ("App", False, None)
    watcher = asyncio.create_task(cache.watch(db, interval=1.0))

    async def poll() -> None:
        resume.set()
        await ticks.get()  # the watcher read the count and went back to sleep

    try:
        await ticks.get()  # the first read, at start
        await poll()
        await poll()
        assert len(sent) == 3 and all("identity_generation" in s for s in sent)
        assert "A" in cache.apps  # nothing moved: kept
        async with db.session() as s, s.begin():
            await bump_generation(s)
        await poll()
        assert "A" not in cache.apps and cache.epoch == 1
    finally:
        watcher.cancel()
