"""``python -m emulators.sage_accounting`` / ``xero-gateway emulate sage``: run the emulator until interrupted.

Exit status: 0 after a clean stop (SIGINT/SIGTERM), 2 on bad usage or settings (message on stderr).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys

import structlog
from aiohttp import web

from .app import create_app
from .config import EmulatorConfig
from .oauth import AUTHORIZE_PATH, TOKEN_PATH


def urls(base: str) -> dict[str, str]:
    """The JSON line for ``xero-gateway sources set 1009``: Sage's endpoints on this emulator.

    ``authorize_url`` carries ``filter=apiv3.1`` as Sage's does; ``api_base`` ends in ``/v3.1`` like
    ``https://api.accounting.sage.com/v3.1``, so ``{api_base}/sales_invoices`` is a collection.
    """
    return {"authorize_url": f"{base}{AUTHORIZE_PATH}?filter=apiv3.1", "token_url": f"{base}{TOKEN_PATH}",
            "api_base": f"{base}/v3.1"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="emulators.sage_accounting",
                                     description="Sage Business Cloud Accounting v3.1 emulator")
    parser.add_argument("--port", type=int, required=True, help="TCP port (0: any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    parser.add_argument("--seed", metavar="DIR", help="directory of Sage-format JSON records to load")
    parser.add_argument("--config", metavar="FILE", help="TOML or JSON settings (see EmulatorConfig)")
    return parser


async def _serve(config: EmulatorConfig, host: str, port: int) -> None:
    app = create_app(config)
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


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv``, start the emulator, print the JSON line, serve until SIGINT/SIGTERM.

    Args:
        argv: ``--port PORT [--seed DIR] [--host 127.0.0.1] [--config FILE]``.

    Returns:
        the process exit status.
    """
    args = _parser().parse_args(argv)
    if not structlog.is_configured():  # stdout carries the JSON line only; logs go to stderr
        structlog.configure(logger_factory=structlog.PrintLoggerFactory(sys.stderr))
    try:
        overrides = {"seed_dir": args.seed} if args.seed else {}
        config = (EmulatorConfig.from_file(args.config, **overrides) if args.config
                  else EmulatorConfig.model_validate(overrides))
        asyncio.run(_serve(config, args.host, args.port))
    except (ValueError, OSError, RuntimeError) as error:
        print(f"emulators.sage_accounting: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    return 0
