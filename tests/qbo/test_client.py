"""The transport alone (``adapters.qbo.client.QboClient``), its upstream mocked with aioresponses: URL, headers and
``minorversion``; one refresh after a 401; bounded retries of idempotent calls only; 429 never retried; queries
batched; the per-call tally."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import aiohttp
import pytest
from aiohttp import ClientResponse
from aioresponses import CallbackResult
from aioresponses import aioresponses as _aioresponses

from adapters.base import UpstreamCredentials
from adapters.qbo.client import QboClient
from adapters.qbo.errors import QboFault, QboUnavailable
from emulators.qbo import faults as emulator_faults
from gateway.xero.errors import Unauthorized


class _CompatResponse(ClientResponse):
    """aioresponses 0.7.9 builds responses without aiohttp 3.14's ``stream_writer`` argument: supply a stand-in."""

    def __init__(self, method, url, **kwargs):
        kwargs.setdefault("stream_writer", SimpleNamespace(output_size=0))
        super().__init__(method, url, **kwargs)


class aioresponses(_aioresponses):  # noqa: N801 - the library's own name, wrapped
    def add(self, *args, **kwargs):
        kwargs.setdefault("response_class", _CompatResponse)
        return super().add(*args, **kwargs)


def result(**kwargs) -> CallbackResult:
    return CallbackResult(response_class=_CompatResponse, **kwargs)


BASE = "https://qbo.test"
REALM = "4620816365"
COMPANY = f"{BASE}/v3/company/{REALM}"


@dataclass
class FakeTokens:
    """The credentials provider contract (:class:`adapters.base.CredentialsProvider`): credentials, and refresh after
    the source rejected a token."""

    token: str = "at-1"
    refreshed: list[str] = field(default_factory=list)

    async def credentials(self, code: str, tenant_id: str) -> UpstreamCredentials:
        return UpstreamCredentials(code=code, tenant_id=tenant_id, tenant_key=REALM, access_token=self.token,
                                   token_type="bearer", api_base=BASE,
                                   expires_at=datetime.now(UTC) + timedelta(hours=1), authorization_id="a")

    async def refresh(self, code: str, tenant_id: str, *, failed_token: str) -> UpstreamCredentials:
        self.refreshed.append(failed_token)
        self.token = f"at-{len(self.refreshed) + 1}"
        return await self.credentials(code, tenant_id)


@pytest.fixture
async def client():
    tokens = FakeTokens()
    qbo = QboClient(code="1004", tokens=tokens, backoff_max=0, attempts=3)
    await qbo.start()
    yield qbo
    await qbo.close()


def url(path: str) -> re.Pattern:
    return re.compile(re.escape(f"{COMPANY}{path}") + r"(\?.*)?$")


async def test_get_sends_token_accept_and_minorversion(client):
    seen = {}

    def answer(request_url, **kwargs):
        seen["url"] = str(request_url)
        seen["headers"] = kwargs["headers"]
        return result(status=200, payload={"Invoice": {"Id": "1", "TotalAmt": 12.5}})

    with aioresponses() as mocked, client.tally("getInvoice") as tally:
        mocked.get(url("/invoice/1"), callback=answer)
        body = await client.get(client.auth("tenant"), "/invoice/1")
    assert str(body["Invoice"]["TotalAmt"]) == "12.5"
    assert "minorversion=75" in seen["url"] and seen["headers"]["Authorization"] == "Bearer at-1"
    assert tally.calls == 1 and tally.by_path == {"GET /invoice/1": 1}


async def test_one_refresh_after_a_401_then_the_call_is_repeated(client):
    expired = emulator_faults.token_expired_body("at-1", 0)
    with aioresponses() as mocked:
        mocked.get(url("/invoice/1"), status=401, payload=expired)
        mocked.get(url("/invoice/1"), status=200, payload={"Invoice": {"Id": "1"}})
        await client.get(client.auth("tenant"), "/invoice/1")
    assert client.tokens.refreshed == ["at-1"]
    with aioresponses() as mocked:
        mocked.get(url("/invoice/2"), status=401, payload=expired)
        mocked.get(url("/invoice/2"), status=401, payload=expired)
        with pytest.raises(Unauthorized):
            await client.get(client.auth("tenant"), "/invoice/2")
    assert len(client.tokens.refreshed) == 2  # once per call, never a loop


async def test_idempotent_calls_retry_5xx_and_transport_errors_boundedly(client):
    with aioresponses() as mocked, client.tally("x") as tally:
        mocked.get(url("/query"), status=503, body=emulator_faults.server_error_xml("t", 503))
        mocked.get(url("/query"), exception=aiohttp.ServerDisconnectedError())
        mocked.get(url("/query"), status=200, payload={"QueryResponse": {"Invoice": [{"Id": "1"}]}})
        answer = await client.query(client.auth("tenant"), "SELECT * FROM Invoice")
    assert answer == {"Invoice": [{"Id": "1"}]} and tally.calls == 3
    with aioresponses() as mocked, client.tally("x") as tally:
        for _ in range(5):
            mocked.get(url("/query"), exception=TimeoutError())
        with pytest.raises(QboUnavailable):
            await client.query(client.auth("tenant"), "SELECT * FROM Invoice")
    assert tally.calls == 3
    with aioresponses() as mocked, client.tally("x") as tally:
        mocked.get(url("/query"), status=200, body=b'{"QueryResponse": {"Inv')  # truncated: retried
        mocked.get(url("/query"), status=200, payload={"QueryResponse": {}})
        assert await client.query(client.auth("tenant"), "SELECT * FROM Invoice") == {}
    assert tally.calls == 2


async def test_writes_retry_only_with_a_requestid(client):
    with aioresponses() as mocked, client.tally("x") as tally:
        mocked.post(url("/customer"), status=500, body=emulator_faults.server_error_xml("t", 500))
        with pytest.raises(QboFault) as failed:
            await client.post(client.auth("tenant"), "/customer", {"DisplayName": "A"}, request_id=None)
    assert failed.value.status == 500 and tally.calls == 1
    sent = []

    def answer(request_url, **kwargs):
        sent.append(str(request_url))
        return result(status=200, payload={"Customer": {"Id": "9"}})

    with aioresponses() as mocked, client.tally("x") as tally:
        mocked.post(url("/customer"), status=500, body=emulator_faults.server_error_xml("t", 500))
        mocked.post(url("/customer"), callback=answer)
        answer_body = await client.post(client.auth("tenant"), "/customer", {"DisplayName": "A"}, request_id="rid-1")
    assert answer_body == {"Customer": {"Id": "9"}} and tally.calls == 2 and "requestid=rid-1" in sent[0]


async def test_a_429_is_never_retried(client):
    with aioresponses() as mocked, client.tally("x") as tally:
        mocked.get(url("/query"), status=429, body=emulator_faults.throttle_xml("t"), headers={"Retry-After": "7"})
        with pytest.raises(QboFault) as throttled:
            await client.query(client.auth("tenant"), "SELECT * FROM Invoice")
    assert throttled.value.status == 429 and throttled.value.retry_after == 7 and tally.calls == 1


async def test_several_queries_go_in_one_batch_and_long_ones_by_post(client):
    texts = [f"SELECT * FROM Account STARTPOSITION {i} MAXRESULTS 1" for i in range(1, 33)]  # noqa: S608
    bodies = []

    def batch(request_url, **kwargs):
        import json

        items = json.loads(kwargs["data"])["BatchItemRequest"]
        bodies.append(items)
        return result(status=200, payload={"BatchItemResponse": [
            {"bId": item["bId"], "QueryResponse": {"Account": [{"Id": item["bId"]}]}} for item in items]})

    with aioresponses() as mocked, client.tally("x") as tally:
        mocked.post(url("/batch"), callback=batch, repeat=True)
        answers = await client.queries(client.auth("tenant"), texts)
    assert [len(b) for b in bodies] == [30, 2] and tally.calls == 2
    assert [a["Account"][0]["Id"] for a in answers] == [f"q{i}" for i in range(32)]
    with aioresponses() as mocked:
        mocked.post(url("/batch"), payload={"BatchItemResponse": [
            {"bId": "q0", "QueryResponse": {}},
            {"bId": "q1", "Fault": {"Error": [{"Message": "Error parsing query", "code": "4000"}],
                                    "type": "ValidationFault"}}]})
        with pytest.raises(QboFault) as bad:
            await client.queries(client.auth("tenant"), texts[:2])
    assert bad.value.codes == {"4000"}
    long_query = "SELECT * FROM Invoice WHERE Id IN (" + ", ".join(f"'{i}'" for i in range(400)) + ")"  # noqa: S608
    with aioresponses() as mocked:
        mocked.post(url("/query"), payload={"QueryResponse": {"Invoice": []}})
        assert await client.query(client.auth("tenant"), long_query) == {"Invoice": []}
