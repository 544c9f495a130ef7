"""Fixtures of the native-ledger catalogue tests.

Direct adapter tests reuse the native ledger's fixtures (a private copy of the seeded demo ledger per test,
fixed ticking clocks). HTTP tests drive the real app (``gateway.app.create_app``) on such a copy, with the identity
guard replaced by a fake that accepts one bearer token and the demo tenant, and rate limits off; every answer is
validated against Xero's spec.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from gateway.app import create_app
from gateway.settings import load_settings
from gateway.xero.errors import Forbidden, Unauthorized
from gateway.xero.query import parse_order, parse_where
from gateway.xero.request import ListQuery, RequestContext, Result
from tests.front import xero_request
from tests.native.conftest import (  # noqa: F401  (fixtures re-registered for this package)
    TENANT,
    adapter,
    ctx,
    invoice_element,
    ledger_dir,
    seeded_dir,
)
from tests.xero_spec import xero_spec  # noqa: F401  (the session fixture)

API = "/1000/api.xro/2.0"
TOKEN = "catalogue-test-token"


async def call(ledger: Any, operation_id: str, *, elements: list[dict[str, Any]] | None = None,
               path: dict[str, str] | None = None, params: dict[str, str] | None = None,
               **query: Any) -> Result:
    """Call an operation by its ``operationId``: ``ListQuery`` fields as keyword arguments (``where``/``order``
    as text), raw query parameters in ``params`` (``offset``, ``paymentsOnly``)."""
    method = ledger.operation(operation_id)
    assert method is not None, f"{operation_id} is not implemented"
    if isinstance(query.get("where"), str):
        query["where_text"] = query["where"]
        query["where"] = parse_where(query["where"])
    if isinstance(query.get("order"), str):
        query["order"] = parse_order(query["order"])
    req = xero_request(operation_id, method="GET" if operation_id.startswith("get") else "POST",
                       path_params=dict(path or {}), query=ListQuery(**query), params=params,
                       elements=list(elements or []))
    result = await method(ctx(), req)
    assert isinstance(result, Result)
    return result


async def all_journals(ledger: Any, **params: str) -> list[Any]:
    """Every journal of the feed, walked with ``offset`` (bounded)."""
    out: list[Any] = []
    offset = 0
    for _ in range(200):  # the demo ledger has far fewer than 20,000 journals
        page = (await call(ledger, "getJournals", params={"offset": str(offset), **params})).items
        out.extend(page)
        if len(page) < 100:
            return out
        offset = page[-1].JournalNumber
    raise AssertionError("the journal feed did not end")


@pytest.fixture
async def http(aiohttp_client, ledger_dir: Path, monkeypatch, xero_spec):  # noqa: F811
    """An :class:`Api` on the real app serving a private copy of the demo ledger."""
    async def fake_guard(request: web.Request, code: str, *, scopes: Sequence[str], path: str,
                         tenant_required: bool = True) -> RequestContext:
        if request.headers.get("Authorization", "") != f"Bearer {TOKEN}":
            raise Unauthorized("AuthenticationUnsuccessful")
        if tenant_required and request.headers.get("xero-tenant-id", "").lower() != TENANT:
            raise Forbidden("AuthenticationUnsuccessful")
        return RequestContext(source_code=code, tenant_id=TENANT, client_id="test-client", app_name="Catalogue Tests",
                              user_id=None, scopes=frozenset(scopes))

    monkeypatch.setattr("gateway.api.handler.authenticate_api_call", fake_guard)
    config = ledger_dir / "test.toml"
    config.write_text("[rate_limits]\nenabled = false\n")
    app = create_app(load_settings(config, data_dir=ledger_dir))
    client = await aiohttp_client(app)
    return Api(client, xero_spec)


class Api:
    """Calls ``/1000/api.xro/2.0…`` with test credentials; every answer is checked against Xero's spec."""

    def __init__(self, client: Any, spec: Any) -> None:
        self.client = client
        self.spec = spec
        self.headers = {"Authorization": f"Bearer {TOKEN}", "xero-tenant-id": TENANT, "Accept": "application/json"}

    async def call(self, method: str, path: str, *, headers: dict[str, str] | None = None,
                   **kwargs: Any) -> tuple[int, Any]:
        """``(status, parsed JSON body or None)`` after validating the response against the spec."""
        resp = await self.client.request(method, API + path, headers={**self.headers, **(headers or {})}, **kwargs)
        body = await resp.read()
        self.spec.validate_response(method, str(resp.url), resp.status, body, dict(resp.headers))
        return resp.status, (json.loads(body) if body and resp.content_type == "application/json" else None)
