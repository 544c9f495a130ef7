"""The agent's run loop: announce companies, sync changes every ``poll_interval`` seconds, long-poll for jobs.

Threads: the event loop does HTTP only; every Sage call (ODBC reads, SDO, the state file) runs on one dedicated
"Sage thread" (COM objects must stay on the thread that created them, and a pyodbc connection is not shared).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import hashlib
import logging
import math
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sage50_connector.config import CompanySettings, Settings, odbc_connection_string
from sage50_connector.errors import GatewayError, InvalidAgentError, SageReadError, operator_action
from sage50_connector.gateway import MAX_WAIT, GatewayClient
from sage50_connector.jobs import JobRunner
from sage50_connector.protocol import Company, CompanyStatus, Job, JobError, JobResult, UnreadableJob
from sage50_connector.reader import ReadConnection, connect_odbc, connect_sqlite
from sage50_connector.sdo import EngineFactory
from sage50_connector.state import StateStore
from sage50_connector.sync import CompanySync, TableReader

log = logging.getLogger(__name__)


def company_key(data_path: str, name: str) -> str:
    """The protocol's stable company id: sha256 hex of the lower-cased data path followed by COMPANY.NAME."""
    return hashlib.sha256((data_path.lower() + name).encode("utf-8")).hexdigest()


class SageThread:
    """The one thread that talks to Sage (initialises COM there when real SDO is used)."""

    def __init__(self, *, com: bool) -> None:
        self._com = com
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sage",
                                        initializer=self._com_init if com else None)

    @staticmethod
    def _com_init() -> None:
        import pythoncom  # noqa: PLC0415 - Windows-only extra

        pythoncom.CoInitialize()

    async def run(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run ``fn(*args, **kwargs)`` on the Sage thread."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))

    def close(self) -> None:
        """Uninitialise COM and stop the thread."""
        if self._com:
            import pythoncom  # noqa: PLC0415

            self._pool.submit(pythoncom.CoUninitialize).result()
        self._pool.shutdown(wait=True)


@dataclass
class CompanyRuntime:
    """One configured company once opened: its announced identity, read connection and job runner."""

    settings: CompanySettings
    company: Company
    reader: ReadConnection
    runner: JobRunner
    error: str | None = None
    last_sync_at: dt.datetime | None = None


def open_reader(company: CompanySettings, settings: Settings) -> ReadConnection:
    """The company's read connection (the stand-in's file, or the Sage ODBC driver).

    Raises:
        SageReadError: it cannot be opened.
    """
    if company.sqlite:
        return connect_sqlite(company.sqlite)
    return connect_odbc(odbc_connection_string(company, settings.sage))


def discover(settings: Settings, state: StateStore, engines: EngineFactory) -> list[CompanyRuntime]:
    """Open every configured company (on the Sage thread); unreadable ones are logged with what to fix and left out.

    The company's name comes from ``COMPANY.NAME`` (one row per company file).
    """
    found = []
    for company in settings.companies:
        try:
            reader = open_reader(company, settings)
            rows = reader.rows("SELECT NAME FROM COMPANY")
        except SageReadError as exc:
            log.error("company at %s cannot be read: %s (%s)", company.data_path, exc,
                      operator_action("sage_read_error"))
            continue
        if not rows:
            log.error("company at %s has no COMPANY row; left out", company.data_path)
            reader.close()
            continue
        name = str(rows[0]["NAME"] or "").strip() or company.data_path
        announced = Company(company_key=company_key(company.data_path, name), name=name, data_path=company.data_path)
        state.set_status(announced.company_key, name=name)
        runner = JobRunner(company=company, sage=settings.sage, reader=reader, state=state, engines=engines)
        found.append(CompanyRuntime(company, announced, reader, runner))
    return found


class Agent:
    """The paired agent.

    Args:
        settings: validated settings.
        client: the gateway client (holding the agent token).
        state: the state file.
        engines: the SDO engine factory (default: from ``settings.sage.sdo_engine``).
    """

    def __init__(self, settings: Settings, *, client: GatewayClient, state: StateStore,
                 engines: EngineFactory | None = None) -> None:
        self.settings = settings
        self.client = client
        self.state = state
        self.engines = engines or EngineFactory(settings.sage.sdo_engine)
        self.sage = SageThread(com=self.engines.uses_com)
        self.companies: list[CompanyRuntime] = []

    async def start(self) -> None:
        """Open the companies."""
        self.companies = await self.sage.run(discover, self.settings, self.state, self.engines)
        names = ", ".join(c.company.name for c in self.companies) or "none"
        log.info("serving %d compan%s: %s", len(self.companies), "y" if len(self.companies) == 1 else "ies", names)

    async def close(self) -> None:
        """Close read connections and the Sage thread (SDO sessions never outlive a job)."""
        for runtime in self.companies:
            await self.sage.run(runtime.reader.close)
        self.sage.close()

    def _status(self) -> dict[str, CompanyStatus]:
        return {c.company.company_key: CompanyStatus(
            last_sync_at=c.last_sync_at.isoformat() if c.last_sync_at else None, error=c.error)
            for c in self.companies}

    async def sync_all(self) -> None:
        """One change-detection cycle over every company."""
        for runtime in self.companies:
            syncer = CompanySync(runtime.company.company_key,
                                 TableReader(runtime.reader, page_size=self.settings.page_size),
                                 self.state, self.sage.run, self.client.sync)
            try:
                complete = await syncer.sync()
            except SageReadError as exc:
                runtime.error = "sage_read_error"
                log.error("reading %s failed: %s (%s)", runtime.company.name, exc, operator_action("sage_read_error"))
                continue
            if complete:
                runtime.last_sync_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
                if runtime.error == "sage_read_error":
                    runtime.error = None
                await self.sage.run(self.state.set_status, runtime.company.company_key,
                                    last_sync_at=runtime.last_sync_at, error=runtime.error, clear_error=True)

    async def handle(self, job: Job | UnreadableJob) -> JobResult:
        """Execute one job and report its result (the journal keeps it if the report fails)."""
        runtime = next((c for c in self.companies if c.company.company_key == job.company_key), None)
        if isinstance(job, UnreadableJob):
            log.error("job %s is not a valid write job: %s", job.job_id, job.problem)
            runtime = None
            result = JobResult(status="failed", error=JobError(code="invalid_job", message=job.problem))
        elif runtime is None:
            result = JobResult(status="failed", error=JobError(
                code="unknown_company", message="this agent does not serve that company"))
        else:
            result = await self.sage.run(runtime.runner.execute, job)
            code = result.error.code if result.error else None
            runtime.error = code if code and operator_action(code) else None
            await self.sage.run(self.state.set_status, job.company_key, error=runtime.error, clear_error=True)
        try:
            await self.client.result(job.job_id, result)
        except InvalidAgentError:
            raise
        except GatewayError as exc:
            log.warning("result of job %s not delivered (%s); it is kept for the next serve", job.job_id, exc.status)
            return result
        if runtime is not None and result.status == "succeeded":
            await self.sage.run(self.state.mark_reported, job.job_id)
        log.info("job %s: %s%s", job.job_id, result.status, f" ({result.error.code})" if result.error else "")
        return result

    async def run(self, *, once: bool = False, max_polls: int | None = None) -> int:
        """Sync and poll until stopped (``once``: one sync, one immediate poll; ``max_polls``: that many polls).

        Returns:
            The number of jobs handled.

        Raises:
            InvalidAgentError: the gateway no longer knows this agent (revoked): pair again.
        """
        interval = self.settings.poll_interval
        next_sync = 0.0
        polls = handled = 0
        while True:
            if time.monotonic() >= next_sync:
                await self.sync_all()
                next_sync = time.monotonic() + interval
            # Whole seconds, rounded up and at least one: a wait of 0 with under a second left would spin.
            wait = 0 if once else max(1, math.ceil(min(MAX_WAIT, next_sync - time.monotonic())))
            try:
                jobs = await self.client.poll([c.company for c in self.companies], self._status(), wait=wait)
            except InvalidAgentError:
                raise
            except GatewayError as exc:
                log.warning("poll failed (%s); next try in %.0f s", exc.status or "unreachable", min(interval, 10))
                jobs = []
                if not once:
                    await asyncio.sleep(min(interval, 10))
            for job in jobs:
                await self.handle(job)
                handled += 1
            polls += 1
            if once or (max_polls is not None and polls >= max_polls):
                return handled
