"""Protocol v1 details the end-to-end run found: the sync freshness an idle connector reports in its polls, and a
job that failed only because Sage stayed busy being queued again by the client's keyed retry."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from gateway.agents.jobs import MAX_ATTEMPTS
from gateway.appkeys import AGENTS

from .conftest import COMPANY, Agent, connect
from .test_pairing_and_reads import _get, _synced


async def test_a_poll_reports_the_last_complete_sync_of_the_agents_own_companies(gw, partner, agent, xero_spec):
    token, tenant = await _synced(gw, partner, agent)
    response, _ = await _get(gw, token, tenant, "/Organisation", xero_spec)
    after_pages = response.headers["X-Sage50-Last-Sync"]
    # An idle cycle sends no page; the poll's status says the replica is current as of then.
    await asyncio.sleep(1.1)  # the header has whole seconds
    later = (datetime.now(UTC) + timedelta(seconds=5)).replace(microsecond=0)
    status = {COMPANY["company_key"]: {"last_sync_at": later.isoformat(), "error": None}}
    response = await agent.post("/poll", {"companies": agent.companies, "status": status}, wait="0")
    assert response.status == 204
    response, _ = await _get(gw, token, tenant, "/Organisation", xero_spec)
    moved = response.headers["X-Sage50-Last-Sync"]
    assert moved > after_pages  # and clamped to the gateway's clock: never in the future
    assert datetime.fromisoformat(moved.replace("Z", "+00:00")) <= datetime.now(UTC)
    # An older report never moves it back.
    older = {COMPANY["company_key"]: {"last_sync_at": "2020-01-01T00:00:00+00:00", "error": None}}
    assert (await agent.post("/poll", {"companies": agent.companies, "status": older}, wait="0")).status == 204
    response, _ = await _get(gw, token, tenant, "/Organisation", xero_spec)
    assert response.headers["X-Sage50-Last-Sync"] == moved
    # Another agent cannot report on this company.
    stranger = Agent(gw, companies=[{**COMPANY, "company_key": "b" * 64}])
    other_tokens, _ = await connect(gw, partner, stranger)
    assert other_tokens
    bad = {COMPANY["company_key"]: {"last_sync_at": None, "error": "sdoBadDataPath"}}
    assert (await stranger.post("/poll", {"companies": stranger.companies, "status": bad}, wait="0")).status == 204
    (company,) = [c for c in await gw.client.app[AGENTS].store.companies("1001")
                  if c.company_key == COMPANY["company_key"]]
    assert company.last_error is None
    response = await agent.post("/poll", {"companies": agent.companies, "status": {
        COMPANY["company_key"]: {"last_sync_at": "yesterday", "error": None}}}, wait="0")
    assert response.status == 400


async def test_a_job_sage_kept_refusing_as_busy_is_queued_again_by_the_keyed_retry(gw, partner, agent):
    _, tenant = await connect(gw, partner, agent)
    jobs = gw.client.app[AGENTS].jobs
    company = COMPANY["company_key"]
    submit = {"code": "1001", "company_key": company, "tenant_id": tenant, "client_id": "app",
              "operation_id": "createBankTransactions", "payload": {"object": "TransactionPost"},
              "idempotency_key": "k-1", "fingerprint": "f-1", "wait": 0}
    assert (await jobs.submit(**submit)).status == "pending"
    busy = {"code": "sdoFileLockedAccountsBusy", "message": "Accounts application is busy"}
    for attempt in range(1, MAX_ATTEMPTS + 1):
        (job,) = await jobs.claim(code="1001", company_keys=[company], wait=0)
        assert job.attempts == attempt
        await jobs.complete(code="1001", job_id=job.job_id, company_keys=[company], status="retryable",
                            result=None, error=busy)
    outcome = await jobs.get(job.job_id)
    assert outcome.status == "failed" and outcome.error["code"] == "sdoFileLockedAccountsBusy"
    assert outcome.error["retryable"] is True
    # A keyless look-up (the adapter's "queued before?") does not requeue; the keyed retry does.
    assert (await jobs.find(code="1001", tenant_id=tenant, client_id="app", key="k-1")).status == "failed"
    assert (await jobs.submit(**submit)).status == "pending"
    (again,) = await jobs.claim(code="1001", company_keys=[company], wait=0)
    assert again.job_id == job.job_id and again.attempts == 1
    await jobs.complete(code="1001", job_id=job.job_id, company_keys=[company], status="succeeded",
                        result={"header_number": 9}, error=None)
    assert (await jobs.submit(**submit)).result == {"header_number": 9}
    # A job Sage refused for its data stays failed: the retry gets the same answer.
    refused = {**submit, "idempotency_key": "k-2"}
    await jobs.submit(**refused)
    (job,) = await jobs.claim(code="1001", company_keys=[company], wait=0)
    await jobs.complete(code="1001", job_id=job.job_id, company_keys=[company], status="failed", result=None,
                        error={"code": "sdoInvalidNominalCode", "message": "bad code"})
    assert (await jobs.submit(**refused)).status == "failed"
    assert await jobs.claim(code="1001", company_keys=[company], wait=0) == []
