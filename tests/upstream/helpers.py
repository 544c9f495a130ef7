"""Drive the upstream consent flow as a partner app, a browser and the source would."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import select
from yarl import URL

from adapters.registry import ADAPTERS
from gateway import appkeys
from gateway.app import create_app
from gateway.appkeys import IDENTITY
from gateway.identity.keys import SIGNING_KEY_FILE
from gateway.settings import load_settings
from gateway.store.crypto import SecretBox
from gateway.upstream import registry
from gateway.upstream.models import UpstreamAuthorization
from gateway.upstream.tokens import UpstreamTokens
from tests.identity.helpers import REDIRECT_URI, SCOPES, Gateway, pkce_pair, query_of

from .fake_upstream import FakeUpstream

PORT = 18090


def make_gateway_app(data_dir: Path, pem: bytes) -> web.Application:
    keys = data_dir / "keys"
    keys.mkdir(mode=0o700, parents=True, exist_ok=True)
    (keys / SIGNING_KEY_FILE).write_bytes(pem)
    (keys / SIGNING_KEY_FILE).chmod(0o600)
    settings = load_settings(data_dir=data_dir, port=PORT)
    # Xero allows 5 calls in progress per tenant; the concurrency tests run 10 at once.
    limits = settings.rate_limits.model_copy(update={"tenant_concurrent": 20})
    return create_app(settings.model_copy(update={"rate_limits": limits}))


@dataclass
class Flow:
    """One pass through the browser part: partner authorize → source → gateway callback → partner redirect."""

    app: dict[str, Any]
    verifier: str
    upstream_url: URL
    callback_url: URL
    response: aiohttp.ClientResponse

    @property
    def partner_query(self) -> dict[str, str]:
        location = self.response.headers["Location"]
        assert location.startswith(REDIRECT_URI + "?"), location
        return query_of(location)


@dataclass
class Env:
    """Gateway app instances sharing one data directory, and the fake source."""

    clients: list[TestClient]
    fake: FakeUpstream
    data_dir: Path
    offset: float = 0.0
    _gateways: dict[tuple[int, str], Gateway] = field(default_factory=dict)

    @property
    def client(self) -> TestClient:
        return self.clients[0]

    def gw(self, code: str = "1004", instance: int = 0) -> Gateway:
        client = self.clients[instance]
        return Gateway(client=client, state=client.app[IDENTITY], code=code)

    def tokens(self, instance: int = 0) -> UpstreamTokens:
        return self.clients[instance].app[appkeys.SOURCES].upstream

    def advance(self, seconds: float) -> None:
        """Move the upstream clocks (every gateway instance's token provider and the fake source) forward."""
        self.offset += seconds
        self.fake.offset = self.offset
        for client in self.clients:
            client.app[appkeys.SOURCES].upstream.clock = lambda: time.time() + self.offset

    async def add_instance(self, aiohttp_client, pem: bytes) -> int:
        """Start one more gateway app on the same data directory (a second process sharing the database)."""
        self.clients.append(await aiohttp_client(make_gateway_app(self.data_dir, pem)))
        self.advance(0)
        return len(self.clients) - 1

    async def register(self, code: str, *, auth_method: str = "basic") -> dict[str, Any]:
        self.fake.auth_method = auth_method
        state = self.client.app[IDENTITY]
        return await registry.set_source(
            state.db, state.settings, code=code, client_id=self.fake.client_id,
            client_secret=self.fake.client_secret, authorize_url=f"{self.fake.base_url}/oauth2/authorize",
            token_url=f"{self.fake.base_url}/oauth2/token", api_base=self.fake.base_url, adapter_codes=ADAPTERS)

    async def start(self, code: str = "1004", *, app: dict[str, Any] | None = None, scope: str = SCOPES,
                    partner_state: str = "st-partner") -> tuple[dict[str, Any], str, aiohttp.ClientResponse]:
        gw = self.gw(code)
        app = app or await gw.create_app()
        verifier, challenge = pkce_pair()
        response = await gw.authorize_page({
            "response_type": "code", "client_id": app["client_id"], "redirect_uri": REDIRECT_URI, "scope": scope,
            "state": partner_state, "code_challenge": challenge, "code_challenge_method": "S256"})
        return app, verifier, response

    async def connect(self, code: str = "1004", **kwargs: Any) -> Flow:
        app, verifier, response = await self.start(code, **kwargs)
        assert response.status == 302, await response.text()
        upstream_url = URL(response.headers["Location"])
        assert str(upstream_url).startswith(f"{self.fake.base_url}/oauth2/authorize?"), upstream_url
        async with aiohttp.ClientSession() as browser:
            at_source = await browser.get(upstream_url, allow_redirects=False)
        assert at_source.status == 302, await at_source.text()
        callback_url = URL(at_source.headers["Location"])
        answer = await self.client.get(callback_url.path_qs, allow_redirects=False)
        return Flow(app=app, verifier=verifier, upstream_url=upstream_url, callback_url=callback_url,
                    response=answer)

    async def connected(self, code: str = "1004", **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """A partner app and its Xero token set after a successful upstream consent."""
        flow = await self.connect(code, **kwargs)
        assert flow.response.status == 302, await flow.response.text()
        tokens = await self.gw(code).exchange(flow.app, flow.partner_query, verifier=flow.verifier)
        return flow.app, tokens

    async def organisation(self, access_token: str, tenant_id: str, *, code: str = "1004", instance: int = 0):
        response = await self.clients[instance].get(
            f"/{code}/api.xro/2.0/Organisation",
            headers={"Authorization": f"Bearer {access_token}", "xero-tenant-id": tenant_id,
                     "Accept": "application/json"})
        return response

    async def stored_authorizations(self) -> list[UpstreamAuthorization]:
        db = self.client.app[IDENTITY].db
        async with db.session() as s:
            return list((await s.scalars(select(UpstreamAuthorization))).all())

    def unseal(self, sealed: str) -> str:
        return SecretBox.from_data_dir(self.data_dir).decrypt(sealed)
