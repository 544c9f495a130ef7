"""The native adapter on a fixed ticking clock, for driving it through the real app (registered as ``1000``)."""

from __future__ import annotations

from adapters.native.adapter import NativeLedgerAdapter
from gateway.settings import Settings
from tests.adapters.native.core.conftest import TEST_START, TickClock


class ClockedNativeAdapter(NativeLedgerAdapter):
    """:class:`NativeLedgerAdapter` whose clock starts at ``TEST_START`` (so "today" is 18 March 2026)."""

    def __init__(self, *, code: str, settings: Settings) -> None:
        super().__init__(code=code, settings=settings, clock=TickClock(TEST_START))
