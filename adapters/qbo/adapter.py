"""QuickBooks Online (source code 1004): the Xero Accounting API served from a QBO company.

Users authorise the gateway at Intuit (``sign_in = "upstream"``; the consent flow is the gateway's); one consent is
one realm, one Xero tenant (``tenantId`` = uuid5 of the code and the ``realmId``,
:func:`adapters.base.upstream_tenant`), named from the realm's ``CompanyInfo.CompanyName``.

The adapter's pieces (one job each, the Libcloud file set):

- :mod:`.client` — transport over :mod:`adapters.common.http` (URL, ``minorversion``, QBO faults; the consent's
  company look-up too);
- :mod:`.errors` — QBO faults → Xero errors;
- :mod:`.tables`, :mod:`.ids` — the adapter's own tables; stable GUIDs and the persisted reverse map;
- :mod:`.cache`, :mod:`.refdata`, :mod:`.codes` — per-realm reference data and counts; the code tables
  (``mappings/qbo_*.toml``);
- :mod:`.query`, :mod:`.resources`, :mod:`.listing` — Xero lists as QBO queries;
- :mod:`.unit`, :mod:`.batch` — one Xero call (credentials read once, reads, writes with ``SyncToken`` and
  ``requestid``); batches with ``summarizeErrors``;
- :mod:`.contacts`, :mod:`.documents` — what several operation areas share (a contact's Customer/Vendor, the
  document families);
- :mod:`.translate` — pure QBO ↔ Xero translation; :mod:`.translated` — translated records of lists, cached;
- :mod:`.parents` — the records with History and Attachments, and their QBO entities;
- the operations, grouped by area in the ``ops_*`` mixins below (:mod:`.ops_base` is their base). An operation QBO
  cannot serve is simply not defined (the front end answers 501; capabilities are derived).

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
from typing import Any, ClassVar

from adapters.base import AdapterServices, SourceAdapter, Tenant, UpstreamToken, upstream_tenant
from adapters.common.history import HistoryLog
from adapters.common.refcache import RefCache
from adapters.common.unit import CallRecord
from adapters.qbo.contact_groups import ContactGroups
from gateway.settings import Settings
from gateway.xero.request import RequestContext, Result, XeroRequest

from .changes import QboChanges
from .client import QboClient
from .ids import IdStore
from .ops_banking import BankingOperations
from .ops_contact_groups import ContactGroupOperations
from .ops_contacts import ContactOperations
from .ops_documents import DocumentOperations
from .ops_orders import OrderOperations
from .ops_organisation import OrganisationOperations
from .ops_pdf import PdfOperations
from .ops_repeating import RepeatingOperations
from .ops_reports import ReportOperations
from .ops_settings import SettingsOperations
from .ops_workflow import WorkflowOperations
from .tables import QBO_CONTACT_GROUPS, QBO_HISTORY
from .translated import TranslatedRecords
from .unit import QboUnit

#: How many finished calls :attr:`QboAdapter.recent_calls` keeps.
RECENT_CALLS = 1000


class QboAdapter(SettingsOperations, ContactOperations, DocumentOperations, BankingOperations, ReportOperations,
                 OrderOperations, WorkflowOperations, OrganisationOperations, ContactGroupOperations,
                 PdfOperations, RepeatingOperations, SourceAdapter):
    """The QBO adapter.

    Args:
        code: ``"1004"``.
        settings: gateway settings.
        services: credentials provider and database (given by the source pool).
        cache: the reference cache (tests pass one with a short TTL or their own timer).
        client_options: keyword arguments of :class:`~adapters.qbo.client.QboClient` (timeouts, retries).

    Attributes:
        recent_calls: ``(operationId, upstream requests, {"METHOD /path": n})`` of the last calls, newest last.

    Raises:
        RuntimeError: no ``services`` (the adapter cannot work without credentials and a database).
    """

    system_name: ClassVar[str] = "QuickBooks Online"
    sign_in: ClassVar[str] = "upstream"

    def __init__(self, *, code: str, settings: Settings, services: AdapterServices | None = None,
                 cache: RefCache | None = None, client_options: Mapping[str, Any] | None = None) -> None:
        super().__init__(code=code, settings=settings, services=services)
        if services is None:
            raise RuntimeError("the QBO adapter needs services (credentials and database, given by the source pool)")
        self.cache = cache or RefCache()
        self.client = QboClient(code=code, tokens=services.credentials, **dict(client_options or {}))
        self.ids = IdStore(services.db)
        self.translated = TranslatedRecords()
        self.history = HistoryLog(services.db, QBO_HISTORY, whole_seconds=True)
        self.contact_groups = ContactGroups(services.db, QBO_CONTACT_GROUPS)
        self.recent_calls: deque[CallRecord] = deque(maxlen=RECENT_CALLS)

    async def startup(self) -> None:
        """Open the HTTP session (the adapter's tables are the gateway's migrations': :mod:`.tables`)."""
        await self.client.start()

    async def shutdown(self) -> None:
        """Close the HTTP session."""
        await self.client.close()

    def change_feed(self) -> QboChanges:
        """Change Data Capture per realm (:mod:`.changes`), for the gateway's webhook detectors."""
        return QboChanges(code=self.code, client=self.client, ids=self.ids)

    async def list_tenants(self) -> list[Tenant]:
        """The realms consented so far."""
        return await self.credentials.tenants(self.code)

    async def tenants_for_authorization(self, token: UpstreamToken, callback_params: Mapping[str, str]
                                       ) -> list[Tenant]:
        """The consent's realm (callback ``realmId``), named from ``CompanyInfo.CompanyName``.

        Raises:
            ValueError: the callback carries no ``realmId`` (QBO always sends one, upstream-contracts.md §1 "OAuth").
            QboFault, QboUnavailable, Unauthorized: QBO could not be asked (the consent then fails).
        """
        realm_id = callback_params.get("realmId")
        if not realm_id:
            raise ValueError("the QuickBooks Online callback carried no realmId")
        info = await self.client.company_info(token, realm_id)
        return [upstream_tenant(self.code, realm_id, str(info.get("CompanyName") or f"QuickBooks {realm_id}"))]

    async def recorded_write(self, ctx: RequestContext, req: XeroRequest) -> Result | None:
        """The answer of the keyed write whose outcome the gateway lost, from QBO's ``requestid`` replay.

        Every write of a keyed call carries a ``requestid`` derived from the client, the tenant, the
        ``Idempotency-Key``, the operation and the write's label, which names the element (``main:0``,
        ``counterpart:1``…; :func:`adapters.qbo.unit.derive_request_id`), and QBO answers a repeated ``requestid``
        of the realm with its first response without writing again (upstream-contracts.md §1 "Idempotency"). QBO
        has no other way to ask whether a ``requestid`` was used, so the operation is sent again as it was: each
        write that committed before the crash comes back from the replay (same ``Id``), and only a write QBO never
        received is made now, once.

        Returns:
            The operation's answer, or ``None`` without a key or for an operation this adapter does not serve.

        Raises:
            XeroApiError: QBO could not be asked (the outcome stays unknown), or refused a write it never made.
        """
        method = self.operation(req.operation_id) if req.idempotency_key else None
        if method is None:
            return None
        return await method(ctx, req)

    @contextlib.asynccontextmanager
    async def unit(self, ctx: RequestContext, req: XeroRequest) -> AsyncIterator[QboUnit]:
        """One Xero call (:class:`~adapters.qbo.unit.QboUnit`): credentials read once, counted, GUIDs saved."""
        async with QboUnit(client=self.client, ids=self.ids, cache=self.cache, ctx=ctx, req=req,
                           recent=self.recent_calls, history=self.history, translated=self.translated) as unit:
            yield unit
