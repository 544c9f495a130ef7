"""The partner-app registry the operators' CLI uses (``xero-gateway apps …``).

Every function takes the gateway's :class:`~gateway.store.db.Database` first and raises ``ValueError`` with a message
meant for the operator on bad input. Client secrets are shown once, by :func:`create_app` and :func:`rotate_secret`,
and stored only as SHA-256 digests. The console (gateway/console) and the CLI share these functions; each lifecycle
change appends one row to the activity log (:mod:`gateway.store.activity`) in the same transaction, naming the
``actor`` (``"cli"``, ``"admin:<email>"``) and its ``client_address``.

Lifecycle (issue 15): an app is *active*, *revoked* (:func:`revoke_app`: its grants end), *deleted*
(:func:`delete_app`: revoked and hidden from partners; :func:`restore_app` brings a revoked or deleted app back,
without its old grants: users consent again) or *expired* (its optional ``expires_at`` has passed: the token
endpoint answers ``invalid_client`` and its tokens stop working; :func:`note_expired` logs it once).

Rules (Xero's, https://developer.xero.com/faq/oauth2 and the custom-connections guide):

- redirect URIs are absolute ``http``/``https`` URLs, matched exactly (no wildcard), at most 50 per app;
- a public app (PKCE, e.g. a desktop or mobile app) has no secret; every other app has one;
- a custom connection is bound to exactly one tenant of one source and uses ``client_credentials`` only.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select, update

from gateway.settings import SOURCE_CODES
from gateway.store.activity import event as activity_event
from gateway.store.crypto import secret_hash
from gateway.store.db import Database
from gateway.store.models import App, AuthEvent, Connection
from gateway.xero.guids import normalise_guid

from .cache import bump_generation, revoked
from .scopes import IDENTITY_SCOPES, scope_table
from .store import revoke_auth_events

#: The kinds of app an operator registers, in the console's words.
KINDS = {"web": "OAuth web app", "public": "Public app (PKCE)", "custom_connection": "Custom connection"}

#: Xero's limit of redirect URIs per app (https://developer.xero.com/faq/oauth2).
MAX_REDIRECT_URIS = 50


def _new_secret() -> str:
    return secrets.token_urlsafe(36)


def _check_redirect_uri(uri: str) -> str:
    if not isinstance(uri, str) or not uri.strip():
        raise ValueError("a redirect URI must be a non-empty string")
    uri = uri.strip()
    try:
        parts = urlsplit(uri)
    except ValueError:
        raise ValueError(f"redirect URI {uri!r} is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"redirect URI {uri!r} must be an absolute http(s) URL")
    if parts.fragment or "#" in uri:
        raise ValueError(f"redirect URI {uri!r} must not contain a fragment (RFC 6749 §3.1.2)")
    if "*" in uri:
        raise ValueError(f"redirect URI {uri!r} must not contain a wildcard: redirect URIs match exactly")
    return uri


def _check_scopes(scopes: list[str] | None) -> list[str] | None:
    if scopes is None:
        return None
    if isinstance(scopes, str):
        raise ValueError("scopes must be a list of scope names, not a string")
    cleaned = list(dict.fromkeys(s.strip() for s in scopes if s and s.strip()))
    unknown = scope_table().unknown(cleaned)
    if unknown:
        raise ValueError(f"unknown scopes: {', '.join(unknown)} (known: see mappings/scopes.toml)")
    return cleaned


async def create_app(db: Database, *, name: str, redirect_uris: list[str], scopes: list[str] | None,
                     public: bool = False, custom_connection: bool = False, code: str | None = None,
                     tenant_id: str | None = None, expires_at: datetime | None = None, actor: str = "cli",
                     client_address: str = "", now: datetime | None = None) -> dict[str, Any]:
    """Register a partner app.

    Args:
        db: the gateway's database.
        name: shown on the consent page.
        redirect_uris: exact callback URLs (absolute http/https, at most 50). At least one unless
            ``custom_connection``.
        scopes: what the app may request (``None``: every known scope). openid, profile, email and offline_access
            are always allowed. For a custom connection, the scopes its tokens carry.
        public: a PKCE client without a secret (token endpoint auth ``none``).
        custom_connection: a ``client_credentials`` app bound to ``code`` and ``tenant_id``.
        code: source code of a custom connection (``"1000"``).
        tenant_id: tenant of a custom connection (GUID, any case, with or without hyphens).
        expires_at: optional end of the app's access (aware datetime, in the future).
        actor, client_address: who registers it, for the activity log.
        now: the current time (the identity clock in the server; wall time by default).

    Returns:
        ``{"client_id": str, "client_secret": str | None}`` (``None`` for public apps). The secret is shown only
        here.

    Raises:
        ValueError: empty name; bad or missing redirect URI; unknown scope; a custom connection without ``code`` or
            ``tenant_id``, with an unknown code, a non-GUID tenant, ``public`` or no API scope; ``code``/``tenant_id``
            without ``custom_connection``; an expiry in the past.
    """
    now = now or datetime.now(UTC)
    _check_expiry(expires_at, now)
    name = (name or "").strip()
    if not name:
        raise ValueError("an app needs a name")
    if len(name) > 200:
        raise ValueError("an app name has at most 200 characters")
    uris = list(dict.fromkeys(_check_redirect_uri(u) for u in (redirect_uris or [])))
    if len(uris) > MAX_REDIRECT_URIS:
        raise ValueError(f"an app has at most {MAX_REDIRECT_URIS} redirect URIs")
    allowed = _check_scopes(scopes)
    tenant: str | None = None
    if custom_connection:
        if not code or not tenant_id:
            raise ValueError("a custom connection needs a source code and a tenant id")
        if code not in SOURCE_CODES:
            raise ValueError(f"unknown source code {code!r} (known: {', '.join(SOURCE_CODES)})")
        tenant = normalise_guid(tenant_id)
        if tenant is None:
            raise ValueError(f"tenant id {tenant_id!r} is not a GUID")
        if public:
            raise ValueError("a custom connection authenticates with its secret; it cannot be public")
    else:
        if code or tenant_id:
            raise ValueError("a source code and a tenant id are only for custom connections")
        if not uris:
            raise ValueError("an app needs at least one redirect URI (or custom_connection=True)")
    table = scope_table()
    api_scopes = [s for s in (allowed if allowed is not None else table.known) if s not in IDENTITY_SCOPES]
    if custom_connection and not api_scopes:
        raise ValueError("a custom connection needs at least one API scope")

    client_id = uuid.uuid4().hex.upper()
    secret = None if public else _new_secret()
    async with db.session() as s, s.begin():
        app = App(client_id=client_id, name=name, secret_hash=secret_hash(secret) if secret else None,
                  public=public, custom_connection=custom_connection, source_code=code if custom_connection else None,
                  tenant_id=tenant, redirect_uris=uris, scopes=allowed, created_at=now, expires_at=expires_at)
        s.add(app)
        if custom_connection:
            await s.flush()
            await _authorise_custom_connection(s, app, now)
        s.add(activity_event("app_created", actor=actor, at=now, client_address=client_address, client_id=client_id,
                             tenant_id=tenant, source_code=code if custom_connection else None,
                             detail=f"{KINDS[app.kind]} {name!r}; permissions: "
                             + ("all" if allowed is None else " ".join(api_scopes) or "sign-in only")))
    return {"client_id": client_id, "client_secret": secret}


def _check_expiry(expires_at: datetime | None, now: datetime) -> None:
    if expires_at is None:
        return
    if expires_at.tzinfo is None:
        raise ValueError("an expiry needs a time zone (UTC)")
    if expires_at <= now:
        raise ValueError(f"the expiry {expires_at.isoformat()} is not in the future")


async def _authorise_custom_connection(s, app: App, now: datetime) -> None:
    """The standing authorisation of a custom connection and its one connection (revived when it exists)."""
    table = scope_table()
    configured = app.scopes if app.scopes is not None else table.known
    event_id = str(uuid.uuid4())
    s.add(AuthEvent(id=event_id, kind="custom_connection", source_code=app.source_code, client_id=app.client_id,
                    user_id=None, scope=" ".join(x for x in configured if x not in IDENTITY_SCOPES), created_at=now))
    await s.flush()
    existing = await s.scalar(select(Connection).where(Connection.client_id == app.client_id,
                                                       Connection.user_id.is_(None)).limit(1))
    if existing is None:
        s.add(Connection(id=str(uuid.uuid4()), source_code=app.source_code, client_id=app.client_id, user_id=None,
                         tenant_id=app.tenant_id, tenant_type="ORGANISATION", tenant_name="", auth_event_id=event_id,
                         created_at=now, updated_at=now))
    else:
        existing.deleted_at, existing.updated_at, existing.auth_event_id = None, now, event_id


def app_status(app: App, now: datetime) -> str:
    """``deleted``, ``revoked``, ``expired`` or ``active``."""
    if app.deleted_at is not None:
        return "deleted"
    if app.disabled_at is not None:
        return "revoked"
    if app.expires_at is not None and app.expires_at <= now:
        return "expired"
    return "active"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


async def list_apps(db: Database, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """Every registered app (deleted ones included, with their status), oldest first, without secrets.

    Returns:
        ``[{"client_id", "name", "kind" ("web" | "public" | "custom_connection"), "public", "custom_connection",
        "code", "tenant_id", "redirect_uris", "scopes", "created_at", "last_used_at", "expires_at",
        "rotated_at" (ISO-8601 or None: last secret rotation), "status" ("active" | "revoked" | "deleted" | "expired"),
        "disabled" (bool: not active)}]``.
    """
    now = now or datetime.now(UTC)
    async with db.session() as s:
        rows = await s.scalars(select(App).order_by(App.created_at, App.client_id))
        return [{"client_id": a.client_id, "name": a.name, "kind": a.kind, "public": a.public,
                 "custom_connection": a.custom_connection, "code": a.source_code, "tenant_id": a.tenant_id,
                 "redirect_uris": list(a.redirect_uris or []), "scopes": a.scopes,
                 "created_at": a.created_at.isoformat(), "last_used_at": _iso(a.last_used_at),
                 "expires_at": _iso(a.expires_at), "rotated_at": _iso(a.secret_rotated_at),
                 "status": app_status(a, now), "disabled": app_status(a, now) != "active"} for a in rows]


async def rotate_secret(db: Database, client_id: str, *, actor: str = "cli", client_address: str = "",
                        now: datetime | None = None) -> dict[str, Any]:
    """Issue a new client secret; the previous one stops working at once. Grants and tokens are kept.

    Returns:
        ``{"client_id": str, "client_secret": str}``.

    Raises:
        ValueError: unknown or revoked ``client_id``, or a public app (it has no secret).
    """
    async with db.session() as s, s.begin():
        app = await s.get(App, client_id)
        if app is None:
            raise ValueError(f"unknown client_id {client_id!r}")
        if app.disabled_at is not None:
            raise ValueError(f"app {client_id} is revoked")
        if app.public:
            raise ValueError(f"app {client_id} is a public (PKCE) client and has no secret")
        now = now or datetime.now(UTC)
        secret = _new_secret()
        app.secret_hash = secret_hash(secret)
        app.secret_rotated_at = now
        s.add(activity_event("app_rotated", actor=actor, at=now, client_address=client_address, client_id=client_id,
                             detail=f"new client secret for {app.name!r}; the previous one stopped working"))
    return {"client_id": client_id, "client_secret": secret}


async def revoke_app(db: Database, client_id: str, *, actor: str = "cli", client_address: str = "",
                     now: datetime | None = None) -> None:
    """Disable an app: its secret, authorization codes and access tokens stop working, and every grant, refresh
    token and connection of it is revoked. Revoking a revoked app does nothing. Gateway processes on ``db`` drop
    their cached view of the app at once (this one) or within ``[identity] revocation_poll_interval`` (the others).

    Raises:
        ValueError: unknown ``client_id``.
    """
    await _end_access(db, client_id, delete=False, actor=actor, client_address=client_address,
                      now=now or datetime.now(UTC))


async def delete_app(db: Database, client_id: str, *, actor: str = "cli", client_address: str = "",
                     now: datetime | None = None) -> None:
    """Revoke an app (see :func:`revoke_app`) and mark it deleted; :func:`restore_app` undoes the mark.

    Raises:
        ValueError: unknown ``client_id``.
    """
    await _end_access(db, client_id, delete=True, actor=actor, client_address=client_address,
                      now=now or datetime.now(UTC))


async def _end_access(db: Database, client_id: str, *, delete: bool, actor: str, client_address: str,
                      now: datetime) -> None:
    async with db.session() as s, s.begin():
        app = await s.get(App, client_id)
        if app is None:
            raise ValueError(f"unknown client_id {client_id!r}")
        changed = app.deleted_at is None if delete else app.disabled_at is None
        if app.disabled_at is None:
            app.disabled_at = now
        if delete and app.deleted_at is None:
            app.deleted_at = now
        events = list(await s.scalars(select(AuthEvent.id).where(AuthEvent.client_id == client_id)))
        await revoke_auth_events(s, events, now)
        await bump_generation(s)  # the app's status changed even without a grant to revoke
        if changed:
            s.add(activity_event("app_deleted" if delete else "app_revoked", actor=actor, at=now,
                                 client_address=client_address, client_id=client_id, tenant_id=app.tenant_id,
                                 detail=f"{app.name!r}: its grants, refresh tokens and connections were revoked"))
    revoked(db)  # at once in this process; the other processes see the bump (gateway.identity.cache)


async def restore_app(db: Database, client_id: str, *, actor: str = "cli", client_address: str = "",
                      now: datetime | None = None) -> None:
    """Bring a revoked or deleted app back: its secret works again; its old grants stay revoked (users consent
    again), a custom connection gets a new standing authorisation. An expiry that has passed stays: set a new one
    with :func:`set_expiry`.

    Raises:
        ValueError: unknown ``client_id``, or an app that is neither revoked nor deleted.
    """
    now = now or datetime.now(UTC)
    async with db.session() as s, s.begin():
        app = await s.get(App, client_id)
        if app is None:
            raise ValueError(f"unknown client_id {client_id!r}")
        if app.disabled_at is None and app.deleted_at is None:
            raise ValueError(f"app {client_id} is neither revoked nor deleted")
        app.disabled_at = app.deleted_at = None
        if app.custom_connection:
            await _authorise_custom_connection(s, app, now)
        await bump_generation(s)
        s.add(activity_event("app_restored", actor=actor, at=now, client_address=client_address,
                             client_id=client_id, detail=f"{app.name!r} restored"))
    revoked(db)


async def set_expiry(db: Database, client_id: str, expires_at: datetime | None, *, actor: str = "cli",
                     client_address: str = "", now: datetime | None = None) -> None:
    """Set (or with ``None`` clear) the end of an app's access.

    Raises:
        ValueError: unknown ``client_id``; an expiry without a time zone or not in the future.
    """
    now = now or datetime.now(UTC)
    _check_expiry(expires_at, now)
    async with db.session() as s, s.begin():
        app = await s.get(App, client_id)
        if app is None:
            raise ValueError(f"unknown client_id {client_id!r}")
        app.expires_at, app.expiry_noted_at = expires_at, None
        await bump_generation(s)  # an expired app becomes usable again
        s.add(activity_event("app_expiry_set", actor=actor, at=now, client_address=client_address,
                             client_id=client_id,
                             detail=f"expires {expires_at.isoformat()}" if expires_at else "expiry removed"))
    revoked(db)


async def note_expired(db: Database, *, now: datetime, client_address: str = "") -> list[str]:
    """Log ``app_expired`` once for every app whose expiry has passed since the last look, and drop the identity
    caches so that its tokens stop working at once (the caches keep an app's status for up to 5 minutes).

    Returns:
        The ``client_id``s newly found expired (every process may call this; each app is logged once).
    """
    async with db.session() as s, s.begin():
        due = list(await s.scalars(select(App).where(App.expires_at <= now, App.expiry_noted_at.is_(None))))
        noted = []
        for app in due:
            claimed = await s.execute(update(App).where(App.client_id == app.client_id,
                                                        App.expiry_noted_at.is_(None)).values(expiry_noted_at=now))
            if claimed.rowcount == 1:
                noted.append(app.client_id)
                s.add(activity_event("app_expired", actor="gateway", at=now, client_address=client_address,
                                     client_id=app.client_id,
                                     detail=f"{app.name!r} expired at {app.expires_at.isoformat()}"))
        if noted:
            await bump_generation(s)
    if noted:
        revoked(db)
    return noted
