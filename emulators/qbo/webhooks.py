"""Intuit's webhooks, sent by the emulator for every entity change (create, update, delete, void).

The app's webhook is registered with a test hook (in Intuit's developer portal it is the app's settings):
``PUT /_emulator/webhooks {"url": "…", "verifier_token": "…"}``; ``{"url": null}`` stops sending (a notification
Intuit "never sent"); ``GET /_emulator/webhooks`` answers the URL and the counts of notifications sent and failed.

A notification is the shape of Intuit's "Managing webhooks notifications" sample, one ``eventNotifications`` item per
realm (the page: "it only uses one at this time")::

    {"eventNotifications": [{"realmId": "1185883450", "dataChangeEvent": {"entities": [
        {"name": "Customer", "id": "1", "operation": "Create", "lastUpdated": "2015-10-05T14:42:19-0700"}]}}]}

signed in the ``intuit-signature`` header: base64 of HMAC-SHA256 over the raw body, keyed with the verifier token.
Changes are queued by the data service as they happen and sent by one background task (Intuit aggregates a
production app's events for 1 to 5 minutes; the sandbox sends them "near real time", as here). A failed POST is
counted and dropped: Intuit's own retries are not emulated, the receiver's CDC catches up.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aiohttp
import structlog
from aiohttp import web

log = structlog.get_logger("emulators.qbo")

#: Seconds the receiver has to answer (Intuit: 3).
SEND_TIMEOUT = 3.0


def intuit_signature(raw_body: bytes, verifier_token: str) -> str:
    """``intuit-signature``: base64(HMAC-SHA256(key=verifier token, msg=raw body))."""
    return base64.b64encode(hmac.new(verifier_token.encode("utf-8"), raw_body, hashlib.sha256).digest()).decode()


def last_updated(moment: datetime) -> str:
    """Intuit's ``lastUpdated``: seconds and a colon-less offset (``2015-10-05T14:42:19-0700``)."""
    return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%S%z")


@dataclass
class IntuitWebhooks:
    """The app's webhook and its sender."""

    url: str | None = None
    verifier_token: str = ""
    sent: int = 0
    failed: int = 0
    _pending: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    _ready: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task | None = None

    def changed(self, realm_id: str, entity: str, entity_id: str, operation: str, moment: datetime) -> None:
        """Queue one entity change (nothing when no webhook is registered)."""
        if not self.url:
            return
        self._pending.append((realm_id, {"name": entity, "id": str(entity_id), "operation": operation,
                                         "lastUpdated": last_updated(moment)}))
        self._ready.set()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="qbo-emulator-webhooks")

    def _take(self) -> list[dict[str, Any]]:
        by_realm: dict[str, list[dict[str, str]]] = {}
        for realm_id, entity in self._pending:
            by_realm.setdefault(realm_id, []).append(entity)
        self._pending.clear()
        return [{"eventNotifications": [{"realmId": realm_id, "dataChangeEvent": {"entities": entities}}]}
                for realm_id, entities in by_realm.items()]

    async def _run(self) -> None:
        timeout = aiohttp.ClientTimeout(total=SEND_TIMEOUT)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while True:
                await self._ready.wait()
                self._ready.clear()
                for body in self._take():
                    await self._send(session, body)

    async def _send(self, session: aiohttp.ClientSession, body: dict[str, Any]) -> None:
        url, token = self.url, self.verifier_token
        if not url:
            return
        raw = json.dumps(body).encode("utf-8")
        headers = {"Content-Type": "application/json", "intuit-signature": intuit_signature(raw, token)}
        try:
            async with session.post(url, data=raw, headers=headers) as response:
                ok = response.status == 200
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("qbo_webhook_failed", url=url, error=repr(exc))
            ok = False
        if ok:
            self.sent += 1
        else:
            self.failed += 1

    async def close(self) -> None:
        """Stop the sender."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def summary(self) -> dict[str, Any]:
        return {"url": self.url, "sent": self.sent, "failed": self.failed}


def add_routes(app: web.Application, state: web.AppKey[Any]) -> None:
    """``GET/PUT /_emulator/webhooks`` over ``app[state].webhooks`` (an :class:`IntuitWebhooks`), stopped at
    clean-up."""

    async def show(request: web.Request) -> web.Response:
        return web.json_response(request.app[state].webhooks.summary())

    async def register(request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"error": "the body must be JSON"}, status=400)
        if not isinstance(body, dict) or (body.get("url") is not None and not (
                isinstance(body.get("url"), str) and isinstance(body.get("verifier_token"), str)
                and body["verifier_token"])):
            return web.json_response({"error": "give url and verifier_token, or url null"}, status=400)
        webhooks = request.app[state].webhooks
        webhooks.url = body.get("url")
        webhooks.verifier_token = body.get("verifier_token") or webhooks.verifier_token
        return web.json_response(webhooks.summary())

    async def close(app: web.Application) -> None:
        await app[state].webhooks.close()

    app.router.add_get("/_emulator/webhooks", show)
    app.router.add_put("/_emulator/webhooks", register)
    app.on_cleanup.append(close)
