"""Fixtures of the upstream-flow tests: a fake source system (:mod:`.fake_upstream`) on 127.0.0.1, and gateway apps on
a fresh data directory with the fake upstream adapter under codes 1004 and 1009 (the identity tests' fake local
adapter under 1000), driven over HTTP with pytest-aiohttp's client."""

from __future__ import annotations

import pytest
from joserfc.jwk import RSAKey

from adapters import registry

from .fake_upstream import FakeUpstream
from .helpers import Env, make_gateway_app


@pytest.fixture(scope="session")
def signing_pem() -> bytes:
    return RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True).as_pem(private=True)


@pytest.fixture(autouse=True)
def fake_sources(monkeypatch):
    monkeypatch.setitem(registry.ADAPTERS, "1000", "tests.identity.fake_adapter:FakeAdapter")
    monkeypatch.setitem(registry.ADAPTERS, "1004", "tests.upstream.fake_adapter:FakeUpstreamAdapter")
    monkeypatch.setitem(registry.ADAPTERS, "1009", "tests.upstream.fake_adapter:FakeUpstreamAdapter")


@pytest.fixture
async def fake(aiohttp_server) -> FakeUpstream:
    source = FakeUpstream()
    server = await aiohttp_server(source.app(), host="127.0.0.1")
    source.base_url = str(server.make_url("")).rstrip("/")
    return source


@pytest.fixture
async def env(aiohttp_client, tmp_path, signing_pem, fake) -> Env:
    """A started gateway with the fake source registered as 1004 (QBO-like: Basic client authentication)."""
    data_dir = tmp_path / "data"
    client = await aiohttp_client(make_gateway_app(data_dir, signing_pem))
    environment = Env(clients=[client], fake=fake, data_dir=data_dir)
    await environment.register("1004")
    return environment
