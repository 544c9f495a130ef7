"""Run an emulator app until SIGINT/SIGTERM, printing its one JSON line of URLs first.

Used by each emulator's ``main(argv)``; exit status 0 after a clean stop, 2 on bad usage or settings.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from collections.abc import Callable
from typing import Any

import structlog
from aiohttp import web


def parser(prog: str, description: str, seed_help: str) -> argparse.ArgumentParser:
    """``--port PORT [--host 127.0.0.1] [--seed DIR] [--config FILE]``."""
    p = argparse.ArgumentParser(prog=prog, description=description)
    p.add_argument("--port", type=int, required=True, help="TCP port (0: any free port)")
    p.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    p.add_argument("--seed", metavar="DIR", help=seed_help)
    p.add_argument("--config", metavar="FILE", help="TOML or JSON settings (see EmulatorConfig)")
    return p


async def serve(app: web.Application, host: str, port: int, urls: Callable[[str], dict[str, str]]) -> None:
    """Bind ``app``, print ``urls(base)`` as one JSON line on stdout, serve until SIGINT/SIGTERM."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = runner.addresses[0][1] if runner.addresses else port
    shown = f"[{host}]" if ":" in host else host
    print(json.dumps(urls(f"http://{shown}:{bound}")), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # pragma: no cover - non-Unix
            pass
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main(argv: list[str] | None, *, prog: str, description: str, seed_help: str, config_cls: Any,
         create_app: Callable[[Any], web.Application], urls: Callable[[str], dict[str, str]]) -> int:
    """Parse ``argv``, build the config (``config_cls.from_file``/``model_validate``), serve; the exit status."""
    args = parser(prog, description, seed_help).parse_args(argv)
    if not structlog.is_configured():  # stdout carries the JSON line only; logs go to stderr
        structlog.configure(logger_factory=structlog.PrintLoggerFactory(sys.stderr))
    try:
        overrides = {"seed_dir": args.seed} if args.seed else {}
        config = (config_cls.from_file(args.config, **overrides) if args.config
                  else config_cls.model_validate(overrides))
        asyncio.run(serve(create_app(config), args.host, args.port, urls))
    except (ValueError, OSError, RuntimeError) as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    return 0
