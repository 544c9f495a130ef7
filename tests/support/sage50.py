"""In-process Sage 50 stack (source 1001) of the contract walk: the gateway app on loopback, the Sage 50 stand-in's
demo company (:func:`emulators.sage50.main.prepare`: ``DIR/ACCDATA`` with the fake SDO engine; plus what
:func:`enter_bookkeeping` enters as a Sage user would, for the lists the demo lacks) and the real connector
(``connector/sage50_connector``) driven in the same event loop as a background task.

Built through the public path only, as a user would: a partner app asks to authorize, the pairing page shows its
``data-pairing-code``, the connector pairs with it (its own ``pair`` command), the user approves the companies, and
the partner exchanges the code with PKCE. The first sync is awaited before the stack is handed out, so that reads
see the whole company; writes are served by the running connector through SDO. :func:`stop` cancels the
connector's task and closes everything it opened (no task left running; every socket on 127.0.0.1).

The connector polls with a short interval (:data:`POLL_INTERVAL`) and its loop is bounded (:data:`MAX_POLLS`); the
gateway's agent timings (``[agents]``) are the defaults except ``write_wait``, raised so that a slow write job on a
shared machine still answers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from emulators.sage50 import sdo
from emulators.sage50.company import Company
from emulators.sage50.main import prepare
from emulators.sage50.sageuser import SageUser
from gateway.app import create_app
from gateway.appkeys import IDENTITY
from gateway.identity.keys import SIGNING_KEY_FILE
from gateway.settings import load_settings
from tests.identity.helpers import Gateway, checkboxes, first_form, hidden_fields, pkce_pair, query_of

from .native import accounting_scopes
from .stack import Stack

try:
    import sage50_connector  # noqa: F401 - installed (make) or on PYTHONPATH
except ImportError:  # a checkout without `pip install -e ./connector`
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "connector"))

from sage50_connector import cli  # noqa: E402
from sage50_connector.agent import Agent  # noqa: E402
from sage50_connector.config import CompanySettings, SageSettings, Settings  # noqa: E402
from sage50_connector.credentials import TokenStore  # noqa: E402
from sage50_connector.gateway import GatewayClient  # noqa: E402
from sage50_connector.state import StateStore  # noqa: E402

CODE = "1001"
REDIRECT_URI = "https://app.example.test/callback"
#: Seconds between the connector's change detections; its long-poll waits at most this long.
POLL_INTERVAL = 1.0
#: Polls the connector's task makes before it ends by itself (a bound: :func:`stop` normally cancels it first).
MAX_POLLS = 20_000
#: The gateway's config for the walk: raised per-tenant limits; a write waits up to 60 s for the connector.
CONFIG = ("[rate_limits]\ntenant_per_minute = 100000\ntenant_per_day = 1000000\ntenant_concurrent = 50\n"
          "[agents]\nwrite_wait = 60\n")


@dataclass
class Sage50Stack(Stack):
    """The gateway app, the stand-in's company and the connector serving it, connected for one partner app.

    Attributes:
        gateway: the gateway's test client.
        access_token: the partner app's access token.
        provider_name: the partner app's name.
        tenant_id: the demo company's tenant id.
        spec: the spec validator, or ``None``.
        sage: the stand-in's description (:func:`emulators.sage50.main.prepare`).
        agent: the started connector agent.
        task: the connector's background task (``Agent.run``).
    """

    code = CODE

    gateway: TestClient
    access_token: str
    provider_name: str
    tenant_id: str
    spec: Any = None
    sage: dict[str, Any] = field(default_factory=dict)
    agent: Agent | None = None
    task: asyncio.Task | None = None
    _closers: list[Any] = field(default_factory=list)


def gateway_app(data_dir: Path, pem: bytes) -> Any:
    """The gateway app on ``data_dir`` with the walk's config and the given signing key (PEM)."""
    keys = data_dir / "data" / "keys"
    keys.mkdir(mode=0o700, parents=True, exist_ok=True)
    (keys / SIGNING_KEY_FILE).write_bytes(pem)
    (keys / SIGNING_KEY_FILE).chmod(0o600)
    config = data_dir / "gateway.toml"
    config.write_text(CONFIG)
    return create_app(load_settings(config, data_dir=data_dir / "data"))


def connector_settings(root: str, sage: dict[str, Any], state_dir: Path) -> Settings:
    """The connector's settings: the gateway at ``root``, the stand-in's company read from its SQLite file, the
    fake SDO engine, its token in a file under ``state_dir``."""
    sdo = sage["sdo"]
    return Settings(gateway=root, poll_interval=POLL_INTERVAL, state_dir=state_dir, token_store="file",
                    sage=SageSettings(user=sdo["user"], password=sdo["password"], sdo_engine=f"python:{sdo['engine']}"),
                    companies=[CompanySettings(data_path=sage["data_path"], sqlite=sage["database"])])


def enter_bookkeeping(data_path: Path | str) -> None:
    """What the walk's lists need and the demo company lacks, entered as the bookkeeper (Sage's ``MANAGER``) would
    before the connector first syncs: a stock product (Sage's product screen; the fake SDO's ``StockRecord`` is
    read-only, so it goes straight into ``STOCK``), a nominal journal (``JournalPost``: the demo's only JD/JC pairs
    are bank transfers) and a customer receipt on account (``SA``) left unallocated (every demo payment on account
    is allocated in full, so the demo has no prepayment)."""
    today = dt.date.today()
    with Company(data_path) as company, company.transaction():
        company.insert("STOCK", {"STOCK_CODE": "WALK-01", "DESCRIPTION": "Conformance walk product",
                                 "UNIT_OF_SALE": "Each", "NOMINAL_CODE": "4000", "PURCHASE_NOMINAL_CODE": "5000",
                                 "TAX_CODE": "T1", "SALES_PRICE": "12.50", "LAST_PURCHASE_PRICE": "7.25",
                                 "INACTIVE_FLAG": 0})
        customer = company.rows("SALES_LEDGER", "1 ORDER BY ACCOUNT_REF LIMIT 1")[0]["ACCOUNT_REF"]
    workspace = sdo.SDOEngine().Workspaces.Add("bookkeeper")
    workspace.Connect(str(data_path), "MANAGER", "", "bookkeeper")
    try:
        journal = workspace.CreateObject("JournalPost")
        journal.Header.Fields.Item("DATE").Value = today
        journal.Header.Fields.Item("INV_REF").Value = "RECLASS"
        journal.Header.Fields.Item("DETAILS").Value = "Reclassify samples"
        for nominal, side in (("5000", 0), ("4000", 1)):  # TYPE 0 debit, 1 credit
            item = journal.Items.Add().Fields
            item.Item("NOMINAL_CODE").Value = nominal
            item.Item("NET_AMOUNT").Value = Decimal("45.00")
            item.Item("TYPE").Value = side
            item.Item("TAX_CODE").Value = 9
        assert journal.Update(), workspace.LastError.ErrorDescription
    finally:
        workspace.Disconnect()
    SageUser(data_path).post("SA", customer, today, inv_ref="ON-ACCOUNT", details="Payment on account",
                             lines=[("1200", Decimal("75.00"), Decimal("0"), 9)])


async def _consent(gw: Gateway, settings: Settings, app: dict[str, Any], scope: str) -> dict[str, Any]:
    """authorize → pairing page → ``sage50-connector pair`` → approve every company → PKCE token exchange."""
    verifier, challenge = pkce_pair()
    response = await gw.authorize_page({
        "response_type": "code", "client_id": app["client_id"], "redirect_uri": REDIRECT_URI, "scope": scope,
        "state": "st-sage50", "code_challenge": challenge, "code_challenge_method": "S256"})
    assert response.status == 302, await response.text()
    page = await gw.client.get(response.headers["Location"], allow_redirects=False)
    html = await page.text()
    found = re.search(r'data-pairing-code="([0-9A-Z-]+)"', html)
    assert page.status == 200 and found, html
    status = await cli._pair(settings, argparse.Namespace(gateway=None, code=found.group(1)))  # noqa: SLF001
    assert status == 0, "sage50-connector pair failed"
    page = await gw.client.get(response.headers["Location"], allow_redirects=False)
    html = await page.text()
    assert page.status == 200, html
    form = first_form(html)
    tenants = checkboxes(form)
    assert tenants, html
    data = [*hidden_fields(form).items(), *(("tenant", t) for t in tenants), ("decision", "approve")]
    answer = await gw.client.post(form["action"], data=data, allow_redirects=False)
    assert answer.status == 302 and answer.headers["Location"].startswith(REDIRECT_URI + "?"), await answer.text()
    return await gw.exchange(app, query_of(answer.headers["Location"]), verifier=verifier)


async def start(*, data_dir: Path, pem: bytes, app_name: str, scope: str | None = None,
                spec: Any = None) -> Sage50Stack:
    """Create the stand-in's demo company under ``data_dir``, start the gateway on 127.0.0.1, pair the connector
    through the consent page, await its first sync and leave it serving in the background; close with :func:`stop`.

    Raises:
        AssertionError: a step of the consent failed or the company did not connect.
    """
    sage = prepare(data_dir / "sage")
    enter_bookkeeping(sage["data_path"])
    client = TestClient(TestServer(gateway_app(data_dir / "gateway", pem), host="127.0.0.1"))
    await client.start_server()
    stack = Sage50Stack(gateway=client, access_token="", provider_name=app_name, tenant_id="", spec=spec, sage=sage)
    stack._closers.append(client.close)  # noqa: SLF001
    try:
        settings = connector_settings(str(client.make_url("")).rstrip("/"), sage, data_dir / "connector")
        settings.state_dir.mkdir(parents=True, exist_ok=True)
        gw = Gateway(client=client, state=client.app[IDENTITY], code=CODE)
        app = await gw.create_app(name=app_name)
        tokens = await _consent(gw, settings, app, scope or " ".join(
            ["openid", "profile", "email", "offline_access", *accounting_scopes()]))
        store = TokenStore(settings.state_dir, prefer=settings.token_store)
        agent_client = GatewayClient(store.identity().gateway, token=store.token())
        stack._closers.append(agent_client.close)  # noqa: SLF001
        state = StateStore(settings.state_dir / cli.STATE_FILE)
        stack._closers.append(state.close)  # noqa: SLF001
        agent = Agent(settings, client=agent_client, state=state)
        await agent.start()
        stack.agent = agent
        stack._closers.append(agent.close)  # noqa: SLF001
        await agent.sync_all()
        assert all(c.last_sync_at for c in agent.companies), [c.error for c in agent.companies]
        stack.task = asyncio.create_task(agent.run(max_polls=MAX_POLLS), name="sage50-connector")
        connections = await (await gw.get("/connections", tokens["access_token"])).json()
        assert len(connections) == 1, connections
        stack.access_token = tokens["access_token"]
        stack.tenant_id = connections[0]["tenantId"]
    except BaseException:
        await stop(stack)
        raise
    return stack


async def stop(stack: Sage50Stack) -> None:
    """Cancel the connector's task, then close the agent, its client and state, and the gateway (reverse order)."""
    try:
        if stack.task is not None:
            task, stack.task = stack.task, None
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task  # a connector that died of an error raises it here
    finally:
        while stack._closers:  # noqa: SLF001
            closing = stack._closers.pop()()  # noqa: SLF001
            if asyncio.iscoroutine(closing):
                await closing
