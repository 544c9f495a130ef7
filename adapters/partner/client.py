"""Transport to a remote ledger's Partner Bookkeeping API: the shared template of
:class:`adapters.common.http.UpstreamClient` with the partner API's differences only.

- URL ``{api_base}{path}`` with ``api_base`` the remote's ``…/ledger/api/v1``; company-scoped paths are
  ``/companies/{companyId}/…`` with the tenant key as ``companyId`` (:meth:`PartnerClient.company_path`).
- Every posting carries an ``Idempotency-Key`` (the partner API requires one and dedupes by it), so postings are
  retried on transient failures like reads.
- Lists are read to the end with ``limit``/``cursor`` (:meth:`PartnerClient.list_all`, bounded).
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from adapters.base import UpstreamCredentials
from adapters.common.http import Answer, FixedAuth, TenantAuth, UpstreamClient, decode_json, encode_json

from .errors import SYSTEM_NAME, PartnerUnavailable, to_xero

#: The ``Idempotency-Key`` of the posting this task is sending (a context variable: one client serves every call).
_IDEMPOTENCY_KEY: ContextVar[str | None] = ContextVar("partner_idempotency_key", default=None)
#: Largest ``limit`` of the partner API's lists.
PAGE_LIMIT = 500
#: Pages read at most by :meth:`PartnerClient.list_all` (500 000 items).
MAX_PAGES = 1000


class PartnerClient(UpstreamClient):
    """The partner API client of one adapter instance."""

    log_prefix = "partner"

    def parse_error(self, answer: Answer, method: str, path: str) -> Exception:
        try:
            data = decode_json(answer.body)
        except ValueError:
            data = None
        return to_xero(answer.status, data, method=method, path=path)

    def unavailable(self, message: str) -> Exception:
        return PartnerUnavailable(f"The service is temporarily unavailable: {SYSTEM_NAME}: {message}")

    @staticmethod
    def company_path(auth_key: str, path: str = "") -> str:
        return f"/companies/{auth_key}{path}"

    async def get(self, auth: TenantAuth | FixedAuth, path: str, params: dict[str, str] | None = None) -> Any:
        return await self.request(auth, "GET", path, params=params, idempotent=True)

    async def list_all(self, auth: TenantAuth | FixedAuth, path: str,
                       params: dict[str, str] | None = None) -> list[dict[str, Any]]:
        """Every item of a list, page after page (at most :data:`MAX_PAGES` pages)."""
        items: list[dict[str, Any]] = []
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            query = {**(params or {}), "limit": str(PAGE_LIMIT), **({"cursor": cursor} if cursor else {})}
            page = await self.get(auth, path, query)
            items += page["data"]
            cursor = page.get("nextCursor")
            if not cursor:
                return items
        raise PartnerUnavailable(f"{SYSTEM_NAME}: {path} has more than {MAX_PAGES} pages")

    async def post(self, auth: TenantAuth | FixedAuth, path: str, body: dict[str, Any], *, key: str) -> Any:
        """A posting under ``Idempotency-Key: key`` (retried safely: the partner API replays a used key)."""
        token = _IDEMPOTENCY_KEY.set(key)
        try:
            return await self.request(auth, "POST", path, data=encode_json(body), content_type="application/json",
                                      idempotent=True)
        finally:
            _IDEMPOTENCY_KEY.reset(token)

    def headers(self, creds: UpstreamCredentials) -> dict[str, str]:
        headers = super().headers(creds)
        if (key := _IDEMPOTENCY_KEY.get()) is not None:
            headers["Idempotency-Key"] = key
        return headers
