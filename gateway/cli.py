"""``xero-gateway``: serve the gateway and administer it.

Commands (every one takes ``--config PATH`` and ``--data-dir DIR`` and acts on the same data directory as
``serve``):

- ``serve [--host H] [--port N] [--workers N] [--host-mode] [--tls-cert PEM --tls-key PEM]``: run the gateway
  (embedded native ledger with a demo company by default); with ``--workers N``, N processes on the same port
  sharing the database (gateway/workers.py); ``--host-mode`` also serves Xero's own paths at the root for Xero's
  hostnames (gateway/hostmode); ``--tls-cert/--tls-key`` serve HTTPS.
- ``apps create --name NAME [--redirect-uri URI]... [--scopes "a b"] [--public]
  [--custom-connection --code CODE --tenant TENANT_ID]``: register a partner app; prints
  ``{"client_id": …, "client_secret": …}`` (the only time the secret is shown).
  ``[--expires ISO-8601]``.
- ``apps list``, ``apps rotate-secret CLIENT_ID``, ``apps revoke CLIENT_ID``, ``apps delete CLIENT_ID``,
  ``apps restore CLIENT_ID``, ``apps set-expiry CLIENT_ID (--expires ISO-8601 | --never)``.
- ``connections list [--client-id ID]`` (who consented, when, scopes, last used, idle days),
  ``connections delete CONNECTION_ID`` (revokes its authorisation and refresh tokens at once).
- ``activity list [--client-id ID] [--tenant ID] [--kind KIND] [--since ISO] [--until ISO] [--limit N] [--csv]``
  (the activity log, newest first, JSON or CSV); ``activity prune`` (drops rows older than
  ``[activity] retention_days``).
- ``admins create --email EMAIL``: add an operator of the web console (``/admin``); the password is read from
  standard input; prints the TOTP provisioning URI (the only time it is shown).
- ``tenants --code CODE``: the source's tenants as JSON (``tenantId``, ``tenantName``).
- ``users create --email EMAIL --tenant TENANT_ID [--tenant …]``: add a native-ledger user; the password is read
  from standard input.
- ``sources set CODE --client-id ID --client-secret SECRET [--environment sandbox|production]
  [--authorize-url URL --token-url URL --revoke-url URL --api-base URL]``: register the operator's developer app
  for a source system (the secret is encrypted at rest; ``--webhook-verifier-token`` adds the verifier token of
  Intuit's webhooks for 1004, sealed too); ``sources list`` shows them without secrets.
- ``webhooks set CLIENT_ID --url URL --events "CONTACT INVOICE"``: create or change an app's webhook; on creation
  prints it with its ``webhook_key`` (the only time the key is shown); ``webhooks show CLIENT_ID`` (status,
  intent to receive, disablement), ``webhooks rotate-key CLIENT_ID`` (prints the new key),
  ``webhooks enable|disable CLIENT_ID``.
- ``rates set --tenant TENANT_ID CURRENCY DATE RATE``, ``rates import --tenant TENANT_ID FILE.csv`` (lines
  ``currency,date,rate``, an optional header), ``rates list --tenant TENANT_ID``: the native ledger's currency rates
  per date, which the reports revalue open foreign-currency invoices and bills at (``RATE``: units of the currency
  per 1 unit of the base currency, as ``CurrencyRate``); a bad entry writes nothing (exit 2).
  docs/native-unrealised-gains.md.
- ``db upgrade``: migrate the gateway's and the native ledger's databases to the head of their migration trees
  (``serve`` does it at start too); prints ``{"gateway": "created|adopted|upgraded|current", "ledger": …}``.
  ``db current``: each database's revision and its tree's head, with ``up_to_date``. ``db revision --tree
  gateway|ledger -m MESSAGE``: autogenerate a revision file in a source checkout (docs/migrations.md).
- ``users totp-enroll --email EMAIL``: give a native-ledger user a TOTP second factor; prints the provisioning URI
  (``otpauth://…``) once, to scan into an authenticator app; the login page then asks for the code.
- ``emulate qbo|sage --port PORT [--seed DIR]``: run a contract-accurate upstream emulator on loopback (tests,
  benchmarks, offline demos); it prints one JSON line with the URLs to pass to ``sources set``.
- ``emulate sage50 --data-dir DIR [--seed DIR] [--fault KIND[:COUNT[:OBJECT]]]...``: create (or open) a Sage 50
  stand-in company under ``DIR`` and print one JSON line with the paths to pass to the connector.

Exit status: 0 on success, 2 on bad usage or input, 1 when the data directory cannot be written (one line on
stderr naming it).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from aiohttp import web

from .settings import SOURCE_CODES, Settings, load_settings


def _configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    # Alembic narrates its plugin set-up and every migration step at INFO on each start (noise on every command's
    # stderr); `xero-gateway db upgrade` and `db current` report what was migrated.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    structlog.configure(
        # dict_tracebacks renders exc_info (log.exception) as a structured traceback: without it a 500 is logged
        # with no trace of where it came from.
        # merge_contextvars: the request id bound per request (gateway.observability.requests) on every line.
        processors=[structlog.contextvars.merge_contextvars,
                    structlog.processors.add_log_level, structlog.processors.TimeStamper(fmt="iso"),
                    structlog.processors.dict_tracebacks, structlog.processors.JSONRenderer()],
        logger_factory=structlog.stdlib.LoggerFactory(),
    )


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(args.config, port=getattr(args, "port", None), host=getattr(args, "host", None),
                         data_dir=args.data_dir, host_mode=getattr(args, "host_mode", None) or None,
                         tls_cert=getattr(args, "tls_cert", None), tls_key=getattr(args, "tls_key", None))


# ------------------------------------------------------------------------------------------------ serve


def cmd_serve(args: argparse.Namespace) -> int:
    from . import appkeys
    from .app import create_app
    from .hostmode.tls import server_context

    settings = _settings(args)
    ssl_context = server_context(settings.tls)  # read now: a bad PEM stops the start with exit status 2
    if args.workers != 1:
        if ssl_context is not None:
            raise ValueError("--tls-cert/--tls-key serve one process; put a TLS proxy in front of --workers N")
        from .workers import serve

        return serve(settings, workers=args.workers, configure_logging=_configure_logging)
    app = create_app(settings)

    async def announce(app: web.Application) -> None:
        base = settings.public_url
        print(f"xero-gateway serving on {base} (data directory {settings.data_dir.resolve()})", flush=True)
        for code, name in SOURCE_CODES.items():
            print(f"  {base}/{code}  {name}", flush=True)
        if settings.host_mode.enabled:
            hm = settings.host_mode
            print(f"Host mode: Xero's paths at the root for Host {hm.identity_host}, {hm.login_host}, {hm.api_host}"
                  f"{' (TLS)' if ssl_context is not None else ' (plain HTTP: SDKs expect https)'}", flush=True)
        native = app[appkeys.SOURCES].started().get("1000")
        if native is not None and getattr(native, "demo_created", False):
            print("Demo company created. Sign in to the native ledger (code 1000) with:", flush=True)
            print(f"  e-mail:   {settings.native.demo_user_email}", flush=True)
            print(f"  password: {settings.native.demo_user_password}", flush=True)
        print("Register a partner app: xero-gateway apps create --name NAME --redirect-uri URI", flush=True)

    app.on_startup.append(announce)
    web.run_app(app, host=settings.server.host, port=settings.server.port, print=None, ssl_context=ssl_context,
                access_log_format='%a "%r" %s %b %Tf %{Xero-Correlation-Id}o')  # the request id
    return 0


# ------------------------------------------------------------------------------------------------ admin


def _run(args: argparse.Namespace, job: Callable[[Settings, Any], Awaitable[Any]]) -> Any:
    """Open the gateway's store (and adapters on demand) for one administrative job."""
    from .migrations.runner import upgrade
    from .migrations.trees import GATEWAY
    from .sources import SourcePool
    from .store.db import Database
    from .store.files import writable_data_dir

    settings = _settings(args)

    async def main() -> Any:
        writable_data_dir(settings.data_dir)
        db = Database(settings.database_url, migrations=GATEWAY.name)
        await upgrade(db.engine, GATEWAY)
        sources = SourcePool(settings, db=db)
        try:
            return await job(settings, (db, sources))
        finally:
            await sources.close()
            await db.dispose()

    return asyncio.run(main())


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, default=str))


async def _check_tenant(sources: Any, code: str, tenant_id: str) -> None:
    adapter = await sources.get(code)
    tenants = {t.tenant_id for t in await adapter.list_tenants()}
    if tenant_id.lower() not in tenants:
        raise ValueError(f"tenant {tenant_id} is not served by source {code}; see: xero-gateway tenants --code {code}")


def _actor() -> str:
    """Who acts from the CLI, for the activity log: ``cli:<login name>``."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "cli"


def _datetime(value: str | None, option: str) -> Any:
    """An ISO-8601 date or time as an aware UTC datetime (a date alone: its midnight UTC)."""
    from datetime import UTC, datetime

    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{option} {value!r} is not an ISO-8601 date or time") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _read_password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Password: ")
    return sys.stdin.readline().rstrip("\r\n")


def cmd_apps(args: argparse.Namespace) -> int:
    from .identity import apps

    async def job(settings: Settings, state: Any) -> Any:
        db, sources = state
        who = {"actor": _actor()}
        command = args.apps_command
        if command == "delete":
            await apps.delete_app(db, args.client_id, **who)
            return {"client_id": args.client_id, "deleted": True}
        if command == "restore":
            await apps.restore_app(db, args.client_id, **who)
            return {"client_id": args.client_id, "restored": True}
        if command == "set-expiry":
            if bool(args.never) == bool(args.expires):
                raise ValueError("set-expiry needs either --expires ISO-8601 or --never")
            expires = _datetime(args.expires, "--expires")
            await apps.set_expiry(db, args.client_id, expires, **who)
            return {"client_id": args.client_id, "expires_at": expires.isoformat() if expires else None}
        if command == "create":
            if args.custom_connection:
                if not (args.code and args.tenant):
                    raise ValueError("--custom-connection needs --code and --tenant")
                await _check_tenant(sources, args.code, args.tenant)
            scopes = args.scopes.split() if args.scopes else None
            return await apps.create_app(
                db, name=args.name, redirect_uris=args.redirect_uri or [], scopes=scopes, public=args.public,
                custom_connection=args.custom_connection, code=args.code,
                tenant_id=args.tenant.lower() if args.tenant else None,
                expires_at=_datetime(args.expires, "--expires"), **who)
        if command == "list":
            return await apps.list_apps(db)
        if command == "rotate-secret":
            return await apps.rotate_secret(db, args.client_id, **who)
        await apps.revoke_app(db, args.client_id, **who)
        return {"client_id": args.client_id, "revoked": True}

    _print_json(_run(args, job))
    return 0


def cmd_connections(args: argparse.Namespace) -> int:
    from .identity import connections

    async def job(settings: Settings, state: Any) -> Any:
        db, _ = state
        if args.connections_command == "delete":
            return await connections.operator_delete_connection(db, args.connection_id, actor=_actor())
        return await connections.operator_connections(db, client_id=args.client_id)

    _print_json(_run(args, job))
    return 0


def cmd_activity(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from .store import activity

    async def job(settings: Settings, state: Any) -> Any:
        db, _ = state
        if args.activity_command == "prune":
            return {"deleted": await activity.prune(db, retention_days=settings.activity.retention_days,
                                                    now=datetime.now(UTC))}
        if args.kind and args.kind not in activity.KINDS:
            raise ValueError(f"unknown kind {args.kind!r} (known: {', '.join(activity.KINDS)})")
        return await activity.query(db, client_id=args.client_id, tenant_id=args.tenant, kind=args.kind,
                                    since=_datetime(args.since, "--since"), until=_datetime(args.until, "--until"),
                                    limit=args.limit)

    rows = _run(args, job)
    if getattr(args, "csv", False):
        sys.stdout.write(activity.to_csv(rows))
    else:
        _print_json(rows if isinstance(rows, dict) else [vars(r) for r in rows])
    return 0


def cmd_admins(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from .console import operators
    from .store import activity
    from .store.crypto import SecretBox

    password = _read_password()

    async def job(settings: Settings, state: Any) -> Any:
        db, _ = state
        now = datetime.now(UTC)
        uri = await operators.create_operator(db, SecretBox.from_data_dir(settings.data_dir), email=args.email,
                                              password=password, now=now)
        await activity.record(db, "operator_created", actor=_actor(), at=now,
                              detail=f"console operator {args.email.strip().lower()} created")
        return {"email": args.email.strip().lower(), "totp_provisioning_uri": uri}

    _print_json(_run(args, job))
    return 0


def cmd_tenants(args: argparse.Namespace) -> int:
    async def job(settings: Settings, state: Any) -> Any:
        _, sources = state
        adapter = await sources.get(args.code)
        return [{"tenantId": t.tenant_id, "tenantName": t.name, "tenantType": t.tenant_type}
                for t in await adapter.list_tenants()]

    _print_json(_run(args, job))
    return 0


def cmd_users(args: argparse.Namespace) -> int:
    if args.users_command == "totp-enroll":
        return _totp_enroll(args)
    password = _read_password()
    if len(password) < 8:
        raise ValueError("the password must have at least 8 characters")

    async def job(settings: Settings, state: Any) -> Any:
        _, sources = state
        adapter = await sources.get(args.code)
        user = await adapter.create_user(email=args.email, password=password,
                                         tenant_ids=[t.lower() for t in args.tenant],
                                         given_name=args.given_name or "", family_name=args.family_name or "")
        return {"userId": user.user_id, "email": user.email, "tenantIds": list(user.tenant_ids)}

    _print_json(_run(args, job))
    return 0


def _totp_enroll(args: argparse.Namespace) -> int:
    from .identity import totp
    from .store.crypto import SecretBox
    from .xero.dates import utcnow

    async def job(settings: Settings, state: Any) -> Any:
        db, sources = state
        adapter = await sources.get(args.code)
        user = await adapter.find_ledger_user(args.email)
        if user is None:
            raise LookupError(f"no user with e-mail {args.email} at source {args.code}")
        uri = await totp.enroll(db, SecretBox.from_data_dir(settings.data_dir), code=args.code, user_id=user.user_id,
                                email=user.email, now=utcnow())
        return {"userId": user.user_id, "email": user.email, "provisioningUri": uri}

    _print_json(_run(args, job))  # the only time the secret is shown
    return 0


def cmd_rates(args: argparse.Namespace) -> int:
    """``rates set|list|import``: the native ledger's currency rates (docs/native-unrealised-gains.md)."""
    from pathlib import Path

    csv_text = None
    if args.rates_command == "import":
        try:
            csv_text = Path(args.file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"cannot read {args.file}: {exc}") from None

    async def job(settings: Settings, state: Any) -> Any:
        _, sources = state
        adapter = await sources.get("1000")
        if args.rates_command == "list":
            return await adapter.list_currency_rates(args.tenant)
        rows = [(args.currency, args.date, args.rate)] if args.rates_command == "set" else None
        return await adapter.set_currency_rates(args.tenant, rows=rows, csv_text=csv_text,
                                                csv_name=getattr(args, "file", "CSV"))

    _print_json(_run(args, job))
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from .migrations import commands

    if args.db_command == "revision":
        _print_json({"written": [str(p) for p in asyncio.run(commands.revision(args.tree, args.message))]})
        return 0
    settings = _settings(args)
    if args.db_command == "upgrade":
        _print_json(asyncio.run(commands.upgrade(settings)))
    else:
        _print_json(asyncio.run(commands.current(settings)))
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    from adapters.registry import ADAPTERS, gateway_sign_in_codes

    from .upstream import registry

    async def job(settings: Settings, state: Any) -> Any:
        db, _ = state
        if args.sources_command == "list":
            return await registry.list_sources(db, settings, adapter_codes=ADAPTERS)
        if args.webhook_verifier_token is not None:  # checked before the app is stored: all or nothing
            from .webhooks.intuit import push_codes
            pushing = " ".join(sorted(push_codes()))
            if args.code not in push_codes():
                raise ValueError(f"source {args.code} sends no webhooks to verify; only {pushing} does")
        shown = await registry.set_source(
            db, settings, code=args.code, client_id=args.client_id, client_secret=args.client_secret,
            environment=args.environment, authorize_url=args.authorize_url, token_url=args.token_url,
            revoke_url=args.revoke_url, api_base=args.api_base, adapter_codes=ADAPTERS,
            gateway_sign_in=gateway_sign_in_codes())
        if args.webhook_verifier_token is not None:
            from .store.crypto import SecretBox
            from .webhooks.intuit import set_verifier_token
            await set_verifier_token(db, SecretBox.from_data_dir(settings.data_dir), args.code,
                                     args.webhook_verifier_token)
            shown = {**shown, "webhook_verifier_token": "set"}
        from .store import activity
        await activity.record(db, "source_registered", actor=_actor(), source_code=args.code,
                              detail=f"developer app {args.client_id} registered for source {args.code}")
        return shown

    _print_json(_run(args, job))
    return 0


def cmd_agents(args: argparse.Namespace) -> int:
    """``agents list`` (agent, companies, last seen, sync lag per company, queued jobs) and ``agents revoke``."""
    from .agents.store import AgentStore

    async def job(settings: Settings, state: Any) -> Any:
        db, _ = state
        store = AgentStore(db, offline_after=settings.agents.offline_after)
        if args.agents_command == "revoke":
            if not await store.revoke(args.agent_id):
                raise LookupError(f"no live agent {args.agent_id}; see: xero-gateway agents list")
            return {"agent_id": args.agent_id, "revoked": True}
        now = store.now()
        return [{"agent_id": a.agent_id, "code": a.source_code, "name": a.name, "revoked": a.revoked,
                 "last_seen": a.last_seen_at, "queued_jobs": a.queued_jobs,
                 "companies": [{"tenantId": c.tenant_id, "name": c.name, "online": c.online,
                                "last_sync": c.last_sync_at, "last_error": c.last_error,
                                "sync_lag_seconds": int((now - c.last_sync_at).total_seconds())
                                if c.last_sync_at else None} for c in a.companies]}
                for a in await store.summaries(args.code)]

    _print_json(_run(args, job))
    return 0


def cmd_webhooks(args: argparse.Namespace) -> int:
    from .store.crypto import SecretBox
    from .webhooks import subscriptions

    async def job(settings: Settings, state: Any) -> Any:
        db, _ = state
        command = args.webhooks_command
        if command == "set":
            box = SecretBox.from_data_dir(settings.data_dir)
            return await subscriptions.set_subscription(db, box, args.client_id, url=args.url, events=args.events)
        if command == "show":
            return await subscriptions.show(db, args.client_id)
        if command == "rotate-key":
            return await subscriptions.rotate_key(db, SecretBox.from_data_dir(settings.data_dir), args.client_id)
        if command == "enable":
            return await subscriptions.enable(db, args.client_id)
        return await subscriptions.disable(db, args.client_id)

    _print_json(_run(args, job))
    return 0


#: ``emulate KIND`` → the emulator package's ``main(argv) -> int``.
EMULATORS = {"qbo": "emulators.qbo", "sage": "emulators.sage_accounting", "sage50": "emulators.sage50"}


def cmd_emulate(args: argparse.Namespace) -> int:
    import importlib

    module = importlib.import_module(EMULATORS[args.kind])
    if args.kind == "sage50":  # a company folder for the connector, not a server: --data-dir instead of --port
        if not args.data_dir:
            raise ValueError("emulate sage50 needs --data-dir DIR")
        argv = ["--data-dir", args.data_dir, *(f"--fault={fault}" for fault in args.fault)]
    elif args.port is None:
        raise ValueError(f"emulate {args.kind} needs --port PORT")
    else:
        argv = ["--port", str(args.port), "--host", args.host]
    if args.seed:
        argv += ["--seed", args.seed]
    return module.main(argv)


# ------------------------------------------------------------------------------------------------ parser


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", help="TOML file merged over config/default.toml")
    common.add_argument("--data-dir", metavar="DIR", help="data directory (default: from the config)")

    parser = argparse.ArgumentParser(prog="xero-gateway", description="Xero-compatible translation gateway")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", parents=[common], help="run the gateway")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, default=1, metavar="N",
                       help="N processes on the same port, sharing the database (default 1)")
    serve.add_argument("--host-mode", action="store_true",
                       help="also serve Xero's own paths at the root for Xero's hostnames ([host_mode] settings)")
    serve.add_argument("--tls-cert", metavar="PEM", help="certificate chain (PEM) for TLS served by the gateway")
    serve.add_argument("--tls-key", metavar="PEM", help="private key (PEM) of --tls-cert")
    serve.set_defaults(func=cmd_serve)

    apps = sub.add_parser("apps", help="partner apps (OAuth clients)")
    apps_sub = apps.add_subparsers(dest="apps_command", required=True)
    create = apps_sub.add_parser("create", parents=[common], help="register a partner app")
    create.add_argument("--name", required=True)
    create.add_argument("--redirect-uri", action="append", metavar="URI")
    create.add_argument("--scopes", help='space-separated scopes the app may request (default: all)')
    create.add_argument("--public", action="store_true", help="public client: PKCE, no secret")
    create.add_argument("--custom-connection", action="store_true",
                        help="client_credentials app bound to one tenant of one source")
    create.add_argument("--code", choices=sorted(SOURCE_CODES))
    create.add_argument("--tenant", metavar="TENANT_ID")
    create.add_argument("--expires", metavar="ISO-8601", help="end of the app's access (UTC when no offset)")
    apps_sub.add_parser("list", parents=[common], help="list partner apps (no secrets)")
    rotate = apps_sub.add_parser("rotate-secret", parents=[common], help="issue a new client secret")
    rotate.add_argument("client_id")
    revoke = apps_sub.add_parser("revoke", parents=[common], help="disable an app and revoke its grants")
    revoke.add_argument("client_id")
    adelete = apps_sub.add_parser("delete", parents=[common], help="revoke an app and mark it deleted")
    adelete.add_argument("client_id")
    restore = apps_sub.add_parser("restore", parents=[common], help="bring a revoked or deleted app back")
    restore.add_argument("client_id")
    expiry = apps_sub.add_parser("set-expiry", parents=[common], help="set or clear an app's expiry")
    expiry.add_argument("client_id")
    expiry.add_argument("--expires", metavar="ISO-8601")
    expiry.add_argument("--never", action="store_true", help="remove the expiry")
    apps.set_defaults(func=cmd_apps)

    conns = sub.add_parser("connections", help="partner apps' connections to tenants")
    conns_sub = conns.add_subparsers(dest="connections_command", required=True)
    clist = conns_sub.add_parser("list", parents=[common], help="live connections (who, when, scopes, last used)")
    clist.add_argument("--client-id")
    cdelete = conns_sub.add_parser("delete", parents=[common], help="delete a connection and revoke its tokens")
    cdelete.add_argument("connection_id")
    conns.set_defaults(func=cmd_connections)

    act = sub.add_parser("activity", help="the activity log")
    act_sub = act.add_subparsers(dest="activity_command", required=True)
    alist_ = act_sub.add_parser("list", parents=[common], help="events, newest first")
    alist_.add_argument("--client-id")
    alist_.add_argument("--tenant", metavar="TENANT_ID")
    alist_.add_argument("--kind")
    alist_.add_argument("--since", metavar="ISO-8601")
    alist_.add_argument("--until", metavar="ISO-8601")
    alist_.add_argument("--limit", type=int, default=500)
    alist_.add_argument("--csv", action="store_true", help="CSV instead of JSON")
    act_sub.add_parser("prune", parents=[common], help="delete rows older than [activity] retention_days")
    act.set_defaults(func=cmd_activity)

    admins = sub.add_parser("admins", help="operators of the web console (/admin)")
    admins_sub = admins.add_subparsers(dest="admins_command", required=True)
    acreate = admins_sub.add_parser("create", parents=[common], help="add an operator (password on stdin)")
    acreate.add_argument("--email", required=True)
    admins.set_defaults(func=cmd_admins)

    tenants = sub.add_parser("tenants", parents=[common], help="list a source's tenants")
    tenants.add_argument("--code", required=True, choices=sorted(SOURCE_CODES))
    tenants.set_defaults(func=cmd_tenants)

    users = sub.add_parser("users", help="native-ledger users")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    ucreate = users_sub.add_parser("create", parents=[common], help="add a user (password on stdin)")
    ucreate.add_argument("--email", required=True)
    ucreate.add_argument("--tenant", required=True, action="append", metavar="TENANT_ID")
    ucreate.add_argument("--given-name")
    ucreate.add_argument("--family-name")
    ucreate.add_argument("--code", default="1000", choices=["1000"])
    uenroll = users_sub.add_parser("totp-enroll", parents=[common],
                                   help="give a user a TOTP second factor (prints the provisioning URI once)")
    uenroll.add_argument("--email", required=True)
    uenroll.add_argument("--code", default="1000", choices=["1000"])
    users.set_defaults(func=cmd_users)

    rates = sub.add_parser("rates", help="native-ledger currency rates (what reports revalue at)")
    rates_sub = rates.add_subparsers(dest="rates_command", required=True)
    rset = rates_sub.add_parser("set", parents=[common], help="set a currency's rate on a date")
    rset.add_argument("currency", help="ISO 4217 code enabled for the company, e.g. USD")
    rset.add_argument("date", help="YYYY-MM-DD")
    rset.add_argument("rate", help="units of the currency per 1 unit of the base currency, e.g. 1.30")
    rimport = rates_sub.add_parser("import", parents=[common], help="set rates from a CSV file (currency,date,rate)")
    rimport.add_argument("file")
    rlist = rates_sub.add_parser("list", parents=[common], help="the stored rates by currency and date")
    for command in (rset, rimport, rlist):
        command.add_argument("--tenant", required=True, metavar="TENANT_ID")
    rates.set_defaults(func=cmd_rates)

    db = sub.add_parser("db", help="schema migrations of the gateway's databases")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", parents=[common], help="migrate every database to its head")
    db_sub.add_parser("current", parents=[common], help="each database's revision and its head")
    drev = db_sub.add_parser("revision", help="autogenerate a revision (source checkout)")
    drev.add_argument("--tree", required=True, choices=["gateway", "ledger"])
    drev.add_argument("-m", "--message", required=True)
    db.set_defaults(func=cmd_db)

    sources = sub.add_parser("sources", help="operators' developer apps for source systems")
    sources_sub = sources.add_subparsers(dest="sources_command", required=True)
    sset = sources_sub.add_parser("set", parents=[common], help="register a source system's developer app")
    # Which codes take an upstream app is the adapters' to say (checked by set_source), not this parser's.
    sset.add_argument("code", choices=sorted(SOURCE_CODES))
    sset.add_argument("--client-id", required=True)
    sset.add_argument("--client-secret", required=True)
    sset.add_argument("--environment", choices=["sandbox", "production"])
    sset.add_argument("--authorize-url")
    sset.add_argument("--token-url")
    sset.add_argument("--revoke-url")
    sset.add_argument("--api-base")
    sset.add_argument("--webhook-verifier-token",
                      help="the verifier token of the source's own webhooks (1004: Intuit's), sealed at rest")
    sources_sub.add_parser("list", parents=[common], help="list registered source apps (no secrets)")
    sources.set_defaults(func=cmd_sources)

    agents = sub.add_parser("agents", help="on-premise connectors (Sage 50)")
    agents_sub = agents.add_subparsers(dest="agents_command", required=True)
    alist = agents_sub.add_parser("list", parents=[common], help="connectors, their companies and sync lag")
    alist.add_argument("--code", choices=sorted(SOURCE_CODES), help="only this source's connectors")
    arevoke = agents_sub.add_parser("revoke", parents=[common], help="revoke a connector (its token stops working)")
    arevoke.add_argument("agent_id")
    agents.set_defaults(func=cmd_agents)

    webhooks = sub.add_parser("webhooks", help="partner apps' webhooks (Xero's developer portal settings)")
    webhooks_sub = webhooks.add_subparsers(dest="webhooks_command", required=True)
    wset = webhooks_sub.add_parser("set", parents=[common], help="create or change an app's webhook")
    wset.add_argument("client_id")
    wset.add_argument("--url", help="delivery URL")
    wset.add_argument("--events", help='subscribed categories, e.g. "CONTACT INVOICE CREDITNOTE"')
    for name, text in (("show", "show an app's webhook (no key)"), ("rotate-key", "issue a new webhook key"),
                       ("enable", "re-enable (runs intent to receive again)"), ("disable", "stop deliveries")):
        webhooks_sub.add_parser(name, parents=[common], help=text).add_argument("client_id")
    webhooks.set_defaults(func=cmd_webhooks)

    emulate = sub.add_parser("emulate", help="run an upstream emulator on loopback")
    emulate.add_argument("kind", choices=sorted(EMULATORS))
    emulate.add_argument("--port", type=int, help="TCP port (qbo, sage)")
    emulate.add_argument("--host", default="127.0.0.1")
    emulate.add_argument("--seed", metavar="DIR", help="directory of upstream-format JSON records")
    emulate.add_argument("--data-dir", metavar="DIR", help="company folder (sage50)")
    emulate.add_argument("--fault", action="append", default=[], metavar="KIND[:COUNT[:OBJECT]]",
                         help="fault rule for the Sage 50 stand-in (sage50)")
    emulate.set_defaults(func=cmd_emulate)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging()  # logs go to stderr: stdout carries the commands' JSON
    from .store.files import DataDirectoryError

    try:
        return args.func(args)
    except DataDirectoryError as exc:  # one line naming the directory, no traceback
        print(f"xero-gateway: {exc}", file=sys.stderr)
        return 1
    except (ValueError, LookupError) as exc:
        print(f"xero-gateway: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # XeroApiError from a source, pydantic's settings errors
        from .xero.errors import XeroApiError

        if isinstance(exc, XeroApiError):
            print(f"xero-gateway: {exc.message}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
