"""Fixtures of the contract walk: one stack per source (:mod:`tests.support`), started on first use and kept for
the whole test module, each with one :class:`~tests.contract.walker.Walker` holding the walk's state.

- ``1000``: the native ledger in process on its demo company (:mod:`tests.support.native`).
- ``1001``: the gateway with the real Sage 50 connector serving the stand-in's demo company, paired through the
  consent page (:mod:`tests.support.sage50`).
- ``1004``: the gateway in front of the QBO emulator seeded with the recorded samples (:mod:`tests.support.qbo`).
- ``1009``: the gateway in front of the Sage emulator, lead business (:mod:`tests.support.sage`).
- ``1010``: the gateway in front of a second gateway instance whose native ledger's Partner Bookkeeping API acts as
  the remote ledger, consented through ``gateway.upstream`` (:mod:`tests.support.partner`).

Every stack is built through the public path (gateway app, identity, source pool, registered upstream source), so
it does not depend on how adapters are constructed. The tests name their source with a ``source`` parameter; the
``walker`` fixture hands them that source's walker. Stacks run on the module's event loop and close at its end.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
import pytest_asyncio
from joserfc.jwk import RSAKey

from adapters.registry import adapter_class
from emulators.qbo import create_app as create_qbo_emulator
from emulators.sage_accounting import create_app as create_sage_emulator
from gateway.api.operations import load_operations
from tests.support import native, partner, qbo, sage, sage50
from tests.support.stack import Stack
from tests.xero_spec import load_xero_spec

from .requirements import requirements_of
from .walker import Walker

#: The calling app's name on the native stack (its envelopes' ``ProviderName``).
APP_NAME = "Contract Walk"

StackFactory = Callable[[Path, bytes], Awaitable[Stack]]


#: What a partner app asks an upstream source for: sign-in and offline access, and every accounting scope.
UPSTREAM_SCOPES = " ".join(["openid", "profile", "email", "offline_access", *native.accounting_scopes()])


async def _native(data_dir: Path, pem: bytes) -> Stack:
    return await native.start(data_dir=data_dir, app_name=APP_NAME)


async def _qbo(data_dir: Path, pem: bytes) -> Stack:
    stack = await qbo.start(data_dir=data_dir, pem=pem, emulator_app=create_qbo_emulator(qbo.emulator_config()),
                            scope=UPSTREAM_SCOPES)
    await qbo.seed_chart(stack)  # the recorded sample company has no income, expense or bank account
    return stack


async def _sage(data_dir: Path, pem: bytes) -> Stack:
    return await sage.start(data_dir=data_dir, pem=pem, emulator_app=create_sage_emulator(sage.emulator_config()),
                            scope=UPSTREAM_SCOPES)


async def _partner(data_dir: Path, pem: bytes) -> Stack:
    return await partner.start(data_dir=data_dir, pem=pem, scope=UPSTREAM_SCOPES)


async def _sage50(data_dir: Path, pem: bytes) -> Stack:
    return await sage50.start(data_dir=data_dir, pem=pem, app_name=APP_NAME, scope=UPSTREAM_SCOPES)


#: Source code → how to start its stack. A source registered in ``adapters.registry.ADAPTERS`` without an entry
#: here fails ``test_every_registered_source_has_a_stack``.
STACKS: dict[str, StackFactory] = {"1000": _native, "1001": _sage50, "1004": _qbo, "1009": _sage, "1010": _partner}
_STOPS: dict[str, Callable[..., Awaitable[None]]] = {"1000": native.stop, "1001": sage50.stop, "1004": qbo.stop,
                                                     "1009": sage.stop, "1010": partner.stop}


class Stacks:
    """The module's stacks and walkers, started on first use (a run selecting one source starts one stack)."""

    def __init__(self, tmp: pytest.TempPathFactory) -> None:
        self._tmp = tmp
        self._pem: bytes | None = None
        self.walkers: dict[str, Walker] = {}

    async def walker(self, code: str) -> Walker:
        """The walker of ``code``, its stack started on first use."""
        if code not in self.walkers:
            if self._pem is None:
                self._pem = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"},
                                                private=True).as_pem(private=True)
            stack = await STACKS[code](self._tmp.mktemp(f"contract-{code}"), self._pem)
            implemented = adapter_class(code).supported_operations(load_operations())
            self.walkers[code] = Walker(stack=stack, spec=load_xero_spec(), requirements=requirements_of(code),
                                        implemented=implemented)
            # A stack may seed what its source cannot serve the recipes' lookups (tests.support.partner.walk_seed).
            self.walkers[code].facts.update(getattr(stack, "walk_facts", {}))
            self.walkers[code].own.update(getattr(stack, "walk_own", {}))
        return self.walkers[code]

    async def close(self) -> None:
        for code, walker in self.walkers.items():
            await _STOPS[code](walker.stack)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def stacks(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stacks]:
    pool = Stacks(tmp_path_factory)
    try:
        yield pool
    finally:
        await pool.close()


@pytest_asyncio.fixture(loop_scope="module")
async def walker(stacks: Stacks, source: str) -> Walker:
    """The walk's caller and state for ``source``, shared by every test of the module on that source."""
    return await stacks.walker(source)
