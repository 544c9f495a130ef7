"""Fixtures of the native reports tests.

Adapter-level tests reuse the native ledger fixtures (a private copy of the seeded demo ledger per test, clocks
fixed so that "today" is 18 March 2026; the demo's books run from April 2025 and its financial year ends on
31 December). HTTP-level tests drive the real app (``gateway.app.create_app``) with the real native adapter on
that copy, the identity guard replaced by a fake that accepts one bearer token for the demo tenant (the pattern
of ``tests/api/conftest.py``).
"""

from __future__ import annotations

import pytest

from adapters import registry
from gateway.app import create_app
from gateway.settings import load_settings
from tests.adapters.native.conftest import install_guard, make_guard
from tests.adapters.native.core.conftest import TENANT

API = "/1000/api.xro/2.0"
TOKEN = "reports-test-token"


@pytest.fixture
async def http(aiohttp_client, ledger_dir, monkeypatch):
    """An aiohttp test client of the real app serving the native ledger copy as source ``1000``."""
    install_guard(monkeypatch, make_guard(TOKEN, client_id="reports-tests", app_name="Reports"))
    monkeypatch.setitem(registry.ADAPTERS, "1000", "tests.adapters.native.reports.clocked:ClockedNativeAdapter")
    return await aiohttp_client(create_app(load_settings(data_dir=ledger_dir)))


@pytest.fixture
def headers() -> dict[str, str]:
    """Headers of an authenticated JSON call for the demo tenant."""
    return {"Authorization": f"Bearer {TOKEN}", "xero-tenant-id": TENANT, "Accept": "application/json"}
