"""The Sage Business Cloud Accounting v3.1 adapter (source code 1009): class, lifecycle and consent.

Users authorise the gateway through Sage's own OAuth 2.0 consent (``sign_in = "upstream"``, :mod:`gateway.upstream`):
one consent covers every business the Sage user can reach, each a Xero tenant (``GET /businesses``, one tenant per
business, :func:`adapters.base.upstream_tenant`); the upstream user is ``GET /user``. Every call then names its business
in ``X-Business`` (:mod:`adapters.sage_accounting.client`). The source pool hands the adapter its collaborators
(``services``: the credentials provider and the gateway's database, :class:`adapters.base.AdapterServices`).

The operations live in per-area mixins, one module each: :mod:`.ops_settings` (Organisation, Accounts, TaxRates,
Currencies, Items), :mod:`.ops_contacts`, :mod:`.ops_documents` (Invoices, CreditNotes, allocations),
:mod:`.ops_banking` (Payments, BankTransactions, BankTransfers, ManualJournals), :mod:`.ops_reports` (reports
computed from ledger balances and entries: Sage has no reports endpoint), :mod:`.ops_records` (History and Notes,
Attachments, installed per collection from ``mappings/sage_parents.toml``; writes through the gateway are kept as
history by :meth:`SageAccountingAdapter.operation`), :mod:`.ops_organisation` (Users, BrandingThemes, Organisation
actions), :mod:`.ops_contact_groups` (ContactGroups, kept by the gateway), :mod:`.ops_quotes` (Quotes ↔
``sales_quotes``), :mod:`.ops_journals` (the journal feed over ``transactions``/``ledger_entries``) and
:mod:`.ops_tracking` (TrackingCategories ↔ ``analysis_types``). Capabilities are derived from these methods
(:meth:`adapters.base.SourceAdapter.supported_operations`); anything else answers 501 (the reasons:
``docs/sage-accounting-unsupported.md``).

Shared machinery, on the common floor of :mod:`adapters.common`: :mod:`.unit` (one Xero call: credentials read once,
reference data, reads, writes), :mod:`.client` (Sage's transport), :mod:`.listing`/:mod:`.query`/:mod:`.resources`
(Xero paging and ``where`` over Sage lists), :mod:`.ids` (stable GUIDs), :mod:`.ledger` (retried writes never
duplicate), :mod:`.batch` (``summarizeErrors`` and compensation), :mod:`.cache` (per-business reference data and
totals), :mod:`.contacts` (the contact of a document), :mod:`.errors` (Sage errors → Xero errors),
:mod:`.tables` (the adapter's own tables).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from functools import wraps
from typing import Any, ClassVar

from adapters.base import LedgerUser, SourceAdapter, Tenant, UpstreamToken, upstream_tenant
from adapters.common.contact_groups import ContactGroupStore
from adapters.common.history import HistoryLog
from adapters.common.journal_numbers import JournalNumbers
from adapters.common.ledger import WriteLedger
from gateway.xero.request import RequestContext, Result, XeroRequest

from .cache import RefCache
from .changes import SageChanges
from .client import SYSTEM_NAME, SageClient, read_list
from .codes import tables
from .ids import IdStore
from .ledger import sage_ledger
from .ops_banking import BankingOps
from .ops_contact_groups import ContactGroupOps
from .ops_contacts import ContactOps
from .ops_documents import DocumentOps
from .ops_journals import JournalOps
from .ops_organisation import OrganisationOps
from .ops_quotes import QuoteOps
from .ops_records import LEDGER_ANSWERED, RecordOps, committed_documents, recorded_writes, written_entries
from .ops_reports import ReportOps
from .ops_settings import SettingsOps
from .ops_tracking import TrackingOps
from .parents import parent_table
from .tables import SAGE_CONTACT_GROUPS, SAGE_HISTORY, SAGE_JOURNAL_NUMBERS
from .translate.quotes import quote_table
from .unit import SageUnit


class SageAccountingAdapter(SettingsOps, ContactOps, DocumentOps, BankingOps, ReportOps, RecordOps,
                            OrganisationOps, ContactGroupOps, QuoteOps, JournalOps,
                            TrackingOps, SourceAdapter):
    """Xero Accounting API over Sage Business Cloud Accounting v3.1 (module docstring)."""

    system_name: ClassVar[str] = SYSTEM_NAME
    sign_in: ClassVar[str] = "upstream"

    client: SageClient
    cache: RefCache
    ids: IdStore
    ledger: WriteLedger
    history: HistoryLog
    contact_groups: ContactGroupStore
    journal_numbers: JournalNumbers

    async def startup(self) -> None:
        """Check the code tables and open the HTTP session (the gateway's migrations made the tables: :mod:`.tables`).

        Raises:
            ValueError, pydantic.ValidationError: a malformed ``mappings/sage_*.toml``.
            RuntimeError: the source pool gave no services.
        """
        tables()
        parent_table()
        quote_table()
        if self.services is None:
            raise RuntimeError(f"source {self.code}: the adapter needs services (given by the source pool)")
        db = self.services.db
        self.client = SageClient(code=self.code, credentials=self.credentials)
        await self.client.start()
        self.cache = RefCache()
        self.ids = IdStore(db)
        self.ledger = sage_ledger(db)
        self.history = HistoryLog(db, SAGE_HISTORY)
        self.contact_groups = ContactGroupStore(db, SAGE_CONTACT_GROUPS)
        self.journal_numbers = JournalNumbers(db, SAGE_JOURNAL_NUMBERS)

    async def shutdown(self) -> None:
        """Close the HTTP session."""
        await self.client.close()

    def change_feed(self) -> SageChanges:
        """``updated_or_created_since``/``deleted_since`` per business (:mod:`.changes`), for the webhook
        detectors (after :meth:`startup`)."""
        return SageChanges(code=self.code, client=self.client, ids=self.ids)

    async def list_tenants(self) -> list[Tenant]:
        """The businesses consented so far."""
        return await self.credentials.tenants(self.code)

    # Consent --------------------------------------------------------------------------------------------------

    async def tenants_for_authorization(self, token: UpstreamToken, callback_params: Mapping[str, str]) -> list[Tenant]:
        """One tenant per business of ``GET /businesses`` (swagger.user_business; a bare array per the spec, the
        list envelope of the pagination guide also read), named after the business.

        Raises:
            SageError, SageUnavailable: Sage refused or did not answer (the consent then fails with
                ``access_denied``).
        """
        data = await self.client.consent_get(token, "/businesses")
        rows = read_list(data, page=1, items_per_page=0).items
        return [upstream_tenant(self.code, str(b["id"]), str(b.get("name") or b.get("displayed_as") or b["id"]))
                for b in rows if b.get("id")]

    async def user_for_authorization(self, token: UpstreamToken,
                                     callback_params: Mapping[str, str]) -> LedgerUser | None:
        """The Sage user of the consent (``GET /user``: ``id``, ``email``, ``first_name``, ``last_name``)."""
        me = await self.client.consent_get(token, "/user")
        if not isinstance(me, dict) or not me.get("id"):
            return None
        return LedgerUser(user_id=str(me["id"]), email=str(me.get("email") or ""),
                          given_name=str(me.get("first_name") or ""), family_name=str(me.get("last_name") or ""))

    # Calls ------------------------------------------------------------------------------------------------------

    def operation(self, operation_id: str) -> Callable[..., Awaitable[Any]] | None:
        """The bound method serving ``operation_id``; a write of a record with History keeps what it did in the
        gateway's history once it succeeded (:func:`adapters.sage_accounting.ops_records.written_entries`)."""
        method = super().operation(operation_id)
        if method is None or operation_id not in recorded_writes():
            return method
        served = method

        @wraps(served)
        async def keeping_history(ctx: RequestContext, req: XeroRequest) -> Result:
            result = await served(ctx, req)
            entries = written_entries(operation_id, req, result)
            if entries:
                await self.history.add_many(ctx.tenant_id, entries)
            return result

        return keeping_history

    async def recorded_write(self, ctx: RequestContext, req: XeroRequest) -> Result | None:
        """The documents a keyed create whose outcome the gateway lost already made, re-read from Sage.

        Sage has no idempotency key of its own (upstream-contracts.md §2); the adapter's durable write ledger
        (:mod:`adapters.common.ledger`) records each keyed ``POST`` as ``pending`` before it is sent and ``done``
        with the Sage id after Sage answered. When the ledger shows every element's create ``done``, the records
        are read back from Sage and answered (:func:`adapters.sage_accounting.ops_records.committed_documents`).

        Returns:
            The documents, or ``None`` when the ledger cannot show all of them made (the operation then runs again
            and its creates reconcile through the same ledger: a ``done`` write is read, a ``pending`` one looked
            up in Sage before any new ``POST``).

        Raises:
            XeroApiError: Sage could not be read (the outcome stays unknown).
        """
        if not req.idempotency_key or req.operation_id not in LEDGER_ANSWERED:
            return None
        async with self.unit(ctx, req) as unit:
            documents = await committed_documents(unit, req)
        return None if documents is None else Result(items=list(documents))

    def unit(self, ctx: RequestContext, req: XeroRequest) -> SageUnit:
        """The unit of work of one Xero call (``async with self.unit(ctx, req) as unit``,
        :class:`adapters.sage_accounting.unit.SageUnit`): credentials read once, upstream requests counted."""
        return SageUnit(code=self.code, client=self.client, ids=self.ids, cache=self.cache, ledger=self.ledger, ctx=ctx,
                    req=req)
