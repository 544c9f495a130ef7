"""The emulator's typed application state (one per app), built from an :class:`EmulatorConfig`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from emulators.common import state

from . import demo
from .clock import Clock
from .config import EmulatorConfig
from .engine import Engine
from .injection import FaultInjector, RequestLog
from .oauth import SageAuthorizationServer
from .ratelimit import Throttle
from .seed import SeedReport, seed_directory
from .store import IdFactory, Store


@dataclass
class EmulatorState(state.EmulatorState):
    """Everything one Sage emulator holds: the common parts (:class:`emulators.common.state.EmulatorState`) and these.

    Attributes:
        config: validated settings.
        clock: the clock (adjustable by tests).
        oauth: Sage's authorization server (``tokens`` is its store).
        throttle: per-business request limits.
        ids: the id factory.
        store: the user and their businesses.
        engine: the resource operations.
        seed: what ``--seed`` loaded.
    """

    config: EmulatorConfig
    clock: Clock
    oauth: SageAuthorizationServer
    throttle: Throttle
    ids: IdFactory
    store: Store
    engine: Engine
    seed: SeedReport = field(default_factory=SeedReport)

    def seed_summary(self) -> dict[str, Any]:
        """The user, the businesses and what ``--seed`` loaded."""
        return {"user_id": self.store.user["id"],
                "businesses": [{"id": b.id, "name": b.record.get("name")} for b in self.store.businesses.values()],
                "loaded": dict(self.seed.loaded), "skipped": self.seed.skipped}


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
    oauth = SageAuthorizationServer(config, clock, owner=store.user["id"])
    return EmulatorState(config=config, clock=clock, ids=ids, store=store, engine=engine, tokens=oauth.store,
                         oauth=oauth,
                         throttle=Throttle(clock, per_minute=config.requests_per_minute,
                                           per_day=config.requests_per_day),
                         injector=FaultInjector(list(config.faults)), log=RequestLog(size=config.request_log_size),
                         seed=report)
