"""Calling the partner API with every response checked against its OpenAPI document
(``adapters/native/partner/web/openapi.json``, as served at ``/ledger/api/openapi.json``), with openapi-core as
:mod:`tests.xero_spec` uses it for Xero's spec.

Every documented status is validated strictly (schema, required fields, no extra fields); an undocumented status
fails too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from aiohttp.test_utils import TestClient
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

from adapters.native.partner.web import openapi_document

HOST = "http://127.0.0.1"
BASE = "/ledger/api/v1"


@cache
def partner_openapi() -> OpenAPI:
    return OpenAPI.from_dict(openapi_document())


def validate(method: str, path_qs: str, status: int, body: bytes, content_type: str = "application/json") -> None:
    """Raise ``AssertionError`` unless the response conforms to the operation of ``method path`` (query ignored)."""
    path, _, query = path_qs.partition("?")
    request = MockRequest(HOST, method.lower(), path, args=dict(p.split("=", 1) for p in query.split("&") if "=" in p))
    response = MockResponse(body, status_code=status, content_type=content_type)
    errors = list(partner_openapi().iter_response_errors(request, response))
    if errors:
        details = []
        for error in errors:
            details.append(f"- {type(error).__name__}: {error}")
            for inner in getattr(error.__cause__, "schema_errors", None) or ():
                details.append(f"    at {'/'.join(map(str, inner.absolute_path)) or '(root)'}: {inner.message}")
        raise AssertionError(f"{method} {path} -> {status} does not match the partner API's OpenAPI document:\n"
                             + "\n".join(details) + f"\nbody: {body[:1500]!r}")


@dataclass
class Answer:
    status: int
    body: Any
    headers: Any


@dataclass
class PartnerCaller:
    """A partner API client over ``client`` with bearer ``token``; every answer validated by :func:`validate`."""

    client: TestClient
    token: str

    async def call(self, method: str, path: str, *, json_body: Any = None, key: str | None = None,
                   token: str | None = None) -> Answer:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        resp = await self.client.request(method, BASE + path, json=json_body, headers=headers)
        raw = await resp.read()
        validate(method, BASE + path, resp.status, raw, resp.content_type)
        return Answer(resp.status, json.loads(raw), resp.headers)

    async def get(self, path: str, **kw: Any) -> Answer:
        return await self.call("GET", path, **kw)

    async def post(self, path: str, body: Any, *, key: str | None, **kw: Any) -> Answer:
        return await self.call("POST", path, json_body=body, key=key, **kw)
