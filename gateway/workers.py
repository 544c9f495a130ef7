"""``xero-gateway serve --workers N``: N gateway processes accepting on one port.

Each worker is a whole gateway (:func:`gateway.app.create_app` under aiohttp's ``web.run_app``) bound with
``SO_REUSEPORT`` (``reuse_port=True``), so that the kernel spreads new connections over the workers; they share
state through the gateway's database (SQLite files in WAL mode in the data directory, or PostgreSQL with
``[database] url`` and ``[native] database_url``) and the data directory's keys. Revocations reach every worker
within ``[identity] revocation_poll_interval`` (gateway/identity/cache.py).

The first worker starts alone, so that exactly one process creates the tables, the signing keys and the demo
company; the others start once it is up. Every worker logs ``xero-gateway worker PID serving on URL`` and its
access log names its pid (``%P``). The supervisor (this process) stops every worker on SIGTERM or SIGINT, and
stops them all and exits with status 1 when one dies: restarting is the service manager's job (systemd,
Kubernetes), not a home-made one's.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable
from multiprocessing.synchronize import Event
from types import FrameType

from aiohttp import web

from .settings import Settings

#: aiohttp access-log format of a worker: the one-process format with the worker's pid.
ACCESS_LOG_FORMAT = '%a %P "%r" %s %b %Tf %{Xero-Correlation-Id}o'  # ends with the request id
#: Seconds a worker has to stop after SIGTERM before it is killed.
STOP_TIMEOUT = 15.0
#: Seconds between two looks at the workers.
WATCH_INTERVAL = 0.5


def _worker(settings: Settings, ready: Event, configure_logging: Callable[[], None]) -> None:
    """One worker process (started with ``spawn``): run the gateway on the shared port until SIGTERM/SIGINT."""
    from .app import create_app

    configure_logging()
    app = create_app(settings)

    async def started(_app: web.Application) -> None:
        print(f"xero-gateway worker {os.getpid()} serving on {settings.public_url}", flush=True)
        ready.set()

    app.on_startup.append(started)
    web.run_app(app, host=settings.server.host, port=settings.server.port, reuse_port=True, print=None,
                access_log_format=ACCESS_LOG_FORMAT)


def serve(settings: Settings, *, workers: int, configure_logging: Callable[[], None]) -> int:
    """Run ``workers`` gateway processes on ``settings.server.port`` until a signal or a worker's death.

    Args:
        settings: every worker's settings.
        workers: how many processes (at least 2).
        configure_logging: run first in each worker (a module-level function: it is passed by name).

    Returns:
        The exit status: 0 after SIGTERM/SIGINT, 1 when a worker died (or the first could not start).

    Raises:
        ValueError: ``workers`` below 2 or port 0 (each worker would get a port of its own).
    """
    if workers < 2:
        raise ValueError("serve --workers needs at least 2 workers (1 is plain serve)")
    if settings.server.port == 0:
        raise ValueError("serve --workers needs a fixed --port: with port 0 every worker would get its own")
    spawn = multiprocessing.get_context("spawn")  # a clean interpreter per worker: no inherited loop or engine
    stopping = threading.Event()

    def stop(_signum: int, _frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    processes: list[multiprocessing.process.BaseProcess] = []
    readiness: list[Event] = []  # kept alive with the workers: a collected Event unlinks its semaphore

    def start() -> tuple[multiprocessing.process.BaseProcess, Event]:
        ready = spawn.Event()
        process = spawn.Process(target=_worker, args=(settings, ready, configure_logging),
                                name=f"xero-gateway-worker-{len(processes)}")
        process.start()
        processes.append(process)
        readiness.append(ready)
        return process, ready

    status = 0
    try:
        first, ready = start()
        while not ready.wait(WATCH_INTERVAL):  # tables, keys and the demo company first, by one process
            if stopping.is_set():
                return 0
            if not first.is_alive():
                print(f"xero-gateway: the first worker exited with status {first.exitcode}", file=sys.stderr)
                return 1
        for _ in range(workers - 1):
            start()
        while not stopping.wait(WATCH_INTERVAL):
            dead = [p for p in processes if not p.is_alive()]
            if dead:
                print(f"xero-gateway: worker {dead[0].pid} exited with status {dead[0].exitcode}; stopping",
                      file=sys.stderr)
                status = 1
                break
    finally:
        _stop_all(processes)
    return status


def _stop_all(processes: list[multiprocessing.process.BaseProcess]) -> None:
    for process in processes:
        if process.is_alive():
            process.terminate()  # SIGTERM: aiohttp's run_app shuts the app down cleanly
    for process in processes:
        process.join(STOP_TIMEOUT)
        if process.is_alive():
            process.kill()
            process.join()
