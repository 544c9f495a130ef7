"""The Sage Business Cloud Accounting v3.1 adapter (source code 1009).

Users authorise the gateway through Sage's own OAuth 2.0 consent (``sign_in = "upstream"``, :mod:`gateway.upstream`):
one consent covers every business the Sage user can reach, each a Xero tenant (``GET /businesses``, one tenant per
business, :func:`adapters.base.upstream_tenant`); the upstream user is ``GET /user``. Every call then names its business
in ``X-Business`` (:mod:`adapters.sage_accounting.client`).

The operations live in per-area mixins, one module each: :mod:`.ops_settings` (Organisation, Accounts, TaxRates,
Currencies, Items), :mod:`.ops_contacts`, :mod:`.ops_documents` (Invoices, CreditNotes, allocations),
:mod:`.ops_banking` (Payments, BankTransactions, BankTransfers, ManualJournals) and :mod:`.ops_reports` (reports
computed from ledger balances and entries: Sage has no reports endpoint). Capabilities are derived from these
methods (:meth:`adapters.base.SourceAdapter.supported_operations`); anything else answers 501.

Shared machinery: :mod:`.call` (one Xero call: reference data, reads, writes), :mod:`.listing`/:mod:`.query` (Xero
paging and ``where`` over Sage lists), :mod:`.ids` (stable GUIDs), :mod:`.writes` (retried writes never duplicate),
:mod:`.cache` (per-business reference data and totals), :mod:`.errors` (Sage errors → Xero errors).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping
from typing import ClassVar

from adapters.base import LedgerUser, SourceAdapter, Tenant, UpstreamToken, upstream_tenant
from gateway.store.db import Database
from gateway.xero.request import RequestContext, XeroRequest

from .cache import RefCache
from .call import Call
from .client import SageClient, read_list
from .codes import tables
from .ids import IdStore
from .ops_banking import BankingOps
from .ops_contacts import ContactOps
from .ops_documents import DocumentOps
from .ops_reports import ReportOps
from .ops_settings import SettingsOps
from .writes import WriteLedger


class SageAccountingAdapter(SettingsOps, ContactOps, DocumentOps, BankingOps, ReportOps, SourceAdapter):
    """Xero Accounting API over Sage Business Cloud Accounting v3.1 (module docstring)."""

    system_name: ClassVar[str] = "Sage Business Cloud Accounting"
    sign_in: ClassVar[str] = "upstream"

    client: SageClient
    cache: RefCache
    ids: IdStore
    writes: WriteLedger

    async def startup(self) -> None:
        """Check the code tables, open the HTTP session and the adapter's tables.

        Raises:
            ValueError, pydantic.ValidationError: a malformed ``mappings/sage_*.toml``.
        """
        tables()
        assert self.upstream_tokens is not None, "the source pool sets upstream_tokens before startup()"
        self.client = SageClient(code=self.code, tokens=self.upstream_tokens)
        await self.client.start()
        self.cache = RefCache()
        db: Database = self.upstream_tokens.db
        self.ids = IdStore(db)
        await self.ids.ensure_tables()
        self.writes = WriteLedger(db)

    async def shutdown(self) -> None:
        await self.client.close()

    async def list_tenants(self) -> list[Tenant]:
        """The businesses consented so far."""
        assert self.upstream_tokens is not None
        return await self.upstream_tokens.tenants(self.code)

    # Consent --------------------------------------------------------------------------------------------------

    async def tenants_for_authorization(self, token: UpstreamToken, callback_params: Mapping[str, str]) -> list[Tenant]:
        """One tenant per business of ``GET /businesses`` (swagger.user_business; a bare array per the spec, the
        list envelope of the pagination guide also read), named after the business.

        Raises:
            SageError, SageUnavailable: Sage refused or did not answer (the consent then fails with
                ``access_denied``).
        """
        data = await self.client.consent_get(token.api_base, token.access_token, "/businesses")
        rows = read_list(data, page=1, items_per_page=0).items
        return [upstream_tenant(self.code, str(b["id"]), str(b.get("name") or b.get("displayed_as") or b["id"]))
                for b in rows if b.get("id")]

    async def user_for_authorization(self, token: UpstreamToken,
                                     callback_params: Mapping[str, str]) -> LedgerUser | None:
        """The Sage user of the consent (``GET /user``: ``id``, ``email``, ``first_name``, ``last_name``)."""
        me = await self.client.consent_get(token.api_base, token.access_token, "/user")
        if not isinstance(me, dict) or not me.get("id"):
            return None
        return LedgerUser(user_id=str(me["id"]), email=str(me.get("email") or ""),
                          given_name=str(me.get("first_name") or ""), family_name=str(me.get("last_name") or ""))

    # Calls ------------------------------------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def call(self, ctx: RequestContext, req: XeroRequest) -> AsyncIterator[Call]:
        """One Xero call's context (:class:`adapters.sage_accounting.call.Call`), its upstream requests counted."""
        with self.client.tally(req.operation_id) as tally:
            call = Call(self, ctx, req, tally)
            await call.open()
            try:
                yield call
            finally:
                await call.close()
