"""The emulator's typed application state (one per app), built from an :class:`EmulatorConfig`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .clock import Clock
from .config import EmulatorConfig
from .injection import FaultInjector, RequestLog
from .oauth import IntuitAuthorizationServer, TokenStore
from .ratelimit import Throttle
from .seed import SeedReport, default_company, seed_directory
from .store import Store


@dataclass
class EmulatorState:
    """Everything one emulator holds.

    Attributes:
        config: validated settings.
        clock: company-zone clock (adjustable by tests).
        store: the realms and their entities.
        tokens: OAuth clients, codes, grants and tokens.
        oauth: Authlib's authorization server over ``tokens``.
        throttle: per-realm request limits.
        injector: fault-injection rules.
        log: the request log and per-path counters.
        seed: what ``--seed`` loaded (recorded reports included).
        check_properties: whether request bodies are checked against the XSD.
    """

    config: EmulatorConfig
    clock: Clock
    store: Store
    tokens: TokenStore
    oauth: IntuitAuthorizationServer
    throttle: Throttle
    injector: FaultInjector
    log: RequestLog
    seed: SeedReport = field(default_factory=SeedReport)
    check_properties: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


STATE = web.AppKey("qbo_emulator_state", EmulatorState)


def build_state(config: EmulatorConfig) -> EmulatorState:
    """Create the state: realms, seed data, default CompanyInfo/Preferences, OAuth server, throttles.

    Raises:
        FileNotFoundError: ``config.seed_dir`` does not exist.
        RuntimeError: ``check_properties`` is on but ``xmlschema`` or the XSD folder is missing.
    """
    clock = Clock(config.timezone)
    store = Store(config.all_realms())
    seed = seed_directory(config.seed_dir, store.default) if config.seed_dir else SeedReport()
    for realm in store.realms.values():
        default_company(realm, stamp=clock.stamp())
    tokens = TokenStore(config, clock)
    if config.check_properties:
        try:
            from . import xsd

            xsd.load_schema(config.xsd_dir)
        except Exception as error:  # ImportError, OSError, xmlschema's parse errors
            raise RuntimeError(f"check_properties needs xmlschema and Intuit's XSDs ({error}); install the test "
                               "extra or set check_properties = false") from error
    return EmulatorState(config=config, clock=clock, store=store, tokens=tokens,
                         oauth=IntuitAuthorizationServer(tokens),
                         throttle=Throttle(clock, per_minute=config.requests_per_minute,
                                           batch_per_minute=config.batch_requests_per_minute,
                                           concurrent=config.concurrent_requests),
                         injector=FaultInjector(list(config.faults)),
                         log=RequestLog(size=config.request_log_size), seed=seed,
                         check_properties=config.check_properties)
