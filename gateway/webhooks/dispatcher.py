"""The delivery worker: one per gateway process, started and stopped with the app (``cleanup_ctx``).

Each pass (:meth:`Dispatcher.tick`) runs the pending intents to receive, groups queued events into batches and
delivers the due batches it could claim (:mod:`gateway.webhooks.claims`). Passes repeat every
``[webhooks] poll_interval`` seconds, sooner when :meth:`Dispatcher.wake` is called (after a gateway write) or when
the last pass delivered something (a backlog drains without waiting).

A delivery succeeds on HTTP 200 within ``delivery_timeout`` seconds (Xero's rule for receivers); anything else is a
failure retried on the :class:`~gateway.webhooks.schedule.RetrySchedule`, and after ``retry_window`` seconds of
failures the subscription is disabled.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import aiohttp
import structlog

from gateway.observability.metrics import WEBHOOK_DELIVERY_FAILURES
from gateway.settings import Settings
from gateway.store.crypto import SecretBox
from gateway.store.db import Database

from . import claims, intent
from .schedule import RetrySchedule
from .signing import sign
from .transport import client_session, post_signed

log = structlog.get_logger("gateway.webhooks")

#: Batches one pass claims at most (several apps are delivered concurrently).
CLAIM_LIMIT = 10


def utc_now() -> datetime:
    return datetime.now(UTC)


class Dispatcher:
    """Delivers the outbox of one gateway database.

    Args:
        db: the gateway database.
        settings: the gateway settings (``[webhooks]`` and ``public_url``).
        box: the box that unseals webhook keys (default: the data directory's, opened when first needed, so that
            a gateway without webhooks creates no key file).
        clock: aware UTC "now" (tests move it to expire leases and the 24-hour window).
    """

    def __init__(self, db: Database, settings: Settings, box: SecretBox | None = None, *,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.db = db
        self.settings = settings
        self.config = settings.webhooks
        self._box = box
        self.clock = clock
        self.owner = str(uuid.uuid4())
        self.schedule = RetrySchedule(self.config)
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task | None = None
        self._http: aiohttp.ClientSession | None = None

    @property
    def box(self) -> SecretBox:
        if self._box is None:
            self._box = SecretBox.from_data_dir(self.settings.data_dir)
        return self._box

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.config.lease)

    def _client(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            self._http = client_session(self.config.delivery_timeout)
        return self._http

    def wake(self) -> None:
        """Start the next pass now (new events were queued in this process)."""
        self._wake.set()

    async def tick(self) -> int:
        """One pass: intents to receive, new batches, due deliveries.

        Returns:
            The number of batches delivered.
        """
        await self._run_intents()
        await claims.open_batches(self.db, now=self.clock(), batch_size=self.config.batch_size,
                                  public_url=self.settings.public_url)
        batches = await claims.claim_batches(self.db, owner=self.owner, now=self.clock(), lease=self.lease,
                                             limit=CLAIM_LIMIT)
        results = await asyncio.gather(*(self._deliver(b) for b in batches))
        return sum(results)

    async def _run_intents(self) -> None:
        # one run is several requests, each allowed the whole timeout: the lease must outlast them all
        requests = intent.GOOD_REQUESTS + intent.BAD_REQUESTS
        lease = max(self.lease, timedelta(seconds=self.config.delivery_timeout * (requests + 1)))
        for claim in await claims.claim_intents(self.db, now=self.clock(), lease=lease):
            result = await intent.intent_to_receive(self._client(), claim.url, self.box.decrypt(claim.key_sealed))
            await claims.finish_intent(self.db, claim, passed=result.passed, failure=result.failure, now=self.clock())
            log.info("webhook_intent_to_receive", client_id=claim.client_id, passed=result.passed,
                     failure=result.failure, detail=result.detail)

    async def _deliver(self, batch: claims.BatchClaim) -> int:
        reply = await post_signed(self._client(), batch.url, batch.body,
                                  sign(batch.body, self.box.decrypt(batch.key_sealed)))
        if reply.status == 200:
            await claims.delivered(self.db, batch)
            return 1
        error = reply.error or f"HTTP {reply.status}"
        WEBHOOK_DELIVERY_FAILURES.inc()
        disabled = await claims.failed(self.db, batch, error=error, now=self.clock(), schedule=self.schedule)
        log.warning("webhook_delivery_failed", client_id=batch.client_id, batch_id=batch.id, error=error,
                    attempts=batch.attempts + 1, disabled=disabled)
        return 0

    async def run(self) -> None:
        """Pass after pass until :meth:`stop`; a failing pass is logged and retried at the next interval."""
        while not self._stopping:
            delivered = 0
            try:
                delivered = await self.tick()
            except Exception:  # noqa: BLE001 - keep the worker alive (database restarts, a bad row): log and go on
                log.exception("webhook_pass_failed")
            if delivered or self._stopping:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.config.poll_interval)

    def start(self) -> None:
        """Run :meth:`run` in a task of the current loop."""
        self._stopping = False
        self._task = asyncio.get_running_loop().create_task(self.run(), name="webhook-dispatcher")

    async def stop(self) -> None:
        """Finish the current pass (bounded by the delivery timeout), then close the HTTP client.

        A delivery cut short keeps its lease until it expires; another pass then delivers it again.
        """
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, timeout=self.config.delivery_timeout * 2)
            except TimeoutError:
                pass  # wait_for cancelled the task
            self._task = None
        if self._http is not None:
            await self._http.close()
            self._http = None
