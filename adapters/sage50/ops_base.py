"""What every Sage 50 operation shares: the company's books for the call, the response headers, single lookups.

Every answer carries ``X-Sage50-Last-Sync`` (ISO 8601 UTC: when the connector last delivered a complete sync of
that company; absent before the first), so that a client can tell how fresh a read is (docs/sage50-agent.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from typing import TYPE_CHECKING, Any

from gateway.xero.errors import NotFound
from gateway.xero.request import RequestContext, Result, XeroRequest

from .batch import Jobs
from .errors import AgentUnavailable
from .unit import Books, BooksCache

if TYPE_CHECKING:
    from adapters.agents import AgentCompanyInfo, AgentLink

#: The response header naming the last complete sync.
LAST_SYNC_HEADER = "X-Sage50-Last-Sync"


class OpsBase:
    """State the operation mixins read (set by :class:`adapters.sage50.adapter.Sage50Adapter`)."""

    code: str
    books_cache: BooksCache
    agent_link: AgentLink | None
    write_wait: float
    #: :meth:`adapters.base.SourceAdapter.operation` (the method serving an operationId, or ``None``).
    operation: Callable[[str], Any]

    async def _company(self, ctx: RequestContext) -> AgentCompanyInfo:
        if self.agent_link is None:
            raise AgentUnavailable("no connector is configured for Sage 50")
        company = await self.agent_link.company(self.code, ctx.tenant_id)
        if company is None:
            raise AgentUnavailable("the connector serving this company was revoked; pair it again")
        return company

    async def _books(self, ctx: RequestContext) -> tuple[Books, dict[str, str]]:
        """The company's books and the headers every answer carries."""
        company = await self._company(ctx)
        books = await self.books_cache.get(ctx.tenant_id)
        headers = {}
        if company.last_sync_at is not None:
            stamp = company.last_sync_at.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
            headers[LAST_SYNC_HEADER] = stamp
        return books, headers

    @staticmethod
    def _one(items: list[Any], headers: dict[str, str]) -> Result:
        if not items or items[0] is None:
            raise NotFound()
        return Result(items=[items[0]], headers=headers)

    async def _jobs(self, ctx: RequestContext, req: XeroRequest) -> tuple[Jobs, Books, dict[str, str]]:
        """The call's job runner (refusing a keyless write while the connector is offline), the books and headers."""
        company = await self._company(ctx)
        assert self.agent_link is not None
        jobs = Jobs(link=self.agent_link, code=self.code, company=company, ctx=ctx, req=req, wait=self.write_wait)
        jobs.check_online()
        books, headers = await self._books(ctx)
        return jobs, books, headers

    async def _fresh(self, ctx: RequestContext) -> Books:
        """The books after a job: the job's rows were applied before it finished, so they are there."""
        return await self.books_cache.get(ctx.tenant_id)
