"""The native ledger's Partner Bookkeeping API at ``/ledger/api/v1``, with its OAuth server at ``/ledger/api/oauth``
(issue 16; ``docs/partner-api.md``; the contract is ``adapters/native/partner/web/openapi.json``, served at
``/ledger/api/openapi.json``).

It serves the books of the embedded ledger (source 1000) in the partner API's own terms; the services behind it are
:mod:`adapters.native.partner`. Mounted by :func:`setup`, before the gateway's ``/{code}`` catch-all.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from functools import cache
from pathlib import Path
from typing import Any

from aiohttp import web

from adapters.native.partner.service import CODE, PartnerLedger, serves
from gateway import appkeys
from gateway.identity.clock import LoopBridge

from . import views_api, views_oauth
from .keys import PARTNER, PartnerState
from .oauth import PartnerAuthorizationServer

OPENAPI = Path(__file__).resolve().parent / "openapi.json"


@cache
def openapi_document() -> dict[str, Any]:
    """The partner API's OpenAPI 3 document (``adapters/native/partner/web/openapi.json``)."""
    return json.loads(OPENAPI.read_text(encoding="utf-8"))


async def _openapi(_request: web.Request) -> web.StreamResponse:
    return web.json_response(openapi_document())


async def _partner_context(app: web.Application) -> AsyncIterator[None]:
    adapter = await app[appkeys.SOURCES].get(CODE)
    if not serves(adapter):  # another adapter under 1000 (tests): the partner routes answer not_found
        yield
        return
    ledger = PartnerLedger(adapter)  # type: ignore[arg-type]  # checked by serves()
    public_url = app[appkeys.SETTINGS].public_url
    server = PartnerAuthorizationServer(store=ledger.oauth, bridge=LoopBridge(asyncio.get_running_loop()),
                                        issuer=f"{public_url}/ledger/api")
    app[PARTNER] = PartnerState(ledger=ledger, server=server, public_url=public_url)
    yield


def setup(app: web.Application) -> None:
    """Register the partner API's routes and its start-up (after the app's state context: ``appkeys.SOURCES``)."""
    app.router.add_get("/ledger/api/openapi.json", _openapi)
    views_oauth.register_routes(app)
    views_api.register(app)
    app.cleanup_ctx.append(_partner_context)
