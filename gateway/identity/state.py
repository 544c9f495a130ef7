"""Process-wide state of the identity server, created at start-up (``cleanup_ctx``) and kept under
:data:`gateway.appkeys.IDENTITY`.

Its clock and the bridge from Authlib's worker threads to the event loop live in :mod:`.clock`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp_session.cookie_storage import EncryptedCookieStorage

from gateway.settings import Settings
from gateway.sources import SourcePool
from gateway.store.db import Database

from .clock import Clock, LoopBridge
from .keys import SigningKeys
from .scopes import ScopeTable
from .throttle import SignInThrottle

if TYPE_CHECKING:
    from .server import GatewayAuthorizationServer
    from .store import IdentityStore

#: Request key under which host mode (gateway/hostmode) puts the issuer the client addressed
#: (``https://identity.xero.com``); absent on the ``/{code}`` routes, whose issuer is ``settings.issuer(code)``.
HOST_ISSUER: web.RequestKey[str] = web.RequestKey("host_issuer", str)


def request_issuer(request: web.Request, settings: Settings, code: str) -> str:
    """The issuer (tokens' ``iss``) a request speaks to: host mode's, else ``settings.issuer(code)``."""
    return request.get(HOST_ISSUER) or settings.issuer(code)

@dataclass
class IdentityState:
    """Everything the identity views, the guard and the grants share.

    Attributes:
        servers: one Authlib authorization server per source code (each has its own issuer).
    """

    settings: Settings
    db: Database
    sources: SourcePool
    keys: SigningKeys
    scopes: ScopeTable
    clock: Clock
    bridge: LoopBridge
    store: IdentityStore
    session_storage: EncryptedCookieStorage
    servers: dict[str, GatewayAuthorizationServer] = field(default_factory=dict)
    #: failed sign-ins per e-mail address and client address (gateway.identity.throttle)
    sign_in_throttle: SignInThrottle | None = None
    #: failed client authentications at the token endpoint per client_id and client address
    client_throttle: SignInThrottle | None = None
    #: host mode's servers by (issuer, code), created on first use (:meth:`server`)
    host_servers: dict[tuple[str, str], GatewayAuthorizationServer] = field(default_factory=dict)

    def server(self, code: str, *, issuer: str | None = None) -> GatewayAuthorizationServer:
        """The authorization server of ``code``; with ``issuer`` (host mode), one that issues tokens under it."""
        if issuer is None:
            return self.servers[code]
        found = self.host_servers.get((issuer, code))
        if found is None:
            from .server import GatewayAuthorizationServer

            found = self.host_servers[(issuer, code)] = GatewayAuthorizationServer(
                code=code, settings=self.settings, keys=self.keys, scopes=self.scopes, clock=self.clock,
                bridge=self.bridge, store=self.store, sources=self.sources, issuer=issuer)
        return found

