"""Async persistence of the identity server (SQLAlchemy 2 async, tables in :mod:`gateway.store.models`).

Every method opens its own short transaction and returns immutable records (:mod:`gateway.identity.records`), so
that Authlib's hooks (in a worker thread, through :class:`gateway.identity.clock.LoopBridge`) and the aiohttp views
share one code path. Lifetimes come from ``settings.identity`` and "now" from the :class:`~.clock.Clock`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from gateway.settings import Settings
from gateway.store.crypto import secret_hash
from gateway.store.db import Database
from gateway.store.models import App, AuthEvent, AuthorizationCode, Connection, RefreshToken

from .cache import IdentityCache, bump_generation, revoked
from .clock import Clock
from .records import AuthorizationCodeModel, ClientModel, GrantUser, RefreshTokenModel
from .scopes import IDENTITY_SCOPES, ScopeTable


@dataclass(frozen=True)
class AuthEventRecord:
    """One authorisation event (see :class:`gateway.store.models.AuthEvent`)."""

    id: str
    kind: str
    source_code: str
    client_id: str
    user_id: str | None
    scope: str
    global_session_id: str | None
    auth_time: datetime | None
    revoked: bool


@dataclass(frozen=True)
class ConnectionRecord:
    """One live connection, in the fields of Xero's ``Connection`` schema (xero-identity.yaml)."""

    id: str
    auth_event_id: str
    tenant_id: str
    tenant_type: str
    tenant_name: str
    created_at: datetime
    updated_at: datetime


def client_from_row(app: App, scopes: ScopeTable, custom_auth_event_id: str | None = None) -> ClientModel:
    """Build the Authlib client view of an ``identity_apps`` row."""
    configured = tuple(app.scopes) if app.scopes is not None else scopes.known
    allowed = tuple(dict.fromkeys((*configured, *scopes.identity)))
    api_scopes = tuple(s for s in configured if s not in IDENTITY_SCOPES)
    return ClientModel(
        client_id=app.client_id, name=app.name, public=app.public, custom_connection=app.custom_connection,
        source_code=app.source_code, tenant_id=app.tenant_id, redirect_uris=tuple(app.redirect_uris or ()),
        allowed_scopes=allowed, api_scopes=api_scopes, custom_auth_event_id=custom_auth_event_id,
        secret_hash=app.secret_hash)


def app_usable(app: App | None, now: datetime) -> bool:
    """Whether ``app`` may authenticate and its tokens work: it exists, is neither revoked nor deleted, and its
    optional expiry (issue 15) has not passed."""
    return (app is not None and app.disabled_at is None and app.deleted_at is None
            and (app.expires_at is None or app.expires_at > now))


def _event_record(ev: AuthEvent) -> AuthEventRecord:
    return AuthEventRecord(id=ev.id, kind=ev.kind, source_code=ev.source_code, client_id=ev.client_id,
                           user_id=ev.user_id, scope=ev.scope, global_session_id=ev.global_session_id,
                           auth_time=ev.auth_time, revoked=ev.revoked_at is not None)


def _connection_record(c: Connection) -> ConnectionRecord:
    return ConnectionRecord(id=c.id, auth_event_id=c.auth_event_id, tenant_id=c.tenant_id, tenant_type=c.tenant_type,
                            tenant_name=c.tenant_name, created_at=c.created_at, updated_at=c.updated_at)


async def revoke_auth_events(session, event_ids: list[str], now: datetime) -> None:
    """Revoke authorisation events inside an open transaction: the events, their refresh tokens, and the
    connections they authorised (soft delete). Xero: revoking a refresh token "removes all connections" of that
    authorisation (xero-python ``TokenApi.revoke_token`` docstring; xero-contract.md §1.3). Counts a revocation for
    the identity caches (:func:`gateway.identity.cache.bump_generation`); the caller calls
    :func:`gateway.identity.cache.revoked` after the commit."""
    if not event_ids:
        return
    await bump_generation(session)
    await session.execute(update(AuthEvent).where(AuthEvent.id.in_(event_ids), AuthEvent.revoked_at.is_(None))
                          .values(revoked_at=now))
    await session.execute(update(RefreshToken).where(RefreshToken.auth_event_id.in_(event_ids),
                                                     RefreshToken.revoked_at.is_(None)).values(revoked_at=now))
    await session.execute(update(Connection).where(Connection.auth_event_id.in_(event_ids),
                                                   Connection.deleted_at.is_(None)).values(deleted_at=now))


class IdentityStore:
    """Data access of the identity server.

    App status, authorisation events and live connections, read on every API call, go through ``cache``
    (:mod:`gateway.identity.cache`); every revocation here empties it after its commit.

    Args:
        db: the gateway's database.
        clock: source of "now".
        settings: lifetimes (``settings.identity``).
        scopes: the scope table (clients' allowed scopes).
        cache: the process's identity cache; ``None``: a fresh one (sized by ``settings.identity.cache_size``).
    """

    def __init__(self, db: Database, clock: Clock, settings: Settings, scopes: ScopeTable,
                 cache: IdentityCache | None = None) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        self.scopes = scopes
        self.cache = cache or IdentityCache(size=settings.identity.cache_size, timer=clock.time)

    # Clients ---------------------------------------------------------------------------------------------------

    async def get_client(self, client_id: str, *, code: str) -> ClientModel | None:
        """The enabled app ``client_id`` as seen from source ``code``; ``None`` when unknown, disabled, or a custom
        connection bound to another source (its tokens work on its own code only)."""
        async with self.db.session() as s:
            app = await s.get(App, client_id)
            if not app_usable(app, self.clock.now()):
                return None
            if app.custom_connection and app.source_code != code:
                return None
            event_id = None
            if app.custom_connection:
                event_id = await s.scalar(
                    select(AuthEvent.id).where(AuthEvent.client_id == client_id,
                                               AuthEvent.kind == "custom_connection",
                                               AuthEvent.revoked_at.is_(None))
                    .order_by(AuthEvent.created_at.desc()).limit(1))
            return client_from_row(app, self.scopes, event_id)

    async def client_status(self, client_id: str, *, fresh: bool = False) -> tuple[str, bool, str | None] | None:
        """``(name, custom_connection, tenant_id)`` of an enabled app, ``None`` when unknown or disabled (cached;
        ``fresh`` reads the database and refreshes the cache)."""

        async def fetch() -> tuple[str, bool, str | None] | None:
            async with self.db.session() as s:
                app = await s.get(App, client_id)
                if not app_usable(app, self.clock.now()):
                    return None
                return app.name, app.custom_connection, app.tenant_id

        return await self.cache.load(self.cache.apps, client_id, fetch, fresh=fresh)

    # Authorization codes ---------------------------------------------------------------------------------------

    async def create_authorization(self, *, code: str, client: ClientModel, user: GrantUser, scope: str,
                                   redirect_uri: str, code_value: str, nonce: str | None,
                                   code_challenge: str | None, code_challenge_method: str | None) -> None:
        """Record an approved consent: the authorisation event ``user.auth_event_id``, one connection per chosen
        tenant (a re-consent revives and updates the existing row: Xero's ``updatedDateUtc``), and the
        authorization code (as a digest, expiring after ``authorization_code_lifetime``)."""
        now = self.clock.now()
        auth_time = datetime.fromtimestamp(user.auth_time, now.tzinfo)
        async with self.db.session() as s, s.begin():
            s.add(AuthEvent(id=user.auth_event_id, kind="consent", source_code=code, client_id=client.client_id,
                            user_id=user.user_id, scope=scope, global_session_id=user.global_session_id,
                            auth_time=auth_time, created_at=now))
            await s.flush()
            for tenant in user.tenants:
                existing = await s.scalar(
                    select(Connection).where(Connection.source_code == code,
                                             Connection.client_id == client.client_id,
                                             Connection.user_id == user.user_id,
                                             Connection.tenant_id == tenant.tenant_id)
                    .order_by(Connection.updated_at.desc()).limit(1))
                if existing is None:
                    s.add(Connection(id=str(uuid.uuid4()), source_code=code, client_id=client.client_id,
                                     user_id=user.user_id, tenant_id=tenant.tenant_id,
                                     tenant_type=tenant.tenant_type, tenant_name=tenant.name,
                                     auth_event_id=user.auth_event_id, created_at=now, updated_at=now))
                else:
                    existing.deleted_at = None
                    existing.updated_at = now
                    existing.auth_event_id = user.auth_event_id
                    existing.tenant_name = tenant.name
                    existing.tenant_type = tenant.tenant_type
            s.add(AuthorizationCode(
                code_hash=secret_hash(code_value), auth_event_id=user.auth_event_id, client_id=client.client_id,
                source_code=code, user_id=user.user_id, redirect_uri=redirect_uri, scope=scope, nonce=nonce,
                code_challenge=code_challenge, code_challenge_method=code_challenge_method, created_at=now,
                expires_at=now + timedelta(seconds=self.settings.identity.authorization_code_lifetime)))

    async def claim_code(self, code_value: str, *, client_id: str, code: str) -> AuthorizationCodeModel | None:
        """Claim an authorization code for one exchange (RFC 6749 §4.1.2: single use, short-lived).

        The first call marks the code used, whatever the outcome of the exchange; later calls, expired codes, codes
        of another client or source, and codes of a revoked authorisation give ``None`` (→ ``invalid_grant``). A
        later call with a code already used also revokes the authorisation issued from it (RFC 6749 §4.1.2).
        """
        digest = secret_hash(code_value)
        now = self.clock.now()
        replayed_event: str | None = None
        async with self.db.session() as s, s.begin():
            claimed = await s.execute(
                update(AuthorizationCode)
                .where(AuthorizationCode.code_hash == digest, AuthorizationCode.used_at.is_(None),
                       AuthorizationCode.client_id == client_id, AuthorizationCode.source_code == code,
                       AuthorizationCode.expires_at > now)
                .values(used_at=now))
            if claimed.rowcount != 1:
                replayed = await s.get(AuthorizationCode, digest)
                if replayed is not None and replayed.used_at is not None:
                    # RFC 6749 §4.1.2: a code used twice SHOULD revoke the tokens issued from it (RFC 9700
                    # §4.5.3: the code may have leaked); its authorisation goes, and with it its access tokens
                    # (bearer.py checks the authorisation event) and refresh tokens.
                    replayed_event = replayed.auth_event_id
                    await revoke_auth_events(s, [replayed_event], now)
                claimed_code = None
            else:
                row = await s.get(AuthorizationCode, digest)
                event = await s.get(AuthEvent, row.auth_event_id) if row else None
                if row is None or event is None or event.revoked_at is not None:
                    claimed_code = None
                else:
                    auth_time = int((event.auth_time or event.created_at).timestamp())
                    claimed_code = AuthorizationCodeModel(
                        auth_event_id=row.auth_event_id, client_id=row.client_id, user_id=row.user_id,
                        redirect_uri=row.redirect_uri, scope=row.scope, nonce=row.nonce,
                        code_challenge=row.code_challenge, code_challenge_method=row.code_challenge_method,
                        auth_time=auth_time)
        if replayed_event is not None:
            revoked(self.db)
        return claimed_code

    async def nonce_exists(self, client_id: str, nonce: str) -> bool:
        """Whether ``nonce`` was already used by ``client_id`` (OIDC Core §15.5.2 replay protection)."""
        async with self.db.session() as s:
            found = await s.scalar(select(AuthorizationCode.code_hash).where(
                AuthorizationCode.client_id == client_id, AuthorizationCode.nonce == nonce).limit(1))
            return found is not None

    # Authorisation events -------------------------------------------------------------------------------------

    async def get_auth_event(self, event_id: str, *, fresh: bool = False) -> AuthEventRecord | None:
        """The authorisation event ``event_id``, ``None`` when unknown (cached; ``fresh`` reads the database and
        refreshes the cache)."""

        async def fetch() -> AuthEventRecord | None:
            async with self.db.session() as s:
                ev = await s.get(AuthEvent, event_id)
                return _event_record(ev) if ev else None

        return await self.cache.load(self.cache.events, event_id, fetch, fresh=fresh)

    async def revoke_auth_event(self, event_id: str) -> None:
        """Revoke one authorisation: its refresh tokens and its connections (RFC 7009 §2.1: revoking a refresh
        token may revoke the whole grant)."""
        async with self.db.session() as s, s.begin():
            await revoke_auth_events(s, [event_id], self.clock.now())
        revoked(self.db)

    # Refresh tokens --------------------------------------------------------------------------------------------

    async def save_refresh_token(self, token_value: str, *, auth_event_id: str, client_id: str) -> None:
        """Store a new refresh token (digest only), expiring when unused for ``refresh_token_idle_expiry``."""
        now = self.clock.now()
        async with self.db.session() as s, s.begin():
            s.add(RefreshToken(
                token_hash=secret_hash(token_value), auth_event_id=auth_event_id, client_id=client_id,
                created_at=now,
                expires_at=now + timedelta(seconds=self.settings.identity.refresh_token_idle_expiry)))

    async def find_refresh_token(self, token_value: str, *, code: str | None,
                                 for_revocation: bool = False) -> RefreshTokenModel | None:
        """A refresh token that may still be exchanged at source ``code``.

        Usable: not revoked, its authorisation and app live, not idle for ``refresh_token_idle_expiry``, and either
        never rotated or rotated less than ``refresh_token_grace`` ago (Xero: the previous refresh token stays valid
        for 30 minutes; docs: developer.xero.com/faq/oauth2). With ``for_revocation`` any unrevoked token of a live
        authorisation qualifies (RFC 7009 lets the owner revoke what it holds). A rotated token presented after its
        grace revokes its whole authorisation (RFC 9700 §4.14.2) and gives ``None``.
        """
        now = self.clock.now()
        replayed_event: str | None = None
        async with self.db.session() as s:
            tok = await s.get(RefreshToken, secret_hash(token_value))
            if tok is None or tok.revoked_at is not None:
                return None
            event = await s.get(AuthEvent, tok.auth_event_id)
            app = await s.get(App, tok.client_id)
            if event is None or event.revoked_at is not None or not app_usable(app, now):
                return None
            if code is not None and event.source_code != code:
                return None
            if not for_revocation:
                if tok.expires_at <= now:
                    return None
                grace = timedelta(seconds=self.settings.identity.refresh_token_grace)
                if tok.rotated_at is not None and now > tok.rotated_at + grace:
                    replayed_event = tok.auth_event_id
            if replayed_event is None:
                return RefreshTokenModel(token_hash=tok.token_hash, auth_event_id=tok.auth_event_id,
                                         client_id=tok.client_id, scope=event.scope)
        # A rotated token presented after its grace: either the client or a thief holds a copy (RFC 9700
        # §4.14.2, refresh token rotation); which one is unknowable, so the whole chain (every refresh token of the
        # authorisation, and the authorisation itself) is revoked.
        async with self.db.session() as s, s.begin():
            await revoke_auth_events(s, [replayed_event], now)
        revoked(self.db)
        return None

    async def mark_rotated(self, token_hash: str) -> None:
        """Start the grace period of a refresh token that was just exchanged (first exchange only)."""
        async with self.db.session() as s, s.begin():
            await s.execute(update(RefreshToken).where(RefreshToken.token_hash == token_hash,
                                                       RefreshToken.rotated_at.is_(None))
                            .values(rotated_at=self.clock.now()))

    # Connections -----------------------------------------------------------------------------------------------

    def _owner(self, stmt, *, code: str, client_id: str, user_id: str | None):
        stmt = stmt.where(Connection.source_code == code, Connection.client_id == client_id,
                          Connection.deleted_at.is_(None))
        if user_id is None:
            return stmt.where(Connection.user_id.is_(None))
        return stmt.where(Connection.user_id == user_id)

    async def list_connections(self, *, code: str, client_id: str, user_id: str | None) -> list[ConnectionRecord]:
        """Live connections of one app for one user (``user_id`` ``None``: the custom connection's), oldest
        first."""
        async with self.db.session() as s:
            rows = await s.scalars(self._owner(select(Connection), code=code, client_id=client_id, user_id=user_id)
                                   .order_by(Connection.created_at, Connection.id))
            return [_connection_record(c) for c in rows]

    async def has_connection(self, *, code: str, client_id: str, user_id: str | None, tenant_id: str) -> bool:
        """Whether the app reaches ``tenant_id`` for that user right now (checked on every API call; a live
        connection is cached until a revocation)."""

        async def fetch() -> bool | None:
            async with self.db.session() as s:
                found = await s.scalar(self._owner(select(Connection.id), code=code, client_id=client_id,
                                                   user_id=user_id).where(Connection.tenant_id == tenant_id).limit(1))
                return True if found is not None else None

        return bool(await self.cache.load(self.cache.connections, (code, client_id, user_id, tenant_id), fetch))

    async def delete_connection(self, connection_id: str, *, code: str, client_id: str,
                                user_id: str | None) -> bool:
        """Soft-delete one of the caller's live connections; ``False`` when it is not one of them."""
        async with self.db.session() as s, s.begin():
            done = await s.execute(self._owner(update(Connection), code=code, client_id=client_id, user_id=user_id)
                                   .where(Connection.id == connection_id).values(deleted_at=self.clock.now()))
            deleted = done.rowcount == 1
            if deleted:
                await bump_generation(s)
        if deleted:
            revoked(self.db)
        return deleted
