"""Smoke test of ``make bench``: ``python -m bench.request_path --quick`` prints every scenario's row and exits 0.

It never asserts a timing (the quick run's figures mean nothing); it checks that each scenario ran end to end
through the public command lines: the table has one measured row per scenario, none FAILED.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# About a minute of process start-ups: run by `make fuzz` (BENCH_SMOKE=1) with the other long runs, outside the
# suite's 20-minute budget.
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.environ.get("BENCH_SMOKE") != "1", reason="the bench smoke runs in `make fuzz`")]

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 900  # seconds; the quick run takes one to two minutes, mostly process start-ups

#: The start of each scenario's row (issue 10's table), in the order the run prints them.
ROWS = (
    "GET /1004/…/Invoices?page=1 (",
    "same, c=10 throughput",
    "same, CPU per call at c=1 (process time)",
    "GET /1000/…/Organisation (",
    "GET /1000/…/Invoices?page=1 (",
    "GET /1000/…/Organisation, c=10 throughput, answer cache off",
    "GET /1000/…/Invoices?page=1, c=10 throughput, answer cache off",
    "50 concurrent clients",
    "database statements per call: GET Organisation",
    "database statements per call: GET Invoices?page=1",
    "database statements per call: PUT Invoices",
    "2 gateway processes vs 1 on one SQLite database",
    "concurrent PUT /Invoices (one invoice each) on 2 processes, SQLite",
    "soak: 40 GET Organisation",
    "ProfitAndLoss (12 months), ledger of",
    "BalanceSheet (as at today), ledger of",
)
#: Measured, or (without PostgreSQL's server binaries) a row saying why not.
POSTGRES_ROWS = ("2 gateway processes vs 1 on one PostgreSQL database",
                 "concurrent PUT /Invoices (one invoice each) on 2 processes, PostgreSQL")
POSTGRES_SKIPPED = "2 processes vs 1 / concurrent PUT (PostgreSQL) | not measured"


def test_quick_run_prints_every_row(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))}
    done = subprocess.run([sys.executable, "-m", "bench.request_path", "--quick", "--soak", "40",
                           "--work", str(tmp_path / "run")], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=TIMEOUT, check=False)
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-5000:]
    table = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    assert table[0].startswith("| scenario | gateway | baseline |"), done.stdout
    rows = table[1:]
    for start in ROWS:
        assert any(row.startswith(f"| {start}") for row in rows), f"no row {start!r} in:\n" + "\n".join(rows)
    if not any(POSTGRES_SKIPPED in row for row in rows):
        for start in POSTGRES_ROWS:
            assert any(row.startswith(f"| {start}") for row in rows), f"no row {start!r}"
    assert sum(row.startswith("| ProfitAndLoss") for row in rows) == 2, rows  # before and after growing
    assert sum(row.startswith("| BalanceSheet") for row in rows) == 2, rows
    assert not any("FAILED" in row for row in rows), rows
