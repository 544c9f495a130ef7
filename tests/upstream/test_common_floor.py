"""The shared floor of the upstream adapters (``adapters/common``) on its own: credentials held for one call,
Xero page windows over streams, the batch runner's summarizeErrors rules, the GUID map and the write ledger."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import MetaData

from adapters.base import Tenant, UpstreamCredentials
from adapters.common.batch import run_batch
from adapters.common.http import FixedAuth, TenantAuth, UpstreamClient
from adapters.common.ids import IdColumns, StableIds, ids_table, stable_guid
from adapters.common.ledger import DONE, PENDING, Fingerprint, WriteLedger, ledger_table, matches, scope_of
from adapters.common.listing import window
from gateway.store.db import Database
from gateway.xero.errors import Unauthorized, ValidationException, XeroApiError
from gateway.xero.models import Contact


@dataclass
class Provider:
    token: str = "t1"
    reads: int = 0
    refreshed: list[str] = field(default_factory=list)

    def _creds(self, code: str, tenant_id: str) -> UpstreamCredentials:
        return UpstreamCredentials(code=code, tenant_id=tenant_id, tenant_key="k", access_token=self.token,
                                   token_type="bearer", api_base="https://x.test",
                                   expires_at=datetime.now(UTC) + timedelta(hours=1), authorization_id="a")

    async def credentials(self, code: str, tenant_id: str) -> UpstreamCredentials:
        self.reads += 1
        await asyncio.sleep(0)
        return self._creds(code, tenant_id)

    async def refresh(self, code: str, tenant_id: str, *, failed_token: str) -> UpstreamCredentials:
        self.refreshed.append(failed_token)
        await asyncio.sleep(0)
        self.token = f"t{len(self.refreshed) + 1}"
        return self._creds(code, tenant_id)

    async def tenants(self, code: str) -> list[Tenant]:
        return []


async def test_a_call_reads_its_credentials_once_and_renews_a_refused_token_once():
    provider = Provider()
    auth = TenantAuth(provider, "1004", "tenant")
    first = await asyncio.gather(*(auth.current() for _ in range(5)))
    assert provider.reads == 1 and {c.access_token for c in first} == {"t1"}
    renewed = await asyncio.gather(*(auth.renewed(first[0]) for _ in range(3)))  # three requests saw the 401
    assert provider.refreshed == ["t1"] and {c.access_token for c in renewed} == {"t2"}
    assert (await auth.current()).access_token == "t2" and auth.reads == 2


async def test_a_fixed_consent_token_is_never_renewed():
    creds = Provider()._creds("1004", "")
    with pytest.raises(Unauthorized):
        await FixedAuth(creds, "QuickBooks Online").renewed(creds)


def test_a_xero_page_window_over_streams_read_one_after_the_other():
    assert window(1, 10, [4, 20]) == [(0, 0, 4), (1, 0, 6)]
    assert window(2, 10, [4, 20]) == [(1, 6, 10)]
    assert window(4, 10, [4, 20]) == []
    assert window(1, 5, [0, 0, 3]) == [(2, 0, 3)]


def _contact(name: str) -> Contact:
    return Contact(Name=name)


async def test_the_batch_runner_prepares_everything_before_writing():
    written, undone = [], []

    async def prepare(index, element):
        if element.get("bad"):
            raise ValidationException.single("bad element", element)

        async def perform():
            if element.get("refused"):
                raise ValidationException.single("refused upstream", element)
            written.append(element["Name"])
            return _contact(element["Name"])
        return perform

    async def compensate():
        undone.extend(reversed(written))

    elements = [{"Name": "A"}, {"Name": "B", "bad": True}, {"Name": "C"}]
    with pytest.raises(ValidationException):
        await run_batch(elements, prepare, summarize_errors=True, compensate=compensate,
                        on_failure=lambda i, e, m: m, on_success=lambda m: m)
    assert written == [] and undone == []  # nothing written: B failed before any write

    out = await run_batch(elements, prepare, summarize_errors=False, compensate=compensate,
                          on_failure=lambda i, e, m: ("failed", i, m), on_success=lambda m: m.Name)
    assert out == ["A", ("failed", 1, ["bad element"]), "C"] and written == ["A", "C"]

    written.clear()
    refused = [{"Name": "A"}, {"Name": "B", "refused": True}]
    with pytest.raises(ValidationException):
        await run_batch(refused, prepare, summarize_errors=True, compensate=compensate,
                        on_failure=lambda i, e, m: m, on_success=lambda m: m)
    assert undone == ["A"]  # the upstream refused B: A was compensated


async def test_an_unknown_outcome_is_compensated_only_when_asked():
    undone = []

    async def prepare(index, element):
        async def perform():
            if index == 1:
                raise XeroApiError("upstream timed out")
            return _contact("A")
        return perform

    async def compensate():
        undone.append(True)

    for compensate_unknown, expected in ((False, []), (True, [True])):
        with pytest.raises(XeroApiError):
            await run_batch([{}, {}], prepare, summarize_errors=True, compensate=compensate,
                            on_failure=lambda i, e, m: m, on_success=lambda m: m,
                            compensate_unknown=compensate_unknown)
        assert undone == expected


@pytest.fixture
async def db(tmp_path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}")
    yield database
    await database.dispose()


async def test_a_guid_map_on_the_adapters_own_table_with_its_own_column_names(db):
    columns = IdColumns(tenant="business_id", kind="resource", upstream_id="sage_id")
    table = ids_table(MetaData(), "demo_ids", columns, guid_index=("tenant", "guid"))
    namespace = uuid.UUID("00000000-0000-5000-8000-000000000001")
    ids = StableIds(db, table=table, columns=columns, namespace=namespace)
    await ids.ensure_table()
    guid = ids.guid("b1", "contacts", "c9")
    assert guid == stable_guid(namespace, "b1", "contacts", "c9") != ids.guid("b1", "contacts", "c9", "line:1")
    assert await ids.record("b1", [(guid, "contacts", "c9", "")]) == 1
    assert await ids.record("b1", [(guid, "contacts", "c9", "")]) == 0
    other = StableIds(db, table=table, columns=columns, namespace=namespace)
    assert await other.resolve("b1", guid.upper()) == (("contacts", "c9", ""),)
    assert await other.resolve("b2", guid) == () and await other.resolve("b1", "nope") == ()


async def test_the_write_ledger_keeps_a_keyed_write_until_it_is_done_or_forgotten(db):
    now = [1000.0]
    table = ledger_table(MetaData(), "demo_writes", tenant_column="business_id", id_column="sage_id")
    ledger = WriteLedger(db, table=table, tenant_column="business_id", id_column="sage_id", clock=lambda: now[0])
    await ledger.ensure_table()
    scope = scope_of(code="1009", client_id="app", tenant_id="t", key="k", operation_id="createInvoices",
                     label="invoice:0")
    assert len(scope) == 64 and await ledger.get(scope) is None
    await ledger.pending(scope, tenant_key="b1", resource="sales_invoices")
    now[0] = 1005.0
    await ledger.pending(scope, tenant_key="b1", resource="sales_invoices")  # a retry keeps the first start
    state = await ledger.get(scope)
    assert state.state == PENDING and state.started_at == 1000.0 and state.upstream_id is None
    await ledger.done(scope, "s1")
    state = await ledger.get(scope)
    assert state.state == DONE and state.upstream_id == "s1"
    await ledger.forget(scope)
    assert await ledger.get(scope) is None


def test_a_lost_write_is_matched_on_its_fingerprint():
    fingerprint = Fingerprint({"contact_id": "contact.id", "total": "total"},
                              lines=("lines", "lines", {"amount": "amount"}))
    sent = {"contact_id": "c1", "total": Decimal("10.50"), "lines": [{"amount": Decimal("10.5")}]}
    stored = {"contact": {"id": "c1"}, "total": "10.5", "lines": [{"amount": 10.5}]}
    assert matches(sent, stored, fingerprint)
    assert not matches({**sent, "contact_id": "c2"}, stored, fingerprint)
    assert not matches(sent, {**stored, "lines": []}, fingerprint)


class CountingDecoder(UpstreamClient):
    """The template over a loopback server: ``api_base`` is the server's URL; decodes are counted."""

    decodes = 0

    def url(self, creds: UpstreamCredentials, path: str) -> str:
        return f"{self.base}{path}"

    def decode(self, body: bytes):
        self.decodes += 1
        return super().decode(body)


async def test_an_idempotent_answer_is_checked_and_decoded_in_one_parse():
    """Issue 10: the transport's check of a 2xx body (retried when unreadable) is the decode the caller gets."""
    async def page(_request: web.Request) -> web.Response:
        return web.Response(body=b'{"QueryResponse": {"Invoice": [{"Id": "1", "TotalAmt": 12.5}]}}',
                            content_type="application/json")

    app = web.Application()
    app.router.add_get("/query", page)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    client = CountingDecoder(code="1004", system="Demo", credentials=Provider(), user_agent="test")
    client.base = str(server.make_url("")).rstrip("/")
    try:
        answer = await client.request(FixedAuth(Provider()._creds("1004", "t"), "Demo"), "GET", "/query",
                                      idempotent=True)
    finally:
        await client.close()
        await server.close()
    assert answer == {"QueryResponse": {"Invoice": [{"Id": "1", "TotalAmt": Decimal("12.5")}]}}
    assert client.decodes == 1


async def test_upstream_requests_reuse_one_kept_alive_connection():
    """Issue 10: the adapter's one session keeps its connection to the upstream open between requests (and calls)."""
    peers: list[tuple[str, int]] = []

    async def page(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername")[:2])
        return web.json_response({"QueryResponse": {}})

    app = web.Application()
    app.router.add_get("/query", page)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    client = CountingDecoder(code="1004", system="Demo", credentials=Provider(), user_agent="test")
    client.base = str(server.make_url("")).rstrip("/")
    try:
        for _ in range(3):  # three Xero calls, each with its own credentials holder
            await client.request(FixedAuth(Provider()._creds("1004", "t"), "Demo"), "GET", "/query", idempotent=True)
    finally:
        await client.close()
        await server.close()
    assert len(peers) == 3 and len(set(peers)) == 1


def test_an_upstream_number_decoded_as_decimal_is_not_parsed_again():
    """Issue 10: money decoded as ``Decimal`` (decode_json) is taken as is; other spellings are still read."""
    from adapters.common.values import number

    amount = Decimal("362.07")
    assert number(amount) is amount
    assert number(12) == Decimal(12) and number("1.50") == Decimal("1.50") and number(True) is None
    assert number("") is None and number("x") is None and number(None) is None
