"""The replica: Sage 50 rows as the connector synced them, in the gateway's database.

One table of rows for every synced ODBC table (:class:`Sage50Row`: the row's JSON as sent, keyed by tenant, table
and the table's key columns; deletions marked, never lost), and one row per company (:class:`Sage50Company`) with
a ``generation`` that every change bumps in the same transaction, so that any process can tell in one primary-key
read whether its in-memory view of the company is current.

The adapter owns this metadata (:data:`metadata`); the gateway's migration tree names it lazily
(``gateway.migrations.trees.GATEWAY``) and creates the tables, so the gateway's code imports nothing of them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Index, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class ReplicaBase(DeclarativeBase):
    metadata = MetaData()


metadata = ReplicaBase.metadata


class Sage50Row(ReplicaBase):
    """One synced row. ``modified`` is its ``RECORD_MODIFY_DATE`` (naive, Sage's local clock) when it has one."""

    __tablename__ = "sage50_rows"
    __table_args__ = (Index("ix_sage50_rows_modified", "tenant_id", "table_name", "modified"),)

    tenant_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    modified: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class Sage50Company(ReplicaBase):
    """Per company: the replica's generation, the connector's watermarks per table, the last final page."""

    __tablename__ = "sage50_companies"

    tenant_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    company_key: Mapped[str] = mapped_column(String(128))
    generation: Mapped[int] = mapped_column(Integer, default=0)
    watermarks: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    last_sync_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
