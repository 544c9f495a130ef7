"""``/healthz`` answers 200 while the process serves; ``/readyz`` 200 when the gateway's database and the native
ledger's answer, 503 naming the one that does not (gateway.observability.views)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from gateway.app import create_app
from gateway.appkeys import DB, SOURCES
from gateway.settings import load_settings


@pytest.fixture
async def client(aiohttp_client, tmp_path):
    settings = load_settings(data_dir=tmp_path)
    settings.native.demo_company = False  # the real native ledger, on its own database, without the demo seed
    return await aiohttp_client(create_app(settings))


@pytest.fixture
def unreachable(tmp_path):
    """An engine whose database cannot be opened (its directory does not exist)."""
    engines = []

    def make():
        engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'gone.db'}")
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.sync_engine.dispose()


async def test_healthz_answers_200(client):
    response = await client.get("/healthz")
    assert response.status == 200 and await response.json() == {"status": "ok"}
    assert response.headers["Xero-Correlation-Id"]


async def test_readyz_answers_200_when_every_database_answers(client):
    response = await client.get("/readyz")
    assert response.status == 200
    assert await response.json() == {"status": "ready", "checks": {"database": "ok", "1000 database": "ok"},
                                     "not_ready": []}


async def test_readyz_answers_503_when_the_gateway_database_is_unreachable(client, unreachable, monkeypatch):
    monkeypatch.setattr(client.app[DB], "engine", unreachable())
    response = await client.get("/readyz")
    assert response.status == 503
    body = await response.json()
    assert body["status"] == "not ready" and body["not_ready"] == ["database"]
    assert body["checks"] == {"database": "unreachable", "1000 database": "ok"}
    assert (await client.get("/healthz")).status == 200  # the process still serves


async def test_readyz_names_an_unreachable_adapter_database(client, unreachable, monkeypatch):
    ledger = client.app[SOURCES].started()["1000"]
    monkeypatch.setattr(ledger.db, "engine", unreachable())
    response = await client.get("/readyz")
    assert response.status == 503
    assert (await response.json())["not_ready"] == ["1000 database"]


async def test_readyz_answers_503_while_migrations_are_pending(client):
    """A database whose version table is not the head of its tree (gateway.migrations) is not ready."""
    db = client.app[DB]
    async with db.engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    response = await client.get("/readyz")
    assert response.status == 503
    body = await response.json()
    assert body["checks"] == {"database": "migrations pending", "1000 database": "ok"}
    assert body["not_ready"] == ["database"]


async def test_readyz_names_an_adapter_database_with_pending_migrations(client):
    ledger = client.app[SOURCES].started()["1000"]
    async with ledger.db.engine.begin() as conn:
        await conn.execute(text("DELETE FROM alembic_version_ledger"))  # as a database never migrated
    response = await client.get("/readyz")
    assert response.status == 503
    assert (await response.json())["checks"]["1000 database"] == "migrations pending"
