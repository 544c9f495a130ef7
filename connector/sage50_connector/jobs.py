"""One write job, at most once: journal → SDO → read back → result (runs on the agent's Sage thread).

- A job already ``applied`` (or ``reported``) is answered from the journal, never sent to SDO again; so is a job
  whose client ``Idempotency-Key`` an earlier job of the same company already carried to Sage.
- A job found ``started`` had an unknown outcome (the agent died between SDO and the journal): before anything is
  posted again, the posting is looked for in Sage through the read connection, by the payload's ``reference`` in
  the column the gateway wrote it to (``INV_REF``/``DETAILS`` of ``AUDIT_HEADER``, the order/notes fields of
  ``INVOICE``), by ``ACCOUNT_REF`` for a new record, by split pair and amount for each allocation, and only among rows
  stamped since the job first started. Found → its result; not found → applied now.
- After ``Update()``, the write is read back (sage50.md §4: ``Update`` may answer true without a number): the result
  carries every row of the synced tables stamped since the job started (Sage stamps with this PC's clock: SDO runs
  in-process), so the gateway's replica sees the write at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sage50_connector.config import CompanySettings, SageSettings
from sage50_connector.errors import ConfigError, SageReadError, SdoError, operator_action
from sage50_connector.protocol import Job, JobError, JobResult, JobResultBody, WritePayload
from sage50_connector.reader import ReadConnection, select
from sage50_connector.sdo import EngineFactory, session
from sage50_connector.state import StateStore
from sage50_connector.tables import SYNCED_TABLES
from sage50_connector.writes import Applied, apply

log = logging.getLogger(__name__)

#: Where a reference may have been written, per object (columns of the table the posting lands in).
REFERENCE_COLUMNS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "TransactionPost": ("AUDIT_HEADER", ("INV_REF", "DETAILS"), "HEADER_NUMBER"),
    "JournalPost": ("AUDIT_HEADER", ("INV_REF", "DETAILS"), "HEADER_NUMBER"),
    "InvoicePost": ("INVOICE", ("ORDER_NUMBER", "CUST_ORDER_NUMBER", "NOTES_1", "NOTES_2", "NOTES_3",
                                "GLOBAL_DETAILS", "PAYMENT_REF"), "INVOICE_NUMBER"),
}
LEDGERS = {"SalesRecord": "SALES_LEDGER", "PurchaseRecord": "PURCHASE_LEDGER"}
UNKNOWN_OUTCOME = "agent_outcome_unknown"


def payload_is_atomic(payload: WritePayload) -> bool:
    """Whether one SDO call writes the whole payload (all but allocations, which are one call per split)."""
    return payload.object != "AllocatePayment"


def local_now() -> dt.datetime:
    """This PC's local time to the second: the clock Sage stamps records with."""
    return dt.datetime.now().replace(microsecond=0)


@dataclass
class Found:
    """What the search after a crash found: the posting's numbers, and allocation items already in Sage."""

    applied: Applied | None
    done_items: frozenset[int] = frozenset()


class JobRunner:
    """Executes jobs for one company.

    Args:
        company: the company's settings (data path).
        sage: the Sage logon.
        reader: the company's read connection.
        state: the journal.
        engines: the SDO engine factory.
        clock: the local clock (tests move it).
    """

    def __init__(self, *, company: CompanySettings, sage: SageSettings, reader: ReadConnection, state: StateStore,
                 engines: EngineFactory, clock: Callable[[], dt.datetime] = local_now) -> None:
        self.company, self.sage, self.reader, self.state = company, sage, reader, state
        self.engines, self.clock = engines, clock

    def execute(self, job: Job) -> JobResult:
        """The job's result, executing it in Sage only if it has not reached Sage before.

        Never raises for Sage conditions: they become ``failed``/``retryable`` results with their SDO code.
        """
        entry = self.state.job(job.job_id)
        if entry is not None and entry.result is not None:
            log.info("job %s already applied: answering from the journal", job.job_id)
            return JobResult.model_validate(entry.result)
        if job.idempotency_key:
            earlier = self.state.job_by_idempotency_key(job.company_key, job.idempotency_key)
            if earlier is not None and earlier.result is not None and earlier.job_id != job.job_id:
                log.info("job %s repeats job %s (same Idempotency-Key): not posted again", job.job_id, earlier.job_id)
                self.state.start_job(job.job_id, job.company_key, job.idempotency_key, earlier.started_at)
                self.state.finish_job(job.job_id, earlier.result)
                return JobResult.model_validate(earlier.result)
        skip: frozenset[int] = frozenset()
        if entry is not None:  # started, outcome unknown
            started_at = entry.started_at
            try:
                found = self.find(job.payload, started_at)
            except SageReadError as exc:
                return self._failure(SdoError("sage_read_error", str(exc)), retryable=True)
            if found is None:
                log.error("job %s: outcome unknown and the posting cannot be looked up; not posting it again",
                          job.job_id)
                return self._failure(SdoError(UNKNOWN_OUTCOME, "the agent stopped during this write and cannot "
                                              "tell whether Sage took it; check the audit trail"), retryable=False)
            if found.applied is not None:
                log.info("job %s was posted before the agent stopped: found by reference", job.job_id)
                return self._finish(job, found.applied, started_at)
            skip = found.done_items
        else:
            started_at = self.clock()
            self.state.start_job(job.job_id, job.company_key, job.idempotency_key, started_at)
        try:
            with session(self.engines, data_path=self.company.data_path, user=self.sage.user,
                         password=self.sage.password.get_secret_value()) as sdo:
                applied = apply(sdo, job.payload, skip_items=skip)
        except ConfigError as exc:  # no SDO engine on this PC: nothing was written
            log.error("job %s cannot run: %s", job.job_id, exc)
            self.state.forget_job(job.job_id)
            return self._failure(SdoError("sdoNotRegistered", str(exc)), retryable=False)
        except SdoError as exc:
            action = operator_action(exc.code)
            log.warning("job %s refused by Sage: %s%s", job.job_id, exc.code, f" ({action})" if action else "")
            if payload_is_atomic(job.payload):  # a refused Update or logon wrote nothing: a re-serve starts afresh
                self.state.forget_job(job.job_id)
            return self._failure(exc, retryable=exc.retryable)
        return self._finish(job, applied, started_at)

    def _finish(self, job: Job, applied: Applied, started_at: dt.datetime) -> JobResult:
        """Record and return the success; a failed read-back leaves the rows to the next sync, never a re-post."""
        payload = job.payload
        rows: dict[str, list[dict[str, Any]]] = {}
        try:
            if payload.object in REFERENCE_COLUMNS and not (applied.header_number or applied.invoice_number):
                found = self._by_reference(payload, started_at)  # SDO gives no number back: read the write back
                if found is not None:
                    applied = found
                else:
                    log.warning("job %s: Sage accepted the write but it cannot be read back by reference",
                                job.job_id)
            rows = self.rows_since(started_at)
        except SageReadError as exc:
            log.warning("job %s: written, but reading it back failed (%s); the next sync carries it", job.job_id, exc)
        result = JobResult(status="succeeded", result=JobResultBody(
            rows=rows, header_number=applied.header_number,
            account_ref=applied.account_ref, invoice_number=applied.invoice_number))
        self.state.finish_job(job.job_id, result.model_dump())
        return result

    @staticmethod
    def _failure(exc: SdoError, *, retryable: bool) -> JobResult:
        return JobResult(status="retryable" if retryable else "failed",
                         error=JobError(code=exc.code, message=exc.message))

    # read-back -------------------------------------------------------------------------------------------------

    def rows_since(self, started_at: dt.datetime) -> dict[str, list[dict[str, Any]]]:
        """Every row of the stamped synced tables changed since ``started_at`` (``{table: rows}``, non-empty only).

        Raises:
            SageReadError: the read failed.
        """
        rows = {}
        for table in SYNCED_TABLES:
            if table.stamped:
                found = self.reader.rows(select(table.name, where="RECORD_MODIFY_DATE >= ?", order=table.key),
                                         [started_at])
                if found:
                    rows[table.name] = found
        return rows

    def find(self, payload: WritePayload, started_at: dt.datetime) -> Found | None:
        """Look for a write of ``payload`` made since ``started_at``; ``None`` when it cannot be looked for.

        Raises:
            SageReadError: the read failed.
        """
        if payload.object in REFERENCE_COLUMNS:
            if self._reference_column(payload) is None:
                return None
            return Found(self._by_reference(payload, started_at))
        if payload.object in LEDGERS:
            if payload.action == "update":  # setting the same fields again changes nothing
                return Found(None)
            ref = str(payload.header.get("ACCOUNT_REF") or "").upper()
            rows = self.reader.rows(select(LEDGERS[payload.object], "ACCOUNT_REF",
                                           where="ACCOUNT_REF = ? AND RECORD_CREATE_DATE >= ?"), [ref, started_at])
            return Found(Applied(account_ref=ref) if rows else None)
        done, found_rows = set(), {}
        for index, item in enumerate(payload.items):  # each usage row stands for one item: same splits and amount
            pair = (int(item["SPLIT_NUMBER"]), int(item["SPLIT_CROSSREF"]))
            if pair not in found_rows:
                found_rows[pair] = [Decimal(str(r["AMOUNT"])) for r in self.reader.rows(
                    select("AUDIT_USAGE", "AMOUNT", where="SPLIT_NUMBER = ? AND SPLIT_CROSSREF = ? "
                           "AND RECORD_CREATE_DATE >= ?", order=("USAGE_NUMBER",)), [*pair, started_at])]
            amount = Decimal(str(item["AMOUNT"]))
            if amount in found_rows[pair]:
                found_rows[pair].remove(amount)
                done.add(index)
        if done and len(done) == len(payload.items):
            return Found(Applied(account_ref=payload.header.get("ACCOUNT_REF")), frozenset(done))
        return Found(None, frozenset(done))

    @staticmethod
    def _reference_column(payload: WritePayload) -> str | None:
        if not payload.reference:
            return None
        _, columns, _ = REFERENCE_COLUMNS[payload.object]
        return next((c for c in columns if str(payload.header.get(c) or "") == payload.reference), None)

    def _by_reference(self, payload: WritePayload, started_at: dt.datetime) -> Applied | None:
        column = self._reference_column(payload)
        if column is None:
            return None
        table, _, number = REFERENCE_COLUMNS[payload.object]
        rows = self.reader.rows(select(table, number, where=f"{column} = ? AND RECORD_MODIFY_DATE >= ?",
                                       order=(number,)), [payload.reference, started_at])
        if not rows:
            return None
        value = int(rows[0][number])
        ref = payload.header.get("ACCOUNT_REF")
        return Applied(invoice_number=value, account_ref=ref) if table == "INVOICE" else \
            Applied(header_number=value, account_ref=ref)
