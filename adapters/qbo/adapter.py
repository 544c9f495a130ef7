"""QuickBooks Online (source code 1004): the Xero Accounting API served from a QBO company.

Users authorise the gateway at Intuit (``sign_in = "upstream"``, :mod:`gateway.upstream`); one consent is one realm,
one Xero tenant (``tenantId`` = uuid5 of the code and the ``realmId``, :func:`adapters.base.upstream_tenant`), named
from the realm's ``CompanyInfo.CompanyName``.

The adapter's pieces (one job each, the Libcloud file set):

- :mod:`.client` — transport (one aiohttp session, credentials from ``upstream_tokens``, ``minorversion``, bounded
  retries of idempotent calls, one refresh after a 401, per-call request counting);
- :mod:`.errors` — QBO faults → Xero errors;
- :mod:`.ids` — stable GUIDs and the persisted reverse map;
- :mod:`.cache`, :mod:`.refdata` — per-realm reference data and counts;
- :mod:`.query`, :mod:`.resources`, :mod:`.listing` — Xero lists as QBO queries;
- :mod:`.call`, :mod:`.writes` — one Xero call: reads, writes with ``SyncToken`` and ``requestid``, batches;
- :mod:`.translate` — pure QBO ↔ Xero translation; ``mappings/qbo_*.toml`` — the code tables;
- the operations, grouped by area in the ``ops_*`` mixins below. An operation QBO cannot serve is simply not
  defined (the front end answers 501; capabilities are derived).

Upstream economy (QBO allows 500 requests a minute and 10 in flight per realm, upstream-contracts.md §1
"Throttling"): reference data is cached per realm and loaded in one request; lists push their filters, order and
paging down to one QBO query where they can; related records are read in batched ``Id IN (…)`` queries, never one by
one; the number of upstream requests of each Xero call is counted (:attr:`QboAdapter.recent_calls`, the log line
``qbo_call``).
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import AsyncIterator, Mapping
from datetime import date
from typing import ClassVar

import aiohttp

from adapters.base import SourceAdapter, Tenant, UpstreamToken, upstream_tenant
from gateway.settings import Settings
from gateway.xero.request import RequestContext, XeroRequest

from .cache import RefCache
from .call import Call
from .client import MINOR_VERSION, QboClient
from .ids import IdStore
from .ops_catalogue import CatalogueOperations
from .ops_contacts import ContactOperations
from .ops_documents import DocumentOperations
from .ops_money import MoneyOperations
from .ops_reports import ReportOperations

#: How many finished calls :attr:`QboAdapter.recent_calls` keeps.
RECENT_CALLS = 1000


class QboAdapter(CatalogueOperations, ContactOperations, DocumentOperations, MoneyOperations, ReportOperations,
                 SourceAdapter):
    """The QBO adapter.

    Args:
        code: ``"1004"``.
        settings: gateway settings.
        cache: the reference cache (tests pass one with a short TTL or their own timer).
        client_options: keyword arguments of :class:`~adapters.qbo.client.QboClient` (timeouts, retries).

    Attributes:
        recent_calls: ``(operationId, upstream requests, {"METHOD /path": n})`` of the last calls, newest last.
    """

    system_name: ClassVar[str] = "QuickBooks Online"
    sign_in: ClassVar[str] = "upstream"

    def __init__(self, *, code: str, settings: Settings, cache: RefCache | None = None,
                 client_options: Mapping[str, object] | None = None) -> None:
        super().__init__(code=code, settings=settings)
        self.cache = cache or RefCache()
        self.client_options = dict(client_options or {})
        self.client: QboClient | None = None  # type: ignore[assignment]
        self.ids: IdStore | None = None  # type: ignore[assignment]
        self.recent_calls: deque[tuple[str, int, dict[str, int]]] = deque(maxlen=RECENT_CALLS)

    async def startup(self) -> None:
        """Open the HTTP session and make sure the reverse-map table exists."""
        if self.upstream_tokens is None:
            raise RuntimeError("the QBO adapter needs upstream_tokens (set by the source pool)")
        self.ids = IdStore(self.upstream_tokens.db)
        await self.ids.ensure_table()
        self.client = QboClient(code=self.code, tokens=self.upstream_tokens, **self.client_options)  # type: ignore[arg-type]
        await self.client.start()

    async def shutdown(self) -> None:
        if self.client is not None:
            await self.client.close()

    async def list_tenants(self) -> list[Tenant]:
        return await self.upstream_tokens.tenants(self.code)

    async def tenants_for_authorization(self, token: UpstreamToken, callback_params: Mapping[str, str]
                                       ) -> list[Tenant]:
        """The consent's realm (callback ``realmId``), named from ``CompanyInfo.CompanyName``.

        Raises:
            ValueError: the callback carries no ``realmId`` (QBO always sends one, upstream-contracts.md §1 "OAuth").
            aiohttp.ClientError: QBO could not be asked (the consent then fails).
        """
        realm_id = callback_params.get("realmId")
        if not realm_id:
            raise ValueError("the QuickBooks Online callback carried no realmId")
        url = f"{token.api_base}/v3/company/{realm_id}/query"
        params = {"query": "SELECT * FROM CompanyInfo", "minorversion": MINOR_VERSION}
        headers = {"Authorization": f"Bearer {token.access_token}", "Accept": "application/json"}
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session, \
                session.get(url, params=params, headers=headers) as response:
            response.raise_for_status()
            body = await response.json()
        info = ((body.get("QueryResponse") or {}).get("CompanyInfo") or [{}])[0]
        return [upstream_tenant(self.code, realm_id, str(info.get("CompanyName") or f"QuickBooks {realm_id}"))]

    @contextlib.asynccontextmanager
    async def call(self, ctx: RequestContext, req: XeroRequest) -> AsyncIterator[Call]:
        """One Xero call (:class:`~adapters.qbo.call.Call`), counted."""
        assert self.client is not None and self.ids is not None, "startup() first"
        with self.client.tally(req.operation_id) as tally:
            session = Call(self, ctx, req, tally)
            await session.open()
            try:
                yield session
            finally:
                try:
                    await session.close()
                finally:
                    self.recent_calls.append((req.operation_id, tally.calls, dict(tally.by_path)))

    @staticmethod
    def today() -> date:
        """Today's date (UTC) for defaults QBO needs (an inventory item's start date)."""
        from gateway.xero.dates import utcnow

        return utcnow().date()
