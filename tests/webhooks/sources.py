"""Helpers of the change-source tests (QBO, Sage Accounting, Sage 50): a gateway app with short detector intervals,
an app's webhook pointed at the loopback receiver (intent to receive passed), and bounded waits."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from gateway import appkeys
from gateway.app import create_app
from gateway.identity.keys import SIGNING_KEY_FILE
from gateway.settings import Settings, load_settings
from gateway.store.crypto import SecretBox
from gateway.webhooks import subscriptions
from gateway.webhooks.models import ChangePoll
from tests.webhooks.receiver import WAIT_LIMIT, Receiver


def hooked_settings(data_dir: Path, pem: bytes, *, port: int, **webhooks: Any) -> Settings:
    """Settings of a test gateway on ``data_dir`` (signing key written, Xero's limits raised) with ``[webhooks]``
    overrides (``poll_intervals``, ``detect_tick``…)."""
    keys = data_dir / "keys"
    keys.mkdir(mode=0o700, parents=True, exist_ok=True)
    (keys / SIGNING_KEY_FILE).write_bytes(pem)
    (keys / SIGNING_KEY_FILE).chmod(0o600)
    settings = load_settings(data_dir=data_dir, port=port)
    limits = settings.rate_limits.model_copy(update={"tenant_per_minute": 100_000, "tenant_per_day": 1_000_000,
                                                     "tenant_concurrent": 50})
    hooks = settings.webhooks.model_copy(update={"poll_interval": 0.05, "delivery_timeout": 2.0, "detect_tick": 0.1,
                                                 **webhooks})
    native = settings.native.model_copy(update={"demo_company": False})
    return settings.model_copy(update={"rate_limits": limits, "webhooks": hooks, "native": native})


def hooked_app(data_dir: Path, pem: bytes, *, port: int, **webhooks: Any):
    """A gateway app built from :func:`hooked_settings`."""
    return create_app(hooked_settings(data_dir, pem, port=port, **webhooks))


async def subscribe(app, receiver: Receiver, client_id: str, events: str = "CONTACT INVOICE CREDITNOTE") -> str:
    """Give ``client_id`` a webhook to ``receiver`` and wait (bounded) for its intent to receive to pass; returns the
    webhook key."""
    db = app[appkeys.DB]
    box = SecretBox.from_data_dir(app[appkeys.SETTINGS].data_dir)
    shown = await subscriptions.set_subscription(db, box, client_id, url=receiver.url, events=events)
    receiver.keys[client_id] = shown["webhook_key"]
    await until(lambda: _status_ok(db, client_id))
    return shown["webhook_key"]


async def _status_ok(db, client_id: str) -> bool:
    return (await subscriptions.show(db, client_id))["status"] == "OK"


async def until(check: Callable[[], Awaitable[bool]], *, limit: float = WAIT_LIMIT, step: float = 0.05) -> None:
    """Wait until ``check()`` is true, at most ``limit`` seconds (a bound against hanging, not a timing assertion).

    Raises:
        AssertionError: it never became true.
    """
    for _ in range(int(limit / step)):
        if await check():
            return
        await asyncio.sleep(step)
    raise AssertionError("condition not reached within the wait limit")


async def polls_of(app, code: str, tenant_id: str) -> int:
    """How many polls the detectors finished for the tenant."""
    async with app[appkeys.DB].session() as s:
        value = await s.scalar(select(ChangePoll.polls).where(ChangePoll.source_code == code,
                                                              ChangePoll.tenant_id == tenant_id))
    return int(value or 0)


def events_of(receiver: Receiver, client_id: str) -> list[tuple[str, str, str]]:
    """``(eventCategory, eventType, resourceId)`` of every event delivered to ``client_id``, in arrival order."""
    return [(e["eventCategory"], e["eventType"], e["resourceId"])
            for d in receiver.deliveries if d.signed_by == client_id for e in d.body["events"]]
