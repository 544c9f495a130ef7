"""A partner app's webhook endpoint, written as Xero's documentation tells integrators to write it
(https://developer.xero.com/documentation/webhooks/configuring-your-server): read the raw body, compute
``base64(HMAC-SHA256(key as UTF-8, raw body))``, compare it with ``x-xero-signature`` by ``hmac.compare_digest``,
answer 401 when they differ and 200 with no body and no cookie when they match.

A real HTTP server on 127.0.0.1. ``behaviour`` makes it misbehave on purpose (intent-to-receive failure cases),
:meth:`Receiver.stop`/:meth:`Receiver.start` take it down and back on the same port, and ``hold`` keeps requests
waiting (a worker "killed mid-delivery").
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

#: ``behaviour`` values.
GOOD = "good"
NOT_200 = "not-200"  # 500 to correctly signed requests
BODY = "body"  # 200 with a body
COOKIE = "cookie"  # 200 with Set-Cookie
ACCEPT_ANY = "accept-any"  # 200 even to incorrectly signed requests
FAIL = "fail"  # 503 to everything

#: Seconds a test waits for deliveries at most (a bound against hanging, not a timing assertion).
WAIT_LIMIT = 30.0


def xero_signature(raw_body: bytes, webhook_key: str) -> str:
    """shared/notes/webhooks.md §3, the receiver-side check."""
    return base64.b64encode(hmac.new(webhook_key.encode("utf-8"), raw_body, hashlib.sha256).digest()).decode()


@dataclass
class Delivery:
    """One correctly signed request: its raw bytes, parsed body, headers, and the name of the key that signed it."""

    raw: bytes
    body: dict[str, Any]
    headers: dict[str, str]
    signed_by: str = ""


@dataclass
class Receiver:
    """One endpoint; ``keys`` (name → webhook key) lets several apps share it, each request checked against each."""

    keys: dict[str, str] = field(default_factory=dict)
    behaviour: str = GOOD
    deliveries: list[Delivery] = field(default_factory=list)
    rejected: int = 0
    hold: asyncio.Event | None = None
    held: int = 0
    port: int = 0
    _runner: web.AppRunner | None = None
    _arrived: asyncio.Condition = field(default_factory=asyncio.Condition)

    @property
    def key(self) -> str:
        return self.keys.get("", "")

    @key.setter
    def key(self, value: str) -> None:
        self.keys = {"": value}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhooks/xero"

    async def handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
        received = request.headers.get("x-xero-signature", "")
        signed_by = [name for name, key in self.keys.items()
                     if hmac.compare_digest(xero_signature(raw, key), received)]
        signed = bool(signed_by)
        if self.behaviour == FAIL:
            return web.Response(status=503)
        if not signed and self.behaviour != ACCEPT_ANY:
            self.rejected += 1
            return web.Response(status=401)
        if self.hold is not None:
            self.held += 1
            await self.hold.wait()
        if self.behaviour == NOT_200:
            return web.Response(status=500)
        if self.behaviour == BODY:
            return web.Response(status=200, text="ok")
        response = web.Response(status=200)
        if self.behaviour == COOKIE:
            response.set_cookie("session", "abc")
        async with self._arrived:
            self.deliveries.append(Delivery(raw, json.loads(raw), dict(request.headers), signed_by[0]))
            self._arrived.notify_all()
        return response

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/webhooks/xero", self.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def events(self) -> list[dict[str, Any]]:
        """Every delivered event (ITR requests have none), in arrival order."""
        return [e for d in self.deliveries for e in d.body["events"]]

    async def wait_for_events(self, count: int) -> list[dict[str, Any]]:
        """Wait (at most :data:`WAIT_LIMIT` seconds) until ``count`` events arrived; returns them."""
        async with asyncio.timeout(WAIT_LIMIT), self._arrived:
            await self._arrived.wait_for(lambda: len(self.events) >= count)
        return self.events
