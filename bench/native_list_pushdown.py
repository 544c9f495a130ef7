"""Time ``GET /Invoices?page=1&pageSize=100&where=…`` on the native ledger's demo company, with the ``where``/
``order``/paging pushed down to SQL and evaluated in memory (the behaviour before the push-down).

The real gateway app is served in-process (aiohttp test server on 127.0.0.1) over a fresh demo ledger in a
temporary directory; the identity guard is replaced by a stub that accepts one bearer token (the guard is not what
is measured) and rate limits are off. ``--scale N`` clones the demo's invoices N-1 times (new ids, same contacts)
to show how each path grows with the ledger.

Usage::

    .venv/bin/python bench/native_list_pushdown.py [--requests 30] [--scale 1] [--where 'Status=="PAID"']

Prints, per mode, the median, mean and 95th percentile latency in milliseconds and the items/itemCount answered.
No figure is asserted anywhere: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiohttp import web  # noqa: E402
from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from adapters.native.adapter import NativeLedgerAdapter  # noqa: E402
from adapters.native.demo import company as demo  # noqa: E402
from gateway import appkeys  # noqa: E402
from gateway.api import handler  # noqa: E402
from gateway.app import create_app  # noqa: E402
from gateway.settings import load_settings  # noqa: E402
from gateway.xero.request import RequestContext  # noqa: E402

TOKEN = "bench-token"
DEFAULT_WHERE = 'Type=="ACCREC" AND Status!="DELETED" AND Total>=100'


async def _stub_guard(request: web.Request, code: str, *, scopes: Sequence[str], path: str,
                      tenant_required: bool = True) -> RequestContext:
    return RequestContext(source_code=code, tenant_id=demo.DEMO_TENANT_ID, client_id="bench", app_name="Bench",
                          user_id=None, scopes=frozenset(scopes))


def _clone_invoices(db: Path, copies: int) -> int:
    """Insert ``copies`` copies of every invoice (and its lines) with fresh ids; returns the invoice count."""
    con = sqlite3.connect(db)
    try:
        inv_cols = [r[1] for r in con.execute("PRAGMA table_info(invoices)")]
        line_cols = [r[1] for r in con.execute("PRAGMA table_info(line_items)")]
        invoices = con.execute(f"SELECT {', '.join(inv_cols)} FROM invoices").fetchall()
        lines = con.execute(f"SELECT {', '.join(line_cols)} FROM line_items").fetchall()
        by_invoice: dict[str, list[tuple]] = {}
        inv_fk = line_cols.index("invoice_id")
        for line in lines:
            by_invoice.setdefault(line[inv_fk], []).append(line)
        id_at = inv_cols.index("id")
        for _ in range(copies):
            for row in invoices:
                new_id = str(uuid.uuid4())
                con.execute(f"INSERT INTO invoices VALUES ({', '.join('?' * len(inv_cols))})",
                            tuple(new_id if i == id_at else v for i, v in enumerate(row)))
                for line in by_invoice.get(row[id_at], []):
                    con.execute(f"INSERT INTO line_items VALUES ({', '.join('?' * len(line_cols))})",
                                tuple(str(uuid.uuid4()) if c == "id" else new_id if c == "invoice_id" else v
                                      for c, v in zip(line_cols, line, strict=True)))
        con.commit()
        return con.execute("SELECT count(*) FROM invoices").fetchone()[0]
    finally:
        con.close()


async def _seed(data_dir: Path) -> None:
    ledger = NativeLedgerAdapter(code="1000", settings=load_settings(data_dir=data_dir))
    await ledger.startup()
    await ledger.shutdown()


async def _measure(client: TestClient, ledger: NativeLedgerAdapter, *, pushdown: bool, where: str,
                   requests: int) -> tuple[list[float], int, int]:
    ledger.sql_pushdown = pushdown
    headers = {"Authorization": f"Bearer {TOKEN}", "xero-tenant-id": demo.DEMO_TENANT_ID,
               "Accept": "application/json"}
    params = {"page": "1", "pageSize": "100", "where": where}
    timings: list[float] = []
    items = count = 0
    for n in range(requests + 3):  # 3 warm-up requests (statement caches, first connections)
        started = time.perf_counter()
        resp = await client.get("/1000/api.xro/2.0/Invoices", params=params, headers=headers)
        body = await resp.json()
        elapsed = (time.perf_counter() - started) * 1000
        if resp.status != 200:
            raise SystemExit(f"HTTP {resp.status}: {body}")
        items, count = len(body["Invoices"]), body["pagination"]["itemCount"]
        if n >= 3:
            timings.append(elapsed)
    return timings, items, count


async def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per mode (default 30)")
    parser.add_argument("--scale", type=int, default=1, help="invoices ×N (clones of the demo's; default 1)")
    parser.add_argument("--where", default=DEFAULT_WHERE, help=f"where filter (default {DEFAULT_WHERE!r})")
    args = parser.parse_args(argv)

    handler.authenticate_api_call = _stub_guard  # type: ignore[assignment]  # the guard is not measured
    with tempfile.TemporaryDirectory(prefix="bench-native-") as tmp:
        data_dir = Path(tmp)
        await _seed(data_dir)
        total = _clone_invoices(data_dir / "ledger.db", args.scale - 1) if args.scale > 1 else None
        settings = load_settings(data_dir=data_dir)
        settings.rate_limits.enabled = False
        client = TestClient(TestServer(create_app(settings), host="127.0.0.1"))
        await client.start_server()
        try:
            ledger = client.server.app[appkeys.SOURCES].started()["1000"]
            assert isinstance(ledger, NativeLedgerAdapter)
            print(f"GET /Invoices?page=1&pageSize=100&where={args.where}")
            print(f"demo company, invoices x{args.scale}" + (f" ({total} invoices)" if total else "")
                  + f", {args.requests} timed requests per mode")
            print(f"{'mode':<22}{'median ms':>10}{'mean ms':>10}{'p95 ms':>10}{'items':>8}{'itemCount':>11}")
            for label, pushdown in (("in memory (before)", False), ("pushed down (after)", True)):
                timings, items, count = await _measure(client, ledger, pushdown=pushdown, where=args.where,
                                                       requests=args.requests)
                p95 = sorted(timings)[max(0, round(0.95 * len(timings)) - 1)]
                print(f"{label:<22}{statistics.median(timings):>10.1f}{statistics.fmean(timings):>10.1f}"
                      f"{p95:>10.1f}{items:>8}{count:>11}")
        finally:
            await client.close()


if __name__ == "__main__":
    asyncio.run(main())
