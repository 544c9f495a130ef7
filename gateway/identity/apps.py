"""The partner-app registry the operators' CLI uses (``xero-gateway apps …``).

Every function takes the gateway's :class:`~gateway.store.db.Database` first and raises ``ValueError`` with a message
meant for the operator on bad input. Client secrets are shown once, by :func:`create_app` and :func:`rotate_secret`,
and stored only as SHA-256 digests.

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

from sqlalchemy import select

from gateway.settings import SOURCE_CODES
from gateway.store.crypto import secret_hash
from gateway.store.db import Database
from gateway.store.models import App, AuthEvent, Connection
from gateway.xero.guids import normalise_guid

from .cache import bump_generation, revoked
from .scopes import IDENTITY_SCOPES, scope_table
from .store import revoke_auth_events

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
                     tenant_id: str | None = None) -> dict[str, Any]:
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

    Returns:
        ``{"client_id": str, "client_secret": str | None}`` (``None`` for public apps). The secret is shown only
        here.

    Raises:
        ValueError: empty name; bad or missing redirect URI; unknown scope; a custom connection without ``code`` or
            ``tenant_id``, with an unknown code, a non-GUID tenant, ``public`` or no API scope; ``code``/``tenant_id``
            without ``custom_connection``.
    """
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
    now = datetime.now(UTC)
    async with db.session() as s, s.begin():
        s.add(App(client_id=client_id, name=name, secret_hash=secret_hash(secret) if secret else None,
                  public=public, custom_connection=custom_connection, source_code=code if custom_connection else None,
                  tenant_id=tenant, redirect_uris=uris, scopes=allowed, created_at=now))
        if custom_connection:
            await s.flush()
            event_id = str(uuid.uuid4())
            s.add(AuthEvent(id=event_id, kind="custom_connection", source_code=code, client_id=client_id,
                            user_id=None, scope=" ".join(api_scopes), created_at=now))
            await s.flush()
            s.add(Connection(id=str(uuid.uuid4()), source_code=code, client_id=client_id, user_id=None,
                             tenant_id=tenant, tenant_type="ORGANISATION", tenant_name="", auth_event_id=event_id,
                             created_at=now, updated_at=now))
    return {"client_id": client_id, "client_secret": secret}


async def list_apps(db: Database) -> list[dict[str, Any]]:
    """Every registered app, oldest first, without secrets.

    Returns:
        ``[{"client_id", "name", "public", "custom_connection", "code", "tenant_id", "redirect_uris", "scopes",
        "created_at" (ISO-8601), "disabled" (bool)}]``.
    """
    async with db.session() as s:
        rows = await s.scalars(select(App).order_by(App.created_at, App.client_id))
        return [{"client_id": a.client_id, "name": a.name, "public": a.public,
                 "custom_connection": a.custom_connection, "code": a.source_code, "tenant_id": a.tenant_id,
                 "redirect_uris": list(a.redirect_uris or []), "scopes": a.scopes,
                 "created_at": a.created_at.isoformat(), "disabled": a.disabled_at is not None} for a in rows]


async def rotate_secret(db: Database, client_id: str) -> dict[str, Any]:
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
        secret = _new_secret()
        app.secret_hash = secret_hash(secret)
        app.secret_rotated_at = datetime.now(UTC)
    return {"client_id": client_id, "client_secret": secret}


async def revoke_app(db: Database, client_id: str) -> None:
    """Disable an app: its secret, authorization codes and access tokens stop working, and every grant, refresh
    token and connection of it is revoked. Revoking a revoked app does nothing. Gateway processes on ``db`` drop
    their cached view of the app at once (this one) or within ``[identity] revocation_poll_interval`` (the others).

    Raises:
        ValueError: unknown ``client_id``.
    """
    now = datetime.now(UTC)
    async with db.session() as s, s.begin():
        app = await s.get(App, client_id)
        if app is None:
            raise ValueError(f"unknown client_id {client_id!r}")
        if app.disabled_at is None:
            app.disabled_at = now
        events = list(await s.scalars(select(AuthEvent.id).where(AuthEvent.client_id == client_id)))
        await revoke_auth_events(s, events, now)
        await bump_generation(s)  # the app's status changed even without a grant to revoke
    revoked(db)  # at once in this process; the other processes see the bump (gateway.identity.cache)
