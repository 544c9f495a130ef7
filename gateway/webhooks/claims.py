"""Safe hand-over of work between the delivery workers of every gateway process sharing one database.

- Intent to receive: a subscription that needs one is claimed by a compare-and-set on ``claim_version`` with a
  lease (``itr_lease_until``).
- Batches: at most one per app in flight (``webhook_subscriptions.open_batch_id``, set by a compare-and-set that
  only one process can win), so an app's events go out in sequence order; a batch takes up to ``batch_size`` of
  the app's oldest queued events (credit-note events apart from the others: Xero's spec gives them their own
  body schema) and fixes the body.
- Claiming a due batch takes a lease (``lease_owner``/``lease_until``): on PostgreSQL the candidates are locked
  with ``FOR UPDATE SKIP LOCKED``, on SQLite (one writer at a time) by a compare-and-set on ``claim_version``. A
  lease that expires (its process died or hung) makes the batch claimable again: delivery is at-least-once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, or_, select, update

from gateway.store.db import Database
from gateway.store.models import App

from .events import ChangeEvent, delivery_body
from .models import ITR_FAILED, ITR_PASSED, ITR_REQUIRED, WebhookBatch, WebhookEventRow, WebhookSubscription
from .schedule import RetrySchedule
from .signing import new_entropy


@dataclass(frozen=True)
class IntentClaim:
    """A subscription whose intent to receive this worker runs."""

    client_id: str
    url: str
    key_sealed: str
    claim_version: int


@dataclass(frozen=True)
class BatchClaim:
    """A batch this worker delivers, with what it needs to send it."""

    id: str
    client_id: str
    url: str
    key_sealed: str
    body: bytes
    attempts: int
    first_failure_at: datetime | None
    claim_version: int


def _free(lease_column, now: datetime):
    return or_(lease_column.is_(None), lease_column < now)


async def claim_intents(db: Database, *, now: datetime, lease: timedelta) -> list[IntentClaim]:
    """Claim every enabled subscription waiting for an intent to receive (none held by a live lease)."""
    async with db.session() as s:
        rows = (await s.execute(select(WebhookSubscription).where(
            WebhookSubscription.enabled.is_(True), WebhookSubscription.itr_status == ITR_REQUIRED,
            _free(WebhookSubscription.itr_lease_until, now)))).scalars().all()
    claimed = []
    for sub in rows:
        async with db.session() as s, s.begin():
            won = await s.execute(update(WebhookSubscription).where(
                WebhookSubscription.client_id == sub.client_id,
                WebhookSubscription.claim_version == sub.claim_version,
            ).values(itr_lease_until=now + lease, claim_version=sub.claim_version + 1))
        if won.rowcount == 1:
            claimed.append(IntentClaim(sub.client_id, sub.url, sub.key_sealed, sub.claim_version + 1))
    return claimed


async def finish_intent(db: Database, claim: IntentClaim, *, passed: bool, failure: str | None, now: datetime
                        ) -> bool:
    """Record an intent-to-receive outcome, unless the subscription changed meanwhile (its URL, a re-run)."""
    async with db.session() as s, s.begin():
        done = await s.execute(update(WebhookSubscription).where(
            WebhookSubscription.client_id == claim.client_id,
            WebhookSubscription.claim_version == claim.claim_version,
            WebhookSubscription.url == claim.url,
            WebhookSubscription.itr_status == ITR_REQUIRED,
        ).values(itr_status=ITR_PASSED if passed else ITR_FAILED, itr_failure=failure, itr_checked_at=now,
                 itr_lease_until=None, updated_at=now))
    return done.rowcount == 1


def _same_schema_run(rows: list[WebhookEventRow]) -> list[WebhookEventRow]:
    """The leading events that fit one body schema: Xero's ``creditNotes`` webhook body
    (``CreditNoteWebhookEvent``) holds CREDITNOTE events only, the other webhooks' (``WebhookEvent``) none."""
    credit_note = rows[0].category == "CREDITNOTE"
    for i, row in enumerate(rows):
        if (row.category == "CREDITNOTE") != credit_note:
            return rows[:i]
    return rows


def _event(row: WebhookEventRow) -> ChangeEvent:
    return ChangeEvent(source_code=row.source_code, tenant_id=row.tenant_id, category=row.category,
                       event_type=row.event_type, resource_id=row.resource_id, occurred_at=row.occurred_at,
                       data=row.data, tenant_type=row.tenant_type)


async def open_batches(db: Database, *, now: datetime, batch_size: int, public_url: str) -> int:
    """Group queued events into one new batch per ready app (enabled, intent passed, no batch in flight).

    Returns:
        The number of batches created.
    """
    queued = exists().where(WebhookEventRow.client_id == WebhookSubscription.client_id,
                            WebhookEventRow.batch_id.is_(None))
    async with db.session() as s:
        ready = (await s.execute(select(WebhookSubscription.client_id).where(
            WebhookSubscription.enabled.is_(True), WebhookSubscription.itr_status == ITR_PASSED,
            WebhookSubscription.open_batch_id.is_(None), queued))).scalars().all()
    created = 0
    for client_id in ready:
        batch_id = str(uuid.uuid4())
        async with db.session() as s, s.begin():
            won = await s.execute(update(WebhookSubscription).where(
                WebhookSubscription.client_id == client_id, WebhookSubscription.open_batch_id.is_(None),
            ).values(open_batch_id=batch_id))
            if won.rowcount != 1:
                continue
            rows = list((await s.execute(select(WebhookEventRow).where(
                WebhookEventRow.client_id == client_id, WebhookEventRow.batch_id.is_(None),
            ).order_by(WebhookEventRow.sequence).limit(batch_size))).scalars().all())
            if not rows:
                await s.rollback()
                continue
            rows = _same_schema_run(rows)
            first, last = rows[0].sequence, rows[-1].sequence
            body = delivery_body([_event(r) for r in rows], first_sequence=first, last_sequence=last,
                                 entropy=new_entropy(), public_url=public_url)
            s.add(WebhookBatch(id=batch_id, client_id=client_id, first_sequence=first, last_sequence=last, body=body,
                               attempts=0, next_attempt_at=now, claim_version=0, created_at=now))
            await s.flush()
            await s.execute(update(WebhookEventRow).where(WebhookEventRow.id.in_([r.id for r in rows]))
                            .values(batch_id=batch_id))
            created += 1
    return created


def _due(now: datetime):
    return (select(WebhookBatch, WebhookSubscription.url, WebhookSubscription.key_sealed)
            .join(WebhookSubscription, WebhookSubscription.open_batch_id == WebhookBatch.id)
            .join(App, App.client_id == WebhookSubscription.client_id)
            .where(WebhookSubscription.enabled.is_(True), WebhookSubscription.itr_status == ITR_PASSED,
                   App.disabled_at.is_(None),
                   WebhookBatch.next_attempt_at <= now, _free(WebhookBatch.lease_until, now))
            .order_by(WebhookBatch.next_attempt_at, WebhookBatch.first_sequence))


async def claim_batches(db: Database, *, owner: str, now: datetime, lease: timedelta, limit: int
                        ) -> list[BatchClaim]:
    """Lease up to ``limit`` due batches to ``owner``."""
    lease_values = {"lease_owner": owner, "lease_until": now + lease}
    if db.engine.dialect.name == "postgresql":
        async with db.session() as s, s.begin():
            rows = (await s.execute(_due(now).limit(limit).with_for_update(skip_locked=True, of=WebhookBatch))).all()
            for batch, _, _ in rows:
                await s.execute(update(WebhookBatch).where(WebhookBatch.id == batch.id)
                                .values(**lease_values, claim_version=batch.claim_version + 1))
        return [BatchClaim(b.id, b.client_id, url, key, b.body, b.attempts, b.first_failure_at, b.claim_version + 1)
                for b, url, key in rows]
    async with db.session() as s:
        rows = (await s.execute(_due(now).limit(limit))).all()
    claimed = []
    for batch, url, key in rows:
        async with db.session() as s, s.begin():
            won = await s.execute(update(WebhookBatch).where(
                WebhookBatch.id == batch.id, WebhookBatch.claim_version == batch.claim_version,
            ).values(**lease_values, claim_version=batch.claim_version + 1))
        if won.rowcount == 1:
            claimed.append(BatchClaim(batch.id, batch.client_id, url, key, batch.body, batch.attempts,
                                      batch.first_failure_at, batch.claim_version + 1))
    return claimed


async def delivered(db: Database, claim: BatchClaim) -> None:
    """The receiver accepted the batch: drop its events and the batch, and free the app for its next batch."""
    async with db.session() as s, s.begin():
        await s.execute(delete(WebhookEventRow).where(WebhookEventRow.batch_id == claim.id))
        await s.execute(update(WebhookSubscription).where(WebhookSubscription.open_batch_id == claim.id)
                        .values(open_batch_id=None))
        await s.execute(delete(WebhookBatch).where(WebhookBatch.id == claim.id))


async def failed(db: Database, claim: BatchClaim, *, error: str, now: datetime, schedule: RetrySchedule) -> bool:
    """Schedule the next attempt, or disable the subscription once failures have lasted the retry window.

    Returns:
        ``True`` when the subscription was disabled.
    """
    attempts = claim.attempts + 1
    first_failure = claim.first_failure_at or now
    expired = schedule.expired(first_failure, now)
    async with db.session() as s, s.begin():
        mine = await s.execute(update(WebhookBatch).where(
            WebhookBatch.id == claim.id, WebhookBatch.claim_version == claim.claim_version,
        ).values(attempts=attempts, first_failure_at=first_failure, last_error=error[:2000],
                 next_attempt_at=now + schedule.delay(attempts), lease_owner=None, lease_until=None))
        if mine.rowcount != 1 or not expired:
            return False
        hours = schedule.window.total_seconds() / 3600
        await s.execute(update(WebhookSubscription).where(WebhookSubscription.client_id == claim.client_id).values(
            enabled=False, disabled_at=now, updated_at=now,
            disabled_reason=f"no acceptable response for {hours:g} hours (last: {error[:200]})"))
    return True
