"""Agents, their companies and pairing codes (gateway database).

Pairing (issue 9 §2): the consent page creates a one-time code (:func:`new_pairing_code`, eight characters of
Crockford's base32 shown as ``XXXX-XXXX``: about 40 bits, typed by a person, expiring after 15 minutes, single use;
only its digest is stored). ``sage50-connector pair --code`` sends it: without an agent token the call enrols a new
agent (a fresh 256-bit token, stored as a digest), with a token it confirms the code for that agent. The page then
lists the companies that agent serves. Nobody gets a connection without an action on the PC that holds the data.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update

from adapters.agents import AgentCompanyInfo
from adapters.base import LedgerUser, upstream_tenant_id
from gateway.store.crypto import secret_hash
from gateway.store.db import Database

from .tables import AgentCompany, AgentJob, AgentRecord, PairingCode

#: Seconds a pairing code stays valid (issue 9: 15 minutes).
PAIRING_LIFETIME = 900
#: Crockford's base32 without I, L, O, U: nothing a person can misread.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: Default seconds without a poll after which an agent is offline (two long-polls of 25 s and a margin;
#: ``[agents] offline_after``).
OFFLINE_AFTER = 60
#: Namespace of the Xero user ids of agent consents: uuid5(namespace, f"{code}/{agent_id}"): the person who
#: controls the PC that agent runs on.
AGENT_USER_NAMESPACE = uuid.UUID("5d1f0a3e-8c7b-5e42-9a6d-3b2c1e0f4a97")


def agent_user_id(code: str, agent_id: str) -> str:
    """The Xero ``sub`` of consents confirmed by agent ``agent_id`` of source ``code``."""
    return str(uuid.uuid5(AGENT_USER_NAMESPACE, f"{code}/{agent_id}"))


def new_pairing_code() -> str:
    """``K7QM-4TXP``: 8 random base32 characters."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_pairing_code(code: str) -> str:
    """Upper case, no separators or spaces, Crockford's look-alikes folded (``O`` → 0, ``I``/``L`` → 1)."""
    text = "".join(ch for ch in code.upper() if ch.isalnum())
    return text.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


@dataclass(frozen=True)
class Company:
    """A company as an agent announces it (protocol v1 ``Company``)."""

    company_key: str
    name: str
    data_path: str = ""


@dataclass(frozen=True)
class Pairing:
    """A pairing code's state, as the consent page reads it."""

    code_hash: str
    source_code: str
    client_id: str
    authorize_query: str
    agent_id: str | None
    usable: bool


@dataclass(frozen=True)
class AgentSummary:
    """One agent for ``xero-gateway agents list``."""

    agent_id: str
    source_code: str
    name: str
    last_seen_at: datetime | None
    revoked: bool
    companies: tuple[AgentCompanyInfo, ...]
    queued_jobs: int


class AgentStore:
    """The agent tables behind the protocol, the consent page and the CLI.

    Args:
        db: the gateway database.
        now: the clock (aware UTC).
        offline_after: seconds without a poll after which an agent counts as offline.
    """

    def __init__(self, db: Database, *, now: Callable[[], datetime] | None = None,
                 offline_after: float = OFFLINE_AFTER) -> None:
        self.db = db
        self.now = now or (lambda: datetime.now(UTC))
        self.offline_after = offline_after

    # Pairing ------------------------------------------------------------------------------------------------

    async def create_pairing(self, *, code: str, client_id: str, authorize_query: str) -> tuple[str, str]:
        """A new pairing code for a validated partner request; returns ``(pairing_code, browser_handle)``.

        The handle goes into the consenting browser's session; only digests of both are stored.
        """
        now = self.now()
        pairing_code, handle = new_pairing_code(), secrets.token_urlsafe(32)
        async with self.db.session() as s, s.begin():
            await s.execute(delete(PairingCode).where(PairingCode.expires_at <= now - timedelta(days=1)))
            s.add(PairingCode(code_hash=secret_hash(normalise_pairing_code(pairing_code)),
                              browser_hash=secret_hash(handle), source_code=code, client_id=client_id,
                              authorize_query=authorize_query, created_at=now,
                              expires_at=now + timedelta(seconds=PAIRING_LIFETIME)))
        return pairing_code, handle

    async def pairing_for_browser(self, code: str, handle: str) -> Pairing | None:
        """The pairing a browser started (used or expired ones flagged ``usable=False``)."""
        async with self.db.session() as s:
            row = (await s.execute(select(PairingCode).where(
                PairingCode.browser_hash == secret_hash(handle)))).scalar_one_or_none()
        if row is None or row.source_code != code:
            return None
        return Pairing(code_hash=row.code_hash, source_code=row.source_code, client_id=row.client_id,
                       authorize_query=row.authorize_query, agent_id=row.agent_id,
                       usable=row.used_at is None and row.expires_at > self.now())

    async def claim_pairing(self, pairing: Pairing) -> bool:
        """Mark the pairing answered; ``True`` only for the first claim of an unexpired code (compare-and-set)."""
        now = self.now()
        async with self.db.session() as s, s.begin():
            done = await s.execute(update(PairingCode).where(
                PairingCode.code_hash == pairing.code_hash, PairingCode.used_at.is_(None),
                PairingCode.expires_at > now).values(used_at=now))
            return done.rowcount == 1

    async def pair(self, *, code: str, pairing_code: str, agent_token: str | None, agent_name: str,
                   agent_version: str, companies: Sequence[Company]) -> tuple[str, str | None] | None:
        """Confirm ``pairing_code`` for an agent: the one holding ``agent_token``, or a new one.

        Returns:
            ``(agent_id, new_token)`` (``new_token`` only when an agent was enrolled), or ``None`` when the code
            is unknown, expired, already confirmed or used, or the token is not a live agent's.
        """
        now = self.now()
        async with self.db.session() as s, s.begin():
            row = await s.get(PairingCode, secret_hash(normalise_pairing_code(pairing_code)))
            if (row is None or row.source_code != code or row.used_at is not None or row.agent_id is not None
                    or row.expires_at <= now):
                return None
            new_token = None
            if agent_token:
                agent = await self._agent_by_token(s, agent_token)
                if agent is None or agent.source_code != code:
                    return None
                agent.name, agent.version, agent.last_seen_at = agent_name, agent_version, now
            else:
                new_token = secrets.token_urlsafe(32)
                agent = AgentRecord(agent_id=str(uuid.uuid4()), source_code=code, name=agent_name,
                                    version=agent_version, token_hash=secret_hash(new_token), created_at=now,
                                    last_seen_at=now)
                s.add(agent)
                await s.flush()
            row.agent_id, row.confirmed_at = agent.agent_id, now
            await self._announce(s, code, agent.agent_id, companies)
            return agent.agent_id, new_token

    # Agents -------------------------------------------------------------------------------------------------

    @staticmethod
    async def _agent_by_token(s, token: str) -> AgentRecord | None:
        agent = (await s.execute(select(AgentRecord).where(
            AgentRecord.token_hash == secret_hash(token)))).scalar_one_or_none()
        return agent if agent is not None and agent.revoked_at is None else None

    async def authenticate(self, code: str, token: str, *, companies: Sequence[Company] | None = None) -> str | None:
        """The id of the live agent of source ``code`` holding ``token`` (its last-seen time updated, and its
        announced companies when given), or ``None``."""
        async with self.db.session() as s, s.begin():
            agent = await self._agent_by_token(s, token)
            if agent is None or agent.source_code != code:
                return None
            agent.last_seen_at = self.now()
            if companies is not None:
                await self._announce(s, code, agent.agent_id, companies)
            return agent.agent_id

    async def _announce(self, s, code: str, agent_id: str, companies: Sequence[Company]) -> None:
        for company in companies:
            row = await s.get(AgentCompany, (code, company.company_key))
            if row is None:
                s.add(AgentCompany(source_code=code, company_key=company.company_key,
                                   tenant_id=upstream_tenant_id(code, company.company_key), agent_id=agent_id,
                                   name=company.name, data_path=company.data_path))
            else:
                row.agent_id, row.name, row.data_path = agent_id, company.name, company.data_path

    async def user(self, code: str, user_id: str) -> LedgerUser | None:
        """The user of consents confirmed by a live agent of ``code`` (:func:`agent_user_id`), or ``None``."""
        async with self.db.session() as s:
            agents = (await s.execute(select(AgentRecord.agent_id).where(
                AgentRecord.source_code == code, AgentRecord.revoked_at.is_(None)))).scalars().all()
        for agent_id in agents:
            if agent_user_id(code, agent_id) == user_id:
                return LedgerUser(user_id=user_id, email="")
        return None

    async def revoke(self, agent_id: str) -> bool:
        """Revoke an agent: its token stops working at once. ``False`` when unknown or already revoked."""
        async with self.db.session() as s, s.begin():
            done = await s.execute(update(AgentRecord).where(
                AgentRecord.agent_id == agent_id, AgentRecord.revoked_at.is_(None)).values(revoked_at=self.now()))
            return done.rowcount == 1

    # Companies ----------------------------------------------------------------------------------------------

    def _info(self, company: AgentCompany, agent: AgentRecord) -> AgentCompanyInfo:
        seen = agent.last_seen_at
        online = (agent.revoked_at is None and seen is not None
                  and (self.now() - seen).total_seconds() <= self.offline_after)
        return AgentCompanyInfo(company_key=company.company_key, tenant_id=company.tenant_id, name=company.name,
                                agent_id=company.agent_id, online=online, last_sync_at=company.last_sync_at,
                                last_error=company.last_error)

    async def companies(self, code: str, *, agent_id: str | None = None) -> list[AgentCompanyInfo]:
        """Companies of source ``code`` served by live agents (by one agent when ``agent_id`` is given)."""
        query = (select(AgentCompany, AgentRecord).join(AgentRecord, AgentRecord.agent_id == AgentCompany.agent_id)
                 .where(AgentCompany.source_code == code, AgentRecord.revoked_at.is_(None))
                 .order_by(AgentCompany.name))
        if agent_id is not None:
            query = query.where(AgentCompany.agent_id == agent_id)
        async with self.db.session() as s:
            rows = (await s.execute(query)).all()
        return [self._info(company, agent) for company, agent in rows]

    async def company(self, code: str, tenant_id: str) -> AgentCompanyInfo | None:
        """The company behind ``tenant_id`` (served by a live agent), or ``None``."""
        for info in await self.companies(code):
            if info.tenant_id == tenant_id:
                return info
        return None

    async def company_of_agent(self, code: str, agent_id: str, company_key: str) -> AgentCompanyInfo | None:
        """``company_key`` when agent ``agent_id`` serves it, else ``None``."""
        for info in await self.companies(code, agent_id=agent_id):
            if info.company_key == company_key:
                return info
        return None

    async def mark_synced(self, code: str, company_key: str, *, error: str | None = None) -> None:
        """Record a final sync page (``last_sync_at``) or the agent's reported error."""
        values: dict = {"last_error": error}
        if error is None:
            values["last_sync_at"] = self.now()
        async with self.db.session() as s, s.begin():
            await s.execute(update(AgentCompany).where(AgentCompany.source_code == code,
                                                       AgentCompany.company_key == company_key).values(**values))

    async def record_sync(self, code: str, company_key: str, at: datetime) -> None:
        """Record a complete sync cycle the agent reported in a poll (``status.last_sync_at``): a cycle that found
        nothing changed sends no page, yet the replica is as fresh as then. Never moves ``last_sync_at`` back, nor
        past the gateway's clock; clears the last error."""
        at = min(at if at.tzinfo else at.replace(tzinfo=UTC), self.now())
        async with self.db.session() as s, s.begin():
            company = await s.get(AgentCompany, (code, company_key))
            if company is None:
                return
            current = company.last_sync_at
            if current is not None and current.tzinfo is None:
                current = current.replace(tzinfo=UTC)
            if current is None or at > current:
                company.last_sync_at = at
            company.last_error = None

    async def summaries(self, code: str | None = None) -> list[AgentSummary]:
        """Every agent (revoked ones included) with its companies and queued jobs, for the CLI."""
        async with self.db.session() as s:
            query = select(AgentRecord).order_by(AgentRecord.created_at)
            if code is not None:
                query = query.where(AgentRecord.source_code == code)
            agents = (await s.execute(query)).scalars().all()
            companies = (await s.execute(select(AgentCompany))).scalars().all()
            jobs = (await s.execute(select(AgentJob.company_key, AgentJob.source_code).where(
                AgentJob.status.in_(("queued", "leased"))))).all()
        out = []
        for agent in agents:
            mine = tuple(self._info(c, agent) for c in companies if c.agent_id == agent.agent_id)
            keys = {(agent.source_code, c.company_key) for c in mine}
            queued = sum(1 for key, src in jobs if (src, key) in keys)
            out.append(AgentSummary(agent_id=agent.agent_id, source_code=agent.source_code, name=agent.name,
                                    last_seen_at=agent.last_seen_at, revoked=agent.revoked_at is not None,
                                    companies=mine, queued_jobs=queued))
        return out
