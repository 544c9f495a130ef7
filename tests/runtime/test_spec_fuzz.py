"""Spec fuzzing (issue 11): schemathesis generates requests from Xero's published spec
(``/work/shared/contracts/xero/xero_accounting.yaml``, :data:`tests.xero_spec.DEFAULT_SPEC`) and sends them to a
served gateway's native ledger (``/1000``) with a real ``client_credentials`` token for the demo tenant.

A response fails the run when it is a 5xx other than 501 (an operation the ledger does not implement) or when it
violates the spec (:func:`tests.xero_spec.validate_response`: documented statuses strictly). Every operation gets
``FUZZ_EXAMPLES`` generated requests (default 2: about 470 requests, under three minutes here; ``make fuzz`` sets 25,
about 5,900), from a fixed seed, so a run is repeatable. ``FUZZ_OPERATIONS``, a regular expression searched in each
operation's label (e.g. ``"BankTransfers|Items"``), limits a run to the operations it matches (a focused rerun).
Findings in code another helper of issue 11 fixes are listed in :data:`KNOWN` and turn the test into an xfail naming
them; any other finding fails it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings

from tests.support.served import ServedGateway
from tests.xero_spec import DEFAULT_SPEC, validate_response

pytestmark = pytest.mark.slow

SPEC = Path(os.environ.get("XERO_ACCOUNTING_SPEC", DEFAULT_SPEC))
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
SEED = 1100
OPERATIONS = re.compile(os.environ.get("FUZZ_OPERATIONS", ""))
TIMEOUT = 30  # seconds per request

#: Known findings, reason → what the finding shows: those another helper of issue 11 fixes (identity, limits,
#: where-parser depth, huge page numbers, lone surrogates, Idempotency-Key bytes, ±1e30 amounts, year 0001, huge
#: LineAmount), and those reported here but not fixed (they need a decision on what Xero answers). Remove an entry
#: once it is fixed.
KNOWN: dict[str, re.Pattern[str]] = {
    # empty: the summarizeErrors=false echoes that lacked the spec's required fields are filled since
    # gateway/xero/echo.py (BankTransactions, BankTransfers, Items, ManualJournals, allocations)
}


@dataclass(frozen=True)
class Finding:
    operation: str
    status: int
    problem: str
    request: str

    def __str__(self) -> str:
        return f"{self.operation} → {self.status}: {self.problem}\n    {self.request}"


def fuzz_operation(operation, gw: ServedGateway, session: requests.Session, findings: list[Finding]) -> int:
    """Send ``EXAMPLES`` generated requests of one operation; record what fails. Returns how many were sent."""
    sent = 0

    @seed(SEED)
    @settings(max_examples=EXAMPLES, database=None, deadline=None, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def one(case) -> None:
        nonlocal sent
        headers = {k: v for k, v in (case.headers or {}).items() if k.lower() not in ("authorization",
                                                                                      "xero-tenant-id")}
        case.headers = {**headers, **gw.headers()}
        try:
            response = case.call(base_url=gw.api, session=session, timeout=TIMEOUT)
        except requests.RequestException as exc:
            findings.append(Finding(operation.label, 0, f"no answer: {exc}", repr(case)))
            return
        sent += 1
        url = response.request.url if response.request is not None else case.formatted_path
        if response.status_code >= 500 and response.status_code != 501:
            findings.append(Finding(operation.label, response.status_code, response.text[:300], f"{case!r}"))
            return
        try:
            headers = {k: v[0] if isinstance(v, list) else v for k, v in response.headers.items()}
            validate_response(case.method, url, response.status_code, response.content, headers)
        except AssertionError as exc:
            findings.append(Finding(operation.label, response.status_code, f"spec: {str(exc)[:600]}", f"{case!r}"))

    one()
    return sent


def test_generated_requests_get_no_5xx_and_answers_that_conform(tmp_path: Path):
    schema = schemathesis.openapi.from_path(str(SPEC))
    operations = [op for op in (result.ok() for result in schema.get_all_operations()) if OPERATIONS.search(op.label)]
    gw = ServedGateway(data_dir=tmp_path / "served")
    findings: list[Finding] = []
    sent = 0
    try:
        gw.start()
        gw.connect()
        with requests.Session() as session:
            for operation in operations:
                sent += fuzz_operation(operation, gw, session, findings)
    finally:
        gw.stop()
    known = {reason: [f for f in findings if pattern.search(str(f))] for reason, pattern in KNOWN.items()}
    unknown = [f for f in findings if not any(f in found for found in known.values())]
    print(f"spec fuzz: {len(operations)} operations, {sent} requests, {len(findings)} findings "
          f"({len(unknown)} unknown)")
    assert not unknown, "\n".join(str(f) for f in unknown[:40])
    if any(known.values()):
        pytest.xfail("; ".join(f"{reason} ({len(found)})" for reason, found in known.items() if found))
