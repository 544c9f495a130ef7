"""QBO's change feed (:class:`adapters.common.changes.ChangeFeed`) over Change Data Capture.

One ``GET /v3/company/{realmId}/cdc?entities=A,B&changedSince=ISO`` per poll, whatever the number of entities
(upstream-contracts.md §1 "CDC": 30-day look-back, at most 1000 objects per call; samples/platform/
ChangeDataCapture.json). Each returned record is one change:

- ``status: "Deleted"`` stubs (only ``Id`` and ``MetaData.LastUpdatedTime``) are deletions;
- a record whose ``SyncToken`` is still ``"0"`` (QBO increments it at every update) was created, any other was
  updated (without a ``SyncToken``: ``MetaData.CreateTime`` equal to ``LastUpdatedTime``). CDC gives the record's
  latest state only, so several edits between two polls are one event, and a record created and edited between two
  polls is one UPDATE;
- a credit note's status is the adapter's own reading of the record (:func:`.translate.documents.status`), and
  ``DELETED`` for a deletion.

The Xero GUIDs are the adapter's (:class:`.ids.IdStore`, aliases included: a Vendor created as the counterpart of
a Customer keeps the Customer's ContactID), and are recorded in the reverse map so that the receiver can read the
record back at the event's ``resourceUrl``. Intuit's webhook notifications only make a realm due for this poll
(:mod:`gateway.webhooks.intuit`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from adapters.common.changes import CREATED, DELETED, UPDATED, SourceChange
from adapters.common.feeds import UpstreamFeed
from adapters.common.http import TenantAuth

from .ids import IdStore
from .translate.common import created, qbo_timestamp, updated
from .translate.documents import BY_ENTITY, status

#: Xero ``Status`` of a deleted credit note (CreditNote.Status enum).
DELETED_STATUS = "DELETED"


def _operation(row: dict[str, Any]) -> str:
    if row.get("status") == "Deleted":
        return DELETED
    token = row.get("SyncToken")
    if token not in (None, ""):  # 0 until the first update (QBO's optimistic-locking counter)
        return CREATED if str(token) == "0" else UPDATED
    made = created(row)
    return CREATED if made is not None and made == updated(row) else UPDATED


def _status(entity: str, row: dict[str, Any], operation: str) -> str | None:
    kind = BY_ENTITY.get(entity)
    if kind is None or not kind.credit:
        return None
    return DELETED_STATUS if operation == DELETED else status(row, kind)


class QboChanges(UpstreamFeed):
    """The change feed of one QBO adapter (``code``, its :class:`~.client.QboClient` and :class:`~.ids.IdStore`)."""

    ids: IdStore

    async def read(self, auth: TenantAuth, tenant_key: str, since: datetime, kinds: Sequence[str]
                   ) -> list[SourceChange]:
        """One CDC call for every entity of ``kinds``.

        Raises:
            QboFault, QboUnavailable, Unauthorized: QBO refused or could not be reached.
        """
        answer = await self.client.get(auth, "/cdc", {"entities": ",".join(kinds),
                                                     "changedSince": qbo_timestamp(since)})
        await self.ids.load(tenant_key)
        changes: list[SourceChange] = []
        for block in (answer.get("CDCResponse") or [{}])[0].get("QueryResponse") or []:
            for entity, rows in block.items():
                if entity not in kinds or not isinstance(rows, list):
                    continue
                changes.extend(c for c in (self._change(tenant_key, entity, row) for row in rows) if c is not None)
        return changes

    def _change(self, realm_id: str, entity: str, row: dict[str, Any]) -> SourceChange | None:
        changed_at = updated(row)
        if changed_at is None or not row.get("Id"):
            return None
        operation = _operation(row)
        return SourceChange(kind=entity, upstream_id=str(row["Id"]),
                            resource_id=self.ids.forward(realm_id, entity, str(row["Id"])), operation=operation,
                            changed_at=changed_at, version=str(row.get("SyncToken") or ""),
                            status=_status(entity, row, operation))
