"""The console's typed application state (one :class:`ConsoleState` under :data:`CONSOLE`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp_session.cookie_storage import EncryptedCookieStorage

from gateway.settings import Settings
from gateway.store.crypto import SecretBox
from gateway.store.db import Database

if TYPE_CHECKING:
    from gateway.identity.state import IdentityState


@dataclass
class ConsoleState:
    """What the console's views need.

    Attributes:
        identity: the identity server's state (its clock is the console's "now"; its store, throttle).
        box: seals TOTP secrets and source secrets (:class:`gateway.store.crypto.SecretBox`).
        storage: the console's own session cookie (path ``/admin``).
    """

    settings: Settings
    db: Database
    identity: IdentityState
    box: SecretBox
    storage: EncryptedCookieStorage


CONSOLE = web.AppKey("console", ConsoleState)
