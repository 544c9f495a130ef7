"""Fixtures of the Accounting API front-end tests.

These tests isolate the front end:

- :class:`tests.api.fake_adapter.FakeAdapter` is registered as source ``1000``;
- the identity guard is replaced with ``fake_guard`` (a bearer token and a tenant header are all it checks);
- the app is the real one from ``gateway.app.create_app``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from adapters import registry
from gateway.app import create_app
from gateway.settings import load_settings
from gateway.xero.errors import Forbidden, Unauthorized
from gateway.xero.request import RequestContext
from tests.api.fake_adapter import TENANT_ID
from tests.xero_spec import xero_spec  # noqa: F401  (the session fixture)

API = "/1000/api.xro/2.0"
TOKEN = "test-access-token"
APP_NAME = "Front-end Test App"


@dataclass
class GuardCalls:
    """What the handler asked the guard (one entry per API call)."""

    calls: list[dict] = field(default_factory=list)


@pytest.fixture
def guard_calls(monkeypatch) -> GuardCalls:
    record = GuardCalls()

    async def fake_guard(request: web.Request, code: str, *, scopes: Sequence[str], path: str,
                         tenant_required: bool = True) -> RequestContext:
        record.calls.append({"code": code, "scopes": tuple(scopes), "path": path})
        auth = request.headers.get("Authorization", "")
        if auth != f"Bearer {TOKEN}":
            raise Unauthorized("AuthenticationUnsuccessful")
        if tenant_required and request.headers.get("xero-tenant-id", "").lower() != TENANT_ID:
            raise Forbidden("AuthenticationUnsuccessful")
        return RequestContext(source_code=code, tenant_id=TENANT_ID, client_id="test-client", app_name=APP_NAME,
                              user_id=None, scopes=frozenset(scopes))

    monkeypatch.setattr("gateway.api.handler.authenticate_api_call", fake_guard)
    return record


@pytest.fixture
async def client(aiohttp_client, tmp_path, monkeypatch, guard_calls):
    monkeypatch.setitem(registry.ADAPTERS, "1000", "tests.api.fake_adapter:FakeAdapter")
    app = create_app(load_settings(data_dir=tmp_path))
    return await aiohttp_client(app)


@pytest.fixture
def auth() -> dict[str, str]:
    """Headers of an authenticated call (xero-python spells the tenant header in lower case)."""
    return {"Authorization": f"Bearer {TOKEN}", "xero-tenant-id": TENANT_ID, "Accept": "application/json"}


@pytest.fixture
def adapter(client):
    """The started FakeAdapter behind ``client``."""
    from gateway.appkeys import SOURCES

    return client.server.app[SOURCES].started()["1000"]


class Api:
    """Calls ``/1000/api.xro/2.0…`` with the test credentials and validates every answer against Xero's spec."""

    def __init__(self, client, headers: dict[str, str], spec) -> None:
        self.client = client
        self.headers = headers
        self.spec = spec

    async def call(self, method: str, path: str, *, headers: dict[str, str] | None = None, validate: bool = True,
                   **kwargs):
        """``(response, body bytes)``; the answer is checked with ``xero_spec.validate_response`` first."""
        merged = {**self.headers, **(headers or {})}
        merged = {k: v for k, v in merged.items() if v is not None}
        resp = await self.client.request(method, API + path, headers=merged, **kwargs)
        body = await resp.read()
        if validate:
            self.spec.validate_response(method, str(resp.url), resp.status, body, dict(resp.headers))
        return resp, body


@pytest.fixture
def api(client, auth, xero_spec) -> Api:  # noqa: F811  (xero_spec is the imported session fixture)
    return Api(client, auth, xero_spec)
