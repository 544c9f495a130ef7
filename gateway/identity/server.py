"""Authlib's :class:`~authlib.oauth2.rfc6749.AuthorizationServer` integrated into aiohttp.

One server per source code (each has its own issuer, ``settings.issuer(code)``). The integration is the thin
subclass Authlib's Flask and Django integrations use: requests come in as :class:`~.requests.RequestSnapshot`
(read fully by the view), responses go out as :class:`OAuthResponse` tuples the view renders, and the storage hooks
await :class:`~.store.IdentityStore` through the :class:`~.clock.LoopBridge`. Call the core only from a worker thread
(:func:`run_core`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import OAuth2Request

from adapters.base import LedgerUser, SignInNotSupported
from gateway.xero.errors import XeroApiError

from .grants import (
    AuthorizationCodeGrant,
    ClientCredentialsGrant,
    GatewayOpenIDCode,
    GatewayOpenIDToken,
    RefreshTokenGrant,
    RevocationEndpoint,
    S256CodeChallenge,
)
from .records import GrantUser
from .requests import AiohttpOAuth2Request, RequestSnapshot
from .tokens import GatewayTokenGenerator

if TYPE_CHECKING:
    from gateway.settings import Settings
    from gateway.sources import SourcePool

    from .clock import Clock, LoopBridge
    from .keys import SigningKeys
    from .scopes import ScopeTable
    from .store import IdentityStore

T = TypeVar("T")


class OAuthResponse(NamedTuple):
    """What Authlib answers: status, body (``dict`` for JSON, ``str`` otherwise) and header pairs."""

    status: int
    body: Any
    headers: list[tuple[str, str]]


class GatewayAuthorizationServer(AuthorizationServer):
    """The authorization server of one source code.

    Grants: ``authorization_code`` (+ PKCE S256, + OpenID Connect), ``refresh_token`` (+ id_token),
    ``client_credentials``; endpoint: ``revocation`` (RFC 7009).

    Its collaborators are handed in (the identity state holds the servers, so a server does not refer back to it);
    the grants reach them as attributes (:class:`~.grants.GrantServer`).

    Args:
        code: the source code (``"1000"``).
        settings: the gateway settings (issuer, token lifetimes).
        keys: the signing keys of tokens and id_tokens.
        scopes: the scope table (``scopes_supported``).
        clock: "now" for tokens and authorisation events.
        bridge: runs the async store from Authlib's worker thread.
        store: the identity store (clients, codes, refresh tokens, authorisation events).
        sources: the adapters, to look users up.
        issuer: the issuer of its tokens; default ``settings.issuer(code)`` (host mode: ``https://identity.xero.com``).
    """

    def __init__(self, *, code: str, settings: Settings, keys: SigningKeys, scopes: ScopeTable, clock: Clock,
                 bridge: LoopBridge, store: IdentityStore, sources: SourcePool, issuer: str | None = None) -> None:
        super().__init__(scopes_supported=list(scopes.known))
        self.code = code
        self.keys = keys
        self.clock = clock
        self.store = store
        self.bridge = bridge
        self.sources = sources
        self.issuer = issuer or settings.issuer(code)
        self.id_token_lifetime = settings.identity.id_token_lifetime
        self.register_token_generator("default", GatewayTokenGenerator(
            issuer=self.issuer, keys=keys, clock=clock, lifetime=settings.identity.access_token_lifetime))
        self.register_grant(AuthorizationCodeGrant, [S256CodeChallenge(required=True), GatewayOpenIDCode(self)])
        self.register_grant(RefreshTokenGrant, [GatewayOpenIDToken(self)])
        self.register_grant(ClientCredentialsGrant)
        self.register_endpoint(RevocationEndpoint)

    # Storage hooks (worker thread) -----------------------------------------------------------------------------

    def query_client(self, client_id: str):
        return self.bridge.run(self.store.get_client(client_id, code=self.code))

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        """Persist the refresh token (digest only); access tokens are self-contained JWTs and not stored."""
        refresh = token.get("refresh_token")
        if refresh and request.user is not None:
            self.bridge.run(self.store.save_refresh_token(
                refresh, auth_event_id=request.user.auth_event_id, client_id=request.client.client_id))

    # Framework glue --------------------------------------------------------------------------------------------

    def create_oauth2_request(self, request: RequestSnapshot | OAuth2Request) -> OAuth2Request:
        if isinstance(request, OAuth2Request):
            return request
        return AiohttpOAuth2Request(request)

    def create_json_request(self, request):
        raise NotImplementedError("the gateway has no JSON OAuth endpoint")

    def handle_response(self, status: int, body: Any, headers: list[tuple[str, str]]) -> OAuthResponse:
        return OAuthResponse(status, body, list(headers))

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """Authlib's signals are not used (no token or secret is ever logged)."""

    # Async helpers (event loop) --------------------------------------------------------------------------------

    async def lookup_user(self, *, source_code: str, user_id: str, auth_event_id: str) -> LedgerUser | None:
        """The user of an authorisation event: from the source's adapter for local sign-in sources, from the stored
        upstream consent for upstream sources (:meth:`gateway.upstream.tokens.UpstreamTokens.user_for_event`);
        ``None`` when unknown or the source is unavailable."""
        try:
            adapter = await self.sources.get(source_code)
            if adapter.sign_in == "upstream":
                user = await self.sources.upstream.user_for_event(auth_event_id)
            elif adapter.sign_in == "agent":
                link = self.sources.agent_link
                user = await link.user(source_code, user_id) if link is not None else None
            else:
                user = await adapter.get_ledger_user(user_id)
        except (SignInNotSupported, XeroApiError):
            return None
        return user if user is not None and user.user_id == user_id else None

    async def load_grant_user(self, auth_event_id: str) -> GrantUser | None:
        """The user behind a live authorisation event, freshly read (:meth:`lookup_user`); ``None`` when the event
        is revoked or has no user, or the source no longer knows the user."""
        event = await self.store.get_auth_event(auth_event_id)
        if event is None or event.revoked or event.user_id is None:
            return None
        user = await self.lookup_user(source_code=event.source_code, user_id=event.user_id, auth_event_id=event.id)
        if user is None:
            return None
        auth_time = int((event.auth_time or self.clock.now()).timestamp())
        return GrantUser(user_id=user.user_id, email=user.email, given_name=user.given_name,
                         family_name=user.family_name, auth_event_id=event.id,
                         global_session_id=event.global_session_id or event.id.replace("-", ""),
                         auth_time=auth_time)


async def run_core(func: Callable[[], T]) -> T:
    """Run a call into Authlib's synchronous core in a worker thread (its storage hooks come back to the loop)."""
    return await asyncio.to_thread(func)
