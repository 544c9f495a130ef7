"""Durable write jobs for on-premise agents: queue, long-poll claim with leases, results, exactly once.

A job is a row of :class:`~gateway.agents.tables.AgentJob` committed before anyone waits for it, so an acknowledged
write survives a gateway restart. Rules (sage50.md §3 "[rec] Gateway↔agent contract"):

- ``submit`` with an ``Idempotency-Key`` finds the job queued earlier under the same key (same source, tenant and
  partner app) instead of queueing a second one: a client retrying after a 503 gets the first job's outcome, and
  the agent never receives the write twice. The same key with another payload raises ``ValueError``.
- ``claim`` (the agent's long-poll) leases queued jobs of the agent's companies for ``lease`` seconds; a lease
  that expires without a result makes the job claimable again with ``attempts + 1``; after :data:`MAX_ATTEMPTS` the
  job fails with ``agent_unresponsive``. The agent's own journal keeps a re-served job from being applied twice.
- ``cancel`` withdraws a job no agent has taken yet (a keyless write whose client was answered 503).
- Every job ends in exactly one final result; a second result for a finished job is ignored (the agent retried its
  report after a lost answer).
- A job that failed for a passing condition (reported ``retryable`` until :data:`MAX_ATTEMPTS`, or
  ``agent_unresponsive``) is marked ``"retryable": true`` in its error; a client retrying with the same key queues it
  again (attempts from zero) instead of receiving that failure for ever. Nothing reached Sage for such a job, or
  the agent's journal finds what did.

Waiting is cheap in one process (events) and correct across several (the database is re-read every
:data:`POLL_INTERVAL` seconds while waiting).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from adapters.agents import FAILED, PENDING, SUCCEEDED, JobOutcome
from gateway.store.db import Database

from .tables import AgentJob

#: Default seconds an agent holds a job before it is served again (``[agents] lease``).
LEASE = 120
#: Serves of one job before it fails with ``agent_unresponsive``.
MAX_ATTEMPTS = 5
#: Seconds between database reads while waiting (other processes' changes).
POLL_INTERVAL = 0.5
#: Jobs handed out by one poll answer.
CLAIM_BATCH = 10
QUEUED, LEASED, RETRYABLE = "queued", "leased", "retryable"


class _Bell:
    """Wake-ups by key: ``wait(key)`` returns when ``ring(key)`` was called, or after the timeout."""

    def __init__(self) -> None:
        self._events: dict[str, asyncio.Event] = {}

    def ring(self, key: str) -> None:
        event = self._events.pop(key, None)
        if event is not None:
            event.set()

    async def wait(self, keys: Sequence[str], seconds: float) -> None:
        events = [self._events.setdefault(k, asyncio.Event()) for k in keys]
        waiters = [asyncio.ensure_future(e.wait()) for e in events]
        try:
            await asyncio.wait(waiters, timeout=max(0.0, seconds), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()


def _outcome(job: AgentJob) -> JobOutcome:
    status = job.status if job.status in (SUCCEEDED, FAILED) else PENDING
    return JobOutcome(job_id=job.job_id, status=status, result=job.result or {}, error=job.error)


class JobQueue:
    """The job table as a queue.

    Args:
        db: the gateway database.
        now: the clock (aware UTC).
        lease: seconds a claimed job stays with its agent before it is served again.
    """

    def __init__(self, db: Database, *, now: Callable[[], datetime] | None = None, lease: float = LEASE) -> None:
        self.db = db
        self.now = now or (lambda: datetime.now(UTC))
        self.lease = lease
        self._bell = _Bell()

    async def submit(self, *, code: str, company_key: str, tenant_id: str, client_id: str, operation_id: str,
                     payload: Mapping[str, Any], idempotency_key: str | None, fingerprint: str,
                     wait: float) -> JobOutcome:
        """Queue a job (or find the one under the same key) and wait up to ``wait`` seconds for its outcome.

        Raises:
            ValueError: ``idempotency_key`` names a job with another ``fingerprint``.
        """
        job_id = await self._find(code, tenant_id, client_id, idempotency_key, fingerprint)
        if job_id is not None and await self._requeue_transient(job_id):
            self._bell.ring(f"company:{code}:{company_key}")
        if job_id is None:
            job_id = str(uuid.uuid4())
            try:
                async with self.db.session() as s, s.begin():
                    s.add(AgentJob(job_id=job_id, source_code=code, company_key=company_key, tenant_id=tenant_id,
                                   client_id=client_id, idempotency_key=idempotency_key, fingerprint=fingerprint,
                                   operation_id=operation_id, payload=dict(payload), status=QUEUED,
                                   created_at=self.now()))
            except IntegrityError:  # a concurrent retry with the same key queued it first
                job_id = await self._find(code, tenant_id, client_id, idempotency_key, fingerprint)
                if job_id is None:
                    raise
            self._bell.ring(f"company:{code}:{company_key}")
        return await self.wait(job_id, wait)

    async def _find(self, code: str, tenant_id: str, client_id: str, key: str | None,
                    fingerprint: str) -> str | None:
        if key is None:
            return None
        async with self.db.session() as s:
            job = (await s.execute(select(AgentJob).where(
                AgentJob.source_code == code, AgentJob.tenant_id == tenant_id, AgentJob.client_id == client_id,
                AgentJob.idempotency_key == key))).scalar_one_or_none()
        if job is None:
            return None
        if job.fingerprint != fingerprint:
            raise ValueError("this Idempotency-Key was used for another request")
        return job.job_id

    async def _requeue_transient(self, job_id: str) -> bool:
        """Queue again a job that failed for a passing condition (see the module docstring); whether it was."""
        async with self.db.session() as s, s.begin():
            job = await s.get(AgentJob, job_id, with_for_update=True)
            if job is None or job.status != FAILED or not (job.error or {}).get("retryable"):
                return False
            job.status, job.attempts, job.lease_expires_at, job.finished_at = QUEUED, 0, None, None
            job.error = None
        return True

    async def release(self, jobs: Sequence[AgentJob]) -> None:
        """Put leased jobs back in the queue, their serve uncounted (the answer carrying them could not be sent)."""
        async with self.db.session() as s, s.begin():
            for job in jobs:
                await s.execute(update(AgentJob).where(
                    AgentJob.job_id == job.job_id, AgentJob.status == LEASED, AgentJob.attempts == job.attempts
                ).values(status=QUEUED, attempts=job.attempts - 1, lease_expires_at=None))
        for job in jobs:
            self._bell.ring(f"company:{job.source_code}:{job.company_key}")

    async def cancel(self, *, code: str, tenant_id: str, job_id: str) -> bool:
        """Fail a job no agent holds (``queued``) with ``cancelled``; whether it was (compare-and-set: an agent
        that leased it first keeps it)."""
        async with self.db.session() as s, s.begin():
            done = await s.execute(update(AgentJob).where(
                AgentJob.job_id == job_id, AgentJob.source_code == code, AgentJob.tenant_id == tenant_id,
                AgentJob.status == QUEUED).values(
                status=FAILED, finished_at=self.now(),
                error={"code": "cancelled", "message": "withdrawn: the client was told nothing was posted"}))
        self._bell.ring(f"job:{job_id}")
        return done.rowcount == 1

    async def find(self, *, code: str, tenant_id: str, client_id: str, key: str) -> JobOutcome | None:
        """The outcome now of the job queued under ``key``, or ``None`` when there is none."""
        async with self.db.session() as s:
            job = (await s.execute(select(AgentJob).where(
                AgentJob.source_code == code, AgentJob.tenant_id == tenant_id, AgentJob.client_id == client_id,
                AgentJob.idempotency_key == key))).scalar_one_or_none()
        return None if job is None else _outcome(job)

    async def get(self, job_id: str) -> JobOutcome | None:
        """A job's outcome now (``pending`` while queued or leased), or ``None`` when unknown."""
        async with self.db.session() as s:
            job = await s.get(AgentJob, job_id)
        return None if job is None else _outcome(job)

    async def wait(self, job_id: str, seconds: float) -> JobOutcome:
        """The job's outcome once final, or ``pending`` after ``seconds``."""
        deadline = time.monotonic() + seconds
        while True:
            outcome = await self.get(job_id)
            if outcome is None:
                raise LookupError(job_id)
            left = deadline - time.monotonic()
            if outcome.status != PENDING or left <= 0:
                return outcome
            await self._bell.wait([f"job:{job_id}"], min(left, POLL_INTERVAL))

    async def claim(self, *, code: str, company_keys: Sequence[str], wait: float,
                    listening: Callable[[], bool] = lambda: True) -> list[AgentJob]:
        """Lease the next jobs of these companies, waiting up to ``wait`` seconds for one (the agent's
        long-poll). Jobs whose lease expired are served again; past :data:`MAX_ATTEMPTS` they fail.

        ``listening`` says whether the agent is still there (its connection open): a job is never leased to a
        long-poll whose agent has gone, or it would sit leased, and undeliverable, until the lease expires."""
        if not company_keys:
            await asyncio.sleep(min(wait, POLL_INTERVAL))
            return []
        deadline = time.monotonic() + wait
        bells = [f"company:{code}:{key}" for key in company_keys]
        while True:
            if not listening():
                return []
            jobs = await self._lease(code, company_keys)
            left = deadline - time.monotonic()
            if jobs or left <= 0:
                return jobs
            await self._bell.wait(bells, min(left, POLL_INTERVAL))

    async def _lease(self, code: str, company_keys: Sequence[str]) -> list[AgentJob]:
        now = self.now()
        claimable = or_(AgentJob.status == QUEUED,
                        (AgentJob.status == LEASED) & (AgentJob.lease_expires_at <= now))
        async with self.db.session() as s, s.begin():
            candidates = (await s.execute(
                select(AgentJob).where(AgentJob.source_code == code, AgentJob.company_key.in_(company_keys),
                                       claimable)
                .order_by(AgentJob.priority.desc(), AgentJob.created_at).limit(CLAIM_BATCH))).scalars().all()
            leased = []
            for job in candidates:
                if job.attempts >= MAX_ATTEMPTS:
                    job.status, job.finished_at = FAILED, now
                    job.error = {"code": "agent_unresponsive", "retryable": True,
                                 "message": f"the agent took this job {job.attempts} times without answering"}
                    self._bell.ring(f"job:{job.job_id}")
                    continue
                # Compare-and-set: another process may have leased it since the SELECT.
                done = await s.execute(update(AgentJob).where(
                    AgentJob.job_id == job.job_id, AgentJob.status == job.status,
                    AgentJob.attempts == job.attempts).values(
                    status=LEASED, attempts=job.attempts + 1, lease_expires_at=now + timedelta(seconds=self.lease)))
                if done.rowcount == 1:
                    leased.append(job)
            for job in leased:
                await s.refresh(job)
        return leased

    async def complete(self, *, code: str, job_id: str, company_keys: Sequence[str], status: str,
                       result: Mapping[str, Any] | None, error: Mapping[str, Any] | None) -> AgentJob | None:
        """Record an agent's result. ``retryable`` puts the job back in the queue (or fails it after
        :data:`MAX_ATTEMPTS`). Returns the job as stored, or ``None`` when it is not one of these companies'.

        A result for a job that is already final changes nothing (the agent repeated its report).
        """
        now = self.now()
        async with self.db.session() as s, s.begin():
            job = await s.get(AgentJob, job_id, with_for_update=True)
            if job is None or job.source_code != code or job.company_key not in company_keys:
                return None
            if job.status in (SUCCEEDED, FAILED):
                return job
            if status == RETRYABLE and job.attempts < MAX_ATTEMPTS:
                job.status, job.lease_expires_at, job.error = QUEUED, None, dict(error or {}) or None
            elif status == RETRYABLE:  # still busy after every attempt: final for now, queued again on a keyed retry
                job.status, job.finished_at = FAILED, now
                job.result, job.error = dict(result or {}), {**dict(error or {}), "retryable": True}
            else:
                job.status = SUCCEEDED if status == SUCCEEDED else FAILED
                job.result, job.error, job.finished_at = dict(result or {}), dict(error or {}) or None, now
        self._bell.ring(f"job:{job_id}")
        if job.status == QUEUED:
            self._bell.ring(f"company:{code}:{job.company_key}")
        return job
