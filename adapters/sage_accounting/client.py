"""Transport to the Sage Business Cloud Accounting v3.1 API: one shared aiohttp session, credentials, retries, one
refresh after a 401.

Every upstream HTTP call of the adapter goes through :class:`SageClient`:

- URL ``{api_base}{path}`` (``api_base`` is ``…/v3.1``), headers ``Authorization: Bearer`` with the token from
  ``upstream_tokens.credentials(code, tenant_id)`` and ``X-Business: <business id>`` (the tenant key) on every call,
  so that Sage never falls back to the user's lead business (upstream-contracts.md §2 "Transport"). The client never
  stores a token (adapter contract, :mod:`adapters.base`): Sage's access tokens live 300 s and the provider renews
  them 60 s ahead (``mappings/upstream_sources.toml``), once across coroutines and processes
  (:mod:`gateway.upstream.tokens`).
- A 401 is answered once by ``upstream_tokens.refresh(..., failed_token=…)`` and the call is repeated once; a second
  401 means the authorization is gone (:func:`gateway.upstream.errors.reauthorization_required`).
- Timeouts, connection errors, 5xx answers and unreadable 2xx bodies are retried with bounded exponential backoff
  (tenacity: ``attempts`` tries, waits capped at ``backoff_max`` s) **only for idempotent calls**: ``GET`` and
  ``PUT`` (a full replacement of one record). ``POST`` (creates, releases) and ``DELETE`` (voids) are sent once:
  Sage has no idempotency key (§2), so a repeat could create a second record; the adapter's write ledger
  (:mod:`adapters.sage_accounting.writes`) reconciles an unknown outcome on the client's retry instead.
- A 429 is never retried here: it reaches the client as Xero's 429 with ``Retry-After``
  (:mod:`adapters.sage_accounting.errors`).
- Error answers raise :class:`~adapters.sage_accounting.errors.SageError`; exhausted transport retries raise
  :class:`~adapters.sage_accounting.errors.SageUnavailable` (503).
- Bodies are JSON with ``Decimal`` numbers both ways.

Lists (:meth:`SageClient.list_page`): ``page`` and ``items_per_page`` (at most 200), answered as
``{"$total", "$page", "$next", "$back", "$itemsPerPage", "$items"}``; the spec wrongly declares a bare array and one
guide page spells ``$items_per_page``: all three shapes are read (§2 "Lists").

Counting: :meth:`SageClient.tally` opens a per-Xero-call :class:`CallTally` (a context variable); every HTTP request
made inside it (retries and the post-refresh repeat included) is counted there and in :attr:`SageClient.totals`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import aiohttp
import structlog
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

from gateway.upstream.errors import reauthorization_required
from gateway.upstream.http import UpstreamHttp

from .errors import SageError, SageUnavailable, parse_error

if TYPE_CHECKING:
    from gateway.upstream.tokens import UpstreamCredentials, UpstreamTokens

log = structlog.get_logger("adapters.sage_accounting")

#: Seconds one HTTP exchange may take.
DEFAULT_TIMEOUT = 30.0
#: Tries of an idempotent call (the first included).
DEFAULT_ATTEMPTS = 3
#: Upper bound of one backoff wait (seconds).
DEFAULT_BACKOFF_MAX = 2.0
#: Sage's largest ``items_per_page`` (§2 "Lists").
MAX_ITEMS_PER_PAGE = 200
#: Methods retried on transient failures.
IDEMPOTENT_METHODS = frozenset({"GET", "PUT"})


@dataclass(frozen=True)
class ListPage:
    """One page of a Sage list.

    Attributes:
        items: the records (``$items``).
        total: ``$total`` (``None`` when Sage answered a bare array).
        page: the page Sage answered (``$page``; Sage answers the last page for a page beyond it).
        items_per_page: ``$itemsPerPage`` / ``$items_per_page``.
    """

    items: list[dict[str, Any]]
    total: int | None
    page: int
    items_per_page: int


class _Transient(Exception):
    """A failure worth retrying for an idempotent call."""

    def __init__(self, reason: str, error: SageError | None = None) -> None:
        super().__init__(reason)
        self.error = error


@dataclass(frozen=True)
class _Answer:
    status: int
    body: bytes
    headers: dict[str, str]


def decode(body: bytes) -> Any:
    """Sage JSON with ``Decimal`` numbers; ``None`` for an empty body. Raises ``ValueError`` if not JSON."""
    return json.loads(body.decode("utf-8"), parse_float=Decimal) if body.strip() else None


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        # Amounts have at most 4 decimal places and 15 significant digits, which a float's shortest repr writes
        # digit for digit (as the gateway's own envelope does, gateway.xero.models.core).
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def encode(body: Any) -> bytes:
    """A request body as JSON (``Decimal`` → number)."""
    return json.dumps(body, default=_json_default, separators=(",", ":")).encode("utf-8")


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def read_list(data: Any, *, page: int, items_per_page: int) -> ListPage:
    """A list answer in any of Sage's shapes (module docstring) → :class:`ListPage`.

    Raises:
        ValueError: the answer is neither an envelope nor an array.
    """
    if isinstance(data, list):
        return ListPage(items=[r for r in data if isinstance(r, dict)], total=None, page=page,
                        items_per_page=items_per_page)
    if not isinstance(data, dict) or not isinstance(data.get("$items"), list):
        raise ValueError("not a Sage list answer")
    size = data.get("$itemsPerPage", data.get("$items_per_page"))
    total = data.get("$total")
    return ListPage(items=[r for r in data["$items"] if isinstance(r, dict)],
                    total=None if total is None else _int(total, 0), page=_int(data.get("$page"), page),
                    items_per_page=_int(size, items_per_page))


class SageClient(UpstreamHttp):
    """The adapter's HTTP client (one per adapter instance, hence per process).

    Args:
        code: the gateway source code (``"1009"``).
        tokens: the upstream credentials provider (``adapter.upstream_tokens``).
        timeout: seconds per HTTP exchange.
        attempts: tries of an idempotent call.
        backoff_max: cap of one backoff wait, seconds.
    """

    def __init__(self, *, code: str, tokens: UpstreamTokens, timeout: float = DEFAULT_TIMEOUT,
                 attempts: int = DEFAULT_ATTEMPTS, backoff_max: float = DEFAULT_BACKOFF_MAX) -> None:
        super().__init__(user_agent="xero-gateway-sage-accounting", timeout=timeout)
        self.code = code
        self.tokens = tokens
        self.attempts = max(1, attempts)
        self.backoff_max = backoff_max

    # Calls --------------------------------------------------------------------------------------------------

    async def consent_get(self, api_base: str, access_token: str, path: str) -> Any:
        """``GET {api_base}{path}`` with a fresh consent's token, before any business is chosen (no ``X-Business``;
        ``/businesses`` and ``/user`` are not business-scoped: swagger.user_business). Sent once: the consent fails
        on any error.

        Raises:
            SageError: Sage answered an error. SageUnavailable: transport failure or not JSON.
        """
        if self._session is None:
            await self.start()
        assert self._session is not None
        self.count("GET", path)
        try:
            async with self._session.get(f"{api_base}{path}",
                                         headers={"Authorization": f"Bearer {access_token}"}) as response:
                answer = _Answer(response.status, await response.read(),
                                 {k.lower(): v for k, v in response.headers.items()})
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise SageUnavailable(f"GET {path}: {type(exc).__name__}") from None
        if answer.status >= 400:
            raise self._error(answer, "GET", path)
        try:
            return decode(answer.body)
        except ValueError:
            raise SageUnavailable(f"GET {path}: the answer was not JSON") from None

    async def business_id(self, tenant_id: str) -> str:
        """The tenant's Sage business id (no HTTP call unless the access token is due for renewal)."""
        return (await self.tokens.credentials(self.code, tenant_id)).tenant_key

    async def get(self, tenant_id: str, path: str, params: dict[str, str] | None = None) -> Any:
        """``GET {path}``. Raises :class:`SageError`, :class:`SageUnavailable`, ``Unauthorized``."""
        return await self.request(tenant_id, "GET", path, params=params)

    async def list_page(self, tenant_id: str, path: str, params: dict[str, str] | None = None, *, page: int = 1,
                        items_per_page: int = MAX_ITEMS_PER_PAGE) -> ListPage:
        """One page of a list (``page`` 1-based, ``items_per_page`` ≤ 200).

        Raises:
            SageError, SageUnavailable: as :meth:`request`; SageUnavailable also for an answer that is no list.
        """
        size = max(1, min(items_per_page, MAX_ITEMS_PER_PAGE))
        query = {**(params or {}), "page": str(page), "items_per_page": str(size)}
        data = await self.request(tenant_id, "GET", path, params=query)
        try:
            return read_list(data, page=page, items_per_page=size)
        except ValueError:
            raise SageUnavailable(f"GET {path}: the answer was not a list") from None

    async def request(self, tenant_id: str, method: str, path: str, *, params: dict[str, str] | None = None,
                      body: Any = None) -> Any:
        """One call; idempotent methods (``GET``, ``PUT``) are retried on transient failures.

        Returns:
            The decoded JSON answer (``None`` for an empty body).

        Raises:
            SageError: Sage answered an error (4xx; 5xx after the retries).
            SageUnavailable: transport failure after the retries (503).
            Unauthorized: the authorization is gone (second 401, or the token provider says so).
            UpstreamUnavailable: the token endpoint cannot be reached.
        """
        if self._session is None:
            await self.start()
        idempotent = method in IDEMPOTENT_METHODS
        creds = await self.tokens.credentials(self.code, tenant_id)
        answer = await self._exchange(creds, method, path, params, body, idempotent)
        if answer.status == 401:
            log.info("sage_token_rejected", tenant_id=tenant_id, method=method, path=path)
            creds = await self.tokens.refresh(self.code, tenant_id, failed_token=creds.access_token)
            answer = await self._exchange(creds, method, path, params, body, idempotent)
            if answer.status == 401:
                raise reauthorization_required(self.code)
        if answer.status >= 400:
            raise self._error(answer, method, path)
        try:
            return decode(answer.body)
        except ValueError:
            raise SageUnavailable(f"{method} {path}: the answer was not JSON") from None

    # Internals ----------------------------------------------------------------------------------------------

    async def _exchange(self, creds: UpstreamCredentials, method: str, path: str, params: dict[str, str] | None,
                        body: Any, idempotent: bool) -> _Answer:
        """One logical exchange, retried on transient failures when idempotent; 4xx answers are returned."""
        url = f"{creds.api_base}{path}"
        headers = {"Authorization": f"Bearer {creds.access_token}", "X-Business": creds.tenant_key}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = encode(body)
        retrying = AsyncRetrying(stop=stop_after_attempt(self.attempts if idempotent else 1),
                                 wait=wait_exponential_jitter(multiplier=0.05, max=self.backoff_max, jitter=0.05),
                                 retry=retry_if_exception_type(_Transient), reraise=True)
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._once(method, url, path, params or {}, headers, data, check_body=idempotent)
        except _Transient as exc:
            if exc.error is not None:
                raise exc.error from None
            raise SageUnavailable(f"{method} {path}: {exc}") from None
        raise AssertionError("unreachable")  # pragma: no cover - AsyncRetrying returns or raises

    async def _once(self, method: str, url: str, path: str, params: dict[str, str], headers: dict[str, str],
                    data: bytes | None, *, check_body: bool) -> _Answer:
        assert self._session is not None
        self.count(method, path)
        try:
            async with self._session.request(method, url, params=params, headers=headers, data=data) as response:
                raw = await response.read()
                answer = _Answer(response.status, raw, {k.lower(): v for k, v in response.headers.items()})
        except (TimeoutError, aiohttp.ClientError) as exc:
            log.warning("sage_transport_error", method=method, path=path, error=type(exc).__name__)
            raise _Transient(type(exc).__name__) from exc
        if answer.status >= 500:
            raise _Transient(f"HTTP {answer.status}", self._error(answer, method, path))
        if check_body and answer.status < 300:
            try:
                decode(answer.body)
            except ValueError:
                log.warning("sage_malformed_answer", method=method, path=path)
                raise _Transient("malformed JSON answer") from None
        return answer

    def _error(self, answer: _Answer, method: str, path: str) -> SageError:
        error = parse_error(answer.status, answer.body, retry_after=answer.headers.get("retry-after"))
        log.warning("sage_error", method=method, path=path, status=answer.status, codes=sorted(error.codes))
        return error
