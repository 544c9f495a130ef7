"""The Sage emulator's settings: :class:`~emulators.common.config.BaseEmulatorConfig` with Sage's values.

Defaults are Sage's documented values where Sage documents one (upstream-contracts.md §2 "OAuth 2.0", "Lists",
"Rate limits"; developer.sage.com "Frequently Raised Errors" for the 60-second authorisation code). Values the
vendor does not document are marked *unconfirmed* at the attribute. Tests shorten lifetimes, or move the emulator's
clock (``POST /_emulator/clock``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from emulators.common import config
from emulators.common.config import BaseEmulatorConfig, FaultRule, Positive

__all__ = ["ITEMS_PER_PAGE_KEYS", "EmulatorConfig", "FaultRule", "OAuthClient"]

#: The list-envelope spellings of the page size (pagination guide: ``$itemsPerPage``; best-practices guide:
#: ``$items_per_page``). Which one the live API sends per endpoint is unconfirmed.
ITEMS_PER_PAGE_KEYS = ("$itemsPerPage", "$items_per_page")


class OAuthClient(config.OAuthClient):
    """A developer app (Sage Developer Self Service: Client ID / Client Secret); neither may be empty."""

    client_id: str = Field(min_length=1)
    client_secret: str = Field(min_length=1)


class EmulatorConfig(BaseEmulatorConfig):
    """Settings of one Sage emulator instance (the common ones are documented on the base class).

    Attributes:
        clients: as on the base class; tests also pin them through ``PUT /_emulator/clients``.
        access_token_lifetime: Sage: 300 (``expires_in``).
        refresh_token_lifetime: Sage: 2678400 = 31 days (``refresh_token_expires_in``).
        refresh_grace_seconds: 0 by default: Sage rotates on every use; a grace period is not documented.
        authorization_code_lifetime: Sage: 60, single use ("Frequently Raised Errors").
        requests_per_minute: per business over a sliding 60-second window (Sage v3.0's documented 200 calls per
            60 s per business; the v3.1 figure is unconfirmed).
        requests_per_day: per business per UTC day, or ``None`` for no daily limit (a third-party figure of 2,500 is
            unconfirmed, so none by default).
        retry_after: seconds to send in ``Retry-After`` with a 429, or ``None`` to send no such header (Sage
            documents no rate-limit headers; unconfirmed).
        require_business_header: refuse a business-scoped request without ``X-Business`` (422). Sage itself falls
            back to the user's lead business (Authentication guide); strict mode catches an adapter that forgets
            the header. Set ``false`` for Sage's documented behaviour.
        items_per_page_key: which spelling of the page size list envelopes carry (see ``ITEMS_PER_PAGE_KEYS``).
        seed_dir: a folder of Sage-format JSON loaded at start (layout: :mod:`emulators.sage_accounting.seed`);
            without it the built-in demo data is loaded (``demo_data``).
        demo_data: load the built-in deterministic demo documents when no ``seed_dir`` is given.
        validate_requests: check POST/PUT bodies against the spec's ``post*``/``put*`` definitions and answer 422
            on a mismatch (needs the spec files; :mod:`emulators.sage_accounting.spec`).
        spec_dir: the folder of Sage's swagger files (default: ``shared/contracts/sage-accounting`` beside the
            repository, or ``$SAGE_ACCOUNTING_SPEC_DIR``).
        timezone: the businesses' zone for "today" (default dates); timestamps are UTC.
    """

    clients: list[OAuthClient] = Field(default_factory=list)
    access_token_lifetime: Positive = 300
    refresh_token_lifetime: Positive = 2_678_400
    authorization_code_lifetime: Positive = 60
    requests_per_minute: Positive = 200
    requests_per_day: int | None = Field(default=None, gt=0)
    retry_after: int | None = Field(default=None, ge=0)
    require_business_header: bool = True
    items_per_page_key: Literal["$itemsPerPage", "$items_per_page"] = "$itemsPerPage"
    demo_data: bool = True
    validate_requests: bool = False
    spec_dir: str | None = None
    timezone: str = "Europe/London"
