"""The partner API's application state: the ledger-side services and the OAuth server, made at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from adapters.native.partner.errors import PartnerError
from adapters.native.partner.service import PartnerLedger

from .oauth import PartnerAuthorizationServer


@dataclass
class PartnerState:
    """What the partner API's views share.

    Attributes:
        ledger: the native ledger's partner services.
        server: the partner OAuth server.
        public_url: the gateway's public base URL (``settings.public_url``), as clients see it.
    """

    ledger: PartnerLedger
    server: PartnerAuthorizationServer
    public_url: str


PARTNER: web.AppKey[PartnerState] = web.AppKey("partner", PartnerState)


def partner_state(app: web.Application) -> PartnerState:
    """The partner API's state.

    Raises:
        PartnerError: ``not_found`` when source 1000 is not the native ledger (the API is then not served).
    """
    state = app.get(PARTNER)
    if state is None:
        raise PartnerError("not_found", "The partner API is not served: source 1000 is not the native ledger")
    return state
