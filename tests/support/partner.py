"""In-process stack of source 1010 for the tests and the contract walk: two gateway instances on 127.0.0.1.

- *The remote ledger*: a gateway whose native ledger serves its Partner Bookkeeping API (``/ledger/api/v1``,
  :mod:`tests.support.native`); its demo firm owner consents there.
- *The gateway under test*: a second gateway with source 1010 registered through ``gateway.upstream`` like QBO and
  Sage (``sources set`` with the client the operator registered at the remote by RFC 7591: a confidential client,
  ``client_secret_basic``, grants ``authorization_code`` and ``refresh_token``).

:func:`start` runs the whole consent as a partner app, a browser and the firm owner would: the partner app's
authorize at the gateway → the remote's consent page (e-mail, password, allow) → the gateway's callback → the
partner app's code → tokens. One consent connects every company the remote's ``GET /companies`` lists; the remote's
demo company is the stack's tenant. :func:`stop` closes both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from yarl import URL

from adapters.base import upstream_tenant_id
from adapters.native.demo.company import DEMO_TENANT_ID
from adapters.registry import ADAPTERS
from gateway import appkeys
from gateway.app import create_app
from gateway.appkeys import IDENTITY
from gateway.identity.keys import SIGNING_KEY_FILE
from gateway.settings import load_settings
from gateway.upstream import registry
from tests.identity.helpers import REDIRECT_URI, Gateway, pkce_pair, query_of
from tests.partner.connect import hidden_fields

from . import native
from .stack import Stack

CODE = "1010"
#: The partner app's name: the ``ProviderName`` of every envelope.
PARTNER_NAME = "Partner ledger test partner"
#: The remote's demo company is the stack's tenant (its tenant key is the ``companyId``).
TENANT_ID = upstream_tenant_id(CODE, DEMO_TENANT_ID)
#: Port of the gateway's settings (its ``public_url``, hence the redirect URI registered at the remote).
GATEWAY_PORT = 18191


@dataclass
class PartnerStack(Stack):
    """A partner app connected to source 1010, and the remote ledger behind it.

    Attributes:
        gateway: the gateway under test.
        remote: the remote ledger's stack (its own Xero API on code 1000 reaches the same books).
        app: the partner app (``client_id``, ``client_secret``).
        tokens: the partner app's token response.
        tenants: the ``/connections`` entries.
        upstream_client: the client registered at the remote (RFC 7591 answer).
    """

    code = CODE
    provider_name = PARTNER_NAME

    gateway: TestClient
    remote: native.NativeStack
    app: dict[str, Any]
    tokens: dict[str, Any]
    upstream_client: dict[str, Any]
    tenants: list[dict[str, Any]] = field(default_factory=list)
    spec: Any = None
    tenant_id: str = TENANT_ID
    #: What the contract walk's recipes would read through operations this source lacks (``Walker.facts``, ``own``).
    walk_facts: dict[str, Any] = field(default_factory=dict)
    walk_own: dict[str, Any] = field(default_factory=dict)
    #: Whether :func:`stop` closes the remote too (it was started by :func:`start`).
    owns_remote: bool = True

    @property
    def access_token(self) -> str:
        return self.tokens["access_token"]

    @property
    def remote_base(self) -> str:
        """The remote's host URL (no trailing slash)."""
        return str(self.remote.gateway.make_url("")).rstrip("/")


def owner_credentials(remote: native.NativeStack) -> tuple[str, str]:
    """The remote's demo firm owner (the only user who may consent)."""
    settings = remote.gateway.app[appkeys.SETTINGS].native
    return settings.demo_user_email, settings.demo_user_password


async def register_at_remote(remote_base: str, redirect_uri: str) -> dict[str, Any]:
    """What the operator does once: register a confidential client at the remote (RFC 7591)."""
    body = {"client_name": "Xero gateway", "redirect_uris": [redirect_uri],
            "grant_types": ["authorization_code", "refresh_token"]}
    async with aiohttp.ClientSession() as http, http.post(f"{remote_base}/ledger/api/oauth/register",
                                                         json=body) as resp:
        data = await resp.json()
        assert resp.status == 201, data
        return data


async def consent_at_remote(url: URL, *, email: str, password: str) -> URL:
    """The firm owner at the remote: open the consent page, sign in and allow; the redirect to the gateway."""
    async with aiohttp.ClientSession() as browser:
        async with browser.get(url, allow_redirects=False) as page:
            html = await page.text()
            assert page.status == 200, html
        form = hidden_fields(html) | {"email": email, "password": password, "decision": "allow"}
        async with browser.post(url.with_query(None), data=form, allow_redirects=False) as answer:
            assert answer.status == 302, await answer.text()
            return URL(answer.headers["Location"])


def gateway_app(data_dir: Path, pem: bytes) -> web.Application:
    """The gateway under test, as :func:`tests.support.sage.make_gateway_app` makes it but without its own native
    demo company (source 1000 is not walked here; seeding it would only slow the start)."""
    keys = data_dir / "keys"
    keys.mkdir(mode=0o700, parents=True, exist_ok=True)
    (keys / SIGNING_KEY_FILE).write_bytes(pem)
    (keys / SIGNING_KEY_FILE).chmod(0o600)
    settings = load_settings(data_dir=data_dir, port=GATEWAY_PORT)
    limits = settings.rate_limits.model_copy(update={"tenant_concurrent": 50, "tenant_per_minute": 10_000,
                                                     "tenant_per_day": 100_000})
    native_settings = settings.native.model_copy(update={"demo_company": False})
    return create_app(settings.model_copy(update={"rate_limits": limits, "native": native_settings}))


async def open_bill(remote: native.NativeStack, *, at_least: int) -> str:
    """An AUTHORISED bill of the remote's demo company owing at least ``at_least`` (through the remote's own Xero
    API: the partner API lists no bills)."""
    answer = await remote.api("GET", "/Invoices", params={"where": 'Type=="ACCPAY"', "Statuses": "AUTHORISED"},
                              validate=False)
    assert answer.status == 200, answer.body
    return next(i["InvoiceID"] for i in answer.body["Invoices"] if float(i["AmountDue"]) >= at_least)


def walk_seed(bill_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(facts, own)`` for the contract walk on a source without tax rates, contacts or invoices: lines carry no
    ``TaxType``, a SPEND names a payee the remote makes, and ``createPayment`` and ``createPayments`` (100 each)
    pay an open bill of the remote."""
    facts = {"output_tax": None, "input_tax": None, "no_tax": None, "supplier": {"Name": "Conformance walk payee"}}
    return facts, {"InvoiceID": bill_id}


async def start(*, data_dir: Path, pem: bytes, scope: str, xero_spec: Any = None,
                remote: native.NativeStack | None = None) -> PartnerStack:
    """Start the remote ledger (unless ``remote`` is given: an already started native stack, left open by
    :func:`stop`) and the gateway, register source 1010 and connect a partner app; close with :func:`stop`.

    Raises:
        AssertionError: a step of the consent did not answer as the protocol says.
    """
    owns_remote = remote is None
    if remote is None:
        remote = await native.start(data_dir=data_dir / "remote", app_name="Remote ledger's own Xero app")
    remote_base = str(remote.gateway.make_url("")).rstrip("/")
    client = TestClient(TestServer(gateway_app(data_dir / "gateway", pem), host="127.0.0.1"))
    await client.start_server()
    state = client.app[IDENTITY]
    upstream_client = await register_at_remote(remote_base, registry.callback_url(state.settings, CODE))
    await registry.set_source(state.db, state.settings, code=CODE, client_id=upstream_client["client_id"],
                              client_secret=upstream_client["client_secret"],
                              authorize_url=f"{remote_base}/ledger/api/oauth/authorize",
                              token_url=f"{remote_base}/ledger/api/oauth/token",
                              api_base=f"{remote_base}/ledger/api/v1", adapter_codes=ADAPTERS)
    gw = Gateway(client=client, state=state, code=CODE)
    app = await gw.create_app(name=PARTNER_NAME)
    verifier, challenge = pkce_pair()
    response = await gw.authorize_page({
        "response_type": "code", "client_id": app["client_id"], "redirect_uri": REDIRECT_URI, "scope": scope,
        "state": "st-partner", "code_challenge": challenge, "code_challenge_method": "S256"})
    assert response.status == 302, await response.text()
    upstream = URL(response.headers["Location"])
    assert str(upstream).startswith(remote_base), upstream
    email, password = owner_credentials(remote)
    callback = await consent_at_remote(upstream, email=email, password=password)
    answer = await client.get(callback.path_qs, allow_redirects=False)
    assert answer.status == 302, await answer.text()
    tokens = await gw.exchange(app, query_of(answer.headers["Location"]), verifier=verifier)
    connections = await client.get(f"/{CODE}/connections",
                                   headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert connections.status == 200, await connections.text()
    facts, own = walk_seed(await open_bill(remote, at_least=200))
    return PartnerStack(gateway=client, remote=remote, app=app, tokens=tokens, upstream_client=upstream_client,
                        tenants=await connections.json(), spec=xero_spec, walk_facts=facts, walk_own=own,
                        owns_remote=owns_remote)


async def stop(stack: PartnerStack) -> None:
    await stack.gateway.close()
    if stack.owns_remote:
        await native.stop(stack.remote)
