"""The one transport of every upstream adapter: session, credentials, one refresh after a 401, bounded retries of
idempotent calls, decoding, and the per-Xero-call request tally.

The split follows Libcloud's ``Connection``/``Response``: :class:`UpstreamClient` owns the template of one request,

1. credentials from a :class:`TenantAuth` (read once per Xero call, :mod:`adapters.common.unit`);
2. send (URL, headers and parameters from the subclass's hooks), counted in the current :class:`CallTally`;
3. on a 401: one :meth:`TenantAuth.renewed` and one repeat; a second 401 means the authorization is gone
   (:func:`adapters.common.errors.reauthorization_required`);
4. timeouts, connection errors, 5xx answers and unreadable 2xx bodies retried with bounded exponential backoff
   (tenacity: ``attempts`` tries, waits capped at ``backoff_max`` s) **only when the request is idempotent**;
   a 4xx (429 included) is never retried here; a 429 is reported to the credentials provider when it records
   them (:class:`adapters.base.ThrottleRecorder`: the console's "throttled" status);
5. decode: JSON with ``Decimal`` numbers (:func:`decode_json`).

A subclass (``adapters/<source>/client.py``) supplies only what differs per upstream: :meth:`UpstreamClient.url`,
:meth:`UpstreamClient.headers`, :meth:`UpstreamClient.params`, :meth:`UpstreamClient.parse_error` (an error answer →
the adapter's upstream error) and :meth:`UpstreamClient.unavailable` (exhausted retries → the adapter's 503), plus
its own typed calls (``query``, ``list_page``…) built on :meth:`UpstreamClient.request`.

Counting: :meth:`UpstreamHttp.tally` scopes a :class:`CallTally` to one Xero call (a ``ContextVar``, so concurrent
calls keep separate tallies); every HTTP request made inside it (retries and the post-refresh repeat included) is
counted there and in :attr:`UpstreamHttp.totals`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, ClassVar

import aiohttp
import structlog
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

from adapters.base import CredentialsProvider, ThrottleRecorder, UpstreamCredentials

from .errors import reauthorization_required
from .metrics import UPSTREAM_DURATION, UPSTREAM_REQUESTS

log = structlog.get_logger("adapters.common")

#: Seconds one HTTP exchange may take.
DEFAULT_TIMEOUT = 30.0
#: Tries of an idempotent request (the first included).
DEFAULT_ATTEMPTS = 3
#: Upper bound of one backoff wait (seconds).
DEFAULT_BACKOFF_MAX = 2.0


# Counting ---------------------------------------------------------------------------------------------------------

@dataclass
class CallTally:
    """The upstream HTTP requests made for one Xero call.

    Attributes:
        operation_id: the Xero operation (``getInvoices``).
        calls: requests sent (every retry and repeat included).
        by_path: requests per ``"METHOD /path"`` (path below the upstream API root).
    """

    operation_id: str
    calls: int = 0
    by_path: Counter[str] = field(default_factory=Counter)


_TALLY: ContextVar[CallTally | None] = ContextVar("upstream_call_tally", default=None)


class UpstreamHttp:
    """One aiohttp session per adapter instance (timeout, ``Accept: application/json``, a User-Agent naming the
    adapter) and the count of upstream requests.

    Args:
        user_agent: the ``User-Agent`` header (``xero-gateway-qbo``).
        timeout: seconds per HTTP exchange.
    """

    def __init__(self, *, user_agent: str, timeout: float) -> None:
        self.user_agent = user_agent
        self.timeout = timeout
        self.totals: Counter[str] = Counter()
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        """Open the shared session."""
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                headers={"Accept": "application/json", "User-Agent": self.user_agent})

    async def close(self) -> None:
        """Close the shared session."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    @contextlib.contextmanager
    def tally(self, operation_id: str) -> Iterator[CallTally]:
        """Count the requests made inside the block (one Xero call)."""
        current = CallTally(operation_id)
        token = _TALLY.set(current)
        try:
            yield current
        finally:
            _TALLY.reset(token)

    @staticmethod
    def current_tally() -> CallTally | None:
        """The tally of the Xero call in progress, if any."""
        return _TALLY.get()

    def count(self, method: str, path: str) -> None:
        """Record one request sent: process totals and the current call's tally."""
        key = f"{method} {path}"
        self.totals[key] += 1
        tally = _TALLY.get()
        if tally is not None:
            tally.calls += 1
            tally.by_path[key] += 1


# Credentials of one call ----------------------------------------------------------------------------------------

class TenantAuth:
    """The credentials of one tenant for one Xero call: read from the provider once, renewed only after a 401.

    Args:
        provider: the gateway's credentials provider.
        code: the gateway source code.
        tenant_id: the Xero ``tenantId``.

    Attributes:
        reads: how many times the provider was asked (``credentials`` and ``refresh``), for tests and logs.
    """

    def __init__(self, provider: CredentialsProvider, code: str, tenant_id: str) -> None:
        self.provider = provider
        self.code = code
        self.tenant_id = tenant_id
        self.reads = 0
        self._current: UpstreamCredentials | None = None
        self._lock = asyncio.Lock()

    async def current(self) -> UpstreamCredentials:
        """The call's credentials (the first use reads them; the provider renews a token due to expire).

        Raises:
            Unauthorized: the tenant needs re-authorization. XeroApiError (503): the token endpoint is unreachable.
        """
        if self._current is None:
            async with self._lock:
                if self._current is None:
                    self.reads += 1
                    self._current = await self.provider.credentials(self.code, self.tenant_id)
        return self._current

    async def renewed(self, failed: UpstreamCredentials) -> UpstreamCredentials:
        """Credentials after the source refused ``failed`` (a 401): renewed once per refused token, shared by the
        call's concurrent requests.

        Raises:
            Unauthorized, XeroApiError (503): as :meth:`current`.
        """
        async with self._lock:
            if self._current is None or self._current.access_token == failed.access_token:
                self.reads += 1
                self._current = await self.provider.refresh(self.code, self.tenant_id,
                                                            failed_token=failed.access_token)
            return self._current

    async def throttled(self, retry_after: str | None) -> None:
        """Report the source's HTTP 429 for this tenant to a provider that records them (``retry_after``: the raw
        ``Retry-After`` header; only its delay-seconds form, RFC 9110 §10.2.3, is passed on)."""
        if isinstance(self.provider, ThrottleRecorder):
            value = (retry_after or "").strip()
            await self.provider.throttled(self.code, self.tenant_id,
                                          retry_after=int(value) if value.isdigit() else None)


class FixedAuth:
    """Credentials that cannot be renewed: a fresh consent's token, before the tenant is stored. A 401 ends the
    request with :func:`~adapters.common.errors.reauthorization_required`.

    Args:
        credentials: the consent's token as credentials (``tenant_key`` may be empty before a tenant is chosen).
        system: the source system's name (errors).
    """

    def __init__(self, credentials: UpstreamCredentials, system: str) -> None:
        self._credentials = credentials
        self._system = system

    async def current(self) -> UpstreamCredentials:
        return self._credentials

    async def renewed(self, failed: UpstreamCredentials) -> UpstreamCredentials:
        raise reauthorization_required(self._system)

    async def throttled(self, retry_after: str | None) -> None:
        """Nothing to record: no tenant is stored yet."""


# JSON -------------------------------------------------------------------------------------------------------------

def decode_json(body: bytes) -> Any:
    """An upstream JSON body with ``Decimal`` numbers; ``None`` for an empty body.

    Raises:
        ValueError: the body is not JSON.
    """
    return json.loads(body.decode("utf-8"), parse_float=Decimal) if body.strip() else None


def _json_default(value: Any) -> Any:
    # Amounts have at most 4 decimal places and 15 significant digits, which a float's shortest repr writes digit
    # for digit (as the emulators and the gateway's own envelope do).
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def encode_json(body: Any) -> bytes:
    """A request body as compact JSON (``Decimal`` money → JSON number)."""
    return json.dumps(body, default=_json_default, separators=(",", ":")).encode("utf-8")


# The template -----------------------------------------------------------------------------------------------------

#: :attr:`Answer.decoded` of an answer whose body was not decoded yet.
UNDECODED: Any = object()


@dataclass(frozen=True)
class Answer:
    """One HTTP answer: status, raw body, headers with lower-case names, and the body decoded when the transport
    already checked it (:data:`UNDECODED` otherwise): a page of 100 invoices is not parsed twice."""

    status: int
    body: bytes
    headers: Mapping[str, str]
    decoded: Any = UNDECODED


class Transient(Exception):
    """A failure worth retrying for an idempotent request (timeout, connection error, 5xx, unreadable body).

    Args:
        reason: what happened (no secret).
        error: the upstream error to raise if the retries run out (a 5xx's parsed body), else ``None``.
    """

    def __init__(self, reason: str, error: Exception | None = None) -> None:
        super().__init__(reason)
        self.error = error


class UpstreamClient(UpstreamHttp):
    """The request template (module docstring); one instance per adapter instance, hence per process.

    Class attributes:
        log_prefix: prefix of the client's log events (``qbo`` → ``qbo_token_rejected``).
        jitter: the maximum random jitter added to each backoff wait (seconds, tenacity's ``jitter``).

    Args:
        code: the gateway source code.
        system: the source system's name (errors).
        credentials: the gateway's credentials provider (:meth:`auth` binds it to a tenant).
        user_agent: the ``User-Agent`` header.
        timeout: seconds per HTTP exchange.
        attempts: tries of an idempotent request (at least 1).
        backoff_max: cap of one backoff wait, seconds.
        concurrency: requests in flight per tenant from this process (``None``: no limit).
    """

    log_prefix: ClassVar[str] = "upstream"
    jitter: ClassVar[float] = 1.0

    def __init__(self, *, code: str, system: str, credentials: CredentialsProvider, user_agent: str,
                 timeout: float = DEFAULT_TIMEOUT, attempts: int = DEFAULT_ATTEMPTS,
                 backoff_max: float = DEFAULT_BACKOFF_MAX, concurrency: int | None = None) -> None:
        super().__init__(user_agent=user_agent, timeout=timeout)
        self.code = code
        self.system = system
        self.tokens = credentials
        self.attempts = max(1, attempts)
        self.backoff_max = backoff_max
        self.concurrency = concurrency
        self._gates: dict[str, asyncio.Semaphore] = {}

    def auth(self, tenant_id: str) -> TenantAuth:
        """A fresh per-call credentials holder for ``tenant_id`` (one per Xero call)."""
        return TenantAuth(self.tokens, self.code, tenant_id)

    # Hooks -------------------------------------------------------------------------------------------------------

    def url(self, creds: UpstreamCredentials, path: str) -> str:
        """The absolute URL of ``path`` (default ``{api_base}{path}``)."""
        return f"{creds.api_base}{path}"

    def headers(self, creds: UpstreamCredentials) -> dict[str, str]:
        """Headers of every request (default: ``Authorization: Bearer``)."""
        return {"Authorization": f"Bearer {creds.access_token}"}

    def params(self, params: Mapping[str, str] | None) -> dict[str, str]:
        """Query parameters of every request (default: the request's own)."""
        return dict(params or {})

    def parse_error(self, answer: Answer, method: str, path: str) -> Exception:
        """The adapter's upstream error for an error answer (4xx/5xx); subclasses log it."""
        return RuntimeError(f"{method} {path}: HTTP {answer.status}")

    def unavailable(self, message: str) -> Exception:
        """The adapter's 503 for a request whose transport retries ran out, or whose answer is unreadable."""
        return RuntimeError(message)

    def decode(self, body: bytes) -> Any:
        """The decoded answer (default :func:`decode_json`). Raises ``ValueError`` when unreadable."""
        return decode_json(body)

    # The template --------------------------------------------------------------------------------------------------

    async def request(self, auth: TenantAuth | FixedAuth, method: str, path: str, *,
                      params: Mapping[str, str] | None = None, data: bytes | None = None,
                      content_type: str | None = None, idempotent: bool, accept: str | None = None) -> Any:
        """One logical request (template in the module docstring).

        Args:
            auth: the call's credentials.
            method: HTTP method.
            path: below the API root (``/invoice/1``); also the tally's key.
            params: query parameters (the subclass's :meth:`params` adds its own).
            data: the request body, already encoded.
            content_type: the body's ``Content-Type``.
            idempotent: whether transient failures may be retried.
            accept: the ``Accept`` of a binary download (a file): the answer's raw bytes are returned undecoded.

        Returns:
            The decoded answer (the raw body with ``accept``).

        Raises:
            Exception: :meth:`parse_error`'s error for an error answer (a 5xx after the retries);
                :meth:`unavailable`'s for a transport failure after the retries or an unreadable answer;
                ``Unauthorized`` when the authorization is gone (second 401, or the provider says so).
        """
        if self._session is None:
            await self.start()
        creds = await auth.current()
        answer = await self._exchange(creds, method, path, params, data, content_type, idempotent, accept)
        if answer.status == 401:
            log.info(f"{self.log_prefix}_token_rejected", tenant_id=creds.tenant_id, method=method, path=path)
            fresh = await auth.renewed(creds)
            answer = await self._exchange(fresh, method, path, params, data, content_type, idempotent, accept)
            if answer.status == 401:
                raise reauthorization_required(self.system)
        if answer.status == 429:
            await auth.throttled(answer.headers.get("retry-after"))
        if answer.status >= 400:
            raise self.parse_error(answer, method, path)
        if accept is not None:
            return answer.body
        if answer.decoded is not UNDECODED:
            return answer.decoded
        try:
            return self.decode(answer.body)
        except ValueError:  # a 2xx that is unreadable after the retries an idempotent request gets
            raise self.unavailable(f"{method} {path}: the answer was not JSON") from None

    @contextlib.asynccontextmanager
    async def _gate(self, tenant_id: str) -> AsyncIterator[None]:
        if self.concurrency is None:
            yield
            return
        gate = self._gates.get(tenant_id)
        if gate is None:
            gate = self._gates[tenant_id] = asyncio.Semaphore(self.concurrency)
        async with gate:
            yield

    async def _exchange(self, creds: UpstreamCredentials, method: str, path: str,
                        params: Mapping[str, str] | None, data: bytes | None, content_type: str | None,
                        idempotent: bool, accept: str | None = None) -> Answer:
        """One logical exchange, retried on transient failures when idempotent; 4xx answers are returned."""
        url = self.url(creds, path)
        query = self.params(params)
        headers = self.headers(creds)
        if content_type is not None:
            headers["Content-Type"] = content_type
        if accept is not None:
            headers["Accept"] = accept
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.attempts if idempotent else 1),
            wait=wait_exponential_jitter(multiplier=0.05, max=self.backoff_max, jitter=self.jitter),
            retry=retry_if_exception_type(Transient), reraise=True)
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._once(creds.tenant_id, method, url, path, query, headers, data,
                                            check_body=idempotent and accept is None)
        except Transient as exc:
            if exc.error is not None:
                raise exc.error from None
            raise self.unavailable(f"{method} {path}: {exc}") from None
        raise AssertionError("unreachable")  # pragma: no cover - AsyncRetrying returns or raises

    async def _once(self, tenant_id: str, method: str, url: str, path: str, query: dict[str, str],
                    headers: dict[str, str], data: bytes | None, *, check_body: bool) -> Answer:
        assert self._session is not None
        self.count(method, path)
        outcome = "error"
        try:
            async with self._gate(tenant_id):
                started = time.perf_counter()  # after the per-tenant gate: the exchange, not the queue
                try:
                    async with self._session.request(method, url, params=query, headers=headers,
                                                     data=data) as response:
                        body = await response.read()
                        answer = Answer(response.status, body, {k.lower(): v for k, v in response.headers.items()})
                    outcome = str(answer.status)
                finally:
                    UPSTREAM_REQUESTS.labels(source=self.code, outcome=outcome).inc()
                    UPSTREAM_DURATION.labels(source=self.code).observe(time.perf_counter() - started)
        except (TimeoutError, aiohttp.ClientError) as exc:
            log.warning(f"{self.log_prefix}_transport_error", method=method, path=path, error=type(exc).__name__)
            raise Transient(type(exc).__name__) from exc
        if answer.status >= 500:
            raise Transient(f"HTTP {answer.status}", self.parse_error(answer, method, path))
        if check_body and answer.status < 300:
            try:
                return replace(answer, decoded=self.decode(answer.body))
            except ValueError:
                log.warning(f"{self.log_prefix}_malformed_answer", method=method, path=path)
                raise Transient("malformed JSON answer") from None
        return answer
