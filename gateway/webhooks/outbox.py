"""The durable outbox: :func:`emit` records events for every app that should receive them.

Fan-out happens here, at emit time: an event of tenant T of source S goes to every app whose webhook is enabled,
subscribes to the event's category, and has a live connection to (S, T) (Xero sends "events for every Xero
organisation connected to the app", https://developer.xero.com/documentation/webhooks/overview). Each app's events
are numbered by its own counter (``webhook_subscriptions.last_sequence``), so sequences are monotonic per app; the
counter update also serialises concurrent emitters of one app.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.store.db import Database
from gateway.store.models import App, Connection

from .events import ChangeEvent
from .models import WebhookEventRow, WebhookSubscription


async def _targets(session: AsyncSession, source_code: str, tenant_id: str) -> list[tuple[str, list[str]]]:
    connected = exists().where(Connection.client_id == WebhookSubscription.client_id,
                               Connection.source_code == source_code, Connection.tenant_id == tenant_id,
                               Connection.deleted_at.is_(None))
    rows = await session.execute(
        select(WebhookSubscription.client_id, WebhookSubscription.categories)
        .join(App, App.client_id == WebhookSubscription.client_id)
        .where(WebhookSubscription.enabled.is_(True), App.disabled_at.is_(None), connected)
        .order_by(WebhookSubscription.client_id))
    return [(client_id, list(categories)) for client_id, categories in rows.all()]


async def _emit(session: AsyncSession, events: Sequence[ChangeEvent]) -> int:
    by_tenant: dict[tuple[str, str], list[ChangeEvent]] = {}
    for event in events:
        by_tenant.setdefault((event.source_code, event.tenant_id.lower()), []).append(event)
    per_app: dict[str, list[ChangeEvent]] = {}
    for (code, tenant), group in by_tenant.items():
        for client_id, categories in await _targets(session, code, tenant):
            per_app.setdefault(client_id, []).extend(e for e in group if e.category in categories)
    written = 0
    for client_id, app_events in sorted(per_app.items()):
        if not app_events:
            continue
        last = (await session.execute(
            update(WebhookSubscription).where(WebhookSubscription.client_id == client_id)
            .values(last_sequence=WebhookSubscription.last_sequence + len(app_events))
            .returning(WebhookSubscription.last_sequence))).scalar_one()
        first = last - len(app_events) + 1
        session.add_all(WebhookEventRow(
            client_id=client_id, sequence=first + i, source_code=e.source_code, tenant_id=e.tenant_id.lower(),
            tenant_type=e.tenant_type, category=e.category, event_type=e.event_type,
            resource_id=e.resource_id.lower(), data=e.data, occurred_at=e.occurred_at)
            for i, e in enumerate(app_events))
        written += len(app_events)
    await session.flush()
    return written


async def emit(session_or_db: AsyncSession | Database, events: Sequence[ChangeEvent]) -> int:
    """Queue ``events`` for delivery to every app subscribed to them.

    Args:
        session_or_db: an :class:`AsyncSession` **on the gateway's database** to write in the caller's
            transaction (nothing is committed here: the events exist exactly when the caller's change commits),
            or the gateway :class:`Database` to write and commit standalone.
        events: the changes, in the order they happened (sequence numbers follow it per app).

    Returns:
        The number of outbox rows written (events × receiving apps).

    Raises:
        sqlalchemy.exc.SQLAlchemyError: the database refused the write (the caller's transaction should roll back).
    """
    if not events:
        return 0
    if isinstance(session_or_db, AsyncSession):
        return await _emit(session_or_db, events)
    async with session_or_db.session() as s, s.begin():
        return await _emit(s, events)
