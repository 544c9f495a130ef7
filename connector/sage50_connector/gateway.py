"""The gateway's agent endpoints (protocol v1, base ``{gateway}/1001/agent/v1``), as an aiohttp client.

Outbound only: the agent never listens. Every call but a first ``/pair`` carries ``Authorization: Bearer <token>``.
Statuses are logged on success and on failure alike (sage50.md §3); the token never is.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import aiohttp
from pydantic import ValidationError

from sage50_connector import __version__
from sage50_connector.errors import GatewayError, InvalidAgentError, InvalidPairingCodeError
from sage50_connector.protocol import Company, CompanyStatus, Job, JobResult, PairAnswer, SyncBatch, UnreadableJob

log = logging.getLogger(__name__)

SOURCE_CODE = "1001"
#: The gateway holds a poll at most this long (protocol v1).
MAX_WAIT = 25


def _job(raw: Any) -> Job | UnreadableJob:
    try:
        return Job.model_validate(raw)
    except ValidationError as exc:
        raw = raw if isinstance(raw, dict) else {}
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return UnreadableJob(job_id=str(raw.get("job_id", "")), company_key=str(raw.get("company_key", "")),
                             problem=problems[:500])


class GatewayClient:
    """One gateway, one agent.

    Args:
        gateway: the gateway's base URL (``https://gateway.example``); the agent API is under ``/1001/agent/v1``.
        token: the agent token, ``None`` before pairing.
        session: an aiohttp session to use (the client makes its own otherwise; close it with :meth:`close`).
    """

    def __init__(self, gateway: str, *, token: str | None = None, session: aiohttp.ClientSession | None = None,
                 timeout: float = 60) -> None:
        self.base = gateway.rstrip("/") + f"/{SOURCE_CODE}/agent/v1"
        self._token = token
        self._own = session is None
        self._session = session or aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=15),
            headers={"User-Agent": f"sage50-connector/{__version__}"})
        self._timeout = timeout

    async def close(self) -> None:
        """Close the session if the client made it."""
        if self._own:
            await self._session.close()

    async def pair(self, code: str, *, agent_name: str, companies: list[Company]) -> PairAnswer:
        """``POST /pair``: enrol (no token yet) or confirm the code for this agent (token held).

        Raises:
            InvalidPairingCodeError: bad, used or expired code.
            InvalidAgentError: the held token is not (or no longer) valid.
            GatewayError: any other answer, or the gateway unreachable.
        """
        status, body = await self._post("/pair", {
            "pairing_code": code, "agent_name": agent_name, "agent_version": __version__,
            "companies": [c.model_dump() for c in companies]})
        return PairAnswer.model_validate(self._expect(status, body, "/pair"))

    async def poll(self, companies: list[Company], status: dict[str, CompanyStatus], *,
                   wait: int = MAX_WAIT) -> list[Job | UnreadableJob]:
        """``POST /poll?wait=N``: the jobs queued for this agent, or ``[]`` after ``wait`` seconds (204).

        A job that does not validate comes back as :class:`UnreadableJob` (so that it can be reported failed).

        Raises:
            InvalidAgentError: the agent was revoked.
            GatewayError: any other answer, or the gateway unreachable.
        """
        wait = max(0, min(int(wait), MAX_WAIT))
        status_code, body = await self._post(f"/poll?wait={wait}", {
            "companies": [c.model_dump() for c in companies],
            "status": {k: v.model_dump() for k, v in status.items()}}, seconds=wait + 15)
        if status_code == 204:
            return []
        answer = self._expect(status_code, body, "/poll")
        return [_job(raw) for raw in answer.get("jobs", [])]

    async def sync(self, batch: SyncBatch) -> int:
        """``POST /sync``: one page; returns ``accepted``.

        Raises:
            GatewayError: the page was refused (the caller keeps its watermark).
        """
        status, body = await self._post("/sync", batch.model_dump())
        return int(self._expect(status, body, "/sync").get("accepted", 0))

    async def result(self, job_id: str, result: JobResult) -> None:
        """``POST /jobs/{job_id}/result``.

        Raises:
            GatewayError: the result was refused or not delivered (the journal keeps it for the next serve).
        """
        status, body = await self._post(f"/jobs/{job_id}/result", result.model_dump())
        self._expect(status, body, f"/jobs/{job_id}/result")

    async def _post(self, path: str, payload: dict[str, Any], *, seconds: float | None = None) -> tuple[int, str]:
        headers = {"Authorization": f"Bearer {self._token}"} if self._token else {}
        url = self.base + path
        try:
            async with self._session.post(url, json=payload, headers=headers,
                                          timeout=aiohttp.ClientTimeout(total=seconds or self._timeout)) as resp:
                text = await resp.text()
                log.debug("POST %s → %s", path.split("?")[0], resp.status)
                return resp.status, text
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("POST %s failed: %s", path.split("?")[0], type(exc).__name__)
            raise GatewayError(0, f"{type(exc).__name__}: {exc}", url=url) from exc

    @staticmethod
    def _expect(status: int, body: str, path: str) -> dict[str, Any]:
        try:
            answer = json.loads(body) if body else {}
        except ValueError:
            answer = {}
        error = answer.get("error") if isinstance(answer, dict) else None
        if status == 200 and isinstance(answer, dict):
            return answer
        log.warning("POST %s → %s %s", path, status, error or "")
        if status == 401:
            raise InvalidAgentError(status, body, url=path)
        if status == 400 and error == "invalid_pairing_code":
            raise InvalidPairingCodeError(status, body, url=path)
        raise GatewayError(status, body, url=path)
