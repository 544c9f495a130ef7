"""The contract of sources reached through an on-premise agent (``sign_in = "agent"``: Sage 50, code 1001).

Such a source has no cloud API: a small program on the PC that holds the books (the agent) connects out to the
gateway, is paired to it with a one-time code typed on that PC, pushes the source's rows (``POST …/agent/v1/sync``)
and executes write jobs (``POST …/agent/v1/poll`` and ``…/jobs/{id}/result``); docs/sage50-agent.md has the
protocol. The gateway owns that plumbing (:mod:`gateway.agents`); the adapter owns what the rows and jobs mean.

Normative rules for an adapter with ``sign_in = "agent"``:

- It MUST implement :meth:`AgentSource.ingest` (store a sync batch in its replica; atomic per batch) and MAY
  implement :meth:`AgentSource.apply_rows` (rows a finished write job returned, applied at once so that the next
  read sees the write).
- It receives an :class:`AgentLink` as ``adapter.agent_link`` before ``startup()`` and queues every write through
  :meth:`AgentLink.submit`, which returns the job's :class:`JobOutcome` when the agent answers within ``wait``
  seconds, and a ``pending`` outcome otherwise (the adapter answers 503 with ``Retry-After``; a retry with the same
  ``Idempotency-Key`` finds the same job: never a second posting). A pending job of a write without
  ``Idempotency-Key`` SHOULD be withdrawn with :meth:`AgentLink.cancel` before answering 503: that client cannot find
  it again, and its retry would post twice.
- Tenants are the companies agents announced: ``tenant_id = upstream_tenant_id(code, company_key)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from .common.changes import SourceChange

#: Job outcomes (protocol v1): the agent's three, plus ``pending`` (not finished within the wait).
SUCCEEDED, FAILED, PENDING = "succeeded", "failed", "pending"


@dataclass(frozen=True)
class AgentCompanyInfo:
    """One company an agent serves.

    Attributes:
        company_key: the agent's stable key of the company (sha256 of its data path and name).
        online: an agent serving it polled recently (within the gateway's offline threshold).
        last_sync_at: when the agent last delivered a final sync page for it (aware UTC), or ``None``.
    """

    company_key: str
    tenant_id: str
    name: str
    agent_id: str
    online: bool
    last_sync_at: datetime | None = None
    last_error: str | None = None


@dataclass(frozen=True)
class JobOutcome:
    """The state of one write job.

    Attributes:
        status: ``succeeded`` | ``failed`` | ``pending``.
        result: the agent's result (``rows`` by ODBC table, ``header_number``, …) when succeeded.
        error: ``{"code": <SDO error name>, "message": …}`` when failed.
    """

    job_id: str
    status: str
    result: Mapping[str, Any] = field(default_factory=dict)
    error: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class SyncBatch:
    """One ``POST /agent/v1/sync`` page: rows of one ODBC table (upserts) and deleted keys.

    Values are as the agent sent them: dates and datetimes as ISO strings, amounts as decimal strings.
    """

    table: str
    rows: Sequence[Mapping[str, Any]]
    deleted: Sequence[Any]
    final: bool
    watermark: str | None


class AgentLink(Protocol):
    """What the gateway gives an agent-connected adapter."""

    async def companies(self, code: str) -> list[AgentCompanyInfo]:
        """Every company of source ``code`` announced by a non-revoked agent."""

    async def company(self, code: str, tenant_id: str) -> AgentCompanyInfo | None:
        """The company behind a tenant, or ``None``."""

    async def find(self, *, code: str, tenant_id: str, client_id: str, idempotency_key: str) -> JobOutcome | None:
        """The job queued earlier under this key (its outcome now), or ``None``."""

    async def submit(self, *, code: str, tenant_id: str, client_id: str, operation_id: str,
                     payload: Mapping[str, Any], idempotency_key: str | None, fingerprint: str,
                     wait: float) -> JobOutcome:
        """Queue a write job (or find the one queued under the same key) and wait up to ``wait`` seconds.

        Raises:
            ValueError: the same key was used for another payload (``fingerprint`` differs).
        """


    async def cancel(self, *, code: str, tenant_id: str, job_id: str) -> bool:
        """Withdraw a job no agent has taken yet (it then fails with ``cancelled``); ``False`` when an agent holds
        it or it is final. A keyless write that timed out is withdrawn so that the client's retry cannot post twice."""


class AgentSource(Protocol):
    """The hooks an agent-connected adapter implements (called by :mod:`gateway.agents`)."""

    async def ingest(self, company: AgentCompanyInfo, batch: SyncBatch) -> int:
        """Store one sync page in the replica; returns the rows accepted. Raises ``ValueError`` for an unknown
        table or a row without its key (answered 400 to the agent)."""

    async def apply_rows(self, company: AgentCompanyInfo, rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
        """Apply the rows a finished write job returned (read-your-writes)."""

    async def sync_changes(self, company: AgentCompanyInfo, batch: SyncBatch) -> list[SourceChange]:
        """The changes a sync page brings, for the gateway's webhooks (:mod:`adapters.common.changes` rules), called
        before :meth:`ingest`; empty for a page of a table's first full sync (its history is no change). Raises
        ``ValueError`` as :meth:`ingest` does."""
