"""``Idempotency-Key`` records in the gateway's runtime database (table ``runtime_idempotency``).

The storage half of the rules in :mod:`gateway.api.idempotency` (the HTTP glue): a key is claimed by one atomic
``INSERT … ON CONFLICT DO UPDATE … WHERE expires_at <= now`` before the adapter call, completed after it (a stored
response to replay, or an unknown outcome), waited for by concurrent duplicates within ``[idempotency] wait``, and
purged after ``[idempotency] retention``. Same split as :mod:`gateway.ratelimit` (policy/store/glue).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update

from gateway.settings import IdempotencySettings
from gateway.store.db import Database
from gateway.store.models_runtime import COMPLETED, IN_PROGRESS, UNKNOWN, IdempotencyRecord, dialect_insert
from gateway.xero.errors import ApiException, ValidationException

#: Seconds between two looks at a record another process is working on.
POLL_INTERVAL = 0.1
#: Seconds between two purges of expired records by one process.
PURGE_INTERVAL = 60.0


class IdempotentRequestInProgress(ApiException):
    """HTTP 409: the first request with this ``Idempotency-Key`` is still in progress after the bounded wait.

    The gateway's own answer (Xero documents none for this case; ``ErrorNumber``/``Type`` values unconfirmed), in
    the spec's ``Error`` shape.
    """

    status = 409
    error_number = 409
    error_type = "IdempotentRequestInProgress"


@dataclass(frozen=True)
class KeyScope:
    """Whose key it is: source code, app, tenant, and the key itself."""

    source_code: str
    client_id: str
    tenant_id: str
    key: str

    def where(self) -> tuple[Any, ...]:
        return (IdempotencyRecord.source_code == self.source_code, IdempotencyRecord.client_id == self.client_id,
                IdempotencyRecord.tenant_id == self.tenant_id, IdempotencyRecord.idempotency_key == self.key)


@dataclass(frozen=True)
class StoredResponse:
    """A response as stored and replayed: status, ``Content-Type`` header (``None`` without a body) and body."""

    status: int
    content_type: str | None
    body: bytes | None



@dataclass(frozen=True)
class KeyRecord:
    """A read-only view of a stored key (:meth:`IdempotencyStore.get`)."""

    state: str
    attempts: int
    operation_id: str
    fingerprint: str
    stored: StoredResponse | None
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class Claimed:
    """This request owns the key: call the adapter, then :meth:`IdempotencyStore.finish`. ``attempts`` is 1 for a
    new key, more when earlier calls ended with an unknown outcome."""

    attempts: int


class _Busy:
    """Another request owns the key right now."""


_KEY_NAMES = frozenset({"source_code", "client_id", "tenant_id", "idempotency_key"})


def _mismatch(scope: KeyScope) -> ValidationException:
    """The 400 for a key reused with another request (wording unconfirmed)."""
    return ValidationException.single(f"Idempotency-Key {scope.key} has already been used with a different request")


def fingerprint(method: str, path: str, query: list[tuple[str, str]], body: bytes) -> str:
    """SHA-256 (hex) of the method, the path, the sorted query pairs and the SHA-256 of the raw body."""
    canonical = json.dumps([method.upper(), path, sorted(query), hashlib.sha256(body).hexdigest()],
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyStore:
    """``runtime_idempotency`` records (see the module docstring for the rules).

    Args:
        db: the gateway's database.
        settings: ``[idempotency]`` (retention, wait, in-progress timeout).
        clock: epoch seconds (tests replace it).
    """

    def __init__(self, db: Database, settings: IdempotencySettings, *,
                 clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self._dialect = db.engine.dialect.name
        self._autocommit = db.engine.execution_options(isolation_level="AUTOCOMMIT")  # single statements
        self._events: dict[KeyScope, asyncio.Event] = {}
        self._next_purge = 0.0

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    async def begin(self, scope: KeyScope, *, fingerprint: str, operation_id: str) -> Claimed | StoredResponse:
        """Claim the key for this request, or get the stored response to replay.

        Waits, at most ``settings.wait`` seconds, while another request owns the key.

        Returns:
            :class:`Claimed` (call the adapter, then :meth:`finish`) or the :class:`StoredResponse` to replay.

        Raises:
            ValidationException: the key was used with a different request (400).
            IdempotentRequestInProgress: the owner did not finish within the wait (409).
        """
        await self._maybe_purge()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.wait
        while True:
            outcome = await self._claim(scope, fingerprint=fingerprint, operation_id=operation_id)
            if not isinstance(outcome, _Busy):
                return outcome
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise IdempotentRequestInProgress(
                    f"A request with Idempotency-Key {scope.key} is still in progress; retry later")
            event = self._events.setdefault(scope, asyncio.Event())
            try:
                await asyncio.wait_for(event.wait(), timeout=min(POLL_INTERVAL, remaining))
            except TimeoutError:
                pass

    async def _claim(self, scope: KeyScope, *, fingerprint: str, operation_id: str) -> Claimed | StoredResponse | _Busy:
        """One transaction: insert the key (or replace an expired one); else read it and decide."""
        now = self._now()
        lock = now + timedelta(seconds=self.settings.in_progress_timeout)
        expires = lock + timedelta(seconds=self.settings.retention)
        table = IdempotencyRecord.__table__
        key_columns = [table.c.source_code, table.c.client_id, table.c.tenant_id, table.c.idempotency_key]
        values = {"source_code": scope.source_code, "client_id": scope.client_id, "tenant_id": scope.tenant_id,
                  "idempotency_key": scope.key, "fingerprint": fingerprint, "operation_id": operation_id,
                  "state": IN_PROGRESS, "attempts": 1, "status": None, "content_type": None, "body": None,
                  "created_at": now, "locked_until": lock, "completed_at": None, "expires_at": expires}
        insert = dialect_insert(self._dialect, IdempotencyRecord).values(**values)
        insert = insert.on_conflict_do_update(
            index_elements=key_columns,
            set_={name: insert.excluded[name] for name in values if name not in _KEY_NAMES},
            where=table.c.expires_at <= now,  # only an expired record is replaced
        ).returning(table.c.attempts)
        async with self.db.engine.begin() as conn:
            if (await conn.execute(insert)).first() is not None:
                return Claimed(attempts=1)
            row = (await conn.execute(select(table).where(*scope.where()))).one()
            if row.fingerprint != fingerprint:
                raise _mismatch(scope)
            if row.state == COMPLETED:
                return StoredResponse(status=row.status or 200, content_type=row.content_type, body=row.body)
            reclaimed = await conn.execute(
                update(table)
                .where(*scope.where(), (table.c.state == UNKNOWN)
                       | ((table.c.state == IN_PROGRESS) & (table.c.locked_until <= now)))
                .values(state=IN_PROGRESS, attempts=table.c.attempts + 1, locked_until=lock, expires_at=expires)
                .returning(table.c.attempts))
            attempts = reclaimed.scalar_one_or_none()
            return _Busy() if attempts is None else Claimed(attempts=int(attempts))

    async def finish(self, scope: KeyScope, stored: StoredResponse | None, *, attempts: int) -> None:
        """Complete the owned key with the response to replay, or (``None``) record an unknown outcome; then wake
        the requests waiting for it in this process.

        Args:
            scope: the key.
            stored: the response to replay, or ``None`` for an unknown outcome.
            attempts: :attr:`Claimed.attempts` of this request's claim: a call that outlived
                ``in_progress_timeout`` and lost the key to a later attempt changes nothing.
        """
        now = self._now()
        values: dict[str, Any] = {"locked_until": None, "completed_at": now,
                                  "expires_at": now + timedelta(seconds=self.settings.retention)}
        if stored is None:
            values["state"] = UNKNOWN
        else:
            values.update(state=COMPLETED, status=stored.status, content_type=stored.content_type, body=stored.body)
        try:
            async with self._autocommit.connect() as conn:
                await conn.execute(update(IdempotencyRecord)
                                   .where(*scope.where(), IdempotencyRecord.state == IN_PROGRESS,
                                          IdempotencyRecord.attempts == attempts).values(**values))
        finally:
            event = self._events.pop(scope, None)
            if event is not None:
                event.set()

    async def get(self, scope: KeyScope) -> KeyRecord | None:
        """The stored record of a key (expired or not), ``None`` when there is none."""
        async with self.db.engine.connect() as conn:
            row = (await conn.execute(select(IdempotencyRecord.__table__).where(*scope.where()))).first()
        if row is None:
            return None
        stored = (StoredResponse(status=row.status or 200, content_type=row.content_type, body=row.body)
                  if row.state == COMPLETED else None)
        return KeyRecord(state=row.state, attempts=row.attempts, operation_id=row.operation_id,
                         fingerprint=row.fingerprint, stored=stored, created_at=row.created_at,
                         expires_at=row.expires_at)

    async def _maybe_purge(self) -> None:
        now = self.clock()
        if now < self._next_purge:
            return
        self._next_purge = now + PURGE_INTERVAL
        await self.purge()

    async def purge(self) -> int:
        """Delete expired records; returns how many."""
        async with self.db.engine.begin() as conn:
            done = await conn.execute(delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= self._now()))
            return int(done.rowcount or 0)
