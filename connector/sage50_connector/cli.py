"""``sage50-connector pair | run | status``.

- ``pair --gateway URL --code CODE``: enrol this PC with the gateway using the code the consent page shows (or, when
  already enrolled with that gateway, confirm the code for this agent); the token goes to the OS keyring.
- ``run [--once] [--max-polls N]``: serve until stopped (bounded for tests and scheduled tasks).
- ``status``: what is paired, served and synced, and any Sage condition an operator must fix (offline: no network).

Exit codes: 0 done, 1 a condition the message explains (not paired, revoked, bad code, bad config), 2 usage.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import platform
import sys

from sage50_connector import __version__
from sage50_connector.agent import Agent, SageThread, discover
from sage50_connector.config import Settings, config_path, load_settings
from sage50_connector.credentials import Identity, TokenStore
from sage50_connector.errors import (
    ConnectorError,
    InvalidAgentError,
    InvalidPairingCodeError,
    NotPairedError,
    operator_action,
)
from sage50_connector.gateway import GatewayClient
from sage50_connector.logsafe import REDACT, setup_logging
from sage50_connector.sdo import EngineFactory
from sage50_connector.state import StateStore

log = logging.getLogger("sage50_connector")

STATE_FILE = "state.sqlite"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sage50-connector", description="Connects Sage 50 Accounts UK companies to the xero-gateway (1001).")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--config", help="config file (TOML); default $SAGE50_CONNECTOR_CONFIG or the state folder's")
    parser.add_argument("-v", "--verbose", action="store_true", help="log each request's status")
    commands = parser.add_subparsers(dest="command", required=True)
    pair = commands.add_parser("pair", help="pair this PC with a gateway using a one-time code")
    pair.add_argument("--gateway", help="the gateway's URL (default: the config's)")
    pair.add_argument("--code", required=True, help="the pairing code the consent page shows (e.g. K7QM-4TXP)")
    run = commands.add_parser("run", help="sync and execute write jobs until stopped")
    run.add_argument("--once", action="store_true", help="one sync and one poll, then exit")
    run.add_argument("--max-polls", type=int, help="stop after this many polls")
    run.add_argument("--poll-interval", type=float, help="seconds between change detections (default 30)")
    commands.add_parser("status", help="show pairing, companies, sync watermarks and Sage conditions")
    return parser


def _state(settings: Settings) -> StateStore:
    return StateStore(settings.state_dir / STATE_FILE)


async def _pair(settings: Settings, args: argparse.Namespace) -> int:
    gateway = args.gateway or settings.gateway
    if not gateway:
        print("pair: give --gateway URL (or gateway = … in the config)", file=sys.stderr)
        return 2
    tokens = TokenStore(settings.state_dir, prefer=settings.token_store)
    token = None
    try:
        if tokens.identity().gateway.rstrip("/") == gateway.rstrip("/"):
            token = tokens.token()
    except NotPairedError:
        token = None
    REDACT.add(token)
    state = _state(settings)
    engines = EngineFactory(settings.sage.sdo_engine)
    sage = SageThread(com=False)  # pairing only reads (ODBC); no SDO session
    try:
        runtimes = await sage.run(discover, settings, state, engines)
        companies = [r.company for r in runtimes]
        for r in runtimes:
            await sage.run(r.reader.close)
    finally:
        sage.close()
        state.close()
    client = GatewayClient(gateway, token=token)
    try:
        answer = await client.pair(args.code, agent_name=platform.node() or "sage50-connector", companies=companies)
    except InvalidAgentError:
        print("this agent was revoked at the gateway; pairing as a new agent", file=sys.stderr)
        await client.close()
        client = GatewayClient(gateway)
        answer = await client.pair(args.code, agent_name=platform.node() or "sage50-connector", companies=companies)
    finally:
        await client.close()
    if answer.agent_token:
        REDACT.add(answer.agent_token)
        where = tokens.save(Identity(answer.agent_id, gateway.rstrip("/")), answer.agent_token)
        print(f"paired: agent {answer.agent_id} with {gateway} (token kept in {where})")
    else:
        print(f"confirmed: agent {answer.agent_id} with {gateway}")
    for company in companies:
        print(f"  serving {company.name} ({company.data_path})")
    if not companies:
        print("  no readable company configured yet: add [[companies]] to the config", file=sys.stderr)
    return 0


async def _run(settings: Settings, args: argparse.Namespace) -> int:
    tokens = TokenStore(settings.state_dir, prefer=settings.token_store)
    identity = tokens.identity()
    token = tokens.token()
    REDACT.add(token)
    state = _state(settings)
    client = GatewayClient(identity.gateway, token=token)
    agent = Agent(settings, client=client, state=state)
    try:
        await agent.start()
        handled = await agent.run(once=args.once, max_polls=args.max_polls)
        log.info("stopped after %d job(s)", handled)
    finally:
        await agent.close()
        await client.close()
        state.close()
    return 0


def _status(settings: Settings) -> int:
    tokens = TokenStore(settings.state_dir, prefer=settings.token_store)
    try:
        identity = tokens.identity()
        print(f"agent:    {identity.agent_id}\ngateway:  {identity.gateway}\ntoken:    {tokens.where()}")
    except NotPairedError as exc:
        print(f"agent:    not paired ({exc})")
    state = _state(settings)
    try:
        statuses = state.statuses()
        for key, status in statuses.items():
            print(f"company:  {status['name']} [{key[:12]}…] last sync {status['last_sync_at'] or 'never'}")
            if status["error"]:
                print(f"  condition: {status['error']}: {operator_action(status['error']) or 'see the log'}")
            for table, mark in state.watermarks(key).items():
                since = mark.modified.isoformat(" ") if mark.modified else "-"
                print(f"  {table:<16} modified ≥ {since}" + (f", serial {mark.serial}" if mark.serial else ""))
        if not statuses:
            print("company:  none synced yet")
        counts = state.journal_counts()
        print("journal:  " + (", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no jobs"))
    finally:
        state.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``sage50-connector`` console script."""
    args = _parser().parse_args(argv)
    setup_logging(logging.DEBUG if args.verbose else logging.INFO)
    try:
        settings = load_settings(config_path(args.config))
        if getattr(args, "poll_interval", None):
            settings = settings.model_copy(update={"poll_interval": args.poll_interval})
        REDACT.add(settings.sage.password.get_secret_value())
        settings.state_dir.mkdir(parents=True, exist_ok=True)
        if args.command == "status":
            return _status(settings)
        return asyncio.run(_pair(settings, args) if args.command == "pair" else _run(settings, args))
    except InvalidPairingCodeError:
        print("pair: the code is wrong, used or expired: ask the consent page for a new one", file=sys.stderr)
        return 1
    except InvalidAgentError:
        print("the gateway no longer knows this agent (revoked): pair again", file=sys.stderr)
        return 1
    except ConnectorError as exc:
        print(f"sage50-connector: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


__all__ = ["main"]
