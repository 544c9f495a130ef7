"""Fixtures of the QBO adapter tests (the stack itself is built by :mod:`tests.qbo.stack`).

- ``signing_pem``: one RSA key per session for the gateway apps.
- ``emulator``: the QBO emulator seeded with ``shared/contracts/qbo/samples`` on a free 127.0.0.1 port.
- ``qbo``: a gateway app on a fresh data directory, the emulator registered as source 1004, and a partner app
  connected through the full OAuth dance (:class:`tests.qbo.stack.QboStack`).
"""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestServer
from joserfc.jwk import RSAKey

from emulators.qbo import create_app as create_emulator

from .stack import QboStack, connect, emulator_config, gateway_app


@pytest.fixture(scope="session")
def signing_pem() -> bytes:
    return RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True).as_pem(private=True)


@pytest.fixture
async def emulator(aiohttp_server) -> TestServer:
    return await aiohttp_server(create_emulator(emulator_config()), host="127.0.0.1")


@pytest.fixture
async def qbo(aiohttp_client, emulator, tmp_path, signing_pem, xero_spec) -> QboStack:
    gateway = await aiohttp_client(gateway_app(tmp_path / "data", signing_pem))
    return await connect(gateway, str(emulator.make_url("")).rstrip("/"), spec=xero_spec, emulator=emulator)
