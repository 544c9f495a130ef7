"""xero-python 15.2.0 (``TokenApi``, ``ApiClient``, ``IdentityApi``) against a gateway on a free loopback port,
repointed as the README says (TokenApi class attributes). The SDK is synchronous: it runs in a worker thread."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest
from xero_python.api_client import ApiClient, Configuration
from xero_python.api_client.oauth2 import OAuth2Token, TokenApi
from xero_python.identity import IdentityApi

from gateway.appkeys import IDENTITY

from .conftest import make_app
from .fake_adapter import TENANT_A, TENANT_B
from .helpers import Gateway


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
async def served(aiohttp_server, aiohttp_client, tmp_path, signing_pem, monkeypatch):
    port = free_port()
    app = make_app(tmp_path / "data", signing_pem, port=port)
    server = await aiohttp_server(app, port=port)
    gw = Gateway(client=await aiohttp_client(server), state=app[IDENTITY])
    base = f"http://127.0.0.1:{port}/1000"
    monkeypatch.setattr(TokenApi, "refresh_token_url", base + "/connect/token")
    monkeypatch.setattr(TokenApi, "client_credentials_token_url", base + "/connect/token")
    monkeypatch.setattr(TokenApi, "revoke_token_url", base + "/connect/revocation")
    return gw, base


def sdk(client_id: str, client_secret: str, store: dict) -> ApiClient:
    # Configuration is a process-wide singleton-with-default in xero-python: the first instance's arguments win
    # for every later ``Configuration(...)``. Set the token on the copy explicitly.
    configuration = Configuration()
    configuration.oauth2_token = OAuth2Token(client_id=client_id, client_secret=client_secret)
    return ApiClient(configuration, pool_threads=1, oauth2_token_getter=lambda: store.get("token"),
                     oauth2_token_saver=lambda token: store.update(token=token))


async def test_client_credentials_and_connections_through_the_sdk(served):
    gw, base = served
    app = await gw.create_app(name="SDK Custom", redirect_uris=[], scopes=["accounting.transactions"],
                              custom_connection=True, code="1000", tenant_id=TENANT_A)
    store: dict = {}
    api_client = sdk(app["client_id"], app["client_secret"], store)
    token = await asyncio.to_thread(api_client.get_client_credentials_token)
    assert token["token_type"] == "Bearer" and token["expires_in"] == 1800
    assert token["scope"] == "accounting.transactions" and not token.get("refresh_token")
    connections = await asyncio.to_thread(IdentityApi(api_client, base_url=base).get_connections)
    assert [str(c.tenant_id) for c in connections] == [TENANT_A]
    assert connections[0].tenant_type == "ORGANISATION" and connections[0].created_date_utc is not None


async def test_refresh_and_revoke_through_the_sdk(served):
    gw, base = served
    app, token = await gw.user_token(tenants=[TENANT_B])
    store = {"token": {**token, "scope": token["scope"].split(), "expires_at": time.time() + 1000}}
    api_client = sdk(app["client_id"], app["client_secret"], store)

    refreshed = await asyncio.to_thread(api_client.refresh_oauth2_token)
    assert refreshed["refresh_token"] != token["refresh_token"]
    assert refreshed["scope"] == token["scope"].split()  # the SDK stores the list; same set as granted
    assert store["token"]["access_token"] == refreshed["access_token"]

    # An expired token makes the SDK refresh by itself before calling /Connections.
    store["token"]["expires_at"] = time.time() - 10
    connections = await asyncio.to_thread(IdentityApi(api_client, base_url=base).get_connections)
    assert [str(c.tenant_id) for c in connections] == [TENANT_B]
    assert store["token"]["refresh_token"] != refreshed["refresh_token"]

    last_refresh = store["token"]["refresh_token"]
    assert await asyncio.to_thread(api_client.revoke_oauth2_token)
    status, body = await gw.refresh(app, last_refresh)
    assert status == 400 and body["error"] == "invalid_grant"
