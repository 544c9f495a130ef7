"""The adapter contract is self-contained (issue 8): the gateway implements the Protocols of ``adapters/base.py``,
never imports a concrete adapter, and the upstream floor imports nothing of the gateway but its leaves."""

from __future__ import annotations

import grimp

from adapters.base import CredentialsProvider, DatabaseHandle
from adapters.registry import ADAPTERS, gateway_sign_in_codes, signs_in_upstream
from gateway.store.db import Database
from gateway.upstream.tokens import UpstreamTokens

CONCRETE = ("adapters.native", "adapters.qbo", "adapters.sage_accounting")
#: What an adapter may import of the gateway: its leaves.
LEAVES = ("gateway.xero", "gateway.settings")


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("adapters", "gateway", include_external_packages=False, cache_dir=None)


async def test_the_gateway_implements_the_contracts_protocols():
    assert issubclass(UpstreamTokens, CredentialsProvider)
    db = Database("sqlite+aiosqlite://")
    try:
        assert isinstance(db, DatabaseHandle)
    finally:
        await db.dispose()


def test_no_gateway_module_imports_a_concrete_adapter_and_the_floor_imports_only_gateway_leaves():
    graph = _graph()
    down = sorted((m, i) for m in graph.modules if m.startswith("gateway")
                  for i in graph.find_modules_directly_imported_by(m) if i.startswith(CONCRETE))
    assert down == []
    floor = ("adapters.base", "adapters.registry", "adapters.common", "adapters.qbo")
    up = sorted((m, i) for m in graph.modules if m.startswith(floor)
                for i in graph.find_modules_directly_imported_by(m)
                if i.startswith("gateway") and not i.startswith(LEAVES))
    assert up == []


def test_the_qbo_adapter_has_no_import_circle():
    graph = _graph()
    modules = sorted(m for m in graph.modules if m.startswith("adapters.qbo."))
    circles = [(a, b) for a in modules for b in modules
               if a < b and graph.chain_exists(a, b) and graph.chain_exists(b, a)]
    assert circles == []


def test_local_or_upstream_sign_in_is_read_from_the_adapter_class():
    assert gateway_sign_in_codes() == frozenset({"1000", "1001"})  # password (native) and pairing (Sage 50)
    assert {code for code in ADAPTERS if signs_in_upstream(code)} == {"1004", "1009", "1010"}
