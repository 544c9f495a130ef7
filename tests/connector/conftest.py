"""Fixtures: the stand-in's demo company (built once, copied per test), a fake gateway, an agent wired to both."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

try:
    import sage50_connector  # noqa: F401 - installed (make) or on PYTHONPATH
except ImportError:  # a checkout without `pip install -e ./connector`
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "connector"))

from sage50_connector.agent import Agent  # noqa: E402
from sage50_connector.config import CompanySettings, SageSettings, Settings  # noqa: E402
from sage50_connector.gateway import GatewayClient  # noqa: E402
from sage50_connector.state import StateStore  # noqa: E402

from emulators.sage50 import control, demo  # noqa: E402
from tests.connector.fakegateway import FakeGateway  # noqa: E402

SDO = "python:emulators.sage50.sdo:SDOEngine"
PASSWORD = "connector"  # the stand-in's reserved CONNECTOR user (emulators/sage50/control.py)


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("connector-demo") / "ACCDATA"
    demo.build(path)
    with sqlite3.connect(path / "sage50.db") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def data_path(demo_master: Path, tmp_path: Path) -> Path:
    """A private copy of the demo company (its ACCDATA folder), default users, no faults."""
    path = tmp_path / "ACCDATA"
    path.mkdir()
    shutil.copy(demo_master / "sage50.db", path / "sage50.db")
    control.initialise(path)
    return path


@pytest.fixture
def settings(data_path: Path, tmp_path: Path) -> Settings:
    return Settings(
        state_dir=tmp_path / "state", token_store="file", poll_interval=30, page_size=50,
        sage=SageSettings(user="CONNECTOR", password=PASSWORD, sdo_engine=SDO),
        companies=[CompanySettings(data_path=str(data_path), sqlite=str(data_path / "sage50.db"))])


@pytest.fixture
async def gateway(aiohttp_server) -> AsyncIterator[tuple[FakeGateway, str]]:
    fake = FakeGateway()
    server = await aiohttp_server(fake.app(), host="127.0.0.1")
    yield fake, str(server.make_url("")).rstrip("/")


def enrol(fake: FakeGateway) -> str:
    """A token the fake gateway accepts (as if paired)."""
    import hashlib
    import uuid

    token = f"test-token-{uuid.uuid4().hex}"
    fake.agents[str(uuid.uuid4())] = hashlib.sha256(token.encode()).hexdigest()
    return token


@pytest.fixture
async def make_agent(gateway, settings: Settings) -> AsyncIterator[Callable[..., Agent]]:
    """Builds started agents over the same state folder (a second one = the agent after a restart)."""
    fake, url = gateway
    token = enrol(fake)
    made: list[tuple[Agent, GatewayClient, StateStore]] = []

    async def build(**overrides) -> Agent:
        chosen = settings.model_copy(update=overrides)
        client = GatewayClient(url, token=token)
        state = StateStore(chosen.state_dir / "state.sqlite")
        agent = Agent(chosen, client=client, state=state)
        await agent.start()
        made.append((agent, client, state))
        return agent

    yield build
    for agent, client, state in made:
        await agent.close()
        await client.close()
        state.close()
