"""Fixtures of the Sage adapter tests: the Sage emulator (in process, 127.0.0.1) and a gateway app with source 1009
registered against it."""

from __future__ import annotations

import pytest
from joserfc.jwk import RSAKey

from tests.support.sage import CLIENT_ID, CLIENT_SECRET, Emulator, connect, make_gateway_app, register


@pytest.fixture(autouse=True)
def light_native_source(monkeypatch):
    """Source 1000 served by the identity tests' small fake adapter: the gateway app starts without seeding the
    native demo company (these tests never call 1000)."""
    from adapters import registry

    monkeypatch.setitem(registry.ADAPTERS, "1000", "tests.identity.fake_adapter:FakeAdapter")


@pytest.fixture(scope="session")
def signing_pem() -> bytes:
    return RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True).as_pem(private=True)


@pytest.fixture
def emulator_config():
    """Settings of the emulator (tests may change them before ``emulator`` starts)."""
    from emulators.sage_accounting import EmulatorConfig, OAuthClient

    return EmulatorConfig(clients=[OAuthClient(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)],
                          requests_per_minute=100_000, validate_requests=True)


@pytest.fixture
async def emulator(aiohttp_server, emulator_config) -> Emulator:
    from emulators.sage_accounting import create_app

    server = await aiohttp_server(create_app(emulator_config), host="127.0.0.1")
    return Emulator(base=str(server.make_url("")).rstrip("/"))


@pytest.fixture
async def gateway(aiohttp_client, tmp_path, signing_pem, emulator):
    client = await aiohttp_client(make_gateway_app(tmp_path / "data", signing_pem))
    await register(client, emulator)
    return client


@pytest.fixture
async def session(gateway, emulator, xero_spec):
    """A partner app connected to every emulator business."""
    return await connect(gateway, emulator, xero_spec=xero_spec)
