"""The emulator's typed application state (one per app), built from an :class:`EmulatorConfig`."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from . import demo
from .clock import Clock
from .config import EmulatorConfig
from .engine import Engine
from .injection import FaultInjector, RequestLog
from .oauth import SageAuthorizationServer, TokenStore
from .ratelimit import Throttle
from .seed import SeedReport, seed_directory
from .store import IdFactory, Store


@dataclass
class EmulatorState:
    """Everything one emulator holds.

    Attributes:
        config: validated settings.
        clock: the clock (adjustable by tests).
        ids: the id factory.
        store: the user and their businesses.
        engine: the resource operations.
        tokens: OAuth clients, codes and tokens.
        oauth: Authlib's authorization server over ``tokens``.
        throttle: per-business request limits.
        injector: fault-injection rules.
        log: the request log and per-path counters.
        seed: what ``--seed`` loaded.
    """

    config: EmulatorConfig
    clock: Clock
    ids: IdFactory
    store: Store
    engine: Engine
    tokens: TokenStore
    oauth: SageAuthorizationServer
    throttle: Throttle
    injector: FaultInjector
    log: RequestLog
    seed: SeedReport = field(default_factory=SeedReport)


STATE = web.AppKey("sage_emulator_state", EmulatorState)


def build_state(config: EmulatorConfig) -> EmulatorState:
    """Create the state: the demo user and businesses, the seed or demo data, the OAuth server, the limits.

    Raises:
        FileNotFoundError: ``config.seed_dir`` does not exist.
        RuntimeError: ``validate_requests`` is on but the spec files cannot be read.
    """
    clock = Clock(config.timezone)
    ids = IdFactory()
    engine = Engine(clock, ids)
    store = demo.build(clock, ids, engine, documents=config.demo_data and not config.seed_dir)
    report = SeedReport()
    if config.seed_dir:
        report = seed_directory(config.seed_dir, store, clock=clock, ids=ids, engine=engine)
    if config.validate_requests:
        from . import spec

        try:
            spec.load(config.spec_dir)
        except (OSError, ValueError) as error:
            raise RuntimeError(f"validate_requests needs Sage's swagger files ({error}); set spec_dir or "
                               "validate_requests = false") from error
    tokens = TokenStore(config, clock, store.user["id"])
    return EmulatorState(config=config, clock=clock, ids=ids, store=store, engine=engine, tokens=tokens,
                         oauth=SageAuthorizationServer(tokens),
                         throttle=Throttle(clock, per_minute=config.requests_per_minute,
                                           per_day=config.requests_per_day),
                         injector=FaultInjector(list(config.faults)), log=RequestLog(size=config.request_log_size),
                         seed=report)
