"""The change feed: how an adapter reports records that changed directly in its source system (issue 13).

The gateway's webhook detectors (:mod:`gateway.webhooks.detectors`) poll it per tenant and turn each
:class:`SourceChange` into a Xero webhook event through the code table ``mappings/webhook_changes.toml``; they
never import an adapter, only this module and :meth:`adapters.base.SourceAdapter.change_feed`.

Normative rules for an implementation:

- :meth:`ChangeFeed.changes_since` MUST return every change of ``kinds`` the source recorded at or after ``since``
  (inclusive: the detector drops what it already saw at that instant), oldest first, in the source's own terms
  (``kind`` = QBO entity or Sage resource name, ``operation`` = the upstream's word for it) plus the Xero GUID the
  adapter hands out for that record (:mod:`adapters.common.ids`), so that ``resourceId`` is the ID a Xero client
  reads the record back with.
- ``changed_at`` is the source's own change time (aware UTC); ``version`` anything that differs between two
  changes of one record at one instant (QBO ``SyncToken``), or empty.
- A credit note's change carries ``status``, the Xero ``Status`` of the record after the change (``DELETED`` for a
  deletion), since Xero's ``CreditNoteWebhookEvent`` has ``data.Status``.
- It MAY spend several upstream calls; it MUST NOT call the source when ``kinds`` is empty.
- Errors: the adapter's own upstream errors (the detector logs them and retries at its next interval).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

#: ``SourceChange.operation`` words the detectors understand besides the upstreams' own (mapped in
#: ``mappings/webhook_changes.toml``): a record first seen (its creation time equals its change time) and one seen
#: again later.
CREATED = "Create"
UPDATED = "Update"
DELETED = "Delete"


@dataclass(frozen=True)
class SourceChange:
    """One change of one record at the source.

    Attributes:
        kind: the upstream's record kind (QBO ``Customer``, Sage ``sales_invoices``, Sage 50 ``SALES_LEDGER``).
        upstream_id: the record's id at the source.
        resource_id: the record's Xero GUID (lower-case, as the adapter's reads answer it).
        operation: the upstream's operation word (QBO webhook ``operation``; :data:`CREATED`, :data:`UPDATED`,
            :data:`DELETED` otherwise).
        changed_at: aware UTC time of the change, by the source's clock.
        version: distinguishes two changes of the record at one instant (QBO ``SyncToken``), or ``""``.
        status: credit notes only: the Xero ``Status`` after the change.
    """

    kind: str
    upstream_id: str
    resource_id: str
    operation: str
    changed_at: datetime
    version: str = ""
    status: str | None = None

    @property
    def key(self) -> str:
        """``kind/upstream_id/version@changed_at``: what a detector remembers it has seen."""
        return f"{self.kind}/{self.upstream_id}/{self.version}@{self.changed_at.isoformat()}"


@runtime_checkable
class ChangeFeed(Protocol):
    """The changes of one source, per tenant (see the module rules)."""

    async def changes_since(self, tenant_id: str, since: datetime, kinds: Sequence[str]) -> list[SourceChange]:
        """Changes of ``kinds`` in ``tenant_id`` at or after ``since``, oldest first.

        Args:
            tenant_id: the Xero ``tenantId`` (the gateway's).
            since: aware UTC lower bound (inclusive).
            kinds: the upstream record kinds wanted (``mappings/webhook_changes.toml`` lists them per source).

        Returns:
            The changes, oldest first.
        """
        ...  # pragma: no cover - protocol

    def tenant_id_of(self, tenant_key: str) -> str:
        """The Xero ``tenantId`` of the source's tenant key (QBO ``realmId``): for push notifications."""
        ...  # pragma: no cover - protocol
