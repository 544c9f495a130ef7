"""Fixtures of the conformance walk: one real gateway app per test module, reached with a real token.

- The app is ``gateway.app.create_app`` on a fresh data directory (the native ledger seeds its demo company "Demo
  Company (UK)" on first start), with the per-tenant rate limits raised because the walk makes hundreds of calls
  (``[rate_limits]`` in a small TOML file passed to ``load_settings``).
- Identity is the real one: a custom-connection app bound to the demo tenant of source 1000 is registered with
  :func:`gateway.identity.apps.create_app`, and its ``client_credentials`` token is fetched from
  ``/1000/connect/token``. Its scopes are every scope Xero's spec names on an operation
  (``mappings/xero_operations.toml``), so that no call is refused for scope.
- One app, database and token serve the whole module (module-scoped fixtures on a module-scoped event loop).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer

from adapters.native.demo.company import DEMO_TENANT_ID
from gateway import appkeys
from gateway.api.operations import load_operations
from gateway.app import create_app
from gateway.identity import apps
from gateway.settings import load_settings
from tests.xero_spec import load_xero_spec

from .walker import Walker

#: Per-tenant limits high enough for the walk (Xero's defaults are 60 a minute and 5,000 a day).
RATE_LIMITS = "[rate_limits]\ntenant_per_minute = 100000\ntenant_per_day = 1000000\n"
#: The custom connection's name: the ``ProviderName`` of every envelope.
APP_NAME = "Conformance Walk"


def accounting_scopes() -> list[str]:
    """Every scope that grants an Accounting API operation (the union of the spec's per-operation scopes)."""
    return sorted({scope for op in load_operations().values() for scope in op.scopes})


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def gateway_client(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[TestClient]:
    """A started test client on the real app, on a fresh data directory (demo company seeded at start-up)."""
    data_dir: Path = tmp_path_factory.mktemp("conformance")
    config = data_dir / "conformance.toml"
    config.write_text(RATE_LIMITS)
    client = TestClient(TestServer(create_app(load_settings(config, data_dir=data_dir / "data"))))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def access_token(gateway_client: TestClient) -> str:
    """A ``client_credentials`` access token of a custom connection to the demo tenant, with every accounting
    scope."""
    registered = await apps.create_app(gateway_client.app[appkeys.DB], name=APP_NAME, redirect_uris=[],
                                       scopes=accounting_scopes(), custom_connection=True, code="1000",
                                       tenant_id=DEMO_TENANT_ID)
    resp = await gateway_client.post("/1000/connect/token", data={
        "grant_type": "client_credentials", "client_id": registered["client_id"],
        "client_secret": registered["client_secret"]})
    token = await resp.json()
    assert resp.status == 200, token
    assert set(token["scope"].split()) == set(accounting_scopes()), token["scope"]
    return token["access_token"]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def walker(gateway_client: TestClient, access_token: str) -> Walker:
    """The walk's caller and state, shared by every test of the module."""
    return Walker(client=gateway_client, spec=load_xero_spec(), provider_name=APP_NAME, headers={
        "Authorization": f"Bearer {access_token}", "xero-tenant-id": DEMO_TENANT_ID, "Accept": "application/json"})
