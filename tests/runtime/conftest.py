"""Fixtures of the runtime tests (Idempotency-Key, rate limits, shared state).

- The real app (``gateway.app.create_app``) with :class:`tests.runtime.gated_adapter.GatedAdapter` as source 1000.
- A fake guard: ``Authorization: Bearer <client_id>`` names the calling app and ``xero-tenant-id`` the tenant, so
  that tests can act as several apps and tenants.
- :func:`gateway` starts one or more apps on the same gateway database (``database_url``: SQLite file or a
  PostgreSQL database of the throwaway cluster, see tests/pg.py) and a shared, settable :class:`FakeClock`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from adapters import registry
from gateway.app import create_app
from gateway.appkeys import IDEMPOTENCY, RATE_LIMITER
from gateway.settings import Settings, load_settings
from gateway.xero.errors import Forbidden, Unauthorized
from gateway.xero.request import RequestContext
from tests.pg import database_url, pg_cluster  # noqa: F401  (fixtures)
from tests.runtime.gated_adapter import TENANT_A, Gate, GatedAdapter

API = "/1000/api.xro/2.0"
CLIENT = "client-a"
#: 10 seconds into a UTC minute (1_900_000_020 is a multiple of 60).
T0 = 1_900_000_030.0


class FakeClock:
    """Epoch seconds, moved by hand."""

    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def headers(*, client: str = CLIENT, tenant: str = TENANT_A, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {client}", "xero-tenant-id": tenant, "Accept": "application/json", **extra}


@pytest.fixture
def fake_guard(monkeypatch) -> None:
    async def guard(request: web.Request, code: str, *, scopes: Sequence[str], path: str,
                    tenant_required: bool = True) -> RequestContext:
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or not auth[7:]:
            raise Unauthorized("AuthenticationUnsuccessful")
        tenant = request.headers.get("xero-tenant-id", "").lower()
        if not tenant:
            raise Forbidden("AuthenticationUnsuccessful")
        return RequestContext(source_code=code, tenant_id=tenant, client_id=auth[7:], app_name="Runtime Test App",
                              user_id=None, scopes=frozenset(scopes))

    monkeypatch.setattr("gateway.api.handler.authenticate_api_call", guard)


@pytest.fixture
def gate(monkeypatch) -> Gate:
    shared = Gate()
    monkeypatch.setattr(GatedAdapter, "gate", shared, raising=False)
    monkeypatch.setitem(registry.ADAPTERS, "1000", "tests.runtime.gated_adapter:GatedAdapter")
    return shared


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def runtime_settings(data_dir: Path, url: str, *, rate_limits: dict[str, Any] | None = None,
                     idempotency: dict[str, Any] | None = None) -> Settings:
    """Settings on ``data_dir`` with the gateway database at ``url`` and section overrides."""
    settings = load_settings(data_dir=data_dir)
    settings.database.url = url
    if rate_limits:
        settings.rate_limits = settings.rate_limits.model_copy(update=rate_limits)
    if idempotency:
        settings.idempotency = settings.idempotency.model_copy(update=idempotency)
    return settings


@dataclass
class Gateways:
    """Start gateway apps that share one gateway database and one clock."""

    aiohttp_client: Callable[..., Awaitable[TestClient]]
    tmp_path: Path
    url: str
    clock: FakeClock
    clients: list[TestClient] = field(default_factory=list)

    async def start(self, **sections: Any) -> TestClient:
        """A started app (each on its own data directory, all on the shared gateway database)."""
        data_dir = self.tmp_path / f"gw{len(self.clients)}"
        client = await self.aiohttp_client(create_app(runtime_settings(data_dir, self.url, **sections)))
        if RATE_LIMITER in client.app:
            client.app[RATE_LIMITER].clock = self.clock
        client.app[IDEMPOTENCY].clock = self.clock
        self.clients.append(client)
        return client


@pytest.fixture
def gateways(aiohttp_client, tmp_path, database_url, clock, fake_guard, gate) -> Gateways:  # noqa: F811
    return Gateways(aiohttp_client=aiohttp_client, tmp_path=tmp_path, url=database_url, clock=clock)
