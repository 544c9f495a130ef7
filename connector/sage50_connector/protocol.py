"""The gateway↔agent protocol v1 as pydantic models (base URL ``{gateway}/1001/agent/v1``).

Source: the protocol as the gateway documents it (docs/sage50-agent.md). Optional values are sent as the protocol
spells them (``null`` where it says ``null``); unknown fields from the gateway are ignored so that a newer gateway
does not break an older agent.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: The protocol's objects, plus ``JournalPost`` (SDO's nominal journal, sage50.md §4), which the agent also executes.
SdoObject = Literal["TransactionPost", "InvoicePost", "SalesRecord", "PurchaseRecord", "AllocatePayment",
                    "JournalPost"]
JobStatus = Literal["succeeded", "failed", "retryable"]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Company(_Wire):
    """A Sage company the agent serves: ``company_key`` is sha256 hex of the lower-cased data path + COMPANY.NAME."""

    company_key: str
    name: str
    data_path: str


class PairAnswer(_Wire):
    """``POST /pair`` → 200: ``agent_token`` only on a first enrolment (none when confirming with a token)."""

    agent_id: str
    agent_token: str | None = None


class CompanyStatus(_Wire):
    """Per company in ``POST /poll``: the last accepted final sync page and the last Sage condition, if any."""

    last_sync_at: str | None = None
    error: str | None = None


class WritePayload(_Wire):
    """What to write through SDO: field names are SDO's, amounts decimal strings, dates ISO strings."""

    object: SdoObject
    action: Literal["create", "update"] = "create"
    header: dict[str, Any] = Field(default_factory=dict)
    items: list[dict[str, Any]] = Field(default_factory=list)
    reference: str | None = None


class Job(_Wire):
    """One job served by ``POST /poll`` (only ``kind == "write"`` exists in v1)."""

    job_id: str
    company_key: str
    kind: str = "write"
    idempotency_key: str | None = None
    priority: int = 0
    lease_expires_at: str | None = None
    payload: WritePayload


class UnreadableJob(_Wire):
    """A served job the agent cannot read (a payload outside the protocol): reported ``failed``, never guessed at."""

    job_id: str
    company_key: str = ""
    problem: str


class JobError(_Wire):
    """A failed job's cause: ``code`` is the SDO ``ErrorCode`` member name (``sdoLogonNameInUse``…)."""

    code: str
    message: str


class JobResultBody(_Wire):
    """Rows the write created or changed, per ODBC table, and the numbers Sage gave it."""

    rows: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    header_number: int | None = None
    account_ref: str | None = None
    invoice_number: int | None = None


class JobResult(_Wire):
    """``POST /jobs/{job_id}/result`` body."""

    status: JobStatus
    result: JobResultBody = Field(default_factory=JobResultBody)
    error: JobError | None = None


class SyncBatch(_Wire):
    """``POST /sync`` body: one page of one table; ``watermark`` is the page's max RECORD_MODIFY_DATE (ISO)."""

    company_key: str
    table: str
    rows: list[dict[str, Any]]
    deleted: list[Any] = Field(default_factory=list)
    final: bool
    watermark: str | None = None
