"""Fixtures of the webhook tests: a real receiver on 127.0.0.1, a gateway database, a movable clock, and partner
apps connected to tenants with a webhook subscription."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from gateway.identity import apps
from gateway.settings import Settings, load_settings
from gateway.store.crypto import SecretBox
from gateway.store.db import Database
from gateway.webhooks import subscriptions
from gateway.webhooks.dispatcher import Dispatcher
from tests.pg import database_url, pg_cluster  # noqa: F401  (fixtures)
from tests.webhooks.receiver import Receiver

TENANT = "3ee77511-87af-53f1-b4b6-fc49799c9881"
OTHER_TENANT = "0b5f6e2a-2b1c-4c55-9d0e-6a3c1f0a9b11"
T0 = datetime(2026, 12, 7, 12, 0, 0, 123456, tzinfo=UTC)


class FakeClock:
    """Aware UTC "now", moved by hand."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def receiver():
    r = Receiver()
    await r.start()
    yield r
    await r.stop()


@pytest.fixture
def fernet_key() -> str:
    """The sealing key of :func:`box` (a worker subprocess gets it through ``XERO_GATEWAY_SECRET_KEY``)."""
    return Fernet.generate_key().decode("ascii")


@pytest.fixture
def box(fernet_key) -> SecretBox:
    return SecretBox(fernet_key)


def webhook_settings(data_dir: Path, **webhooks: float | int | bool) -> Settings:
    settings = load_settings(data_dir=data_dir)
    settings.webhooks = settings.webhooks.model_copy(update={"poll_interval": 0.05, "delivery_timeout": 2.0,
                                                             **webhooks})
    return settings


@pytest.fixture
def settings(tmp_path) -> Settings:
    return webhook_settings(tmp_path)


@pytest.fixture
async def db(tmp_path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}")
    await database.create_all()
    yield database
    await database.dispose()


@dataclass
class Subscriber:
    client_id: str
    key: str


async def subscriber(db: Database, box: SecretBox, url: str, *, events: str = "CONTACT INVOICE CREDITNOTE",
                     tenant: str = TENANT, code: str = "1000") -> Subscriber:
    """A custom connection to ``tenant`` of ``code`` with a webhook to ``url`` (intent to receive still required)."""
    app = await apps.create_app(db, name="Webhook App", redirect_uris=[], scopes=["accounting.transactions"],
                                custom_connection=True, code=code, tenant_id=tenant)
    shown = await subscriptions.set_subscription(db, box, app["client_id"], url=url, events=events)
    return Subscriber(app["client_id"], shown["webhook_key"])


@pytest.fixture
async def workers():
    """``workers(db, settings, box, clock)`` makes a :class:`Dispatcher`; every one is stopped at teardown."""
    made: list[Dispatcher] = []

    def make(db: Database, settings: Settings, box: SecretBox, clock=None) -> Dispatcher:
        worker = Dispatcher(db, settings, box, **({"clock": clock} if clock else {}))
        made.append(worker)
        return worker

    yield make
    for worker in made:
        await worker.stop()
