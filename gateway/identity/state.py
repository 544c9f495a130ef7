"""Process-wide state of the identity server, created at start-up (``cleanup_ctx``) and kept under
:data:`gateway.appkeys.IDENTITY`.

Its clock and the bridge from Authlib's worker threads to the event loop live in :mod:`.clock`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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

