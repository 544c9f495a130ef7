"""Sage Accounting's change feed (:class:`adapters.common.changes.ChangeFeed`): Sage v3.1 has no webhooks, so each
poll lists, per resource asked for, what changed since the watermark (upstream-contracts.md §2 "No reports, no
webhooks"; the spec's list parameters):

- ``GET /{resource}?updated_or_created_since=ISO&attributes=created_at,updated_at[,status]`` (inclusive): a record
  whose ``created_at`` equals its ``updated_at`` was created, any other updated;
- ``GET /{resource}?deleted_since=ISO`` (exclusive, so asked one second earlier; the detector drops what it already
  saw): deletions, timed by ``deleted_at``.

Two calls per resource per poll when nothing changed (more only when a page of 200 overflows, at most
:data:`MAX_PAGES` pages each). A credit note's status is the adapter's own reading (:func:`.translate.documents.
xero_status`), ``DELETED`` for a deletion. GUIDs are the adapter's (:class:`.ids.IdStore`) and are recorded in its
reverse map, so the receiver can read the record back at the event's ``resourceUrl``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from adapters.common.changes import CREATED, DELETED, UPDATED, SourceChange
from adapters.common.feeds import UpstreamFeed
from adapters.common.http import TenantAuth
from adapters.common.values import timestamp

from .client import MAX_ITEMS_PER_PAGE, SageClient
from .translate.documents import xero_status

#: Pages of one list a poll reads at most (10,000 records of one resource changed between two polls). Sage lists in
#: creation order, so beyond that a change could be skipped: a known limit, logged by the detector as a large poll.
MAX_PAGES = 50
#: The resources whose changes carry a Xero status (credit notes: ``CreditNoteWebhookEvent.data.Status``).
WITH_STATUS = ("sales_credit_notes", "purchase_credit_notes")


def sage_moment(moment: datetime) -> str:
    """A list filter's date-time: ISO 8601 with an offset (the spec's parameter text)."""
    return moment.replace(microsecond=0).isoformat()


class SageChanges(UpstreamFeed):
    """The change feed of one Sage Accounting adapter (``code``, its :class:`~.client.SageClient` and
    :class:`~.ids.IdStore`)."""

    client: SageClient

    async def read(self, auth: TenantAuth, tenant_key: str, since: datetime, kinds: Sequence[str]
                   ) -> list[SourceChange]:
        """Two lists (or more pages) per resource of ``kinds``.

        Raises:
            SageError, SageUnavailable, Unauthorized: Sage refused or could not be reached.
        """
        changes: list[SourceChange | None] = []
        for resource in kinds:
            attributes = "created_at,updated_at" + (",status" if resource in WITH_STATUS else "")
            for row in await self._rows(auth, resource, {"updated_or_created_since": sage_moment(since),
                                                         "attributes": attributes}):
                changes.append(self._change(tenant_key, resource, row, deleted=False))
            earlier = since - timedelta(seconds=1)
            for row in await self._rows(auth, resource, {"deleted_since": sage_moment(earlier)}):
                changes.append(self._change(tenant_key, resource, row, deleted=True))
        return [c for c in changes if c is not None]

    async def _rows(self, auth: TenantAuth, resource: str, params: dict[str, str]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for page in range(1, MAX_PAGES + 1):
            answer = await self.client.list_page(auth, f"/{resource}", params, page=page)
            rows.extend(answer.items)
            if len(answer.items) < MAX_ITEMS_PER_PAGE or answer.page < page:
                break
        return rows

    def _change(self, business_id: str, resource: str, row: dict[str, Any], *, deleted: bool) -> SourceChange | None:
        sage_id = row.get("id")
        changed_at = timestamp(row.get("deleted_at") if deleted else (row.get("updated_at") or row.get("created_at")))
        if not sage_id or changed_at is None:
            return None
        if deleted:
            operation = DELETED
        else:
            operation = CREATED if timestamp(row.get("created_at")) == changed_at else UPDATED
        status = None
        if resource in WITH_STATUS:
            status = "DELETED" if deleted else xero_status(row)
        return SourceChange(kind=resource, upstream_id=str(sage_id),
                            resource_id=self.ids.guid(business_id, resource, str(sage_id)), operation=operation,
                            changed_at=changed_at, version="deleted" if deleted else "", status=status)
