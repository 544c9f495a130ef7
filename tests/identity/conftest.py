"""Fixtures of the identity tests: a gateway app on a fresh data directory with the fake adapter under code 1000,
driven over HTTP with pytest-aiohttp's client."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from aiohttp import web
from joserfc.jwk import RSAKey

from adapters import registry
from gateway.app import create_app
from gateway.appkeys import IDENTITY, ROUTER
from gateway.identity.guard import authenticate_api_call
from gateway.identity.keys import SIGNING_KEY_FILE
from gateway.settings import Settings, load_settings

from .helpers import Gateway

PORT = 18080


@pytest.fixture(scope="session")
def signing_pem() -> bytes:
    """One RSA key for the whole session: generating one per test would dominate the run time."""
    return RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True).as_pem(private=True)


@pytest.fixture(autouse=True)
def fake_sources(monkeypatch):
    monkeypatch.setitem(registry.ADAPTERS, "1000", "tests.identity.fake_adapter:FakeAdapter")
    monkeypatch.setitem(registry.ADAPTERS, "1004", "tests.identity.fake_adapter:UpstreamFakeAdapter")


async def guard_probe(request: web.Request, code: str, params: dict[str, str]) -> web.Response:
    """``GET /{code}/_test/guard?scopes=a,b&path=/Invoices&tenant_required=0``: the guard's verdict as JSON."""
    scopes = [s for s in request.query.get("scopes", "").split(",") if s]
    ctx = await authenticate_api_call(request, code, scopes=scopes, path=request.query.get("path", "/Invoices"),
                                      tenant_required=request.query.get("tenant_required", "1") == "1")
    return web.json_response({"source_code": ctx.source_code, "tenant_id": ctx.tenant_id,
                              "client_id": ctx.client_id, "app_name": ctx.app_name, "user_id": ctx.user_id,
                              "scopes": sorted(ctx.scopes)})


def make_app(data_dir: Path, pem: bytes, *, port: int = PORT,
             configure: Callable[[Settings], Settings] = lambda settings: settings) -> web.Application:
    keys = data_dir / "keys"
    keys.mkdir(mode=0o700, parents=True, exist_ok=True)
    (keys / SIGNING_KEY_FILE).write_bytes(pem)
    (keys / SIGNING_KEY_FILE).chmod(0o600)
    app = create_app(configure(load_settings(data_dir=data_dir, port=port)))
    app[ROUTER].add("GET", "/_test/guard", guard_probe)
    return app


@pytest.fixture
async def gw(aiohttp_client, tmp_path, signing_pem) -> Gateway:
    client = await aiohttp_client(make_app(tmp_path / "data", signing_pem))
    return Gateway(client=client, state=client.app[IDENTITY])

