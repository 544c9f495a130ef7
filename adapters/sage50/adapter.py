"""The Sage 50 Accounts UK adapter (code 1001): Xero's API over the gateway-side replica that the on-premise
connector keeps current, writes as durable jobs the connector posts through Sage Data Objects.

- Sign-in is by pairing (``sign_in = "agent"``, :mod:`adapters.agents`): the consent page shows a one-time code
  the user types on the PC that holds the data (``sage50-connector pair``); each company that connector serves is
  one Xero tenant (``tenant_id`` = uuid5 of the code and the connector's ``company_key``).
- Reads never reach the PC: they translate the replica (:mod:`.replica`, :mod:`.unit`), so they are fast and keep
  working while the PC is off; every answer says when the company was last synced (``X-Sage50-Last-Sync``).
- The replica is fed by :meth:`ingest` (the connector's sync pages) and :meth:`apply_rows` (the rows a write job
  returned, so the next read sees the write at once).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

from adapters.agents import AgentCompanyInfo, AgentLink, SyncBatch
from adapters.base import AdapterServices, SourceAdapter, Tenant
from adapters.common.changes import SourceChange
from gateway.settings import Settings

from .changes import sync_changes
from .ops_banking import BankingOps, BankingWriteOps
from .ops_contacts import ContactOps, ContactWriteOps
from .ops_documents import DocumentOps, DocumentWriteOps
from .ops_reports import ReportOps
from .ops_settings import SettingsOps
from .replica import Replica
from .unit import BooksCache


class Sage50Adapter(SettingsOps, ContactOps, ContactWriteOps, DocumentOps, DocumentWriteOps, BankingOps,
                    BankingWriteOps, ReportOps, SourceAdapter):
    """See the module docstring."""

    system_name: ClassVar[str] = "Sage 50 Accounts UK"
    sign_in: ClassVar[str] = "agent"

    def __init__(self, *, code: str, settings: Settings, services: AdapterServices | None = None) -> None:
        super().__init__(code=code, settings=settings, services=services)
        if services is None:
            raise RuntimeError(f"source {code}: the Sage 50 adapter needs services (the gateway's database and "
                               "agents' link, given by the source pool)")
        self.replica = Replica(services.db.engine)
        self.books_cache = BooksCache(self.replica)
        self.write_wait = settings.agents.write_wait

    @property
    def agent_link(self) -> AgentLink | None:
        """The gateway's link to the on-premise agents (``services.agents``)."""
        return self.services.agents if self.services is not None else None

    async def list_tenants(self) -> list[Tenant]:
        """Every company announced by a live connector."""
        if self.agent_link is None:
            return []
        return [Tenant(tenant_id=c.tenant_id, name=c.name, tenant_key=c.company_key)
                for c in await self.agent_link.companies(self.code)]

    # The connector's side (adapters.agents.AgentSource) ---------------------------------------------------

    async def ingest(self, company: AgentCompanyInfo, batch: SyncBatch) -> int:
        """Store one sync page (atomic). Raises ``ValueError`` for an unknown table or a row without its key."""
        return await self.replica.ingest(
            tenant_id=company.tenant_id, company_key=company.company_key, table=batch.table, rows=batch.rows,
            deleted=batch.deleted, watermark=batch.watermark, final=batch.final, now=datetime.now(UTC))

    async def sync_changes(self, company: AgentCompanyInfo, batch: SyncBatch) -> list[SourceChange]:
        """The changes a sync page brings (:mod:`.changes`), before it is ingested."""
        return await sync_changes(self.replica, company, batch)

    async def apply_rows(self, company: AgentCompanyInfo, rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
        """Apply the rows a finished write job returned (read-your-writes)."""
        await self.replica.apply(tenant_id=company.tenant_id, company_key=company.company_key, rows=rows,
                                 now=datetime.now(UTC))
