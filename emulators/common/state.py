"""What every emulator's typed application state holds; each emulator subclasses :class:`EmulatorState`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from .clock import Clock
from .config import BaseEmulatorConfig
from .injection import FaultInjector, RequestLog
from .oauth import EmulatorAuthorizationServer, TokenStore


class Throttle(Protocol):
    """An emulator's rate limits, as far as the hooks need them."""

    def reset(self) -> None: ...


@dataclass
class EmulatorState:
    """What every emulator holds; each emulator's state subclasses it with its data and limits.

    Attributes:
        config: validated settings.
        clock: the clock (adjustable by tests).
        tokens: OAuth clients, codes, grants and tokens.
        oauth: Authlib's authorization server over ``tokens``.
        throttle: the request limits.
        injector: fault-injection rules.
        log: the request log and per-path counters.
    """

    config: BaseEmulatorConfig
    clock: Clock
    tokens: TokenStore
    oauth: EmulatorAuthorizationServer
    throttle: Throttle
    injector: FaultInjector
    log: RequestLog

    def seed_summary(self) -> dict[str, Any]:
        """The body of ``GET /_emulator/seed``: what was loaded at start."""
        raise NotImplementedError
