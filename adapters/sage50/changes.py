"""The changes a Sage 50 sync page brings (:meth:`adapters.agents.AgentSource.sync_changes`), for the gateway's
webhooks.

The connector's incremental sync sends the rows whose ``RECORD_MODIFY_DATE`` moved and the keys in
``DELETED_RECORDS`` (sage50.md; shared/notes/webhooks.md §5 "Sage 50: agent diffs on RECORD_MODIFY_DATE and
DELETED_RECORDS"), so every row of a page after the table's first full sync is a change:

- ``SALES_LEDGER``/``PURCHASE_LEDGER`` rows are contacts (``contact`` GUID of ``ACCOUNT_REF``: one ContactID for a
  reference on both ledgers); a deleted key is a deletion;
- ``AUDIT_HEADER`` rows are documents, kind ``AUDIT_HEADER/{TYPE}`` (``SI``, ``PI``, ``SC``, ``PC``…; the change table
  maps them), ``header`` GUID of ``HEADER_NUMBER``; a credit note carries its status
  (:func:`.translate.documents.header_status`). A deleted header key says no ``TYPE``, and Sage 50 keeps deleted
  transactions as ``DELETED_FLAG`` rows anyway: such keys yield nothing;
- a row whose ``RECORD_CREATE_DATE`` equals its ``RECORD_MODIFY_DATE`` was created, any other updated;
  ``RECORD_DELETED`` marks a deletion. Times are the PC's, taken as UTC as the replica takes them.

A page of a table whose first full sync has not finished (no watermark stored yet) is history, not change: nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from adapters.agents import AgentCompanyInfo, SyncBatch
from adapters.common.changes import CREATED, DELETED, UPDATED, SourceChange

from . import ids
from .replica import Replica, deleted_key, key_part
from .translate.documents import header_status
from .unit import number as header_key

#: Ledger tables whose rows are contacts.
CONTACT_TABLES = ("SALES_LEDGER", "PURCHASE_LEDGER")
HEADERS = "AUDIT_HEADER"
#: Header types that are credit notes (their events carry a status).
CREDIT_TYPES = ("SC", "PC")


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _operation(row: Mapping[str, Any]) -> str:
    if row.get("RECORD_DELETED"):
        return DELETED
    made, changed = row.get("RECORD_CREATE_DATE"), row.get("RECORD_MODIFY_DATE")
    return CREATED if made and made == changed else UPDATED


def _row_change(tenant_id: str, table: str, row: Mapping[str, Any], now: datetime) -> SourceChange | None:
    changed_at = _moment(row.get("RECORD_MODIFY_DATE")) or now
    operation = _operation(row)
    if table in CONTACT_TABLES:
        ref = key_part(row.get("ACCOUNT_REF") or "")
        return SourceChange(kind=table, upstream_id=ref, resource_id=ids.guid(tenant_id, "contact", ref),
                            operation=operation, changed_at=changed_at) if ref else None
    if table == HEADERS:
        key, kind = header_key(row.get("HEADER_NUMBER")), str(row.get("TYPE") or "")
        if key is None or not kind:
            return None
        status = header_status(row) if kind in CREDIT_TYPES else None
        return SourceChange(kind=f"{HEADERS}/{kind}", upstream_id=str(key),
                            resource_id=ids.guid(tenant_id, "header", key),
                            operation=operation, changed_at=changed_at, status=status)
    return None


async def sync_changes(replica: Replica, company: AgentCompanyInfo, batch: SyncBatch, *,
                       now: datetime | None = None) -> list[SourceChange]:
    """The changes of one sync page (module docstring), oldest first.

    Raises:
        ValueError: a deleted key of an unknown table (as :meth:`Replica.ingest`).
    """
    if batch.table not in (*CONTACT_TABLES, HEADERS):
        return []
    known = await replica.company(company.tenant_id)
    if known is None or (known.watermarks or {}).get(batch.table) is None:
        return []
    now = now or datetime.now(UTC)
    changes = [c for c in (_row_change(company.tenant_id, batch.table, row, now) for row in batch.rows)
               if c is not None]
    if batch.table in CONTACT_TABLES:
        for value in batch.deleted:
            ref = deleted_key(batch.table, value)
            changes.append(SourceChange(kind=batch.table, upstream_id=ref, resource_id=ids.guid(
                company.tenant_id, "contact", ref), operation=DELETED, changed_at=now))
    return sorted(changes, key=lambda c: c.changed_at)
