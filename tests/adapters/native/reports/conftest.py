"""Fixtures of the native reports tests.

Adapter-level tests reuse the native ledger fixtures (a private copy of the seeded demo ledger per test, clocks
fixed so that "today" is 18 March 2026; the demo's books run from April 2025 and its financial year ends on
31 December). HTTP-level tests drive the real app (``gateway.app.create_app``) with the real native adapter on
that copy, the identity guard replaced by a fake that accepts one bearer token for the demo tenant (the pattern
of ``tests/api/conftest.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from aiohttp import web

from adapters import registry
from gateway.app import create_app
from gateway.settings import load_settings
from gateway.xero.errors import Forbidden, Unauthorized
from gateway.xero.request import RequestContext
from tests.adapters.native.core.conftest import TENANT, adapter, ledger_dir, seeded_dir  # noqa: F401  (fixtures)
from tests.xero_spec import xero_spec  # noqa: F401  (the session fixture)

API = "/1000/api.xro/2.0"
TOKEN = "reports-test-token"


@pytest.fixture
async def http(aiohttp_client, ledger_dir, monkeypatch):  # noqa: F811  (ledger_dir is the imported fixture)
    """An aiohttp test client of the real app serving the native ledger copy as source ``1000``."""
    async def fake_guard(request: web.Request, code: str, *, scopes: Sequence[str], path: str,
                         tenant_required: bool = True) -> RequestContext:
        if request.headers.get("Authorization", "") != f"Bearer {TOKEN}":
            raise Unauthorized("AuthenticationUnsuccessful")
        if tenant_required and request.headers.get("xero-tenant-id", "").lower() != TENANT:
            raise Forbidden("AuthenticationUnsuccessful")
        return RequestContext(source_code=code, tenant_id=TENANT, client_id="reports-tests", app_name="Reports",
                              user_id=None, scopes=frozenset(scopes))

    monkeypatch.setattr("gateway.api.handler.authenticate_api_call", fake_guard)
    monkeypatch.setitem(registry.ADAPTERS, "1000", "tests.adapters.native.reports.clocked:ClockedNativeAdapter")
    return await aiohttp_client(create_app(load_settings(data_dir=ledger_dir)))


@pytest.fixture
def headers() -> dict[str, str]:
    """Headers of an authenticated JSON call for the demo tenant."""
    return {"Authorization": f"Bearer {TOKEN}", "xero-tenant-id": TENANT, "Accept": "application/json"}
