"""The write ledger: a retried Xero write with the same ``Idempotency-Key`` never creates a second Sage record.

Sage has no idempotency key (upstream-contracts.md §2), and the gateway's own key record
(:mod:`gateway.api.idempotency`) replays every answer it knows but calls the adapter again after an *unknown
outcome* (a 5xx, a timeout, a crash between the upstream call and the answer), passing the same
``req.idempotency_key``. For that case the adapter keeps its own durable record of each create it makes for a keyed
Xero write (table ``sage_writes``, :class:`adapters.sage_accounting.models.SageWriteRow`):

1. before the ``POST``, a ``pending`` row for the write's scope (:func:`scope_of`: source code, app, tenant, key,
   operation, and a label naming the write within the call, e.g. ``invoice:0``), with its start time;
2. after Sage answered, the row becomes ``done`` with the new record's id (a definite refusal — a 4xx — removes it:
   Sage made nothing);
3. on the next call with the same key: a ``done`` row gives the record already made (it is read, not created); a
   ``pending`` row is an unknown outcome, so the record is *looked up* in Sage before any new ``POST``: the resource's
   list, narrowed with ``updated_or_created_since`` to the pending row's start time (less a clock-skew allowance)
   and the record's own filters, matched field by field on what the lost ``POST`` sent (:func:`matches`: the
   contact, date, reference, amounts, line accounts…). Only when nothing matches is the record created.

Rows are kept :data:`RETENTION` seconds (beyond the gateway's default key retention of 24 hours).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from gateway.store.db import Database

from .models import SageWriteRow

PENDING, DONE = "pending", "done"
#: Seconds a row is kept.
RETENTION = 3 * 86_400.0
#: Seconds subtracted from a pending write's start time when looking it up (clock skew between gateway and Sage).
SKEW = 300.0
#: Seconds between two purges by one process.
PURGE_INTERVAL = 3_600.0


def scope_of(*, code: str, client_id: str, tenant_id: str, key: str, operation_id: str, label: str) -> str:
    """The ledger scope of one write (SHA-256 hex; the key itself is never stored)."""
    text = "\x1f".join((code, client_id, tenant_id, key, operation_id, label))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class WriteState:
    """What the ledger knows about one write."""

    state: str
    resource: str
    sage_id: str | None
    started_at: float


class WriteLedger:
    """The ``sage_writes`` table.

    Args:
        db: the gateway's database.
        clock: epoch seconds (tests replace it).
    """

    def __init__(self, db: Database, *, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.clock = clock
        self._next_purge = 0.0

    async def get(self, scope: str) -> WriteState | None:
        """The write's state, ``None`` when the ledger has no row for it."""
        async with self.db.session() as s:
            row = await s.get(SageWriteRow, scope)
        if row is None:
            return None
        return WriteState(state=row.state, resource=row.resource, sage_id=row.sage_id, started_at=row.started_at)

    async def pending(self, scope: str, *, business_id: str, resource: str) -> None:
        """Record that a ``POST`` is about to be sent (keeps an earlier pending row's start time, so that a later
        look-up covers every attempt)."""
        await self._maybe_purge()
        insert = pg_insert if self.db.engine.dialect.name == "postgresql" else sqlite_insert
        statement = insert(SageWriteRow).values(scope=scope, business_id=business_id, resource=resource,
                                                state=PENDING, sage_id=None, started_at=self.clock(),
                                                completed_at=None)
        statement = statement.on_conflict_do_update(index_elements=["scope"],
                                                    set_={"state": PENDING, "sage_id": None, "completed_at": None})
        async with self.db.session() as s, s.begin():
            await s.execute(statement)

    async def done(self, scope: str, sage_id: str) -> None:
        """Record the Sage record a write made (or found)."""
        async with self.db.session() as s, s.begin():
            await s.execute(update(SageWriteRow).where(SageWriteRow.scope == scope)
                            .values(state=DONE, sage_id=sage_id, completed_at=self.clock()))

    async def forget(self, scope: str) -> None:
        """Drop the row of a write Sage refused (nothing was made)."""
        async with self.db.session() as s, s.begin():
            await s.execute(delete(SageWriteRow).where(SageWriteRow.scope == scope))

    async def _maybe_purge(self) -> None:
        now = self.clock()
        if now < self._next_purge:
            return
        self._next_purge = now + PURGE_INTERVAL
        async with self.db.session() as s, s.begin():
            await s.execute(delete(SageWriteRow).where(SageWriteRow.started_at < now - RETENTION))


# Matching a lost write ------------------------------------------------------------------------------------------

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
        fields: sent body key → path in the record as Sage reads it back (``contact_id`` → ``contact.id``).
        lines: ``(sent lines key, stored lines key, {sent line key: stored line path})`` for documents.
        artefacts: ``(sent key, stored key)`` of allocated artefacts (payments, allocations): compared as sets of
            ``(artefact id, amount)``.
    """

    fields: Mapping[str, str]
    lines: tuple[str, str, Mapping[str, str]] | None = None
    artefacts: tuple[str, str] | None = None


def matches(body: Mapping[str, Any], record: Mapping[str, Any], fingerprint: Fingerprint) -> bool:
    """Whether ``record`` (as Sage reads it back) is what ``body`` (the unwrapped body of a lost ``POST``) made."""
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


_DOCUMENT_LINES = {"description": "description", "ledger_account_id": "ledger_account.id", "quantity": "quantity",
                   "unit_price": "unit_price"}

#: The fingerprint of each resource the adapter creates.
FINGERPRINTS: dict[str, Fingerprint] = {
    "contacts": Fingerprint({"name": "name", "reference": "reference", "email": "email"}),
    "ledger_accounts": Fingerprint({"nominal_code": "nominal_code", "name": "name"}),
    "bank_accounts": Fingerprint({"nominal_code": "nominal_code", "bank_account_type_id": "bank_account_type.id"}),
    "products": Fingerprint({"item_code": "item_code", "description": "description"}),
    "services": Fingerprint({"item_code": "item_code", "description": "description"}),
    **{resource: Fingerprint({"contact_id": "contact.id", "date": "date", "reference": "reference",
                              "invoice_number": "invoice_number", "credit_note_number": "credit_note_number",
                              "vendor_reference": "vendor_reference"},
                             lines=(lines, lines, _DOCUMENT_LINES))
       for resource, lines in (("sales_invoices", "invoice_lines"), ("purchase_invoices", "invoice_lines"),
                               ("sales_credit_notes", "credit_note_lines"),
                               ("purchase_credit_notes", "credit_note_lines"))},
    "contact_payments": Fingerprint({"contact_id": "contact.id", "bank_account_id": "bank_account.id", "date": "date",
                                     "total_amount": "total_amount", "reference": "reference",
                                     "transaction_type_id": "transaction_type.id"},
                                    artefacts=("allocated_artefacts", "allocated_artefacts")),
    "contact_allocations": Fingerprint({"contact_id": "contact.id", "date": "date",
                                        "transaction_type_id": "transaction_type.id"},
                                       artefacts=("allocated_artefacts", "allocated_artefacts")),
    "other_payments": Fingerprint({"bank_account_id": "bank_account.id", "date": "date", "reference": "reference",
                                   "total_amount": "total_amount", "transaction_type_id": "transaction_type.id",
                                   "contact_id": "contact.id"},
                                  lines=("payment_lines", "payment_lines",
                                         {"ledger_account_id": "ledger_account.id", "total_amount": "total_amount"})),
    "bank_transfers": Fingerprint({"from_bank_account_id": "from_bank_account.id",
                                   "to_bank_account_id": "to_bank_account.id", "date": "date", "amount": "amount",
                                   "reference": "reference"}),
    "journals": Fingerprint({"date": "date", "reference": "reference", "description": "description"},
                            lines=("journal_lines", "journal_lines",
                                   {"ledger_account_id": "ledger_account.id", "debit": "debit", "credit": "credit"})),
}

#: List filters narrowing a look-up: sent body key → Sage list parameter.
LOOKUP_FILTERS: dict[str, dict[str, str]] = {
    "sales_invoices": {"contact_id": "contact_id"},
    "purchase_invoices": {"contact_id": "contact_id"},
    "sales_credit_notes": {"contact_id": "contact_id"},
    "purchase_credit_notes": {"contact_id": "contact_id"},
    "contact_payments": {"contact_id": "contact_id", "transaction_type_id": "transaction_type_id"},
    "contact_allocations": {"contact_id": "contact_id", "transaction_type_id": "transaction_type_id"},
    "other_payments": {"bank_account_id": "bank_account_id", "transaction_type_id": "transaction_type_id"},
}
