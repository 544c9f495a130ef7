"""The operators' activity log (issue 15): append-only rows of lifecycle and security events, filtered, exported as
CSV and pruned by age.

Rows are written by the code that acted (the app registry, the token endpoint, the console, the CLI); they hold who
acted (``actor``), from where (``client_address``), which app / tenant / source, and a short sentence. Nothing here
ever receives a secret or a token: callers pass identifiers and reasons only, and :func:`event` blanks out of the
detail anything shaped like a credential (a JWT, or 40 or more unbroken base64url characters), as a last line of
defence (a detail may quote a reason written by a library or a partner).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from .db import Database
from .models import ActivityEvent

#: Event kinds, in the words of the console's filter.
KINDS: dict[str, str] = {
    "app_created": "App created",
    "app_rotated": "Client secret rotated",
    "app_revoked": "App revoked",
    "app_deleted": "App deleted",
    "app_restored": "App restored",
    "app_expiry_set": "App expiry set",
    "app_expired": "App expiry reached",
    "consent_granted": "Consent granted",
    "consent_denied": "Consent denied",
    "connection_deleted": "Connection deleted",
    "token_exchange_failed": "Token exchange failed",
    "sign_in_failed": "Sign-in failed",
    "reauthorisation_needed": "Re-authorisation needed",
    "source_registered": "Source registered",
    "operator_created": "Operator created",
    "operator_signed_in": "Operator signed in",
}

#: Columns of the CSV export, in order.
CSV_COLUMNS = ("id", "at", "kind", "actor", "client_address", "client_id", "tenant_id", "source_code", "detail")

#: What replaces a credential-shaped part of a detail.
REDACTED = "[redacted]"

# A JWT, or 40+ characters of base64url with no space: what a secret, a code or a token looks like.
_CREDENTIAL = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]*|[A-Za-z0-9_\-]{40,}")


@dataclass(frozen=True)
class Activity:
    """One activity row."""

    id: int
    at: datetime
    kind: str
    actor: str
    client_address: str
    client_id: str | None
    tenant_id: str | None
    source_code: str | None
    detail: str


def _row(e: ActivityEvent) -> Activity:
    return Activity(id=e.id, at=e.at, kind=e.kind, actor=e.actor, client_address=e.client_address,
                    client_id=e.client_id, tenant_id=e.tenant_id, source_code=e.source_code, detail=e.detail)


def event(kind: str, *, actor: str, at: datetime, client_address: str = "", client_id: str | None = None,
          tenant_id: str | None = None, source_code: str | None = None, detail: str = "") -> ActivityEvent:
    """A new row to add inside the caller's transaction (so that the event and its cause commit together).

    Raises:
        ValueError: unknown ``kind``.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown activity kind {kind!r}")
    # actor and client_id may come from a request (a token pasted as a client_id): blanked the same way
    detail, actor = _CREDENTIAL.sub(REDACTED, detail), _CREDENTIAL.sub(REDACTED, actor)
    client_id = _CREDENTIAL.sub(REDACTED, client_id) if client_id else None
    return ActivityEvent(at=at, kind=kind, actor=actor[:250], client_address=client_address[:64],
                         client_id=client_id[:64] if client_id else None,
                         tenant_id=tenant_id.lower() if tenant_id else None, source_code=source_code,
                         detail=detail[:2000])


async def record(db: Database, kind: str, *, actor: str, at: datetime | None = None, **fields: str | None) -> None:
    """Append one row in its own transaction (see :func:`event` for the fields and errors)."""
    async with db.session() as s, s.begin():
        s.add(event(kind, actor=actor, at=at or datetime.now(UTC), **fields))


async def query(db: Database, *, client_id: str | None = None, tenant_id: str | None = None,
                kind: str | None = None, since: datetime | None = None, until: datetime | None = None,
                limit: int = 500) -> list[Activity]:
    """Rows matching every given filter, newest first, at most ``limit``.

    Args:
        since, until: aware datetimes; ``since`` inclusive, ``until`` exclusive.
    """
    stmt = select(ActivityEvent)
    if client_id:
        stmt = stmt.where(ActivityEvent.client_id == client_id)
    if tenant_id:
        stmt = stmt.where(ActivityEvent.tenant_id == tenant_id.lower())
    if kind:
        stmt = stmt.where(ActivityEvent.kind == kind)
    if since is not None:
        stmt = stmt.where(ActivityEvent.at >= since)
    if until is not None:
        stmt = stmt.where(ActivityEvent.at < until)
    async with db.session() as s:
        rows = await s.scalars(stmt.order_by(ActivityEvent.at.desc(), ActivityEvent.id.desc()).limit(limit))
        return [_row(e) for e in rows]


def to_csv(rows: list[Activity]) -> str:
    """RFC 4180 CSV with a header row (:data:`CSV_COLUMNS`); times ISO-8601 UTC."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow([r.id, r.at.isoformat(), r.kind, r.actor, r.client_address, r.client_id or "",
                         r.tenant_id or "", r.source_code or "", r.detail])
    return out.getvalue()


async def prune(db: Database, *, retention_days: int, now: datetime) -> int:
    """Delete rows older than ``retention_days``; returns how many went (the only deletion the log allows)."""
    async with db.session() as s, s.begin():
        done = await s.execute(delete(ActivityEvent).where(ActivityEvent.at < now - timedelta(days=retention_days)))
        return done.rowcount or 0
