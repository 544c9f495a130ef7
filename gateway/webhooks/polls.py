"""The detectors' schedule in the gateway database (``webhook_change_polls``): which tenants are polled, when, and
by which process.

- :func:`ensure_polls`: one row per (source, tenant) of a source with a change table that has at least one app with
  an enabled webhook connected to it (Xero sends "events for every Xero organisation connected to the app"); a new
  row starts its watermark at now, so history before the subscription is not announced.
- :func:`claim_due`: rows due (``next_poll_at`` passed) and not leased are taken by a compare-and-set on
  ``claim_version`` with a lease: across several gateway processes one polls a tenant at a time, and a process that
  died frees its tenants when the lease ends.
- :func:`finish`: the new watermark and the next time, in the transaction that queues the events (only the lease
  holder may write it).
- :func:`poll_now`: an upstream's push notification (Intuit's) makes the tenant due at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.store.db import Database
from gateway.store.models import App, Connection

from .models import ChangePoll, WebhookSubscription


@dataclass(frozen=True)
class PollClaim:
    """A tenant this process polls now."""

    source_code: str
    tenant_id: str
    since: datetime | None
    seen: tuple[str, ...]
    claim_version: int
    claimed_at: datetime


def _subscribed(codes: Iterable[str]):
    return (select(Connection.source_code, Connection.tenant_id, WebhookSubscription.categories)
            .join(WebhookSubscription, WebhookSubscription.client_id == Connection.client_id)
            .join(App, App.client_id == Connection.client_id)
            .where(Connection.source_code.in_(list(codes)), Connection.deleted_at.is_(None),
                   WebhookSubscription.enabled.is_(True), App.disabled_at.is_(None)))


async def ensure_polls(db: Database, codes: Iterable[str], *, now: datetime, start_back: timedelta) -> int:
    """Add the missing rows (watermark ``now - start_back``, due at once so the first poll sets the schedule).

    Returns:
        The number of rows added.
    """
    async with db.session() as s:
        pairs = {(code, tenant.lower()) for code, tenant, _ in (await s.execute(_subscribed(codes))).all()}
        known = set((await s.execute(select(ChangePoll.source_code, ChangePoll.tenant_id))).all())
    missing = sorted(pairs - known)
    if not missing:
        return 0
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    since = (now - start_back).replace(microsecond=0)  # QBO stamps whole seconds
    rows = [{"source_code": code, "tenant_id": tenant, "since": since, "seen": [], "next_poll_at": now,
             "claim_version": 0, "polls": 0, "updated_at": now} for code, tenant in missing]
    async with db.session() as s, s.begin():
        await s.execute(insert(ChangePoll).values(rows).on_conflict_do_nothing())
    return len(missing)


async def subscribed_categories(db: Database, code: str, tenant_id: str) -> set[str]:
    """The categories any app with an enabled webhook connected to the tenant subscribes to."""
    async with db.session() as s:
        rows = (await s.execute(_subscribed([code]).where(Connection.tenant_id == tenant_id))).all()
    return {category for _, _, categories in rows for category in categories}


async def claim_due(db: Database, codes: Iterable[str], *, owner: str, now: datetime, lease: timedelta,
                    limit: int) -> list[PollClaim]:
    """Lease up to ``limit`` due, unleased rows of ``codes`` to ``owner``."""
    async with db.session() as s:
        due = (await s.execute(select(ChangePoll).where(
            ChangePoll.source_code.in_(list(codes)), ChangePoll.next_poll_at <= now,
            or_(ChangePoll.lease_until.is_(None), ChangePoll.lease_until < now),
        ).order_by(ChangePoll.next_poll_at).limit(limit))).scalars().all()
    claimed = []
    for row in due:
        async with db.session() as s, s.begin():
            won = await s.execute(update(ChangePoll).where(
                ChangePoll.source_code == row.source_code, ChangePoll.tenant_id == row.tenant_id,
                ChangePoll.claim_version == row.claim_version,
            ).values(lease_owner=owner, lease_until=now + lease, claim_version=row.claim_version + 1))
        if won.rowcount == 1:
            claimed.append(PollClaim(row.source_code, row.tenant_id, row.since, tuple(row.seen or ()),
                                     row.claim_version + 1, now))
    return claimed


async def finish(session: AsyncSession, claim: PollClaim, *, since: datetime | None, seen: Iterable[str],
                 next_poll_at: datetime, now: datetime, error: str | None = None) -> bool:
    """Store the poll's outcome and free the lease, in the caller's transaction.

    A notification that arrived while the poll ran (``notified_at`` after the claim) keeps the tenant due: the poll
    may have read the source before that change.

    Returns:
        ``False`` when the lease was lost meanwhile (another process polls the tenant: the caller must roll back).
    """
    notified = ChangePoll.notified_at.is_not(None) & (ChangePoll.notified_at >= claim.claimed_at)
    done = await session.execute(update(ChangePoll).where(
        ChangePoll.source_code == claim.source_code, ChangePoll.tenant_id == claim.tenant_id,
        ChangePoll.claim_version == claim.claim_version,
    ).values(since=since, seen=list(seen), next_poll_at=case((notified, now), else_=next_poll_at),
             lease_owner=None, lease_until=None, polls=ChangePoll.polls + 1, last_error=error, updated_at=now))
    return done.rowcount == 1


async def poll_now(db: Database, code: str, tenant_ids: Iterable[str], *, now: datetime) -> int:
    """Make the tenants' polls due now (a push notification arrived). Returns the rows made due."""
    ids = sorted({t.lower() for t in tenant_ids})
    if not ids:
        return 0
    async with db.session() as s, s.begin():
        done = await s.execute(update(ChangePoll).where(
            ChangePoll.source_code == code, ChangePoll.tenant_id.in_(ids),
        ).values(notified_at=now, next_poll_at=case((ChangePoll.next_poll_at > now, now),
                                                   else_=ChangePoll.next_poll_at)))
    return done.rowcount
