"""Webhook subscriptions as the operators' CLI manages them (``xero-gateway webhooks …``), one per partner app.

Every function takes the gateway's :class:`~gateway.store.db.Database` and a :class:`~gateway.store.crypto.SecretBox`
where the key is involved, and raises ``ValueError`` with a message for the operator on bad input. The webhook key
is shown once, by :func:`set_subscription` when it creates the key and by :func:`rotate_key`; it is stored sealed
with the box (the gateway must read it back to sign), never in clear.

Rules (https://developer.xero.com/documentation/webhooks/configuring-your-server, shared/notes/webhooks.md §1, §4):
the URL is an absolute URL (Xero requires HTTPS on 443; ``http`` is accepted for loopback tests and private
networks); creating, re-enabling or changing the URL of a subscription requires a new intent to receive, and
nothing is delivered until it passed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select, update

from gateway.store.crypto import SecretBox
from gateway.store.db import Database
from gateway.store.models import App

from .categories import EXTENSION_CATEGORIES, parse_categories
from .models import ITR_FAILED, ITR_PASSED, ITR_REQUIRED, WebhookBatch, WebhookEventRow, WebhookSubscription
from .signing import new_webhook_key

#: The developer portal's status texts (shared/notes/webhooks.md §4); "OK" once intent to receive passed.
ITR_REQUIRED_TEXT = "Intent to receive required"


def _check_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"webhook URL {url!r} must be an absolute http(s) URL")
    if parts.fragment:
        raise ValueError(f"webhook URL {url!r} must not contain a fragment")
    return url


def status_text(sub: WebhookSubscription) -> str:
    """What the portal would show: ``Disabled: …``, ``Intent to receive required``, the ITR failure, or ``OK``."""
    if not sub.enabled:
        return f"Disabled: {sub.disabled_reason}" if sub.disabled_reason else "Disabled"
    if sub.itr_status == ITR_FAILED:
        return sub.itr_failure or ITR_REQUIRED_TEXT
    if sub.itr_status == ITR_REQUIRED:
        return ITR_REQUIRED_TEXT
    return "OK"


def describe(sub: WebhookSubscription, *, key: str | None = None) -> dict[str, Any]:
    """The subscription as the CLI prints it; ``key`` only when it is shown (creation, rotation).

    Returns:
        ``{"client_id", "url", "events": [...], "extension_events": [...], "enabled", "status",
        "intent_to_receive", "disabled_reason", "disabled_at", "last_event_sequence"[, "webhook_key"]}``.
    """
    out: dict[str, Any] = {
        "client_id": sub.client_id, "url": sub.url, "events": list(sub.categories),
        "extension_events": [c for c in sub.categories if c in EXTENSION_CATEGORIES],
        "enabled": sub.enabled, "status": status_text(sub), "intent_to_receive": sub.itr_status,
        "disabled_reason": sub.disabled_reason,
        "disabled_at": sub.disabled_at.isoformat() if sub.disabled_at else None,
        "last_event_sequence": sub.last_sequence,
    }
    if key is not None:
        out["webhook_key"] = key
    return out


async def _app(session: Any, client_id: str) -> App:
    app = await session.get(App, client_id)
    if app is None:
        raise LookupError(f"no partner app {client_id}; see: xero-gateway apps list")
    return app


async def _subscription(session: Any, client_id: str) -> WebhookSubscription:
    sub = await session.get(WebhookSubscription, client_id)
    if sub is None:
        raise LookupError(f"app {client_id} has no webhook; create one with: xero-gateway webhooks set {client_id} "
                          "--url URL --events \"CONTACT INVOICE\"")
    return sub


def _require_itr(sub: WebhookSubscription, now: datetime) -> None:
    sub.itr_status = ITR_REQUIRED
    sub.itr_failure = None
    sub.itr_lease_until = None
    sub.updated_at = now


async def set_subscription(db: Database, box: SecretBox, client_id: str, *, url: str | None = None,
                           events: str | list[str] | None = None) -> dict[str, Any]:
    """Create an app's webhook, or change its URL or categories.

    Args:
        db: the gateway database.
        box: the gateway's secret box (seals the key).
        client_id: the partner app.
        url: the delivery URL (required on creation).
        events: subscribed categories, ``"CONTACT INVOICE"`` or a list.

    Returns:
        :func:`describe`'s dict, with ``webhook_key`` on creation (the only time it is shown besides rotation).

    Raises:
        LookupError: no such app.
        ValueError: bad URL or categories, or a creation without URL or categories.
    """
    now = datetime.now(UTC)
    async with db.session() as s, s.begin():
        await _app(s, client_id)
        sub = await s.get(WebhookSubscription, client_id)
        key = None
        if sub is None:
            if url is None or events is None:
                raise ValueError("a new webhook needs --url and --events")
            key = new_webhook_key()
            sub = WebhookSubscription(client_id=client_id, url=_check_url(url), categories=parse_categories(events),
                                      key_sealed=box.encrypt(key), enabled=True, itr_status=ITR_REQUIRED,
                                      last_sequence=0, claim_version=0, created_at=now, updated_at=now)
            s.add(sub)
        else:
            if events is not None:
                sub.categories = parse_categories(events)
                sub.updated_at = now
            if url is not None and _check_url(url) != sub.url:
                sub.url = _check_url(url)
                _require_itr(sub, now)
        return describe(sub, key=key)


async def show(db: Database, client_id: str) -> dict[str, Any]:
    """The app's webhook (no key), with its delivery backlog: ``queued_events``, and for the batch in flight
    ``delivery_attempts``, ``last_error`` and ``next_attempt_at`` (ISO 8601 UTC).

    Raises:
        LookupError: the app has no webhook.
    """
    async with db.session() as s:
        out = describe(await _subscription(s, client_id))
        out["queued_events"] = await s.scalar(
            select(func.count()).select_from(WebhookEventRow).where(WebhookEventRow.client_id == client_id))
        batch = (await s.execute(select(WebhookBatch).where(WebhookBatch.client_id == client_id)
                                 .order_by(WebhookBatch.first_sequence).limit(1))).scalar_one_or_none()
    out["delivery_attempts"] = batch.attempts if batch else 0
    out["last_error"] = batch.last_error if batch else None
    out["next_attempt_at"] = batch.next_attempt_at.isoformat() if batch else None
    return out


async def rotate_key(db: Database, box: SecretBox, client_id: str) -> dict[str, Any]:
    """Issue a new webhook key (shown once); deliveries are signed with it from now on, retries included."""
    async with db.session() as s, s.begin():
        sub = await _subscription(s, client_id)
        key = new_webhook_key()
        sub.key_sealed = box.encrypt(key)
        sub.updated_at = datetime.now(UTC)
        return describe(sub, key=key)


async def enable(db: Database, client_id: str) -> dict[str, Any]:
    """Re-enable a webhook: a new intent to receive, then queued events go out with a fresh 24-hour window."""
    now = datetime.now(UTC)
    async with db.session() as s, s.begin():
        sub = await _subscription(s, client_id)
        if not sub.enabled or sub.itr_status != ITR_PASSED:
            sub.enabled = True
            sub.disabled_reason = None
            sub.disabled_at = None
            _require_itr(sub, now)
            await s.execute(update(WebhookBatch).where(WebhookBatch.client_id == client_id).values(
                attempts=0, first_failure_at=None, next_attempt_at=now, last_error=None))
        return describe(sub)


async def disable(db: Database, client_id: str, *, reason: str | None = None) -> dict[str, Any]:
    """Stop deliveries and new events for the app (events already queued stay queued)."""
    async with db.session() as s, s.begin():
        sub = await _subscription(s, client_id)
        sub.enabled = False
        sub.disabled_reason = reason
        sub.disabled_at = datetime.now(UTC)
        sub.updated_at = sub.disabled_at
        return describe(sub)
