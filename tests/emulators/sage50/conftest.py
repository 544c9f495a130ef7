"""Fixtures: the demo company built once per session, and a fresh copy of it (or a connected SDO) per test."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulators.sage50 import control, demo
from emulators.sage50.company import Company
from emulators.sage50.sdo import SDOEngine, WorkSpace


class Clock:
    """A settable clock for RECORD_* stamps: ``clock.now`` is returned; ``advance(seconds)`` moves it."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: int) -> dt.datetime:
        self.now += dt.timedelta(seconds=seconds)
        return self.now


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo company, built once (its WAL checkpointed so that the .db file alone is complete)."""
    path = tmp_path_factory.mktemp("sage50-demo") / "ACCDATA"
    demo.build(path)
    with sqlite3.connect(path / "sage50.db") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def data_path(demo_master: Path, tmp_path: Path) -> Path:
    """A private copy of the demo company (data folder), with the default users and no faults."""
    path = tmp_path / "ACCDATA"
    path.mkdir()
    shutil.copy(demo_master / "sage50.db", path / "sage50.db")
    control.initialise(path)
    return path


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2030, 1, 5, 9, 0, 0))  # after the demo's real-time stamps


@pytest.fixture
def ws(data_path: Path, clock: Clock) -> Iterator[WorkSpace]:
    """A workspace connected as CONNECTOR, as the connector's write code connects."""
    workspace = SDOEngine(clock=clock).Workspaces.Add("test")
    workspace.Connect(str(data_path), "CONNECTOR", "connector", "SageConn_test")
    yield workspace
    workspace.Disconnect()


@pytest.fixture
def company(data_path: Path) -> Iterator[Company]:
    """A reader of the same file (what the connector's ODBC side sees)."""
    with Company(data_path) as opened:
        yield opened
