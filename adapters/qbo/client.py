"""Transport to the QBO Accounting API: one shared aiohttp session, credentials, retries, one refresh after a 401.

Every upstream HTTP call of the adapter goes through :class:`QboClient`:

- URL ``{api_base}/v3/company/{realmId}{path}`` with ``minorversion=75`` on every call (upstream-contracts.md §1
  "Transport": versions 1–74 are no longer served; 75 is the latest documented), ``Accept: application/json``,
  ``Authorization: Bearer`` with the token from ``self.upstream_tokens.credentials(code, tenant_id)`` (the adapter
  contract of :mod:`adapters.base`; the client never stores a token).
- A 401 is answered once by ``upstream_tokens.refresh(..., failed_token=…)`` and the call is repeated once; a second
  401 means the authorization is gone (:func:`gateway.upstream.errors.reauthorization_required`, 401).
- Timeouts, connection errors, 5xx answers and truncated bodies are retried with bounded exponential backoff
  (tenacity: ``attempts`` tries, waits capped at ``backoff_max`` seconds) **only when the call is idempotent**: reads,
  queries, reports, batches made of queries, and writes that carry a ``requestid`` (QBO replays the first answer to a
  repeated ``requestid``, §1 "Idempotency"). The adapter gives every write a ``requestid``.
- At most ``concurrency`` calls per realm are in flight from this process (QBO allows 10 concurrent requests per
  realm and app, §1 "Throttling"); a 429 is never retried here: it reaches the client as Xero's 429 with
  ``Retry-After`` (:mod:`adapters.qbo.errors`).
- Error answers raise :class:`adapters.qbo.errors.QboFault` (any of QBO's three envelopes); exhausted transport
  retries raise :class:`adapters.qbo.errors.QboUnavailable` (503).
- ``intuit_tid`` (QBO's trace id header) is logged with every failed call.

Counting: :meth:`QboClient.tally` opens a per-Xero-call :class:`CallTally` (a context variable); every HTTP request
made inside it (retries and the post-refresh repeat included) is counted there and in :attr:`QboClient.totals`.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import aiohttp
import structlog
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

from gateway.upstream.errors import reauthorization_required
from gateway.upstream.http import UpstreamHttp

from .errors import QboFault, QboUnavailable, parse_fault

if TYPE_CHECKING:
    from gateway.upstream.tokens import UpstreamCredentials, UpstreamTokens

log = structlog.get_logger("adapters.qbo")

#: ``minorversion`` sent on every call (upstream-contracts.md §1 "Transport").
MINOR_VERSION = "75"
#: Seconds one HTTP exchange may take.
DEFAULT_TIMEOUT = 30.0
#: Tries of an idempotent call (the first included).
DEFAULT_ATTEMPTS = 3
#: Upper bound of one backoff wait (seconds).
DEFAULT_BACKOFF_MAX = 2.0
#: Concurrent calls per realm from one process (QBO: 10 per realm and app).
DEFAULT_CONCURRENCY = 10
#: Queries longer than this go as ``POST /query`` (``Content-Type: application/text``, §1 "Query").
MAX_GET_QUERY = 1500
#: Items in one ``POST /batch`` (§1 "CDC, batch, reports": at most 30).
MAX_BATCH_ITEMS = 30


class _Transient(Exception):
    """A failure worth retrying for an idempotent call (timeout, connection error, 5xx, truncated body)."""

    def __init__(self, reason: str, fault: QboFault | None = None) -> None:
        super().__init__(reason)
        self.fault = fault


@dataclass(frozen=True)
class _Answer:
    status: int
    body: bytes
    headers: dict[str, str]


class QboClient(UpstreamHttp):
    """The adapter's HTTP client (one per adapter instance, hence per process).

    Args:
        code: the gateway source code (``"1004"``).
        tokens: the upstream credentials provider (``adapter.upstream_tokens``).
        timeout: seconds per HTTP exchange.
        attempts: tries of an idempotent call.
        backoff_max: cap of one backoff wait, seconds.
        concurrency: calls in flight per realm.
        minor_version: QBO ``minorversion``.
    """

    def __init__(self, *, code: str, tokens: UpstreamTokens, timeout: float = DEFAULT_TIMEOUT,
                 attempts: int = DEFAULT_ATTEMPTS, backoff_max: float = DEFAULT_BACKOFF_MAX,
                 concurrency: int = DEFAULT_CONCURRENCY, minor_version: str = MINOR_VERSION) -> None:
        super().__init__(user_agent="xero-gateway-qbo", timeout=timeout)
        self.code = code
        self.tokens = tokens
        self.attempts = max(1, attempts)
        self.backoff_max = backoff_max
        self.concurrency = concurrency
        self.minor_version = minor_version
        self._gates: dict[str, asyncio.Semaphore] = {}

    # Calls --------------------------------------------------------------------------------------------------

    async def realm_id(self, tenant_id: str) -> str:
        """The tenant's QBO ``realmId`` (no HTTP call unless the access token is due for renewal)."""
        return (await self.tokens.credentials(self.code, tenant_id)).tenant_key

    async def get(self, tenant_id: str, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        """``GET {path}`` (idempotent). Raises :class:`QboFault`, :class:`QboUnavailable`, ``Unauthorized``."""
        return await self._call(tenant_id, "GET", path, params=params, idempotent=True)

    async def post(self, tenant_id: str, path: str, body: dict[str, Any], *, request_id: str | None,
                   params: dict[str, str] | None = None) -> dict[str, Any]:
        """``POST {path}`` with a JSON body; with ``request_id`` the call is idempotent (retried on transient
        failures, QBO replays the first answer)."""
        query = dict(params or {})
        if request_id:
            query["requestid"] = request_id
        return await self._call(tenant_id, "POST", path, params=query, json_body=body,
                                idempotent=request_id is not None)

    async def query(self, tenant_id: str, text: str) -> dict[str, Any]:
        """Run one QBO query; returns its ``QueryResponse`` object (``{}`` when nothing matched)."""
        if len(text) > MAX_GET_QUERY:
            answer = await self._call(tenant_id, "POST", "/query", text_body=text, idempotent=True)
        else:
            answer = await self._call(tenant_id, "GET", "/query", params={"query": text}, idempotent=True)
        return answer.get("QueryResponse") or {}

    async def queries(self, tenant_id: str, texts: list[str]) -> list[dict[str, Any]]:
        """Run several queries in as few requests as possible: one ``GET /query`` for one, ``POST /batch``
        (≤ 30 items per request) for more.

        Returns:
            One ``QueryResponse`` object per query, in order.

        Raises:
            QboFault: a batch item failed (its own ``Fault``), or the request did.
        """
        if len(texts) == 1:
            return [await self.query(tenant_id, texts[0])]
        out: list[dict[str, Any]] = []
        for start in range(0, len(texts), MAX_BATCH_ITEMS):
            chunk = texts[start:start + MAX_BATCH_ITEMS]
            items = [{"bId": f"q{start + i}", "Query": text} for i, text in enumerate(chunk)]
            answer = await self._call(tenant_id, "POST", "/batch", json_body={"BatchItemRequest": items},
                                      idempotent=True)
            by_id = {str(item.get("bId")): item for item in answer.get("BatchItemResponse") or []}
            for i in range(len(chunk)):
                item = by_id.get(f"q{start + i}") or {}
                if "Fault" in item:
                    raise parse_fault(400, json.dumps({"Fault": item["Fault"]}))
                out.append(item.get("QueryResponse") or {})
        return out

    async def report(self, tenant_id: str, name: str, params: dict[str, str]) -> dict[str, Any]:
        """``GET /reports/{name}`` (idempotent); returns the report body ``{Header, Columns, Rows}``."""
        return await self._call(tenant_id, "GET", f"/reports/{name}", params=params, idempotent=True)

    # Internals ----------------------------------------------------------------------------------------------

    def _gate(self, tenant_id: str) -> asyncio.Semaphore:
        gate = self._gates.get(tenant_id)
        if gate is None:
            gate = self._gates[tenant_id] = asyncio.Semaphore(self.concurrency)
        return gate

    async def _call(self, tenant_id: str, method: str, path: str, *, params: dict[str, str] | None = None,
                    json_body: dict[str, Any] | None = None, text_body: str | None = None,
                    idempotent: bool) -> dict[str, Any]:
        if self._session is None:
            await self.start()
        creds = await self.tokens.credentials(self.code, tenant_id)
        answer = await self._exchange(creds, method, path, params, json_body, text_body, idempotent)
        if answer.status == 401:
            log.info("qbo_token_rejected", tenant_id=tenant_id, intuit_tid=answer.headers.get("intuit_tid"))
            creds = await self.tokens.refresh(self.code, tenant_id, failed_token=creds.access_token)
            answer = await self._exchange(creds, method, path, params, json_body, text_body, idempotent)
            if answer.status == 401:
                raise reauthorization_required(self.code)
        if answer.status >= 400:
            raise self._fault(answer, method, path)
        try:
            return _decode(answer.body)
        except ValueError as exc:  # a 2xx that is not JSON after the retries an idempotent call gets
            raise QboUnavailable(f"{method} {path}: the answer was not JSON") from exc

    async def _exchange(self, creds: UpstreamCredentials, method: str, path: str, params: dict[str, str] | None,
                        json_body: dict[str, Any] | None, text_body: str | None, idempotent: bool) -> _Answer:
        """One logical exchange: retried on transient failures when idempotent. 401 and 4xx are returned."""
        url = f"{creds.api_base}/v3/company/{creds.tenant_key}{path}"
        query = {**(params or {}), "minorversion": self.minor_version}
        headers = {"Authorization": f"Bearer {creds.access_token}"}
        data: bytes | None = None
        if json_body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(json_body, default=_json_default, separators=(",", ":")).encode("utf-8")
        elif text_body is not None:
            headers["Content-Type"] = "application/text"
            data = text_body.encode("utf-8")
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.attempts if idempotent else 1),
            wait=wait_exponential_jitter(multiplier=0.05, max=self.backoff_max),
            retry=retry_if_exception_type(_Transient), reraise=True)
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._once(creds.tenant_id, method, url, path, query, headers, data,
                                            check_body=idempotent)
        except _Transient as exc:
            if exc.fault is not None:
                raise exc.fault from None
            raise QboUnavailable(f"{method} {path}: {exc}") from None
        raise AssertionError("unreachable")  # pragma: no cover - AsyncRetrying returns or raises

    async def _once(self, tenant_id: str, method: str, url: str, path: str, query: dict[str, str],
                    headers: dict[str, str], data: bytes | None, *, check_body: bool) -> _Answer:
        assert self._session is not None
        self.count(method, path)
        try:
            async with self._gate(tenant_id), self._session.request(method, url, params=query, headers=headers,
                                                                    data=data) as response:
                body = await response.read()
                answer = _Answer(response.status, body, {k.lower(): v for k, v in response.headers.items()})
        except (TimeoutError, aiohttp.ClientError) as exc:
            log.warning("qbo_transport_error", method=method, path=path, error=type(exc).__name__)
            raise _Transient(type(exc).__name__) from exc
        if answer.status >= 500:
            fault = self._fault(answer, method, path)
            raise _Transient(f"HTTP {answer.status}", fault)
        if check_body and answer.status < 300:
            try:
                _decode(answer.body)
            except ValueError:
                log.warning("qbo_malformed_answer", method=method, path=path,
                            intuit_tid=answer.headers.get("intuit_tid"))
                raise _Transient("malformed JSON answer") from None
        return answer

    def _fault(self, answer: _Answer, method: str, path: str) -> QboFault:
        fault = parse_fault(answer.status, answer.body, retry_after=answer.headers.get("retry-after"),
                            intuit_tid=answer.headers.get("intuit_tid"))
        log.warning("qbo_fault", method=method, path=path, status=answer.status, codes=sorted(fault.codes),
                    intuit_tid=fault.intuit_tid)
        return fault


def _decode(body: bytes) -> dict[str, Any]:
    """QBO JSON with ``Decimal`` numbers. Raises ``ValueError`` for anything that is not a JSON object."""
    data = json.loads(body.decode("utf-8"), parse_float=Decimal) if body.strip() else {}
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


def _json_default(value: Any) -> Any:
    """Request bodies carry ``Decimal`` money as JSON numbers. Amounts have at most 4 decimal places and 15
    significant digits, which a float's shortest repr writes digit for digit (as the emulator and the gateway's
    own envelope do)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
