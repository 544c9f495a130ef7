"""Fixtures every emulator's tests share: the emulator app in process (aiohttp's test client) with a pinned app.

Each emulator's package provides ``emulator`` (a :class:`~tests.emulators.support.EmulatorUnderTest`); tests change
the settings by requesting and mutating ``emulator_config``, or replace it with
``pytest.mark.parametrize("emulator_config", […])``.
"""

from __future__ import annotations

import pytest

from tests.emulators.support import EmulatorUnderTest


@pytest.fixture
def emulator_config(emulator: EmulatorUnderTest) -> dict:
    """Settings of the app under test: the test's developer app is the only one accepted."""
    return {"clients": [{"client_id": emulator.client_id, "client_secret": emulator.client_secret}]}


@pytest.fixture
async def client(aiohttp_client, emulator: EmulatorUnderTest, emulator_config):
    return await aiohttp_client(emulator.create_app(emulator_config))
