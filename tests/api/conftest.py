"""Fixtures of the Accounting API front-end tests.

The identity server and the native ledger are written in parallel, so these tests:

- register :class:`tests.api.fake_adapter.FakeAdapter` as source ``1000``;
- replace the identity guard with :func:`fake_guard` (a bearer token and a tenant header are all it checks);
- build the app with ``gateway.app.create_app``; while ``gateway.identity`` cannot be imported yet, they build the
  same app without the identity routes (:func:`_minimal_app`).
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from adapters import registry
from gateway.routing import Router
from gateway.settings import load_settings
from gateway.xero.errors import Forbidden, Unauthorized
from gateway.xero.request import RequestContext
from tests.api.fake_adapter import TENANT_ID
from tests.xero_spec import xero_spec  # noqa: F401  (the session fixture)

API = "/1000/api.xro/2.0"
TOKEN = "test-access-token"
APP_NAME = "Front-end Test App"


def _ensure_guard_module() -> None:
    """Until ``gateway/identity/guard.py`` lands, give ``gateway.api.handler`` a stand-in to import; every test
    replaces ``authenticate_api_call`` with :func:`fake_guard` anyway."""
    try:
        importlib.import_module("gateway.identity.guard")
    except ModuleNotFoundError as exc:
        if exc.name not in ("gateway.identity", "gateway.identity.guard"):
            raise
        stand_in = types.ModuleType("gateway.identity.guard")

        async def authenticate_api_call(request, code, *, scopes, path, tenant_required=True):
            raise Unauthorized("AuthenticationUnsuccessful")

        stand_in.authenticate_api_call = authenticate_api_call  # type: ignore[attr-defined]
        sys.modules["gateway.identity.guard"] = stand_in


_ensure_guard_module()


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


def _minimal_app(settings) -> web.Application:
    """``create_app`` without identity routes and without the gateway database."""
    from gateway import appkeys
    from gateway.api import setup as setup_api
    from gateway.app import ROUTER, dispatch, error_middleware
    from gateway.sources import SourcePool

    app = web.Application(middlewares=[error_middleware], client_max_size=10 * 1024 * 1024)
    app[appkeys.SETTINGS] = settings
    router = Router()
    app[ROUTER] = router

    async def state(app: web.Application):
        sources = SourcePool(settings)
        app[appkeys.SOURCES] = sources
        await sources.get("1000")
        yield
        await sources.close()

    app.cleanup_ctx.append(state)
    setup_api(app, router)
    app.router.add_route("*", "/{code}/{tail:.*}", dispatch)
    app.router.add_route("*", "/{code}", dispatch)
    return app


def build_app(settings) -> web.Application:
    try:
        importlib.import_module("gateway.identity").setup  # noqa: B018
    except (ImportError, AttributeError):
        return _minimal_app(settings)
    from gateway.app import create_app

    return create_app(settings)


@pytest.fixture
async def client(aiohttp_client, tmp_path, monkeypatch, guard_calls):
    monkeypatch.setitem(registry.ADAPTERS, "1000", "tests.api.fake_adapter:FakeAdapter")
    app = build_app(load_settings(data_dir=tmp_path))
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
