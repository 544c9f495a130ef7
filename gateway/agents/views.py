"""HTTP handlers of the agent protocol v1 under ``/{code}/agent/v1`` (docs/sage50-agent.md).

Only sources whose adapter has ``sign_in == "agent"`` answer; others give 404. Every call but ``pair`` carries
``Authorization: Bearer <agent_token>``. Answers are the protocol's own JSON (not Xero's envelope): errors are
``{"error": <code>, "message": …}``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import structlog
from aiohttp import web
from pydantic import BaseModel, ValidationError

from adapters.agents import SyncBatch
from gateway import appkeys
from gateway.appkeys import AGENTS
from gateway.webhooks.pushed import emit_changes
from gateway.xero.errors import XeroApiError

from .jobs import JobQueue
from .protocol import PairBody, PollBody, ResultBody, SyncBody
from .state import AgentState
from .store import Company

log = structlog.get_logger("gateway.agents")

#: Longest long-poll the gateway holds (protocol v1: ≤ 25 s).
MAX_WAIT = 25.0


def _error(status: int, error: str, message: str) -> web.Response:
    return web.json_response({"error": error, "message": message}, status=status)


async def _body(request: web.Request, model: type[BaseModel]) -> Any:
    try:
        return model.model_validate_json(await request.read())
    except (ValidationError, ValueError) as exc:
        raise web.HTTPBadRequest(text=json.dumps({"error": "invalid_request", "message": str(exc)[:500]}),
                                 content_type="application/json") from None


async def _agent_source(request: web.Request, code: str):
    """The started adapter of an agent-connected source, or a 404 answer."""
    try:
        adapter = await request.app[appkeys.SOURCES].get(code)
    except XeroApiError as exc:
        raise web.HTTPNotFound(text=json.dumps({"error": "unknown_source", "message": exc.message}),
                               content_type="application/json") from None
    if adapter.sign_in != "agent":
        raise web.HTTPNotFound(text=json.dumps({"error": "unknown_source", "message": "not an agent source"}),
                               content_type="application/json")
    return adapter


def _token(request: web.Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def _authenticated(request: web.Request, state: AgentState, code: str,
                         companies: list[Company] | None = None) -> str:
    token = _token(request)
    agent_id = await state.store.authenticate(code, token, companies=companies) if token else None
    if agent_id is None:
        raise web.HTTPUnauthorized(text=json.dumps({"error": "invalid_agent", "message": "unknown or revoked agent"}),
                                   content_type="application/json")
    return agent_id


def _companies(bodies) -> list[Company]:
    return [Company(company_key=c.company_key, name=c.name, data_path=c.data_path) for c in bodies]


async def pair(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``POST /{code}/agent/v1/pair``: enrol an agent or confirm a pairing code for an enrolled one."""
    await _agent_source(request, code)
    state = request.app[AGENTS]
    body = await _body(request, PairBody)
    done = await state.store.pair(code=code, pairing_code=body.pairing_code, agent_token=_token(request),
                                  agent_name=body.agent_name, agent_version=body.agent_version,
                                  companies=_companies(body.companies))
    if done is None:
        return _error(400, "invalid_pairing_code", "the pairing code is unknown, expired or already used")
    agent_id, token = done
    log.info("agent_paired", code=code, agent_id=agent_id, enrolled=token is not None, companies=len(body.companies))
    answer = {"agent_id": agent_id}
    if token is not None:
        answer["agent_token"] = token
    return web.json_response(answer)


async def poll(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``POST /{code}/agent/v1/poll[?wait=N]``: the agent's long-poll for jobs (200 with jobs, or 204)."""
    await _agent_source(request, code)
    state = request.app[AGENTS]
    body = await _body(request, PollBody)
    agent_id = await _authenticated(request, state, code, _companies(body.companies))
    try:
        wait = min(MAX_WAIT, max(0.0, float(request.query.get("wait", MAX_WAIT))))
    except ValueError:
        return _error(400, "invalid_request", "wait must be a number of seconds")
    keys = [c.company_key for c in await state.store.companies(code, agent_id=agent_id)]
    for key, status in body.status.items():
        if key not in keys:  # an agent reports on its own companies only
            continue
        if status.error:
            await state.store.mark_synced(code, key, error=status.error)
        elif status.last_sync_at:
            try:
                at = datetime.fromisoformat(status.last_sync_at.replace("Z", "+00:00"))
            except ValueError:
                return _error(400, "invalid_request", "status.last_sync_at must be an ISO 8601 date-time")
            await state.store.record_sync(code, key, at)
    def listening() -> bool:
        return request.transport is not None and not request.transport.is_closing()

    jobs = await state.jobs.claim(code=code, company_keys=keys, wait=wait, listening=listening)
    if not jobs:
        return web.Response(status=204)
    if not listening():  # the agent left while the jobs were leased: they go back to the queue
        await state.jobs.release(jobs)
        return web.Response(status=204)
    return web.json_response({"jobs": [{
        "job_id": job.job_id, "company_key": job.company_key, "kind": "write",
        "idempotency_key": job.idempotency_key, "priority": job.priority,
        "lease_expires_at": job.lease_expires_at.isoformat() if job.lease_expires_at else None,
        "attempts": job.attempts, "payload": job.payload} for job in jobs]})


async def sync(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``POST /{code}/agent/v1/sync``: one page of rows of one table, stored in the adapter's replica."""
    adapter = await _agent_source(request, code)
    state = request.app[AGENTS]
    body = await _body(request, SyncBody)
    agent_id = await _authenticated(request, state, code)
    company = await state.store.company_of_agent(code, agent_id, body.company_key)
    if company is None:
        return _error(403, "unknown_company", "this agent does not serve that company; announce it in a poll")
    batch = SyncBatch(table=body.table, rows=body.rows, deleted=body.deleted, final=body.final,
                      watermark=body.watermark)
    try:
        # webhook events first: a page stored but not announced would be lost, one announced twice is allowed
        await emit_changes(request.app, code, company.tenant_id, await adapter.sync_changes(company, batch))
        accepted = await adapter.ingest(company, batch)
    except ValueError as exc:
        return _error(400, "invalid_rows", str(exc)[:500])
    if body.final:
        await state.store.mark_synced(code, body.company_key)
    return web.json_response({"accepted": accepted})


async def job_result(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``POST /{code}/agent/v1/jobs/{id}/result``: a job's one final report (a repeat is acknowledged)."""
    adapter = await _agent_source(request, code)
    state = request.app[AGENTS]
    body = await _body(request, ResultBody)
    agent_id = await _authenticated(request, state, code)
    companies = await state.store.companies(code, agent_id=agent_id)
    by_key = {c.company_key: c for c in companies}
    job_id = params.get("id", "")
    current = await state.jobs.get(job_id)
    if current is None:
        return _error(404, "unknown_job", "no such job")
    rows = (body.result or {}).get("rows") if body.status == "succeeded" else None
    if rows and current.status == "pending":
        job = await _job_company(state.jobs, job_id)
        if job is None or job not in by_key:
            return _error(404, "unknown_job", "no such job for this agent")
        try:
            await adapter.apply_rows(by_key[job], rows)  # before the job is final: a waiting caller reads it
        except ValueError as exc:
            return _error(400, "invalid_rows", str(exc)[:500])
    done = await state.jobs.complete(code=code, job_id=job_id, company_keys=list(by_key), status=body.status,
                                     result=body.result, error=body.error.model_dump() if body.error else None)
    if done is None:
        return _error(404, "unknown_job", "no such job for this agent")
    log.info("agent_job_result", code=code, job_id=job_id, status=done.status)
    return web.json_response({"job_id": job_id, "status": done.status})


async def _job_company(jobs: JobQueue, job_id: str) -> str | None:
    from .tables import AgentJob

    async with jobs.db.session() as s:
        job = await s.get(AgentJob, job_id)
    return None if job is None else job.company_key
