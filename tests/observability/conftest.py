"""Fixtures of the observability tests: the real app with the front end's fake adapter and guard."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families

from adapters import registry
from gateway.app import create_app
from gateway.appkeys import RATE_LIMITER
from gateway.settings import load_settings
from gateway.xero.errors import Forbidden, Unauthorized
from gateway.xero.request import RequestContext
from tests.api.fake_adapter import TENANT_ID

API = "/1000/api.xro/2.0"
TOKEN = "observability-test-token"
#: Calls a tenant may make per minute in these tests (the fourth is refused).
PER_MINUTE = 3
#: The limiter's clock: 10 s into a UTC minute, so that every call of a test falls in one window.
T0 = 1_900_000_030.0

Sample = tuple[str, frozenset[tuple[str, str]]]


def auth(**extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}", "xero-tenant-id": TENANT_ID, "Accept": "application/json", **extra}


def parse(text: str) -> dict[Sample, float]:
    """Every sample of a Prometheus exposition, keyed by name and labels (prometheus_client's own parser)."""
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def sample(name: str, **labels: str) -> Sample:
    return name, frozenset(labels.items())


async def scrape(client) -> dict[Sample, float]:
    response = await client.get("/metrics")
    assert response.status == 200
    return parse(await response.text())


@pytest.fixture
def fake_guard(monkeypatch) -> None:
    async def guard(request: web.Request, code: str, *, scopes: Sequence[str], path: str,
                    tenant_required: bool = True) -> RequestContext:
        if request.headers.get("Authorization", "") != f"Bearer {TOKEN}":
            raise Unauthorized("AuthenticationUnsuccessful")
        if tenant_required and request.headers.get("xero-tenant-id", "").lower() != TENANT_ID:
            raise Forbidden("AuthenticationUnsuccessful")
        return RequestContext(source_code=code, tenant_id=TENANT_ID, client_id="observability-client",
                              app_name="Observability Test App", user_id=None, scopes=frozenset(scopes))

    monkeypatch.setattr("gateway.api.handler.authenticate_api_call", guard)


@pytest.fixture
def settings(tmp_path):
    settings = load_settings(data_dir=tmp_path)
    settings.rate_limits = settings.rate_limits.model_copy(update={"tenant_per_minute": PER_MINUTE})
    return settings


@pytest.fixture
async def client(aiohttp_client, settings, monkeypatch, fake_guard):
    monkeypatch.setitem(registry.ADAPTERS, "1000", "tests.api.fake_adapter:FakeAdapter")
    client = await aiohttp_client(create_app(settings))
    client.app[RATE_LIMITER].clock = lambda: T0
    return client
