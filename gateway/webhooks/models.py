"""The webhook tables in the gateway's own database: subscriptions, the outbox of events, delivery batches.

- ``webhook_subscriptions``: one per partner app (Xero's developer portal has one webhook per app): URL,
  categories, the sealed key, intent-to-receive state, the 24-hour failure disablement, the app's event sequence
  counter and the batch in flight (at most one per app, so that deliveries go out in sequence order).
- ``webhook_events``: the outbox. One row per event per subscribed app, numbered by the app's sequence, written by
  :func:`gateway.webhooks.outbox.emit` (in the caller's transaction when it passes its session).
- ``webhook_batches``: a claimed group of one app's events, its body (fixed at creation, so that every retry sends
  the same bytes), its retry schedule (``attempts``, ``first_failure_at``, ``next_attempt_at``) and its lease.

Claims are compare-and-set updates on ``claim_version`` (SQLite, PostgreSQL) or ``FOR UPDATE SKIP LOCKED``
(PostgreSQL): see :mod:`gateway.webhooks.claims`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.store.base import Base
from gateway.store.models import UTCDateTime

#: ``webhook_subscriptions.itr_status`` values.
ITR_REQUIRED = "required"
ITR_PASSED = "passed"
ITR_FAILED = "failed"


class WebhookSubscription(Base):
    """One app's webhook.

    ``enabled`` is the operator's switch, cleared by the gateway after 24 hours of failed deliveries
    (``disabled_reason``). ``itr_status`` is ``required`` after creation, re-enabling or a URL change, then
    ``passed`` or ``failed`` (``itr_failure`` holds the portal's failure string); nothing is delivered before
    ``passed``. ``last_sequence`` is the app's last assigned ``EventSequence``; ``open_batch_id`` the batch in
    flight.
    """

    __tablename__ = "webhook_subscriptions"

    client_id: Mapped[str] = mapped_column(ForeignKey("identity_apps.client_id"), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    categories: Mapped[list[str]] = mapped_column(JSON)
    key_sealed: Mapped[str] = mapped_column(Text)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    itr_status: Mapped[str] = mapped_column(String(16), default=ITR_REQUIRED)
    itr_failure: Mapped[str | None] = mapped_column(Text, nullable=True)
    itr_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    itr_lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    claim_version: Mapped[int] = mapped_column(Integer, default=0)
    last_sequence: Mapped[int] = mapped_column(BigInteger, default=0)
    open_batch_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WebhookEventRow(Base):
    """One event waiting for delivery to one app (deleted once delivered)."""

    __tablename__ = "webhook_events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                    autoincrement=True)
    client_id: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(BigInteger)
    batch_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    source_code: Mapped[str] = mapped_column(String(8))
    tenant_id: Mapped[str] = mapped_column(String(36))
    tenant_type: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(32))
    event_type: Mapped[str] = mapped_column(String(16))
    resource_id: Mapped[str] = mapped_column(String(36))
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ux_webhook_events_sequence", "client_id", "sequence", unique=True),)


class WebhookBatch(Base):
    """One delivery: ``body`` is the exact bytes sent (signed at send time with the current key).

    ``lease_owner``/``lease_until`` name the worker delivering it; a lease past ``lease_until`` (its process died)
    is claimed again. ``first_failure_at`` starts the 24-hour window; ``next_attempt_at`` is the retry schedule.
    """

    __tablename__ = "webhook_batches"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), index=True)
    first_sequence: Mapped[int] = mapped_column(BigInteger)
    last_sequence: Mapped[int] = mapped_column(BigInteger)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    first_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    lease_owner: Mapped[str | None] = mapped_column(String(36), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    claim_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ChangePoll(Base):
    """One tenant of one source whose changes a detector polls (:mod:`gateway.webhooks.detectors`).

    ``since`` is the watermark (the source's time of the newest change seen; ``None`` before the first poll) and
    ``seen`` the keys of the changes seen at exactly that instant (the feed's lower bound is inclusive).
    ``next_poll_at`` is the schedule; an Intuit notification sets it to now (and ``notified_at``, so that a poll
    already running when it came is followed by another). ``lease_owner``/``lease_until`` make
    one process at a time poll the tenant (claimed by a compare-and-set on ``claim_version``, or ``FOR UPDATE SKIP
    LOCKED`` on PostgreSQL). ``polls`` and ``upstream_calls`` count the work done (for the operator and the
    measurements of issue 13).
    """

    __tablename__ = "webhook_change_polls"

    source_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    seen: Mapped[list[str]] = mapped_column(JSON, default=list)
    next_poll_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    lease_owner: Mapped[str | None] = mapped_column(String(36), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    claim_version: Mapped[int] = mapped_column(Integer, default=0)
    polls: Mapped[int] = mapped_column(BigInteger, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OwnWrite(Base):
    """A record the gateway itself just wrote at a source (its event already queued by :mod:`.writes`).

    A detector that later sees a change of the record made no later than ``written_at`` (plus the configured
    slack for clock differences) knows it as the gateway's own and drops it: no event is delivered twice.
    """

    __tablename__ = "webhook_own_writes"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                    autoincrement=True)
    source_code: Mapped[str] = mapped_column(String(8))
    tenant_id: Mapped[str] = mapped_column(String(36))
    resource_id: Mapped[str] = mapped_column(String(36))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    __table_args__ = (Index("ix_webhook_own_writes_resource", "source_code", "tenant_id", "resource_id"),)


class SourceVerifier(Base):
    """The operator's verifier token of a source's own webhooks (Intuit's, for 1004), sealed at rest like the
    developer app's secret (``xero-gateway sources set 1004 … --webhook-verifier-token``)."""

    __tablename__ = "webhook_source_verifiers"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    verifier_token_sealed: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
