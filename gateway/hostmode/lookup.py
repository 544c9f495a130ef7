"""Which source a host-mode request belongs to, when its path carries no source code.

Host mode serves every source at Xero's own paths, so the source is read from what the request holds (issue 12):

- a token request, from its grant: the authorization code's source, the refresh token's authorisation, or the
  custom connection the client is bound to;
- a bearer request (``/connections``, userinfo), from the token's authorisation event;
- an Accounting API call, from its ``xero-tenant-id``: the source of the tenant's connections (a tenant belongs to
  one source for good, so a found answer is cached in the process for the life of the process, in a bounded LRU).

Whatever cannot be placed goes to the native ledger (``1000``, always served), whose endpoints then give the
ordinary answer for an unknown grant or token (``invalid_grant``, 401, 403). Nothing here authorises anything:
the views called next check the grant or the token in full.
"""

from __future__ import annotations

from typing import Any

from cachetools import LRUCache
from sqlalchemy import select

from gateway.identity.state import IdentityState
from gateway.identity.store import AuthEventRecord
from gateway.identity.tokens import InvalidAccessToken, verify_access_token
from gateway.store.crypto import secret_hash
from gateway.store.models import App, AuthEvent, AuthorizationCode, Connection, RefreshToken
from gateway.xero.guids import normalise_guid

#: The source of requests that name no grant, tenant or token the gateway knows.
DEFAULT_CODE = "1000"


class SourceLookup:
    """Source codes of grants, tokens and tenants, read from the identity tables.

    Args:
        state: the identity state (database, keys, clock, the cached authorisation events).
        cache_size: tenants remembered (``[identity] cache_size``).
    """

    def __init__(self, state: IdentityState, *, cache_size: int) -> None:
        self._state = state
        self._tenants: LRUCache[str, str] = LRUCache(maxsize=cache_size)

    async def of_authorization_code(self, value: str) -> str:
        """The source an authorization code was issued for."""
        async with self._state.db.session() as s:
            found = await s.scalar(select(AuthorizationCode.source_code)
                                   .where(AuthorizationCode.code_hash == secret_hash(value)))
        return found or DEFAULT_CODE

    async def of_refresh_token(self, value: str) -> str:
        """The source of the authorisation a refresh token belongs to."""
        async with self._state.db.session() as s:
            found = await s.scalar(select(AuthEvent.source_code).join(
                RefreshToken, RefreshToken.auth_event_id == AuthEvent.id)
                .where(RefreshToken.token_hash == secret_hash(value)))
        return found or DEFAULT_CODE

    async def of_client(self, client_id: str) -> str:
        """The source a custom connection is bound to (other apps are not bound to one)."""
        async with self._state.db.session() as s:
            app = await s.get(App, client_id) if client_id else None
        return app.source_code if app is not None and app.custom_connection and app.source_code else DEFAULT_CODE

    async def token_event(self, value: str | None, *, issuer: str) -> tuple[dict[str, Any], AuthEventRecord] | None:
        """The claims and live authorisation of a host-mode access token (signature, issuer and expiry checked);
        ``None`` for anything else (the view called next answers 401, ``TokenExpired`` included)."""
        state = self._state
        if not value:
            return None
        try:
            claims = verify_access_token(value, keys=state.keys, issuer=issuer, now=state.clock.time())
        except InvalidAccessToken:
            return None
        event = await state.store.get_auth_event(str(claims["authentication_event_id"]))
        if event is None or event.revoked or event.client_id != claims.get("client_id"):
            return None
        return claims, event

    async def of_access_token(self, value: str | None, *, issuer: str) -> str:
        """The source of a host-mode access token's authorisation."""
        found = await self.token_event(value, issuer=issuer)
        return found[1].source_code if found is not None else DEFAULT_CODE

    async def of_tenant(self, tenant_id: str) -> str | None:
        """The source serving ``tenant_id`` (any GUID spelling); ``None`` when no app was ever connected to it."""
        tenant = normalise_guid(tenant_id)
        if tenant is None:
            return None
        found = self._tenants.get(tenant)
        if found is not None:
            return found
        async with self._state.db.session() as s:
            found = await s.scalar(select(Connection.source_code).where(Connection.tenant_id == tenant).limit(1))
            if found is None:
                found = await s.scalar(select(App.source_code).where(App.custom_connection.is_(True),
                                                                     App.tenant_id == tenant).limit(1))
        if found is not None:
            self._tenants[tenant] = found
        return found
