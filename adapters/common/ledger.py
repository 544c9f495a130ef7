"""The durable write ledger: a retried Xero write with the same ``Idempotency-Key`` never creates a second record at
a source that has no idempotency key of its own (Sage Business Cloud, Sage 50).

The gateway's own key record (:mod:`gateway.api.idempotency`) replays every answer it knows but calls the adapter
again after an *unknown outcome* (a 5xx, a timeout, a crash between the upstream call and the answer), passing the
same ``req.idempotency_key``. For that case the adapter keeps a durable record of each create it makes for a keyed
Xero write (a table of its own, :func:`ledger_table`):

1. before the ``POST``, a ``pending`` row for the write's scope (:func:`scope_of`: source code, app, tenant, key,
   operation, and a label naming the write within the call, e.g. ``invoice:0``), with its start time;
2. after the source answered, the row becomes ``done`` with the new record's id (a definite refusal — a 4xx — removes
   it with :meth:`WriteLedger.forget`: nothing was made);
3. on the next call with the same key: a ``done`` row gives the record already made (read, not created); a
   ``pending`` row is an unknown outcome, so the adapter *looks the record up* at the source before any new ``POST``
   (records changed since the row's start time less :data:`SKEW`), matched field by field on what the lost ``POST``
   sent (:func:`matches` with the resource's :class:`Fingerprint`). Only when nothing matches is the record created.

Rows are kept :data:`RETENTION` seconds (beyond the gateway's default key retention of 24 hours).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Column, Float, Index, MetaData, String, Table, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from adapters.base import DatabaseHandle

PENDING, DONE = "pending", "done"
#: Seconds a row is kept.
RETENTION = 3 * 86_400.0
#: Seconds subtracted from a pending write's start time when looking it up (clock skew between gateway and source).
SKEW = 300.0
#: Seconds between two purges by one process.
PURGE_INTERVAL = 3_600.0


def scope_of(*, code: str, client_id: str, tenant_id: str, key: str, operation_id: str, label: str) -> str:
    """The ledger scope of one write (SHA-256 hex; the key itself is never stored)."""
    text = "\x1f".join((code, client_id, tenant_id, key, operation_id, label))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ledger_table(metadata: MetaData, name: str, *, tenant_column: str = "tenant_key",
                 id_column: str = "upstream_id") -> Table:
    """Declare a write-ledger table on the adapter's ``metadata``.

    Args:
        name: the table name (``sage_writes``).
        tenant_column: the upstream's name of the tenant key (``business_id``).
        id_column: the upstream's name of the record id (``sage_id``).

    Returns:
        ``scope`` (primary key), tenant, ``resource``, ``state``, record id, ``started_at``, ``completed_at``
        (epoch seconds).
    """
    return Table(
        name, metadata,
        Column("scope", String(64), primary_key=True),
        Column(tenant_column, String(64), nullable=False),
        Column("resource", String(40), nullable=False),
        Column("state", String(16), nullable=False),
        Column(id_column, String(64), nullable=True),
        Column("started_at", Float, nullable=False),
        Column("completed_at", Float, nullable=True),
        Index(f"ix_{name}_started", "started_at"),
    )


@dataclass(frozen=True)
class WriteState:
    """What the ledger knows about one write (``upstream_id`` set once ``done``)."""

    state: str
    resource: str
    upstream_id: str | None
    started_at: float


class WriteLedger:
    """One adapter's write ledger.

    Args:
        db: the gateway's database.
        table: from :func:`ledger_table`.
        tenant_column, id_column: as given to :func:`ledger_table`.
        clock: epoch seconds (tests replace it).
    """

    def __init__(self, db: DatabaseHandle, *, table: Table, tenant_column: str = "tenant_key",
                 id_column: str = "upstream_id", clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.table = table
        self.tenant_column = tenant_column
        self.id_column = id_column
        self.clock = clock
        self._next_purge = 0.0

    async def ensure_table(self) -> None:
        """Create the table when missing (the adapter calls it at start-up)."""
        async with self.db.engine.begin() as conn:
            await conn.run_sync(lambda sync: self.table.create(sync, checkfirst=True))

    async def get(self, scope: str) -> WriteState | None:
        """The write's state, ``None`` when the ledger has no row for it."""
        t = self.table
        async with self.db.session() as s:
            row = (await s.execute(select(t).where(t.c.scope == scope))).mappings().first()
        if row is None:
            return None
        return WriteState(state=row["state"], resource=row["resource"], upstream_id=row[self.id_column],
                          started_at=row["started_at"])

    async def pending(self, scope: str, *, tenant_key: str, resource: str) -> None:
        """Record that a ``POST`` is about to be sent (keeps an earlier pending row's start time, so that a later
        look-up covers every attempt)."""
        await self._maybe_purge()
        insert = pg_insert if self.db.engine.dialect.name == "postgresql" else sqlite_insert
        statement = insert(self.table).values({
            "scope": scope, self.tenant_column: tenant_key, "resource": resource, "state": PENDING,
            self.id_column: None, "started_at": self.clock(), "completed_at": None})
        statement = statement.on_conflict_do_update(
            index_elements=["scope"], set_={"state": PENDING, self.id_column: None, "completed_at": None})
        async with self.db.session() as s, s.begin():
            await s.execute(statement)

    async def done(self, scope: str, upstream_id: str) -> None:
        """Record the record a write made (or found)."""
        t = self.table
        async with self.db.session() as s, s.begin():
            await s.execute(update(t).where(t.c.scope == scope).values(
                {"state": DONE, self.id_column: upstream_id, "completed_at": self.clock()}))

    async def forget(self, scope: str) -> None:
        """Drop the row of a write the source refused (nothing was made) or that was compensated."""
        t = self.table
        async with self.db.session() as s, s.begin():
            await s.execute(delete(t).where(t.c.scope == scope))

    async def _maybe_purge(self) -> None:
        now = self.clock()
        if now < self._next_purge:
            return
        self._next_purge = now + PURGE_INTERVAL
        t = self.table
        async with self.db.session() as s, s.begin():
            await s.execute(delete(t).where(t.c.started_at < now - RETENTION))


# Matching a lost write ----------------------------------------------------------------------------------------------

def _value(record: Mapping[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _same(sent: Any, stored: Any) -> bool:
    if sent is None or sent == "":
        return stored is None or stored == "" or stored == []
    if isinstance(sent, bool) or isinstance(stored, bool):
        return sent == stored
    if isinstance(sent, int | float | Decimal) or isinstance(stored, int | float | Decimal):
        try:
            return Decimal(str(sent)) == Decimal(str(stored))
        except (InvalidOperation, ValueError):
            return False
    if isinstance(sent, list) and isinstance(stored, list):
        return sorted(map(str, sent)) == sorted(map(str, stored))
    return str(sent) == str(stored)


@dataclass(frozen=True)
class Fingerprint:
    """Which fields of a sent body identify the record it made.

    Attributes:
        fields: sent body key → path in the record as the source reads it back (``contact_id`` → ``contact.id``).
        lines: ``(sent lines key, stored lines key, {sent line key: stored line path})`` for documents.
        artefacts: ``(sent key, stored key)`` of allocated artefacts (payments, allocations): compared as sets of
            ``(artefact id, amount)``.
    """

    fields: Mapping[str, str]
    lines: tuple[str, str, Mapping[str, str]] | None = None
    artefacts: tuple[str, str] | None = None


def matches(body: Mapping[str, Any], record: Mapping[str, Any], fingerprint: Fingerprint) -> bool:
    """Whether ``record`` (as the source reads it back) is what ``body`` (the unwrapped body of a lost ``POST``)
    made. Amounts compare as ``Decimal``."""
    for sent_key, stored_path in fingerprint.fields.items():
        if sent_key in body and not _same(body[sent_key], _value(record, stored_path)):
            return False
    if fingerprint.lines is not None:
        sent_key, stored_key, line_fields = fingerprint.lines
        sent_lines: Sequence[Mapping[str, Any]] = body.get(sent_key) or []
        stored_lines: Sequence[Mapping[str, Any]] = record.get(stored_key) or []
        if len(sent_lines) != len(stored_lines):
            return False
        for sent, stored in zip(sent_lines, stored_lines, strict=True):
            for key, path in line_fields.items():
                if key in sent and not _same(sent[key], _value(stored, path)):
                    return False
    if fingerprint.artefacts is not None:
        sent_key, stored_key = fingerprint.artefacts
        sent = {(str(a.get("artefact_id")), Decimal(str(a.get("amount") or 0))) for a in body.get(sent_key) or []}
        stored = {(str(_value(a, "artefact.id")), Decimal(str(a.get("amount") or 0)))
                  for a in record.get(stored_key) or []}
        if sent != stored:
            return False
    return True
