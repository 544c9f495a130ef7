"""The gateway's tables for on-premise agents (sources whose ``sign_in`` is ``"agent"``: Sage 50, code 1001).

- :class:`AgentRecord`: an enrolled agent (the program on the PC that holds the books). Its bearer token is stored
  only as a SHA-256 digest (:func:`gateway.store.crypto.secret_hash`).
- :class:`AgentCompany`: one company (data path) an agent serves; one Xero tenant each, ``tenant_id`` = uuid5 of
  the source code and ``company_key`` (:func:`adapters.base.upstream_tenant_id`).
- :class:`PairingCode`: a one-time code shown on the consent page and typed on the PC (digest only, 15 minutes,
  single use), with the partner's authorize query it completes.
- :class:`AgentJob`: a durable write job for an agent, with its outcome (docs/sage50-agent.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gateway.store.base import Base
from gateway.store.models import UTCDateTime


class AgentRecord(Base):
    """An enrolled agent. ``revoked_at`` set: every call it makes answers 401."""

    __tablename__ = "agents"

    agent_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source_code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(40), default="")
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class AgentCompany(Base):
    """A company served by an agent (the latest agent to announce it serves it)."""

    __tablename__ = "agent_companies"

    source_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    company_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(36), index=True)
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.agent_id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    data_path: Mapped[str] = mapped_column(Text, default="")
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(120), nullable=True)


class PairingCode(Base):
    """A pairing code and the partner authorization it belongs to.

    ``browser_hash`` is the digest of a random handle kept in the consenting browser's session, so that only the
    browser that asked sees the companies and completes the consent. ``agent_id`` is set when an agent confirmed
    the code; ``used_at`` when the consent was answered (approve or deny).
    """

    __tablename__ = "agent_pairing_codes"

    code_hash: Mapped[str] = mapped_column(String(128), primary_key=True)
    browser_hash: Mapped[str] = mapped_column(String(128), unique=True)
    source_code: Mapped[str] = mapped_column(String(8))
    client_id: Mapped[str] = mapped_column(String(64))
    authorize_query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    agent_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class AgentJob(Base):
    """A write job. ``status``: ``queued`` → ``leased`` (an agent holds it until ``lease_expires_at``) →
    ``succeeded`` | ``failed``; ``retryable`` results go back to ``queued``. A job with an ``idempotency_key`` is
    unique per (source, tenant, client, key): a retried Xero call finds its job instead of queueing another."""

    __tablename__ = "agent_jobs"
    __table_args__ = (
        UniqueConstraint("source_code", "tenant_id", "client_id", "idempotency_key", name="uq_agent_jobs_key"),
        Index("ix_agent_jobs_claim", "source_code", "company_key", "status"),
    )

    job_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source_code: Mapped[str] = mapped_column(String(8))
    company_key: Mapped[str] = mapped_column(String(128))
    tenant_id: Mapped[str] = mapped_column(String(36))
    client_id: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    operation_id: Mapped[str] = mapped_column(String(80))
    payload: Mapped[Any] = mapped_column(JSON)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    result: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    error: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
