"""Fixtures and helpers shared by every native-ledger test package.

- The adapter-level fixtures of :mod:`tests.adapters.native.core.conftest` (``seeded_dir``, ``ledger_dir``,
  ``adapter``) and the spec (``xero_spec``), registered once here for every package below.
- :func:`make_guard`: a fake identity guard (one bearer token, the demo tenant) standing in for
  ``gateway.api.handler.authenticate_api_call``, the pattern of ``tests/api/conftest.py``.
- :class:`JsonApi` and :func:`serve_json_api`: the real app on a copy of the demo ledger, rate limits off, answering
  ``(status, parsed JSON)`` with every answer validated against Xero's spec (catalogue and documents tests).
- ``fake_guard``, ``http`` and ``api`` (:class:`Api`: ``(response, body bytes)``): the same app with default settings
  and the demo user as the caller (workflow, planning and expenses tests; a package may define its own ``http``).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from adapters.native.demo import company as demo
from gateway.app import create_app
from gateway.settings import load_settings
from gateway.xero.errors import Forbidden, Unauthorized
from gateway.xero.request import RequestContext
from tests.adapters.native.core.conftest import TENANT, adapter, ledger_dir, seeded_dir, settings_for  # noqa: F401
from tests.api.conftest import Api as GatewayApi
from tests.xero_spec import xero_spec  # noqa: F401  (the session fixture)

API = "/1000/api.xro/2.0"
#: The workflow tests' token and app name (the ``fake_guard`` fixture).
WORKFLOW_TOKEN = "workflow-test-token"
WORKFLOW_APP_NAME = "Workflow Test App"

Guard = Callable[..., Awaitable[RequestContext]]


def make_guard(token: str, *, client_id: str, app_name: str, user_id: str | None = None) -> Guard:
    """A fake ``authenticate_api_call``: ``Bearer {token}`` and the demo tenant pass as ``client_id``/``app_name``.

    Raises (from the guard):
        Unauthorized: another bearer token.
        Forbidden: another tenant, when the route needs one.
    """
    async def guard(request: web.Request, code: str, *, scopes: Sequence[str], path: str,
                    tenant_required: bool = True) -> RequestContext:
        if request.headers.get("Authorization", "") != f"Bearer {token}":
            raise Unauthorized("AuthenticationUnsuccessful")
        if tenant_required and request.headers.get("xero-tenant-id", "").lower() != TENANT:
            raise Forbidden("AuthenticationUnsuccessful")
        return RequestContext(source_code=code, tenant_id=TENANT, client_id=client_id, app_name=app_name,
                              user_id=user_id, scopes=frozenset(scopes))
    return guard


def install_guard(monkeypatch: pytest.MonkeyPatch, guard: Guard) -> None:
    """Put ``guard`` in place of the app's identity check for the test."""
    monkeypatch.setattr("gateway.api.handler.authenticate_api_call", guard)


class JsonApi:
    """Calls ``/1000/api.xro/2.0…`` with test credentials; every answer is checked against Xero's spec."""

    def __init__(self, client: Any, spec: Any, token: str) -> None:
        self.client = client
        self.spec = spec
        self.headers = {"Authorization": f"Bearer {token}", "xero-tenant-id": TENANT, "Accept": "application/json"}

    async def call(self, method: str, path: str, *, headers: dict[str, str] | None = None,
                   **kwargs: Any) -> tuple[int, Any]:
        """``(status, parsed JSON body or None)`` after validating the response against the spec."""
        resp = await self.client.request(method, API + path, headers={**self.headers, **(headers or {})}, **kwargs)
        body = await resp.read()
        self.spec.validate_response(method, str(resp.url), resp.status, body, dict(resp.headers))
        return resp.status, (json.loads(body) if body and resp.content_type == "application/json" else None)


async def serve_json_api(aiohttp_client: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch, spec: Any, *,
                         token: str, app_name: str) -> JsonApi:
    """A :class:`JsonApi` on the real app serving the ledger in ``data_dir``, rate limits off, behind
    :func:`make_guard` (client ``test-client``)."""
    install_guard(monkeypatch, make_guard(token, client_id="test-client", app_name=app_name))
    config = data_dir / "test.toml"
    config.write_text("[rate_limits]\nenabled = false\n")
    client = await aiohttp_client(create_app(load_settings(config, data_dir=data_dir)))
    return JsonApi(client, spec, token)


@pytest.fixture
def fake_guard(monkeypatch) -> None:
    """Replace the identity guard: a fixed bearer token and the demo tenant are all it checks; the demo user calls."""
    install_guard(monkeypatch, make_guard(WORKFLOW_TOKEN, client_id="workflow-client", app_name=WORKFLOW_APP_NAME,
                                          user_id=demo.DEMO_USER_ID))


@pytest.fixture
async def http(aiohttp_client, ledger_dir: Path, fake_guard):  # noqa: F811
    """An aiohttp test client on the real app whose source 1000 is the native ledger on a copy of the demo."""
    app = create_app(settings_for(ledger_dir))
    return await aiohttp_client(app)


class Api(GatewayApi):
    """:class:`tests.api.conftest.Api` with the workflow credentials: ``call`` answers ``(response, body bytes)``,
    every answer validated against Xero's spec."""

    def __init__(self, client: Any, spec: Any) -> None:
        super().__init__(client, {"Authorization": f"Bearer {WORKFLOW_TOKEN}", "xero-tenant-id": TENANT,
                                  "Accept": "application/json"}, spec)


@pytest.fixture
def api(http, xero_spec) -> Api:  # noqa: F811
    return Api(http, xero_spec)
