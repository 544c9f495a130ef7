"""The adapter's tables in the gateway's database (:class:`gateway.store.db.Base`).

- ``sage_ids`` (:class:`SageIdRow`): the reverse map of the stable GUIDs the adapter hands out
  (:mod:`adapters.sage_accounting.ids`).
- ``sage_writes`` (:class:`SageWriteRow`): the write ledger that keeps retried Xero writes from creating a second
  Sage record (:mod:`adapters.sage_accounting.writes`).

``gateway.store.db.Database.create_all`` imports this module so that both tables exist; the adapter also creates
them at start-up when missing (a database created before the adapter existed).
"""

from __future__ import annotations

from sqlalchemy import Float, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.store.db import Base


class SageIdRow(Base):
    """One GUID the adapter has answered with, and the Sage record (or part of one) behind it."""

    __tablename__ = "sage_ids"
    __table_args__ = (Index("ix_sage_ids_guid", "business_id", "guid"),)

    business_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    resource: Mapped[str] = mapped_column(String(40), primary_key=True)
    sage_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    part: Mapped[str] = mapped_column(String(120), primary_key=True, default="")
    guid: Mapped[str] = mapped_column(String(36))


class SageWriteRow(Base):
    """One Sage create made for a Xero write carrying an ``Idempotency-Key``.

    ``scope`` is SHA-256 (hex) of the source code, the calling app, the tenant, the key, the operation and the
    write's label within the call; ``state`` is ``pending`` (written before the upstream call) or ``done`` (the
    Sage record ``sage_id`` exists). Times are epoch seconds.
    """

    __tablename__ = "sage_writes"
    __table_args__ = (Index("ix_sage_writes_started", "started_at"),)

    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    business_id: Mapped[str] = mapped_column(String(64))
    resource: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(16))
    sage_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    started_at: Mapped[float] = mapped_column(Float)
    completed_at: Mapped[float | None] = mapped_column(Float, nullable=True)
