"""Fixtures of the native-ledger catalogue tests.

Direct adapter tests reuse the native ledger's fixtures (a private copy of the seeded demo ledger per test,
fixed ticking clocks). HTTP tests drive the real app (``gateway.app.create_app``) on such a copy, with the identity
guard replaced by a fake that accepts one bearer token and the demo tenant, and rate limits off; every answer is
validated against Xero's spec.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gateway.xero.query import parse_order, parse_where
from gateway.xero.request import ListQuery, Result
from tests.adapters.native.conftest import serve_json_api
from tests.adapters.native.core.conftest import (  # noqa: F401  (names the tests import from here)
    TENANT,
    ctx,
    invoice_element,
)
from tests.front import xero_request

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
    """A :class:`~tests.adapters.native.conftest.JsonApi` on the real app serving a private copy of the demo
    ledger."""
    return await serve_json_api(aiohttp_client, ledger_dir, monkeypatch, xero_spec, token=TOKEN,
                                app_name="Catalogue Tests")
