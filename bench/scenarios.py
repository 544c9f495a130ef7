"""The scenarios of bench/request_path.py, each adding its rows to the run's table (see that module's docstring)."""

from __future__ import annotations

import json
import math
import os
import statistics
import sys
import time
import traceback
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from yarl import URL

from . import auth, load
from .procs import Processes, free_port
from .report import Paired, Row, Spread, Table, interleave, p50, throughput

API = "/api.xro/2.0"
ORGANISATION = f"/1000{API}/Organisation"
INVOICES_PAGE = f"/1000{API}/Invoices?page=1"


@dataclass(frozen=True)
class Sizes:
    """Counts and times of one run (``--quick`` or full)."""

    rounds: int  # rounds per side of an interleaved pair
    round_seconds: float  # seconds of one round (bounded by round_cap requests too)
    round_cap: int  # requests at most in one round (QBO rounds: below the emulator's 500 a minute)
    crowd_seconds: float  # seconds of the 50-client run
    statement_calls: int  # calls per operation in the statements row
    puts: int  # one-invoice PUTs at most in one round of the write-throughput pair (bounded by round_seconds too)
    ledger_targets: tuple[int, ...]  # invoice counts of the P&L rows after the demo company's
    ledger_relative: bool  # ledger_targets count from the demo company's size, not from zero
    batch: int  # invoices per PUT while growing the ledger
    pl_calls: int  # ProfitAndLoss (and BalanceSheet) calls per ledger size
    qbo_invoices: int  # invoices cloned into the QBO emulator's seed


QUICK = Sizes(rounds=2, round_seconds=0.3, round_cap=20, crowd_seconds=1.0, statement_calls=2, puts=6,
              ledger_targets=(20,), ledger_relative=True, batch=10, pl_calls=2, qbo_invoices=150)
FULL = Sizes(rounds=5, round_seconds=3.0, round_cap=400, crowd_seconds=20.0, statement_calls=5, puts=100,
             ledger_targets=(2_000, 20_000), ledger_relative=False, batch=100, pl_calls=7, qbo_invoices=150)


@dataclass
class Run:
    """What the scenarios share: the processes, the sizes, the table and the main gateway (code 1000 token)."""

    procs: Processes
    sizes: Sizes
    table: Table
    work: Path
    base: str
    pid: int
    native: auth.Connection

    def rounds(self, a: load.Request, b: load.Request, *, concurrency: int, figure: Callable[[load.Sample], float],
               before_each: Callable[[], Awaitable[None]] | None = None) -> Awaitable[Paired]:
        """An interleaved pair of rounds bounded by the run's round time and request cap."""
        def side(request: load.Request):
            return lambda: load.run(request, concurrency=concurrency, count=self.sizes.round_cap,
                                    duration=self.sizes.round_seconds)
        return interleave(side(a), side(b), rounds=self.sizes.rounds, figure=figure, before_each=before_each)


async def guarded(table: Table, name: str, scenario: Awaitable[None]) -> None:
    """Await ``scenario``; a failure becomes a FAILED row (and a traceback on stderr), not the end of the run."""
    try:
        await scenario
    except Exception as error:  # noqa: BLE001 - one broken scenario must not hide the others' figures
        traceback.print_exc(file=sys.stderr)
        table.fail(name, error)


def get(url: str | URL, headers: Mapping[str, str]) -> load.Request:
    """The same GET for every index."""
    return lambda _i: ("GET", url, headers, None)


async def ok_json(method: str, url: str, headers: Mapping[str, str], body: Any = None) -> dict[str, Any]:
    """One call that must answer 200 JSON.

    Raises:
        RuntimeError: another status (the start of the body in the message).
    """
    status, raw, _ = await load.fetch(method, url, headers=headers, body=body)
    if status != 200:
        raise RuntimeError(f"{method} {url}: HTTP {status} {raw[:300]!r}")
    return json.loads(raw)


def errors_note(*pairs: tuple[str, int]) -> str:
    """``"errors: gateway 0, proxy 0"``."""
    return "errors: " + ", ".join(f"{name} {n}" for name, n in pairs)


def ratio_latency(pair: Paired) -> str:
    a, b = pair.a.median, pair.b.median
    return f"×{a / b:.1f} (+{(a - b) * 1000:.1f} ms)" if b else "n/a"


def ratio_throughput(pair: Paired) -> str:
    return f"{100 * pair.a.median / pair.b.median:.1f} %" if pair.b.median else "n/a"


# ------------------------------------------------------------------------------------------- 1004 (QBO)


async def qbo_rows(run: Run, *, qbo: auth.Connection, emulator: str) -> None:
    """Rows 1–2: the gateway's QBO Invoices page beside the emulator directly and behind a minimal proxy."""
    url = f"{run.base}/1004{API}/Invoices?page=1"
    for _ in range(2):  # fills the adapter's caches (reference data, counts)
        page = await ok_json("GET", url, qbo.headers)
    await ok_json("DELETE", f"{emulator}/_emulator/requests", {})
    await ok_json("GET", url, qbo.headers)
    logged = (await ok_json("GET", f"{emulator}/_emulator/requests", {}))["log"]
    upstream = [(e["path"], e["query"]) for e in logged if e["method"] == "GET"]
    if not upstream or len(upstream) != len(logged):
        raise RuntimeError(f"a warm page should be upstream GETs only; the emulator logged {logged}")
    token, _realm = await auth.emulator_token(emulator)
    qbo_headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    proxy_port = free_port()
    proxy = f"http://127.0.0.1:{proxy_port}"
    await run.procs.script("proxy", ["-m", "bench.baselines", "proxy", "--port", str(proxy_port),
                                     "--upstream", emulator], probe=f"{proxy}/_emulator/seed")

    def replay(origin: str) -> load.Request:
        urls = [URL(origin + path).with_query(parse_qsl(query, keep_blank_values=True)) for path, query in upstream]
        return lambda i: ("GET", urls[i % len(urls)], qbo_headers, None)

    async def reset() -> None:  # Intuit's 500 requests a minute per realm would throttle the baselines
        await ok_json("POST", f"{emulator}/_emulator/throttle/reset", {})

    count = page["pagination"]["itemCount"]
    query = " + ".join(query for _, query in upstream)
    c1 = await run.rounds(get(url, qbo.headers), replay(emulator), concurrency=1, figure=p50, before_each=reset)
    run.table.add(Row(f"GET /1004/…/Invoices?page=1 ({count} invoices, warm cache), c=1 p50",
                      c1.a.show("ms", 1000), f"emulator directly, same upstream query: {c1.b.show('ms', 1000)}",
                      ratio_latency(c1),
                      f"{errors_note(('gateway', c1.errors_a), ('emulator', c1.errors_b))}; upstream: {query}"))
    c10 = await run.rounds(get(url, qbo.headers), replay(proxy), concurrency=10, figure=throughput,
                           before_each=reset)
    run.table.add(Row("same, c=10 throughput", c10.a.show("req/s"),
                      f"minimal aiohttp proxy → emulator: {c10.b.show('req/s')}", ratio_throughput(c10),
                      errors_note(("gateway", c10.errors_a), ("proxy", c10.errors_b))))
    emulator_pid = run.procs.pids.get("emulator")
    if emulator_pid is not None:
        await cpu_row(run, url, qbo.headers, upstream=replay(emulator), emulator_pid=emulator_pid)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` so far (``/proc/PID/stat`` fields 14 and 15, in clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def cpu_row(run: Run, url: str, headers: Mapping[str, str], *, upstream: load.Request,
                  emulator_pid: int) -> None:
    """Row 2b: CPU time per call of the gateway process and of the emulator, sequential calls (c=1). Process time
    does not grow with the machine's load as wall time does, so this row stays comparable on a busy machine."""
    calls = min(100, max(20, run.sizes.round_cap))

    async def spent(request: load.Request) -> tuple[float, float]:
        await ok_json("POST", f"{run.procs.urls['emulator']}/_emulator/throttle/reset", {})
        gateway, emulator = cpu_seconds(run.pid), cpu_seconds(emulator_pid)
        sample = await load.run(request, concurrency=1, count=calls)
        if sample.errors:
            raise RuntimeError(f"{sample.errors} errors while measuring CPU time")
        return (cpu_seconds(run.pid) - gateway) / calls, (cpu_seconds(emulator_pid) - emulator) / calls

    gateway_cpu, emulator_behind = await spent(get(url, headers))
    _, emulator_direct = await spent(upstream)
    run.table.add(Row("same, CPU per call at c=1 (process time)", f"gateway {gateway_cpu * 1000:.1f} ms",
                      f"emulator per direct call: {emulator_direct * 1000:.1f} ms", "—",
                      f"{calls} calls each; emulator behind the gateway {emulator_behind * 1000:.1f} ms per call; "
                      f"clock tick {1000 / os.sysconf('SC_CLK_TCK'):.0f} ms"))


# ------------------------------------------------------------------------------------------- 1000 (native)


async def native_static_rows(run: Run) -> None:
    """Rows 3–4: Organisation and an Invoices page at c=10 beside a static handler serving the gateway's bytes."""
    for path, label in ((ORGANISATION, "GET /1000/…/Organisation"), (INVOICES_PAGE, "GET /1000/…/Invoices?page=1")):
        status, body, headers = await load.fetch("GET", run.base + path, headers=run.native.headers)
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status} {body[:300]!r}")
        saved = run.work / f"static-{len(run.table.rows)}.bin"
        saved.write_bytes(body)
        port = free_port()
        static = f"http://127.0.0.1:{port}"
        await run.procs.script(f"static-{port}", [
            "-m", "bench.baselines", "static", "--port", str(port), "--body", str(saved),
            "--content-type", headers.get("Content-Type", "application/json").split(";")[0]], probe=static)
        pair = await run.rounds(get(run.base + path, run.native.headers), get(f"{static}{path}", {}),
                                concurrency=10, figure=throughput)
        run.table.add(Row(f"{label} ({len(body):,} bytes), c=10 throughput", pair.a.show("req/s"),
                          f"static handler, same bytes: {pair.b.show('req/s')}", ratio_throughput(pair),
                          errors_note(("gateway", pair.errors_a), ("static", pair.errors_b))))


async def cold_rows(run: Run, *, config: Path) -> None:
    """Rows 3–4 again with the answer cache off: a second ``serve`` on the same data (``config`` turns the cache
    off) beside the first (cache on), interleaved, so that the cold cost (read, translate, render) is stated too."""
    cold, cold_pid = await run.procs.gateway("gateway-cold", data_dir=run.work / "gateway", config=config)
    try:
        for path, label in ((ORGANISATION, "GET /1000/…/Organisation"),
                            (INVOICES_PAGE, "GET /1000/…/Invoices?page=1")):
            await ok_json("GET", cold + path, run.native.headers)
            pair = await run.rounds(get(cold + path, run.native.headers), get(run.base + path, run.native.headers),
                                    concurrency=10, figure=throughput)
            run.table.add(Row(f"{label}, c=10 throughput, answer cache off (every call reads and renders)",
                              pair.a.show("req/s"), f"answer cache on: {pair.b.show('req/s')}",
                              ratio_throughput(pair), errors_note(("off", pair.errors_a), ("on", pair.errors_b))))
    finally:
        run.procs.stop(cold_pid)


async def crowd_row(run: Run) -> None:
    """Row 5: 50 concurrent clients on ``Invoices?page=N`` (N cycling over the ledger's pages) for a bounded time."""
    pages = (await ok_json("GET", run.base + INVOICES_PAGE, run.native.headers))["pagination"]["pageCount"] or 1
    urls = [f"{run.base}/1000{API}/Invoices?page={n}" for n in range(1, pages + 1)]
    sample = await load.run(lambda i: ("GET", urls[i % pages], run.native.headers, None), concurrency=50,
                            duration=run.sizes.crowd_seconds)
    run.table.add(Row(f"50 concurrent clients, GET /1000/…/Invoices?page=1…{pages}, {run.sizes.crowd_seconds:.0f} s",
                      f"p50 {sample.quantile(0.5) * 1000:,.0f} ms, p99 {sample.quantile(0.99) * 1000:,.0f} ms, "
                      f"{sample.throughput:.1f} req/s", notes=f"{len(sample.latencies)} requests, "
                      f"errors {sample.errors} {dict(sample.statuses) if sample.errors else ''}".strip()))


# ------------------------------------------------------------------------------------------- statements


async def invoice_factory(base: str, conn: auth.Connection) -> Callable[[int], dict[str, Any]]:
    """Invoice ``i`` for the ledger behind ``base``: an authorised sale to its first contact on its first revenue
    account, dated within the last 12 months (so that it lands in the ProfitAndLoss rows' period)."""
    contact = (await ok_json("GET", f"{base}/1000{API}/Contacts?page=1", conn.headers))["Contacts"][0]["ContactID"]
    accounts = (await ok_json("GET", f"{base}/1000{API}/Accounts", conn.headers))["Accounts"]
    code = next(a["Code"] for a in accounts if a.get("Type") == "REVENUE" and a.get("Status") == "ACTIVE")
    today = date.today()

    def invoice(i: int) -> dict[str, Any]:
        day = today - timedelta(days=i % 330)
        return {"Type": "ACCREC", "Contact": {"ContactID": contact}, "Date": day.isoformat(),
                "DueDate": (day + timedelta(days=30)).isoformat(), "Status": "AUTHORISED",
                "LineItems": [{"Description": f"bench {i}", "Quantity": "1", "UnitAmount": f"{10 + i % 90}.00",
                               "AccountCode": code}]}
    return invoice


def put_invoices(base: str, conn: auth.Connection, invoice: Callable[[int], dict[str, Any]],
                 per_call: int) -> load.Request:
    """``PUT /Invoices`` of ``per_call`` invoices per request."""
    headers = {**conn.headers, "Content-Type": "application/json"}
    return lambda i: ("PUT", f"{base}/1000{API}/Invoices", headers,
                      {"Invoices": [invoice(i * per_call + k) for k in range(per_call)]})


async def statement_rows(run: Run) -> None:
    """Row 6: statements each call sends, per database, counted by the gateway's opt-in counter."""
    counter = f"{run.base}/_debug/statements"
    invoice = await invoice_factory(run.base, run.native)
    put = put_invoices(run.base, run.native, invoice, 1)
    calls = (("GET Organisation", get(run.base + ORGANISATION, run.native.headers)),
             ("GET Invoices?page=1", get(run.base + INVOICES_PAGE, run.native.headers)),
             ("PUT Invoices (one invoice)", put))
    for label, request in calls:
        deltas: list[dict[str, int]] = []
        for i in range(run.sizes.statement_calls + 1):  # the first call warms up and is not counted
            before = await ok_json("GET", counter, {})
            method, url, headers, body = request(10_000 + i)
            await ok_json(method, url, headers, body)
            after = await ok_json("GET", counter, {})
            if i:
                deltas.append({db: after.get(db, 0) - before.get(db, 0) for db in after})
        totals = [sum(d.values()) for d in deltas]
        per_db = ", ".join(f"{db} {statistics.median(d[db] for d in deltas):g}" for db in sorted(deltas[0]))
        run.table.add(Row(f"database statements per call: {label}", f"{statistics.median(totals):g} ({per_db})",
                          notes=f"median of {len(deltas)} calls, range {min(totals)}–{max(totals)}; one process"))


# ------------------------------------------------------------------------------------------- two processes


async def two_process_rows(run: Run, *, label: str, data_dir: Path, config: Path,
                           first: tuple[str, auth.Connection]) -> None:
    """Rows 7–8: a second ``serve`` on the same database; c=10 reads on 2 processes vs 1, then c=10 one-invoice
    ``PUT /Invoices`` on 2 processes vs 1 (write throughput, interleaved, with the HTTP 500s of each side)."""
    base, conn = first
    second, second_pid = await run.procs.gateway(f"gateway-{label}-2", data_dir=data_dir, config=config)
    try:
        for origin in (base, second):
            await ok_json("GET", origin + INVOICES_PAGE, conn.headers)
        bases = (base, second)
        both = lambda i: ("GET", bases[i % 2] + INVOICES_PAGE, conn.headers, None)  # noqa: E731
        pair = await run.rounds(both, get(base + INVOICES_PAGE, conn.headers), concurrency=10, figure=throughput)
        ratio = f"×{pair.a.median / pair.b.median:.2f}" if pair.b.median else "n/a"
        run.table.add(Row(f"2 gateway processes vs 1 on one {label} database, c=10 GET Invoices?page=1",
                          f"2 processes: {pair.a.show('req/s')}", f"1 process: {pair.b.show('req/s')}", ratio,
                          f"expected ×1.7 on 2 cores; {errors_note(('2', pair.errors_a), ('1', pair.errors_b))}"))
        await write_throughput_row(run, label=label, bases=bases, conn=conn)
    finally:
        run.procs.stop(second_pid)


async def write_throughput_row(run: Run, *, label: str, bases: tuple[str, str], conn: auth.Connection) -> None:
    """Row 8: one-invoice ``PUT /Invoices`` at c=10 alternating over both processes vs on the first alone,
    interleaved rounds; the figure is successful PUTs per second, and every answer's status is counted (a 500 is
    a defect: concurrent writes must queue, retry or answer 503, never fail)."""
    invoice = await invoice_factory(bases[0], conn)
    headers = {**conn.headers, "Content-Type": "application/json"}
    statuses: dict[str, Counter[int]] = {"2": Counter(), "1": Counter()}

    def side(name: str, origins: tuple[str, ...]) -> Callable[[], Awaitable[load.Sample]]:
        async def one_round() -> load.Sample:
            sample = await load.run(lambda i: ("PUT", f"{origins[i % len(origins)]}/1000{API}/Invoices", headers,
                                               {"Invoices": [invoice(i)]}), concurrency=10,
                                    count=run.sizes.puts,
                                    duration=run.sizes.round_seconds)
            statuses[name].update(sample.statuses)
            return sample
        return one_round

    pair = await interleave(side("2", bases), side("1", bases[:1]), rounds=run.sizes.rounds, figure=throughput)
    ratio = f"×{pair.a.median / pair.b.median:.2f}" if pair.b.median else "n/a"
    counts = "; ".join(f"{name} process{'es' if name == '2' else ''}: {c[500]} HTTP 500 of {sum(c.values())}"
                       + (f" (other non-200: { {k: v for k, v in c.items() if k not in (200, 500)} })"
                          if set(c) - {200, 500} else "")
                       for name, c in statuses.items())
    run.table.add(Row(f"concurrent PUT /Invoices (one invoice each) on 2 processes, {label}, c=10, vs 1 process",
                      f"2 processes: {pair.a.show('req/s')}", f"1 process: {pair.b.show('req/s')}", ratio,
                      f"{counts}; 0 HTTP 500 expected"))


# ------------------------------------------------------------------------------------------- ledger growth


async def invoice_count(base: str, conn: auth.Connection) -> int:
    page = await ok_json("GET", f"{base}/1000{API}/Invoices?page=1&pageSize=1", conn.headers)
    return page["pagination"]["itemCount"]


async def report_rows(run: Run, *, note: str = "") -> list[Row]:
    """ProfitAndLoss over the last 12 months and BalanceSheet as at today (c=1, ``pl_calls`` calls each after one
    untimed) at the ledger's current size: their rows."""
    today = date.today()
    reports = (("ProfitAndLoss (12 months)", f"ProfitAndLoss?fromDate={(today - timedelta(days=364)).isoformat()}"
                                              f"&toDate={today.isoformat()}"),
               ("BalanceSheet (as at today)", f"BalanceSheet?date={today.isoformat()}"))
    count = await invoice_count(run.base, run.native)
    rows = []
    for name, query in reports:
        report = f"{run.base}/1000{API}/Reports/{query}"
        await ok_json("GET", report, run.native.headers)
        sample = await load.run(get(report, run.native.headers), concurrency=1, count=run.sizes.pl_calls)
        rows.append(Row(f"{name}, ledger of {count:,} invoices", Spread(sample.latencies).show("ms", 1000),
                        notes=f"{len(sample.latencies)} calls, c=1; errors {sample.errors}"
                              + (f"; {note}" if note else "")))
    return rows


async def ledger_rows(run: Run, *, budget: float, first: list[Row]) -> None:
    """Row 9: ``first`` (the demo company's size, measured before any write of the run), then ProfitAndLoss and
    BalanceSheet after growing the ledger to each target with ``PUT /Invoices`` (``batch`` invoices per call, 2 in
    flight), all growth within ``budget`` seconds."""
    for row in first:
        run.table.add(row)
    invoice = await invoice_factory(run.base, run.native)
    deadline = time.monotonic() + budget
    written = 0
    count = await invoice_count(run.base, run.native)
    steps = run.sizes.ledger_targets
    for target in ((count + t for t in steps) if run.sizes.ledger_relative else steps):
        if count >= target:
            continue
        batch = run.sizes.batch
        started = time.monotonic()
        grow = put_invoices(run.base, run.native, lambda i, done=written: invoice(done + i), batch)
        sample = await load.run(grow, concurrency=2, count=math.ceil((target - count) / batch),
                                duration=max(0.0, deadline - time.monotonic()))
        written += len(sample.latencies) * batch
        before, count = count, await invoice_count(run.base, run.native)
        note = f"grown by {count - before:,} in {time.monotonic() - started:.0f} s ({batch} per PUT, c=2)"
        if sample.errors:
            note += f", PUT statuses {dict(sample.statuses)}"
        if count < target:
            note += f"; target {target:,} not reached within the {budget:.0f} s budget (--grow-budget)"
        for row in await report_rows(run, note=note):
            run.table.add(row)
        if count < target:
            return


# ------------------------------------------------------------------------------------------- soak


def rss_mb(pid: int) -> float:
    """Resident set size of ``pid`` in MB (``VmRSS`` of ``/proc/PID/status``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


async def soak_row(run: Run, requests: int) -> None:
    """``--soak N``: the gateway's RSS after the first 5,000 Organisation calls (c=10) and after N."""
    first = min(5_000, requests // 2)
    request = get(run.base + ORGANISATION, run.native.headers)
    warm = await load.run(request, concurrency=10, count=first)
    start = rss_mb(run.pid)
    rest = await load.run(request, concurrency=10, count=requests - first)
    end = rss_mb(run.pid)
    run.table.add(Row(f"soak: {requests:,} GET Organisation, c=10, gateway RSS",
                      f"{start:.1f} MB after {first:,} → {end:.1f} MB after {requests:,} "
                      f"({100 * (end - start) / start:+.1f} %)",
                      notes=f"errors {warm.errors + rest.errors}; {rest.throughput:.0f} req/s"))
