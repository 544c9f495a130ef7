"""The request-path benchmark of issue 10: the gateway beside baselines measured in the same run, as a table.

Usage (from the repository root)::

    .venv/bin/python -m bench.request_path [--quick] [--database-url postgresql+asyncpg://…] [--soak N]
                                           [--grow-budget SECONDS] [--work DIR] [--qbo-only | --native-only]

``make bench`` runs the full run: about ten minutes, of which at most ``--grow-budget`` seconds (300 by default)
grow the native ledger; where the machine is too busy to reach 20,000 invoices within it, the last ProfitAndLoss
row says the size reached (pass a larger budget). ``--quick`` is the smoke test's short run with tiny counts (its
figures mean nothing).

Every process is started through the public command lines on 127.0.0.1: ``python -m gateway serve`` (with
``XERO_GATEWAY_COUNT_STATEMENTS=1``, the opt-in statement counter of gateway/store/db.py), ``python -m gateway
emulate qbo --seed``, ``apps create``, ``sources set 1004``, ``tenants``, and the baselines of
:mod:`bench.baselines`. Nothing of tests/ or of the adapters is imported.

Rows (each pair interleaved A B A B …; a figure is the median of the rounds with [min–max]):

1. ``GET /1004/…/Invoices?page=1`` (QBO emulator with the samples + 150 invoices, warm cache), c=1 p50, beside the
   emulator answering the same upstream query (taken from its request log) directly;
2. the same at c=10, requests/s, beside a minimal aiohttp proxy in front of the emulator; then the CPU time per
   call (process time, which a busy machine does not inflate as it does wall time) of the gateway process and of
   the emulator answering the same query directly;
3. ``GET /1000/…/Organisation`` c=10 beside an aiohttp handler returning the gateway's bytes;
4. ``GET /1000/…/Invoices?page=1`` c=10 beside the same bytes from a static handler; then 3–4 on a second
   gateway with the answer cache off (``[answer_cache] enabled = false``) beside the first: the cold cost;
5. 50 concurrent clients on ``/1000/…/Invoices?page=N`` for a bounded time: p50, p99, errors;
6. database statements per call (Organisation, Invoices page, PUT of one invoice), per database;
7. 2 gateway processes vs 1 on one SQLite database, c=10 reads, and 8. c=10 one-invoice ``PUT /Invoices`` on the
   two vs on one (write throughput, interleaved) with each side's HTTP 500s; 7–8 again on PostgreSQL with
   ``--database-url`` (a database the run may fill; both the gateway's state and the native ledger go there) or
   a throwaway cluster when Debian's server binaries are installed;
9. ProfitAndLoss over the last 12 months and BalanceSheet as at today as the ledger grows: the demo company
   (measured first, before the run writes anything) → 2,000 → 20,000 invoices, written through ``PUT /Invoices``
   in batches of 100;
10. with ``--soak N``: the gateway's RSS over N Organisation calls after the first 5,000.

Rate limits are raised (``[rate_limits]`` in the run's config file) so that they are checked on every call as in
production but never refuse one; the QBO emulator's windows are reset before every round through its
``POST /_emulator/throttle/reset`` hook (Intuit's 500 a minute would otherwise throttle the baselines).

Exit status: 0 when every row was measured, 1 when a scenario failed (its row says why).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import auth, pg, scenarios
from .procs import Processes, free_port
from .qbo_seed import write_seed
from .report import Table
from .settings import write_config


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench.request_path", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run with tiny counts (the smoke test)")
    parser.add_argument("--database-url", help="PostgreSQL (postgresql+asyncpg://…) for the shared-database rows")
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL rows")
    parser.add_argument("--soak", type=int, metavar="N", help="add an N-request RSS soak (issue: 100000)")
    parser.add_argument("--grow-budget", type=float, metavar="SECONDS",
                        help="seconds to spend growing the ledger (default: 300 full, 30 quick)")
    parser.add_argument("--qbo-only", action="store_true",
                        help="run only rows 1–2 (the QBO Invoices page beside the emulator and the minimal proxy)")
    parser.add_argument("--native-only", action="store_true",
                        help="run only rows 3–8 (the native reads beside static bytes, 50 clients, statements per "
                             "call, 2 processes; PostgreSQL unless --no-postgres)")
    parser.add_argument("--work", type=Path, help="keep the run's data and logs in DIR (default: a temporary "
                                                  "directory, deleted)")
    return parser.parse_args(argv)


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1/5/15 min; {os.cpu_count()} CPUs)"


async def main_async(args: argparse.Namespace, work: Path) -> Table:
    sizes = scenarios.QUICK if args.quick else scenarios.FULL
    budget = args.grow_budget if args.grow_budget is not None else (30.0 if args.quick else 300.0)
    table = Table()
    config = write_config(work / "bench.toml")
    with Processes(work) as procs:
        print("starting the QBO emulator and the gateway …", flush=True)
        emulator = await procs.emulator("emulator", seed=write_seed(work / "qbo-seed", invoices=sizes.qbo_invoices))
        data = work / "gateway"
        web_app = auth.register_qbo(emulator, data_dir=data)
        base, pid = await procs.gateway("gateway", data_dir=data, config=config)
        native = await auth.custom_connection(base, data_dir=data, config=config)
        qbo = await auth.qbo_connection(base, web_app)
        run = scenarios.Run(procs=procs, sizes=sizes, table=table, work=work, base=base, pid=pid, native=native)
        if args.qbo_only:
            await scenarios.guarded(table, "QBO Invoices page rows",
                                    scenarios.qbo_rows(run, qbo=qbo, emulator=emulator))
            return table
        # The demo company's size, before the run writes any invoice; its row is printed with the growth rows.
        first_reports = None if args.native_only else await scenarios.report_rows(run)

        if not args.native_only:
            await scenarios.guarded(table, "QBO Invoices page rows",
                                    scenarios.qbo_rows(run, qbo=qbo, emulator=emulator))
        await scenarios.guarded(table, "static-bytes rows", scenarios.native_static_rows(run))
        cold_config = write_config(work / "bench-cold.toml", public_url=base, answer_cache=False)
        await scenarios.guarded(table, "answer cache off", scenarios.cold_rows(run, config=cold_config))
        await scenarios.guarded(table, "50 clients", scenarios.crowd_row(run))
        await scenarios.guarded(table, "statements per call", scenarios.statement_rows(run))
        # The second process must issue and accept the first one's tokens: same issuer (public_url).
        second_config = write_config(work / "bench-2.toml", public_url=base)
        await scenarios.guarded(table, "2 processes (SQLite)",
                                scenarios.two_process_rows(run, label="SQLite", data_dir=data, config=second_config,
                                                           first=(base, native)))
        await postgres_rows(args, run)
        if args.native_only:
            return table
        if args.soak:
            await scenarios.guarded(table, f"soak {args.soak}", scenarios.soak_row(run, args.soak))
        await scenarios.guarded(table, "ProfitAndLoss and BalanceSheet",
                                scenarios.ledger_rows(run, budget=budget, first=first_reports))
    return table


async def postgres_rows(args: argparse.Namespace, run: scenarios.Run) -> None:
    """Rows 7–8 on PostgreSQL: ``--database-url``, else a throwaway cluster, else a row saying why not."""
    if args.no_postgres:
        return

    async def measure(state_url: str, ledger_url: str) -> None:
        port = free_port()
        config = write_config(run.work / "bench-pg.toml", public_url=f"http://127.0.0.1:{port}", state_url=state_url,
                              ledger_url=ledger_url)
        data = run.work / "gateway-pg"
        base, pid = await run.procs.gateway("gateway-pg-1", data_dir=data, config=config, port=port)
        try:
            native = await auth.custom_connection(base, data_dir=data, config=config)
            await scenarios.two_process_rows(run, label="PostgreSQL", data_dir=data, config=config,
                                             first=(base, native))
        finally:
            run.procs.stop(pid)

    if args.database_url:
        await scenarios.guarded(run.table, "2 processes (PostgreSQL)", measure(args.database_url, args.database_url))
        return
    reason = pg.unavailable()
    if reason is not None:
        run.table.add(scenarios.Row("2 processes vs 1 / concurrent PUT (PostgreSQL)", "not measured",
                                    notes=f"{reason}; pass --database-url"))
        return
    print("starting a throwaway PostgreSQL cluster …", flush=True)
    try:
        with pg.cluster(("bench_state", "bench_ledger")) as urls:
            await scenarios.guarded(run.table, "2 processes (PostgreSQL)",
                                    measure(urls["bench_state"], urls["bench_ledger"]))
    except RuntimeError as error:
        run.table.fail("PostgreSQL cluster", error)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    header = (f"bench.request_path {'--quick' if args.quick else 'full run'} — {time.strftime('%Y-%m-%d %H:%M:%S %Z')}"
              f", Python {platform.python_version()}, load average at start {load_average()}")
    print(header, flush=True)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-request-path-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        table = asyncio.run(main_async(args, work))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(header)
    print(table.render())
    print(f"\nload average at end {load_average()}; {time.monotonic() - started:.0f} s in all"
          f"{'' if args.work is None else f'; logs in {work}'}")
    return 1 if table.failed else 0


if __name__ == "__main__":
    sys.exit(main())
