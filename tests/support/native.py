"""The in-process native stack (source 1000): the real gateway app on a fresh data directory, whose native ledger
seeds its demo company "Demo Company (UK)" on first start, reached with the ``client_credentials`` token of a
custom connection bound to the demo tenant.

The connection's scopes are every scope Xero's spec names on an operation (``mappings/xero_operations.toml``), so
that no call is refused for scope. Per-tenant rate limits are raised (``[rate_limits]`` in a small TOML file passed
to ``load_settings``) because the contract walk makes hundreds of calls. A real SMTP server runs on loopback
(:mod:`tests.support.smtp`) and ``[smtp]`` points the ledger at it, so that ``emailInvoice`` sends for real; its
:attr:`NativeStack.mailbox` holds what was sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.native.demo.company import DEMO_TENANT_ID
from gateway import appkeys
from gateway.api.operations import load_operations
from gateway.app import create_app
from gateway.identity import apps
from gateway.settings import load_settings

from .smtp import Mailbox, SmtpServer, smtp_config, start_smtp
from .stack import Stack

CODE = "1000"
#: Per-tenant limits high enough for the walk (Xero's defaults are 60 a minute and 5,000 a day).
RATE_LIMITS = "[rate_limits]\ntenant_per_minute = 100000\ntenant_per_day = 1000000\n"


def accounting_scopes() -> list[str]:
    """Every scope that grants an Accounting API operation (the union of the spec's per-operation scopes)."""
    return sorted({scope for op in load_operations().values() for scope in op.scopes})


@dataclass
class NativeStack(Stack):
    """The gateway app with its native ledger, connected to the demo tenant."""

    code = CODE

    gateway: TestClient
    access_token: str
    provider_name: str
    tenant_id: str = DEMO_TENANT_ID
    spec: Any = None
    smtp: SmtpServer | None = None

    @property
    def mailbox(self) -> Mailbox | None:
        """The messages the ledger sent through the stack's SMTP server (``None`` without one)."""
        return self.smtp.mailbox if self.smtp is not None else None


def gateway_app(data_dir: Path, *, smtp_port: int | None = None) -> web.Application:
    """The gateway app on ``data_dir`` (created), its rate limits raised for the walk and, with ``smtp_port``, its
    ``[smtp]`` section pointing at a loopback SMTP server on that port."""
    data_dir.mkdir(parents=True, exist_ok=True)
    config = data_dir / "stack.toml"
    config.write_text(RATE_LIMITS + (smtp_config(smtp_port) if smtp_port is not None else ""))
    return create_app(load_settings(config, data_dir=data_dir / "data"))


async def start(*, data_dir: Path, app_name: str, spec: Any = None) -> NativeStack:
    """Start the gateway on ``data_dir`` and connect a custom connection named ``app_name`` (the envelopes'
    ``ProviderName``) to the demo tenant; close it with :func:`stop`.

    Raises:
        AssertionError: the token endpoint refused the connection or granted fewer scopes.
    """
    smtp = await start_smtp()
    client = TestClient(TestServer(gateway_app(data_dir, smtp_port=smtp.port)))
    await client.start_server()
    registered = await apps.create_app(client.app[appkeys.DB], name=app_name, redirect_uris=[],
                                       scopes=accounting_scopes(), custom_connection=True, code=CODE,
                                       tenant_id=DEMO_TENANT_ID)
    resp = await client.post(f"/{CODE}/connect/token", data={
        "grant_type": "client_credentials", "client_id": registered["client_id"],
        "client_secret": registered["client_secret"]})
    token = await resp.json()
    assert resp.status == 200, token
    assert set(token["scope"].split()) == set(accounting_scopes()), token["scope"]
    return NativeStack(gateway=client, access_token=token["access_token"], provider_name=app_name, spec=spec,
                       smtp=smtp)


async def stop(stack: NativeStack) -> None:
    await stack.gateway.close()
    if stack.smtp is not None:
        await stack.smtp.close()
