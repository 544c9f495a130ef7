"""The gateway's runtime state tables: ``Idempotency-Key`` records and the rate-limit counters and leases.

They live in the gateway's own database (:class:`gateway.store.db.Database`, SQLite by default, PostgreSQL when
several gateway processes share state), so that keys survive a restart and every process sharing the database
shares one rate-limit budget. Every write that must be atomic across processes is a single ``INSERT … ON CONFLICT``
statement (SQLite ≥ 3.35 and PostgreSQL both have it); :func:`dialect_insert` picks the dialect's construct.

Writers: :mod:`gateway.api.idempotency` (``runtime_idempotency``) and :mod:`gateway.ratelimit.database`
(``runtime_rate_counters``, ``runtime_rate_leases``: only with ``[rate_limits] store = "database"``; the default
store keeps its counters in memory).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Float, Index, Integer, LargeBinary, String
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .models import UTCDateTime

#: ``runtime_idempotency.state`` values.
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
UNKNOWN = "unknown"


class IdempotencyRecord(Base):
    """One ``Idempotency-Key`` as used by one app for one tenant of one source.

    Written ``in_progress`` before the adapter call (an atomic insert: the first of concurrent identical requests
    wins) and completed after it:

    - ``completed``: ``status``, ``content_type`` and ``body`` are the first response, replayed for the same key and
      request;
    - ``unknown``: the call ended in a server error, an upstream rate limit or an exception, so whether the source
      system applied the write is not known; nothing is replayed, and the next request with the same key calls the
      adapter again (``attempts`` counts the calls). A record left ``in_progress`` past ``locked_until`` (its
      process died) counts as ``unknown`` too.

    ``fingerprint`` is the SHA-256 (hex) of method, path, query and body digest; a request with the same key and
    another fingerprint is rejected.
    """

    __tablename__ = "runtime_idempotency"

    source_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    operation_id: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    content_type: Mapped[str | None] = mapped_column(String(200), nullable=True)
    body: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class RateCounter(Base):
    """Calls counted in one fixed window of one limit scope.

    ``scope`` names the limit and whom it applies to (``minute:1000:<client_id>:<tenant_id>``,
    ``day:…``, ``appminute:<client_id>``, and ``concurrent:…`` rows that only serialise lease grants);
    ``window_start`` is the window's first second (epoch seconds, UTC); ``expires_at`` the epoch second after which
    the row may be purged.
    """

    __tablename__ = "runtime_rate_counters"

    scope: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[int] = mapped_column(BigInteger, index=True)


class RateLease(Base):
    """One call in progress for a concurrency scope; it stops counting at ``expires_at`` (epoch seconds) even if
    its process died without releasing it."""

    __tablename__ = "runtime_rate_leases"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    scope: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[float] = mapped_column(Float)

    __table_args__ = (Index("ix_runtime_rate_leases_scope", "scope", "expires_at"),)


def dialect_insert(dialect_name: str, table: Any) -> Any:
    """The ``INSERT`` construct with ``on_conflict_do_update``/``on_conflict_do_nothing`` for a dialect.

    Args:
        dialect_name: ``engine.dialect.name`` (``"sqlite"`` or ``"postgresql"``).
        table: a mapped class or ``Table``.

    Raises:
        NotImplementedError: another dialect (the gateway state supports SQLite and PostgreSQL only).
    """
    if dialect_name == "sqlite":
        return sqlite.insert(table)
    if dialect_name == "postgresql":
        return postgresql.insert(table)
    raise NotImplementedError(f"the gateway's runtime state needs SQLite or PostgreSQL, not {dialect_name}")
