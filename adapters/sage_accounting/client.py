"""Transport to the Sage Business Cloud Accounting v3.1 API: the shared template of
:class:`adapters.common.http.UpstreamClient` with Sage's differences only.

The template (credentials read once per Xero call, one refresh and one repeat after a 401, bounded tenacity retries of
idempotent requests, JSON with ``Decimal`` numbers, the per-call tally) is :mod:`adapters.common.http`'s. What Sage
adds:

- URL ``{api_base}{path}`` (``api_base`` is ``…/v3.1``) and ``X-Business: <business id>`` (the tenant key) on every
  business-scoped request, so that Sage never falls back to the user's lead business (upstream-contracts.md §2
  "Transport"). Sage's access tokens live 300 s; the credentials provider renews them 60 s ahead
  (``mappings/upstream_sources.toml``), once across coroutines and processes: the client never stores a token.
- Idempotent, hence retried on transient failures: ``GET`` and ``PUT`` (a full replacement of one record). ``POST``
  (creates, releases) and ``DELETE`` (voids) are sent once: Sage has no idempotency key (§2), so a repeat could create
  a second record; the adapter's write ledger (:mod:`adapters.sage_accounting.ledger`) reconciles an unknown outcome
  on the client's retry instead.
- A 429 is never retried here: it reaches the client as Xero's 429 with ``Retry-After``
  (:mod:`adapters.sage_accounting.errors`).
- Error answers raise :class:`~adapters.sage_accounting.errors.SageError` (Sage's error array,
  :func:`~adapters.sage_accounting.errors.parse_error`); exhausted transport retries raise
  :class:`~adapters.sage_accounting.errors.SageUnavailable` (503).

Lists (:meth:`SageClient.list_page`): ``page`` and ``items_per_page`` (at most 200), answered as
``{"$total", "$page", "$next", "$back", "$itemsPerPage", "$items"}``; the spec wrongly declares a bare array and one
guide page spells ``$items_per_page``: all three shapes are read (§2 "Lists").

The consent's calls (:meth:`SageClient.consent_get`: ``GET /businesses``, ``GET /user``) carry a fresh token and no
business yet: :class:`~adapters.common.http.FixedAuth`, sent once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import structlog

from adapters.base import CredentialsProvider, UpstreamCredentials, UpstreamToken
from adapters.common.http import Answer, FixedAuth, TenantAuth, UpstreamClient, encode_json

from .errors import SageError, SageUnavailable, parse_error

log = structlog.get_logger("adapters.sage_accounting")

#: The source system's name (errors).
SYSTEM_NAME = "Sage Business Cloud Accounting"
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


class SageClient(UpstreamClient):
    """The adapter's HTTP client (one per adapter instance, hence per process): :class:`UpstreamClient` named
    after Sage (``system``, ``User-Agent``, log events ``sage_…``, backoff jitter ≤ 0.05 s). Arguments: ``code``,
    ``credentials`` and the template's ``options`` (``timeout``, ``attempts``, ``backoff_max``)."""

    log_prefix: ClassVar[str] = "sage"
    jitter: ClassVar[float] = 0.05

    def __init__(self, *, code: str, credentials: CredentialsProvider, **options: Any) -> None:
        super().__init__(code=code, system=SYSTEM_NAME, credentials=credentials,
                         user_agent="xero-gateway-sage-accounting", **options)

    # Hooks of the template -------------------------------------------------------------------------------------

    def headers(self, creds: UpstreamCredentials) -> dict[str, str]:
        """``Authorization: Bearer`` and, once a business is known, ``X-Business``."""
        headers = super().headers(creds)
        if creds.tenant_key:
            headers["X-Business"] = creds.tenant_key
        return headers

    def parse_error(self, answer: Answer, method: str, path: str) -> SageError:
        """Sage's error array → :class:`SageError` (logged with its data codes)."""
        error = parse_error(answer.status, answer.body, retry_after=answer.headers.get("retry-after"))
        log.warning("sage_error", method=method, path=path, status=answer.status, codes=sorted(error.codes))
        return error

    def unavailable(self, message: str) -> SageUnavailable:
        """The 503 of a request whose transport retries ran out or whose answer is unreadable."""
        return SageUnavailable(message)

    # Calls --------------------------------------------------------------------------------------------------

    async def send(self, auth: TenantAuth | FixedAuth, method: str, path: str, *,
                   params: dict[str, str] | None = None, body: Any = None) -> Any:
        """One call with the Xero call's credentials; ``GET`` and ``PUT`` are retried on transient failures.

        Returns:
            The decoded JSON answer (``None`` for an empty body).

        Raises:
            SageError: Sage answered an error (4xx; 5xx after the retries).
            SageUnavailable: transport failure after the retries, or an answer that is not JSON (503).
            Unauthorized: the authorization is gone (second 401, or the token provider says so).
        """
        data = encode_json(body) if body is not None else None
        return await self.request(auth, method, path, params=params, data=data,
                                  content_type="application/json" if data is not None else None,
                                  idempotent=method in IDEMPOTENT_METHODS)

    async def download(self, auth: TenantAuth | FixedAuth, path: str) -> bytes:
        """``GET {path}`` of a file (``/attachments/{key}/file``) with ``Accept: application/octet-stream``, which the
        spec says the file endpoint always needs; retried like any ``GET``.

        Returns:
            The file's bytes.

        Raises:
            As :meth:`send`.
        """
        return await self.request(auth, "GET", path, idempotent=True, accept="application/octet-stream")

    async def get(self, auth: TenantAuth | FixedAuth, path: str, params: dict[str, str] | None = None) -> Any:
        """``GET {path}``. Raises as :meth:`send`."""
        return await self.send(auth, "GET", path, params=params)

    async def list_page(self, auth: TenantAuth | FixedAuth, path: str, params: dict[str, str] | None = None, *,
                        page: int = 1, items_per_page: int = MAX_ITEMS_PER_PAGE) -> ListPage:
        """One page of a list (``page`` 1-based, ``items_per_page`` ≤ 200).

        Raises:
            SageError, SageUnavailable: as :meth:`send`; SageUnavailable also for an answer that is no list.
        """
        size = max(1, min(items_per_page, MAX_ITEMS_PER_PAGE))
        query = {**(params or {}), "page": str(page), "items_per_page": str(size)}
        data = await self.send(auth, "GET", path, params=query)
        try:
            return read_list(data, page=page, items_per_page=size)
        except ValueError:
            raise SageUnavailable(f"GET {path}: the answer was not a list") from None

    async def consent_get(self, token: UpstreamToken, path: str) -> Any:
        """``GET {token.api_base}{path}`` with a fresh consent's token, before any business is chosen (no
        ``X-Business``; ``/businesses`` and ``/user`` are not business-scoped: swagger.user_business). Sent once: the
        consent fails on any error.

        Raises:
            SageError: Sage answered an error. SageUnavailable: transport failure or not JSON. Unauthorized: Sage
                refused the fresh token.
        """
        consent = UpstreamCredentials(code=self.code, tenant_id="", tenant_key="", access_token=token.access_token,
                                      token_type=token.token_type, api_base=token.api_base,
                                      expires_at=token.expires_at, authorization_id="")
        return await self.request(FixedAuth(consent, self.system), "GET", path, idempotent=False)
