"""The gateway keeps rendered answers of native reads under the company's data version (gateway/api/answer_cache.py,
adapters/native/data_version.py, issue 10): a write committed through another adapter instance on the same ledger
file (another process, in effect) is seen by the very next read, whatever it changed (an invoice, a contact, a
payment, the chart); answers differ by query, Accept and app; errors are never kept; the rate limiter still counts
kept answers; ``[answer_cache] enabled = false`` turns the cache off."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from prometheus_client import REGISTRY

from adapters.native.adapter import NativeLedgerAdapter
from gateway.api.answer_cache import AnswerCache, KeptAnswer
from gateway.app import create_app
from gateway.appkeys import ANSWER_CACHE
from gateway.settings import load_settings
from gateway.xero.errors import Unauthorized
from gateway.xero.request import RequestContext

from ..conftest import API, install_guard
from .conftest import TENANT, TEST_START, TickClock, call, invoice_element, start_adapter

#: Bearer token → (client id, app name): two apps calling the same tenant.
APPS = {"token-a": ("client-a", "App A"), "token-b": ("client-b", "App B")}


async def _guard(request: web.Request, code: str, *, scopes: Sequence[str], path: str,
                 tenant_required: bool = True) -> RequestContext:
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if token not in APPS:
        raise Unauthorized("AuthenticationUnsuccessful")
    client_id, app_name = APPS[token]
    return RequestContext(source_code=code, tenant_id=TENANT, client_id=client_id, app_name=app_name, user_id=None,
                          scopes=frozenset(scopes))


async def _front(aiohttp_client: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch, config: str) -> Any:
    install_guard(monkeypatch, _guard)
    path = data_dir / "test.toml"
    path.write_text(config)
    return await aiohttp_client(create_app(load_settings(path, data_dir=data_dir)))


@pytest.fixture
async def front(aiohttp_client, ledger_dir: Path, monkeypatch) -> Any:
    """The real app on a copy of the demo ledger, answer cache on (the default), rate limits off."""
    return await _front(aiohttp_client, ledger_dir, monkeypatch, "[rate_limits]\nenabled = false\n")


@pytest.fixture
async def other(ledger_dir: Path) -> AsyncIterator[NativeLedgerAdapter]:
    """A second adapter (another process's, in effect) on the same ledger file as ``front``'s."""
    started = await start_adapter(ledger_dir, TickClock(TEST_START))
    yield started
    await started.shutdown()


async def get(client: Any, path: str, *, token: str = "token-a", accept: str = "application/json",
              **headers: str) -> tuple[int, bytes, str]:
    resp = await client.get(API + path, headers={"Authorization": f"Bearer {token}", "xero-tenant-id": TENANT,
                                                 "Accept": accept, **headers})
    return resp.status, await resp.read(), resp.headers.get("Content-Type", "")


#: The envelope's fields that every response writes afresh, kept answers included (gateway/api/answer_cache.py).
FRESH = ("Id", "DateTimeUTC")


def _kept_part(body: bytes) -> dict[str, Any]:
    """A JSON answer without the envelope fields each response writes afresh."""
    return {key: value for key, value in json.loads(body).items() if key not in FRESH}


def _hits_metric() -> float:
    return sum(sample.value for metric in REGISTRY.collect() if metric.name == "xero_gateway_answer_cache_hits"
               for sample in metric.samples if sample.name.endswith("_total"))


async def read(client: Any, path: str, **kwargs: Any) -> dict[str, Any]:
    """A JSON read twice: the second answer must be the kept one (a hit, counted by the metric), the same but for
    the envelope's new ``Id`` and ``DateTimeUTC``."""
    cache: AnswerCache = client.app[ANSWER_CACHE]
    status, first, _ = await get(client, path, **kwargs)
    assert status == 200, first
    hits, counted = cache.hits, _hits_metric()
    status, second, _ = await get(client, path, **kwargs)
    assert status == 200 and _kept_part(second) == _kept_part(first)
    assert json.loads(second)["Id"] != json.loads(first)["Id"]
    assert cache.hits == hits + 1 and _hits_metric() == counted + 1
    return json.loads(first)


async def test_writes_through_another_instance_are_seen_by_the_next_read(front, other) -> None:
    invoices = (await read(front, "/Invoices?page=1"))["Invoices"]
    invoice_id = invoices[0]["InvoiceID"]
    listed = f"/Invoices?page=1&IDs={invoice_id}"
    await read(front, f"/Invoices/{invoice_id}")
    await read(front, listed)
    await call(other, "updateInvoice", path={"InvoiceID": invoice_id}, elements=[{"Reference": "Cache probe 1"}])
    assert (await read(front, f"/Invoices/{invoice_id}"))["Invoices"][0]["Reference"] == "Cache probe 1"
    assert (await read(front, listed))["Invoices"][0]["Reference"] == "Cache probe 1"

    (contact,) = (await read(front, f"/Contacts/{invoices[0]['Contact']['ContactID']}"))["Contacts"]
    await call(other, "updateContact", path={"ContactID": contact["ContactID"]},
               elements=[{"ContactID": contact["ContactID"], "Name": "Renamed Through Another Process"}])
    (renamed,) = (await read(front, f"/Contacts/{contact['ContactID']}"))["Contacts"]
    assert renamed["Name"] == "Renamed Through Another Process"

    before = (await read(front, "/Payments"))["Payments"]
    (new,) = (await call(other, "createInvoices", elements=[invoice_element()])).items
    await call(other, "createPayment", elements=[{"Invoice": {"InvoiceID": new.InvoiceID}, "Account": {"Code": "090"},
                                                  "Date": "2026-03-12", "Amount": "100.00"}])
    after = (await read(front, "/Payments"))["Payments"]
    assert len(after) == len(before) + 1
    assert {p["Invoice"]["InvoiceID"] for p in after} - {p["Invoice"]["InvoiceID"] for p in before} == {
        new.InvoiceID}

    codes = {a["Code"] for a in (await read(front, "/Accounts"))["Accounts"]}
    assert "277" not in codes
    await call(other, "createAccount", elements=[{"Code": "277", "Name": "Web Sales", "Type": "SALES",
                                                  "TaxType": "OUTPUT2"}])
    assert "277" in {a["Code"] for a in (await read(front, "/Accounts"))["Accounts"]}


async def test_answers_differ_by_query_accept_and_app(front) -> None:
    full = await read(front, "/Invoices?page=1")
    summary = await read(front, "/Invoices?page=1&summaryOnly=true")
    assert "LineItems" in full["Invoices"][0] and "LineItems" not in summary["Invoices"][0]

    _, json_body, json_type = await get(front, "/Organisation")
    _, xml_body, xml_type = await get(front, "/Organisation", accept="application/xml")
    assert json_type.startswith("application/json") and xml_type.startswith("text/xml")
    assert xml_body.lstrip().startswith(b"<") and json.loads(json_body)["Organisations"]

    assert (await read(front, "/Organisation"))["ProviderName"] == "App A"
    assert (await read(front, "/Organisation", token="token-b"))["ProviderName"] == "App B"

    status, _, _ = await get(front, "/Invoices?page=1", **{"If-Modified-Since": "2999-01-01T00:00:00"})
    assert status == 200
    assert (await read(front, "/Invoices?page=1", **{"If-Modified-Since": "2999-01-01T00:00:00"}))["Invoices"] == []


async def test_concurrent_misses_of_one_answer_cost_one_computation(front, monkeypatch) -> None:
    computed = []
    original = NativeLedgerAdapter.get_organisations

    async def counted(self, ctx, req):
        computed.append(req.operation_id)
        return await original(self, ctx, req)

    monkeypatch.setattr(NativeLedgerAdapter, "get_organisations", counted)
    answers = await asyncio.gather(*(get(front, "/Organisation") for _ in range(5)))
    assert {status for status, _, _ in answers} == {200}
    assert all(_kept_part(body) == _kept_part(answers[0][1]) for _, body, _ in answers)
    assert computed == ["getOrganisations"]


async def test_errors_are_never_kept(front) -> None:
    cache: AnswerCache = front.app[ANSWER_CACHE]
    missing = "00000000-0000-0000-0000-000000000001"
    for _ in range(2):
        status, _, _ = await get(front, f"/Invoices/{missing}")
        assert status == 404
    assert cache.size == 0 and cache.hits == 0


async def test_the_rate_limiter_counts_kept_answers(aiohttp_client, ledger_dir, monkeypatch) -> None:
    client = await _front(aiohttp_client, ledger_dir, monkeypatch, "[rate_limits]\ntenant_per_minute = 2\n")
    assert [(await get(client, "/Organisation"))[0] for _ in range(3)] == [200, 200, 429]
    assert client.app[ANSWER_CACHE].hits == 1


async def test_the_cache_can_be_turned_off(aiohttp_client, ledger_dir, monkeypatch) -> None:
    client = await _front(aiohttp_client, ledger_dir, monkeypatch,
                          "[rate_limits]\nenabled = false\n[answer_cache]\nenabled = false\n")
    assert ANSWER_CACHE not in client.app
    assert (await get(client, "/Organisation"))[0] == 200


def test_the_cache_is_bounded_in_bytes() -> None:
    cache = AnswerCache(max_bytes=10_000)
    for n in range(20):
        cache.put(("key", n), web.Response(body=b"x" * 3000))
    assert cache.size <= 10_000
    assert cache.get(("key", 19)) is not None and cache.get(("key", 0)) is None
    cache.put(("big",), web.Response(body=b"x" * 20_000))
    assert cache.get(("big",)) is None
    cache.put(("error",), web.Response(status=400, body=b"{}"))
    assert cache.get(("error",)) is None
    kept = KeptAnswer(status=200, headers=(("Content-Type", "text/xml; charset=utf-8"),), body=b"<a/>")
    assert kept.response().headers["Content-Type"] == "text/xml; charset=utf-8"
