"""On-premise agents: the gateway side of sources reached through a program on the customer's PC (Sage 50).

- :mod:`.store`: agents, their companies, pairing codes; :mod:`.jobs`: durable write jobs with leases;
- :mod:`.views`: the agent protocol v1 under ``/{code}/agent/v1`` (docs/sage50-agent.md);
- the consent page with the pairing code is the identity server's (:mod:`gateway.identity.views_agent`).

The adapter of such a source (``sign_in = "agent"``) receives an :class:`AgentLink` as ``adapter.agent_link``
(:mod:`adapters.agents`); it never sees these tables.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from aiohttp import web

from adapters.agents import AgentCompanyInfo, JobOutcome
from adapters.base import LedgerUser
from gateway import appkeys
from gateway.appkeys import AGENTS
from gateway.http.routing import Router

from . import views
from .jobs import JobQueue
from .state import AgentState
from .store import AgentStore

__all__ = ["AGENTS", "AgentLinkImpl", "setup"]


class AgentLinkImpl:
    """:class:`adapters.agents.AgentLink` over the agent store and job queue."""

    def __init__(self, store: AgentStore, jobs: JobQueue) -> None:
        self.store = store
        self.jobs = jobs

    async def companies(self, code: str) -> list[AgentCompanyInfo]:
        return await self.store.companies(code)

    async def company(self, code: str, tenant_id: str) -> AgentCompanyInfo | None:
        return await self.store.company(code, tenant_id)

    async def user(self, code: str, user_id: str) -> LedgerUser | None:
        """The user of an agent consent (identity server's user look-up), ``None`` once the agent is revoked."""
        return await self.store.user(code, user_id)

    async def find(self, *, code: str, tenant_id: str, client_id: str, idempotency_key: str) -> JobOutcome | None:
        return await self.jobs.find(code=code, tenant_id=tenant_id, client_id=client_id, key=idempotency_key)

    async def submit(self, *, code: str, tenant_id: str, client_id: str, operation_id: str,
                     payload: Mapping[str, Any], idempotency_key: str | None, fingerprint: str,
                     wait: float) -> JobOutcome:
        company = await self.store.company(code, tenant_id)
        if company is None:
            raise LookupError(f"no agent serves tenant {tenant_id}")
        return await self.jobs.submit(code=code, company_key=company.company_key, tenant_id=tenant_id,
                                      client_id=client_id, operation_id=operation_id, payload=payload,
                                      idempotency_key=idempotency_key, fingerprint=fingerprint, wait=wait)

    async def cancel(self, *, code: str, tenant_id: str, job_id: str) -> bool:
        return await self.jobs.cancel(code=code, tenant_id=tenant_id, job_id=job_id)


def _register_routes(router: Router) -> None:
    router.add("POST", "/agent/v1/pair", views.pair)
    router.add("POST", "/agent/v1/poll", views.poll)
    router.add("POST", "/agent/v1/sync", views.sync)
    router.add("POST", "/agent/v1/jobs/{id}/result", views.job_result)


def setup(app: web.Application, router: Router) -> None:
    """Register the agent routes and, after the app's state context (``appkeys.DB``), the agent state."""
    _register_routes(router)

    async def agents(app: web.Application) -> AsyncIterator[None]:
        db, settings = app[appkeys.DB], app[appkeys.SETTINGS].agents
        state = AgentState(store=AgentStore(db, offline_after=settings.offline_after),
                           jobs=JobQueue(db, lease=settings.lease))
        app[AGENTS] = state
        app[appkeys.SOURCES].agent_link = AgentLinkImpl(state.store, state.jobs)
        yield

    app.cleanup_ctx.append(agents)
