"""A fake of the gateway's agent endpoints (protocol v1), small enough to read in one go.

It enrols agents with one-time codes, stores sync pages as upserts per table key, serves queued jobs to long polls
(holding a poll up to ``wait`` seconds) and records results. Tests steer it: queue jobs, refuse a page, requeue a
job as an expired lease would.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from sage50_connector.tables import BY_NAME

BASE = "/1001/agent/v1"


@dataclass
class FakeGateway:
    codes: set[str] = field(default_factory=lambda: {"K7QM-4TXP"})
    agents: dict[str, str] = field(default_factory=dict)  # agent_id → sha256 of its token
    pair_requests: list[dict[str, Any]] = field(default_factory=list)
    polls: list[dict[str, Any]] = field(default_factory=list)
    batches: list[dict[str, Any]] = field(default_factory=list)
    replica: dict[tuple[str, str], dict[str, dict[str, Any]]] = field(default_factory=dict)
    queued: list[dict[str, Any]] = field(default_factory=list)
    served: dict[str, dict[str, Any]] = field(default_factory=dict)
    results: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    refuse_sync: Any = None  # callable(body) -> HTTP status to answer instead of 200, or None
    refuse_results: int = 0  # how many result posts to answer 503
    headers_seen: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._job_ready = asyncio.Event()
        self.poll_held = asyncio.Event()  # set while a poll waits for a job

    # steering ---------------------------------------------------------------------------------------------------

    def queue(self, company_key: str, payload: dict[str, Any], *, idempotency_key: str | None = None,
              job_id: str | None = None) -> str:
        job = {"job_id": job_id or str(uuid.uuid4()), "company_key": company_key, "kind": "write",
               "idempotency_key": idempotency_key, "priority": 0, "lease_expires_at": "2030-01-01T00:00:00Z",
               "payload": payload, "attempts": 0}
        self.queued.append(job)
        self._job_ready.set()
        return job["job_id"]

    def requeue(self, job_id: str) -> None:
        """What an expired lease does: the job is served again, attempts + 1."""
        job = self.served.pop(job_id)
        job["attempts"] += 1
        self.queued.append(job)
        self._job_ready.set()

    def rows(self, company_key: str, table: str) -> dict[str, dict[str, Any]]:
        return self.replica.get((company_key, table), {})

    # protocol ---------------------------------------------------------------------------------------------------

    def _agent(self, request: web.Request) -> str | None:
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return None
        digest = hashlib.sha256(auth[7:].encode()).hexdigest()
        return next((a for a, h in self.agents.items() if h == digest), None)

    async def pair(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.pair_requests.append(body)
        if body.get("pairing_code") not in self.codes:
            return web.json_response({"error": "invalid_pairing_code", "message": "bad, used or expired"}, status=400)
        if "Authorization" in request.headers:
            agent = self._agent(request)
            if agent is None:
                return web.json_response({"error": "invalid_agent"}, status=401)
            self.codes.discard(body["pairing_code"])
            return web.json_response({"agent_id": agent})
        self.codes.discard(body["pairing_code"])
        agent_id, token = str(uuid.uuid4()), secrets.token_urlsafe(32)
        self.agents[agent_id] = hashlib.sha256(token.encode()).hexdigest()
        return web.json_response({"agent_id": agent_id, "agent_token": token})

    async def poll(self, request: web.Request) -> web.Response:
        if self._agent(request) is None:
            return web.json_response({"error": "invalid_agent"}, status=401)
        self.polls.append(await request.json())
        self.headers_seen.append(dict(request.headers))
        wait = min(int(request.query.get("wait", "25")), 25)
        if not self.queued and wait:
            self._job_ready.clear()
            self.poll_held.set()
            try:
                await asyncio.wait_for(self._job_ready.wait(), wait)
            except TimeoutError:
                pass
        if not self.queued:
            return web.Response(status=204)
        jobs, self.queued = self.queued, []
        for job in jobs:
            self.served[job["job_id"]] = job
        return web.json_response({"jobs": [{k: v for k, v in j.items() if k != "attempts"} for j in jobs]})

    async def sync(self, request: web.Request) -> web.Response:
        if self._agent(request) is None:
            return web.json_response({"error": "invalid_agent"}, status=401)
        body = await request.json()
        if self.refuse_sync is not None:
            status = self.refuse_sync(body)
            if status:
                return web.json_response({"error": "unavailable"}, status=status)
        self.batches.append(body)
        key = BY_NAME[body["table"]].key
        store = self.replica.setdefault((body["company_key"], body["table"]), {})
        for row in body["rows"]:
            store[json.dumps([row[k] for k in key])] = row
        for gone in body["deleted"]:
            store.pop(json.dumps(gone if isinstance(gone, list) else [gone]), None)
        return web.json_response({"accepted": len(body["rows"])})

    async def result(self, request: web.Request) -> web.Response:
        if self._agent(request) is None:
            return web.json_response({"error": "invalid_agent"}, status=401)
        if self.refuse_results:
            self.refuse_results -= 1
            return web.json_response({"error": "unavailable"}, status=503)
        body = await request.json()
        self.results.setdefault(request.match_info["job_id"], []).append(body)
        return web.json_response({})

    def app(self) -> web.Application:
        # The gateway accepts bodies up to 10 MB (gateway.app.CLIENT_MAX_SIZE): a job's result carries every row the
        # write changed, plus any row Sage stamped in the same second, which can pass aiohttp's 1 MB default.
        app = web.Application(client_max_size=10 * 1024 * 1024)
        app.router.add_post(f"{BASE}/pair", self.pair)
        app.router.add_post(f"{BASE}/poll", self.poll)
        app.router.add_post(f"{BASE}/sync", self.sync)
        app.router.add_post(f"{BASE}/jobs/{{job_id}}/result", self.result)
        return app
