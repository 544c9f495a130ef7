"""Host mode's in-process tests: a gateway app with host mode on, the identity tests' fake source under 1000 and a
second one under 1009 (1004 stays an unregistered upstream source: not offered), driven with pytest-aiohttp's
client and ``Host`` headers naming Xero's hostnames."""

from __future__ import annotations

import pytest

from adapters import registry
from gateway.app import create_app
from gateway.appkeys import IDENTITY, ROUTER
from gateway.identity.keys import SIGNING_KEY_FILE
from gateway.settings import load_settings
from tests.identity.conftest import guard_probe, signing_pem  # noqa: F401 - a session fixture, shared
from tests.identity.helpers import Gateway


@pytest.fixture(autouse=True)
def fake_sources(monkeypatch):
    monkeypatch.setitem(registry.ADAPTERS, "1000", "tests.identity.fake_adapter:FakeAdapter")
    monkeypatch.setitem(registry.ADAPTERS, "1004", "tests.identity.fake_adapter:UpstreamFakeAdapter")
    monkeypatch.setitem(registry.ADAPTERS, "1009", "tests.hostmode.fake_sources:SecondFakeAdapter")
    monkeypatch.delitem(registry.ADAPTERS, "1001", raising=False)  # a build without the Sage 50 adapter


@pytest.fixture
async def gw(aiohttp_client, tmp_path, signing_pem) -> Gateway:  # noqa: F811 - the shared session fixture
    data_dir = tmp_path / "data"
    keys = data_dir / "keys"
    keys.mkdir(mode=0o700, parents=True)
    (keys / SIGNING_KEY_FILE).write_bytes(signing_pem)
    (keys / SIGNING_KEY_FILE).chmod(0o600)
    app = create_app(load_settings(data_dir=data_dir, port=18443, host_mode=True))
    app[ROUTER].add("GET", "/_test/guard", guard_probe)
    client = await aiohttp_client(app)
    return Gateway(client=client, state=client.app[IDENTITY])
