"""Gateway-kept history records and notes, for upstream adapters whose source keeps no Xero-shaped history.

Xero keeps, per record, a list of ``{Changes, DateUTC, User, Details}`` (spec ``components.schemas.HistoryRecord``;
https://developer.xero.com/documentation/api/history-and-notes): ``GET …/{id}/History`` lists them, ``PUT …/History``
adds notes. QBO and Sage keep only a record's creation and last-update times; the gateway therefore records what
is done through it (notes, attached files, writes) in a table of the adapter's own (:func:`history_table`, on the
adapter's ``MetaData``, one row per entry, scoped by the Xero ``tenantId``), and the adapter merges those entries
with what its source tells (:func:`merge`).

Words (``Changes``) and the user are Xero's, as the native ledger records them: ``User`` is ``"System Generated"``
for everything done through the API ("System Generated when the change happens via API", the page above; the spec's
``HistoryRetrieved`` example); "Attached a file", "Note", "Created", "Edited" (the spec's example and Xero's
connector documentation). Entries are listed oldest first, as the native ledger lists them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Column, DateTime, Index, Integer, MetaData, String, Table, Text, insert, select

from adapters.base import DatabaseHandle
from gateway.xero.dates import utcnow
from gateway.xero.errors import ValidationException

#: ``User`` of entries made through the API.
SYSTEM_USER = "System Generated"
#: Longest note a ``PUT …/History`` accepts ("Max Length 250 characters", the page above).
NOTE_MAX_LENGTH = 250
CREATED = "Created"
UPDATED = "Edited"
VOIDED = "Voided"
DELETED = "Deleted"
NOTE = "Note"
ATTACHED = "Attached a file"

NOTE_DETAILS_REQUIRED = "Details must be specified for a history note."
NOTE_DETAILS_TOO_LONG = "Details must be {limit} characters or less."
ATTACHMENT_HISTORY = "Attached the file {name} through the Xero API using {app}"


@dataclass(frozen=True)
class Entry:
    """One history entry (Xero's ``HistoryRecord`` fields; ``date_utc`` aware UTC)."""

    changes: str
    details: str
    user: str
    date_utc: dt.datetime


def history_table(metadata: MetaData, name: str) -> Table:
    """Declare the history table ``name`` on an adapter's ``metadata``.

    Columns: ``tenant_id`` (Xero ``tenantId``), ``resource`` (the Xero collection, ``Invoices``), ``record_id`` (the
    Xero GUID, lower case), ``changes``, ``details``, ``user``, ``date_utc`` (naive UTC: SQLite keeps no zone).
    """
    return Table(
        name, metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("tenant_id", String(64), nullable=False),
        Column("resource", String(40), nullable=False),
        Column("record_id", String(36), nullable=False),
        Column("changes", String(100), nullable=False),
        Column("details", Text, nullable=False, default=""),
        Column("user", String(255), nullable=False),
        Column("date_utc", DateTime, nullable=False),
        Index(f"ix_{name}_record", "tenant_id", "resource", "record_id"),
    )


class HistoryLog:
    """The history entries an adapter keeps (see the module docstring).

    Args:
        db: the gateway's database (the adapter creates ``table`` at start-up).
        table: the adapter's table (:func:`history_table`).
    """

    def __init__(self, db: DatabaseHandle, table: Table) -> None:
        self.db = db
        self.table = table

    async def add(self, *, tenant_id: str, resource: str, record_id: str, changes: str, details: str = "",
                  user: str = SYSTEM_USER, when: dt.datetime | None = None) -> Entry:
        """Append one entry (its own transaction) and return it."""
        moment = (when or utcnow()).astimezone(dt.UTC).replace(microsecond=0)
        async with self.db.engine.begin() as conn:
            await conn.execute(insert(self.table).values(
                tenant_id=tenant_id, resource=resource, record_id=record_id.lower(), changes=changes[:100],
                details=details or "", user=user[:255], date_utc=moment.replace(tzinfo=None)))
        return Entry(changes=changes[:100], details=details or "", user=user[:255], date_utc=moment)

    async def entries(self, *, tenant_id: str, resource: str, record_id: str) -> list[Entry]:
        """Every entry of one record, oldest first (ties in insertion order)."""
        t = self.table
        async with self.db.engine.connect() as conn:
            rows = (await conn.execute(
                select(t.c.changes, t.c.details, t.c.user, t.c.date_utc)
                .where(t.c.tenant_id == tenant_id, t.c.resource == resource, t.c.record_id == record_id.lower())
                .order_by(t.c.date_utc, t.c.id))).all()
        return [Entry(changes=r.changes, details=r.details, user=r.user,
                      date_utc=r.date_utc.replace(tzinfo=dt.UTC)) for r in rows]


def note_details(elements: Iterable[object]) -> list[str]:
    """The ``Details`` of each note of a ``PUT …/History`` body.

    Raises:
        ValidationException: no note, or a note without ``Details`` or longer than :data:`NOTE_MAX_LENGTH` (nothing
            is written: Xero's ``summarizeErrors`` default).
    """
    out: list[str] = []
    for element in elements:
        details = element.get("Details") if isinstance(element, dict) else None
        details = details.strip() if isinstance(details, str) else ""
        if not details:
            raise ValidationException.single(NOTE_DETAILS_REQUIRED)
        if len(details) > NOTE_MAX_LENGTH:
            raise ValidationException.single(NOTE_DETAILS_TOO_LONG.format(limit=NOTE_MAX_LENGTH))
        out.append(details)
    if not out:
        raise ValidationException.single(NOTE_DETAILS_REQUIRED)
    return out


def merge(kept: Iterable[Entry], upstream: Iterable[Entry]) -> list[Entry]:
    """The gateway's entries and the source's, oldest first (ties within a second: the source's first); a source
    entry the gateway also recorded (the same ``Changes`` within a minute: the two clocks differ) is shown once, as
    the gateway recorded it."""
    kept = list(kept)
    shown = [e for e in upstream
             if not any(k.changes == e.changes and abs((k.date_utc - e.date_utc).total_seconds()) <= 60 for k in kept)]
    # Within one second (the source's resolution) the source's entries come first: a record is created before
    # anything is noted on it.
    ordered = [(e.date_utc, 0, i, e) for i, e in enumerate(shown)] + [(e.date_utc, 1, i, e) for i, e in enumerate(kept)]
    return [e for *_, e in sorted(ordered, key=lambda x: (x[0].replace(microsecond=0), x[1], x[2]))]
