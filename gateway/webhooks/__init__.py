"""Xero webhooks, emitted by the gateway to partner apps (issue 13; shared/notes/webhooks.md,
contracts/xero/xero-webhooks.yaml).

Modules, one job each:

- :mod:`.categories`: Xero's categories and the gateway's opt-in extension categories, collection mapping.
- :mod:`.signing`: webhook keys, ``x-xero-signature``, ``entropy``.
- :mod:`.events`: :class:`~.events.ChangeEvent` and Xero's delivery body (``eventDateUtc`` format, ``resourceUrl``).
- :mod:`.models`: the tables (subscriptions, the outbox, batches) in the gateway database.
- :mod:`.subscriptions`: ``xero-gateway webhooks set|show|rotate-key|enable|disable``.
- :mod:`.outbox`: :func:`~.outbox.emit`, the one entry point for every source of change.
- :mod:`.transport`, :mod:`.intent`: the signed POST; intent to receive as Xero runs it.
- :mod:`.schedule`, :mod:`.claims`, :mod:`.dispatcher`: retries for 24 hours, safe claims across processes, the
  delivery worker started with the app.
- :mod:`.writes`: events from the gateway's own Accounting API writes (hooked in ``gateway.api.handler``).
- Changes made directly in the sources: :mod:`.changemap` (``mappings/webhook_changes.toml``), :mod:`.polls` (the
  schedule and per-tenant leases), :mod:`.detectors` (the worker polling the adapters' change feeds,
  :mod:`adapters.common.changes`), :mod:`.intuit` (Intuit's webhooks for QBO), :mod:`.own_writes` (the gateway's own
  writes are not announced twice).
- :func:`setup` (here): the app's dispatcher and detectors in ``cleanup_ctx`` (``appkeys.WEBHOOKS``,
  :data:`.detectors.DETECTORS`), and the ``/{code}/webhooks/intuit`` route.

How a source reports its own changes (native ledger in its transaction, QBO webhooks + CDC, Sage Accounting
polling, the Sage 50 agent's sync): build :class:`~.events.ChangeEvent` values (source code, gateway tenant GUID,
Xero category, ``CREATE``/``UPDATE``, resource GUID, aware UTC time, ``data`` for credit notes) and call::

    await outbox.emit(session_or_db, events)

with an ``AsyncSession`` on the **gateway** database to queue them in the same transaction as the change (they
exist exactly when it commits; nothing is committed by ``emit``), or with the gateway ``Database`` to queue them
standalone (commits). An adapter whose data lives in another database (the native ledger's ``ledger.db``) queues
right after its own commit, or shares the gateway's database URL to get one transaction. Delivery is at-least-once:
a change reported twice is delivered twice, so emitters that poll should remember their watermark.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from gateway import appkeys

from . import intuit
from .detectors import DETECTORS, Detectors
from .dispatcher import Dispatcher

__all__ = ["setup"]


def setup(app: web.Application) -> None:
    """Start the app's dispatcher and detectors after the state context (``appkeys.DB``, ``appkeys.SOURCES``) and
    stop them before the database closes; route Intuit's webhooks.

    With ``[webhooks] enabled = false`` the dispatcher exists (writes still queue events) but does not run: another
    process sharing the database delivers. With ``detect = false`` this process polls no source (another does).
    """
    app[appkeys.ROUTER].add("POST", "/webhooks/intuit", intuit.receive)

    async def webhooks(app: web.Application) -> AsyncIterator[None]:
        settings = app[appkeys.SETTINGS]
        dispatcher = Dispatcher(app[appkeys.DB], settings)
        app[appkeys.WEBHOOKS] = dispatcher
        detectors = Detectors(app[appkeys.DB], settings, app[appkeys.SOURCES], on_events=dispatcher.wake)
        app[DETECTORS] = detectors
        if settings.webhooks.enabled:
            dispatcher.start()
        if settings.webhooks.detect:
            detectors.start()
        yield
        await detectors.stop()
        await dispatcher.stop()

    app.cleanup_ctx.append(webhooks)
