"""Gateway-kept History and Notes for upstream adapters whose source keeps no Xero-shaped history.

Xero keeps, per record, history records ``{Changes, DateUTC, User, Details}`` (spec
``components.schemas.HistoryRecord``; https://developer.xero.com/documentation/api/history-and-notes):
``GET …/{id}/History`` lists them, ``PUT …/{id}/History`` adds notes. An upstream source (Sage Accounting, QBO)
keeps only its own timestamps, so the adapter keeps, in a table of its own per tenant, what happened through the
gateway (writes, attachments, notes) and merges it with the source's ``created``/``updated`` moments
(:func:`merged`).

The words and rules are the native ledger's (:mod:`adapters.native.history`, the reference adapter): ``User`` is
``"System Generated"`` for anything done through the API, a note's ``Details`` is at most 250 characters, and records
are listed oldest first (ties in insertion order).

The table is declared on the adapter's own ``MetaData`` (:func:`history_table`) and created with the adapter's other
tables at start-up; :class:`HistoryLog` reads and writes it. A source's moments are merged with the kept entries in
one of two ways: from its ``created``/``updated`` moments (:func:`merged`, Sage Accounting) or as entries of its own
(:func:`merge`, QBO). Notes added by ``PUT …/History`` are checked by :func:`note_details`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Index, Integer, MetaData, String, Table, Text, insert, select

from adapters.base import DatabaseHandle
from gateway.xero.errors import ValidationException

#: ``User`` of entries made through the API (spec ``components.responses.HistoryRetrieved`` example).
SYSTEM_USER = "System Generated"
#: Longest note ``Details`` ("Max Length 250 characters", Xero's history-and-notes page).
NOTE_MAX_LENGTH = 250

# ``Changes`` words, as the native ledger records them (its module docstring gives their sources).
CREATED = "Created"
UPDATED = "Edited"
APPROVED = "Approved"
VOIDED = "Voided"
DELETED = "Deleted"
NOTE = "Note"
ATTACHED = "Attached a file"
#: (ours) Details of the record derived from the source's ``updated`` moment when the gateway made no change then.
UPSTREAM_EDIT = "Changed in {system}"

NOTE_DETAILS_REQUIRED = "Details must be specified for a history note."
NOTE_DETAILS_TOO_LONG = "Details must be {limit} characters or less."
ATTACHMENT_HISTORY = "Attached the file {name} through the Xero API using {app}"


@dataclass(frozen=True)
class Entry:
    """One history record of a parent record."""

    changes: str
    details: str
    user: str
    date_utc: datetime


def history_table(metadata: MetaData, name: str, *, tenant_id_length: int = 36, index_suffix: str = "parent") -> Table:
    """Declare a history table on an adapter's ``metadata``.

    Args:
        metadata: the adapter's ``MetaData``.
        name: the table name (``sage_history``, ``qbo_history``).
        tenant_id_length: the width of ``tenant_id``; ``qbo_history`` was created with 64 and keeps it, so that
            existing databases match their declaration.
        index_suffix: the index is ``ix_{name}_{index_suffix}`` (``qbo_history`` was created with ``record``).

    Returns:
        ``id`` (insertion order), ``tenant_id`` (the Xero tenant), ``resource`` (the parent's Xero collection,
        ``Invoices``), ``record_id`` (the parent's Xero GUID, lower-case), ``changes``, ``details``, ``user``,
        ``date_utc`` (naive UTC).
    """
    return Table(
        name, metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("tenant_id", String(tenant_id_length), nullable=False),
        Column("resource", String(40), nullable=False),
        Column("record_id", String(36), nullable=False),
        Column("changes", String(100), nullable=False),
        Column("details", Text, nullable=False, default=""),
        Column("user", String(255), nullable=False),
        Column("date_utc", DateTime, nullable=False),
        Index(f"ix_{name}_{index_suffix}", "tenant_id", "resource", "record_id"),
    )


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


class HistoryLog:
    """The history entries an adapter keeps (:func:`history_table`).

    Args:
        db: the gateway's database.
        table: the adapter's history table.
        whole_seconds: keep moments to the second (QBO: its own times have no fraction, and :func:`merge` compares
            the two within a second).
    """

    def __init__(self, db: DatabaseHandle, table: Table, *, whole_seconds: bool = False) -> None:
        self.db = db
        self.table = table
        self.whole_seconds = whole_seconds

    async def add(self, tenant_id: str, resource: str, record_id: str, *, changes: str, details: str = "",
                  user: str = SYSTEM_USER, when: datetime | None = None) -> Entry:
        """Append one entry (committed at once: it records something already done upstream).

        Args:
            tenant_id: the Xero tenant.
            resource: the parent's Xero collection (``Invoices``).
            record_id: the parent's Xero GUID.
            changes: what happened (:data:`CREATED`, :data:`NOTE`…).
            details: free text.
            user: who (default :data:`SYSTEM_USER`).
            when: aware UTC moment (default now).
        """
        moment = (when or datetime.now(UTC)).astimezone(UTC)
        if self.whole_seconds:
            moment = moment.replace(microsecond=0)
        entry = Entry(changes=changes[:100], details=details or "", user=user[:255], date_utc=moment)
        await self.add_many(tenant_id, [(resource, record_id, entry)])
        return entry

    async def add_many(self, tenant_id: str, rows: Iterable[tuple[str, str, Entry]]) -> None:
        """Append ``(resource, record GUID, entry)`` rows in one transaction."""
        values = [{"tenant_id": tenant_id, "resource": resource, "record_id": record_id.lower(),
                   "changes": e.changes, "details": e.details, "user": e.user, "date_utc": _naive_utc(e.date_utc)}
                  for resource, record_id, e in rows]
        if not values:
            return
        async with self.db.engine.begin() as conn:
            await conn.execute(insert(self.table), values)

    async def entries(self, tenant_id: str, resource: str, record_id: str) -> list[Entry]:
        """Every kept entry of one parent, oldest first (ties in insertion order)."""
        t = self.table
        query = (select(t.c.changes, t.c.details, t.c.user, t.c.date_utc)
                 .where(t.c.tenant_id == tenant_id, t.c.resource == resource, t.c.record_id == record_id.lower())
                 .order_by(t.c.date_utc, t.c.id))
        async with self.db.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [Entry(changes=r.changes, details=r.details, user=r.user, date_utc=r.date_utc.replace(tzinfo=UTC))
                for r in rows]


def merged(kept: Sequence[Entry], *, created: datetime | None, updated: datetime | None, system: str) -> list[Entry]:
    """The kept entries merged with the source's own moments, oldest first.

    - A ``Created`` entry at ``created`` is added when the gateway kept none (the record was made upstream).
    - An ``Edited`` entry at ``updated`` is added when ``updated`` is later than every kept entry and than
      ``created`` by more than a second (a change made upstream after the gateway's last one).

    Args:
        kept: the gateway's entries of the record (:meth:`HistoryLog.entries`).
        created, updated: the source's aware UTC moments of the record, ``None`` when unknown.
        system: the source's name, for the details of an upstream edit.
    """
    out = list(kept)
    if created is not None and not any(e.changes == CREATED for e in out):
        out.append(Entry(changes=CREATED, details="", user=SYSTEM_USER, date_utc=created))
    if updated is not None:
        latest = max([e.date_utc for e in out] + ([created] if created else []), default=None)
        if latest is None or (updated - latest).total_seconds() > 1:
            out.append(Entry(changes=UPDATED, details=UPSTREAM_EDIT.format(system=system), user=SYSTEM_USER,
                             date_utc=updated))
    return sorted(out, key=lambda e: e.date_utc)


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
