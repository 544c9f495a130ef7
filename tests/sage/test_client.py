"""The transport (:mod:`adapters.sage_accounting.client` over :mod:`adapters.common.http`) and Sage's errors
(:mod:`adapters.sage_accounting.errors`), against aioresponses answering as Sage does."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import aiohttp
import pytest
from aiohttp import ClientResponse
from aioresponses import aioresponses as _aioresponses

from adapters.sage_accounting.client import SageClient
from adapters.sage_accounting.errors import SageError, SageUnavailable, parse_error, to_xero_error
from gateway.upstream.errors import reauthorization_required
from gateway.upstream.tokens import UpstreamCredentials
from gateway.xero.errors import Forbidden, NotFound, RateLimited, Unauthorized, ValidationException

BASE = "https://api.accounting.sage.com/v3.1"


class _CompatResponse(ClientResponse):
    """aioresponses 0.7.9 builds responses without aiohttp 3.14's ``stream_writer`` argument; supply a stand-in."""

    def __init__(self, method, url, **kwargs):
        kwargs.setdefault("stream_writer", SimpleNamespace(output_size=0))
        super().__init__(method, url, **kwargs)


class aioresponses(_aioresponses):  # noqa: N801 - the library's own name, wrapped
    def add(self, *args, **kwargs):
        kwargs.setdefault("response_class", _CompatResponse)
        return super().add(*args, **kwargs)
BUSINESS = "f" * 32


@dataclass
class FakeTokens:
    """The credentials provider, as :mod:`gateway.upstream.tokens` serves adapters: a token per generation."""

    generation: int = 1
    refreshes: list[str] = field(default_factory=list)
    gone: bool = False

    def _creds(self) -> UpstreamCredentials:
        return UpstreamCredentials(code="1009", tenant_id="t", tenant_key=BUSINESS,
                                   access_token=f"token-{self.generation}", token_type="Bearer", api_base=BASE,
                                   expires_at=datetime.now(UTC) + timedelta(seconds=300), authorization_id="a")

    async def credentials(self, code: str, tenant_id: str) -> UpstreamCredentials:
        if self.gone:
            raise reauthorization_required(code)
        return self._creds()

    async def refresh(self, code: str, tenant_id: str, *, failed_token: str) -> UpstreamCredentials:
        self.refreshes.append(failed_token)
        self.generation += 1
        return self._creds()


@pytest.fixture
async def client():
    tokens = FakeTokens()
    sage = SageClient(code="1009", credentials=tokens, attempts=3, backoff_max=0.01)
    await sage.start()
    yield sage
    await sage.close()


def url(path: str) -> re.Pattern:
    return re.compile(re.escape(BASE + path) + r"(\?.*)?$")


def sent_headers(mocked: aioresponses) -> list[dict[str, str]]:
    return [dict(call.kwargs["headers"]) for calls in mocked.requests.values() for call in calls]


async def test_every_call_names_the_business_and_the_token(client):
    with aioresponses() as mocked:
        mocked.get(url("/contacts"), payload={"$total": 1, "$page": 1, "$next": None, "$back": None,
                                              "$itemsPerPage": 20, "$items": [{"id": "c1"}]})
        page = await client.list_page(client.auth("t"), "/contacts", {"search": "Acme"}, page=1, items_per_page=20)
        assert (page.total, page.page, page.items_per_page, page.items) == (1, 1, 20, [{"id": "c1"}])
        (key, calls), = mocked.requests.items()
        assert key[1].query["search"] == "Acme" and key[1].query["items_per_page"] == "20"
        assert calls[0].kwargs["headers"]["X-Business"] == BUSINESS
        assert calls[0].kwargs["headers"]["Authorization"] == "Bearer token-1"


async def test_list_envelopes_in_every_spelling(client):
    with aioresponses() as mocked:
        mocked.get(url("/ledger_accounts"), payload={"$total": 3, "$page": 2, "$items_per_page": 2, "$next": None,
                                                     "$back": "/x", "$items": [{"id": "a"}]})
        mocked.get(url("/tax_rates"), payload=[{"id": "GB_STANDARD"}, {"id": "GB_ZERO"}])
        underscored = await client.list_page(client.auth("t"), "/ledger_accounts", page=2, items_per_page=2)
        bare = await client.list_page(client.auth("t"), "/tax_rates", page=1, items_per_page=200)
    assert (underscored.total, underscored.page, underscored.items_per_page) == (3, 2, 2)
    assert bare.total is None and [r["id"] for r in bare.items] == ["GB_STANDARD", "GB_ZERO"]


async def test_items_per_page_is_capped_at_200(client):
    with aioresponses() as mocked:
        mocked.get(url("/contacts"), payload={"$total": 0, "$page": 1, "$itemsPerPage": 200, "$items": []})
        await client.list_page(client.auth("t"), "/contacts", page=1, items_per_page=1000)
        (key, _), = mocked.requests.items()
    assert key[1].query["items_per_page"] == "200"


async def test_one_refresh_and_one_repeat_after_a_401(client):
    with aioresponses() as mocked:
        mocked.get(url("/financial_settings"), status=401, body="")
        mocked.get(url("/financial_settings"), payload={"year_end_date": "2025-12-31"})
        answer = await client.get(client.auth("t"), "/financial_settings")
        tokens = [h["Authorization"] for h in sent_headers(mocked)]
    assert answer == {"year_end_date": "2025-12-31"}
    assert client.tokens.refreshes == ["token-1"] and tokens == ["Bearer token-1", "Bearer token-2"]


async def test_a_second_401_means_reauthorization(client):
    with aioresponses() as mocked:
        mocked.get(url("/financial_settings"), status=401, body="", repeat=True)
        with pytest.raises(Unauthorized, match="AuthenticationUnsuccessful"):
            await client.get(client.auth("t"), "/financial_settings")
    assert len(client.tokens.refreshes) == 1


async def test_reads_are_retried_writes_are_not(client):
    with aioresponses() as mocked:
        mocked.get(url("/contacts/c1"), status=503, payload=[{"$severity": "error", "$dataCode": "Unavailable",
                                                               "$message": "busy"}])
        mocked.get(url("/contacts/c1"), exception=aiohttp.ServerDisconnectedError())
        mocked.get(url("/contacts/c1"), payload={"id": "c1"})
        assert await client.get(client.auth("t"), "/contacts/c1") == {"id": "c1"}
        mocked.post(url("/contacts"), exception=aiohttp.ServerDisconnectedError())
        with pytest.raises(SageUnavailable):
            await client.send(client.auth("t"), "POST", "/contacts", body={"contact": {"name": "x"}})
        mocked.post(url("/sales_invoices"), status=500, payload=[{"$severity": "error", "$dataCode": "Boom",
                                                                   "$message": "oops"}])
        with pytest.raises(SageError) as caught:
            await client.send(client.auth("t"), "POST", "/sales_invoices", body={"sales_invoice": {}})
        counts = {f"{m} {u.path}": len(c) for (m, u), c in mocked.requests.items()}
    assert counts == {"GET /v3.1/contacts/c1": 3, "POST /v3.1/contacts": 1, "POST /v3.1/sales_invoices": 1}
    assert isinstance(to_xero_error(caught.value), SageUnavailable)
    assert client.totals["GET /contacts/c1"] == 3


async def test_malformed_answers_are_retried_then_unavailable(client):
    with aioresponses() as mocked:
        mocked.get(url("/contacts"), status=200, body='{"$items": [', repeat=True)
        with pytest.raises(SageUnavailable):
            await client.get(client.auth("t"), "/contacts")
        assert sum(len(c) for c in mocked.requests.values()) == 3


async def test_rate_limit_becomes_xero_429(client):
    with aioresponses() as mocked:
        mocked.get(url("/contacts"), status=429, headers={"Retry-After": "17"}, body="[]")
        with pytest.raises(SageError) as caught:
            await client.get(client.auth("t"), "/contacts")
    error = to_xero_error(caught.value)
    assert isinstance(error, RateLimited) and error.status == 429
    assert error.headers == {"Retry-After": "17", "X-Rate-Limit-Problem": "minute"}
    assert to_xero_error(SageError(status=429)).headers["Retry-After"] == "60"


async def test_request_bodies_are_json_with_decimals(client):
    from decimal import Decimal

    with aioresponses() as mocked:
        mocked.post(url("/journals"), payload={"id": "j1"}, status=201)
        await client.send(client.auth("t"), "POST", "/journals", body={"journal": {"total": Decimal("12.50"),
                                                                        "lines": Decimal("3")}})
        (_, calls), = mocked.requests.items()
    assert json.loads(calls[0].kwargs["data"]) == {"journal": {"total": 12.5, "lines": 3}}
    assert calls[0].kwargs["headers"]["Content-Type"] == "application/json"


def test_sage_errors_keep_sages_message():
    body = json.dumps([{"$severity": "error", "$dataCode": "RecordInvalid", "$message": "is not a valid tax rate",
                        "$source": "invoice_lines.tax_rate_id"},
                       {"$severity": "error", "$dataCode": "RecordInvalid", "$message": "can't be blank",
                        "$source": "contact_id"}])
    error = to_xero_error(parse_error(422, body), element={"Type": "ACCREC"})
    assert isinstance(error, ValidationException) and error.status == 400
    assert error.body()["Elements"] == [{"Type": "ACCREC", "ValidationErrors": [
        {"Message": "is not a valid tax rate (invoice_lines.tax_rate_id)"},
        {"Message": "can't be blank (contact_id)"}]}]


def test_other_sage_errors():
    not_found = parse_error(404, json.dumps([{"$severity": "error", "$dataCode": "RecordNotFound",
                                               "$message": "Resource not found"}]))
    assert isinstance(to_xero_error(not_found, reading_one=True), NotFound)
    assert isinstance(to_xero_error(not_found), ValidationException)
    denied = parse_error(403, json.dumps([{"$dataCode": "MultiUserAccessDenied", "$message": "No access"}]))
    forbidden = to_xero_error(denied)
    assert isinstance(forbidden, Forbidden) and forbidden.message == "AuthorizationUnsuccessful: No access"
    subscription = parse_error(402, '[{"$dataCode": "AuthorizationFailure", "$message": "No active subscription."}]')
    assert isinstance(to_xero_error(subscription), Forbidden)
    garbage = parse_error(502, b"<html>bad gateway</html>")
    assert garbage.messages[0].message == "HTTP 502" and isinstance(to_xero_error(garbage), SageUnavailable)
    single = parse_error(422, '{"$dataCode": "RecordInvalid", "$message": "bad"}')
    assert single.text() == "bad"
