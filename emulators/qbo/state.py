"""The emulator's typed application state (one per app), built from an :class:`EmulatorConfig`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from emulators.common import state

from .clock import Clock
from .config import EmulatorConfig
from .injection import FaultInjector, RequestLog
from .oauth import IntuitAuthorizationServer
from .ratelimit import Throttle
from .seed import SeedReport, default_company, seed_directory
from .store import Store
from .webhooks import IntuitWebhooks


@dataclass
class EmulatorState(state.EmulatorState):
    """Everything one QBO emulator holds: the common parts (:class:`emulators.common.state.EmulatorState`) and these.

    Attributes:
        config: validated settings.
        clock: company-zone clock (adjustable by tests).
        oauth: Intuit's authorization server (``tokens`` is its store).
        throttle: per-realm request limits.
        store: the realms and their entities.
        seed: what ``--seed`` loaded (recorded reports included).
        check_properties: whether request bodies are checked against the XSD.
    """

    config: EmulatorConfig
    clock: Clock
    oauth: IntuitAuthorizationServer
    throttle: Throttle
    store: Store
    seed: SeedReport = field(default_factory=SeedReport)
    check_properties: bool = False
    webhooks: IntuitWebhooks = field(default_factory=IntuitWebhooks)
    extra: dict[str, Any] = field(default_factory=dict)

    def seed_summary(self) -> dict[str, Any]:
        """The default realm and what ``--seed`` loaded."""
        return {"realmId": self.store.default_realm_id, "loaded": dict(self.seed.loaded),
                "skipped": self.seed.skipped, "reports": sorted(self.seed.reports)}


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
    oauth = IntuitAuthorizationServer(config, clock, owner=store.default_realm_id)
    if config.check_properties:
        try:
            from . import xsd

            xsd.load_schema(config.xsd_dir)
        except Exception as error:  # ImportError, OSError, xmlschema's parse errors
            raise RuntimeError(f"check_properties needs xmlschema and Intuit's XSDs ({error}); install the test "
                               "extra or set check_properties = false") from error
    return EmulatorState(config=config, clock=clock, store=store, tokens=oauth.store, oauth=oauth,
                         throttle=Throttle(clock, per_minute=config.requests_per_minute,
                                           batch_per_minute=config.batch_requests_per_minute,
                                           concurrent=config.concurrent_requests),
                         injector=FaultInjector(list(config.faults)),
                         log=RequestLog(size=config.request_log_size), seed=seed,
                         check_properties=config.check_properties)
