"""In-process Sage stack of the tests, the contract walk and the benchmark: the Sage emulator and a gateway app on
loopback, the upstream consent done as a partner app, a browser and Sage would do it, and Accounting API calls
(:meth:`tests.support.stack.Stack.api`) validated against Xero's spec.

One consent connects every business of the emulator; :class:`Session` calls the lead business
(``Emulator Trading Ltd``) unless a call names another tenant. :func:`start` and :func:`stop` build and close the
whole stack outside pytest's function fixtures.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from yarl import URL

from adapters.registry import ADAPTERS
from emulators.sage_accounting import EmulatorConfig, OAuthClient
from gateway import appkeys
from gateway.app import create_app
from gateway.appkeys import IDENTITY
from gateway.identity.keys import SIGNING_KEY_FILE
from gateway.settings import load_settings
from gateway.upstream import registry
from tests.identity.helpers import REDIRECT_URI, Gateway, pkce_pair, query_of

from .stack import Stack

CODE = "1009"
CLIENT_ID = "sage-test-client"
CLIENT_SECRET = "sage-test-secret"  # noqa: S105 - a test fixture value
SCOPES = ("openid profile email offline_access accounting.transactions accounting.contacts accounting.settings "
          "accounting.reports.read")
API = f"/{CODE}/api.xro/2.0"
#: The emulator's lead business.
LEAD_BUSINESS = "Emulator Trading Ltd"
#: The partner app's name: the ``ProviderName`` of every envelope.
PARTNER_NAME = "Sage test partner"


def make_gateway_app(data_dir: Path, pem: bytes, port: int = 18190) -> web.Application:
    keys = data_dir / "keys"
    keys.mkdir(mode=0o700, parents=True, exist_ok=True)
    (keys / SIGNING_KEY_FILE).write_bytes(pem)
    (keys / SIGNING_KEY_FILE).chmod(0o600)
    settings = load_settings(data_dir=data_dir, port=port)
    limits = settings.rate_limits.model_copy(update={"tenant_concurrent": 50, "tenant_per_minute": 10_000,
                                                     "tenant_per_day": 100_000})
    return create_app(settings.model_copy(update={"rate_limits": limits}))


@dataclass
class Emulator:
    """The emulator's URLs and admin hooks."""

    base: str
    server: TestServer | None = None

    @property
    def api_base(self) -> str:
        return f"{self.base}/v3.1"

    @property
    def authorize_url(self) -> str:
        return f"{self.base}/oauth2/auth/central?filter=apiv3.1"

    @property
    def token_url(self) -> str:
        return f"{self.base}/token"

    async def admin(self, method: str, path: str, json: Any = None) -> Any:
        async with aiohttp.ClientSession() as http, http.request(method, f"{self.base}{path}", json=json) as r:
            assert r.status < 400, await r.text()
            return await r.json() if r.content_type == "application/json" else await r.text()

    async def requests(self) -> Any:
        return await self.admin("GET", "/_emulator/requests")

    async def reset_requests(self) -> None:
        await self.admin("DELETE", "/_emulator/requests")


@dataclass
class Session(Stack):
    """A partner app connected to the Sage businesses of one consent (source 1009).

    Attributes:
        client: the gateway's test client (also :attr:`gateway`).
        app: the partner app (``client_id``, ``client_secret``).
        tokens: the partner's token response.
        tenants: the ``/connections`` entries, one per business.
        xero_spec: the spec validator, or ``None`` (also :attr:`spec`).
        emulator: the emulator, when the stack was built by :func:`start`.
    """

    code = CODE
    provider_name = PARTNER_NAME

    client: TestClient
    app: dict[str, Any]
    tokens: dict[str, Any]
    tenants: list[dict[str, Any]] = field(default_factory=list)
    xero_spec: Any = None
    emulator: Emulator | None = None

    @property
    def gateway(self) -> TestClient:
        return self.client

    @property
    def spec(self) -> Any:
        return self.xero_spec

    @property
    def access_token(self) -> str:
        return self.tokens["access_token"]

    @property
    def tenant_id(self) -> str:
        """The lead business's tenant id: the default ``xero-tenant-id``."""
        return self.tenant()

    def tenant(self, name: str = LEAD_BUSINESS) -> str:
        """The tenant id of a business by name (``/connections`` lists them in no fixed order)."""
        return next(t["tenantId"] for t in self.tenants if t["tenantName"] == name)

    def headers(self, tenant_id: str, extra: dict[str, str] | None = None) -> dict[str, str]:
        return self.auth_headers(tenant_id, extra)

    async def call(self, method: str, tail: str, tenant_id: str, *, json: Any = None, params: Any = None,
                   headers: Mapping[str, str] | None = None, validate: bool = True) -> tuple[int, Any, dict[str, str]]:
        """:meth:`api` answering ``(status, body, headers)``, the shape the Sage tests were written against."""
        answer = await self.api(method, tail, params=params, body=json, headers=headers, tenant_id=tenant_id,
                                validate=validate)
        return answer.status, answer.body, dict(answer.headers)

    async def get(self, tail: str, tenant_id: str, **kwargs: Any) -> Any:
        """The JSON body of a ``GET`` that must answer 200."""
        status, data, _ = await self.call("GET", tail, tenant_id, **kwargs)
        assert status == 200, (status, data)
        return data


async def register(client: TestClient, emulator: Emulator) -> dict[str, Any]:
    state = client.app[IDENTITY]
    return await registry.set_source(state.db, state.settings, code=CODE, client_id=CLIENT_ID,
                                     client_secret=CLIENT_SECRET, authorize_url=emulator.authorize_url,
                                     token_url=emulator.token_url, api_base=emulator.api_base,
                                     adapter_codes=ADAPTERS)


async def connect(client: TestClient, emulator: Emulator, *, xero_spec: Any = None,
                  scope: str = SCOPES) -> Session:
    """The whole consent: partner authorize → Sage (approves at once) → gateway callback → partner code → tokens."""
    gw = Gateway(client=client, state=client.app[IDENTITY], code=CODE)
    app = await gw.create_app(name=PARTNER_NAME)
    verifier, challenge = pkce_pair()
    response = await gw.authorize_page({
        "response_type": "code", "client_id": app["client_id"], "redirect_uri": REDIRECT_URI, "scope": scope,
        "state": "st-sage", "code_challenge": challenge, "code_challenge_method": "S256"})
    assert response.status == 302, await response.text()
    upstream = URL(response.headers["Location"])
    assert str(upstream).startswith(emulator.base), upstream
    async with aiohttp.ClientSession() as browser:
        at_sage = await browser.get(upstream, allow_redirects=False)
    assert at_sage.status == 302, await at_sage.text()
    callback = URL(at_sage.headers["Location"])
    answer = await client.get(callback.path_qs, allow_redirects=False)
    assert answer.status == 302, await answer.text()
    location = answer.headers["Location"]
    assert location.startswith(REDIRECT_URI + "?"), location
    tokens = await gw.exchange(app, query_of(location), verifier=verifier)
    connections = await client.get(f"/{CODE}/connections",
                                   headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert connections.status == 200, await connections.text()
    return Session(client=client, app=app, tokens=tokens, tenants=await connections.json(), xero_spec=xero_spec)


def adapter_of(client: TestClient):
    """The started Sage adapter behind ``client``."""
    return client.app[appkeys.SOURCES].started()[CODE]


def move_gateway_clock(client: TestClient, seconds: float) -> None:
    """Move the gateway's upstream token clock forward (the emulator's clock is moved through its admin hook)."""
    client.app[appkeys.SOURCES].upstream.clock = lambda: time.time() + seconds


def emulator_config(**overrides: Any) -> EmulatorConfig:
    """The emulator as the tests run it: one known developer app, request validation on, generous limits."""
    values: dict[str, Any] = {"clients": [OAuthClient(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)],
                              "requests_per_minute": 100_000, "validate_requests": True, **overrides}
    return EmulatorConfig(**values)


async def start(*, data_dir: Path, pem: bytes, emulator_app: web.Application, xero_spec: Any = None,
                scope: str = SCOPES) -> Session:
    """Start the emulator and a gateway on 127.0.0.1, register source 1009 and connect a partner app to every
    business; close both with :func:`stop`."""
    server = TestServer(emulator_app, host="127.0.0.1")
    await server.start_server()
    emulator = Emulator(base=str(server.make_url("")).rstrip("/"), server=server)
    client = TestClient(TestServer(make_gateway_app(data_dir, pem), host="127.0.0.1"))
    await client.start_server()
    await register(client, emulator)
    session = await connect(client, emulator, xero_spec=xero_spec, scope=scope)
    session.emulator = emulator
    return session


async def stop(session: Session) -> None:
    await session.client.close()
    if session.emulator is not None and session.emulator.server is not None:
        await session.emulator.server.close()
