"""Partner-app authorization requests waiting for the upstream consent (server-side, single use, expiring).

When ``/{code}/identity/connect/authorize`` sends the browser to the source system, it records the validated
request here under a fresh random ``state`` (only its SHA-256 digest is stored; RFC 6749 §10.12 CSRF protection),
and the browser session remembers that digest too. ``GET /{code}/callback`` finds the request by the ``state`` the
source echoes, checks the browser is the one that started, and claims it (first claim wins).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, update

from gateway.store.crypto import secret_hash
from gateway.store.db import Database

from .models import UpstreamPending

#: Seconds the user has to complete the consent at the source (sign-in, company choice): 15 minutes.
PENDING_LIFETIME = 900


@dataclass(frozen=True)
class PendingAuthorization:
    """A recorded partner request.

    Attributes:
        state_hash: digest of the upstream ``state``.
        authorize_query: the partner's authorize query string (re-validated by Authlib at the callback).
        redirect_uri, partner_state: where and with which ``state`` the partner app expects the answer.
        usable: unclaimed and unexpired when it was read.
    """

    state_hash: str
    source_code: str
    client_id: str
    redirect_uri: str
    partner_state: str | None
    authorize_query: str
    usable: bool


def state_digest(state: str) -> str:
    return secret_hash(state)


async def create(db: Database, *, code: str, client_id: str, redirect_uri: str, partner_state: str | None,
                 authorize_query: str, now: datetime, lifetime: int = PENDING_LIFETIME) -> str:
    """Record a pending authorization and return the fresh upstream ``state`` (256 bits, URL-safe).

    Expired rows are purged on the way (bounded housekeeping: one ``DELETE``).
    """
    state = secrets.token_urlsafe(32)
    async with db.session() as s, s.begin():
        await s.execute(delete(UpstreamPending).where(UpstreamPending.expires_at <= now))
        s.add(UpstreamPending(state_hash=state_digest(state), source_code=code, client_id=client_id,
                              redirect_uri=redirect_uri, partner_state=partner_state,
                              authorize_query=authorize_query, created_at=now,
                              expires_at=now + timedelta(seconds=lifetime)))
    return state


async def find(db: Database, state: str, *, code: str, now: datetime) -> PendingAuthorization | None:
    """The pending authorization of ``state`` at source ``code`` (used or expired ones included, flagged
    ``usable=False``); ``None`` when unknown."""
    if not state:
        return None
    async with db.session() as s:
        row = await s.get(UpstreamPending, state_digest(state))
    if row is None or row.source_code != code:
        return None
    return PendingAuthorization(
        state_hash=row.state_hash, source_code=row.source_code, client_id=row.client_id,
        redirect_uri=row.redirect_uri, partner_state=row.partner_state, authorize_query=row.authorize_query,
        usable=row.used_at is None and row.expires_at > now)


async def claim(db: Database, pending: PendingAuthorization, *, now: datetime) -> bool:
    """Mark ``pending`` used; ``True`` only for the first claim of an unexpired request (compare-and-set)."""
    async with db.session() as s, s.begin():
        done = await s.execute(update(UpstreamPending).where(
            UpstreamPending.state_hash == pending.state_hash, UpstreamPending.used_at.is_(None),
            UpstreamPending.expires_at > now).values(used_at=now))
        return done.rowcount == 1
